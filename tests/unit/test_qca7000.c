/* Unit tests for the QCA7000 SPI protocol and framing: command words and register transfers as the published
 * layout gives them (Linux qca_7k.h, ccs32clara's traces), the framed form of a frame, and the decoder on split
 * reads, garbage, bad lengths, bad end markers and every frame of a real modem SPI capture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccsplc/core/qca7000.h"
#include "ccsplc/core/errors.h"
#include "pcap_frames.h"

/* ---- register protocol ---- */

static void test_command_words(void **state)
{
    (void)state;
    uint8_t tx[4], cmd[2];
    /* ccs32clara reads the signature with DA 00 00 00 and sees AA 55 in the last two bytes clocked in. */
    qca_reg_read_tx(QCA_REG_SIGNATURE, tx);
    assert_memory_equal(tx, ((uint8_t[]){0xDA, 0x00, 0x00, 0x00}), 4);
    assert_int_equal(qca_reg_value((uint8_t[]){0xff, 0xff, 0xAA, 0x55}), QCA_SIGNATURE);
    qca_reg_read_tx(QCA_REG_WRBUF_SPC_AVA, tx);
    assert_memory_equal(tx, ((uint8_t[]){0xC2, 0x00, 0x00, 0x00}), 4);
    qca_reg_read_tx(QCA_REG_RDBUF_BYTE_AVA, tx);
    assert_memory_equal(tx, ((uint8_t[]){0xC3, 0x00, 0x00, 0x00}), 4);
    /* write, internal, register 0x0C00 (interrupt cause) with the bits to acknowledge */
    qca_reg_write_tx(QCA_REG_INTR_CAUSE, QCA_INT_PKT_AVLBL | QCA_INT_CPU_ON, tx);
    assert_memory_equal(tx, ((uint8_t[]){0x4C, 0x00, 0x00, 0x41}), 4);
    qca_reg_write_tx(QCA_REG_INTR_ENABLE, QCA_INT_DEFAULT, tx);
    assert_memory_equal(tx, ((uint8_t[]){0x4D, 0x00, 0x00, 0x47}), 4);
    qca_burst_cmd(1, cmd);
    assert_memory_equal(cmd, ((uint8_t[]){0x80, 0x00}), 2);
    qca_burst_cmd(0, cmd);
    assert_memory_equal(cmd, ((uint8_t[]){0x00, 0x00}), 2);
    /* 0x1B00 read internal: 0x8000 | 0x4000 | 0x1B00 */
    assert_int_equal(qca_cmd(1, 1, QCA_REG_ACTION_CTRL), 0xDB00);
    assert_int_equal(qca_cmd(0, 0, 0), 0x0000);
}

static void test_rx_transfers(void **state)
{
    (void)state;
    uint8_t bfr[4], cmd[2];
    qca_rx_build(0x0123, bfr, cmd);
    assert_memory_equal(bfr, ((uint8_t[]){0x41, 0x00, 0x01, 0x23}), 4);
    assert_memory_equal(cmd, ((uint8_t[]){0x80, 0x00}), 2);
}

/* ---- transmit ---- */

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(seed + i * 7);
}

static void test_tx_slac_param_req(void **state)
{
    (void)state;
    /* ccs32clara's trace of a 60-byte SLAC_PARAM.REQ: BFR_SIZE 41 00 00 46 (70), then 00 00, AA AA AA AA,
     * 3C 00 00 00, the 60 bytes, 55 55. */
    uint8_t eth[60], bfr[4], burst[100];
    size_t n;
    fill(eth, sizeof eth, 1);
    assert_int_equal(qca_tx_build(eth, sizeof eth, bfr, burst, sizeof burst, &n), 0);
    assert_memory_equal(bfr, ((uint8_t[]){0x41, 0x00, 0x00, 0x46}), 4);
    assert_int_equal(n, 2 + 70);
    assert_memory_equal(burst, ((uint8_t[]){0x00, 0x00, 0xAA, 0xAA, 0xAA, 0xAA, 0x3C, 0x00, 0x00, 0x00}), 10);
    assert_memory_equal(burst + 10, eth, 60);
    assert_memory_equal(burst + 70, ((uint8_t[]){0x55, 0x55}), 2);
    assert_int_equal(qca_tx_build(eth, sizeof eth, bfr, burst, 71, &n), CCS_ENOSPC);
    /* room for 70 + the 4-byte hardware length, and not one byte less */
    assert_true(qca_tx_fits(74, 70));
    assert_false(qca_tx_fits(73, 70));
    assert_true(qca_tx_fits(QCA_HW_BUF_LEN, QCA_FRM_MAX_LEN));
}

