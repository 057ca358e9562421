# Version of the everest-cmake stand-in: accepted for any version libcbv2g/libiso15118 ask for.
set(PACKAGE_VERSION 0.5.3)
set(PACKAGE_VERSION_COMPATIBLE TRUE)
