/* SDP server (SECC): answers a request with our address and the TCP or TLS port that fits it. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/sdp.h"

int sdp_server_answer(const sdp_server *s, const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                      size_t *out_len)
{
    sdp_request rq;
    int rc = sdp_parse_request(req, req_len, &rq);
    if (rc) return rc;
    if (!s->tcp_port && !s->tls_port) return CCS_ESTATE;
    int tls = rq.security == SDP_SECURITY_TLS ? s->tls_port != 0 : s->tcp_port == 0;
    sdp_response res;
    memcpy(res.addr, s->addr, IPV6_ADDR_LEN);
    res.port = tls ? s->tls_port : s->tcp_port;
    res.security = tls ? SDP_SECURITY_TLS : SDP_SECURITY_NONE;
    res.transport = SDP_TRANSPORT_TCP;
    return sdp_pack_response(&res, out, cap, out_len);
}
