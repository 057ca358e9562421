/* Half plants (`ccsplc evse` / `ccsplc pev` as separate programs): a DIN session in memory where the charger
 * and the car each step their own plant and know the other only from the messages — the car's battery must
 * charge as the whole plant would, and both halves must end safe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "sess_world.h"

typedef struct {
    sw_world w;          /* w.plant: the charger's half */
    phys_plant car;      /* the car's half */
    uint32_t first_current_ms;   /* charger side: first step with current */
    uint32_t cd_req_ms;          /* first CurrentDemandReq */
} halves;

static int ended(const halves *h)
{
    const sw_world *w = &h->w;
    return (w->evse.phase == SESS_DONE || w->evse.phase == SESS_SAFE) &&
           (w->pev.phase == SESS_DONE || w->pev.phase == SESS_SAFE) && !w->plant.evse_contactor.closed &&
           !h->car.pev_contactor.closed && !w->msg_len[0] && !w->msg_len[1];
}

static halves h;

/* The world's plant step: each half steps its own plant. */
static void step_halves(sw_world *w)
{
    phys_plant_step_evse(&w->plant, &w->evse, SW_STEP_MS);
    phys_plant_step_pev(&h.car, &w->pev, SW_STEP_MS);
}

static void step(halves *hv)
{
    sw_world *w = &hv->w;
    sw_step(w);
    if (!hv->cd_req_ms && sw_count(w, "CurrentDemandReq")) hv->cd_req_ms = w->now - SW_STEP_MS;
    if (!hv->first_current_ms && w->plant.charger.i > 0.0f) hv->first_current_ms = w->now - SW_STEP_MS;
}

/* proto: "din" (DC) or "iso2-ac" (the mains through the charger, the car's on-board charger), as the demo
 * configures them. */
static void run_proto(const char *proto)
{
    sess_evse_config ec;
    sess_pev_config pc;
    phys_charger_config cc;
    phys_battery_config bc;
    sw_default_configs(&ec, &pc, &cc, &bc);
    ec.protos[0] = pc.protos[0] = sess_proto_find(proto);
    assert_non_null(ec.protos[0]);
    if (sess_proto_ac(proto)) {
        phys_charger_default_ac(&cc);
        ec.ac_max_a = cc.max_a;
        pc.ac = 1;
    }
    sw_init(&h.w, &ec, &pc, &cc, &bc);
    h.w.plant_step = step_halves;
    phys_plant_init(&h.car, &cc, &bc);
    h.first_current_ms = h.cd_req_ms = 0;
    sw_connect(&h.w);
    while (!ended(&h) && h.w.now < 3600000u) step(&h);
    assert_true(ended(&h));
}

static void run(void) { run_proto("din"); }

