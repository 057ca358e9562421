/* Unit tests for passive TCP reassembly: reordering, duplicates, overlaps, losses (gaps), ring overflow and
 * sequence wrap, checked byte for byte against the stream the segments were cut from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "transport/tcp_reasm.h"

#define STREAM_LEN 20000
static uint8_t stream[STREAM_LEN];

/* The sink checks every delivered byte against stream at its position and counts gaps. */
typedef struct {
    size_t pos, delivered, lost, gaps;
} sink_state;

static void on_data(void *ctx, const uint8_t *p, size_t len)
{
    sink_state *s = ctx;
    assert_true(s->pos + len <= STREAM_LEN);
    assert_memory_equal(p, stream + s->pos, len);
    s->pos += len;
    s->delivered += len;
}

static void on_gap(void *ctx, uint32_t lost)
{
    sink_state *s = ctx;
    assert_true(lost > 0);
    s->pos += lost;
    s->lost += lost;
    s->gaps++;
}

/* A reassembler wired to a checking sink. */
typedef struct {
    tcp_reasm t;
    sink_state ss;
    tcp_reasm_sink sink;
} fixture;

static void fixture_init(fixture *f, uint8_t *mem, uint8_t *bits, size_t cap)
{
    memset(f, 0, sizeof *f);
    f->sink = (tcp_reasm_sink){on_data, on_gap, &f->ss};
    assert_int_equal(tcp_reasm_init(&f->t, mem, bits, cap), 0);
}

static unsigned rng;
static unsigned rnd(unsigned n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 16) % n;
}

typedef struct {
    size_t off, len;
} seg;

/* Cuts the stream into segments of 1..max bytes. */
static size_t cut(seg *s, size_t max)
{
    size_t n = 0;
    for (size_t off = 0; off < STREAM_LEN; n++) {
        size_t len = 1 + rnd((unsigned)max);
        if (len > STREAM_LEN - off) len = STREAM_LEN - off;
        s[n] = (seg){off, len};
        off += len;
    }
    return n;
}

static seg segs[STREAM_LEN];
static uint8_t ring[4096], present[4096 / 8];

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < STREAM_LEN; i++) stream[i] = (uint8_t)(i * 7 + i / 251);
    return 0;
}

static void in_order_random_sizes(void **state)
{
    (void)state;
    for (rng = 1; rng < 40; rng++) {
        fixture f;
        fixture_init(&f, ring, present, sizeof ring);
        uint32_t isn = rng * 0x9e3779b9u;
        tcp_reasm_start(&f.t, isn);
        size_t n = cut(segs, 1460);
        for (size_t i = 0; i < n; i++)
            tcp_reasm_segment(&f.t, isn + (uint32_t)segs[i].off, stream + segs[i].off, segs[i].len, &f.sink);
        assert_int_equal(f.ss.delivered, STREAM_LEN);
        assert_int_equal(f.ss.gaps, 0);
        assert_int_equal(f.t.buffered, 0);
    }
}

/* Swaps neighbours within a small window, repeats some segments and resends overlapping stretches. */
static void reordered_duplicated_overlapping(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed < 60; seed++) {
        rng = seed;
        size_t n = cut(segs, 300);
        for (size_t i = 0; i + 3 < n; i++)
            if (rnd(3) == 0) {
                size_t j = i + 1 + rnd(3);
                seg tmp = segs[i];
                segs[i] = segs[j];
                segs[j] = tmp;
            }
        fixture f;
        fixture_init(&f, ring, present, sizeof ring);
        uint32_t isn = 0xffffffffu - 5000; /* the sequence numbers wrap inside the stream */
        tcp_reasm_start(&f.t, isn);
        for (size_t i = 0; i < n; i++) {
            tcp_reasm_segment(&f.t, isn + (uint32_t)segs[i].off, stream + segs[i].off, segs[i].len, &f.sink);
            if (rnd(4) == 0) /* exact retransmission */
                tcp_reasm_segment(&f.t, isn + (uint32_t)segs[i].off, stream + segs[i].off, segs[i].len, &f.sink);
            if (rnd(5) == 0 && segs[i].off >= 100) { /* repacketised resend overlapping old and new bytes */
                size_t o = segs[i].off - 100, l = segs[i].len + 100;
                tcp_reasm_segment(&f.t, isn + (uint32_t)o, stream + o, l, &f.sink);
            }
        }
        assert_int_equal(f.ss.delivered, STREAM_LEN);
        assert_int_equal(f.ss.gaps, 0);
        assert_int_equal(f.t.buffered, 0);
        assert_true(f.t.ooo_segments > 0);
        assert_true(f.t.dup_segments > 0);
    }
}

