/* The plant: a charger power stage and a car battery joined by two sets of contactors, driven by the two
 * sessions' commands and reporting back to them. */
#include <math.h>

#include "ccsplc/sim/plant.h"

void phys_plant_init(phys_plant *pl, const phys_charger_config *cc, const phys_battery_config *bc)
{
    phys_charger_init(&pl->charger, cc);
    phys_battery_init(&pl->battery, bc);
    phys_contactor_init(&pl->evse_contactor, PLANT_CONTACTOR_DELAY_MS, PLANT_MAX_BREAK_A);
    phys_contactor_init(&pl->pev_contactor, PLANT_CONTACTOR_DELAY_MS, PLANT_MAX_BREAK_A);
    phys_obc_default(&pl->obc);
}

void phys_plant_car_sense(const phys_plant *pl, sess_pev_input *in)
{
    const phys_battery *b = &pl->battery;
    in->battery_v = phys_battery_ocv(b);
    in->present_a = pl->pev_contactor.closed ? pl->charger.i : 0.0f;
    in->request_a = phys_battery_accept_a(b);
    in->soc = (uint8_t)b->soc;
    in->charge_complete = (uint8_t)phys_battery_full(b);
    double need = b->cfg.capacity_wh * (b->cfg.target_soc - b->soc) / 100.0;
    in->energy_request_wh = need > 0 ? (float)need : 0.0f;
}

void phys_plant_sense(const phys_plant *pl, sess_evse *e, sess_pev *p)
{
    static const sess_isolation iso[] = { [PHYS_ISO_UNKNOWN] = SESS_ISO_UNKNOWN, [PHYS_ISO_VALID] = SESS_ISO_VALID,
                                          [PHYS_ISO_FAULT] = SESS_ISO_FAULT };
    if (e) {
        e->in.present_v = pl->charger.v;
        e->in.present_a = pl->charger.i;
        e->in.isolation = iso[pl->charger.isolation];
        e->in.meter_wh = (uint64_t)pl->charger.energy_wh;
        e->in.meter_returned_wh = (uint64_t)pl->charger.returned_wh;
    }
    if (p) phys_plant_car_sense(pl, &p->in);
}

/* A target the power stage can take: finite and not negative (a half plant follows a peer's reported values); a
 * current may be negative where the stage can discharge the car (BPT). */
static float settable(float x) { return isfinite(x) && x > 0.0f ? x : 0.0f; }
static float settable_a(const phys_charger *c, float x)
{
    return c->cfg.discharge_max_a > 0.0f && isfinite(x) && x < 0.0f ? x : settable(x);
}

void phys_plant_apply(phys_plant *pl, const phys_charger_cmd *cmd, int evse_close, int pev_close, uint32_t dt_ms)
{
    int connected = pl->evse_contactor.closed && pl->pev_contactor.closed;
    phys_charger_cmd c = *cmd;
    c.target_v = settable(c.target_v);
    c.target_a = settable_a(&pl->charger, c.target_a);
    if (pl->charger.cfg.ac_phases)
        phys_ac_step(&pl->charger, &c, &pl->obc, pl->obc_on, connected ? &pl->battery : NULL, dt_ms);
    else
        phys_charger_step(&pl->charger, &c, connected ? &pl->battery : NULL, dt_ms);
    phys_contactor_step(&pl->evse_contactor, evse_close, pl->charger.i, dt_ms);
    phys_contactor_step(&pl->pev_contactor, pev_close, pl->charger.i, dt_ms);
    if (!(pl->evse_contactor.closed && pl->pev_contactor.closed)) pl->charger.i = 0.0f;
}

int phys_plant_current_flows(const phys_plant *pl)
{
    return pl->evse_contactor.closed && pl->pev_contactor.closed && pl->charger.i != 0.0f;
}

phys_charger_cmd phys_plant_evse_cmd(const sess_evse *e)
{
    phys_charger_cmd cmd = { 0 };
    if (e && !e->out.safe) {
        cmd.output_on = e->out.output_on;
        cmd.isolation_check = e->out.isolation_check;
        cmd.target_v = e->out.target_v;
        cmd.target_a = e->out.target_a;
    }
    return cmd;
}

void phys_plant_step_car(phys_plant *pl, sess_evse *e, int car_close, int car_draw, uint32_t dt_ms)
{
    phys_charger_cmd cmd = phys_plant_evse_cmd(e);
    pl->obc_on = (uint8_t)car_draw;
    phys_plant_apply(pl, &cmd, e && e->out.contactors_closed, car_close, dt_ms);
    phys_plant_sense(pl, e, NULL);
}

void phys_plant_step(phys_plant *pl, sess_evse *e, sess_pev *p, uint32_t dt_ms)
{
    phys_plant_step_car(pl, e, p && p->out.contactors_closed, p && p->out.cp_state_c && !p->out.stop_requested,
                        dt_ms);
    phys_plant_sense(pl, NULL, p);
}
