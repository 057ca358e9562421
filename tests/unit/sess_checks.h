/* Assertions the session tests share (include after cmocka.h): the plant in its safe state, the car's side
 * after a charger fault, the charger's side after a car fault. */
#ifndef CCSPLC_TEST_SESS_CHECKS_H
#define CCSPLC_TEST_SESS_CHECKS_H
#include <stdio.h>

#include "sess_world.h"

/* A DC session from soc0 to target against the battery model: the SoC reached the target, and passed it by at
 * most what max_a at OCV(100 %) adds while the car's 0 A request travels (repeat_ms later, one step of latency,
 * one of physics); the energy stored matches the SoC gained, the charger metered stored + losses. */
static inline void sc_dc_energy(const phys_plant *pl, double soc0, double target)
{
    const phys_battery *b = &pl->battery;
    uint32_t lag_ms = SESS_PEV_REPEAT_MS + 3 * SW_STEP_MS;
    double lag_soc = 100.0 * b->cfg.max_a * b->cfg.ocv_v[b->cfg.npoints - 1] * lag_ms / 3600000.0 / b->cfg.capacity_wh;
    printf("soc %.4f (target %.1f, lag bound %.4f), stored %.2f Wh, loss %.2f Wh, metered %.2f Wh\n", b->soc, target,
           lag_soc, b->stored_wh, b->loss_wh, pl->charger.energy_wh);
    assert_true(b->soc >= target && b->soc <= target + lag_soc);
    double stored = b->cfg.capacity_wh * (b->soc - soc0) / 100.0;
    assert_true(b->stored_wh > stored - 0.01 && b->stored_wh < stored + 0.01);
    double metered = pl->charger.energy_wh;
    assert_true(metered > b->stored_wh + b->loss_wh - 0.5 && metered < b->stored_wh + b->loss_wh + 0.5);
}

/* An AC session from its start to both ends (within an hour of the virtual clock): the highest phase current. */
static inline float sc_ac_run(sw_world *w)
{
    float peak = 0.0f;
    while (!sw_both_ended(w) && w->now < 60 * 60 * 1000) {
        sw_step(w);
        if (w->plant.charger.i > peak) peak = w->plant.charger.i;
    }
    assert_true(sw_both_ended(w));
    assert_int_equal(w->evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(w->pev.stop, SESS_STOP_NORMAL);
    return peak;
}

/* AC energy: what the charger metered on the AC side x the on-board charger's efficiency = stored + battery losses. */
static inline void sc_ac_energy(const phys_plant *pl, const char *what, uint32_t now)
{
    const phys_battery *b = &pl->battery;
    double in = pl->charger.energy_wh * pl->obc.efficiency;
    printf("%s: soc %.4f, metered %.2f Wh x %.2f = %.2f, stored %.2f + loss %.2f, %u ms\n", what, b->soc,
           pl->charger.energy_wh, pl->obc.efficiency, in, b->stored_wh, b->loss_wh, now);
    assert_true(in > b->stored_wh + b->loss_wh - 0.05 && in < b->stored_wh + b->loss_wh + 0.05);
}

/* No current, the charger's contactors open (and the car's: car_side), nothing ever opened under load. */
static inline void sc_plant_safe(const phys_plant *pl, int car_side)
{
    assert_true(pl->charger.i == 0.0f);
    assert_false(pl->evse_contactor.closed);
    assert_int_equal(pl->evse_contactor.opened_under_load, 0);
    assert_false(car_side && pl->pev_contactor.closed);
    assert_int_equal(pl->pev_contactor.opened_under_load, 0);
}

/* The car stopped because of a charger fault injected at `at`: silent -> exactly the request's msg_timeout
 * later, else at once (a graceful stop, asked for while charging, within a few round trips, ending DONE); stop
 * requested, CP state B; then both sides end and the plant is safe. */
static inline void sc_car_after_fault(sw_world *w, int silent, int graceful, uint32_t at, uint32_t msg_timeout)
{
    assert_true(w->pev.out.stop_requested);
    assert_false(w->pev.out.cp_state_c);
    if (silent)
        assert_in_range(w->now - at, msg_timeout - 2 * SW_STEP_MS, msg_timeout + SW_STEP_MS);
    else
        assert_true(w->now - at <= (graceful ? 8u : 2u) * SW_STEP_MS);
    assert_int_equal(w->pev.phase, graceful ? SESS_DONE : SESS_SAFE);
    assert_int_equal(w->pev.out.safe, !graceful);
    while (!sw_both_ended(w)) {
        assert_true(w->now - at < 3 * SESS_SECC_SEQUENCE_TIMEOUT_MS);
        sw_step(w);
    }
    sc_plant_safe(&w->plant, 1);
}

/* The charger stopped because the car went silent (seq_timeout, its V2G_SECC_Sequence_Timeout, after its last
 * response, last_res) or dropped TCP (at once after `at`): safe outputs, and the power stage follows. */
static inline void sc_charger_after_car_fault(sw_world *w, int drop_tcp, uint32_t at, uint32_t last_res,
                                              uint32_t seq_timeout)
{
    assert_int_equal(w->evse.phase, SESS_SAFE);
    assert_int_equal(w->evse.stop, drop_tcp ? SESS_STOP_DISCONNECT : SESS_STOP_TIMEOUT);
    if (drop_tcp)
        assert_true(w->now - at <= SW_STEP_MS);
    else
        assert_in_range(w->now - last_res, seq_timeout - SW_STEP_MS, seq_timeout + SW_STEP_MS);
    assert_true(w->evse.out.safe);
    assert_false(w->evse.out.output_on || w->evse.out.contactors_closed || w->evse.out.target_a > 0.0f);
    for (int k = 0; k < 10; k++) sw_step(w);   /* the power stage and contactors follow */
    sc_plant_safe(&w->plant, 0);
}

#endif
