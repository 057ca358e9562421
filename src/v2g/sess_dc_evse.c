/* The charger's DC steps, written once on the session model (sess_model.h) for DIN 70121, ISO 15118-2 and
 * ISO 15118-20: each takes the request through the protocol's mapper, decides, and hands the response back. */
#include "sess_internal.h"

/* The request in the model; the car's state of charge kept when it sent one. */
static sess_dc take(sess_evse *s)
{
    sess_dc m = { .soc = -1 };
    s->proto->evse_dc_in(s, &m);
    if (m.soc >= 0) {
        s->ev_soc = (uint8_t)m.soc;
        s->ev_soc_said = 1;
    }
    return m;
}

static int give(sess_evse *s, const sess_dc *m, int h)
{
    s->proto->evse_dc_out(s, m);
    return h;
}

/* The charger's own faults: emergency and malfunction end the session at once (FAILED, safe); a shutdown asks the
 * car to stop (the status says so) and delivers no more current. */
static int fault(sess_evse *s, sess_dc *m)
{
    int h = sess_evse_fault(s);
    if (h == SESS_H_FAIL) m->code = SESS_RC_FAILED;
    return h;
}

/* While the output is connected to the car (PreCharge, the charge loop): its faults, then its voltage. */
static int connected_fault(sess_evse *s, sess_dc *m)
{
    int h = fault(s, m);
    if (h == SESS_H_NEXT && (h = sess_evse_dc_overvoltage(s)) == SESS_H_FAIL) m->code = SESS_RC_FAILED;
    return h;
}

/* The car's mode and maximum; "Ongoing" cfg.cpd_ongoing times, then Finished (the mapper adds the schedule). */
int sess_dc_evse_charge_parameter(sess_evse *s, uint32_t now)
{
    (void)now;
    sess_dc m = take(s);
    s->ac = m.ac;
    if (m.code != SESS_RC_OK) return give(s, &m, SESS_H_FAIL);
    s->ev_discharge_max_a = m.discharge_max_a;   /* BPT */
    if (m.ac)
        s->ev_max_a = m.max_a;
    else
        sess_evse_dc_ev_max(s, m.max_v);
    int h = fault(s, &m);
    if (h == SESS_H_NEXT && sess_evse_ongoing(s, m.wait_state, s->cfg.cpd_ongoing)) {
        m.ongoing = 1;
        h = SESS_H_STAY;
    }
    return give(s, &m, h);
}

/* CableCheck: the output connected and the isolation monitor running at the test voltage until it has a result,
 * then the output discharged (sess_evse_dc_isolation). */
int sess_dc_evse_cable_check(sess_evse *s, uint32_t now)
{
    (void)now;
    sess_dc m = take(s);
    int h = fault(s, &m);
    if (h != SESS_H_NEXT) return give(s, &m, h);
    h = sess_evse_dc_isolation(s);
    if (h == SESS_H_FAIL) m.code = SESS_RC_FAILED;
    m.ongoing = m.isolation_active = h == SESS_H_STAY;
    return give(s, &m, h);
}

/* The output follows the car's target with at most the precharge current; the answer is the measured voltage:
 * cars that close only on the real inlet voltage (Model Y, Polestar 2) must not be told the target. */
int sess_dc_evse_precharge(sess_evse *s, uint32_t now)
{
    (void)now;
    sess_dc m = take(s);
    s->ev_target_v = m.target_v;
    s->ev_target_a = m.target_a;
    int h = connected_fault(s, &m);
    if (h == SESS_H_NEXT) sess_evse_dc_precharge(s);
    return give(s, &m, h);
}

/* AC: the current limit per phase the car may draw: ours, and its maximum when it said one. */
static float ac_limit(const sess_evse *s)
{
    return s->ev_max_a > 0.0f && s->ev_max_a < s->cfg.ac_max_a ? s->ev_max_a : s->cfg.ac_max_a;
}

/* Start: DC closes and enables the output (the current follows the charge loop); AC switches the supply on with
 * our current limit and the car's. Stop: everything off. A car still processing (ISO 15118-20) is answered with
 * nothing switched yet; a request the mapper refused (schedule, profile, discharge) fails. */
