/* ISO 15118-20 DC and AC in-process: service renegotiation. Asked for by the charger (EVSENotification
 * ServiceRenegotiation, honoured within NotificationMaxDelay) or started by the car (in.service_request, here with
 * another control mode or the bidirectional service wanted; or once at a configured SoC): PowerDelivery Stop, (DC) DC_WeldingDetection, SessionStop
 * ServiceRenegotiation, then ServiceDiscovery .. PowerDelivery Start again in the same session, the car's contactors
 * open in between (DC: CableCheck and PreCharge again), charging again and a normal end at the target; a charger
 * without it: the notice never sent, the car's wish ignored, and a car that asks anyway refused
 * (FAILED_NoServiceRenegotiationSupported), both safe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "iso20_ac_world.h"
#include "sess_checks.h"

#define EV_MAX 8192

static sw_world W;
static struct sess_iso20_doc D;

/* What went over the wire: each message's id (the pseudo ids of PowerDeliveryReq and SessionStopReq), the
 * notification of a charge-loop response (-1: none), and the car's contactor and the charger's current as the
 * message went. */
typedef struct {
    uint32_t at;
    int dir, msg, notice;
    uint8_t pev_closed;
    float charger_a;
} event;

static struct {
    event ev[EV_MAX];
    unsigned n;
    uint8_t claim;          /* say ServiceRenegotiationSupported in ServiceDiscoveryRes whatever the charger's */
    int stop_code;          /* the SessionStopRes's ResponseCode (-1: none) */
    unsigned setups;        /* SessionSetupReqs */
    uint16_t set_ids[4];    /* the ParameterSetID of each ServiceSelectionReq */
    uint16_t service_ids[4];/* ... and its ServiceID */
    unsigned selections;
} S;

static int is_ac;

static int loop_req(void) { return is_ac ? ISO20_AC(AC_ChargeLoopReq) : ISO20_DC(DC_ChargeLoopReq); }
static int loop_res(void) { return is_ac ? ISO20_AC(AC_ChargeLoopRes) : ISO20_DC(DC_ChargeLoopRes); }

/* The notification of a charge-loop response (the EVSEStatus types of both codecs have the same fields). */
static int notice_of(int msg)
{
    if (msg == ISO20_DC(DC_ChargeLoopRes) && D.dc.DC_ChargeLoopRes.has_EVSEStatus)
        return (int)D.dc.DC_ChargeLoopRes.EVSEStatus.EVSENotification;
    if (msg == ISO20_AC(AC_ChargeLoopRes) && D.ac.AC_ChargeLoopRes.has_EVSEStatus)
        return (int)D.ac.AC_ChargeLoopRes.EVSEStatus.EVSENotification;
    return -1;
}

static int watch(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    int msg = aw_msg_of(buf, *len, &D);
    if (msg < 0) return 1;   /* SupportedAppProtocol */
    S.ev[S.n < EV_MAX ? S.n++ : EV_MAX - 1] = (event){ .at = w->now, .dir = dir, .msg = msg, .notice = notice_of(msg),
                                                        .pev_closed = w->plant.pev_contactor.closed,
                                                        .charger_a = w->plant.charger.i };
    if (msg == ISO20_ROOT_ServiceDiscoveryRes && S.claim) {
        D.common.ServiceDiscoveryRes.ServiceRenegotiationSupported = true;
        assert_int_equal(aw_encode(&D, buf, len), 0);
    }
    if (msg == ISO20_ROOT_SessionStopRes) S.stop_code = D.common.SessionStopRes.ResponseCode;
    if (msg == ISO20_ROOT_SessionSetupReq) S.setups++;
    if (msg == ISO20_ROOT_ServiceSelectionReq && S.selections < 4) {
        S.set_ids[S.selections] = D.common.ServiceSelectionReq.SelectedEnergyTransferService.ParameterSetID;
        S.service_ids[S.selections++] = D.common.ServiceSelectionReq.SelectedEnergyTransferService.ServiceID;
    }
    return 1;
}

static void setup_mode(int ac, aw_tweak tweak)
{
    memset(&S, 0, sizeof S);
    S.stop_code = -1;
    is_ac = ac;
    aw_setup(&W, 3, tweak ? tweak : ac ? NULL : aw_dc_car);
    W.hook = watch;
    sw_connect(&W);
}

static int done(const sw_world *w) { return sw_both_ended(w); }
static int flowing(const sw_world *w) { return w->plant.charger.i > 5.0f; }

/* The car's requests from event i on, repeats of a request collapsed, up to n of them. */
static unsigned requests_after(unsigned i, int *out, unsigned n)
{
    unsigned k = 0;
    for (; i < S.n && k < n; i++)
        if (S.ev[i].dir == SW_TO_EVSE && (!k || out[k - 1] != S.ev[i].msg)) out[k++] = S.ev[i].msg;
    return k;
}

/* The first event from `from` on with message msg (and notification n unless -2), or -1. */
static int find(unsigned from, int msg, int n)
{
    for (unsigned i = from; i < S.n; i++)
        if (S.ev[i].msg == msg && (n == -2 || S.ev[i].notice == n)) return (int)i;
    return -1;
}

