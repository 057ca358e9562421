/* The CCS->CHAdeMO adapter in one process (src/chademo/cdm_bridge.c, src/sim/cdm_bench.c): a CCS charger
 * session, the adapter's car session with its hardware stack (the plant, the CHAdeMO car as its battery) and the
 * simulated Leaf on an in-memory CAN bus, on a virtual clock. A whole charge; the car's current request at the CCS
 * charger within one CAN cycle; a CHAdeMO fault flag, a lost CAN stream and a CCS-side fault each stop both sides
 * safely. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/sim/chademo_bench.h"
#include "sess_world.h"

static sw_world w;
static cdm_bench b;

/* marks, virtual ms */
static uint8_t want_a;            /* latency test: the request to follow */
static uint32_t t_request, t_target;
static uint32_t t_cdm_stop, t_ccs_zero;
static float a_at_open;           /* the current when the adapter's contactors opened */
static int opened;

static void step(sw_world *ww)
{
    int closed = b.hw.sup.out.contactors;
    cdm_bench_chademo(&b, ww->now);
    cdm_bench_ccs(&b, ww->now, SW_STEP_MS);
    if (want_a && !t_request && b.car.ntx && b.car.request_a == want_a) t_request = ww->now;
    if (t_request && !t_target && ww->evse.ev_target_a == (float)want_a) t_target = ww->now;
    if (!t_cdm_stop && b.br.ch.state >= CDM_STOPPING) t_cdm_stop = ww->now;
    if (t_cdm_stop && !t_ccs_zero && b.hw.sup.out.target_a == 0.0f && !b.hw.sup.out.output_on) t_ccs_zero = ww->now;
    if (closed && !b.hw.sup.out.contactors && !opened) {
        opened = 1;
        a_at_open = b.hw.meas.present_a;
    }
}

static void world(uint8_t full_soc)
{
    sess_evse_config ec;
    sess_pev_config pc;
    phys_charger_config cc;
    phys_battery_config bc;
    cdm_charger_config chc;
    cdm_car_config car;
    sw_default_configs(&ec, &pc, &cc, &bc);
    cdm_charger_config_default(&chc);
    cdm_car_config_leaf(&car);
    car.battery.capacity_wh = 4000.0f;   /* 20 % -> target in a few minutes */
    car.battery.target_soc = full_soc;
    pc.capacity_wh = car.battery.capacity_wh;
    sw_init(&w, &ec, &pc, &cc, &bc);
    cdm_bench_init(&b, &chc, &car, &w.plant, &w.evse, &w.pev);
    w.plant_step = step;
    want_a = 0;
    t_request = t_target = t_cdm_stop = t_ccs_zero = 0;
    opened = 0;
    a_at_open = 0;
}

/* The CHAdeMO side first, up to the car's contactors closed (its voltage known: the PreCharge target), then CCS. */
static void plug_in(void)
{
    while (!cdm_bench_ready(&b) && w.now < 30000) {
        w.now += SW_STEP_MS;
        cdm_bench_chademo(&b, w.now);
    }
    assert_true(cdm_bench_ready(&b));
    assert_true(b.br.ch.in.inlet_v > 300.0f);
    sw_connect(&w);
}

static int all_done(const sw_world *ww) { return sw_both_ended(ww) && b.br.ch.state == CDM_DONE; }

static void run_until_current(float a)
{
    while (b.hw.meas.present_a < a && w.now < 600000) sw_step(&w);
    assert_true(b.hw.meas.present_a >= a);
}

