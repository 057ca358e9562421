/* IP traffic of a capture as records: SDP datagrams (the request comes from the car: roles by address), TCP
 * connection events, and the session each connection belongs to. Host side. */
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/ipv6.h"
#include "ccsplc/core/sdp.h"
#include "decode_int.h"

dec_conn *dec_conn_get(dec_analyzer *a, uint32_t id, uint64_t ts_ns, int claim)
{
    if (id >= a->nconns) {
        dec_conn *n = a->conns;
        if (id >= a->capconns) {
            size_t cap = a->capconns ? a->capconns : 8;
            while (cap <= id)
                cap *= 2;
            n = realloc(a->conns, cap * sizeof *n);
            if (!n)
                return NULL;
            a->capconns = cap;
        }
        memset(n + a->nconns, 0, ((size_t)id + 1 - a->nconns) * sizeof *n);
        for (size_t i = a->nconns; i <= id; i++)
            n[i].session = -1;
        a->conns = n;
        a->nconns = (size_t)id + 1;
    }
    dec_conn *c = &a->conns[id];
    if (c->session < 0 && claim) {
        c->session = a->cur >= 0 && a->sess[a->cur].conn < 0 ? a->cur : dec_session_new(a, ts_ns);
        if (c->session >= 0)
            a->sess[c->session].conn = (int)id;
    }
    return c;
}

dec_dir dec_ip_dir(const dec_analyzer *a, const uint8_t src[16], int from_client)
{
    if (a->has_car_ip && !memcmp(src, a->car_ip, 16))
        return DEC_DIR_CAR_TO_CHARGER;
    if (a->has_charger_ip && !memcmp(src, a->charger_ip, 16))
        return DEC_DIR_CHARGER_TO_CAR;
    return from_client ? DEC_DIR_CAR_TO_CHARGER : DEC_DIR_CHARGER_TO_CAR; /* the car is the TCP client */
}

void dec_endpoint_text(const uint8_t addr[16], uint16_t port, char *out, size_t cap)
{
    char ip[IPV6_TEXT_MAX];
    if (ipv6_format(addr, ip, sizeof ip) < 0)
        snprintf(ip, sizeof ip, "?");
    snprintf(out, cap, "[%s]:%u", ip, port);
}

const char *dec_endpoint(dec_analyzer *a, const uint8_t addr[16], uint16_t port)
{
    unsigned n = sizeof a->ep / sizeof a->ep[0];
    for (unsigned i = 0; i < n && i < a->nep; i++)
        if (a->ep[i].port == port && !memcmp(a->ep[i].addr, addr, 16))
            return a->ep[i].text;
    unsigned i = a->nep++ % n;
    memcpy(a->ep[i].addr, addr, 16);
    a->ep[i].port = port;
    dec_endpoint_text(addr, port, a->ep[i].text, sizeof a->ep[i].text);
    return a->ep[i].text;
}

static const char *security_name(uint8_t v) { return v == SDP_SECURITY_TLS ? "TLS" : "none"; }
static const char *transport_name(uint8_t v) { return v == SDP_TRANSPORT_TCP ? "TCP" : "UDP"; }

void dec_on_sdp(void *ctx, const cap_sdp *d)
{
    dec_analyzer *a = ctx;
    char src[56], dst[56], keys[256];
    dec_endpoint_text(d->hdr->src, d->hdr->src_port, src, sizeof src);
    dec_endpoint_text(d->hdr->dst, d->hdr->dst_port, dst, sizeof dst);
    dec_record r = {.ts_ns = d->ts_ns, .conn = -1, .layer = DEC_LAYER_SDP, .proto = "sdp", .keys = keys,
                    .src = src, .dst = dst, .raw = d->payload, .raw_len = d->len};
    sdp_request req;
    sdp_response res;
    dec_fields_begin(&a->fb);
    if (!sdp_parse_request(d->payload, d->len, &req)) {
        r.name = "SDP request";
        r.dir = DEC_DIR_CAR_TO_CHARGER;
        memcpy(a->car_ip, d->hdr->src, 16);
        a->has_car_ip = 1;
        dec_session_for_link(a, d->ts_ns);
        dec_field_put(&a->fb, "Security", security_name(req.security));
        dec_field_put(&a->fb, "Transport", transport_name(req.transport));
    } else if (!sdp_parse_response(d->payload, d->len, &res)) {
        char ep[56];
        r.name = "SDP response";
        r.dir = DEC_DIR_CHARGER_TO_CAR;
        memcpy(a->charger_ip, d->hdr->src, 16);
        a->has_charger_ip = 1;
        dec_endpoint_text(res.addr, res.port, ep, sizeof ep);
        dec_field_put(&a->fb, "SECC", ep);
        dec_field_put(&a->fb, "Security", security_name(res.security));
        dec_field_put(&a->fb, "Transport", transport_name(res.transport));
    } else {
        r.name = "UDP 15118";
        r.error = "not an SDP request or response";
        r.dir = dec_ip_dir(a, d->hdr->src, d->hdr->dst_port == SDP_UDP_PORT);
    }
    dec_fields_end(&a->fb, &r);
    r.session = a->cur;
    dec_keys_join(&r, 0, keys, sizeof keys);
    dec_emit(a, &r);
}

