/* The hardware layer's side toward the session engines: their output levels as the supervisor's wish, the
 * merged measurement into their inputs, and the merge of several backends' measurements. */
#include "ccsplc/core/hw.h"

char hw_cp_letter(hw_cp cp)
{
    static const char letters[] = "?ABCDEF";
    return (unsigned)cp < sizeof letters - 1 ? letters[cp] : '?';
}

hw_cp hw_cp_of_volts(float v)
{
    if (v >= 10.5f) return HW_CP_A;
    if (v >= 7.5f) return HW_CP_B;
    if (v >= 4.5f) return HW_CP_C;
    if (v >= 1.5f) return HW_CP_D;
    return v >= -6.0f ? HW_CP_E : HW_CP_F;
}

void hw_meas_merge(hw_meas *into, const hw_meas *from)
{
    into->link_ok = into->link_ok && from->link_ok;
    into->estop = into->estop || from->estop;
    if (from->cp != HW_CP_UNKNOWN) into->cp = from->cp;
    if (from->has_pp) into->has_pp = 1, into->pp_a = from->pp_a;
    if (from->has_plugged) into->has_plugged = 1, into->plugged = from->plugged;
    if (from->contactors != HW_FB_NONE) into->contactors = from->contactors;
    if (from->lock != HW_FB_NONE) into->lock = from->lock;
    if (from->has_inlet_v) into->has_inlet_v = 1, into->inlet_v = from->inlet_v;
    if (from->has_present) {
        into->has_present = 1;
        into->present_v = from->present_v;
        into->present_a = from->present_a;
    }
    if (from->has_limits) {
        into->has_limits = 1;
        into->limit_v = from->limit_v;
        into->limit_a = from->limit_a;
        into->limit_w = from->limit_w;
    }
    if (from->isolation != HW_ISO_UNKNOWN) into->isolation = from->isolation;
    if (from->meter_wh) into->meter_wh = from->meter_wh;
    if (from->has_cdm_k) into->has_cdm_k = 1, into->cdm_k = from->cdm_k;
    if (from->has_cdm_v) into->has_cdm_v = 1, into->cdm_v = from->cdm_v;
    if (from->has_battery) {
        into->has_battery = 1;
        into->battery_v = from->battery_v;
        into->request_a = from->request_a;
        into->energy_request_wh = from->energy_request_wh;
        into->soc = from->soc;
        into->charge_complete = from->charge_complete;
    }
    into->stop_request = into->stop_request || from->stop_request;
    if (from->max_a > 0.0f && (into->max_a <= 0.0f || from->max_a < into->max_a)) into->max_a = from->max_a;
}

static int active(sess_phase ph) { return ph == SESS_HANDSHAKE || ph == SESS_RUNNING; }

hw_cmd hw_want_pev(const sess_pev *p)
{
    const sess_pev_output *o = &p->out;
    return (hw_cmd){ .cp_c = o->cp_state_c, .contactors = o->contactors_closed,
                     .lock = (uint8_t)(o->cp_state_c || o->contactors_closed || active(p->phase)),
                     .output_on = (uint8_t)(!o->stop_requested && !o->safe), .target_v = p->in.battery_v,
                     .target_a = o->stop_requested || o->safe ? 0.0f : p->target_a };
}

hw_cmd hw_want_evse(const sess_evse *e)
{
    const sess_evse_output *o = &e->out;
    hw_cmd c = { .cp_pwm_pct = 5, .lock = (uint8_t)active(e->phase) };
    if (o->safe) return c;
    c.contactors = o->contactors_closed;
    c.output_on = o->output_on;
    c.isolation_check = o->isolation_check;
    c.target_v = o->target_v;
    c.target_a = o->target_a;
    c.lock = c.lock || c.contactors;
    return c;
}

void hw_sense_pev(const hw_sup *s, const hw_meas *m, sess_pev *p)
{
    sess_pev_input *in = &p->in;
    if (m->has_present) in->present_a = m->present_a;
    if (m->has_battery) {
        in->battery_v = m->battery_v;
        in->request_a = m->request_a;
        in->energy_request_wh = m->energy_request_wh;
        in->soc = m->soc;
        in->charge_complete = m->charge_complete;
    }
    if (m->max_a > 0.0f && in->request_a > m->max_a) in->request_a = m->max_a;
    if (m->stop_request) in->stop_request = 1;
    if (s->faults) {   /* ask for no current and stop */
        in->request_a = 0.0f;
        in->stop_request = 1;
    }
}

void hw_sense_evse(const hw_sup *s, const hw_meas *m, sess_evse *e)
{
    static const sess_isolation iso[] = { [HW_ISO_UNKNOWN] = SESS_ISO_UNKNOWN, [HW_ISO_VALID] = SESS_ISO_VALID,
                                          [HW_ISO_FAULT] = SESS_ISO_FAULT };
    sess_evse_input *in = &e->in;
    if (m->has_present) {
        in->present_v = m->present_v;
        in->present_a = m->present_a;
    }
    in->isolation = iso[m->isolation];
    in->meter_wh = m->meter_wh;
    if (s->faults & HW_FAULT_ESTOP) in->status = SESS_EVSE_EMERGENCY;
    else if ((s->faults || m->stop_request) && in->status == SESS_EVSE_OK) in->status = SESS_EVSE_SHUTDOWN;
}
