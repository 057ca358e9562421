/* Passive TCP reassembly of one direction: a ring with a presence bit per byte holds out-of-order data. */
#include "transport/tcp_reasm.h"

#include "ccsplc/core/errors.h"

int tcp_reasm_init(tcp_reasm *t, uint8_t *ring, uint8_t *present, size_t cap)
{
    if (!ring || !present || cap == 0 || cap % 8) return CCS_EINVAL;
    *t = (tcp_reasm){.ring = ring, .present = present, .cap = cap};
    for (size_t i = 0; i < cap / 8; i++) present[i] = 0;
    return 0;
}

void tcp_reasm_start(tcp_reasm *t, uint32_t seq)
{
    t->next_seq = seq;
    t->synced = 1;
}

static int is_present(const tcp_reasm *t, size_t i) { return t->present[i / 8] >> (i % 8) & 1; }
static void set_present(tcp_reasm *t, size_t i) { t->present[i / 8] |= (uint8_t)(1u << (i % 8)); }
static void clear_present(tcp_reasm *t, size_t i) { t->present[i / 8] &= (uint8_t)~(1u << (i % 8)); }

/* Moves the window start by n bytes (already delivered or given up). */
static void advance(tcp_reasm *t, size_t n)
{
    for (size_t i = 0; t->buffered && i < n && i < t->cap; i++) {
        size_t k = (t->head + i) % t->cap;
        if (is_present(t, k)) {
            clear_present(t, k);
            t->buffered--;
        }
    }
    t->head = (t->head + n % t->cap) % t->cap;
    t->next_seq += (uint32_t)n;
}

/* Length of the run of bytes from the window start that are all present (want 1) or all absent (want 0),
 * at most limit and, for present runs, not past the end of the ring memory. */
static size_t run(const tcp_reasm *t, int want, size_t limit)
{
    size_t r = 0;
    size_t end = want ? t->cap - t->head : limit;
    if (end > limit) end = limit;
    while (r < end && is_present(t, (t->head + r) % t->cap) == want) r++;
    return r;
}

/* Delivers the present bytes at the window start. */
static void drain(tcp_reasm *t, const tcp_reasm_sink *s)
{
    size_t r;
    while (t->buffered && (r = run(t, 1, t->cap)) > 0) {
        s->data(s->ctx, t->ring + t->head, r);
        advance(t, r);
    }
}

/* Gives up on the first n bytes of the window: present runs are delivered, absent runs become gaps. */
static void skip(tcp_reasm *t, size_t n, const tcp_reasm_sink *s)
{
    while (n > 0) {
        size_t r;
        if (t->buffered && is_present(t, t->head)) {
            r = run(t, 1, n);
            s->data(s->ctx, t->ring + t->head, r);
        } else {
            r = t->buffered ? run(t, 0, n < t->cap ? n : t->cap) : n;
            t->gaps++;
            s->gap(s->ctx, (uint32_t)r);
        }
        advance(t, r);
        n -= r;
    }
    drain(t, s);
}

void tcp_reasm_segment(tcp_reasm *t, uint32_t seq, const uint8_t *data, size_t len, const tcp_reasm_sink *s)
{
    if (len == 0) return;
    if (!t->synced) tcp_reasm_start(t, seq);
    int32_t off = (int32_t)(seq - t->next_seq);
    if (off < 0) {
        size_t old = (size_t)-(int64_t)off;
        if (len <= old) {
            t->dup_segments++;
            return;
        }
        data += old;
        len -= old;
        off = 0;
    }
    size_t o = (size_t)off;
    if (o == 0) {
        s->data(s->ctx, data, len);
        advance(t, len);
        drain(t, s);
        return;
    }
    if (o + len > t->cap) {
        /* Out of the ring's reach: the oldest hole is not going to be filled; then try again. */
        skip(t, o + len - t->cap < o ? o + len - t->cap : o, s);
        tcp_reasm_segment(t, seq, data, len, s);
        return;
    }
    t->ooo_segments++;
    for (size_t i = 0; i < len; i++) {
        size_t k = (t->head + o + i) % t->cap;
        if (!is_present(t, k)) {
            t->ring[k] = data[i];
            set_present(t, k);
            t->buffered++;
        }
    }
}

void tcp_reasm_ack(tcp_reasm *t, uint32_t ack, const tcp_reasm_sink *s)
{
    int32_t ahead = (int32_t)(ack - t->next_seq);
    if (t->synced && ahead > 0) skip(t, (size_t)ahead, s);
}

void tcp_reasm_flush(tcp_reasm *t, const tcp_reasm_sink *s)
{
    while (t->buffered) {
        size_t r = run(t, 0, t->cap);
        if (r) {
            t->gaps++;
            s->gap(s->ctx, (uint32_t)r);
            advance(t, r);
        }
        drain(t, s);
    }
}
