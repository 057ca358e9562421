/* SDP request and response datagrams: pack and parse inside V2GTP framing. */
#include "ccsplc/core/sdp.h"

#include <string.h>

#include "ccsplc/core/errors.h"
#include "common/wire.h"

static int valid_choice(uint8_t security, uint8_t transport)
{
    return (security == SDP_SECURITY_TLS || security == SDP_SECURITY_NONE) &&
           (transport == SDP_TRANSPORT_TCP || transport == SDP_TRANSPORT_UDP);
}

/* Parses buf as one V2GTP datagram of the given payload type and payload length. */
static int parse_framed(const uint8_t *buf, size_t len, uint16_t type, uint32_t payload_len, v2gtp_msg *m)
{
    int rc = v2gtp_parse(buf, len, payload_len, m);
    if (rc == CCS_ERANGE) return CCS_EPROTO; /* longer than an SDP payload can be */
    if (rc) return rc;
    return m->payload_type == type && m->payload_len == payload_len ? 0 : CCS_EPROTO;
}

int sdp_pack_request(const sdp_request *req, uint8_t *buf, size_t cap, size_t *len)
{
    if (!valid_choice(req->security, req->transport)) return CCS_ERANGE;
    const uint8_t payload[SDP_REQ_PAYLOAD_LEN] = {req->security, req->transport};
    return v2gtp_pack(V2GTP_SDP_REQ, payload, sizeof payload, buf, cap, len);
}

int sdp_parse_request(const uint8_t *buf, size_t len, sdp_request *out)
{
    v2gtp_msg m;
    int rc = parse_framed(buf, len, V2GTP_SDP_REQ, SDP_REQ_PAYLOAD_LEN, &m);
    if (rc) return rc;
    if (!valid_choice(m.payload[0], m.payload[1])) return CCS_ERANGE;
    out->security = m.payload[0];
    out->transport = m.payload[1];
    return 0;
}

int sdp_pack_response(const sdp_response *res, uint8_t *buf, size_t cap, size_t *len)
{
    if (!valid_choice(res->security, res->transport)) return CCS_ERANGE;
    uint8_t payload[SDP_RES_PAYLOAD_LEN];
    memcpy(payload, res->addr, IPV6_ADDR_LEN);
    be16_put(payload + 16, res->port);
    payload[18] = res->security;
    payload[19] = res->transport;
    return v2gtp_pack(V2GTP_SDP_RES, payload, sizeof payload, buf, cap, len);
}

int sdp_parse_response(const uint8_t *buf, size_t len, sdp_response *out)
{
    v2gtp_msg m;
    int rc = parse_framed(buf, len, V2GTP_SDP_RES, SDP_RES_PAYLOAD_LEN, &m);
    if (rc) return rc;
    if (!valid_choice(m.payload[18], m.payload[19])) return CCS_ERANGE;
    memcpy(out->addr, m.payload, IPV6_ADDR_LEN);
    out->port = be16_get(m.payload + 16);
    out->security = m.payload[18];
    out->transport = m.payload[19];
    return 0;
}
