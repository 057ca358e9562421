/* The car's DC steps, written once on the session model (sess_model.h) for DIN 70121, ISO 15118-2 and
 * ISO 15118-20: builders decide what a request asks and hand it to the protocol's mapper; response handlers take
 * the response from the mapper and decide how the session goes on. */
#include <math.h>

#include "sess_internal.h"

static int send_req(sess_pev *p, sess_dc *m, uint32_t now)
{
    m->now = now;
    p->proto->pev_dc_out(p, m);
    return SESS_H_NEXT;
}

static sess_dc take(sess_pev *p)
{
    sess_dc m = { .soc = -1 };
    p->proto->pev_dc_in(p, &m);
    return m;
}

int sess_pev_dc_check(sess_pev *p, const sess_dc *m, int with_status)
{
    const sess_dc_status *st = with_status && m->has_status ? &m->status : NULL;
    sess_stop_reason why = SESS_STOP_NONE;
    if (m->code == SESS_RC_SEQUENCE) why = SESS_STOP_SEQUENCE;
    else if (m->code == SESS_RC_UNKNOWN_SESSION) why = SESS_STOP_UNKNOWN_SESSION;
    else if (m->code != SESS_RC_OK) why = SESS_STOP_FAILED;
    else if (st && st->status == SESS_EVSE_EMERGENCY) why = SESS_STOP_EVSE_EMERGENCY;
    else if (st && (st->status == SESS_EVSE_MALFUNCTION || st->rcd)) why = SESS_STOP_EVSE_MALFUNCTION;
    else if (st && (st->status == SESS_EVSE_SHUTDOWN || st->stop_notice)) {
        if (p->stop == SESS_STOP_NONE) p->stop = SESS_STOP_EVSE_SHUTDOWN;
        return SESS_H_END;
    }
    if (why == SESS_STOP_NONE) return SESS_H_NEXT;
    sess_pev_safe(p, why);
    return SESS_H_FAIL;
}

/* Before charging a stop request is as final as a fault: safe state, reason EVSE shutdown. */
static int gate(sess_pev *p, const sess_dc *m)
{
    int h = sess_pev_dc_check(p, m, 1);
    if (h != SESS_H_END) return h;
    sess_pev_safe(p, SESS_STOP_EVSE_SHUTDOWN);
    return SESS_H_FAIL;
}

/* The code only: NEXT or FAIL. */
static int code_ok(sess_pev *p, const sess_dc *m)
{
    return sess_pev_dc_check(p, m, 0) == SESS_H_FAIL ? SESS_H_FAIL : SESS_H_NEXT;
}

/* Every optional field filled (the mapper's part): some chargers refuse a request without them. */
int sess_dc_pev_build_charge_parameter(sess_pev *p, uint32_t now)
{
    sess_dc m = { .soc = -1 };
    return send_req(p, &m, now);
}

/* The charger's limits through the car's check (sess_pev_take_limits; AC: its nominal voltage against our on-board
 * charger's maximum); Ongoing: ask again; Finished: the first schedule kept. */
int sess_dc_pev_on_charge_parameter(sess_pev *p, uint32_t now)
{
    (void)now;
    sess_dc m = take(p);
    if (gate(p, &m) == SESS_H_FAIL) return SESS_H_FAIL;
    int finished = !m.ongoing;
    if (!m.right_kind) {
        sess_pev_safe(p, SESS_STOP_FAILED);
        return SESS_H_FAIL;
    }
    if (finished && m.incompatible) {
        sess_pev_safe(p, SESS_STOP_EVSE_LIMITS);
        return SESS_H_FAIL;
    }
    if (sess_pev_take_limits(p, &m.limits, finished && !m.ac) == SESS_H_FAIL) return SESS_H_FAIL;
    if (!finished) return SESS_H_STAY;
    p->evse_discharge_max_a = m.discharge_max_a;   /* BPT */
    if (m.has_schedule) {
        p->sa_tuple_id = m.tuple_id;
        p->pmax_w = m.pmax_w;
    }
    return SESS_H_NEXT;
}

/* CP state C from CableCheck on (the charger tests the isolation only then). */
int sess_dc_pev_build_cable_check(sess_pev *p, uint32_t now)
{
    sess_dc m = { .soc = -1 };
    p->out.cp_state_c = 1;
    return send_req(p, &m, now);
}

int sess_dc_pev_on_cable_check(sess_pev *p, uint32_t now)
{
    (void)now;
    sess_dc m = take(p);
    if (gate(p, &m) == SESS_H_FAIL) return SESS_H_FAIL;
    if (m.ongoing) return SESS_H_STAY;
    if (m.has_status && m.status.isolation == SESS_ISO_FAULT) {
        sess_pev_safe(p, SESS_STOP_ISOLATION);
        return SESS_H_FAIL;
    }
    return SESS_H_NEXT;
}

