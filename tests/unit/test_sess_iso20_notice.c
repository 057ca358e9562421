/* ISO 15118-20 DC and AC in-process: the charger's notifications honoured by our car within their
 * NotificationMaxDelay (Terminate -> PowerDelivery Stop, SessionStop Terminate; Pause -> PowerDelivery Stop,
 * SessionStop Pause, resumed; ScheduleRenegotiation -> ScheduleExchange again and back to the loop; ExitStandby ->
 * PowerDelivery Start), Standby and schedule renegotiation started by the car, and a car deaf to a notification
 * stopped by the charger when the delay has passed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "iso20_ac_world.h"
#include "sess_checks.h"

#define UNIX_T0 1796601600u   /* 2026-12-07 00:00:00 UTC: the platform's Unix time at now_ms 0 */
#define EV_MAX 8192
#define INJECT_AT 30u   /* 3 s into the loop: current flows (AC: the on-board charger's ramp) */

static sw_world W;
static struct sess_iso20_doc D;

/* What went over the wire: each message's id (PowerDelivery's ChargeProgress as its pseudo id), the notification
 * of a charger's response (-1: no EVSEStatus) and its NotificationMaxDelay; SessionStop's ChargingSession and the
 * SessionSetupRes codes. */
typedef struct {
    uint32_t at;
    int dir, msg, notice;
    uint16_t delay;
} event;

typedef struct {
    event ev[EV_MAX];
    unsigned n;
    int stop_how, setup[2], nsetup;
    uint8_t deaf;   /* take the EVSEStatus out of the charge-loop responses: a car that never sees a notification */
    uint8_t scheduled;   /* cut the ServiceDetailRes to the Scheduled parameter sets */
    int inject;          /* put this EVSENotification, NotificationMaxDelay 0, into the INJECT_AT-th charge-loop
                          * response (a charger that is not ours); -1: none */
    unsigned loop_res;   /* charge-loop responses so far */
    float inject_a;      /* the charger's current then */
    uint64_t pd_anchor, pd_stamp, se_anchor, se_stamp;   /* TimeAnchor and TimeStamp: PowerDeliveryReq(Start)'s
                                                          * EVPowerProfile, ScheduleExchangeRes's first tuple */
} seen;

static seen S;

static int is_ac;   /* the mode of the running test: ISO-20 AC, else DC */

/* The EVSEStatus of a response that has one (PowerDeliveryRes, DC_/AC_ChargeLoopRes); NULL: none of those. The
 * three EVSEStatus types have the same fields. */
static struct iso20_EVSEStatusType *status_of(struct sess_iso20_doc *d, int msg, bool **has)
{
    if (msg == ISO20_ROOT_PowerDeliveryRes) {
        *has = &d->common.PowerDeliveryRes.has_EVSEStatus;
        return &d->common.PowerDeliveryRes.EVSEStatus;
    }
    if (msg == ISO20_DC(DC_ChargeLoopRes)) {
        *has = &d->dc.DC_ChargeLoopRes.has_EVSEStatus;
        return (struct iso20_EVSEStatusType *)&d->dc.DC_ChargeLoopRes.EVSEStatus;
    }
    if (msg == ISO20_AC(AC_ChargeLoopRes)) {
        *has = &d->ac.AC_ChargeLoopRes.has_EVSEStatus;
        return (struct iso20_EVSEStatusType *)&d->ac.AC_ChargeLoopRes.EVSEStatus;
    }
    return NULL;
}

/* A MeterInfo with our charger's meter (its ID, its reading) put into a charge-loop response. */
#define PUT_METER(r, s)                                                                                        \
    do {                                                                                                       \
        (r)->has_MeterInfo = true;                                                                             \
        memcpy((r)->MeterInfo.MeterID.chars, (s)->cfg.evse_id, (s)->cfg.evse_id_len);                          \
        (r)->MeterInfo.MeterID.len = (s)->cfg.evse_id_len;                                                     \
        (r)->MeterInfo.ChargedEnergyReadingWh = (s)->in.meter_wh;                                              \
    } while (0)

