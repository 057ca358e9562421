/* Half plants: the physics for a charger or a car session that runs without its peer in the same process;
 * the peer's half of the plant is driven by what the peer reported over V2G. */
#include "ccsplc/plant.h"

void phys_plant_step_evse(phys_plant *pl, sess_evse *e, uint32_t dt_ms)
{
    phys_charger_cmd cmd = phys_plant_evse_cmd(e);
    int car_closed = cmd.output_on && e->out.contactors_closed && cmd.target_a > e->cfg.precharge_max_a;
    if (e->ev_soc > 0 && e->ev_soc <= 100) pl->battery.soc = e->ev_soc;
    phys_plant_apply(pl, &cmd, e->out.contactors_closed, car_closed, dt_ms);
    phys_plant_sense(pl, e, NULL);
}

void phys_plant_step_pev(phys_plant *pl, sess_pev *p, uint32_t dt_ms)
{
    int closed = p->out.contactors_closed;
    phys_charger_cmd cmd = { .output_on = (uint8_t)(closed && !p->out.stop_requested && !p->out.safe),
                             .target_v = p->evse_max_v > 0.0f ? p->evse_max_v : p->cfg.max_v,
                             .target_a = p->evse_a };
    phys_plant_apply(pl, &cmd, closed, closed, dt_ms);
    phys_plant_sense(pl, NULL, p);
}
