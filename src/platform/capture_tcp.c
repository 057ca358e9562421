/* Capture reader, TCP part: connection table, client/server direction, per-direction TCP and V2GTP
 * reassembly with resynchronisation after gaps. */
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "platform/capture_int.h"

/* A TLS record header (RFC 8446 5.1, RFC 5246 6.2.1): content type change_cipher_spec (20) .. heartbeat (24),
 * version 3.x, a length up to 2^14 + 2048. A V2GTP header starts with 0x01 0xFE: the two never match both. */
static int tls_header(const uint8_t *p)
{
    unsigned len = (unsigned)p[3] << 8 | p[4];
    return p[0] >= 20 && p[0] <= 24 && p[1] == 3 && p[2] <= 4 && len > 0 && len <= 16384 + 2048;
}

static void v2g_push(cap_half *h, const uint8_t *p, size_t len);

/* With a key log: the buffers for a record about to be collected (the connection's TLS state, the record, the
 * reader's plaintext). 0, or -1 out of memory (the record is counted, not decrypted). */
static int rec_start(cap_half *h)
{
    cap_reader *r = h->r;
    if (!h->c->dec) h->c->dec = tls_dec_new(r->keylog);
    if (!h->rec) h->rec = malloc(TLS_RECORD_MAX);
    if (!r->plain) r->plain = malloc(TLS_RECORD_MAX);
    if (!h->c->dec || !h->rec || !r->plain) return -1;
    memcpy(h->rec, h->tls_hdr, 5);
    h->rec_len = 5;
    return 0;
}

/* A whole record collected: its application data (V2GTP) into the reassembly as from a plain stream. */
static void rec_done(cap_half *h)
{
    cap_reader *r = h->r;
    int n = tls_dec_record(h->c->dec, h->dir == CAP_DIR_C2S, h->rec, h->rec_len, r->plain, TLS_RECORD_MAX);
    h->rec_len = 0;
    if (n < 0) {
        r->stats.tls_failed++;
        if (!h->tls_told++) cap_emit_event(r, CAP_EV_TLS_ERROR, h->c->id, h->dir, (uint32_t)-n);
        return;
    }
    if (n == 0) return;
    r->stats.tls_decrypted++;
    v2g_push(h, r->plain, (size_t)n);
}

/* The records of a TLS stream: one event per record header; a header that is not one loses the stream (it is
 * found again like V2GTP: at a chunk that starts a message). With a key log each record is collected whole and
 * decrypted. */
static void tls_walk(cap_half *h, const uint8_t *p, size_t len)
{
    cap_reader *r = h->r;
    while (len > 0) {
        if (h->tls_left) {
            size_t n = len < h->tls_left ? len : h->tls_left;
            if (h->rec_len) memcpy(h->rec + h->rec_len, p, n), h->rec_len += n;
            h->tls_left -= (uint32_t)n;
            p += n;
            len -= n;
            if (!h->tls_left && h->rec_len) rec_done(h);
            continue;
        }
        size_t n = len < 5u - h->tls_hn ? len : 5u - h->tls_hn;
        memcpy(h->tls_hdr + h->tls_hn, p, n);
        h->tls_hn = (uint8_t)(h->tls_hn + n);
        p += n;
        len -= n;
        if (h->tls_hn < 5)
            return;
        h->tls_hn = 0;
        if (!tls_header(h->tls_hdr)) {
            h->tls = 0;
            h->aligned = 0;
            r->stats.skipped_bytes += len;
            return;
        }
        h->tls_left = (uint32_t)h->tls_hdr[3] << 8 | h->tls_hdr[4];
        r->stats.tls_records++;
        cap_emit_event(r, CAP_EV_TLS, h->c->id, h->dir, (uint32_t)h->tls_hdr[0] << 16 | h->tls_left);
        if (r->keylog && rec_start(h))
            h->rec_len = 0;
    }
}

static void on_data(void *ctx, const uint8_t *p, size_t len)
{
    cap_half *h = ctx;
    if (!h->tls && (!h->aligned || !h->pushed) && len >= 5 && tls_header(p)) {
        h->tls = 1; /* at the start of the stream, or where it is found again */
        h->tls_hn = 0;
        h->tls_left = 0;
        h->rec_len = 0;
    }
    if (h->tls) {
        tls_walk(h, p, len);
        return;
    }
    v2g_push(h, p, len);
}

