/* Profile of a car's firmware (CCS_CONFIG_FILE, ccsplc/core/config.h): DIN 70121 + ISO 15118-2 DC with external
 * identification, the car's role only, no fragment grammars, the [mcu] capacities of tools/exigen/caps.options.
 * scripts/arm-link.sh links examples/baremetal/main.c with it (docs/porting.md, "Profiles"). */
#ifndef CCSPLC_PROFILE_CAR_H
#define CCSPLC_PROFILE_CAR_H

#ifdef __cplusplus
extern "C" {
#endif

#define CCS_PROTO_DIN 1
#define CCS_PROTO_ISO2 1
#define CCS_PROTO_ISO20 0
#define CCS_ROLE_EVSE 0
#define CCS_ROLE_PEV 1
#define CCS_EXI_FRAGMENTS 0
#include "ccsplc/core/gen/caps_mcu.h"

#ifdef __cplusplus
}
#endif

#endif
