# `cmake --install`: the libraries, headers, CMake package (find_package(ccsplc) -> ccsplc::core, ::sim, ::linux,
# ::tools) and pkg-config files (ccsplc-core, ccsplc-sim, ccsplc) as component "lib"; the CLI as component "bin".
# Included from the top-level CMakeLists.txt.
include(CMakePackageConfigHelpers)
set(CCS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ccsplc)

install(TARGETS ccsplc_core ccsplc_sim ccsplc_linux ccsplc_tools EXPORT ccsplcTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/ccsplc ${CMAKE_BINARY_DIR}/include/ccsplc
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT lib FILES_MATCHING PATTERN "*.h")
install(EXPORT ccsplcTargets NAMESPACE ccsplc:: DESTINATION ${CCS_CMAKE_DIR} COMPONENT lib)

configure_package_config_file(cmake/ccsplcConfig.cmake.in ${CMAKE_BINARY_DIR}/ccsplcConfig.cmake
  INSTALL_DESTINATION ${CCS_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/ccsplcConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/ccsplcConfig.cmake ${CMAKE_BINARY_DIR}/ccsplcConfigVersion.cmake
  DESTINATION ${CCS_CMAKE_DIR} COMPONENT lib)

# The .pc files find the prefix from where they lie, so `cmake --install --prefix DIR` needs no reconfigure.
file(RELATIVE_PATH CCS_PC_UP /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
foreach(pc ccsplc-core ccsplc-sim ccsplc)
  configure_file(cmake/${pc}.pc.in ${CMAKE_BINARY_DIR}/pkgconfig/${pc}.pc @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/pkgconfig/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT lib)
endforeach()

install(TARGETS ccsplc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT bin)