static void test_tx_pad_and_limits(void **state)
{
    (void)state;
    uint8_t eth[QCA_ETH_MAX_LEN + 1], out[QCA_FRM_MAX_LEN + 8];
    size_t n;
    fill(eth, sizeof eth, 3);
    assert_int_equal(qca_frame_encode(eth, 42, out, sizeof out, &n), 0); /* short: padded to 60 */
    assert_int_equal(n, 70);
    assert_int_equal(out[4], 60);
    assert_int_equal(out[5], 0);
    assert_memory_equal(out + 8, eth, 42);
    for (int i = 42; i < 60; i++) assert_int_equal(out[8 + i], 0);
    assert_int_equal(qca_frame_encode(eth, 0x1F0, out, sizeof out, &n), 0); /* length little-endian */
    assert_int_equal(out[4], 0xF0);
    assert_int_equal(out[5], 0x01);
    assert_int_equal(qca_frame_encode(eth, QCA_ETH_MAX_LEN, out, sizeof out, &n), 0);
    assert_int_equal(n, QCA_FRM_MAX_LEN);
    assert_int_equal(qca_frame_encode(eth, QCA_ETH_MAX_LEN + 1, out, sizeof out, &n), CCS_EINVAL);
}

/* ---- receive ---- */

/* Appends the modem's read-buffer form of eth (32-bit big-endian hardware length, then the framed frame). */
static size_t put_spi(uint8_t *buf, const uint8_t *eth, size_t len)
{
    size_t n;
    assert_int_equal(qca_frame_encode(eth, len, buf + 4, QCA_FRM_MAX_LEN, &n), 0);
    buf[0] = buf[1] = 0;
    buf[2] = (uint8_t)(n >> 8);
    buf[3] = (uint8_t)n;
    return n + 4;
}

typedef struct {
    size_t n;
    size_t len[64];
    uint8_t first[64];
} got_frames;

/* Feeds buf in chunks of chunk bytes (the last one shorter) and records every frame. */
static void feed_all(qca_rx *d, const uint8_t *buf, size_t len, size_t chunk, got_frames *g)
{
    memset(g, 0, sizeof *g);
    for (size_t off = 0; off < len;) {
        size_t c = len - off < chunk ? len - off : chunk, used;
        const uint8_t *p = buf + off;
        off += c;
        for (;;) {
            int n = qca_rx_feed(d, p, c, &used);
            assert_true(used <= c);
            if (n == 0) {
                assert_int_equal(used, c);
                break;
            }
            assert_true(g->n < 64);
            g->len[g->n] = (size_t)n;
            g->first[g->n++] = d->frame[0];
            p += used;
            c -= used;
        }
    }
}

static void test_rx_split_reads(void **state)
{
    (void)state;
    uint8_t a[60], b[300], buf[1000];
    fill(a, sizeof a, 0x11);
    fill(b, sizeof b, 0x22);
    memset(b + 100, 0xAA, 8); /* start-of-frame bytes inside a frame are data */
    size_t n = put_spi(buf, a, sizeof a);
    n += put_spi(buf + n, b, sizeof b);
    for (size_t chunk = 1; chunk <= n; chunk++) {
        qca_rx d;
        got_frames g;
        qca_rx_init(&d, 1);
        feed_all(&d, buf, n, chunk, &g);
        assert_int_equal(g.n, 2);
        assert_int_equal(g.len[0], 60);
        assert_int_equal(g.len[1], 300);
        assert_int_equal(g.first[0], 0x11);
        assert_int_equal(g.first[1], 0x22);
        assert_memory_equal(d.frame, b, 300);
        assert_int_equal(d.stats.frames, 2);
        assert_int_equal(d.stats.skipped + d.stats.bad_head + d.stats.bad_len + d.stats.bad_tail, 0);
    }
}