static void test_whole_charge(void **state)
{
    (void)state;
    world(80);
    plug_in();
    assert_true(sw_run(&w, 3600000, all_done));
    assert_int_equal(w.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(w.pev.stop, SESS_STOP_NORMAL);
    assert_true(b.car.bat.soc >= 80.0);
    assert_true(w.plant.charger.energy_wh > 0.5 * 0.6 * 4000.0);   /* 60 % of 4 kWh, and losses */
    assert_int_equal(b.br.ch.stop, CDM_STOP_CAR_STOP);
    assert_int_equal(b.br.ch.flags, 0);
    assert_int_equal(b.hw.sup.faults, 0);
    assert_false(b.br.ch.forced_open);
    assert_int_equal(w.plant.pev_contactor.opened_under_load, 0);
    assert_int_equal(w.plant.evse_contactor.opened_under_load, 0);
    assert_false(b.car.contactors);
    assert_true(a_at_open < HW_BREAK_A);
    /* the Leaf's target voltage is the CCS session's EVTargetVoltage / EVMaximumVoltageLimit */
    assert_true(w.pev.cfg.max_v == (float)b.car.cfg.target_v);
}

/* The car asks for less: the CCS charger's EVTargetCurrent follows within one CAN cycle (100 ms). */
static void test_request_within_one_cycle(void **state)
{
    (void)state;
    world(80);
    plug_in();
    run_until_current(100.0f);
    want_a = 60;
    b.car.cfg.max_a = want_a;
    while (!t_target && w.now < 600000) sw_step(&w);
    assert_true(t_request && t_target);
    assert_true(t_target - t_request <= CDM_CAN_CYCLE_MS);
}

/* A safe stop of the CCS side: the current target 0 and the output off within one step of the CHAdeMO side's
 * stop, the adapter's contactors open below 5 A, no contactor opened under load, both sides end. */
static void assert_safe_stop(uint32_t fault)
{
    assert_true(sw_run(&w, w.now + 120000, all_done));
    assert_true(t_cdm_stop && t_ccs_zero);
    assert_true(t_ccs_zero - t_cdm_stop <= SW_STEP_MS);
    assert_true(b.hw.sup.faults & fault);
    assert_true(opened && a_at_open < HW_BREAK_A);
    assert_int_equal(w.plant.pev_contactor.opened_under_load, 0);
    assert_int_equal(w.plant.evse_contactor.opened_under_load, 0);
    assert_false(b.hw.sup.forced_open);
    assert_true(w.pev.out.stop_requested || w.pev.out.safe);
    assert_false(b.car.contactors);
}

static void test_chademo_fault_flag(void **state)
{
    (void)state;
    world(80);
    plug_in();
    run_until_current(100.0f);
    b.car.inject_faults = CDM_EV_FAULT_OVERVOLTAGE;
    assert_safe_stop(HW_FAULT_LINK_LOST);
    assert_int_equal(b.br.ch.stop, CDM_STOP_CAR_FAULT);
}

static void test_can_lost(void **state)
{
    (void)state;
    world(80);
    plug_in();
    run_until_current(100.0f);
    uint32_t cut = w.now;
    b.can_cut = 1;
    assert_safe_stop(HW_FAULT_LINK_LOST);
    assert_int_equal(b.br.ch.stop, CDM_STOP_CAN_LOST);
    assert_true(t_cdm_stop - cut <= CDM_CAN_TIMEOUT_MS + CDM_CAN_CYCLE_MS);
}

/* The CCS charger's emergency stop: the CHAdeMO side stops with its malfunction flag, d2 off below 5 A. */
static void test_ccs_fault_stops_chademo(void **state)
{
    (void)state;
    world(80);
    plug_in();
    run_until_current(100.0f);
    w.evse.in.status = SESS_EVSE_EMERGENCY;
    assert_true(sw_run(&w, w.now + 120000, all_done));
    assert_int_equal(b.br.ch.stop, CDM_STOP_SUPPLY);
    assert_true(b.br.ch.flags & CDM_EVSE_MALFUNCTION);
    assert_false(b.br.ch.forced_open);
    assert_int_equal(w.plant.pev_contactor.opened_under_load, 0);
    assert_false(b.car.contactors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_charge), cmocka_unit_test(test_request_within_one_cycle),
        cmocka_unit_test(test_chademo_fault_flag), cmocka_unit_test(test_can_lost),
        cmocka_unit_test(test_ccs_fault_stops_chademo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
