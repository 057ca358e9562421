# `make arm-size`: the Cortex-M4 build of the core with its flash/RAM sizes (scripts/arm-size.sh, also run by CI).
# Included from the top-level CMakeLists.txt: include(cmake/arm-size.cmake)
find_program(CCS_ARM_CC arm-none-eabi-gcc)
if(CCS_ARM_CC)
  add_custom_target(arm-size
    COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/arm-size.sh ${CMAKE_BINARY_DIR}/arm-size
    COMMENT "Cortex-M4 build of the core (arm-none-eabi-gcc)"
    USES_TERMINAL VERBATIM)
endif()