static void test_rx_uart_layout(void **state)
{
    (void)state;
    uint8_t a[100], buf[200];
    size_t n, used;
    fill(a, sizeof a, 0x33);
    assert_int_equal(qca_frame_encode(a, sizeof a, buf, sizeof buf, &n), 0);
    qca_rx d;
    qca_rx_init(&d, 0); /* no hardware length */
    assert_int_equal(qca_rx_feed(&d, buf, n, &used), 100);
    assert_int_equal(used, n);
    assert_memory_equal(d.frame, a, 100);
}

static void test_rx_garbage_before_frame(void **state)
{
    (void)state;
    /* garbage that contains partial start markers and a run of five 0xAA, then a whole frame */
    static const uint8_t junk[] = {0x12, 0xAA, 0xAA, 0x00, 0xAA, 0xAA, 0xAA, 0x55, 0x00, 0x00, 0x01, 0xAA};
    uint8_t a[80], buf[300];
    fill(a, sizeof a, 0x44);
    for (int spi = 0; spi <= 1; spi++) {
        memcpy(buf, junk, sizeof junk);
        size_t n = sizeof junk, len;
        if (spi) {
            n += put_spi(buf + n, a, sizeof a);
        } else {
            assert_int_equal(qca_frame_encode(a, sizeof a, buf + n, sizeof buf - n, &len), 0);
            n += len;
        }
        qca_rx d;
        got_frames g;
        qca_rx_init(&d, spi);
        feed_all(&d, buf, n, 5, &g);
        assert_int_equal(g.n, 1);
        assert_int_equal(g.len[0], 80);
        assert_memory_equal(d.frame, a, 80);
        assert_int_equal(d.stats.bad_head, 1);
        assert_true(d.stats.skipped > 0);
    }
}

/* A broken frame followed by a good one: the broken one is counted, the good one arrives. */
static void broken_then_good(const uint8_t *bad, size_t bad_len, size_t counter_offset)
{
    uint8_t a[64], buf[400];
    fill(a, sizeof a, 0x55);
    memcpy(buf, bad, bad_len);
    size_t n = bad_len + put_spi(buf + bad_len, a, sizeof a);
    for (size_t chunk = 1; chunk <= n; chunk += 13) {
        qca_rx d;
        got_frames g;
        qca_rx_init(&d, 1);
        feed_all(&d, buf, n, chunk, &g);
        assert_int_equal(g.n, 1);
        assert_int_equal(g.len[0], 64);
        assert_memory_equal(d.frame, a, 64);
        uint32_t counter;
        memcpy(&counter, (const uint8_t *)&d.stats + counter_offset, sizeof counter);
        assert_int_equal(counter, 1);
    }
}

static void test_rx_bad_length(void **state)
{
    (void)state;
    uint8_t bad[200], eth[100];
    fill(eth, sizeof eth, 9);
    size_t n = put_spi(bad, eth, sizeof eth);
    bad[8] = 20; /* frame length 20: under the 60-byte minimum */
    broken_then_good(bad, n, offsetof(qca_rx_stats, bad_len));
    n = put_spi(bad, eth, sizeof eth);
    bad[8] = 101; /* 101 is in range but not the hardware length - 10 */
    broken_then_good(bad, n, offsetof(qca_rx_stats, bad_len));
    n = put_spi(bad, eth, sizeof eth);
    bad[8] = (uint8_t)(QCA_ETH_MAX_LEN + 1);
    bad[9] = (uint8_t)((QCA_ETH_MAX_LEN + 1) >> 8);
    bad[3] = (uint8_t)(QCA_ETH_MAX_LEN + 1 + 10); /* hardware length agrees: the range check alone rejects it */
    bad[2] = (uint8_t)((QCA_ETH_MAX_LEN + 1 + 10) >> 8);
    broken_then_good(bad, n, offsetof(qca_rx_stats, bad_len));
}

