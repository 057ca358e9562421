/* DC power-stage commands the DIN, ISO-2 and ISO-20 chargers share: the car's targets (s->ev_target_*) turned
 * into output targets within the charger's and the car's limits (whatever the car asks, negative or non-finite
 * values included, the commands stay within [0, limit]; with BPT selected within [-discharge limit, limit]), the
 * insulation test voltage of CableCheck, and the charge loop's progress. */
#include <float.h>

#include "sess_internal.h"

static float clamp(float x, float hi)
{
    float y = x < hi ? x : hi;
    return y > 0.0f ? y : 0.0f;   /* NaN fails both comparisons: 0 */
}

static float min2(float a, float b) { return a < b ? a : b; }

/* A positive finite value the car said (a voltage), else 0: not said. */
static float said(float x) { return x > 0.0f && x <= FLT_MAX ? x : 0.0f; }

/* The highest voltage the output may have for this car: ours, and the car's maximum when it said one. */
static float max_v(const sess_evse *s) { return s->ev_max_v > 0.0f ? min2(s->cfg.max_v, s->ev_max_v) : s->cfg.max_v; }

void sess_evse_dc_ev_max(sess_evse *s, float ev_max_v) { s->ev_max_v = said(ev_max_v); }

/* The measurement tolerance allowed above the highest voltage for this car: the car's own (sess.h). */
#define OVERVOLTAGE_TOLERANCE_V SESS_PEV_VOLTAGE_TOLERANCE_V

int sess_evse_dc_overvoltage(sess_evse *s)
{
    if (!(s->in.present_v > max_v(s) + OVERVOLTAGE_TOLERANCE_V)) return SESS_H_NEXT;
    s->stop = SESS_STOP_OVERVOLTAGE;
    s->out.output_on = 0;
    s->out.target_v = s->out.target_a = 0.0f;
    return SESS_H_FAIL;
}

void sess_evse_dc_precharge(sess_evse *s)
{
    s->ev_battery_v = said(s->ev_target_v);   /* the car precharges to its battery's voltage */
    s->out.contactors_closed = 1;
    s->out.output_on = s->in.status == SESS_EVSE_OK;
    s->out.target_v = clamp(s->ev_target_v, max_v(s));
    s->out.target_a = clamp(s->ev_target_a, s->cfg.precharge_max_a);
}

void sess_evse_dc_demand(sess_evse *s, float ev_max_v, float ev_max_a, sess_dc_achieved *hit)
{
    float v = s->in.present_v > 1.0f ? s->in.present_v : 1.0f;
    float limit_a = min2(min2(s->cfg.max_a, s->cfg.max_w / v), ev_max_a);
    s->out.target_v = clamp(min2(s->ev_target_v, ev_max_v), max_v(s));
    s->out.target_a = s->in.status == SESS_EVSE_OK ? clamp(s->ev_target_a, limit_a) : 0.0f;
    s->out.output_on = s->out.contactors_closed = 1;
    hit->current = s->ev_target_a > limit_a;
    hit->voltage = s->ev_target_v > s->cfg.max_v;
    hit->power = s->ev_target_a * v > s->cfg.max_w;
    if (SESS_BPT(s) && s->ev_target_a < 0.0f && s->in.status == SESS_EVSE_OK)   /* BPT: the car discharges */
        s->out.target_a = sess_evse_bpt_discharge_a(s, v, hit);
}

/* IEC 61851-23:2023 CC.4.1.2, formula CC.1: the insulation test voltage follows the car's maximum voltage
 * (EVMaximumVoltageLimit / EVMaximumVoltage of ChargeParameterDiscovery): up to a 500 V car, its maximum + 50 V
 * but at most 500 V; above, 110 % of its maximum; never above the charger's own maximum. A car that said none:
 * 500 V (the value for a 450 V car and above). */
static float isolation_test_v(const sess_evse *s)
{
    float ev = s->ev_max_v, u = ev <= 0.0f ? 500.0f : ev <= 500.0f ? min2(ev + 50.0f, 500.0f) : 1.1f * ev;
    return min2(u, s->cfg.max_v);
}

int sess_evse_dc_isolation(sess_evse *s)
{
    if (s->in.isolation == SESS_ISO_FAULT) {
        s->stop = SESS_STOP_ISOLATION;
        return SESS_H_FAIL;
    }
    if (s->in.isolation == SESS_ISO_UNKNOWN) {   /* the test runs at its voltage until it has a result */
        s->out.contactors_closed = s->out.isolation_check = 1;
        s->out.output_on = 0;
        s->out.target_v = isolation_test_v(s);
        s->out.target_a = 0.0f;
        return SESS_H_STAY;
    }
    s->out.isolation_check = s->out.output_on = 0;   /* then the output is discharged (CC.4.1.2) */
    s->out.target_v = s->out.target_a = 0.0f;
    return s->in.present_v < SESS_EVSE_CABLE_CHECK_SAFE_V ? SESS_H_NEXT : SESS_H_STAY;
}

int sess_evse_dc_progress(sess_evse *s, uint32_t now)
{
    float a = SESS_BPT(s) && s->in.present_a < 0.0f ? -s->in.present_a : s->in.present_a;   /* BPT: either way */
    float t = SESS_BPT(s) && s->ev_target_a < 0.0f ? -s->ev_target_a : s->ev_target_a;
    int flowing = a >= SESS_EVSE_PROGRESS_A || !(t >= SESS_EVSE_PROGRESS_A);
    if (!s->charging || flowing) {
        s->charging = 1;
        s->progress_ms = now;
        return SESS_H_NEXT;
    }
    if (!s->cfg.no_progress_ms || now - s->progress_ms < s->cfg.no_progress_ms) return SESS_H_NEXT;
    if (s->stop != SESS_STOP_NO_PROGRESS) {   /* ask the car to stop: EVSE_Shutdown, StopCharging, no current */
        s->stop = SESS_STOP_NO_PROGRESS;
        if (s->in.status == SESS_EVSE_OK) s->in.status = SESS_EVSE_SHUTDOWN;
        s->out.target_a = 0.0f;
        s->progress_ms = now;
        return SESS_H_NEXT;
    }
    return SESS_H_FAIL;   /* the car did not stop */
}