static int power_delivery(sess_evse *s, int on, uint32_t now)
{
    sess_dc m = take(s);
    if (on && m.ev_ongoing && m.code == SESS_RC_OK)
        return give(s, &m, fault(s, &m) == SESS_H_FAIL ? SESS_H_FAIL : SESS_H_STAY);
    s->out.output_on = s->out.contactors_closed = s->out.isolation_check = 0;
    s->out.target_a = 0.0f;
    if (on && m.code != SESS_RC_OK) {
        fault(s, &m);
        return give(s, &m, SESS_H_FAIL);
    }
    if (on) {
        s->out.output_on = s->out.contactors_closed = s->in.status == SESS_EVSE_OK;
        if (s->ac) {
            s->out.target_v = s->cfg.ac_nominal_v;
            s->out.target_a = ac_limit(s);
        }
        s->receipt_at_ms = now + s->cfg.receipt_interval_ms;
    }
    return give(s, &m, fault(s, &m));
}

int sess_dc_evse_power_start(sess_evse *s, uint32_t now) { return power_delivery(s, 1, now); }

/* Also accepted right after CableCheck or PreCharge: a car may end there without charging (Audi Q4). */
int sess_dc_evse_power_stop(sess_evse *s, uint32_t now) { return power_delivery(s, 0, now); }

/* The charge loop: regulation within both sides' limits, the progress watch, a receipt request when one is due.
 * A car that must send every EVMaximum* limit (cfg.require_ev_limits) and did not: WrongChargeParameter. */
int sess_dc_evse_current_demand(sess_evse *s, uint32_t now)
{
    sess_dc m = take(s);
    s->ev_target_v = m.target_v;
    s->ev_target_a = m.target_a;
    if (m.discharge_max_a > 0.0f) s->ev_discharge_max_a = m.discharge_max_a;   /* BPT: the loop's own */
    int progress = m.code == SESS_RC_OK ? sess_evse_dc_progress(s, now) : SESS_H_NEXT;
    m.receipt = (uint8_t)sess_evse_receipt_due(s, now);
    int h = connected_fault(s, &m);
    if (h != SESS_H_NEXT) return give(s, &m, h);
    if (m.code == SESS_RC_OK && progress == SESS_H_FAIL) m.code = SESS_RC_FAILED;
    if (m.code == SESS_RC_OK && s->cfg.require_ev_limits && !m.limits_said) m.code = SESS_RC_WRONG_CHARGE_PARAMETER;
    if (m.code != SESS_RC_OK) return give(s, &m, SESS_H_FAIL);
    sess_evse_dc_demand(s, m.has_max_v ? m.max_v : s->cfg.max_v, m.has_max_a ? m.max_a : s->cfg.max_a, &m.hit);
    return give(s, &m, SESS_H_NEXT);
}

/* AC: the limit set at PowerDelivery stands (a shutdown takes it to 0: the status asks the car to stop); a receipt
 * request when one is due; a request the mapper refused (a mode not offered) fails. BPT: a car asking to discharge
 * (a negative target current per phase) feeds back at most our limit, else it draws within it. */
int sess_ac_evse_charge_loop(sess_evse *s, uint32_t now)
{
    sess_dc m = take(s);
    m.receipt = (uint8_t)sess_evse_receipt_due(s, now);
    int h = fault(s, &m);
    if (h == SESS_H_NEXT && m.code != SESS_RC_OK) h = SESS_H_FAIL;
    if (h == SESS_H_NEXT && SESS_BPT(s) && s->out.output_on)
        s->out.target_a = m.target_a < 0.0f ? -(-m.target_a < s->cfg.ac_max_a ? -m.target_a : s->cfg.ac_max_a)
                                            : ac_limit(s);
    return give(s, &m, h);
}

int sess_dc_evse_welding(sess_evse *s, uint32_t now)
{
    (void)now;
    sess_dc m = take(s);
    sess_evse_dc_off(s);
    return give(s, &m, fault(s, &m));
}
