/* The charger and car session engines in the one machine shape (ccsplc/core/machines.h): events to the engine's
 * calls, its tx, close flag, timers and phase to a ccs_action. */
#include <string.h>

#include "ccsplc/core/machines.h"

static int ended(sess_phase ph) { return ph == SESS_DONE || ph == SESS_SAFE; }

static void action_of(const uint8_t *tx, size_t tx_len, const char *name, uint8_t close, int has_wake,
                      uint32_t wake_ms, sess_phase ph, int rc, ccs_action *act)
{
    if (tx_len) {
        act->n = 1;
        act->out[0] = tx;
        act->len[0] = (uint16_t)tx_len;
        act->name = name;
    }
    act->close = close;
    act->has_wake = (uint8_t)has_wake;
    act->wake_ms = wake_ms;
    act->done = ended(ph);
    act->err = rc;
}

static void evse_handle(void *self, const ccs_event *ev, uint32_t now_ms, ccs_action *act)
{
    sess_evse *s = self;
    int rc = 0;
    switch (ev->kind) {
    case CCS_EV_START: sess_evse_connect(s, now_ms); break;
    case CCS_EV_MESSAGE: rc = sess_evse_on_message(s, ev->payload_type, ev->data, ev->len, now_ms); break;
    case CCS_EV_DISCONNECT: sess_evse_disconnect(s, now_ms); break;
    case CCS_EV_INPUTS:
        if (ev->inputs) s->in = *(const sess_evse_input *)ev->inputs;
        sess_evse_tick(s, now_ms);
        break;
    case CCS_EV_TIMER: sess_evse_tick(s, now_ms); break;
    }
    uint32_t at = 0;
    int wake = sess_evse_next_timeout(s, &at);
    action_of(s->tx, s->tx_len, s->tx_name, s->close, wake, at, s->phase, rc, act);
}

static void pev_handle(void *self, const ccs_event *ev, uint32_t now_ms, ccs_action *act)
{
    sess_pev *p = self;
    int rc = 0;
    switch (ev->kind) {
    case CCS_EV_START: rc = sess_pev_start(p, now_ms); break;
    case CCS_EV_MESSAGE: rc = sess_pev_on_message(p, ev->payload_type, ev->data, ev->len, now_ms); break;
    case CCS_EV_DISCONNECT: sess_pev_disconnect(p, now_ms); break;
    case CCS_EV_INPUTS:
        if (ev->inputs) p->in = *(const sess_pev_input *)ev->inputs;
        sess_pev_tick(p, now_ms);   /* the timers, and the contactors released as the current falls */
        break;
    case CCS_EV_TIMER: sess_pev_tick(p, now_ms); break;
    }
    uint32_t at = 0;
    int wake = sess_pev_next_timeout(p, &at);
    action_of(p->tx, p->tx_len, p->tx_name, p->close, wake, at, p->phase, rc, act);
}

ccs_machine ccs_sess_evse_machine(sess_evse *s) { return (ccs_machine){ evse_handle, s }; }

ccs_machine ccs_sess_pev_machine(sess_pev *p) { return (ccs_machine){ pev_handle, p }; }

void sess_evse_offer_resume(sess_evse *s, const uint8_t *id, uint8_t len)
{
    if (len > sizeof s->resume_id) len = 0;
    if (len) memcpy(s->resume_id, id, len);
    s->resume_id_len = len;
}
