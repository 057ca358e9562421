/* SDP client and server in the one machine shape (ccsplc/core/machines.h). */
#include "ccsplc/core/errors.h"
#include "ccsplc/core/machines.h"

static void client_handle(void *self, const ccs_event *ev, uint32_t now_ms, ccs_action *act)
{
    sdp_client *c = self;
    sdp_action a = SDP_ACT_NONE;
    switch (ev->kind) {
    case CCS_EV_START: a = sdp_client_start(c, now_ms); break;
    case CCS_EV_MESSAGE: a = sdp_client_on_datagram(c, ev->data, ev->len); break;
    case CCS_EV_DISCONNECT: c->state = SDP_CLIENT_IDLE; break;
    case CCS_EV_TIMER:
    case CCS_EV_INPUTS: a = sdp_client_tick(c, now_ms); break;
    }
    if (a == SDP_ACT_SEND_REQUEST) {
        act->n = 1;
        act->out[0] = c->tx;
        act->len[0] = (uint16_t)c->tx_len;
    }
    act->has_wake = c->state == SDP_CLIENT_WAITING;
    act->wake_ms = c->deadline_ms;
    act->done = c->state == SDP_CLIENT_DONE || c->state == SDP_CLIENT_FAILED;
    if (c->state == SDP_CLIENT_FAILED) act->err = CCS_ETIMEOUT;
}

static void server_handle(void *self, const ccs_event *ev, uint32_t now_ms, ccs_action *act)
{
    (void)now_ms;
    sdp_server_machine *s = self;
    size_t n;
    if (ev->kind == CCS_EV_MESSAGE && sdp_server_answer(&s->srv, ev->data, ev->len, s->tx, sizeof s->tx, &n) == 0) {
        act->n = 1;
        act->out[0] = s->tx;
        act->len[0] = (uint16_t)n;
    }
}

ccs_machine ccs_sdp_client_machine(sdp_client *c) { return (ccs_machine){ client_handle, c }; }

ccs_machine ccs_sdp_server_machine(sdp_server_machine *s) { return (ccs_machine){ server_handle, s }; }
