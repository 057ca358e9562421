/* CHAdeMO (src/chademo, src/sim/cdm_car.c): the frame codecs on a Nissan Leaf ZE1's frames, their bounds, and the
 * charger's sequence against the simulated car with an ideal supply: the order of d1, lock, d2, current, and
 * the stop on the car's end, its fault flags, a lost CAN stream, an incompatible battery and an insulation
 * monitor's result (valid: no fixed test duration; a fault in the test or while charging: a safe stop). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/chademo.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/sim/chademo_car.h"

/* Frames of a Leaf ZE1 charging at a CHAdeMO charger (hwthomas/ccs-chademo src/utils/ZE1-chademo-charging.log). */
static cdm_frame frame(uint32_t id, const uint8_t d[8])
{
    cdm_frame f = { .id = id, .len = 8 };
    memcpy(f.data, d, 8);
    return f;
}
static const uint8_t leaf_100[8] = { 0x06, 0x00, 0x00, 0x00, 0xB3, 0x01, 0xFF, 0x00 };
static const uint8_t leaf_101[8] = { 0x00, 0xE4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
static const uint8_t leaf_102[8] = { 0x02, 0x9A, 0x01, 0x73, 0x00, 0x81, 0x8F, 0x00 };
static const uint8_t qc_108[8] = { 0x00, 0xF4, 0x01, 0x87, 0xB3, 0x01, 0x00, 0x00 };
static const uint8_t qc_109[8] = { 0x01, 0x7B, 0x01, 0x64, 0x01, 0x05, 0xD7, 0x24 };

static void test_leaf_frames_decode(void **state)
{
    (void)state;
    cdm_frame f = frame(0x100, leaf_100);
    cdm_ev_limits l;
    assert_int_equal(cdm_decode_ev_limits(&f, &l), 0);
    assert_int_equal(l.min_a, 6);
    assert_int_equal(l.max_v, 0x01B3);   /* 435 V */
    assert_int_equal(l.rate_pct, 255);
    f = frame(0x101, leaf_101);
    cdm_ev_time t;
    assert_int_equal(cdm_decode_ev_time(&f, &t), 0);
    assert_int_equal(t.max_time_10s, 0xE4);
    f = frame(0x102, leaf_102);
    cdm_ev_status s;
    assert_int_equal(cdm_decode_ev_status(&f, &s), 0);
    assert_int_equal(s.protocol, 2);
    assert_int_equal(s.target_v, 0x019A);   /* 410 V */
    assert_int_equal(s.request_a, 0x73);    /* 115 A */
    assert_int_equal(s.faults, 0);
    assert_true(s.status & CDM_EV_CHARGE_ENABLED);
    assert_false(s.status & CDM_EV_CONTACTOR_OPEN);   /* charging: its contactors closed */
    assert_int_equal(s.soc, 0x8F);
    f = frame(0x108, qc_108);
    cdm_evse_limits el;
    assert_int_equal(cdm_decode_evse_limits(&f, &el), 0);
    assert_int_equal(el.avail_v, 500);
    assert_int_equal(el.avail_a, 0x87);
    assert_int_equal(el.threshold_v, 435);   /* the car's maximum */
    f = frame(0x109, qc_109);
    cdm_evse_status es;
    assert_int_equal(cdm_decode_evse_status(&f, &es), 0);
    assert_int_equal(es.present_v, 0x017B);
    assert_int_equal(es.present_a, 100);
    assert_int_equal(es.status, CDM_EVSE_CHARGING | CDM_EVSE_LOCKED);
    assert_int_equal(es.remain_min, 0x24);
}

/* Decoding a frame and encoding what came out gives the same 8 bytes. */
#define ROUND_TRIP(type, dec, enc, ident, bytes)                                                                      \
    do {                                                                                                           \
        cdm_frame f_ = frame(ident, bytes), g_;                                                                    \
        type v_;                                                                                                   \
        assert_int_equal(dec(&f_, &v_), 0);                                                                        \
        enc(&v_, &g_);                                                                                             \
        assert_int_equal(g_.id, ident);                                                                            \
        assert_memory_equal(f_.data, g_.data, 8);                                                                  \
    } while (0)

static void test_frames_round_trip(void **state)
{
    (void)state;
    uint8_t qc_109_defined[8];
    memcpy(qc_109_defined, qc_109, 8);
    qc_109_defined[4] = 0;   /* byte 4 of 0x109 is in no layout: encoded as 0 */
    ROUND_TRIP(cdm_ev_limits, cdm_decode_ev_limits, cdm_encode_ev_limits, 0x100, leaf_100);
    ROUND_TRIP(cdm_ev_time, cdm_decode_ev_time, cdm_encode_ev_time, 0x101, leaf_101);
    ROUND_TRIP(cdm_ev_status, cdm_decode_ev_status, cdm_encode_ev_status, 0x102, leaf_102);
    ROUND_TRIP(cdm_evse_limits, cdm_decode_evse_limits, cdm_encode_evse_limits, 0x108, qc_108);
    ROUND_TRIP(cdm_evse_status, cdm_decode_evse_status, cdm_encode_evse_status, 0x109, qc_109_defined);
}

static void test_frames_bounds(void **state)
{
    (void)state;
    cdm_frame f = frame(0x102, leaf_102);
    cdm_ev_status s;
    cdm_ev_limits l;
    f.len = 7;
    assert_int_equal(cdm_decode_ev_status(&f, &s), CCS_ETRUNC);
    f.len = 8;
    assert_int_equal(cdm_decode_ev_limits(&f, &l), CCS_EPROTO);
    assert_int_equal(cdm_decode_ev_status(NULL, &s), CCS_EINVAL);
    uint8_t d1, d2, k;
    float v;
    cdm_encode_sim_evse(1, 0, &f);
    assert_int_equal(cdm_decode_sim_evse(&f, &d1, &d2), 0);
    assert_true(d1 && !d2);
    cdm_encode_sim_ev(1, 70000.0f, &f);   /* clamped, not wrapped */
    assert_int_equal(cdm_decode_sim_ev(&f, &k, &v), 0);
    assert_true(k && v == 65535.0f);
}

/* ---- the sequence: charger and simulated car, an ideal supply (the current follows the target at once) ---- */

#define STEP 10u

typedef struct {
    cdm_charger ch;
    cdm_car car;
    uint32_t now;
    float current;
    int cut;                      /* the bus delivers nothing */
    int no_supply;                /* the supply never delivers */
    cdm_frame to_car[8], to_ch[8];
    int n_to_car, n_to_ch;
    /* marks: first time seen */
    uint32_t t_d1, t_can, t_lock, t_d2, t_current, t_stop, t_d2_off, t_car_open, t_unlock;
    float max_current;
    float current_at_d2_off;
    uint8_t status_sent;          /* every 0x109 status byte sent, or-ed */
} rig;

static void rig_init(rig *r, const cdm_car_config *cc)
{
    cdm_charger_config c;
    memset(r, 0, sizeof *r);
    cdm_charger_config_default(&c);
    cdm_charger_init(&r->ch, &c);
    cdm_car_init(&r->car, cc);
    r->ch.in.plugged = 1;
}

static void mark(uint32_t *t, int cond, uint32_t now)
{
    if (cond && !*t) *t = now;
}

static void rig_step(rig *r)
{
    r->now += STEP;
    for (int i = 0; i < r->n_to_ch && !r->cut; i++) {
        cdm_charger_rx(&r->ch, &r->to_ch[i], r->now);
        if (r->to_ch[i].id == CDM_ID_SIM_EV_WIRES) cdm_decode_sim_ev(&r->to_ch[i], &r->ch.in.k, &r->ch.in.inlet_v);
        mark(&r->t_can, r->to_ch[i].id == CDM_ID_EV_STATUS, r->now);
    }
    for (int i = 0; i < r->n_to_car && !r->cut; i++) cdm_car_rx(&r->car, &r->to_car[i], r->now);
    r->n_to_car = r->n_to_ch = 0;
    /* the ideal supply: 20 A/step toward the target while on, else down */
    float target = r->ch.out.output_on && !r->no_supply ? r->ch.out.target_a : 0.0f;
    r->current += target > r->current ? (target - r->current > 20 ? 20 : target - r->current)
                                      : -(r->current - target > 20 ? 20 : r->current - target);
    if (!r->car.contactors) r->current = 0;
    r->ch.in.present_a = r->current;
    r->ch.in.present_v = r->car.contactors ? cdm_car_inlet_v(&r->car, r->current) : 0;
    int had_d2 = r->ch.out.d2;
    cdm_charger_step(&r->ch, r->now);
    if (had_d2 && !r->ch.out.d2) {
        mark(&r->t_d2_off, 1, r->now);
        r->current_at_d2_off = r->current;
    }
    memcpy(r->to_car, r->ch.tx, r->ch.ntx * sizeof(cdm_frame));
    for (int i = 0; i < r->ch.ntx; i++)
        if (r->ch.tx[i].id == CDM_ID_EVSE_STATUS) r->status_sent |= r->ch.tx[i].data[5];
    r->n_to_car = r->ch.ntx;
    cdm_encode_sim_evse(r->ch.out.d1, r->ch.out.d2, &r->to_car[r->n_to_car++]);
    int car_closed = r->car.contactors;
    cdm_car_step(&r->car, r->current, STEP, r->now);
    memcpy(r->to_ch, r->car.tx, r->car.ntx * sizeof(cdm_frame));
    r->n_to_ch = r->car.ntx;
    mark(&r->t_d1, r->ch.out.d1, r->now);
    mark(&r->t_lock, r->ch.out.lock, r->now);
    mark(&r->t_d2, r->ch.out.d2, r->now);
    mark(&r->t_current, r->current > 1, r->now);
    mark(&r->t_stop, r->ch.state >= CDM_STOPPING, r->now);
    mark(&r->t_car_open, car_closed && !r->car.contactors, r->now);
    mark(&r->t_unlock, r->t_lock && !r->ch.out.lock, r->now);
    if (r->current > r->max_current) r->max_current = r->current;
}

static void rig_run(rig *r, uint32_t limit)
{
    while (r->ch.state != CDM_DONE && r->now < limit) rig_step(r);
}

static void small_leaf(cdm_car_config *c)
{
    cdm_car_config_leaf(c);
    c->battery.capacity_wh = 2000.0f;   /* 20 % -> 80 % in about 4 minutes at 115 A */
}

static void test_sequence_whole_charge(void **state)
{
    (void)state;
    static rig r;
    cdm_car_config cc;
    small_leaf(&cc);
    rig_init(&r, &cc);
    rig_run(&r, 1800000);
    assert_int_equal(r.ch.state, CDM_DONE);
    assert_int_equal(r.ch.stop, CDM_STOP_CAR_STOP);
    assert_true(r.car.bat.soc >= cc.battery.target_soc);
    /* d1, then the car's CAN, then the lock, then d2, then current; d2 off below 5 A, then the car's contactors
     * open, then unlock */
    assert_true(r.t_d1 && r.t_d1 < r.t_can);
    assert_true(r.t_can < r.t_lock && r.t_lock < r.t_d2 && r.t_d2 < r.t_current);
    assert_true(r.max_current > 100.0f && r.max_current <= cc.max_a);
    assert_true(r.t_stop > r.t_current && r.t_d2_off >= r.t_stop);
    assert_true(r.current_at_d2_off < CDM_BREAK_A);
    assert_true(r.t_car_open >= r.t_stop && r.t_unlock > r.t_car_open);
    assert_false(r.ch.forced_open);
    assert_int_equal(r.ch.flags, 0);
}

/* A small Leaf charging at 100 A or more. */
static rig *charging(void)
{
    static rig r;
    cdm_car_config cc;
    small_leaf(&cc);
    rig_init(&r, &cc);
    while (r.current < 100.0f && r.now < 60000) rig_step(&r);
    assert_true(r.current >= 100.0f);
    return &r;
}

/* A car fault flag: 0 A asked in the step its 0x102 arrives, the stop flag in 0x109, d2 off below 5 A. */
static void test_sequence_car_fault(void **state)
{
    (void)state;
    rig *r = charging();
    r->car.inject_faults = CDM_EV_FAULT_HIGH_TEMPERATURE;
    while (!(r->n_to_ch && r->to_ch[2].data[4])) rig_step(r);   /* the car sends the flag */
    rig_step(r);                                               /* the charger gets it */
    assert_int_equal(r->ch.stop, CDM_STOP_CAR_FAULT);
    assert_true(r->ch.out.target_a == 0.0f && !r->ch.out.output_on);
    rig_run(r, r->now + 30000);
    assert_int_equal(r->ch.state, CDM_DONE);
    assert_true(r->current_at_d2_off < CDM_BREAK_A);
    assert_false(r->ch.forced_open);
}

/* The CAN stream lost while charging: stopped after CDM_CAN_TIMEOUT_MS with the system-fault flag. */
static void test_sequence_can_lost(void **state)
{
    (void)state;
    rig *r = charging();
    uint32_t cut_at = r->now;
    r->cut = 1;
    while (r->ch.state == CDM_CHARGING) rig_step(r);
    assert_int_equal(r->ch.stop, CDM_STOP_CAN_LOST);
    /* the last 0x102 came at most one cycle before the cut */
    assert_true(r->now - cut_at > CDM_CAN_TIMEOUT_MS - CDM_CAN_CYCLE_MS && r->now - cut_at <= CDM_CAN_TIMEOUT_MS + CDM_CAN_CYCLE_MS);
    assert_true(r->ch.flags & CDM_EVSE_SYSTEM_FAULT);
    assert_true(r->ch.out.target_a == 0.0f);
}

/* The supply never delivers (the CCS side never came): after supply_wait_ms the stop with the station-malfunction
 * flag, and the sequence ends (d2 off, the car's contactors open, unlocked). */
static void test_sequence_no_supply(void **state)
{
    (void)state;
    static rig r;
    cdm_car_config cc;
    small_leaf(&cc);
    rig_init(&r, &cc);
    r.no_supply = 1;
    rig_run(&r, 120000);
    assert_int_equal(r.ch.stop, CDM_STOP_TIMEOUT);
    assert_true(r.ch.flags & CDM_EVSE_MALFUNCTION);
    assert_true(r.t_d2 && r.t_stop - r.t_d2 >= r.ch.cfg.supply_wait_ms);
    assert_int_equal(r.ch.state, CDM_DONE);
    assert_false(r.car.contactors);
    assert_false(r.ch.out.lock || r.ch.out.d1);
}

/* A battery above the output's voltage: the incompatibility flag, never d2, never current. */
static void test_sequence_incompatible(void **state)
{
    (void)state;
    static rig r;
    cdm_car_config cc;
    small_leaf(&cc);
    cc.max_v = 600;
    rig_init(&r, &cc);
    rig_run(&r, 60000);
    assert_int_equal(r.ch.stop, CDM_STOP_INCOMPATIBLE);
    assert_true(r.ch.flags & CDM_EVSE_INCOMPATIBLE);
    assert_int_equal(r.t_d2, 0);
    assert_int_equal(r.t_current, 0);
    assert_int_equal(r.ch.state, CDM_DONE);
}

/* An insulation monitor that reports valid: the test ends at once instead of lasting insulation_ms. */
static void test_insulation_monitor_valid(void **state)
{
    (void)state;
    static rig r;
    cdm_car_config cc;
    small_leaf(&cc);
    rig_init(&r, &cc);
    r.ch.in.insulation = HW_ISO_VALID;
    while (!r.t_d2 && r.now < 60000) rig_step(&r);
    assert_true(r.t_lock && r.t_d2);
    assert_true(r.t_d2 - r.t_lock < r.ch.cfg.insulation_ms);   /* without the monitor: at least insulation_ms */
}

/* The monitor reports a fault during the test: FaultStationMalfunction, never d2, never current, the sequence
 * ends (unlocked, d1 off). */
static void test_insulation_monitor_fault(void **state)
{
    (void)state;
    static rig r;
    cdm_car_config cc;
    small_leaf(&cc);
    rig_init(&r, &cc);
    while (r.ch.state != CDM_INSULATION && r.now < 60000) rig_step(&r);
    assert_true(r.ch.out.lock);
    r.ch.in.insulation = HW_ISO_FAULT;
    rig_run(&r, 60000);
    assert_int_equal(r.ch.stop, CDM_STOP_INSULATION);
    assert_true(r.ch.flags & CDM_EVSE_MALFUNCTION);
    assert_true(r.status_sent & CDM_EVSE_MALFUNCTION);   /* the car was told, even with the end in one step */
    assert_int_equal(r.t_d2, 0);
    assert_int_equal(r.t_current, 0);
    assert_int_equal(r.ch.state, CDM_DONE);
    assert_false(r.ch.out.lock || r.ch.out.d1);
}

/* The monitor's fault while charging: 0 A in that very step, the flag, d2 off below 5 A, then unlock. */
static void test_insulation_monitor_fault_charging(void **state)
{
    (void)state;
    rig *r = charging();
    r->ch.in.insulation = HW_ISO_FAULT;
    rig_step(r);
    assert_int_equal(r->ch.stop, CDM_STOP_INSULATION);
    assert_true(r->ch.out.target_a == 0.0f && !r->ch.out.output_on);
    assert_true(r->ch.flags & CDM_EVSE_MALFUNCTION);
    rig_run(r, r->now + 30000);
    assert_int_equal(r->ch.state, CDM_DONE);
    assert_true(r->current_at_d2_off < CDM_BREAK_A);
    assert_true(r->t_unlock > r->t_d2_off);
    assert_false(r->ch.forced_open);
}

/* The bridge's wires: k and the connector's voltage from the simulation frame 0x7F1 alone, from the hardware
 * layer where a backend measures them (the frame then ignored for them), its insulation monitor into the
 * sequence; d1/d2/lock into the hardware command, and no 0x7F0 once they are wires. */
static void test_bridge_wires_from_hardware(void **state)
{
    (void)state;
    static cdm_bridge b;
    cdm_charger_config cc;
    cdm_frame f, tx[CDM_BRIDGE_TX];
    hw_meas m = { .link_ok = 1 };
    cdm_charger_config_default(&cc);
    cdm_bridge_init(&b, &cc);
    b.ch.in.plugged = 1;
    cdm_encode_sim_ev(1, 380.0f, &f);
    assert_int_equal(cdm_bridge_rx(&b, &f, 0), 0);
    cdm_bridge_step(&b, NULL, NULL, 10);
    assert_true(b.ch.in.k == 1 && b.ch.in.inlet_v == 380.0f);   /* the frame: no hardware */
    unsigned n = cdm_bridge_tx(&b, tx);
    assert_true(n == 1 && tx[0].id == CDM_ID_SIM_EVSE_WIRES);     /* d1 as the simulation frame */
    b.hw = &m;
    cdm_bridge_step(&b, NULL, NULL, 20);
    assert_true(b.ch.in.k == 1 && b.ch.in.inlet_v == 380.0f);   /* the backend measures neither */
    assert_int_equal(b.ch.in.insulation, HW_ISO_UNKNOWN);
    m.has_cdm_k = 1, m.cdm_k = 0, m.has_cdm_v = 1, m.cdm_v = 2.0f, m.isolation = HW_ISO_FAULT;
    cdm_bridge_rx(&b, &f, 25);                                   /* the frame still says k and 380 V */
    cdm_bridge_step(&b, NULL, NULL, 30);
    assert_true(b.ch.in.k == 0 && b.ch.in.inlet_v == 2.0f);
    assert_int_equal(b.ch.in.insulation, HW_ISO_FAULT);
    hw_cmd cmd = { 0 };
    cdm_bridge_want(&b, &cmd);
    assert_true(cmd.cdm_d1 == b.ch.out.d1 && cmd.cdm_d1 == 1 && !cmd.cdm_d2 && !cmd.cdm_lock);
    b.wired_outputs = 1;
    assert_int_equal(cdm_bridge_tx(&b, tx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leaf_frames_decode), cmocka_unit_test(test_frames_round_trip),
        cmocka_unit_test(test_frames_bounds), cmocka_unit_test(test_sequence_whole_charge),
        cmocka_unit_test(test_sequence_car_fault), cmocka_unit_test(test_sequence_can_lost),
        cmocka_unit_test(test_sequence_incompatible), cmocka_unit_test(test_sequence_no_supply),
        cmocka_unit_test(test_insulation_monitor_valid), cmocka_unit_test(test_insulation_monitor_fault),
        cmocka_unit_test(test_insulation_monitor_fault_charging), cmocka_unit_test(test_bridge_wires_from_hardware),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
