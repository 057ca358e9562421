/* Per-message V2G_SECC_Msg_Performance_Time and V2G_EVCC_Msg_Timeout of DIN 70121, ISO 15118-2 and ISO 15118-20
 * as one table (see ccsplc/tools/v2g_timing.h). */
#include "ccsplc/tools/v2g_timing.h"

#include <string.h>

/* One row: a request of a codec and the limits for its response; msg NULL = every other request of the codec.
 * Exceeding the performance time is no error by itself (the charger is slow: ISO 15118-2 8.7.1 NOTE); exceeding the
 * timeout ends the session on the car's side ([V2G2-438], [V2G20-438]).
 *
 * DIN 70121 Table 75 (9.6.2): 1.5 s / 2 s, CurrentDemand 25 ms / 250 ms (as transcribed by the iso15118 project,
 *   SwitchEV/iso15118 din_spec/timeouts.py).
 * ISO 15118-2:2014 Table 109 (8.7.1; the per-response rules cite it, e.g. [V2G2-584] CableCheckRes "within
 *   V2G_SECC_Msg_Performance_Time according to Table 109"): 1.5 s / 2 s; 4.5 s / 5 s for ServiceDetail,
 *   PaymentDetails, PowerDelivery, CertificateInstallation, CertificateUpdate (the requests that may reach a
 *   backend); CurrentDemand 25 ms / 250 ms. ChargingStatus (AC) has the default 1.5 s / 2 s. Sources: the docs.rs
 *   crate iso15118 (src/session/timers.rs: SECC_MSG_PERFORMANCE_DEFAULT 1.5 s, _BACKEND 4.5 s, _CURRENT_DEMAND 25 ms,
 *   with the rows of each), a transcription of Table 109 keyed by response name found with the search tool (the
 *   same values), and the 5 s rows of SwitchEV/iso15118 iso15118_2/timeouts.py (which gives CurrentDemand 0.5 s,
 *   against 0.25 s in both Table 109 transcriptions and in our car's table, sess.h).
 * ISO 15118-20:2022 8.5.4, Table 216 (AC, [V2G20-1500]), Table 217 (DC, [V2G20-1502]), Table 218 (WPT, [V2G20-5070]),
 *   as reproduced in a public repository found with the search tool: charge loops 0.25 s / 0.5 s; DC_CableCheck,
 *   DC_PreCharge, DC_WeldingDetection and the WPT positioning/pairing/alignment requests 1.5 s / 2 s. Table 215
 *   (the common messages: SessionSetup .. SessionStop) is not in our sources: no row, not checked. */
typedef struct {
    const char *proto, *msg;
    uint16_t perf_ms, timeout_ms;
    const char *table;
} timing_row;

#define DIN "DIN 70121 Table 75"
#define ISO2 "ISO 15118-2 Table 109"
#define AC "ISO 15118-20 Table 216"
#define DC "ISO 15118-20 Table 217"
#define WPT "ISO 15118-20 Table 218"

static const timing_row rows[] = {
    {"din", "CurrentDemandReq", 25, 250, DIN},
    {"din", NULL, 1500, 2000, DIN},
    {"iso2", "CurrentDemandReq", 25, 250, ISO2},
    {"iso2", "ServiceDetailReq", 4500, 5000, ISO2},
    {"iso2", "PaymentDetailsReq", 4500, 5000, ISO2},
    {"iso2", "PowerDeliveryReq", 4500, 5000, ISO2},
    {"iso2", "CertificateInstallationReq", 4500, 5000, ISO2},
    {"iso2", "CertificateUpdateReq", 4500, 5000, ISO2},
    {"iso2", NULL, 1500, 2000, ISO2},
    {"iso20-ac", "AC_ChargeLoopReq", 250, 500, AC},
    {"iso20-dc", "DC_ChargeLoopReq", 250, 500, DC},
    {"iso20-dc", "DC_CableCheckReq", 1500, 2000, DC},
    {"iso20-dc", "DC_PreChargeReq", 1500, 2000, DC},
    {"iso20-dc", "DC_WeldingDetectionReq", 1500, 2000, DC},
    {"iso20-wpt", "WPT_ChargeLoopReq", 250, 500, WPT},
    {"iso20-wpt", "WPT_FinePositioningSetupReq", 1500, 2000, WPT},
    {"iso20-wpt", "WPT_FinePositioningReq", 1500, 2000, WPT},
    {"iso20-wpt", "WPT_PairingReq", 1500, 2000, WPT},
    {"iso20-wpt", "WPT_AlignmentCheckReq", 1500, 2000, WPT},
};

int v2g_timing_of(const char *proto, const char *req, v2g_timing *out)
{
    if (!proto || !req)
        return 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const timing_row *r = &rows[i];
        if (strcmp(r->proto, proto) || (r->msg && strcmp(r->msg, req)))
            continue;
        out->perf_ms = r->perf_ms;
        out->timeout_ms = r->timeout_ms;
        out->table = r->table;
        return 1;
    }
    return 0;
}