static void session_ends_normally_on_both_halves(void **state)
{
    (void)state;
    run();
    assert_int_equal(h.w.evse.phase, SESS_DONE);
    assert_int_equal(h.w.pev.phase, SESS_DONE);
    assert_int_equal(h.w.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(h.w.pev.stop, SESS_STOP_NORMAL);
    for (int i = 0; i < 2; i++) {
        const phys_plant *p = i ? &h.car : &h.w.plant;
        assert_int_equal(p->evse_contactor.opened_under_load, 0);
        assert_int_equal(p->pev_contactor.opened_under_load, 0);
    }
}

/* The car's battery follows the battery model: SoC from 20 % to the 30 % target (sw_default_configs), overshoot
 * at most what full current adds in one CurrentDemand round trip plus a step; stored energy is capacity * dSoC. */
static void car_battery_charges_to_target(void **state)
{
    (void)state;
    run();
    const phys_battery *b = &h.car.battery;
    assert_true(b->soc >= b->cfg.target_soc);
    double per_ms = 100.0 * 400.0 * b->cfg.max_a / (b->cfg.capacity_wh * 3600000.0);   /* %/ms at 400 V, max A */
    assert_true(b->soc - b->cfg.target_soc <= per_ms * (SESS_PEV_REPEAT_MS + 4 * SW_STEP_MS));
    assert_true(fabs(b->stored_wh - b->cfg.capacity_wh * (b->soc - 20.0) / 100.0) < 1e-3 * b->cfg.capacity_wh);
}

/* The charger's meter and the car's battery see the same charge: the car's half drives the current the
 * charger last reported, which lags the charger's own current by at most one CurrentDemand cycle (the car's
 * repeat pause plus a step each way). Only the current's rise at the start and its fall at the end move
 * energy between the halves' books: at most twice full power (max_w) over that lag. */
static void meter_matches_battery(void **state)
{
    (void)state;
    run();
    double delivered = h.w.plant.charger.energy_wh, received = h.car.battery.stored_wh + h.car.battery.loss_wh;
    assert_true(delivered > 0.0);
    double lag_ms = SESS_PEV_REPEAT_MS + 2 * SW_STEP_MS;
    assert_true(fabs(delivered - received) <= 2.0 * h.w.plant.charger.cfg.max_w * lag_ms / 3600000.0);
}

/* Before the car's PowerDelivery(start) no current flows on the charger's half (its car contactors count as
 * open through CableCheck and PreCharge), and the charger's half ends with both contactor sets open. */
static void no_current_before_the_charge_loop(void **state)
{
    (void)state;
    run();
    assert_true(h.cd_req_ms > 0);
    assert_true(h.first_current_ms >= h.cd_req_ms - SW_STEP_MS);
    assert_int_equal(h.w.plant.evse_contactor.closed, 0);
    assert_int_equal(h.w.plant.pev_contactor.closed, 0);
    assert_true(h.w.plant.charger.i == 0.0f);
}

/* AC (ISO 15118-2): both halves model the on-board charger drawing from the mains; the charger meters AC
 * energy, the car stores efficiency x that (physics.h), up to the same lag at full AC power at start and end. */
static void ac_session_on_both_halves(void **state)
{
    (void)state;
    run_proto("iso2-ac");
    assert_int_equal(h.w.evse.phase, SESS_DONE);
    assert_int_equal(h.w.pev.phase, SESS_DONE);
    assert_int_equal(h.w.pev.stop, SESS_STOP_NORMAL);
    const phys_battery *b = &h.car.battery;
    assert_true(b->soc >= b->cfg.target_soc);
    const phys_charger *c = &h.w.plant.charger;
    double ac_w = c->cfg.ac_phases * c->cfg.ac_phase_v * c->cfg.max_a;
    double lag_ms = SESS_PEV_REPEAT_MS + 2 * SW_STEP_MS;
    double delivered = c->energy_wh * h.car.obc.efficiency, received = b->stored_wh + b->loss_wh;
    assert_true(delivered > 0.0);
    assert_true(fabs(delivered - received) <= 2.0 * ac_w * lag_ms / 3600000.0);
    for (int i = 0; i < 2; i++) {
        const phys_plant *p = i ? &h.car : &h.w.plant;
        assert_int_equal(p->evse_contactor.opened_under_load + p->pev_contactor.opened_under_load, 0);
    }
}

/* The car's half follows the current the charger reports; a lying charger's -100 A, -inf or NaN (an ISO-20
 * Exponent of 127) must not reach the physics: no current, no discharge, a finite SoC (a non-finite one aborted
 * under UBSan where the SoC becomes the car's uint8_t input, phys_plant_sense). */
static void car_half_takes_no_impossible_current(void **state)
{
    (void)state;
    static const float lies[] = { -100.0f, -INFINITY, INFINITY, NAN };
    for (unsigned k = 0; k < sizeof lies / sizeof lies[0]; k++) {
        static sess_pev p;
        sess_evse_config ec;
        sess_pev_config pc;
        phys_charger_config cc;
        phys_battery_config bc;
        sw_default_configs(&ec, &pc, &cc, &bc);
        sess_pev_init(&p, &pc, &sw_pev_docs);
        phys_plant_init(&h.car, &cc, &bc);
        p.out.contactors_closed = p.out.cp_state_c = 1;   /* charging, as after PowerDelivery(start) */
        p.evse_a = lies[k];
        double soc0 = h.car.battery.soc;
        for (int i = 0; i < 100; i++) phys_plant_step_pev(&h.car, &p, SW_STEP_MS);
        assert_true(h.car.charger.i >= 0.0f);
        assert_true(isfinite(h.car.battery.soc) && h.car.battery.soc >= soc0);
        assert_int_equal(p.in.soc, (uint8_t)soc0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(session_ends_normally_on_both_halves),
        cmocka_unit_test(car_battery_charges_to_target),
        cmocka_unit_test(meter_matches_battery),
        cmocka_unit_test(no_current_before_the_charge_loop),
        cmocka_unit_test(ac_session_on_both_halves),
        cmocka_unit_test(car_half_takes_no_impossible_current),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
