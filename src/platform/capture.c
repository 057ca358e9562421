/* Capture reader: classifies each Ethernet frame (HomePlug, SDP, TCP, other), counts it, and learns V2G
 * server endpoints from SDP responses. */
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/sdp.h"
#include "platform/capture_int.h"

cap_reader *cap_new(const cap_callbacks *cb, uint32_t max_payload)
{
    cap_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    if (cb) r->cb = *cb;
    r->max_payload = max_payload;
    return r;
}

void cap_emit_event(cap_reader *r, cap_event_kind kind, uint32_t conn, cap_dir dir, uint32_t value)
{
    if (!r->cb.event) return;
    cap_event e = {kind, conn, dir, r->now_ns, value};
    r->cb.event(r->cb.ctx, &e);
}

int cap_is_sdp_server(const cap_reader *r, const uint8_t addr[IPV6_ADDR_LEN], uint16_t port)
{
    for (size_t i = 0; i < r->n_servers; i++)
        if (r->servers[i].port == port && !memcmp(r->servers[i].addr, addr, IPV6_ADDR_LEN)) return 1;
    return 0;
}

/* Remembers the endpoint a valid SDP response announces (the oldest is forgotten when full). */
static void learn_server(cap_reader *r, const uint8_t *udp_payload, size_t len)
{
    sdp_response res;
    if (sdp_parse_response(udp_payload, len, &res) || cap_is_sdp_server(r, res.addr, res.port)) return;
    size_t i = r->next_server++ % CAP_MAX_SDP_SERVERS;
    if (r->n_servers < CAP_MAX_SDP_SERVERS) r->n_servers++;
    memcpy(r->servers[i].addr, res.addr, IPV6_ADDR_LEN);
    r->servers[i].port = res.port;
}

void cap_set_keylog(cap_reader *r, const tls_keylog *k) { r->keylog = k; }

void cap_frame(cap_reader *r, uint64_t ts_ns, const uint8_t *frame, size_t len)
{
    r->now_ns = ts_ns;
    r->stats.frames++;
    ipv6_frame f;
    const uint8_t *payload;
    size_t plen;
    int rc = ipv6_frame_parse(frame, len, &f, &payload, &plen);
    if (f.ethertype == ETH_TYPE_HOMEPLUG) {
        r->stats.homeplug++;
        if (r->cb.homeplug) r->cb.homeplug(r->cb.ctx, ts_ns, frame, len);
    } else if (rc == CCS_EUNSUPP) {
        r->stats.other++;
    } else if (rc) {
        r->stats.malformed++;
    } else if (f.proto == IPV6_PROTO_TCP) {
        cap_tcp_segment(r, &f, payload, plen);
    } else if (f.src_port == SDP_UDP_PORT || f.dst_port == SDP_UDP_PORT) {
        learn_server(r, payload, plen);
        r->stats.sdp++;
        cap_sdp d = {ts_ns, &f, payload, plen};
        if (r->cb.sdp) r->cb.sdp(r->cb.ctx, &d);
    } else {
        r->stats.other++;
    }
}

void cap_finish(cap_reader *r) { cap_tcp_finish(r); }

const cap_stats *cap_get_stats(const cap_reader *r) { return &r->stats; }

void cap_free(cap_reader *r)
{
    if (!r) return;
    cap_tcp_free(r);
    free(r->plain);
    free(r);
}
