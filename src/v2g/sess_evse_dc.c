/* DC power-stage commands the DIN and ISO-2 chargers share: the car's targets (s->ev_target_*) turned into
 * output targets within the charger's and the car's limits. Whatever the car asks (negative values included),
 * the commands stay within [0, limit]. */
#include "sess_internal.h"

static float clamp(float x, float hi)
{
    float y = x < hi ? x : hi;
    return y > 0.0f ? y : 0.0f;
}

static float min2(float a, float b) { return a < b ? a : b; }

void sess_evse_dc_precharge(sess_evse *s)
{
    s->out.contactors_closed = 1;
    s->out.output_on = s->in.status == SESS_EVSE_OK;
    s->out.target_v = clamp(s->ev_target_v, s->cfg.max_v);
    s->out.target_a = clamp(s->ev_target_a, s->cfg.precharge_max_a);
}

float sess_evse_dc_isolation_v(const sess_evse *s)
{
    return s->ev_max_v > 0.0f && s->ev_max_v < s->cfg.max_v ? s->ev_max_v : s->cfg.max_v;
}

void sess_evse_dc_demand(sess_evse *s, float ev_max_v, float ev_max_a, sess_dc_achieved *hit)
{
    float v = s->in.present_v > 1.0f ? s->in.present_v : 1.0f;
    float limit_a = min2(min2(s->cfg.max_a, s->cfg.max_w / v), ev_max_a);
    s->out.target_v = clamp(min2(s->ev_target_v, ev_max_v), s->cfg.max_v);
    s->out.target_a = s->in.status == SESS_EVSE_OK ? clamp(s->ev_target_a, limit_a) : 0.0f;
    s->out.output_on = s->out.contactors_closed = 1;
    hit->current = s->ev_target_a > limit_a;
    hit->voltage = s->ev_target_v > s->cfg.max_v;
    hit->power = s->ev_target_a * v > s->cfg.max_w;
}