static void d_meter(struct sess_iso20_doc *d, int msg, const sess_evse *s)
{
    if (msg == ISO20_DC(DC_ChargeLoopRes)) PUT_METER(&d->dc.DC_ChargeLoopRes, s);
    if (msg == ISO20_AC(AC_ChargeLoopRes)) PUT_METER(&d->ac.AC_ChargeLoopRes, s);
}

static int watch(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    int msg = aw_msg_of(buf, *len, &D);
    if (msg < 0) return 1;   /* SupportedAppProtocol */
    event *e = &S.ev[S.n < EV_MAX ? S.n++ : EV_MAX - 1];
    *e = (event){ .at = w->now, .dir = dir, .msg = msg, .notice = -1 };
    bool *has;
    struct iso20_EVSEStatusType *st = status_of(&D, msg, &has);
    if (st && msg != ISO20_ROOT_PowerDeliveryRes && ++S.loop_res == INJECT_AT && S.inject >= 0) {
        *has = true;
        st->EVSENotification = (enum iso20_evseNotificationType)S.inject;
        st->NotificationMaxDelay = 0;
        if (S.inject == iso20_evseNotificationType_MeteringConfirmation)   /* with the reading to confirm */
            d_meter(&D, msg, &w->evse);
        S.inject_a = w->plant.charger.i;
        assert_int_equal(aw_encode(&D, buf, len), 0);
    }
    if (st && *has) {
        e->notice = (int)st->EVSENotification;
        e->delay = st->NotificationMaxDelay;
        if (S.deaf && msg != ISO20_ROOT_PowerDeliveryRes) {
            *has = false;
            assert_int_equal(aw_encode(&D, buf, len), 0);
        }
    }
    if (msg == ISO20_ROOT_SessionStopReq) S.stop_how = D.common.SessionStopReq.ChargingSession;
    if (msg == ISO20_ROOT_PowerDeliveryReq && D.common.PowerDeliveryReq.has_EVPowerProfile) {
        S.pd_anchor = D.common.PowerDeliveryReq.EVPowerProfile.TimeAnchor;
        S.pd_stamp = D.common.PowerDeliveryReq.Header.TimeStamp;
    }
    const struct iso20_ScheduleExchangeResType *se = &D.common.ScheduleExchangeRes;
    if (msg == ISO20_ROOT_ScheduleExchangeRes && se->choice == iso20_ScheduleExchangeResType_Scheduled_SEResControlMode) {
        S.se_anchor = se->Scheduled_SEResControlMode.ScheduleTuple.array[0].ChargingSchedule.PowerSchedule.TimeAnchor;
        S.se_stamp = se->Header.TimeStamp;
    }
    if (S.scheduled && msg == ISO20_ROOT_ServiceDetailRes)
        assert_int_equal(aw_keep_sets(&D, "ControlMode", ISO20_CONTROL_SCHEDULED, buf, len), 0);
    if (msg == ISO20_ROOT_SessionSetupRes && S.nsetup < 2) S.setup[S.nsetup++] = D.common.SessionSetupRes.ResponseCode;
    return 1;
}

static void setup_mode(int ac)
{
    memset(&S, 0, sizeof S);
    S.inject = -1;
    is_ac = ac;
    aw_setup(&W, 3, ac ? NULL : aw_dc_car);
    W.evse.cfg.clock_unix_s = W.pev.cfg.clock_unix_s = UNIX_T0;
    W.hook = watch;
    sw_connect(&W);
}

static int done(const sw_world *w) { return sw_both_ended(w); }
static int flowing(const sw_world *w) { return w->plant.charger.i > 5.0f; }
static int still(const sw_world *w) { return w->plant.charger.i < 0.5f; }