/* Stream bytes (plain TCP, or decrypted TLS) into the V2GTP reassembly: each whole message to the callback. */
static void v2g_push(cap_half *h, const uint8_t *p, size_t len)
{
    cap_reader *r = h->r;
    v2gtp_header hd;
    if (!h->aligned) {
        /* Joined mid-stream or after a gap: wait for a chunk that starts with a valid header. */
        if (v2gtp_parse_header(p, len, r->max_payload, &hd) != 0) {
            r->stats.skipped_bytes += len;
            return;
        }
        h->aligned = 1;
    }
    h->pushed = 1;
    while (len > 0) {
        size_t used;
        v2gtp_msg m;
        int rc = v2gtp_reasm_push(&h->v2g, p, len, &used, &m);
        p += used;
        len -= used;
        if (rc == CCS_EAGAIN) return;
        if (rc) {
            r->stats.bad_v2gtp++;
            r->stats.skipped_bytes += len;
            cap_emit_event(r, CAP_EV_BAD_V2GTP, h->c->id, h->dir, (uint32_t)-rc);
            v2gtp_reasm_reset(&h->v2g);
            h->aligned = 0;
            h->pushed = 0;
            return;
        }
        r->stats.v2gtp++;
        if (r->cb.v2gtp) {
            const cap_conn *c = h->c;
            cap_v2gtp out = {.conn = c->id, .dir = h->dir, .ts_ns = r->now_ns,
                             .src = c->addr[h->dir], .dst = c->addr[!h->dir],
                             .src_port = c->port[h->dir], .dst_port = c->port[!h->dir],
                             .payload_type = m.payload_type, .payload_len = m.payload_len, .payload = m.payload};
            r->cb.v2gtp(r->cb.ctx, &out);
        }
    }
}

static void on_gap(void *ctx, uint32_t lost)
{
    cap_half *h = ctx;
    h->r->stats.gaps++;
    h->r->stats.gap_bytes += lost;
    cap_emit_event(h->r, CAP_EV_GAP, h->c->id, h->dir, lost);
    v2gtp_reasm_reset(&h->v2g);
    h->aligned = 0;
    h->pushed = 0;
    h->tls = 0;
    h->rec_len = 0;
}

static tcp_reasm_sink sink_of(cap_half *h) { return (tcp_reasm_sink){on_data, on_gap, h}; }

static int half_init(cap_reader *r, cap_conn *c, cap_dir dir)
{
    cap_half *h = &c->half[dir];
    size_t v2g_cap = V2GTP_HEADER_LEN + (size_t)r->max_payload;
    h->r = r;
    h->c = c;
    h->dir = dir;
    h->mem = malloc(CAP_TCP_WINDOW + CAP_TCP_WINDOW / 8 + v2g_cap);
    if (!h->mem) return CCS_ENOSPC;
    tcp_reasm_init(&h->tcp, h->mem, h->mem + CAP_TCP_WINDOW, CAP_TCP_WINDOW);
    return v2gtp_reasm_init(&h->v2g, h->mem + CAP_TCP_WINDOW + CAP_TCP_WINDOW / 8, v2g_cap, r->max_payload);
}

static void close_conn(cap_reader *r, cap_conn *c, cap_close_kind how)
{
    for (int d = 0; d < 2; d++) {
        tcp_reasm_sink s = sink_of(&c->half[d]);
        tcp_reasm_flush(&c->half[d].tcp, &s);
        r->stats.retransmissions += c->half[d].tcp.dup_segments;
        r->stats.out_of_order += c->half[d].tcp.ooo_segments;
        free(c->half[d].mem);
        c->half[d].mem = NULL;
        free(c->half[d].rec);
        c->half[d].rec = NULL;
    }
    tls_dec_free(c->dec);
    c->dec = NULL;
    c->closed = 1;
    cap_emit_event(r, CAP_EV_CLOSE, c->id, CAP_DIR_C2S, how);
}

/* Whether the sender of the first segment seen of a connection is its client (see cap_dir). */
static int sender_is_client(const cap_reader *r, const ipv6_frame *f)
{
    if (f->tcp_flags & TCP_SYN) return !(f->tcp_flags & TCP_ACK);
    if (cap_is_sdp_server(r, f->dst, f->dst_port)) return 1;
    if (cap_is_sdp_server(r, f->src, f->src_port)) return 0;
    if (f->dst_port == CAP_V2G_TCP_PORT) return 1;
    if (f->src_port == CAP_V2G_TCP_PORT) return 0;
    return 1;
}