/* From event `from` (the last charge-loop request before the renegotiation at the latest): the loop left with
 * PowerDelivery Stop, (DC) WeldingDetection, SessionStop ServiceRenegotiation answered OK, the services and the
 * charge set up again (DC: CableCheck, PreCharge) and the loop again; the car's contactor open and no current from
 * SessionStop to PreCharge (AC: to PowerDelivery Start); the same session (one SessionSetup), charged to the target,
 * a normal end, the plant safe. */
static void assert_renegotiated(unsigned from)
{
    static const int dc[] = { ISO20_MSG_POWER_DELIVERY_STOP, ISO20_DC(DC_WeldingDetectionReq),
                              ISO20_MSG_SESSION_STOP_RENEGOTIATE, ISO20_ROOT_ServiceDiscoveryReq,
                              ISO20_ROOT_ServiceDetailReq, ISO20_ROOT_ServiceSelectionReq,
                              ISO20_DC(DC_ChargeParameterDiscoveryReq), ISO20_ROOT_ScheduleExchangeReq,
                              ISO20_DC(DC_CableCheckReq), ISO20_DC(DC_PreChargeReq), ISO20_ROOT_PowerDeliveryReq,
                              ISO20_DC(DC_ChargeLoopReq) };
    static const int ac[] = { ISO20_MSG_POWER_DELIVERY_STOP, ISO20_MSG_SESSION_STOP_RENEGOTIATE,
                              ISO20_ROOT_ServiceDiscoveryReq, ISO20_ROOT_ServiceDetailReq,
                              ISO20_ROOT_ServiceSelectionReq, ISO20_AC(AC_ChargeParameterDiscoveryReq),
                              ISO20_ROOT_ScheduleExchangeReq, ISO20_ROOT_PowerDeliveryReq, ISO20_AC(AC_ChargeLoopReq) };
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
    const int *want = is_ac ? ac : dc;
    unsigned nwant = is_ac ? sizeof ac / sizeof ac[0] : sizeof dc / sizeof dc[0];
    int got[16];
    while (from < S.n && !(S.ev[from].dir == SW_TO_EVSE && S.ev[from].msg != loop_req())) from++;
    assert_int_equal(requests_after(from, got, nwant), nwant);
    assert_memory_equal(got, want, nwant * sizeof want[0]);
    assert_int_equal(S.stop_code, iso20_responseCodeType_OK);
    int stop = find(from, ISO20_MSG_SESSION_STOP_RENEGOTIATE, -2);
    int closing = find((unsigned)stop, is_ac ? ISO20_ROOT_PowerDeliveryReq : ISO20_DC(DC_PreChargeReq), -2);
    assert_true(stop >= 0 && closing > stop);
    for (int i = stop; i <= closing; i++) {
        assert_false(S.ev[i].pev_closed);
        assert_true(S.ev[i].charger_a < 0.5f);
    }
    assert_int_equal(S.setups, 1);
    assert_int_equal(S.selections, 2);
    assert_true(find((unsigned)closing, loop_res(), -2) > 0);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_true(phys_battery_full(&W.plant.battery));
    sc_plant_safe(&W.plant, 1);
}

/* The charger's ServiceRenegotiation while charging: our NotificationMaxDelay with it, the car's next request
 * PowerDelivery Stop within it; the notice cleared once the car's SessionStop came; the same services again. */
static void charger_asks(int ac)
{
    setup_mode(ac, NULL);
    assert_true(sw_run(&W, 5 * 60 * 1000, flowing));
    W.evse.in.notice = SESS_NOTICE_SERVICE_RENEGOTIATION;
    assert_renegotiated(S.n);
    int i = find(0, loop_res(), iso20_evseNotificationType_ServiceRenegotiation);
    assert_true(i >= 0);
    int next = find((unsigned)i + 1, ISO20_MSG_POWER_DELIVERY_STOP, -2);
    assert_true(next > i);
    for (int k = i + 1; k < next; k++) assert_false(S.ev[k].dir == SW_TO_EVSE);   /* the very next request */
    assert_true(S.ev[next].at - S.ev[i].at <= W.evse.cfg.notice_delay_s * 1000u);
    assert_int_equal(W.evse.in.notice, SESS_NOTICE_NONE);
    assert_int_equal(S.set_ids[1], S.set_ids[0]);
}

static void test_charger_asks_dc(void **state) { (void)state; charger_asks(0); }
static void test_charger_asks_ac(void **state) { (void)state; charger_asks(1); }

/* The car's own renegotiation, wanting the Scheduled control mode now: no notification, its wish cleared by the
 * engine, the Scheduled parameter set (2; Dynamic was 1) selected the second time. */
static void car_asks(int ac)
{
    setup_mode(ac, NULL);
    assert_true(sw_run(&W, 5 * 60 * 1000, flowing));
    unsigned from = S.n;
    W.pev.cfg.control_mode = SESS_CONTROL_SCHEDULED;
    W.pev.in.service_request = 1;
    assert_renegotiated(from);
    assert_int_equal(W.pev.in.service_request, 0);
    assert_int_equal(find(0, loop_res(), iso20_evseNotificationType_ServiceRenegotiation), -1);
    assert_int_equal(S.set_ids[0], 1);
    assert_int_equal(S.set_ids[1], 2);
}