static void run_for(uint32_t ms)
{
    for (uint32_t end = W.now + ms; (int32_t)(W.now - end) < 0;) sw_step(&W);
}

static int loop_res(void) { return is_ac ? ISO20_AC(AC_ChargeLoopRes) : ISO20_DC(DC_ChargeLoopRes); }
static int loop_req(void) { return is_ac ? ISO20_AC(AC_ChargeLoopReq) : ISO20_DC(DC_ChargeLoopReq); }

/* The first charge-loop response carrying notification n from event `from` on, or -1. */
static int first_notice(unsigned from, int n)
{
    for (unsigned i = from; i < S.n; i++)
        if (S.ev[i].dir == SW_TO_PEV && S.ev[i].msg == loop_res() && S.ev[i].notice == n) return (int)i;
    return -1;
}

/* The car's requests from event i on, their ids in order from the first that is not a charge-loop request (one
 * may have been under way), charge-loop repeats collapsed, up to n of them. */
static unsigned requests_after(unsigned i, int *out, unsigned n)
{
    unsigned k = 0;
    for (; i < S.n && k < n; i++) {
        if (S.ev[i].dir != SW_TO_EVSE) continue;
        if (S.ev[i].msg == loop_req() && (!k || out[k - 1] == S.ev[i].msg)) continue;
        out[k++] = S.ev[i].msg;
    }
    return k;
}

/* Notification n, set on the charger while charging: its first response with it carries our NotificationMaxDelay
 * and the car's next request is `reaction`, within that delay. Returns the index of that response. */
static unsigned honoured(int n, int reaction)
{
    int i = first_notice(0, n);
    assert_true(i >= 0);
    assert_int_equal(S.ev[i].delay, W.evse.cfg.notice_delay_s);
    for (unsigned k = (unsigned)i + 1; k < S.n; k++) {
        if (S.ev[k].dir != SW_TO_EVSE) continue;
        assert_int_equal(S.ev[k].msg, reaction);
        assert_true(S.ev[k].at - S.ev[i].at <= S.ev[i].delay * 1000u);
        return (unsigned)i;
    }
    fail_msg("no request after the notification");
    return 0;
}

static void charge_then(uint8_t notice)
{
    assert_true(sw_run(&W, 5 * 60 * 1000, flowing));
    W.evse.in.notice = notice;
}

/* Notification `notice` while charging: honoured (PowerDelivery Stop next, then (DC) WeldingDetection, SessionStop
 * `how`), the car's and the charger's stop reasons, the notice cleared, the plant safe. */
static void stopped(int ac, uint8_t notice, int n, int how, sess_stop_reason pev_stop, sess_stop_reason evse_stop)
{
    setup_mode(ac);
    charge_then(notice);
    assert_true(sw_run(&W, W.now + 30 * 1000, done));
    honoured(n, ISO20_MSG_POWER_DELIVERY_STOP);
    assert_int_equal(S.stop_how, how);
    assert_int_equal(W.pev.stop, pev_stop);
    assert_int_equal(W.evse.stop, evse_stop);
    assert_int_equal(W.evse.in.notice, SESS_NOTICE_NONE);
    sc_plant_safe(&W.plant, 1);
}

/* Terminate (a local stop of the charger's): SessionStop Terminate; the car's reason "EVSE shutdown", the
 * charger's a normal end, before the target. */
static void terminate(int ac)
{
    stopped(ac, SESS_NOTICE_TERMINATE, iso20_evseNotificationType_Terminate, iso20_chargingSessionType_Terminate,
            SESS_STOP_EVSE_SHUTDOWN, SESS_STOP_NORMAL);
    assert_true(W.plant.battery.soc < W.plant.battery.cfg.target_soc);
}

static void test_terminate_dc(void **state) { (void)state; terminate(0); }
static void test_terminate_ac(void **state) { (void)state; terminate(1); }

/* Pause: SessionStop Pause, both ended "paused"; the car's next connection resumes the session
 * (OK_OldSessionJoined) and charges to the target. */
