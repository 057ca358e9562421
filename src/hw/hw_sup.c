/* The safety supervisor of the hardware layer: the same rules for every backend between the session engines'
 * wishes and the commands a backend gets (include/ccsplc/core/hw.h, docs/hardware.md). */
#include <string.h>

#include "ccsplc/core/hw.h"

void hw_sup_config_default(hw_sup_config *c, hw_role role)
{
    c->role = role;
    c->break_a = HW_BREAK_A;
    c->break_wait_ms = HW_BREAK_WAIT_MS;
    c->precharge_tolerance_v = HW_PRECHARGE_TOLERANCE_V;
}

void hw_sup_init(hw_sup *s, const hw_sup_config *c)
{
    memset(s, 0, sizeof *s);
    s->cfg = *c;
    hw_sup_reset(s);
}

void hw_sup_reset(hw_sup *s)
{
    hw_sup_config c = s->cfg;
    memset(s, 0, sizeof *s);
    s->cfg = c;
    s->out.cp_pwm_pct = c.role == HW_CHARGER ? 100 : 0;
}

const char *hw_fault_name(uint32_t f)
{
    if (f & HW_FAULT_ESTOP) return "emergency stop";
    if (f & HW_FAULT_CP_LOST) return "control pilot lost";
    if (f & HW_FAULT_LINK_LOST) return "hardware link lost";
    if (f & HW_FAULT_CONTACTOR) return "contactor feedback";
    if (f & HW_FAULT_SAFE) return "session safe state";
    return "none";
}

static void event(hw_sup *s, hw_event_kind k, float value, const hw_meas *m)
{
    if (s->nev < HW_MAX_EVENTS)
        s->ev[s->nev++] = (hw_event){ k, value, m->has_present ? m->present_a : 0.0f };
}

static float absf(float x) { return x < 0 ? -x : x; }

/* Faults seen in the measurement. */
static uint32_t measured_faults(hw_sup *s, const hw_meas *m, uint32_t now)
{
    uint32_t f = 0;
    if (m->estop) f |= HW_FAULT_ESTOP;
    if (!m->link_ok) f |= HW_FAULT_LINK_LOST;
    if (s->powered) {   /* the plug or the pilot gone with the power path up */
        if (m->has_plugged && !m->plugged) f |= HW_FAULT_CP_LOST;
        if (s->cfg.role == HW_CHARGER && (m->cp == HW_CP_A || m->cp == HW_CP_E || m->cp == HW_CP_F))
            f |= HW_FAULT_CP_LOST;
    }
    if (m->contactors != HW_FB_NONE) {   /* welded (closed when open commanded) or stuck open */
        int differs = (m->contactors == HW_FB_CLOSED) != (s->out.contactors != 0);
        if (differs && !s->fb_differs) s->fb_since_ms = now;
        s->fb_differs = (uint8_t)differs;
        if (differs && now - s->fb_since_ms >= HW_FEEDBACK_MS) f |= HW_FAULT_CONTACTOR;
    }
    return f;
}

/* May the contactors close now? (no fault) */
static int may_close(const hw_sup *s, const hw_cmd *c, const hw_meas *m)
{
    if (!s->out.lock || m->lock == HW_FB_OPEN) return 0;   /* locked first */
    if (s->cfg.role == HW_CAR) {
        if (!c->cp_c || !s->out.cp_c) return 0;              /* CP C commanded (a step) before */
        if (m->has_inlet_v && m->has_battery && absf(m->inlet_v - m->battery_v) > s->cfg.precharge_tolerance_v)
            return 0;                                        /* PreCharge not matched at the inlet */
        return 1;
    }
    return m->cp == HW_CP_UNKNOWN || m->cp == HW_CP_C || m->cp == HW_CP_D;
}

/* With a fault latched: current target 0 now, the contactors open once the current is below break_a (or after
 * break_wait_ms anyway). */
