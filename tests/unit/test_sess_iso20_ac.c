/* ISO 15118-20 AC sessions (EIM, no TLS), charger and car in-process on a virtual clock with the AC plant: whole
 * three-phase and single-phase charges against the battery model in the Dynamic and the Scheduled control mode
 * (the limits of AC_ChargeParameterDiscovery, the AC_ChargeLoop's target power as the on-board charger's current
 * limit, the energy metered on the AC side), every message of both sides valid EXI of its payload type's codec,
 * a car of other phases or a BPT request refused, Pause and resume. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "iso20_bpt_world.h"
#include "sess_checks.h"

static sw_world W;
static struct sess_iso20_doc D;

static int done(const sw_world *w) { return sw_both_ended(w); }

static const char *const sequence[] = {
    "supportedAppProtocolReq", "supportedAppProtocolRes", "SessionSetupReq", "SessionSetupRes",
    "AuthorizationSetupReq", "AuthorizationSetupRes", "AuthorizationReq", "AuthorizationRes", "ServiceDiscoveryReq",
    "ServiceDiscoveryRes", "ServiceDetailReq", "ServiceDetailRes", "ServiceSelectionReq", "ServiceSelectionRes",
    "AC_ChargeParameterDiscoveryReq", "AC_ChargeParameterDiscoveryRes", "ScheduleExchangeReq", "ScheduleExchangeRes",
    "PowerDeliveryReq", "PowerDeliveryRes", "AC_ChargeLoopReq", "AC_ChargeLoopRes", "PowerDeliveryReq",
    "PowerDeliveryRes", "SessionStopReq", "SessionStopRes", NULL,
};

static void assert_sequence(unsigned from)
{
    unsigned k = 0, n = 0;
    while (sequence[n]) n++;
    for (unsigned i = from; i < W.nlog; i++) {
        if (k > 0 && !strcmp(W.log[i], sequence[k - 1])) continue;   /* repeated request ... */
        if (k > 1 && !strcmp(W.log[i], sequence[k - 2])) continue;   /* ... and its response */
        if (k >= n || strcmp(W.log[i], sequence[k]))
            fail_msg("message %u: %s, expected %s", i, W.log[i], k < n ? sequence[k] : "end");
        k++;
        if (k == n) break;
    }
    assert_int_equal(k, n);
}

/* What went over the wire: every message decoded (by payload type), AC messages counted, the peak target power
 * of the charger and the control mode of the loop. */
typedef struct {
    unsigned messages, ac, bad;
    float target_w;
    int control;
    uint8_t drop_dynamic;   /* rewrite ServiceDetailRes: only the Scheduled parameter sets */
} seen;

static int watch(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)dir;
    seen *s = w->hook_ctx;
    int msg = bw_watch_msg(w, buf, *len, &D, &s->bad);
    if (msg < 0) return 1;
    s->messages++;
    s->ac += D.payload_type == V2GTP_ISO20_AC;
    if (msg == ISO20_AC(AC_ChargeLoopRes)) {
        const struct iso20_ac_AC_ChargeLoopResType *r = &D.ac.AC_ChargeLoopRes;
        s->control = r->CLResControlMode_choice;
        float t = sess_pv_value(r->Dynamic_AC_CLResControlMode.EVSETargetActivePower.Exponent,
                                r->Dynamic_AC_CLResControlMode.EVSETargetActivePower.Value);
        if (r->CLResControlMode_choice == iso20_ac_AC_ChargeLoopResType_Scheduled_AC_CLResControlMode)
            t = sess_pv_value(r->Scheduled_AC_CLResControlMode.EVSETargetActivePower.Exponent,
                              r->Scheduled_AC_CLResControlMode.EVSETargetActivePower.Value);
        if (t > s->target_w) s->target_w = t;
    }
    if (s->drop_dynamic && msg == ISO20_ROOT_ServiceDetailRes)
        assert_int_equal(aw_keep_sets(&D, "ControlMode", ISO20_CONTROL_SCHEDULED, buf, len), 0);
    return 1;
}

static void short_charge(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)e, (void)p, (void)c;
    b->target_soc = 22.0f;   /* 200 Wh: minutes, and the message log holds the whole session */
}

/* A whole AC charge: the car's maximum power (its 16 A per phase at 230 V) is the charger's limit (32 A), the
 * current per phase never above it and reaching it; metered AC energy x OBC efficiency = stored + battery losses;
 * the SoC at the target within what one loop round trip adds. */