static void pause_resume(int ac)
{
    stopped(ac, SESS_NOTICE_PAUSE, iso20_evseNotificationType_Pause, iso20_chargingSessionType_Pause, SESS_STOP_PAUSED,
            SESS_STOP_PAUSED);
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
    assert_int_equal(S.nsetup, 2);
    assert_int_equal(S.setup[1], iso20_responseCodeType_OK_OldSessionJoined);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_true(phys_battery_full(&W.plant.battery));
    sc_plant_safe(&W.plant, 1);
}

static void test_pause_dc(void **state) { (void)state; pause_resume(0); }
static void test_pause_ac(void **state) { (void)state; pause_resume(1); }

/* The renegotiation's requests: PowerDelivery ScheduleRenegotiation, ScheduleExchange, PowerDelivery Start, the
 * charge loop; the current flows again and the charge ends normally at the target. */
static void assert_renegotiated(unsigned from)
{
    int want[] = { ISO20_MSG_POWER_DELIVERY_RENEGOTIATE, ISO20_ROOT_ScheduleExchangeReq, ISO20_ROOT_PowerDeliveryReq,
                   loop_req() }, got[4];
    assert_int_equal(requests_after(from, got, 4), 4);
    assert_memory_equal(got, want, sizeof want);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_true(phys_battery_full(&W.plant.battery));
    sc_plant_safe(&W.plant, 1);
}

/* The charger's ScheduleRenegotiation. */
static void charger_renegotiates(int ac)
{
    setup_mode(ac);
    charge_then(SESS_NOTICE_RENEGOTIATE);
    run_for(3000);
    assert_true(flowing(&W));   /* honoured, charging again */
    unsigned i = honoured(iso20_evseNotificationType_ScheduleRenegotiation, ISO20_MSG_POWER_DELIVERY_RENEGOTIATE);
    assert_int_equal(W.evse.in.notice, SESS_NOTICE_NONE);
    assert_renegotiated(i);
}

static void test_charger_renegotiates_dc(void **state) { (void)state; charger_renegotiates(0); }
static void test_charger_renegotiates_ac(void **state) { (void)state; charger_renegotiates(1); }

/* The car's own renegotiation: the same requests, no notification; the request cleared by the engine. */
static void car_renegotiates(int ac)
{
    setup_mode(ac);
    assert_true(sw_run(&W, 5 * 60 * 1000, flowing));
    unsigned from = S.n;
    W.pev.in.renegotiate_request = 1;
    run_for(3000);
    assert_true(flowing(&W));
    assert_int_equal(W.pev.in.renegotiate_request, 0);
    assert_int_equal(first_notice(0, iso20_evseNotificationType_ScheduleRenegotiation), -1);
    assert_renegotiated(from);
}

static void test_car_renegotiates_dc(void **state) { (void)state; car_renegotiates(0); }
static void test_car_renegotiates_ac(void **state) { (void)state; car_renegotiates(1); }

/* The car asks for Standby: PowerDelivery Standby, then its charge loop without current; the contactors stay
 * closed, both sessions run. exit_by_charger: the charger's ExitStandby (the car's wish cleared by the engine),
 * else the car's own end of it; PowerDelivery Start next, current again, a normal end at the target. */