static void test_car_asks_dc(void **state) { (void)state; car_asks(0); }
static void test_car_asks_ac(void **state) { (void)state; car_asks(1); }

/* The car configured to renegotiate at a SoC (cfg.renegotiate_soc: 1 % above the start): once, when the battery
 * reports it, not again; then to the target. */
static void test_car_at_soc(void **state)
{
    (void)state;
    setup_mode(0, NULL);
    W.pev.cfg.renegotiate_soc = (uint8_t)(W.plant.battery.soc + 1.0);
    unsigned reached = 0;
    while (!reached && W.now < 30 * 60 * 1000) {
        sw_step(&W);
        if (W.pev.in.soc >= W.pev.cfg.renegotiate_soc) reached = S.n;
    }
    assert_true(reached > 0);
    assert_int_equal(find(0, ISO20_MSG_SESSION_STOP_RENEGOTIATE, -2), -1);   /* not before */
    assert_renegotiated(reached);
    int first = find(0, ISO20_MSG_SESSION_STOP_RENEGOTIATE, -2);
    assert_int_equal(find((unsigned)first + 1, ISO20_MSG_SESSION_STOP_RENEGOTIATE, -2), -1);   /* once */
    assert_true(W.pev.renegotiated);
}

/* A charger that discharges (DC_BPT offered); the car only charges at first (DC, service 2), then wants to go
 * down to 19 % first: it renegotiates into DC_BPT (service 6), discharges, charges back to the target. */
static void bpt_charger(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    aw_dc_car(e, p, c, b);
    e->discharge_max_a = c->discharge_max_a;
    e->discharge_max_w = c->discharge_max_w;
}

static void test_car_into_bpt(void **state)
{
    (void)state;
    setup_mode(0, bpt_charger);
    assert_true(sw_run(&W, 5 * 60 * 1000, flowing));
    unsigned from = S.n;
    W.pev.cfg.discharge_soc = (uint8_t)(W.pev.in.soc - 1);
    W.pev.in.service_request = 1;
    assert_renegotiated(from);
    assert_int_equal(S.service_ids[0], ISO20_SERVICE_DC);
    assert_int_equal(S.service_ids[1], ISO20_SERVICE_DC_BPT);
    assert_true(W.plant.charger.returned_wh > 0.0);
}

/* A charger without service renegotiation (cfg.service_renegotiation 0): ServiceRenegotiationSupported false, its
 * ServiceRenegotiation notice never sent, the car's wish ignored: a normal charge to the target. */
static void no_support(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    if (!is_ac) aw_dc_car(e, p, c, b);
    e->service_renegotiation = 0;
}

static void unsupported(int ac)
{
    setup_mode(ac, no_support);
    assert_true(sw_run(&W, 5 * 60 * 1000, flowing));
    W.evse.in.notice = SESS_NOTICE_SERVICE_RENEGOTIATION;
    W.pev.in.service_request = 1;
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
    assert_int_equal(find(0, loop_res(), iso20_evseNotificationType_ServiceRenegotiation), -1);
    assert_int_equal(find(0, ISO20_MSG_SESSION_STOP_RENEGOTIATE, -2), -1);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_true(phys_battery_full(&W.plant.battery));
    sc_plant_safe(&W.plant, 1);
}

static void test_unsupported_dc(void **state) { (void)state; unsupported(0); }
static void test_unsupported_ac(void **state) { (void)state; unsupported(1); }

/* The same charger, a car told otherwise (ServiceRenegotiationSupported rewritten to true) asking: SessionStop
 * ServiceRenegotiation answered FAILED_NoServiceRenegotiationSupported, both sides safe, nothing opened under load. */
static void refused(int ac)
{
    setup_mode(ac, no_support);
    S.claim = 1;
    assert_true(sw_run(&W, 5 * 60 * 1000, flowing));
    W.pev.in.service_request = 1;
    assert_true(sw_run(&W, W.now + 60 * 1000, done));
    assert_true(find(0, ISO20_MSG_SESSION_STOP_RENEGOTIATE, -2) >= 0);
    assert_int_equal(S.stop_code, iso20_responseCodeType_FAILED_NoServiceRenegotiationSupported);
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.pev.phase, SESS_SAFE);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    sc_plant_safe(&W.plant, 1);
}

static void test_refused_dc(void **state) { (void)state; refused(0); }
static void test_refused_ac(void **state) { (void)state; refused(1); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charger_asks_dc), cmocka_unit_test(test_charger_asks_ac),
        cmocka_unit_test(test_car_asks_dc),     cmocka_unit_test(test_car_asks_ac),
        cmocka_unit_test(test_car_into_bpt),    cmocka_unit_test(test_car_at_soc),
        cmocka_unit_test(test_unsupported_dc),
        cmocka_unit_test(test_unsupported_ac),  cmocka_unit_test(test_refused_dc),
        cmocka_unit_test(test_refused_ac),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
