/* Profile of a charger's firmware (CCS_CONFIG_FILE, ccsplc/core/config.h): DIN 70121 + ISO 15118-2 + ISO 15118-20
 * DC with external identification, the charger's role only, no fragment grammars, the [mcu] capacities of
 * tools/exigen/caps.options. scripts/arm-link.sh links examples/baremetal/charger.c with it. */
#ifndef CCSPLC_PROFILE_CHARGER_H
#define CCSPLC_PROFILE_CHARGER_H

#ifdef __cplusplus
extern "C" {
#endif

#define CCS_PROTO_DIN 1
#define CCS_PROTO_ISO2 1
#define CCS_PROTO_ISO20 1
#define CCS_PROTO_ISO20_AC 0   /* a DC charger */
#define CCS_ROLE_EVSE 1
#define CCS_ROLE_PEV 0
#define CCS_EXI_FRAGMENTS 0
#include "ccsplc/core/gen/caps_mcu.h"

#ifdef __cplusplus
}
#endif

#endif