static void standby(int ac, int exit_by_charger)
{
    setup_mode(ac);
    assert_true(sw_run(&W, 5 * 60 * 1000, flowing));
    unsigned from = S.n;
    W.pev.in.standby_request = 1;
    assert_true(sw_run(&W, W.now + 5 * 1000, still));
    run_for(3000);   /* and stays so */
    int got[2], want[] = { ISO20_MSG_POWER_DELIVERY_STANDBY, loop_req() };
    assert_int_equal(requests_after(from, got, 2), 2);
    assert_memory_equal(got, want, sizeof want);
    assert_int_equal(W.evse.state, ISO20_EVSE_STANDBY);
    assert_int_equal(W.pev.state, ISO20_PEV_STANDBY);
    assert_int_equal(W.evse.phase, SESS_RUNNING);
    assert_true(W.plant.evse_contactor.closed && W.plant.pev_contactor.closed);
    assert_true(W.plant.charger.i < 0.5f);
    from = S.n;
    if (exit_by_charger) W.evse.in.notice = SESS_NOTICE_EXIT_STANDBY;
    else W.pev.in.standby_request = 0;
    run_for(3000);
    assert_true(flowing(&W));
    if (exit_by_charger) {
        int i = first_notice(from, iso20_evseNotificationType_ExitStandby);
        assert_true(i >= 0);
        honoured(iso20_evseNotificationType_ExitStandby, ISO20_ROOT_PowerDeliveryReq);
        assert_int_equal(W.evse.in.notice, SESS_NOTICE_NONE);
        assert_int_equal(W.pev.in.standby_request, 0);
    } else {
        assert_int_equal(first_notice(0, iso20_evseNotificationType_ExitStandby), -1);
    }
    int back[2], want_back[] = { ISO20_ROOT_PowerDeliveryReq, loop_req() };
    assert_int_equal(requests_after(from, back, 2), 2);
    assert_memory_equal(back, want_back, sizeof want_back);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_true(phys_battery_full(&W.plant.battery));
    sc_plant_safe(&W.plant, 1);
}

static void test_standby_exit_dc(void **state) { (void)state; standby(0, 1); }
static void test_standby_exit_ac(void **state) { (void)state; standby(1, 1); }
static void test_standby_car_dc(void **state) { (void)state; standby(0, 0); }
static void test_standby_car_ac(void **state) { (void)state; standby(1, 0); }

/* A car that never sees the notification (its EVSEStatus taken out) and charges on: NotificationMaxDelay after the
 * first response with it, the charger answers FAILED and goes safe (timer "NotificationMaxDelay"); the car stops
 * on the FAILED; nothing opened under load. */
static void deaf(int ac)
{
    setup_mode(ac);
    S.deaf = 1;
    charge_then(SESS_NOTICE_PAUSE);
    assert_true(sw_run(&W, W.now + 30 * 1000, done));
    int i = first_notice(0, iso20_evseNotificationType_Pause);
    assert_true(i >= 0);
    assert_int_equal(W.evse.stop, SESS_STOP_TIMEOUT);
    assert_string_equal(W.evse.timer, "NotificationMaxDelay");
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    unsigned last = 0;   /* the charger's last response: the FAILED one */
    for (unsigned k = 0; k < S.n; k++)
        if (S.ev[k].dir == SW_TO_PEV) last = k;
    uint32_t delay_ms = W.evse.cfg.notice_delay_s * 1000u;
    assert_true(S.ev[last].at - S.ev[i].at >= delay_ms);
    assert_true(S.ev[last].at - S.ev[i].at <= delay_ms + W.pev.cfg.repeat_ms + 4 * SW_STEP_MS);
    sc_plant_safe(&W.plant, 1);
}

static void test_deaf_dc(void **state) { (void)state; deaf(0); }

/* Our car alone, against a charger whose notifications we write (NotificationMaxDelay 0: at once) into a
 * charge-loop response while current flows: ScheduleRenegotiation, Pause, ServiceRenegotiation (PowerDelivery Stop,
 * then SessionStop ServiceRenegotiation, accepted by our charger, and charging again) and MeteringConfirmation (with
 * MeterInfo) are honoured with the next request, ExitStandby outside Standby leaves the loop going on. */
