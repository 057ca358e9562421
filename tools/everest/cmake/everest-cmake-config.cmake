# Stand-in for EVerest's everest-cmake package (tools/everest, manual harness): libcbv2g and libiso15118 call
# these helpers; here dependencies are plain add_subdirectory() targets, nothing is installed or packaged.
set(EVC_MAIN_PROJECT OFF)
macro(evc_setup_edm)
endmacro()
function(evc_setup_package)
endfunction()
function(evc_include)
endfunction()
