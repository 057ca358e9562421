/* The simulated plant as the car's hardware backend (the default): the supervisor's command drives the physics,
 * the plant's state is the measurement. */
#include <string.h>

#include "ccsplc/sim/plant.h"

static void apply(void *ctx, const hw_cmd *cmd, uint32_t now_ms)
{
    (void)now_ms;
    ((phys_hw *)ctx)->cmd = *cmd;
}

static void sense_charger(const phys_plant *pl, hw_meas *m)
{
    static const hw_iso iso[] = { [PHYS_ISO_UNKNOWN] = HW_ISO_UNKNOWN, [PHYS_ISO_VALID] = HW_ISO_VALID,
                                  [PHYS_ISO_FAULT] = HW_ISO_FAULT };
    m->contactors = pl->evse_contactor.closed ? HW_FB_CLOSED : HW_FB_OPEN;
    m->has_present = 1;
    m->present_v = pl->charger.v;
    m->present_a = pl->charger.i;
    m->isolation = iso[pl->charger.isolation];
    m->meter_wh = (uint64_t)pl->charger.energy_wh;
}

static void sense(void *ctx, hw_meas *m, uint32_t now_ms)
{
    (void)now_ms;
    const phys_hw *h = ctx;
    m->link_ok = 1;
    if (!h->pev) {
        sense_charger(h->pl, m);
        return;
    }
    sess_pev_input in;
    memset(&in, 0, sizeof in);
    phys_plant_car_sense(h->pl, &in);
    m->contactors = h->pl->pev_contactor.closed ? HW_FB_CLOSED : HW_FB_OPEN;
    m->has_present = 1;
    m->present_v = h->pl->charger.v;
    m->present_a = in.present_a;
    m->has_battery = 1;
    m->battery_v = in.battery_v;
    m->request_a = in.request_a;
    m->energy_request_wh = in.energy_request_wh;
    m->soc = in.soc;
    m->charge_complete = in.charge_complete;
}

void phys_hw_init(phys_hw *h, phys_plant *pl, sess_evse *evse, const sess_pev *pev, hw_backend *b)
{
    memset(h, 0, sizeof *h);
    h->pl = pl;
    h->evse = evse;
    h->pev = pev;
    *b = (hw_backend){ "simulated plant", h, apply, sense };
}

void phys_hw_step(phys_hw *h, uint32_t dt_ms)
{
    const hw_cmd *c = &h->cmd;
    if (!h->pev) {
        phys_charger_cmd cmd = { .output_on = c->output_on, .isolation_check = c->isolation_check,
                                 .target_v = c->target_v, .target_a = c->target_a };
        phys_plant_step_evse_cmd(h->pl, h->evse, &cmd, c->contactors, dt_ms);
    } else if (h->evse) phys_plant_step_car(h->pl, h->evse, c->contactors, c->cp_c && c->output_on, dt_ms);
    else phys_plant_step_pev_cmd(h->pl, h->pev, c->contactors, c->output_on, c->cp_c, dt_ms);
}