static void test_rx_bad_end_marker(void **state)
{
    (void)state;
    uint8_t bad[200], eth[90];
    fill(eth, sizeof eth, 7);
    size_t n = put_spi(bad, eth, sizeof eth);
    bad[n - 1] = 0x54;
    broken_then_good(bad, n, offsetof(qca_rx_stats, bad_tail));
    n = put_spi(bad, eth, sizeof eth);
    bad[n - 2] = 0x00; /* first end byte wrong too */
    broken_then_good(bad, n, offsetof(qca_rx_stats, bad_tail));
    /* the end marker missing entirely: the next frame's hardware length comes where 0x55 55 should be */
    n = put_spi(bad, eth, sizeof eth) - 2;
    broken_then_good(bad, n, offsetof(qca_rx_stats, bad_tail));
}

static void test_rx_bad_hw_length(void **state)
{
    (void)state;
    /* a corrupt hardware length costs the sync, not the frame: the hunt finds its start of frame */
    uint8_t eth[70], buf[300];
    fill(eth, sizeof eth, 5);
    size_t n = put_spi(buf, eth, sizeof eth);
    buf[1] = 0x01; /* the upper half of the hardware length is never set */
    n += put_spi(buf + n, eth, sizeof eth);
    qca_rx d;
    got_frames g;
    qca_rx_init(&d, 1);
    feed_all(&d, buf, n, 7, &g);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.len[0], 70);
    assert_int_equal(g.len[1], 70);
    assert_int_equal(d.stats.bad_head, 1);
    assert_int_equal(d.stats.skipped, 3);
}

/* Every frame of the real modem SPI capture, framed as the modem's read buffer holds them, fed in irregular
 * chunks, comes out unchanged (frames under 60 bytes with the zero padding the framing adds). */
static void test_rx_real_capture(void **state)
{
    (void)state;
    pf_list l;
    assert_int_equal(pf_load("spi_ioniq_alpiHYC150_makerspace_landsberg_left_small_2024-04-03_ok.csv.pcap", &l), 0);
    assert_true(l.n > 100);
    size_t cap = 0;
    for (size_t i = 0; i < l.n; i++) cap += l.len[i] + QCA_FRM_OVERHEAD + 64 + 4;
    uint8_t *buf = malloc(cap);
    size_t n = 0;
    for (size_t i = 0; i < l.n; i++) n += put_spi(buf + n, l.data[i], l.len[i]);
    static const size_t chunks[] = {1, 3, 64, 255, 1000, 4000};
    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        qca_rx d;
        qca_rx_init(&d, 1);
        size_t next = 0, off = 0;
        while (off < n) {
            size_t used, take = n - off < chunks[c] ? n - off : chunks[c];
            int got = qca_rx_feed(&d, buf + off, take, &used);
            off += used;
            if (!got) continue;
            assert_true(next < l.n);
            size_t want = l.len[next] < QCA_ETH_MIN_LEN ? QCA_ETH_MIN_LEN : l.len[next];
            assert_int_equal(got, want);
            assert_memory_equal(d.frame, l.data[next], l.len[next]);
            next++;
        }
        assert_int_equal(next, l.n);
        assert_int_equal(d.stats.skipped + d.stats.bad_head + d.stats.bad_len + d.stats.bad_tail, 0);
    }
    free(buf);
    pf_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_command_words),      cmocka_unit_test(test_rx_transfers),
        cmocka_unit_test(test_tx_slac_param_req),  cmocka_unit_test(test_tx_pad_and_limits),
        cmocka_unit_test(test_rx_split_reads),     cmocka_unit_test(test_rx_uart_layout),
        cmocka_unit_test(test_rx_garbage_before_frame), cmocka_unit_test(test_rx_bad_length),
        cmocka_unit_test(test_rx_bad_end_marker),  cmocka_unit_test(test_rx_bad_hw_length),
        cmocka_unit_test(test_rx_real_capture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
