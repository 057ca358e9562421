/* Session steps ISO 15118-2 and ISO 15118-20 share, whatever their messages look like: a new or resumed
 * SessionID, Pause, "Ongoing" answers, the charger's own faults, the output off, and on the car's side
 * the end of PreCharge, of a charging loop and the wait before WeldingDetection. */
#include <string.h>

#include "sess_internal.h"

int sess_evse_session_begin(sess_evse *s, const uint8_t *sid, size_t len)
{
    int joined = s->resume_id_len && len == s->resume_id_len && !memcmp(sid, s->resume_id, len);
    if (joined) {
        memcpy(s->session_id, s->resume_id, len);
        s->session_id_len = (uint8_t)len;
    } else {
        sess_evse_new_session_id(s);
    }
    s->resume_id_len = 0;
    return joined;
}

void sess_evse_pause(sess_evse *s)
{
    memcpy(s->resume_id, s->session_id, s->session_id_len);
    s->resume_id_len = s->session_id_len;
    s->stop = SESS_STOP_PAUSED;
}

int sess_evse_ongoing(sess_evse *s, uint8_t state, uint8_t times)
{
    if (s->state != state || s->ongoing >= times) return 0;
    s->ongoing++;
    return 1;
}

int sess_evse_fault(sess_evse *s)
{
    if (s->in.status == SESS_EVSE_EMERGENCY || s->in.status == SESS_EVSE_MALFUNCTION) {
        s->stop = s->in.status == SESS_EVSE_EMERGENCY ? SESS_STOP_EVSE_EMERGENCY : SESS_STOP_EVSE_MALFUNCTION;
        return SESS_H_FAIL;
    }
    if (s->in.status == SESS_EVSE_SHUTDOWN) s->out.target_a = 0.0f;
    return SESS_H_NEXT;
}

int sess_evse_receipt_due(const sess_evse *s, uint32_t now)
{
    return s->cfg.receipt_interval_ms && (int32_t)(now - s->receipt_at_ms) >= 0;
}

void sess_evse_dc_off(sess_evse *s)
{
    s->out.output_on = 0;
    s->out.target_a = 0.0f;
}

static float absf(float x) { return x < 0 ? -x : x; }

int sess_pev_precharged(sess_pev *p)
{
    if (absf(p->evse_v - p->in.battery_v) >= p->cfg.precharge_tolerance_v) return SESS_H_STAY;
    p->out.contactors_closed = 1;
    return SESS_H_NEXT;
}

int sess_pev_stopping(const sess_pev *p)
{
    return (p->in.charge_complete && !sess_pev_bpt_discharging(p)) || p->in.stop_request || (p->in.pause_request && p->proto->can_pause);
}

int sess_pev_loop_stopping(sess_pev *p, int h)
{
    int pause = p->in.pause_request && p->proto->can_pause;
    if (p->stop == SESS_STOP_NONE && pause) p->stop = SESS_STOP_PAUSED;
    if (p->stop == SESS_STOP_NONE && p->in.stop_request) p->stop = SESS_STOP_USER;
    return h == SESS_H_END || sess_pev_stopping(p);
}

int sess_pev_build_empty(sess_pev *p, uint32_t now)
{
    (void)p;
    (void)now;
    return SESS_H_NEXT;
}

void sess_pev_power_off(sess_pev *p)
{
    p->out.stop_requested = 1;
    p->out.cp_state_c = 0;
}

void sess_pev_keep_paused(sess_pev *p)
{
    if (p->stop != SESS_STOP_PAUSED) return;
    memcpy(p->resume_id, p->session_id, p->session_id_len);
    p->resume_id_len = p->session_id_len;
}