static void fault_reaction(hw_sup *s, hw_cmd *c, const hw_meas *m, uint32_t now)
{
    c->target_a = 0.0f;
    c->output_on = c->isolation_check = 0;
    if (s->cfg.role == HW_CHARGER) c->cp_pwm_pct = 100;
    if (!s->out.contactors) {
        c->contactors = 0;
        return;
    }
    int below = m->has_present && absf(m->present_a) < s->cfg.break_a;
    if (below) {
        c->contactors = 0;
    } else if (now - s->fault_at_ms >= s->cfg.break_wait_ms) {
        c->contactors = 0;
        s->forced_open = 1;
        event(s, HW_EV_FORCED_OPEN, m->has_present ? m->present_a : -1.0f, m);
    } else {
        c->contactors = 1;
    }
}

/* The engine opens the contactors (a normal end, no fault): the current to 0 first, as on a fault; they open once
 * the measured current is below break_a (a charger's engine may open them in the very step its current target
 * goes to 0, with the power stage's current still flowing), or after break_wait_ms anyway (forced_open). */
static void normal_open(hw_sup *s, hw_cmd *c, const hw_meas *m, uint32_t now)
{
    c->target_a = 0.0f;
    if (!m->has_present || absf(m->present_a) < s->cfg.break_a) return;
    if (!s->opening) s->opening = 1, s->opening_at_ms = now;
    if (now - s->opening_at_ms < s->cfg.break_wait_ms) {
        c->contactors = 1;
        c->lock = 1;
        return;
    }
    s->forced_open = 1;
    event(s, HW_EV_FORCED_OPEN, m->present_a, m);
}

hw_cmd hw_sup_step(hw_sup *s, const hw_cmd *want, const hw_meas *m, uint32_t faults, uint32_t now)
{
    s->nev = 0;
    uint32_t f = faults | measured_faults(s, m, now);
    s->faults |= f & ~(uint32_t)HW_FAULT_SAFE;   /* the hardware's latch; the engine's safe state is its own */
    uint32_t active = s->faults | (f & HW_FAULT_SAFE);
    if (active & ~s->active) {
        if (!s->active) s->fault_at_ms = now;
        event(s, HW_EV_FAULT, (float)active, m);
    }
    s->active = active;
    hw_cmd c = *want;
    if (want->contactors || !s->out.contactors) s->opening = 0;   /* no open under way */
    if (active) {
        fault_reaction(s, &c, m, now);
    } else if (c.contactors && !s->out.contactors && !may_close(s, &c, m)) {
        c.contactors = 0;
        event(s, HW_EV_HELD, 1.0f, m);
    } else if (!c.contactors && s->out.contactors) {
        normal_open(s, &c, m, now);
    }
    if (s->cfg.role == HW_CHARGER && m->max_a > 0.0f && c.target_a > m->max_a) c.target_a = m->max_a;
    if (s->cfg.role == HW_CAR && !c.contactors) c.output_on = 0;
    if (s->cfg.role == HW_CAR && !c.cp_c && (c.contactors || s->out.contactors)) c.cp_c = 1; /* B after open */
    /* the lock holds while the contactors are (or were last step, or are reported) closed */
    if (c.contactors || s->out.contactors || m->contactors == HW_FB_CLOSED) c.lock = 1;
    const hw_cmd *o = &s->out;
    if (c.cp_c != o->cp_c) event(s, HW_EV_CP, c.cp_c, m);
    if (c.cp_pwm_pct != o->cp_pwm_pct) event(s, HW_EV_PWM, c.cp_pwm_pct, m);
    if (c.lock != o->lock) event(s, HW_EV_LOCK, c.lock, m);
    if ((c.target_a > 0.0f) != (o->target_a > 0.0f)) event(s, HW_EV_TARGET_A, c.target_a, m);
    if (c.output_on != o->output_on) event(s, HW_EV_OUTPUT, c.output_on, m);
    if (c.contactors != o->contactors) event(s, HW_EV_CONTACTORS, c.contactors, m);
    if (c.contactors) s->powered = 1;
    else if (m->contactors != HW_FB_CLOSED) s->powered = 0;
    s->out = c;
    return c;
}