static void whole_charge(int phases, int scheduled)
{
    seen s = { .drop_dynamic = (uint8_t)scheduled };
    aw_setup(&W, phases, short_charge);
    W.hook = watch;
    W.hook_ctx = &s;
    sw_connect(&W);
    float peak = sc_ac_run(&W);
    assert_ptr_equal(W.evse.proto, &sess_proto_iso20_ac);
    assert_sequence(0);
    sc_plant_safe(&W.plant, 1);
    assert_int_equal(s.bad, 0);
    assert_true(s.ac >= 4);
    assert_int_equal(s.control, scheduled ? iso20_ac_AC_ChargeLoopResType_Scheduled_AC_CLResControlMode
                                          : iso20_ac_AC_ChargeLoopResType_Dynamic_AC_CLResControlMode);
    assert_int_equal(W.pev.dynamic, !scheduled);
    assert_true(W.evse.ac);
    assert_int_equal(W.evse.ac_phases, phases);
    float ev_max_a = W.pev.cfg.ac_max_a;
    assert_float_equal(W.evse.ev_max_a, ev_max_a, 0.05f);   /* EVMaximumChargePower / (230 V x phases) */
    assert_float_equal(s.target_w, ev_max_a * 230.0f * (float)phases, 0.5f);
    assert_true(peak <= ev_max_a + 0.001f && peak > ev_max_a - 0.5f);
    const phys_battery *b = &W.plant.battery;
    double lag_soc = 100.0 * phases * 230.0 * ev_max_a * (SESS_PEV_REPEAT_MS + 3 * SW_STEP_MS) / 3600000.0 /
                     b->cfg.capacity_wh;
    assert_true(b->soc >= 22.0 && b->soc <= 22.0 + lag_soc);
    sc_ac_energy(&W.plant, phases == 1 ? "iso20-ac single-phase" : "iso20-ac three-phase", W.now);
}

static void test_three_phase_dynamic(void **state) { (void)state; whole_charge(3, 0); }
static void test_single_phase_dynamic(void **state) { (void)state; whole_charge(1, 0); }
static void test_three_phase_scheduled(void **state) { (void)state; whole_charge(3, 1); }
static void test_single_phase_scheduled(void **state) { (void)state; whole_charge(1, 1); }

/* A charger whose nominal voltage is above what the on-board charger takes (ServiceDetail's EVSENominalVoltage):
 * the car refuses at AC_ChargeParameterDiscovery, nothing switched on. */
static void high_voltage(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)p, (void)c, (void)b;
    e->ac_nominal_v = 480.0f;
}

static void test_nominal_voltage_too_high(void **state)
{
    (void)state;
    aw_setup(&W, 3, high_voltage);
    sw_connect(&W);
    assert_true(sw_run(&W, 5 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_EVSE_LIMITS);
    assert_float_equal(W.pev.evse_max_v, 480.0f, 0.01f);
    assert_string_equal(W.log[W.nlog - 1], "AC_ChargeParameterDiscoveryRes");
    assert_false(W.evse.out.output_on);
    sc_plant_safe(&W.plant, 1);
}

/* The car asks for BPT in AC_ChargeParameterDiscoveryReq: FAILED_WrongChargeParameter, both sides safe. */
static int bpt_request(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)w;
    if (dir == SW_TO_EVSE && aw_msg_of(buf, *len, &D) == ISO20_AC(AC_ChargeParameterDiscoveryReq)) {
        D.ac.AC_ChargeParameterDiscoveryReq.AC_CPDReqEnergyTransferMode_choice =
            iso20_ac_AC_ChargeParameterDiscoveryReqType_BPT_AC_CPDReqEnergyTransferMode;
        assert_int_equal(aw_encode(&D, buf, len), 0);
    }
    if (dir == SW_TO_PEV && aw_msg_of(buf, *len, &D) == ISO20_AC(AC_ChargeParameterDiscoveryRes))
        assert_int_equal(D.ac.AC_ChargeParameterDiscoveryRes.ResponseCode,
                         iso20_ac_responseCodeType_FAILED_WrongChargeParameter);
    return 1;
}

static void test_bpt_refused(void **state)
{
    (void)state;
    aw_setup(&W, 3, NULL);
    W.hook = bpt_request;
    sw_connect(&W);
    assert_true(sw_run(&W, 5 * 60 * 1000, done));
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    assert_string_equal(W.log[W.nlog - 1], "AC_ChargeParameterDiscoveryRes");
    sc_plant_safe(&W.plant, 1);
}