static cap_conn *new_conn(cap_reader *r, const ipv6_frame *f, cap_dir *sender)
{
    if (r->n_conns == r->cap_conns) {
        size_t n = r->cap_conns ? r->cap_conns * 2 : 16;
        cap_conn **grown = realloc(r->conns, n * sizeof *grown);
        if (!grown) return NULL;
        r->conns = grown;
        r->cap_conns = n;
    }
    cap_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    *sender = sender_is_client(r, f) ? CAP_DIR_C2S : CAP_DIR_S2C;
    memcpy(c->addr[*sender], f->src, IPV6_ADDR_LEN);
    memcpy(c->addr[!*sender], f->dst, IPV6_ADDR_LEN);
    c->port[*sender] = f->src_port;
    c->port[!*sender] = f->dst_port;
    c->id = (uint32_t)r->n_conns;
    if (half_init(r, c, CAP_DIR_C2S) || half_init(r, c, CAP_DIR_S2C)) {
        free(c->half[0].mem);
        free(c->half[1].mem);
        free(c);
        return NULL;
    }
    r->conns[r->n_conns++] = c;
    r->stats.connections++;
    cap_emit_event(r, CAP_EV_OPEN, c->id, *sender, (f->tcp_flags & TCP_SYN) != 0);
    return c;
}

/* The newest connection with this segment's endpoints; *sender gets the segment's direction. */
static cap_conn *find_conn(cap_reader *r, const ipv6_frame *f, cap_dir *sender)
{
    for (size_t i = r->n_conns; i-- > 0;) {
        cap_conn *c = r->conns[i];
        for (int d = 0; d < 2; d++)
            if (f->src_port == c->port[d] && f->dst_port == c->port[!d] && !memcmp(f->src, c->addr[d], 16) &&
                !memcmp(f->dst, c->addr[!d], 16)) {
                *sender = (cap_dir)d;
                return c;
            }
    }
    return NULL;
}

void cap_tcp_segment(cap_reader *r, const ipv6_frame *f, const uint8_t *payload, size_t len)
{
    r->stats.tcp_segments++;
    cap_dir d = CAP_DIR_C2S; /* set by find_conn or new_conn (gcc -Os cannot see it) */
    cap_conn *c = find_conn(r, f, &d);
    int syn = (f->tcp_flags & TCP_SYN) != 0, ack = (f->tcp_flags & TCP_ACK) != 0;
    if (c && syn && !ack && (c->closed || (c->syn_seen && c->client_isn != f->seq))) c = NULL; /* port reused */
    if (c && c->closed) return; /* late retransmissions and ACKs of a finished connection */
    if (!c && !(c = new_conn(r, f, &d))) return;
    cap_half *h = &c->half[d];
    if (syn && !h->tcp.synced) {
        tcp_reasm_start(&h->tcp, f->seq + 1);
        h->aligned = 1;
        if (!ack) {
            c->syn_seen = 1;
            c->client_isn = f->seq;
        }
    }
    if (ack) {
        cap_half *o = &c->half[!d];
        tcp_reasm_sink other = sink_of(o);
        /* The ACK of a FIN covers the FIN's sequence number, which carries no byte. */
        int past_fin = o->fin && (int32_t)(f->ack - o->fin_seq) > 0;
        tcp_reasm_ack(&o->tcp, past_fin ? o->fin_seq : f->ack, &other);
    }
    tcp_reasm_sink s = sink_of(h);
    tcp_reasm_segment(&h->tcp, f->seq + (uint32_t)syn, payload, len, &s);
    if (f->tcp_flags & TCP_FIN) {
        h->fin = 1;
        h->fin_seq = f->seq + (uint32_t)syn + (uint32_t)len;
    }
    if (f->tcp_flags & TCP_RST)
        close_conn(r, c, CAP_CLOSE_RST);
    else if (c->half[0].fin && c->half[1].fin)
        close_conn(r, c, CAP_CLOSE_FIN);
}

void cap_tcp_finish(cap_reader *r)
{
    for (size_t i = 0; i < r->n_conns; i++)
        if (!r->conns[i]->closed) close_conn(r, r->conns[i], CAP_CLOSE_END);
}

void cap_tcp_free(cap_reader *r)
{
    for (size_t i = 0; i < r->n_conns; i++) {
        for (int d = 0; d < 2; d++) {
            free(r->conns[i]->half[d].mem);
            free(r->conns[i]->half[d].rec);
        }
        tls_dec_free(r->conns[i]->dec);
        free(r->conns[i]);
    }
    free(r->conns);
}
