/* Bidirectional power transfer on the session model (ISO 15118-20 DC_BPT, AC_BPT): the car discharges to its set
 * SoC, then charges to its target; the charger sinks a negative target current within its own and the car's
 * discharge limits. Negative current or power is discharge throughout. */
#include "sess_internal.h"

#if CCS_PROTO_ISO20

static float lower(float a, float b) { return a < b ? a : b; }

int sess_pev_bpt_discharging(const sess_pev *p)
{
    return p->bpt && !p->discharged && p->in.soc >= p->cfg.discharge_soc;
}

/* Once below the set SoC the car charges from then on (no cycling around it). */
void sess_pev_bpt_update(sess_pev *p)
{
    if (p->bpt && p->in.soc < p->cfg.discharge_soc) p->discharged = 1;
}

float sess_pev_bpt_ask_a(sess_pev *p)
{
    sess_pev_bpt_update(p);
    if (!sess_pev_bpt_discharging(p)) return 0.0f;
    float a = p->evse_discharge_max_a > 0.0f ? lower(p->cfg.discharge_max_a, p->evse_discharge_max_a)
                                             : p->cfg.discharge_max_a;
    return -a;
}

float sess_pev_bpt_energy_wh(const sess_pev *p)
{
    if (!sess_pev_bpt_discharging(p)) return p->in.energy_request_wh;
    /* the SoC is whole percent: from in.soc to below discharge_soc is at most one percent more */
    return p->cfg.capacity_wh * ((float)p->cfg.discharge_soc - (float)p->in.soc - 1.0f) / 100.0f;
}

float sess_evse_bpt_discharge_a(const sess_evse *s, float present_v, sess_dc_achieved *hit)
{
    float v = present_v > 1.0f ? present_v : 1.0f;
    float limit = lower(s->cfg.discharge_max_a, s->cfg.discharge_max_w / v);
    if (s->ev_discharge_max_a > 0.0f) limit = lower(limit, s->ev_discharge_max_a);
    float want = -s->ev_target_a;   /* > 0 */
    hit->current = want > limit;
    hit->power = want * v > s->cfg.discharge_max_w;
    return -(want < limit ? want : limit);
}
#endif
