/* ISO 15118-20 AC and AC_BPT fault injection (the matrix in sess_faults.h, as ISO-20 DC's): the charger answers FAILED,
 * FAILED_SequenceError, the stop notification (EVSEStatus Terminate, in PowerDeliveryRes and AC_ChargeLoopRes) or
 * nothing at each stage from SessionSetup to PowerDelivery(Stop), three- and single-phase -> the car's stop reason,
 * when (at once / exactly the request's V2G_EVCC_Msg_Timeout: 2 s, 0.5 s in the AC_ChargeLoop), the plant safe;
 * the car silent or dropping TCP at each stage -> the charger safe after V2G_SECC_Sequence_Timeout (60 s, 0.5 s in
 * the charge loop) / at once. Tampered responses are re-encoded with the codec of their payload type (0x8002
 * common, 0x8003 AC). Another mode has the car renegotiate its schedule and then go into Standby: the faults at
 * PowerDelivery ScheduleRenegotiation, the second ScheduleExchange and PowerDelivery Start, PowerDelivery Standby
 * and the loop in Standby; another offers and selects a value-added service and confirms the meter (the faults at
 * the VAS's ServiceDetail, the selection, the first MeteringConfirmation); another renegotiates its services (the
 * faults from its PowerDelivery(Stop) through SessionStop ServiceRenegotiation to the second charge loop). Virtual
 * clock; the safe state itself is asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "iso20_ac_world.h"
#include "sess_faults.h"

#define MSG SESS_EVCC_MSG_TIMEOUT_MS
#define SEQ SESS_SECC_SEQUENCE_TIMEOUT_MS
#define LOOP_MSG SESS_ISO20_MSG_TIMEOUT_CHARGE_LOOP_MS
#define LOOP_SEQ SESS_ISO20_SEQUENCE_TIMEOUT_CHARGE_LOOP_MS
/* BPT: AC_BPT three-phase, discharging to 19 % first; NOTICE: three-phase, the car renegotiating, in Standby;
 * SERVICES: three-phase, the Internet service offered and selected, the meter confirmed every 2 s; RENEG:
 * three-phase, the car renegotiating its services at its first AC_ChargeLoopRes */
enum { THREE = 1, SINGLE = 2, BPT = 4, NOTICE = 8, SERVICES = 16, RENEG = 32 };

/* The stages in order (Table 215 / 216 timeouts); the loop hit at its 5th cycle, current flowing. */
static const sf_stage stages[] = {
    { ISO20_ROOT_SessionSetupReq, 0, MSG, SEQ, 1, THREE | SINGLE | BPT },
    { ISO20_ROOT_AuthorizationSetupReq, 0, MSG, SEQ, 1, THREE | SINGLE | BPT },
    { ISO20_ROOT_AuthorizationReq, 0, MSG, SEQ, 1, THREE | SINGLE | BPT },
    { ISO20_ROOT_ServiceDiscoveryReq, 0, MSG, SEQ, 1, THREE | SINGLE | BPT },
    { ISO20_ROOT_ServiceDetailReq, 0, MSG, SEQ, 1, THREE | SINGLE | BPT },
    { ISO20_ROOT_ServiceSelectionReq, 0, MSG, SEQ, 1, THREE | SINGLE | BPT },
    { ISO20_AC(AC_ChargeParameterDiscoveryReq), 0, MSG, SEQ, 1, THREE | SINGLE | BPT },
    { ISO20_ROOT_ScheduleExchangeReq, 0, MSG, SEQ, 1, THREE | SINGLE | BPT },
    { ISO20_ROOT_PowerDeliveryReq, 1, MSG, SEQ, 1, THREE | SINGLE | BPT },
    { ISO20_AC(AC_ChargeLoopReq), 1, LOOP_MSG, LOOP_SEQ, 5, THREE | SINGLE | BPT },
    { ISO20_MSG_POWER_DELIVERY_STOP, 0, MSG, LOOP_SEQ, 1, THREE | SINGLE | BPT },
    /* NOTICE (three-phase): the car renegotiating after its first AC_ChargeLoopRes, then in Standby
     * (iso20_notice_pev.c); a Terminate in PowerDeliveryRes(Start) is the first modes' case; the loop's 5th cycle
     * is in Standby. */
    { ISO20_MSG_POWER_DELIVERY_RENEGOTIATE, 1, MSG, LOOP_SEQ, 1, NOTICE },
    { ISO20_ROOT_ScheduleExchangeReq, 0, MSG, SEQ, 2, NOTICE },
    { ISO20_ROOT_PowerDeliveryReq, 0, MSG, SEQ, 2, NOTICE },
    { ISO20_MSG_POWER_DELIVERY_STANDBY, 1, MSG, LOOP_SEQ, 1, NOTICE },
    { ISO20_AC(AC_ChargeLoopReq), 1, LOOP_MSG, LOOP_SEQ, 5, NOTICE },
    /* SERVICES: as ISO-20 DC's (test_sess_iso20_faults.c) */
    { ISO20_ROOT_ServiceDetailReq, 0, MSG, SEQ, 2, SERVICES },
    { ISO20_ROOT_ServiceSelectionReq, 0, MSG, SEQ, 1, SERVICES },
    { ISO20_ROOT_MeteringConfirmationReq, 0, MSG, LOOP_SEQ, 1, SERVICES },
    /* RENEG: PowerDelivery(Stop) after the first AC_ChargeLoopRes, SessionStop ServiceRenegotiation, the second
     * ServiceDiscovery, AC_ChargeParameterDiscovery and PowerDelivery(Start) (a Terminate in its response is the
     * first modes' case); the loop's 5th cycle in the second charge loop. */
    { ISO20_MSG_POWER_DELIVERY_STOP, 0, MSG, LOOP_SEQ, 1, RENEG },
    { ISO20_MSG_SESSION_STOP_RENEGOTIATE, 0, MSG, SEQ, 1, RENEG },
    { ISO20_ROOT_ServiceDiscoveryReq, 0, MSG, SEQ, 2, RENEG },
    { ISO20_AC(AC_ChargeParameterDiscoveryReq), 0, MSG, SEQ, 2, RENEG },
    { ISO20_ROOT_PowerDeliveryReq, 0, MSG, SEQ, 2, RENEG },
    { ISO20_AC(AC_ChargeLoopReq), 1, LOOP_MSG, LOOP_SEQ, 5, RENEG },
};
#define NSTAGES (sizeof stages / sizeof stages[0])