int sess_dc_pev_build_precharge(sess_pev *p, uint32_t now)
{
    sess_dc m = { .soc = -1, .target_v = p->in.battery_v, .target_a = p->cfg.precharge_a };
    return send_req(p, &m, now);
}

/* Until the voltage the charger measures matches the battery's; then the contactors close. */
int sess_dc_pev_on_precharge(sess_pev *p, uint32_t now)
{
    sess_dc m = take(p);
    if (gate(p, &m) == SESS_H_FAIL) return SESS_H_FAIL;
    p->evse_v = m.present_v;
    return sess_pev_precharge_check(p, now);
}

/* AC: CP state C and the on-board charger connected before the charger switches on. */
int sess_dc_pev_build_power_start(sess_pev *p, uint32_t now)
{
    sess_dc m = { .soc = -1 };
    if (p->cfg.ac) p->out.cp_state_c = p->out.contactors_closed = 1;
    return send_req(p, &m, now);
}

int sess_dc_pev_build_power_stop(sess_pev *p, uint32_t now)
{
    sess_dc m = { .soc = -1, .stop = 1 };
    return send_req(p, &m, now);
}

int sess_dc_pev_on_power_start(sess_pev *p, uint32_t now)
{
    (void)now;
    sess_dc m = take(p);
    return gate(p, &m);
}

/* Charging is over: no more current asked; the contactors open once the current has fallen. */
int sess_dc_pev_on_power_stop(sess_pev *p, uint32_t now)
{
    (void)now;
    sess_pev_power_off(p);
    sess_dc m = take(p);
    return code_ok(p, &m);
}

/* The current the battery accepts (at most our maximum), none when stopping. */
int sess_dc_pev_build_current_demand(sess_pev *p, uint32_t now)
{
    int stopping = sess_pev_stopping(p);
    sess_dc m = { .soc = -1, .stop = (uint8_t)stopping, .target_v = p->cfg.max_v };
    m.target_a = sess_pev_ask_a(p, stopping);
    return send_req(p, &m, now);
}

/* Loop until the battery is full, the user stops, the charger asks to stop or what it reports fails the car's
 * check (then PowerDelivery stop). */
int sess_dc_pev_on_current_demand(sess_pev *p, uint32_t now)
{
    sess_dc m = take(p);
    p->evse_v = m.present_v;
    p->evse_a = m.present_a;
    int h = sess_pev_dc_check(p, &m, 1);
    return sess_pev_loop_end(p, h, m.receipt, sess_pev_check_present(p, 1, now));
}

/* AC: the mapper says the power or energy the car still wants (none when stopping). */
int sess_ac_pev_build_charge_loop(sess_pev *p, uint32_t now)
{
    sess_pev_bpt_update(p);
    sess_dc m = { .soc = -1, .stop = (uint8_t)sess_pev_stopping(p) };
    return send_req(p, &m, now);
}

/* AC: the charger's current limit (kept when plausible: the on-board charger draws within it), its status, the
 * loop's end as DC's. The current is the car's own measurement. */
int sess_ac_pev_on_charge_loop(sess_pev *p, uint32_t now)
{
    (void)now;
    sess_dc m = take(p);
    float max_a = m.has_limit ? m.limits.max_a : p->evse_max_a;
    /* BPT: a negative limit is a discharge, at most the on-board charger's current */
    int plausible = isfinite(max_a) && max_a >= (SESS_BPT(p) ? -p->cfg.ac_max_a - SESS_PEV_CURRENT_TOLERANCE_A : 0.0f);
    if (plausible) p->evse_max_a = max_a;
    p->evse_a = p->in.present_a;
    int h = sess_pev_dc_check(p, &m, 1);
    return sess_pev_loop_end(p, h, m.receipt, plausible ? SESS_STOP_NONE : SESS_STOP_IMPLAUSIBLE);
}

int sess_pev_loop_end(sess_pev *p, int h, uint8_t receipt_required, sess_stop_reason fault)
{
    if (h == SESS_H_FAIL) return h;
    if (sess_pev_loop_fault(p, fault)) {   /* no receipt: the charger's values failed the car's check */
        p->receipt_due = 0;
        return SESS_H_NEXT;
    }
    int stopping = sess_pev_loop_stopping(p, h);
    p->receipt_due = receipt_required;
    if (stopping && p->cfg.ac) p->out.stop_requested = 1;
    return stopping || receipt_required ? SESS_H_NEXT : SESS_H_STAY;
}

/* WeldingDetection checks that the voltage goes once the car's contactors are open: it waits (within the row's
 * limit) until the current has fallen and the contactors opened. */
int sess_dc_pev_build_welding(sess_pev *p, uint32_t now)
{
    if (p->out.contactors_closed) return SESS_H_STAY;
    sess_dc m = { .soc = -1 };
    return send_req(p, &m, now);
}

int sess_dc_pev_on_welding(sess_pev *p, uint32_t now)
{
    (void)now;
    sess_dc m = take(p);
    p->evse_v = m.present_v;
    return code_ok(p, &m);
}