/* A segment the capture missed: the receiver's ACK beyond it turns the hole into a gap at once. */
static void lost_segment_becomes_gap_on_ack(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, ring, present, sizeof ring);
    tcp_reasm_start(&f.t, 1000);
    tcp_reasm_segment(&f.t, 1000, stream, 100, &f.sink);
    /* bytes 100..149 never captured */
    tcp_reasm_segment(&f.t, 1150, stream + 150, 100, &f.sink);
    assert_int_equal(f.ss.delivered, 100);
    assert_int_equal(f.t.buffered, 100);
    tcp_reasm_ack(&f.t, 1100, &f.sink); /* acknowledges only what we have: nothing changes */
    assert_int_equal(f.ss.gaps, 0);
    tcp_reasm_ack(&f.t, 1250, &f.sink);
    assert_int_equal(f.ss.gaps, 1);
    assert_int_equal(f.ss.lost, 50);
    assert_int_equal(f.ss.delivered, 200);
    assert_int_equal(f.t.buffered, 0);
    tcp_reasm_segment(&f.t, 1100, stream + 100, 50, &f.sink); /* too late: dropped as old */
    assert_int_equal(f.ss.delivered, 200);
    tcp_reasm_segment(&f.t, 1250, stream + 250, 10, &f.sink);
    assert_int_equal(f.ss.pos, 260);
}

static void flush_reports_holes(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, ring, present, sizeof ring);
    tcp_reasm_segment(&f.t, 77, stream, 10, &f.sink); /* mid-stream: the first segment seen starts it */
    tcp_reasm_segment(&f.t, 97, stream + 20, 10, &f.sink);
    tcp_reasm_segment(&f.t, 127, stream + 50, 10, &f.sink);
    assert_int_equal(f.ss.delivered, 10);
    tcp_reasm_flush(&f.t, &f.sink);
    assert_int_equal(f.ss.gaps, 2);
    assert_int_equal(f.ss.lost, 30);
    assert_int_equal(f.ss.delivered, 30);
    assert_int_equal(f.ss.pos, 60);
    tcp_reasm_flush(&f.t, &f.sink);
    assert_int_equal(f.ss.pos, 60);
}

/* Data further ahead than the ring holds: the oldest hole is given up, nothing buffered is lost. */
static void ring_overflow_gives_up_oldest_hole(void **state)
{
    (void)state;
    static uint8_t small[64], small_bits[8];
    tcp_reasm bad;
    assert_int_equal(tcp_reasm_init(&bad, small, small_bits, 60), CCS_EINVAL);
    assert_int_equal(tcp_reasm_init(&bad, small, small_bits, 0), CCS_EINVAL);
    fixture f;
    fixture_init(&f, small, small_bits, sizeof small);
    tcp_reasm_start(&f.t, 0);
    tcp_reasm_segment(&f.t, 10, stream + 10, 20, &f.sink); /* hole 0..9 */
    tcp_reasm_segment(&f.t, 40, stream + 40, 20, &f.sink); /* hole 30..39, still inside the ring */
    assert_int_equal(f.ss.gaps, 0);
    tcp_reasm_segment(&f.t, 70, stream + 70, 10, &f.sink); /* ends at 80 > 64: bytes 0..15 given up */
    assert_int_equal(f.ss.gaps, 1);
    assert_int_equal(f.ss.lost, 10);
    assert_int_equal(f.ss.pos, 30); /* 10..29 delivered after the gap */
    tcp_reasm_segment(&f.t, 200, stream + 200, 100, &f.sink); /* bigger than the ring: everything before goes */
    assert_int_equal(f.ss.pos, 300);
    assert_int_equal(f.ss.lost, 10 + 10 + 10 + 120);
    assert_int_equal(f.ss.delivered, 20 + 20 + 10 + 100); /* 10..29, 40..59, 70..79, 200..299 */
}

/* Random loss, reorder and duplication with a small ring: every byte delivered is the right byte, and the
 * positions add up once the final ACK and flush are in. */
static void random_loss_keeps_positions(void **state)
{
    (void)state;
    static uint8_t r2[512], b2[64];
    for (unsigned seed = 1; seed < 300; seed++) {
        rng = seed;
        size_t n = cut(segs, 200);
        fixture f;
        fixture_init(&f, r2, b2, sizeof r2);
        tcp_reasm_start(&f.t, seed);
        for (size_t i = 0; i < n; i++) {
            size_t j = i + rnd(4) < n ? i + rnd(4) : i;
            if (rnd(10) == 0) continue; /* lost */
            tcp_reasm_segment(&f.t, seed + (uint32_t)segs[j].off, stream + segs[j].off, segs[j].len, &f.sink);
            if (rnd(8) == 0) tcp_reasm_ack(&f.t, seed + (uint32_t)segs[i].off, &f.sink);
        }
        tcp_reasm_ack(&f.t, seed + STREAM_LEN, &f.sink);
        tcp_reasm_flush(&f.t, &f.sink);
        assert_int_equal(f.ss.pos, STREAM_LEN);
        assert_int_equal(f.ss.delivered + f.ss.lost, STREAM_LEN);
        assert_int_equal(f.t.buffered, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(in_order_random_sizes),
        cmocka_unit_test(reordered_duplicated_overlapping),
        cmocka_unit_test(lost_segment_becomes_gap_on_ack),
        cmocka_unit_test(flush_reports_holes),
        cmocka_unit_test(ring_overflow_gives_up_oldest_hole),
        cmocka_unit_test(random_loss_keeps_positions),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