void dec_on_event(void *ctx, const cap_event *e)
{
    dec_analyzer *a = ctx;
    dec_conn *c = dec_conn_get(a, e->conn, e->ts_ns, 0);
    char keys[96] = "";
    dec_record r = {.ts_ns = e->ts_ns, .session = c && c->session >= 0 ? c->session : a->cur, .conn = (int)e->conn,
                    .dir = e->dir == CAP_DIR_C2S ? DEC_DIR_CAR_TO_CHARGER : DEC_DIR_CHARGER_TO_CAR,
                    .layer = DEC_LAYER_TCP, .proto = "tcp", .keys = keys, .src = "", .dst = ""};
    switch (e->kind) {
    case CAP_EV_OPEN:
        r.name = "open";
        snprintf(keys, sizeof keys, "%s", e->value ? "SYN seen" : "joined an open connection");
        break;
    case CAP_EV_CLOSE:
        if (e->value == CAP_CLOSE_END) { /* the capture ended, not the connection: the session summary says so */
            a->end_ns = e->ts_ns > a->end_ns ? e->ts_ns : a->end_ns;
            return;
        }
        r.name = e->value == CAP_CLOSE_RST ? "reset" : "close";
        r.dir = DEC_DIR_UNKNOWN;
        snprintf(keys, sizeof keys, "%s", e->value == CAP_CLOSE_RST ? "RST" : "FIN both ways");
        break;
    case CAP_EV_GAP:
        r.name = "gap";
        snprintf(keys, sizeof keys, "lost=%u bytes", (unsigned)e->value);
        break;
    case CAP_EV_TLS: { /* V2G over TLS: a record of the encrypted stream; the connection is the session's */
        static const char *const types[] = {"TLS change cipher spec", "TLS alert", "TLS handshake",
                                            "TLS application data", "TLS heartbeat"};
        unsigned type = e->value >> 16;
        c = dec_conn_get(a, e->conn, e->ts_ns, 1);
        r.session = c ? c->session : a->cur;
        r.name = type >= 20 && type <= 24 ? types[type - 20] : "TLS record";
        snprintf(keys, sizeof keys, "length=%u", (unsigned)(e->value & 0xFFFF));
        break;
    }
    case CAP_EV_TLS_ERROR: { /* --keylog: a record of this direction did not decrypt (said once) */
        int rc = -(int)e->value;
        c = dec_conn_get(a, e->conn, e->ts_ns, 1);
        r.session = c ? c->session : a->cur;
        r.name = "undecrypted TLS";
        r.error = rc == CCS_ENOTFOUND ? "the key log has no secret for this connection"
                  : rc == CCS_EUNSUPP ? "cipher suite or record form not supported"
                  : rc == CCS_ESTATE  ? "the handshake is not in the capture"
                  : rc == CCS_EPROTO  ? "the record does not decrypt with the key log's secret"
                                      : ccs_strerror(rc);
        break;
    }
    default:
        r.name = "bad V2GTP";
        snprintf(keys, sizeof keys, "%s", ccs_strerror(-(int)e->value));
        break;
    }
    dec_emit(a, &r); /* no fields */
}
