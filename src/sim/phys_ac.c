/* AC charging model: the charger's AC supply (mains switched through, a signalled current limit per phase) and
 * the car's on-board charger turning AC power into battery current with an efficiency; energy metered on the
 * AC side. */
#include "ccsplc/sim/physics.h"

void phys_charger_default_ac(phys_charger_config *cfg)
{
    phys_charger_default(cfg);
    cfg->ac_phases = 3;
    cfg->ac_phase_v = 230.0f;
    cfg->max_a = 32.0f;
    cfg->max_w = 3 * 230.0f * 32.0f;
    cfg->discharge_max_a = cfg->max_a;   /* bidirectional: the same per phase back into the grid */
    cfg->discharge_max_w = cfg->max_w;
}

void phys_obc_default(phys_obc_config *cfg)
{
    *cfg = (phys_obc_config){ .max_a = 16.0f, .efficiency = 0.92f, .ramp_a_per_s = 10.0f };
}

static float lesser(float a, float b) { return b < a ? b : a; }

void phys_ac_step(phys_charger *c, const phys_charger_cmd *cmd, const phys_obc_config *obc, int draw,
                  phys_battery *load, uint32_t dt_ms)
{
    float per_a = (float)c->cfg.ac_phases * c->cfg.ac_phase_v * obc->efficiency;   /* battery W per AC amp */
    c->v = cmd->output_on ? c->cfg.ac_phase_v : 0.0f;
    float want = 0.0f;
    if (load && cmd->output_on && draw && per_a > 0.0f && cmd->target_a < 0.0f) {
        want = -lesser(lesser(-cmd->target_a, c->cfg.discharge_max_a), obc->max_a);
    } else if (load && cmd->output_on && draw && per_a > 0.0f) {
        float a = phys_battery_accept_a(load);
        want = lesser(lesser(cmd->target_a, c->cfg.max_a), lesser(obc->max_a, a * phys_battery_terminal_v(load, a) / per_a));
    }
    /* rising at the OBC's ramp, falling at once */
    float i = phys_ramp(c->i, want, obc->ramp_a_per_s * (float)dt_ms / 1000.0f);
    if (!load || i == 0.0f) {
        c->i = 0.0f;
        return;
    }
    float ocv = phys_battery_ocv(load), r = load->cfg.r_ohm, ib = 0.0f;
    if (i < 0.0f) {   /* discharging: battery current ib < 0 with ib * (OCV + ib R) = -AC power / efficiency */
        float dc_w = (float)c->cfg.ac_phases * c->cfg.ac_phase_v * -i / obc->efficiency;
        for (int k = 0; k < 4; k++) ib = -dc_w / (ocv + ib * r);
        c->i = i;
        phys_battery_step(load, ib, dt_ms);
        phys_charger_meter(c, (double)c->cfg.ac_phases * c->cfg.ac_phase_v * i * dt_ms / 3600000.0);
        return;
    }
    /* Battery current I with I * (OCV + I R) = the OBC's output power (a few fixed-point steps converge: I R is
     * small next to OCV); the AC current is then the one that delivers exactly that power. */
    for (int k = 0; k < 4; k++) ib = per_a * i / (ocv + ib * r);
    c->i = ib * (ocv + ib * r) / per_a;
    phys_battery_step(load, ib, dt_ms);
    phys_charger_meter(c, (double)c->cfg.ac_phases * c->cfg.ac_phase_v * c->i * dt_ms / 3600000.0);
}
