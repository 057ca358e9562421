/* ISO 15118-20 DC and DC_BPT fault injection (pyPLC's manual fault list, automated; the matrix in sess_faults.h): the
 * charger answers FAILED, FAILED_SequenceError, the stop notification (EVSEStatus Terminate, in the responses
 * that carry an EVSEStatus: PowerDeliveryRes, DC_ChargeLoopRes) or nothing at each stage from SessionSetup to
 * DC_WeldingDetection -> the car's stop reason, when (at once / exactly the request's V2G_EVCC_Msg_Timeout: 2 s,
 * 0.5 s in the charge loop), then the plant safe; the car silent or dropping TCP at each stage -> the charger
 * safe after V2G_SECC_Sequence_Timeout (60 s, 0.5 s in the charge loop) / at once. Tampered responses are
 * re-encoded with the codec of their payload type (0x8002 common, 0x8004 DC). A second mode has the car renegotiate
 * its schedule and then go into Standby: the same faults at PowerDelivery ScheduleRenegotiation, the second
 * ScheduleExchange and PowerDelivery Start, PowerDelivery Standby and the charge loop in Standby; a third offers
 * and selects a value-added service and confirms the meter: the faults at the VAS's ServiceDetail, the
 * ServiceSelection with it and the first MeteringConfirmation; a fourth has the car renegotiate its services: the
 * faults from its PowerDelivery(Stop) through SessionStop ServiceRenegotiation to the second charge loop. ISO-20
 * has no EVSE
 * status code: no emergency or malfunction cases. Virtual clock; the safe state itself is asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sess_faults.h"
#include "v2g/iso20_internal.h"

#define MSG SESS_EVCC_MSG_TIMEOUT_MS
#define SEQ SESS_SECC_SEQUENCE_TIMEOUT_MS
#define LOOP_MSG SESS_ISO20_MSG_TIMEOUT_CHARGE_LOOP_MS
#define LOOP_SEQ SESS_ISO20_SEQUENCE_TIMEOUT_CHARGE_LOOP_MS
/* DC_BPT: the car discharges to 19 % first (the loop's 5th cycle discharging); NOTICE: the car renegotiates, then
 * goes into Standby; SERVICES: the Internet service offered and selected, the meter confirmed every 2 s; RENEG: the
 * car renegotiates its services at its first DC_ChargeLoopRes */
enum { DC = 1, BPT = 2, NOTICE = 4, SERVICES = 8, RENEG = 16 };

/* The stages in order (Table 215 / 217 timeouts). The charge loop is hit at its 5th cycle, current flowing;
 * PowerDelivery(Stop) follows a DC_ChargeLoopRes, so the charger waits 0.5 s for it; a stop notification in its
 * response asks for what is already under way (no case). */
static const sf_stage stages[] = {
    { ISO20_ROOT_SessionSetupReq, 0, MSG, SEQ, 1, DC | BPT },
    { ISO20_ROOT_AuthorizationSetupReq, 0, MSG, SEQ, 1, DC | BPT },
    { ISO20_ROOT_AuthorizationReq, 0, MSG, SEQ, 1, DC | BPT },
    { ISO20_ROOT_ServiceDiscoveryReq, 0, MSG, SEQ, 1, DC | BPT },
    { ISO20_ROOT_ServiceDetailReq, 0, MSG, SEQ, 1, DC | BPT },
    { ISO20_ROOT_ServiceSelectionReq, 0, MSG, SEQ, 1, DC | BPT },
    { ISO20_DC(DC_ChargeParameterDiscoveryReq), 0, MSG, SEQ, 1, DC | BPT },
    { ISO20_ROOT_ScheduleExchangeReq, 0, MSG, SEQ, 1, DC | BPT },
    { ISO20_DC(DC_CableCheckReq), 0, MSG, SEQ, 1, DC | BPT },
    { ISO20_DC(DC_PreChargeReq), 0, MSG, SEQ, 1, DC | BPT },
    { ISO20_ROOT_PowerDeliveryReq, 1, MSG, SEQ, 1, DC | BPT },
    { ISO20_DC(DC_ChargeLoopReq), 1, LOOP_MSG, LOOP_SEQ, 5, DC | BPT },
    { ISO20_MSG_POWER_DELIVERY_STOP, 0, MSG, LOOP_SEQ, 1, DC | BPT },
    { ISO20_DC(DC_WeldingDetectionReq), 0, MSG, SEQ, 1, DC | BPT },
    /* NOTICE: the car renegotiating after its first DC_ChargeLoopRes, then in Standby (iso20_notice_pev.c): the
     * charger waits 0.5 s for PowerDelivery after a loop response, 60 s for the ScheduleExchange; a Terminate in
     * PowerDeliveryRes(Start) is the DC mode's case; the loop's 5th cycle is in Standby. */
    { ISO20_MSG_POWER_DELIVERY_RENEGOTIATE, 1, MSG, LOOP_SEQ, 1, NOTICE },
    { ISO20_ROOT_ScheduleExchangeReq, 0, MSG, SEQ, 2, NOTICE },
    { ISO20_ROOT_PowerDeliveryReq, 0, MSG, SEQ, 2, NOTICE },
    { ISO20_MSG_POWER_DELIVERY_STANDBY, 1, MSG, LOOP_SEQ, 1, NOTICE },
    { ISO20_DC(DC_ChargeLoopReq), 1, LOOP_MSG, LOOP_SEQ, 5, NOTICE },
    /* SERVICES: the Internet service's ServiceDetail (the second), the selection with it, the first
     * MeteringConfirmation (asked for in a DC_ChargeLoopRes: the charger waits 0.5 s for it). */
    { ISO20_ROOT_ServiceDetailReq, 0, MSG, SEQ, 2, SERVICES },
    { ISO20_ROOT_ServiceSelectionReq, 0, MSG, SEQ, 1, SERVICES },
    { ISO20_ROOT_MeteringConfirmationReq, 0, MSG, LOOP_SEQ, 1, SERVICES },
    /* RENEG: PowerDelivery(Stop) after the first DC_ChargeLoopRes, DC_WeldingDetection, SessionStop
     * ServiceRenegotiation, then the second ServiceDiscovery, CableCheck, PreCharge, PowerDelivery(Start) (a
     * Terminate in its response is the DC mode's case); the loop's 5th cycle is in the second charge loop. */
    { ISO20_MSG_POWER_DELIVERY_STOP, 0, MSG, LOOP_SEQ, 1, RENEG },
    { ISO20_DC(DC_WeldingDetectionReq), 0, MSG, SEQ, 1, RENEG },
    { ISO20_MSG_SESSION_STOP_RENEGOTIATE, 0, MSG, SEQ, 1, RENEG },
    { ISO20_ROOT_ServiceDiscoveryReq, 0, MSG, SEQ, 2, RENEG },
    { ISO20_DC(DC_CableCheckReq), 0, MSG, SEQ, 2, RENEG },
    { ISO20_DC(DC_PreChargeReq), 0, MSG, SEQ, 2, RENEG },
    { ISO20_ROOT_PowerDeliveryReq, 0, MSG, SEQ, 2, RENEG },
    { ISO20_DC(DC_ChargeLoopReq), 1, LOOP_MSG, LOOP_SEQ, 5, RENEG },
};

