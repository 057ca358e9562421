/* The per-message time limits of a request/response pair, for capture analysis (the Wireshark plugin): how long
 * the charger may take to answer (V2G_SECC_Msg_Performance_Time) and how long the car waits
 * (V2G_EVCC_Msg_Timeout), per protocol, from the standards' timing tables (sources in v2g_timing.c). */
#ifndef CCSPLC_TOOLS_V2G_TIMING_H
#define CCSPLC_TOOLS_V2G_TIMING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t perf_ms;    /* V2G_SECC_Msg_Performance_Time */
    uint32_t timeout_ms; /* V2G_EVCC_Msg_Timeout */
    const char *table;   /* where they are from: "ISO 15118-2 Table 109" */
} v2g_timing;

/* The limits of request `req` ("CurrentDemandReq", "DC_ChargeLoopReq", ...) of codec `proto` ("din", "iso2",
 * "iso20-dc", ...; exi_proto names). Returns 1 and fills *out when a checked source gives them, 0 when not
 * (ISO 15118-20 common messages: Table 215 is not in our sources; the handshake). */
int v2g_timing_of(const char *proto, const char *req, v2g_timing *out);

#ifdef __cplusplus
}
#endif

#endif
