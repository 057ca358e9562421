/* Test profile: the car profile's protocols and capacities (DIN 70121 + ISO 15118-2, [mcu], no fragment grammars)
 * with both roles, so the session suites run a charger and a car built with the firmware's documents. */
#ifndef CCSPLC_TEST_PROFILE_MCU_DC_H
#define CCSPLC_TEST_PROFILE_MCU_DC_H

#define CCS_PROTO_ISO20 0
#define CCS_EXI_FRAGMENTS 0
#include "ccsplc/core/gen/caps_mcu.h"

#endif
