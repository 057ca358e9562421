/* The car's checks of what the charger reports, for every protocol: its limits at ChargeParameterDiscovery, its
 * present voltage and current in every PreCharge and charging-loop cycle, and progress (docs/sessions.md). */
#include <math.h>

#include "sess_internal.h"

/* IEC 61851-23 current control: within 2.5 A of the request up to 50 A, within 5 % above. */
static float tolerance_a(float ref)
{
    float t = ref * SESS_PEV_CURRENT_TOLERANCE;
    return t > SESS_PEV_CURRENT_TOLERANCE_A ? t : SESS_PEV_CURRENT_TOLERANCE_A;
}

static int bad(float x) { return !isfinite(x) || x < 0.0f; }

int sess_pev_take_limits(sess_pev *p, const sess_evse_limits *l, int final)
{
    const float all[] = { l->max_v, l->max_a, l->max_w, l->min_v, l->min_a, l->min_w, l->tolerance_a, l->ripple_a };
    int refuse = 0;
    for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++) refuse |= bad(all[i]);
    /* Only a charger whose voltage range holds the battery's voltage can precharge to it and then charge. */
    if (final && !refuse)
        refuse = l->max_v < p->in.battery_v || l->min_v > p->in.battery_v + SESS_PEV_VOLTAGE_TOLERANCE_V;
    if (refuse) {
        sess_pev_safe(p, SESS_STOP_EVSE_LIMITS);
        return SESS_H_FAIL;
    }
    p->evse_max_v = l->max_v;
    p->evse_max_a = l->max_a;
    p->evse_max_w = l->max_w;
    return SESS_H_NEXT;
}

/* Whether cond has held since *since (set now when it starts) for at least ms; *on cleared when it does not. */
static int lasting(int cond, uint8_t *on, uint32_t *since, uint32_t now, uint32_t ms)
{
    if (!cond) {
        *on = 0;
        return 0;
    }
    if (!*on) {
        *on = 1;
        *since = now;
    }
    return now - *since >= ms;
}

float sess_pev_ask_a(sess_pev *p, int stopping)
{
    float a = p->in.request_a < p->cfg.max_a ? p->in.request_a : p->cfg.max_a, d = sess_pev_bpt_ask_a(p);
    if (!stopping && d < 0.0f) return p->target_a = d;   /* BPT: discharging */
    return p->target_a = stopping || a < 0.0f ? 0.0f : a;
}

sess_stop_reason sess_pev_check_present(sess_pev *p, int charging, uint32_t now)
{
    float v = p->evse_v, a = p->evse_a;
    if (!isfinite(v) || v < -SESS_PEV_VOLTAGE_TOLERANCE_V || (charging && !isfinite(a))) return SESS_STOP_IMPLAUSIBLE;
    if (v > p->cfg.max_v + SESS_PEV_VOLTAGE_TOLERANCE_V) return SESS_STOP_OVERVOLTAGE;
    if (!charging) return SESS_STOP_NONE;
    /* BPT: a current out of the battery up to its discharge maximum; the excess over the request either way. */
    float lo = SESS_BPT(p) ? p->cfg.discharge_max_a + tolerance_a(p->cfg.discharge_max_a) : SESS_PEV_CURRENT_TOLERANCE_A;
    float t = p->target_a, excess = t < 0.0f ? t - a : a - t, mag = t < 0.0f ? -t : t;
    if (a < -lo) return SESS_STOP_REVERSE_CURRENT;
    if (a > p->cfg.max_a + tolerance_a(p->cfg.max_a)) return SESS_STOP_OVERCURRENT;
    /* BPT: the current against the request's direction (charging while the car asks to discharge, or the reverse)
     * beyond the tolerance, as long as a charger may take to follow a changed request */
    int wrong = SESS_BPT(p) &&
                (t < 0.0f ? a > SESS_PEV_CURRENT_TOLERANCE_A : t > 0.0f && a < -SESS_PEV_CURRENT_TOLERANCE_A);
    if (lasting(excess > tolerance_a(mag) || wrong, &p->over, &p->over_since_ms, now, SESS_PEV_CURRENT_FOLLOW_MS))
        return wrong ? SESS_STOP_REVERSE_CURRENT : SESS_STOP_OVERCURRENT;
    int idle = mag > p->cfg.contactor_open_a && (a < 0.0f ? -a : a) < p->cfg.contactor_open_a;
    if (lasting(idle, &p->idle, &p->idle_since_ms, now, SESS_PEV_NO_CURRENT_MS)) return SESS_STOP_NO_PROGRESS;
    return SESS_STOP_NONE;
}

int sess_pev_precharge_check(sess_pev *p, uint32_t now)
{
    sess_stop_reason why = sess_pev_check_present(p, 0, now);
    if (why == SESS_STOP_NONE) return sess_pev_precharged(p);
    sess_pev_safe(p, why);
    return SESS_H_FAIL;
}

int sess_pev_loop_fault(sess_pev *p, sess_stop_reason why)
{
    if (why == SESS_STOP_NONE) return 0;
    if (p->stop == SESS_STOP_NONE) p->stop = why;
    p->out.safe = 1;
    sess_pev_power_off(p);
    return 1;
}

int sess_pev_ev_error(const sess_pev *p)
{
    if (!p->out.safe) return SESS_EVERR_NONE;
    switch (p->stop) {
    case SESS_STOP_IMPLAUSIBLE: return isfinite(p->evse_v) && p->evse_v >= 0.0f ? SESS_EVERR_CURRENT : SESS_EVERR_VOLTAGE;
    case SESS_STOP_OVERVOLTAGE: return SESS_EVERR_VOLTAGE;
    case SESS_STOP_OVERCURRENT:
    case SESS_STOP_REVERSE_CURRENT:
    case SESS_STOP_NO_PROGRESS: return SESS_EVERR_CURRENT;
    case SESS_STOP_EVSE_LIMITS: return SESS_EVERR_INCOMPATIBLE;
    default: return SESS_EVERR_NONE;
    }
}