static struct sess_iso20_doc D;   /* the message msg_of decoded last */

static int msg_of(const uint8_t *buf, size_t len) { return aw_msg_of(buf, len, &D); }

/* The response code (every codec: right after the Header), or the Terminate notification. */
static void tamper(sf_fault f, uint8_t *buf, size_t *len)
{
    int msg = iso20ac_msg_of(&D);
    if (f == SF_FAILED || f == SF_SEQUENCE) {
        iso20ac_set_code(&D, f == SF_FAILED ? SESS_RC_FAILED : SESS_RC_SEQUENCE);
        assert_int_equal(iso20ac_get_code(&D), f == SF_FAILED ? iso20_responseCodeType_FAILED
                                                              : iso20_responseCodeType_FAILED_SequenceError);
    } else if (f == SF_SHUTDOWN && msg == ISO20_ROOT_PowerDeliveryRes) {
        D.common.PowerDeliveryRes.has_EVSEStatus = true;
        D.common.PowerDeliveryRes.EVSEStatus.EVSENotification = iso20_evseNotificationType_Terminate;
    } else if (f == SF_SHUTDOWN && msg == ISO20_AC(AC_ChargeLoopRes)) {
        D.ac.AC_ChargeLoopRes.has_EVSEStatus = true;
        D.ac.AC_ChargeLoopRes.EVSEStatus.EVSENotification = iso20_ac_evseNotificationType_Terminate;
    } else {
        fail_msg("fault %d in %s", (int)f, iso20ac_msg_name(msg));
    }
    assert_int_equal(aw_encode(&D, buf, len), 0);
}

/* 200 Wh: the whole charge (PowerDelivery(Stop) is a stage) within the matrix's 10 minutes, single-phase too. */
static void short_charge(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)e, (void)p, (void)c;
    b->target_soc = 22.0f;
}

static void bpt_charge(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    short_charge(e, p, c, b);
    e->discharge_max_a = c->discharge_max_a;
    e->discharge_max_w = c->discharge_max_w;
    p->discharge_soc = 19;
}

static void setup(sw_world *w, int mode)
{
    aw_setup(w, mode == SINGLE ? 1 : 3, mode == BPT ? bpt_charge : short_charge);
    w->pev.in.renegotiate_request = w->pev.in.standby_request = mode == NOTICE;
    w->pev.in.service_request = mode == RENEG;
    if (mode == SERVICES) {
        w->evse.cfg.vas = w->pev.cfg.vas = SESS_VAS_INTERNET;
        w->evse.cfg.receipt_interval_ms = 2000;
    }
}

static const char *const modes[] = { [THREE] = "three-phase", [SINGLE] = "single-phase", [BPT] = "AC_BPT",
                                     [NOTICE] = "three-phase renegotiating, in Standby",
                                     [SERVICES] = "three-phase with a VAS, metering confirmed",
                                     [RENEG] = "three-phase renegotiating its services" };
static const sf_proto P = {
    .stages = stages, .nstages = NSTAGES, .modes = THREE | SINGLE | BPT | NOTICE | SERVICES | RENEG,
    .mode_names = modes,
    .setup = setup, .msg_of = msg_of, .tamper = tamper, .msg_name = iso20ac_msg_name,
};

/* The cases: each stage once per mode it belongs to (status_only: the stages with a status). */
static unsigned cases(int status_only)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NSTAGES; i++)
        if (!status_only || stages[i].has_status)
            for (int m = THREE; m <= RENEG; m <<= 1) n += (stages[i].modes & m) != 0;
    return n;
}

/* Every stage in its modes for the codes, silence and the car's faults; the Terminate where a status is. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        SF_CASES_NO_STATUS_CODES(&P, cases(0), cases(1)),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
