/* Car battery model: SoC as stored energy over capacity, terminal voltage OCV(SoC) + I*R, accepted current
 * with a linear taper near full and zero at the target SoC. */
#include "ccsplc/sim/physics.h"

void phys_battery_default(phys_battery_config *cfg)
{
    /* Per-cell NMC open-circuit voltages (V) at 0..100 % SoC, times 96 cells. */
    static const float soc[] = { 0, 10, 20, 40, 60, 80, 90, 100 };
    static const float cell[] = { 3.40f, 3.55f, 3.62f, 3.72f, 3.82f, 3.98f, 4.07f, 4.20f };
    *cfg = (phys_battery_config){ .capacity_wh = 60000.0f, .soc = 20.0f, .target_soc = 80.0f, .r_ohm = 0.1f,
                                  .max_a = 125.0f, .taper_soc = 80.0f, .taper_min_a = 20.0f, .npoints = 8 };
    for (int i = 0; i < 8; i++) {
        cfg->ocv_soc[i] = soc[i];
        cfg->ocv_v[i] = cell[i] * 96.0f;
    }
}

void phys_battery_init(phys_battery *b, const phys_battery_config *cfg)
{
    *b = (phys_battery){ .cfg = *cfg, .soc = cfg->soc };
    if (b->cfg.npoints > PHYS_OCV_POINTS) b->cfg.npoints = PHYS_OCV_POINTS;
}

float phys_battery_ocv(const phys_battery *b)
{
    const phys_battery_config *c = &b->cfg;
    float s = (float)b->soc;
    if (c->npoints == 0) return 0.0f;
    if (s <= c->ocv_soc[0]) return c->ocv_v[0];
    for (uint8_t i = 1; i < c->npoints; i++)
        if (s <= c->ocv_soc[i]) {
            float f = (s - c->ocv_soc[i - 1]) / (c->ocv_soc[i] - c->ocv_soc[i - 1]);
            return c->ocv_v[i - 1] + f * (c->ocv_v[i] - c->ocv_v[i - 1]);
        }
    return c->ocv_v[c->npoints - 1];
}

float phys_battery_terminal_v(const phys_battery *b, float current_a) { return phys_battery_ocv(b) + current_a * b->cfg.r_ohm; }

int phys_battery_full(const phys_battery *b) { return b->soc >= b->cfg.target_soc; }

float phys_battery_accept_a(const phys_battery *b)
{
    const phys_battery_config *c = &b->cfg;
    if (phys_battery_full(b)) return 0.0f;
    if (b->soc <= c->taper_soc || c->taper_soc >= 100.0f) return c->max_a;
    float f = (float)(b->soc - c->taper_soc) / (100.0f - c->taper_soc);
    return c->max_a - f * (c->max_a - c->taper_min_a);
}

void phys_battery_step(phys_battery *b, float current_a, uint32_t dt_ms)
{
    double h = dt_ms / 3600000.0;
    double stored = (double)phys_battery_ocv(b) * current_a * h;
    b->current_a = current_a;
    b->stored_wh += stored;
    b->loss_wh += (double)current_a * current_a * b->cfg.r_ohm * h;
    if (b->cfg.capacity_wh > 0) b->soc += 100.0 * stored / b->cfg.capacity_wh;
    if (b->soc > 100.0) b->soc = 100.0;
    if (b->soc < 0.0) b->soc = 0.0;
}
