/* Half plants: the physics for a charger or a car session that runs without its peer in the same process;
 * the peer's half of the plant is driven by what the peer reported over V2G (DC power stage or AC supply). */
#include "ccsplc/sim/plant.h"

/* The charger's load is the battery the car describes: the SoC it reports, and its PreCharge target as the
 * voltage at that SoC (the open-circuit curve scaled to it once per new target). */
static void follow_car(phys_plant *pl, const sess_evse *e)
{
    phys_battery *b = &pl->battery;
    if (e->ev_soc > 0 && e->ev_soc <= 100) b->soc = e->ev_soc;
    float ocv = phys_battery_ocv(b);
    if (e->ev_battery_v <= 0.0f || e->ev_battery_v == pl->car_v || ocv <= 0.0f) return;
    for (uint8_t i = 0; i < b->cfg.npoints; i++) b->cfg.ocv_v[i] *= e->ev_battery_v / ocv;
    pl->car_v = e->ev_battery_v;
}

void phys_plant_step_evse_cmd(phys_plant *pl, const sess_evse *e, const phys_charger_cmd *cmd, int close,
                              uint32_t dt_ms)
{
    int car_closed = cmd->output_on && close &&
                     (cmd->target_a > e->cfg.precharge_max_a || cmd->target_a < -e->cfg.precharge_max_a);   /* BPT */
    follow_car(pl, e);
    pl->obc_on = (uint8_t)car_closed;   /* AC: a car with its contactors closed draws */
    phys_plant_apply(pl, cmd, close, car_closed, dt_ms);
}

void phys_plant_step_evse(phys_plant *pl, sess_evse *e, uint32_t dt_ms)
{
    phys_charger_cmd cmd = phys_plant_evse_cmd(e);
    phys_plant_step_evse_cmd(pl, e, &cmd, e->out.contactors_closed, dt_ms);
    phys_plant_sense(pl, e, NULL);
}

void phys_plant_step_pev_cmd(phys_plant *pl, const sess_pev *p, int close, int draw, int cp_c, uint32_t dt_ms)
{
    float limit = p->evse_max_a > 0.0f || (p->bpt && p->evse_max_a < 0.0f) ? p->evse_max_a : pl->charger.cfg.max_a;
    float dc_a = p->bpt || !(p->evse_a < 0.0f) ? p->evse_a : 0.0f;   /* discharging only where the car chose BPT */
    phys_charger_cmd cmd = { .output_on = (uint8_t)(close && draw),
                             .target_v = p->evse_max_v > 0.0f ? p->evse_max_v : p->cfg.max_v,
                             .target_a = pl->charger.cfg.ac_phases ? limit : dc_a };
    pl->obc_on = (uint8_t)(cp_c && draw);
    phys_plant_apply(pl, &cmd, close, close, dt_ms);
}

void phys_plant_step_pev(phys_plant *pl, sess_pev *p, uint32_t dt_ms)
{
    phys_plant_step_pev_cmd(pl, p, p->out.contactors_closed, !p->out.stop_requested && !p->out.safe,
                            p->out.cp_state_c, dt_ms);
    phys_plant_sense(pl, NULL, p);
}
