/* mininet TCP (RFC 9293): one client connection; SYN, in-order data both ways with a bounded send buffer and
 * receive window, retransmission (go-back-N from the oldest unacknowledged byte, exponential backoff), zero-
 * window probes, FIN both ways, RST in and out (RFC 5961 checks). */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "mininet/mininet_int.h"

static uint16_t rcv_window(const mininet *n)
{
    size_t free_bytes = MININET_RCVBUF - n->rcv_len;
    return (uint16_t)(free_bytes > 0xffff ? 0xffff : free_bytes);
}

/* One segment (seq, flags, payload) into n->frame; every segment but the SYN carries our ACK and window. */
static size_t segment(mininet *n, uint32_t seq, uint8_t flags, const uint8_t *data, size_t len)
{
    ipv6_frame f;
    size_t out;
    mn_header(n, &f, n->peer_mac, n->peer_ip, IPV6_PROTO_TCP, MININET_HOP_LIMIT);
    f.src_port = n->lport;
    f.dst_port = n->rport;
    f.seq = seq;
    f.tcp_flags = flags;
    if (flags & TCP_ACK) {
        f.ack = n->rcv_nxt;
        n->ack_due = 0;
    }
    f.window = n->adv_wnd = rcv_window(n);
    return ipv6_frame_build(&f, data, len, n->frame, sizeof n->frame, &out) ? 0 : out;
}

static void arm(mininet *n, uint32_t now_ms)
{
    if (n->rto_running) return;
    n->rto_running = 1;
    n->rto_deadline = now_ms + n->rto;
}

void mn_tcp_closed(mininet *n, int reason)
{
    n->state = MININET_TCP_CLOSED;
    n->rto_running = n->syn_due = n->fin_queued = n->probe = 0;
    n->ns_due = 0;
    n->close_reason = reason;
    n->events |= MININET_EV_CLOSED;
}

void mn_tcp_resolved(mininet *n)
{
    if (n->state != MININET_TCP_RESOLVING) return;
    n->state = MININET_TCP_SYN_SENT;
    n->syn_due = 1;
}

int mininet_tcp_connect(mininet *n, const uint8_t peer[IPV6_ADDR_LEN], uint16_t dport, uint16_t lport,
                        uint32_t iss, uint32_t now_ms)
{
    if (n->state != MININET_TCP_CLOSED) return CCS_ESTATE;
    int known = n->peer_mac_known && !memcmp(n->peer_ip, peer, IPV6_ADDR_LEN);
    memcpy(n->peer_ip, peer, IPV6_ADDR_LEN);
    n->rport = dport;
    n->lport = lport;
    n->iss = n->snd_una = n->snd_nxt = n->snd_max = iss;
    n->rcv_nxt = 0;
    n->snd_len = n->rcv_len = n->snd_wnd = 0;
    n->ack_due = n->rst_due = n->fin_queued = n->probe = n->rto_running = n->retries = 0;
    n->rto = MININET_RTO_MS;
    n->close_reason = 0;
    n->state = MININET_TCP_RESOLVING;
    if (known)
        mn_tcp_resolved(n);
    else
        mn_nd_start(n, now_ms);
    return 0;
}

static int can_send(const mininet *n)
{
    return n->state == MININET_TCP_ESTABLISHED || n->state == MININET_TCP_CLOSE_WAIT || n->state == MININET_TCP_FIN_WAIT_1 ||
           n->state == MININET_TCP_CLOSING || n->state == MININET_TCP_LAST_ACK;
}

size_t mn_tcp_output(mininet *n, uint32_t now_ms)
{
    if (n->rst_due) {
        n->rst_due = 0;
        return segment(n, n->snd_nxt, TCP_RST | TCP_ACK, NULL, 0);
    }
    if (n->state == MININET_TCP_SYN_SENT && n->syn_due) {
        n->syn_due = 0;
        n->snd_nxt = n->iss + 1;
        if (SEQ_GT(n->snd_nxt, n->snd_max)) n->snd_max = n->snd_nxt;
        arm(n, now_ms);
        return segment(n, n->iss, TCP_SYN, NULL, 0);
    }
    if (can_send(n)) {
        uint32_t data_end = n->snd_una + n->snd_len;
        if (SEQ_LT(n->snd_nxt, data_end)) {
            uint32_t inflight = n->snd_nxt - n->snd_una, wnd = n->snd_wnd;
            if (wnd == 0 && n->probe) wnd = 1; /* zero-window probe: one byte past the window (RFC 9293 §3.8.6.1) */
            if (wnd > inflight) {
                uint32_t k = data_end - n->snd_nxt, room = wnd - inflight, seq = n->snd_nxt;
                if (k > room) k = room;
                if (k > MININET_MSS) k = MININET_MSS;
                n->snd_nxt += k;
                if (SEQ_GT(n->snd_nxt, n->snd_max)) n->snd_max = n->snd_nxt;
                n->probe = 0;
                arm(n, now_ms);
                return segment(n, seq, TCP_ACK | (n->snd_nxt == data_end ? TCP_PSH : 0), n->snd_buf + inflight, k);
            }
            if (n->snd_wnd == 0) arm(n, now_ms); /* the persist timer */
        } else if (n->fin_queued && n->snd_nxt == data_end) {
            n->snd_nxt++;
            if (SEQ_GT(n->snd_nxt, n->snd_max)) n->snd_max = n->snd_nxt;
            if (n->state == MININET_TCP_ESTABLISHED) n->state = MININET_TCP_FIN_WAIT_1;
            if (n->state == MININET_TCP_CLOSE_WAIT) n->state = MININET_TCP_LAST_ACK;
            arm(n, now_ms);
            return segment(n, data_end, TCP_FIN | TCP_ACK, NULL, 0);
        }
    }
    if (n->ack_due) return segment(n, n->snd_nxt, TCP_ACK, NULL, 0);
    return 0;
}

