/* Charger DC power stage model: voltage slew, current ramp-up, power and voltage limits against a battery load,
 * an isolation test of fixed duration, and an energy meter at the output. */
#include "ccsplc/sim/physics.h"

void phys_charger_default(phys_charger_config *cfg)
{
    *cfg = (phys_charger_config){ .max_v = 500.0f, .max_a = 125.0f, .max_w = 50000.0f, .ramp_v_per_s = 1000.0f,
                                  .ramp_a_per_s = 100.0f, .discharge_v_per_s = 500.0f, .isolation_ms = 3000,
                                  .discharge_max_a = 100.0f, .discharge_max_w = 40000.0f };
}

void phys_charger_init(phys_charger *c, const phys_charger_config *cfg) { *c = (phys_charger){ .cfg = *cfg }; }

void phys_charger_reset(phys_charger *c)
{
    c->iso_elapsed_ms = 0;
    c->isolation = PHYS_ISO_UNKNOWN;
}

static float toward(float x, float goal, float max_step)
{
    if (goal > x) return goal - x > max_step ? x + max_step : goal;
    return x - goal > max_step ? x - max_step : goal;
}

static float minf(float a, float b) { return a < b ? a : b; }
static float absf(float a) { return a < 0.0f ? -a : a; }

/* The current the stage sinks for a negative target (BPT): at most its discharge current and power. */
static float discharge_a(const phys_charger *c, float target_a, float v)
{
    return -minf(minf(-target_a, c->cfg.discharge_max_a), c->cfg.discharge_max_w / (v > 1.0f ? v : 1.0f));
}

float phys_ramp(float i, float want, float max_step)
{
    float from = (want > 0.0f) == (i > 0.0f) ? i : 0.0f;
    return absf(want) < absf(from) ? want : toward(from, want, max_step);
}

/* Energy at the output: delivered and (BPT) returned, apart. */
void phys_charger_meter(phys_charger *c, double wh)
{
    if (wh >= 0) c->energy_wh += wh;
    else c->returned_wh -= wh;
}

void phys_charger_step(phys_charger *c, const phys_charger_cmd *cmd, phys_battery *load, uint32_t dt_ms)
{
    float dt = dt_ms / 1000.0f;
    float target_v = minf(cmd->target_v, c->cfg.max_v);
    if (cmd->isolation_check && c->isolation == PHYS_ISO_UNKNOWN) {
        c->iso_elapsed_ms += dt_ms;
        if (c->iso_elapsed_ms >= c->cfg.isolation_ms) c->isolation = c->cfg.isolation_fault ? PHYS_ISO_FAULT : PHYS_ISO_VALID;
    }
    if (load) {
        /* Current-controlled into the battery, limited by the voltage target and the power. */
        float want = 0.0f;
        float v = phys_battery_terminal_v(load, c->i);
        if (cmd->output_on && cmd->target_a < 0.0f) {
            want = discharge_a(c, cmd->target_a, v);
        } else if (cmd->output_on) {
            want = minf(minf(cmd->target_a, c->cfg.max_a), c->cfg.max_w / (v > 1.0f ? v : 1.0f));
            float headroom = (target_v - phys_battery_ocv(load)) / load->cfg.r_ohm;
            want = minf(want, headroom > 0.0f ? headroom : 0.0f);
        }
        c->i = phys_ramp(c->i, want, c->cfg.ramp_a_per_s * dt);
        c->v = phys_battery_terminal_v(load, c->i);
        phys_battery_step(load, c->i, dt_ms);
    } else {
        c->i = 0.0f;
        if (cmd->output_on || cmd->isolation_check)   /* the isolation test: at its commanded test voltage */
            c->v = toward(c->v, target_v, c->cfg.ramp_v_per_s * dt);
        else
            c->v = toward(c->v, 0.0f, c->cfg.discharge_v_per_s * dt);
    }
    phys_charger_meter(c, (double)c->v * c->i * dt_ms / 3600000.0);
}