static void foreign(int ac)
{
    static const struct {
        int n, next;
    } cases[] = {
        { iso20_evseNotificationType_ScheduleRenegotiation, ISO20_MSG_POWER_DELIVERY_RENEGOTIATE },
        { iso20_evseNotificationType_Pause, ISO20_MSG_POWER_DELIVERY_STOP },
        { iso20_evseNotificationType_ExitStandby, -1 },
        { iso20_evseNotificationType_ServiceRenegotiation, ISO20_MSG_POWER_DELIVERY_STOP },
        { iso20_evseNotificationType_MeteringConfirmation, ISO20_ROOT_MeteringConfirmationReq },
    };
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        setup_mode(ac);
        S.inject = cases[k].n;
        for (uint32_t end = W.now + 5 * 60 * 1000; S.loop_res < INJECT_AT && W.now < end;) sw_step(&W);
        run_for(1000);
        int i = first_notice(0, cases[k].n);
        assert_true(i >= 0);
        assert_int_equal(S.ev[i].delay, 0);
        assert_true(S.inject_a > 5.0f);   /* while charging */
        int next = -1;
        for (unsigned j = (unsigned)i + 1; j < S.n && next < 0; j++)
            if (S.ev[j].dir == SW_TO_EVSE) next = S.ev[j].msg;
        assert_int_equal(next, cases[k].next >= 0 ? cases[k].next : loop_req());
        assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
        assert_int_equal(W.pev.stop, cases[k].n == iso20_evseNotificationType_Pause ? SESS_STOP_PAUSED : SESS_STOP_NORMAL);
        sc_plant_safe(&W.plant, 1);
    }
}

static void test_foreign_dc(void **state) { (void)state; foreign(0); }
static void test_foreign_ac(void **state) { (void)state; foreign(1); }

/* TimeStamp and the TimeAnchors in Unix time (the platform's clock_unix_s at now_ms 0 plus the engine's seconds):
 * a Scheduled session renegotiated once; the anchors of the car's EVPowerProfile and of the charger's schedule
 * equal the TimeStamp of their message, which is UNIX_T0 + the seconds since the start (the messages went out one
 * step before they were seen). */
static void anchors(int ac)
{
    setup_mode(ac);
    S.scheduled = 1;   /* before the first step: ServiceDetailRes is still to come */
    assert_true(sw_run(&W, 5 * 60 * 1000, flowing));
    run_for(61 * 1000);   /* past a minute: the second schedule is anchored 61 s or more after the first */
    uint64_t first = S.se_anchor;
    W.pev.in.renegotiate_request = 1;
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_false(W.pev.dynamic);
    assert_true(first >= UNIX_T0 && S.se_anchor >= first + 61);
    assert_true(S.se_anchor == S.se_stamp && S.pd_anchor == S.pd_stamp);
    for (unsigned i = S.n; i-- > 0;)
        if (S.ev[i].msg == ISO20_ROOT_ScheduleExchangeRes) {
            assert_true(S.se_stamp == UNIX_T0 + (S.ev[i].at - SW_STEP_MS) / 1000u);
            break;
        }
}

static void test_anchors_dc(void **state) { (void)state; anchors(0); }
static void test_anchors_ac(void **state) { (void)state; anchors(1); }
static void test_deaf_ac(void **state) { (void)state; deaf(1); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terminate_dc),       cmocka_unit_test(test_terminate_ac),
        cmocka_unit_test(test_pause_dc),           cmocka_unit_test(test_pause_ac),
        cmocka_unit_test(test_charger_renegotiates_dc), cmocka_unit_test(test_charger_renegotiates_ac),
        cmocka_unit_test(test_car_renegotiates_dc), cmocka_unit_test(test_car_renegotiates_ac),
        cmocka_unit_test(test_standby_exit_dc),    cmocka_unit_test(test_standby_exit_ac),
        cmocka_unit_test(test_standby_car_dc),     cmocka_unit_test(test_standby_car_ac),
        cmocka_unit_test(test_deaf_dc),            cmocka_unit_test(test_deaf_ac),
        cmocka_unit_test(test_anchors_dc),         cmocka_unit_test(test_anchors_ac),
        cmocka_unit_test(test_foreign_dc),         cmocka_unit_test(test_foreign_ac),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