void mn_tcp_poll(mininet *n, uint32_t now_ms)
{
    if (!n->rto_running || !TIME_DUE(now_ms, n->rto_deadline)) return;
    n->rto_running = 0;
    int persist = n->snd_wnd == 0 && n->snd_len && n->snd_nxt == n->snd_una;
    if (n->snd_max == n->snd_una && !persist) return; /* everything acknowledged meanwhile */
    if (++n->retries > MININET_TCP_RETRIES) { /* the peer is gone: reset it and fail */
        if (n->state != MININET_TCP_SYN_SENT) n->rst_due = 1;
        mn_tcp_closed(n, CCS_ETIMEOUT);
        return;
    }
    n->stats.retransmits++;
    n->rto = n->rto * 2 > MININET_RTO_MAX_MS ? MININET_RTO_MAX_MS : n->rto * 2; /* RFC 6298 §5.5 */
    n->snd_nxt = n->snd_una; /* go back to the oldest unacknowledged byte (or the SYN) */
    if (n->state == MININET_TCP_SYN_SENT) n->syn_due = 1;
    if (n->snd_wnd == 0) n->probe = 1;
    arm(n, now_ms);
}

static void syn_sent_input(mininet *n, const ipv6_frame *f)
{
    uint8_t fl = f->tcp_flags;
    if ((fl & TCP_ACK) && f->ack != n->iss + 1) return; /* not for our SYN */
    if (fl & TCP_RST) {
        if (fl & TCP_ACK) mn_tcp_closed(n, CCS_EPROTO); /* refused */
        return;
    }
    if ((fl & (TCP_SYN | TCP_ACK)) != (TCP_SYN | TCP_ACK)) return;
    n->rcv_nxt = f->seq + 1;
    n->snd_una = n->snd_nxt = n->snd_max = n->iss + 1;
    n->snd_wnd = f->window;
    n->rto_running = n->retries = 0;
    n->rto = MININET_RTO_MS;
    n->state = MININET_TCP_ESTABLISHED;
    n->ack_due = 1;
    n->events |= MININET_EV_CONNECTED;
}

/* The acknowledgement field: frees acknowledged bytes, moves the FIN states on. */
static void ack_input(mininet *n, const ipv6_frame *f, uint32_t now_ms)
{
    if (SEQ_GT(f->ack, n->snd_una)) {
        uint32_t acked = f->ack - n->snd_una, data = acked < n->snd_len ? acked : n->snd_len;
        memmove(n->snd_buf, n->snd_buf + data, n->snd_len - data);
        n->snd_len = (uint16_t)(n->snd_len - data);
        n->snd_una = f->ack;
        if (SEQ_LT(n->snd_nxt, n->snd_una)) n->snd_nxt = n->snd_una;
        n->retries = 0;
        n->rto = MININET_RTO_MS;
        n->rto_running = 0;
        if (n->snd_max != n->snd_una) arm(n, now_ms); /* restart for what is still out (RFC 6298 §5.3) */
        if (acked > data) { /* our FIN is acknowledged */
            if (n->state == MININET_TCP_FIN_WAIT_1) n->state = MININET_TCP_FIN_WAIT_2;
            else if (n->state == MININET_TCP_CLOSING || n->state == MININET_TCP_LAST_ACK) mn_tcp_closed(n, 0);
        }
    }
    n->snd_wnd = f->window;
    if (n->snd_wnd) n->probe = 0;
}

/* Payload and FIN: in order only; a segment that starts before rcv_nxt is trimmed, one after it is dropped and
 * answered with a duplicate ACK. */
