/* Compile-time profile of the core: which protocols and roles are built, whether the EXI fragment grammars (for
 * signatures) are in the tables, and the EXI capacities. Defaults: everything (the host build). A product sets
 * CCS_CONFIG_FILE to a header of its own (e.g. -DCCS_CONFIG_FILE='"ccsplc/core/profiles/car.h"') that defines
 * what it changes; every file of the core must be compiled with the same one (docs/porting.md, "Profiles"). */
#ifndef CCSPLC_CORE_CONFIG_H
#define CCSPLC_CORE_CONFIG_H

#ifdef __cplusplus
extern "C" {
#endif

#ifdef CCS_CONFIG_FILE
#include CCS_CONFIG_FILE
#endif

/* Protocols of the session engines (SupportedAppProtocol is always in). */
#ifndef CCS_PROTO_DIN
#define CCS_PROTO_DIN 1     /* DIN 70121 */
#endif
#ifndef CCS_PROTO_ISO2
#define CCS_PROTO_ISO2 1    /* ISO 15118-2 */
#endif
#ifndef CCS_PROTO_ISO20
#define CCS_PROTO_ISO20 1   /* ISO 15118-20 */
#endif
#ifndef CCS_PROTO_ISO20_AC
#define CCS_PROTO_ISO20_AC CCS_PROTO_ISO20   /* ISO 15118-20 AC (needs CCS_PROTO_ISO20) */
#endif

/* Roles: the charger's (EVSE/SECC) and the car's (PEV/EVCC) message tables and handlers. */
#ifndef CCS_ROLE_EVSE
#define CCS_ROLE_EVSE 1
#endif
#ifndef CCS_ROLE_PEV
#define CCS_ROLE_PEV 1
#endif

/* The EXI fragment grammars (<p>_decode_fragment, _xmldsig_fragment: what a signature covers). Without them
 * those functions return CCS_EINVAL and the tables are smaller (ISO-2: 5.8 KB of flash on Cortex-M4). */
#ifndef CCS_EXI_FRAGMENTS
#define CCS_EXI_FRAGMENTS 1
#endif

/* Plug & Charge of ISO 15118-2 (Contract payment, signed AuthorizationReq; ccsplc/core/pnc.h): needs the
 * fragment grammars. */
#ifndef CCS_PNC
#define CCS_PNC (CCS_EXI_FRAGMENTS && CCS_PROTO_ISO2)
#endif

#ifdef __cplusplus
}
#endif

#endif
