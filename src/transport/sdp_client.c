/* SDP client (EVCC) state machine: multicast the request, resend after the timeout, stop at the limit. */
#include "ccsplc/core/errors.h"
#include "ccsplc/core/sdp.h"

int sdp_client_init(sdp_client *c, uint8_t security, uint8_t transport)
{
    c->state = SDP_CLIENT_IDLE;
    c->req.security = security;
    c->req.transport = transport;
    c->timeout_ms = SDP_TIMEOUT_MS;
    c->max_requests = SDP_MAX_REQUESTS;
    c->sent = 0;
    c->deadline_ms = 0;
    return sdp_pack_request(&c->req, c->tx, sizeof c->tx, &c->tx_len);
}

static sdp_action send_request(sdp_client *c, uint32_t now_ms)
{
    c->sent++;
    c->deadline_ms = now_ms + c->timeout_ms;
    c->state = SDP_CLIENT_WAITING;
    return SDP_ACT_SEND_REQUEST;
}

sdp_action sdp_client_start(sdp_client *c, uint32_t now_ms)
{
    c->sent = 0;
    return send_request(c, now_ms);
}

sdp_action sdp_client_tick(sdp_client *c, uint32_t now_ms)
{
    if (c->state != SDP_CLIENT_WAITING || (int32_t)(now_ms - c->deadline_ms) < 0) return SDP_ACT_NONE;
    if (c->sent < c->max_requests) return send_request(c, now_ms);
    c->state = SDP_CLIENT_FAILED;
    return SDP_ACT_FAILED;
}

sdp_action sdp_client_on_datagram(sdp_client *c, const uint8_t *buf, size_t len)
{
    if (c->state != SDP_CLIENT_WAITING || sdp_parse_response(buf, len, &c->result) != 0) return SDP_ACT_NONE;
    c->state = SDP_CLIENT_DONE;
    return SDP_ACT_DONE;
}