/* The car asks for its phases only: a single-phase car never selects a three-phase set, and a charger answering
 * ServiceDetail with no set of the car's phases is refused (FAILED stop, no selection sent). */
static int three_phase_only(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)w;
    if (dir == SW_TO_PEV && aw_msg_of(buf, *len, &D) == ISO20_ROOT_ServiceDetailRes) {
        uint16_t all = D.common.ServiceDetailRes.ServiceParameterList.ParameterSet.count;
        assert_int_equal(aw_keep_sets(&D, "Connector", ISO20_AC_THREE_PHASE, buf, len), 0);
        uint16_t k = D.common.ServiceDetailRes.ServiceParameterList.ParameterSet.count;
        assert_true(k > 0 && k < all);
    }
    return 1;
}

/* A single-phase car behind hook: stopped without selecting a service ("nothing usable offered": the response
 * itself was OK), nothing switched on. */
static void single_phase_refuses(sw_hook hook)
{
    aw_setup(&W, 1, NULL);
    W.hook = hook;
    sw_connect(&W);
    assert_true(sw_run(&W, 5 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_NO_OFFER);
    assert_string_equal(sess_stop_name(W.pev.stop), "nothing usable offered");
    assert_int_equal(sw_count(&W, "ServiceSelectionReq"), 0);
    sc_plant_safe(&W.plant, 1);
}

static void test_phases_not_offered(void **state)
{
    (void)state;
    single_phase_refuses(three_phase_only);
}

/* A charger writing three-phase as Connector 3 (EVerest's libiso15118, docs/interop.md), its only sets: the
 * three-phase car selects one and charges; a single-phase car does not take them. */
static int connector_3(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)w;
    if (dir == SW_TO_PEV && aw_msg_of(buf, *len, &D) == ISO20_ROOT_ServiceDetailRes) {
        struct iso20_ServiceParameterListType *l = &D.common.ServiceDetailRes.ServiceParameterList;
        assert_int_equal(aw_keep_sets(&D, "Connector", ISO20_AC_THREE_PHASE, buf, len), 0);
        unsigned n = 0;
        for (uint16_t i = 0; i < l->ParameterSet.count; i++)
            for (uint16_t j = 0; j < l->ParameterSet.array[i].Parameter.count; j++) {
                struct iso20_ParameterType *x = &l->ParameterSet.array[i].Parameter.array[j];
                if (x->Name.len == 9 && !memcmp(x->Name.chars, "Connector", 9) && x->intValue == ISO20_AC_THREE_PHASE) {
                    x->intValue = 3;
                    n++;
                }
            }
        assert_true(n > 0 && n == l->ParameterSet.count);
        assert_int_equal(aw_encode(&D, buf, len), 0);
    }
    return 1;
}

static void test_connector_3(void **state)
{
    (void)state;
    aw_setup(&W, 3, short_charge);
    W.hook = connector_3;
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.evse.ac_phases, 3);
    assert_true(W.plant.battery.soc >= 22.0);
    single_phase_refuses(connector_3);
}

/* Pause while charging: SessionStop(Pause) after PowerDelivery(Stop), both "paused", nothing opened under load;
 * the car comes back with the same SessionID (OK_OldSessionJoined) and charges to the target. */
static void test_pause_resume(void **state)
{
    (void)state;
    aw_setup(&W, 3, short_charge);
    sw_connect(&W);
    while (W.plant.charger.i < 10.0f) {
        assert_true(W.now < 5 * 60 * 1000);
        sw_step(&W);
    }
    W.pev.in.pause_request = 1;
    assert_true(sw_run(&W, W.now + 60 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_PAUSED);
    assert_int_equal(W.pev.stop, SESS_STOP_PAUSED);
    sc_plant_safe(&W.plant, 1);
    uint8_t sid[SESS_SESSION_ID_MAX];
    memcpy(sid, W.evse.session_id, sizeof sid);
    unsigned from = W.nlog;
    W.pev.in.pause_request = 0;
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 60 * 60 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_memory_equal(W.evse.session_id, sid, W.evse.session_id_len);
    assert_sequence(from);
    assert_true(W.plant.battery.soc >= 22.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_phase_dynamic),   cmocka_unit_test(test_single_phase_dynamic),
        cmocka_unit_test(test_three_phase_scheduled), cmocka_unit_test(test_single_phase_scheduled),
        cmocka_unit_test(test_nominal_voltage_too_high), cmocka_unit_test(test_bpt_refused),
        cmocka_unit_test(test_phases_not_offered),    cmocka_unit_test(test_pause_resume),
        cmocka_unit_test(test_connector_3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