static struct sess_iso20_doc D;   /* the message msg_of decoded last */

/* Decoded with the codec its payload type names (supportedAppProtocol: none, -1). */
static int msg_of(const uint8_t *buf, size_t len)
{
    v2gtp_msg m;
    if (v2gtp_parse(buf, len, SESS_TX_CAP, &m) != 0 ||
        iso20_glue_decode_typed(m.payload_type, m.payload, m.payload_len, &D, NULL) != 0)
        return -1;
    return iso20_msg_of(&D);
}

/* The response code (both codecs: right after the Header), or the stop notification. */
static void tamper(sf_fault f, uint8_t *buf, size_t *len)
{
    if (f == SF_FAILED || f == SF_SEQUENCE) {
        iso20_set_code(&D, f == SF_FAILED ? SESS_RC_FAILED : SESS_RC_SEQUENCE);
        assert_int_equal(iso20_get_code(&D), f == SF_FAILED ? iso20_responseCodeType_FAILED
                                                            : iso20_responseCodeType_FAILED_SequenceError);
    } else if (f == SF_SHUTDOWN && iso20_msg_of(&D) == ISO20_ROOT_PowerDeliveryRes) {
        D.common.PowerDeliveryRes.has_EVSEStatus = true;
        D.common.PowerDeliveryRes.EVSEStatus.EVSENotification = iso20_evseNotificationType_Terminate;
    } else if (f == SF_SHUTDOWN && iso20_msg_of(&D) == ISO20_DC(DC_ChargeLoopRes)) {
        D.dc.DC_ChargeLoopRes.has_EVSEStatus = true;
        D.dc.DC_ChargeLoopRes.EVSEStatus.EVSENotification = iso20_dc_evseNotificationType_Terminate;
    } else {
        fail_msg("fault %d in %s", (int)f, iso20_msg_name(iso20_msg_of(&D)));
    }
    size_t n;
    assert_int_equal(iso20_glue_encode(&D, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN, &n), 0);
    assert_int_equal(v2gtp_pack_header(iso20_payload_type(&D), (uint32_t)n, buf, SESS_TX_CAP), 0);
    *len = n + V2GTP_HEADER_LEN;
}

/* sess_world's defaults with ISO-20 on both sides; NOTICE: the car asks for a new schedule and Standby. */
static void setup(sw_world *w, int mode)
{
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    e.protos[e.nprotos++] = &sess_proto_iso20;
    p.protos[0] = &sess_proto_iso20;
    if (mode == BPT) {
        e.discharge_max_a = c.discharge_max_a;
        e.discharge_max_w = c.discharge_max_w;
        p.discharge_soc = 19;
    }
    if (mode == SERVICES) {
        e.vas = p.vas = SESS_VAS_INTERNET;
        e.receipt_interval_ms = 2000;
    }
    sw_init(w, &e, &p, &c, &b);
    w->pev.in.renegotiate_request = w->pev.in.standby_request = mode == NOTICE;
    w->pev.in.service_request = mode == RENEG;
}

static const char *const modes[] = { [DC] = "DC", [BPT] = "DC_BPT", [NOTICE] = "DC renegotiating, in Standby",
                                     [SERVICES] = "DC with a VAS, metering confirmed",
                                     [RENEG] = "DC renegotiating its services" };
static const sf_proto P = {
    .stages = stages, .nstages = sizeof stages / sizeof stages[0], .modes = DC | BPT | NOTICE | SERVICES | RENEG,
    .mode_names = modes,
    .setup = setup, .msg_of = msg_of, .tamper = tamper, .msg_name = iso20_msg_name,
};
#define NSTAGES (sizeof stages / sizeof stages[0])

/* The (stage, mode) pairs: all, or those whose response carries a status. */
static unsigned cases(int status_only)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NSTAGES; i++)
        if (!status_only || stages[i].has_status)
            for (int m = DC; m <= RENEG; m <<= 1) n += (stages[i].modes & m) != 0;
    return n;
}

/* Every stage for the codes, silence and the car's faults; the stop notification where a status is. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        SF_CASES_NO_STATUS_CODES(&P, cases(0), cases(1)),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