static void data_input(mininet *n, const ipv6_frame *f, const uint8_t *p, size_t len)
{
    int fin = (f->tcp_flags & TCP_FIN) != 0;
    if (!len && !fin) return;
    n->ack_due = 1;
    if (n->state != MININET_TCP_ESTABLISHED && n->state != MININET_TCP_FIN_WAIT_1 &&
        n->state != MININET_TCP_FIN_WAIT_2)
        return; /* the peer's FIN is in already: a retransmission, ACK it again */
    uint32_t seq = f->seq;
    if (SEQ_LT(seq, n->rcv_nxt)) {
        uint32_t old = n->rcv_nxt - seq;
        if (old > len || (old == len && !fin)) return; /* all old */
        p += old;
        len -= old;
        seq = n->rcv_nxt;
    }
    if (seq != n->rcv_nxt) {
        n->stats.rx_dropped++; /* out of order */
        return;
    }
    size_t room = MININET_RCVBUF - n->rcv_len, take = len < room ? len : room;
    if (take) {
        memcpy(n->rcv_buf + n->rcv_len, p, take);
        n->rcv_len = (uint16_t)(n->rcv_len + take);
        n->rcv_nxt += (uint32_t)take;
        n->events |= MININET_EV_DATA;
    }
    if (!fin || take < len) return;
    n->rcv_nxt++;
    n->events |= MININET_EV_PEER_CLOSED;
    if (n->state == MININET_TCP_ESTABLISHED) n->state = MININET_TCP_CLOSE_WAIT;
    else if (n->state == MININET_TCP_FIN_WAIT_1) n->state = MININET_TCP_CLOSING;
    else mn_tcp_closed(n, 0); /* FIN_WAIT_2: both sides done; the final ACK is still due */
}

void mn_tcp_input(mininet *n, const ipv6_frame *f, const uint8_t *payload, size_t len, uint32_t now_ms)
{
    if (n->state == MININET_TCP_CLOSED || n->state == MININET_TCP_RESOLVING ||
        memcmp(f->src, n->peer_ip, IPV6_ADDR_LEN) || f->src_port != n->rport || f->dst_port != n->lport) {
        n->stats.rx_dropped++;
        return;
    }
    if (n->state == MININET_TCP_SYN_SENT) {
        syn_sent_input(n, f);
        return;
    }
    uint8_t fl = f->tcp_flags;
    if (fl & TCP_RST) { /* RFC 5961 §3.2: exactly rcv_nxt resets, elsewhere in the window asks for an ACK */
        if (f->seq == n->rcv_nxt)
            mn_tcp_closed(n, CCS_EPROTO);
        else if ((uint32_t)(f->seq - n->rcv_nxt) < (n->adv_wnd ? n->adv_wnd : 1u))
            n->ack_due = 1;
        return;
    }
    if (fl & TCP_SYN) { /* a repeated SYN-ACK (our ACK was lost) or worse: answer with an ACK (RFC 5961 §4) */
        n->ack_due = 1;
        return;
    }
    if (!(fl & TCP_ACK)) return;
    if (SEQ_GT(f->ack, n->snd_max)) { /* acknowledges what we never sent */
        n->ack_due = 1;
        return;
    }
    ack_input(n, f, now_ms);
    if (n->state != MININET_TCP_CLOSED) data_input(n, f, payload, len);
}

int mininet_tcp_send(mininet *n, const uint8_t *data, size_t len)
{
    if ((n->state != MININET_TCP_ESTABLISHED && n->state != MININET_TCP_CLOSE_WAIT) || n->fin_queued)
        return CCS_ESTATE;
    size_t room = MININET_SNDBUF - n->snd_len, k = len < room ? len : room;
    if (k) memcpy(n->snd_buf + n->snd_len, data, k);
    n->snd_len = (uint16_t)(n->snd_len + k);
    return (int)k;
}

size_t mininet_tcp_read(mininet *n, uint8_t *buf, size_t cap)
{
    size_t k = n->rcv_len < cap ? n->rcv_len : cap;
    if (!k) return 0;
    memcpy(buf, n->rcv_buf, k);
    memmove(n->rcv_buf, n->rcv_buf + k, n->rcv_len - k);
    n->rcv_len = (uint16_t)(n->rcv_len - k);
    /* window update once the window we advertised was small and is now worth it (RFC 9293 §3.8.6.2.2) */
    size_t worth = MININET_MSS < MININET_RCVBUF / 2 ? MININET_MSS : MININET_RCVBUF / 2;
    if (n->adv_wnd < worth && rcv_window(n) >= worth && n->state != MININET_TCP_CLOSED) n->ack_due = 1;
    return k;
}

void mininet_tcp_close(mininet *n)
{
    if (n->state == MININET_TCP_ESTABLISHED || n->state == MININET_TCP_CLOSE_WAIT)
        n->fin_queued = 1;
    else if (n->state == MININET_TCP_RESOLVING || n->state == MININET_TCP_SYN_SENT)
        mn_tcp_closed(n, 0);
}

void mininet_tcp_abort(mininet *n)
{
    if (n->state == MININET_TCP_CLOSED) return;
    if (n->state != MININET_TCP_RESOLVING) n->rst_due = 1;
    mn_tcp_closed(n, 0);
}

size_t mininet_tcp_unacked(const mininet *n) { return n->snd_len; }
