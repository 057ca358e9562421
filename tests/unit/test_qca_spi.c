/* The QCA7000 SPI frame I/O of a real car board, examples/qca7000/eth_qca7000.c compiled unchanged, run against
 * the QCA7000 SPI slave model (qca_model.c): init and the modem's reset, frames sent and received through the
 * modem's buffers, resynchronisation on garbage, a full write buffer, a frame too long, a modem that restarts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "board.h"
#include "ccsplc/core/errors.h"
#include "eth_qca7000.h"
#include "qca_model.h"

#define MAX_OUT 16

static qca_model modem;
static int no_modem;   /* nothing on the bus: MISO reads all ones */
static uint32_t clock_ms;
static qm_frame out[MAX_OUT];   /* what the modem put on the powerline */
static unsigned nout;
static const uint8_t host_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x70, 0x05 };

/* ---- the board the example runs on: SPI to the model, a virtual clock ---- */

void spi_xfer(const uint8_t *tx, uint8_t *rx, size_t len)
{
    static uint8_t copy[4096];
    assert_true(len <= sizeof copy);
    memcpy(copy, tx, len);   /* rx may be tx itself */
    if (no_modem) {
        if (rx) memset(rx, 0xFF, len);
        return;
    }
    qm_xfer(&modem, copy, rx, len);
}

void board_host_mac(uint8_t mac[6]) { memcpy(mac, host_mac, 6); }

uint32_t board_millis(void) { return clock_ms++; }   /* one millisecond per look at the clock */

void board_idle(void) { clock_ms++; }

void fw_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void to_powerline(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    assert_true(nout < MAX_OUT);
    out[nout].len = (uint16_t)len;
    memcpy(out[nout++].data, frame, len);
}

/* A frame of len bytes: broadcast destination, our source, EtherType 0x88E1, then a counting pattern from seed. */
static void make_frame(uint8_t *f, size_t len, uint8_t seed)
{
    memset(f, 0xFF, 6);
    memcpy(f + 6, host_mac, 6);
    f[12] = 0x88;
    f[13] = 0xE1;
    for (size_t i = 14; i < len; i++) f[i] = (uint8_t)(seed + i);
}

static int setup(void **state)
{
    (void)state;
    memset(&modem, 0, sizeof modem);
    modem.on_powerline = to_powerline;
    modem.boot_xfers = 5;
    modem.garbage_first_read = 1;   /* the first read after power-up is not to be trusted */
    modem.garbage_value = 0x5555;
    qm_init(&modem);
    no_modem = 0;
    nout = 0;
    clock_ms = 0;
    return 0;
}

/* eth_init on the model; asserts a clean start. */
static void init_ok(void)
{
    uint8_t mac[6];
    assert_int_equal(eth_init(mac), 0);
    assert_memory_equal(mac, host_mac, 6);
}

static void assert_no_protocol_errors(void)
{
    assert_int_equal(modem.wr_errors, 0);
    assert_int_equal(modem.rd_errors, 0);
    assert_int_equal(modem.bad_frames, 0);
    assert_int_equal(modem.bad_xfers, 0);
}

/* ---- the model itself, on the bytes published in ccs32clara's qca7000.cpp (not on our encoder) ---- */

static void test_model_published_bytes(void **state)
{
    (void)state;
    uint8_t rx[4], w[2 + 70], r[2 + 74];
    qm_xfer(&modem, (const uint8_t[]){ 0xDA, 0x00, 0x00, 0x00 }, rx, 4);   /* read, internal, SIGNATURE */
    qm_xfer(&modem, (const uint8_t[]){ 0xDA, 0x00, 0x00, 0x00 }, rx, 4);   /* (the first read was garbage) */
    assert_memory_equal(rx + 2, ((uint8_t[]){ 0xAA, 0x55 }), 2);
    qm_xfer(&modem, (const uint8_t[]){ 0xC2, 0x00, 0x00, 0x00 }, rx, 4);   /* WRBUF_SPC_AVA of an empty modem */
    assert_int_equal(rx[2] << 8 | rx[3], 0x0C5B);
    /* A 60-byte SlacParamReq as a CCM sends it: BFR_SIZE 0x46 (41 00 00 46), then 00 00 AA AA AA AA 3C 00 00 00,
     * the 60 bytes, 55 55. */
    qm_xfer(&modem, (const uint8_t[]){ 0x41, 0x00, 0x00, 0x46 }, NULL, 4);
    memcpy(w, (const uint8_t[]){ 0x00, 0x00, 0xAA, 0xAA, 0xAA, 0xAA, 0x3C, 0x00, 0x00, 0x00 }, 10);
    make_frame(w + 10, 60, 4);
    w[70] = w[71] = 0x55;
    qm_xfer(&modem, w, NULL, sizeof w);
    assert_int_equal(nout, 1);
    assert_int_equal(out[0].len, 60);
    assert_memory_equal(out[0].data, w + 10, 60);
    /* The same frame received: 4-byte big-endian length (frame + 10), then the framed frame; read with BFR_SIZE
     * set to RDBUF_BYTE_AVA (C3 00 00 00) and the external read command 80 00. */
    assert_int_equal(qm_receive(&modem, w + 10, 60), 0);
    qm_xfer(&modem, (const uint8_t[]){ 0xC3, 0x00, 0x00, 0x00 }, rx, 4);
    assert_int_equal(rx[2] << 8 | rx[3], 74);
    qm_xfer(&modem, (const uint8_t[]){ 0x41, 0x00, 0x00, 74 }, NULL, 4);
    memset(r, 0, sizeof r);
    r[0] = 0x80;
    qm_xfer(&modem, r, r, sizeof r);
    assert_memory_equal(r + 2, ((uint8_t[]){ 0x00, 0x00, 0x00, 0x46, 0xAA, 0xAA, 0xAA, 0xAA, 0x3C, 0x00, 0x00, 0x00 }), 12);
    assert_memory_equal(r + 14, w + 10, 60);
    assert_memory_equal(r + 74, ((uint8_t[]){ 0x55, 0x55 }), 2);
    assert_no_protocol_errors();
    /* and it is strict: a write of other than BFR_SIZE bytes is an error, not a frame */
    qm_xfer(&modem, (const uint8_t[]){ 0x41, 0x00, 0x00, 0x47 }, NULL, 4);
    qm_xfer(&modem, w, NULL, sizeof w);
    assert_int_equal(modem.wr_errors, 1);
    assert_int_equal(modem.intr_cause & QM_INT_WRBUF_ERR, QM_INT_WRBUF_ERR);
    assert_int_equal(nout, 1);
}

/* ---- init ---- */

static void test_init_resets_modem(void **state)
{
    (void)state;
    uint8_t stale[100];
    make_frame(stale, sizeof stale, 9);
    assert_int_equal(qm_receive(&modem, stale, sizeof stale), 0);   /* left over from before the host's reset */
    init_ok();
    /* As the Linux driver: one reset through SPI_CONFIG, the CPU_ON that follows acknowledged, the buffers empty. */
    assert_int_equal(modem.resets, 1);
    assert_int_equal(modem.intr_cause & QM_INT_CPU_ON, 0);
    assert_int_equal(modem.rlen, 0);
    uint8_t buf[1518];
    assert_int_equal(eth_recv(buf, sizeof buf), 0);   /* the stale frame went with the reset */
    assert_no_protocol_errors();
}

static void test_init_no_modem(void **state)
{
    (void)state;
    uint8_t mac[6];
    no_modem = 1;
    assert_int_equal(eth_init(mac), CCS_EIO);
}

static void test_init_modem_never_boots(void **state)
{
    (void)state;
    uint8_t mac[6];
    modem.boot_xfers = 1000000;   /* the reset never ends: init gives up in bounded time */
    uint32_t t0 = clock_ms;
    assert_int_equal(eth_init(mac), CCS_EIO);
    assert_true(clock_ms - t0 < 10000);
}

/* ---- transmit ---- */

static void test_send_sizes(void **state)
{
    (void)state;
    static const size_t sizes[] = { 42, 60, 61, 342, 1000, 1514, 1518 };
    uint8_t f[1518];
    init_ok();
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        make_frame(f, sizes[i], (uint8_t)i);
        eth_send(f, sizes[i]);
        assert_int_equal(nout, i + 1);   /* the powerline is free: each frame leaves at once */
        size_t want = sizes[i] < 60 ? 60 : sizes[i];   /* padded to the Ethernet minimum with zeros */
        assert_int_equal(out[i].len, want);
        assert_memory_equal(out[i].data, f, sizes[i]);
        for (size_t k = sizes[i]; k < want; k++) assert_int_equal(out[i].data[k], 0);
    }
    assert_no_protocol_errors();
    assert_int_equal(eth_qca7000_stats()->tx_dropped, 0);
}

static void test_send_too_long_refused(void **state)
{
    (void)state;
    uint8_t f[1519];
    init_ok();
    unsigned x = modem.xfers;
    make_frame(f, sizeof f, 1);
    eth_send(f, sizeof f);
    assert_int_equal(modem.xfers, x);   /* nothing reached the modem */
    assert_int_equal(nout, 0);
    assert_int_equal(eth_qca7000_stats()->tx_too_long, 1);
    make_frame(f, 1518, 2);   /* the link still works */
    eth_send(f, 1518);
    assert_int_equal(nout, 1);
    assert_no_protocol_errors();
}

/* n full-size frames sent while the powerline is busy for a while, shorter than the driver's wait (each look at
 * the space costs one transfer and at least two virtual milliseconds; two framed 1518-byte frames fill the write
 * buffer); before frame glitch_at (-1: none) the next read of the space is garbled to 0xFFFF, more than the modem
 * has (Linux: "could only happen by interferences on the SPI line"). All must arrive, none written past the space. */
static void send_while_busy(int n, int glitch_at)
{
    static uint8_t f[5][1518];
    assert_true(n <= 5);
    init_ok();
    modem.busy_xfers = ETH_QCA7000_TX_WAIT_MS / 4;
    for (int i = 0; i < n; i++) {
        make_frame(f[i], sizeof f[i], (uint8_t)(10 * i));
        if (i == glitch_at) {
            modem.glitch_reg = 0x0200;   /* WRBUF_SPC_AVA */
            modem.glitch_value = 0xFFFF;
        }
        eth_send(f[i], sizeof f[i]);
    }
    assert_int_equal(modem.glitch_reg, 0);   /* the garbled read, if any, happened */
    assert_int_equal(nout, n);   /* none dropped: the driver waited for the space */
    for (int i = 0; i < n; i++) assert_memory_equal(out[i].data, f[i], sizeof f[i]);
    assert_no_protocol_errors();   /* and never wrote past it */
    assert_int_equal(eth_qca7000_stats()->tx_dropped, 0);
}

static void test_send_waits_for_space(void **state)
{
    (void)state;
    send_while_busy(5, -1);
}

static void test_send_stuck_modem(void **state)
{
    (void)state;
    uint8_t f[1518];
    init_ok();
    modem.busy_xfers = 1000000;   /* the write buffer never drains */
    for (int i = 0; i < 3; i++) {
        make_frame(f, sizeof f, (uint8_t)i);
        uint32_t t0 = clock_ms;
        eth_send(f, sizeof f);
        assert_true(clock_ms - t0 <= 2 * ETH_QCA7000_TX_WAIT_MS);   /* bounded: the main loop goes on */
    }
    assert_int_equal(modem.npending, 2);   /* what fitted */
    assert_int_equal(eth_qca7000_stats()->tx_dropped, 1);   /* the third: dropped and counted, not overflowed */
    assert_no_protocol_errors();
}

static void test_send_glitched_space(void **state)
{
    (void)state;
    send_while_busy(3, 2);   /* the third frame's first look at the space is garbled: not a reason to write */
}

/* ---- receive ---- */

static void test_recv_several_in_one_read(void **state)
{
    (void)state;
    static const size_t sizes[] = { 60, 1518, 300 };
    uint8_t f[3][1518], buf[1518];
    init_ok();
    unsigned reads = modem.ext_reads;
    for (int i = 0; i < 3; i++) {
        make_frame(f[i], sizes[i], (uint8_t)(3 * i));
        assert_int_equal(qm_receive(&modem, f[i], sizes[i]), 0);
    }
    for (int i = 0; i < 3; i++) {
        assert_int_equal(eth_recv(buf, sizeof buf), sizes[i]);
        assert_memory_equal(buf, f[i], sizes[i]);
    }
    assert_int_equal(eth_recv(buf, sizeof buf), 0);
    assert_int_equal(modem.ext_reads - reads, 1);   /* all three came in one read of the buffer */
    assert_no_protocol_errors();
}

static void test_recv_garbage_before_frame(void **state)
{
    (void)state;
    /* line noise: stray bytes, a run of start bytes that leads nowhere, a hardware length with nothing behind */
    static const uint8_t noise[] = { 0x13, 0x00, 0xAA, 0xAA, 0xAA, 0x55, 0x00, 0x00, 0x00, 0x46, 0xAA, 0xAA,
                                     0xAA, 0xAA, 0x01, 0x00, 0x7F };
    uint8_t f[200], buf[1518];
    init_ok();
    make_frame(f, sizeof f, 77);
    assert_int_equal(qm_receive_raw(&modem, noise, sizeof noise), 0);
    assert_int_equal(qm_receive(&modem, f, sizeof f), 0);
    assert_int_equal(eth_recv(buf, sizeof buf), sizeof f);
    assert_memory_equal(buf, f, sizeof f);
    make_frame(f, 64, 78);   /* and in step again afterwards */
    assert_int_equal(qm_receive(&modem, f, 64), 0);
    assert_int_equal(eth_recv(buf, sizeof buf), 64);
    assert_memory_equal(buf, f, 64);
    assert_no_protocol_errors();
}

static void test_recv_frame_longer_than_cap(void **state)
{
    (void)state;
    uint8_t f[1000], buf[600];
    init_ok();
    make_frame(f, sizeof f, 5);
    assert_int_equal(qm_receive(&modem, f, sizeof f), 0);
    make_frame(f, 100, 6);
    assert_int_equal(qm_receive(&modem, f, 100), 0);
    assert_int_equal(eth_recv(buf, sizeof buf), 100);   /* the long one dropped, the next one delivered */
    assert_memory_equal(buf, f, 100);
}

static void test_recv_full_read_buffer(void **state)
{
    (void)state;
    /* Two 1518-byte frames and one of 1 KB fill the read buffer to the most Linux accepts as genuine
     * (QCASPI_HW_BUF_LEN + QCASPI_HW_PKT_LEN = 3167 bytes), line noise making up the rest. */
    uint8_t f[3][1518], buf[1518], noise[QM_RD_BUF_LEN];
    static const size_t sizes[] = { 1518, 1518, 0 };
    init_ok();
    size_t used = 0;
    for (int i = 0; i < 2; i++) {
        make_frame(f[i], sizes[i], (uint8_t)i);
        assert_int_equal(qm_receive(&modem, f[i], sizes[i]), 0);
        used += 4 + 10 + sizes[i];
    }
    size_t last = QM_RD_BUF_LEN - used - 4 - 10 - 7;
    make_frame(f[2], last, 2);
    memset(noise, 0x13, 7);
    assert_int_equal(qm_receive_raw(&modem, noise, 7), 0);
    assert_int_equal(qm_receive(&modem, f[2], last), 0);
    assert_int_equal(modem.rlen, QM_RD_BUF_LEN);
    for (int i = 0; i < 3; i++) {
        size_t want = i < 2 ? sizes[i] : last;
        assert_int_equal(eth_recv(buf, sizeof buf), want);
        assert_memory_equal(buf, f[i], want);
    }
    assert_no_protocol_errors();
}

static void test_recv_glitched_avail(void **state)
{
    (void)state;
    uint8_t f[100], buf[1518];
    init_ok();
    make_frame(f, sizeof f, 3);
    assert_int_equal(qm_receive(&modem, f, sizeof f), 0);
    modem.glitch_reg = 0x0300;   /* RDBUF_BYTE_AVA garbled to more than any modem holds */
    modem.glitch_value = 0xFFFF;
    size_t n = eth_recv(buf, sizeof buf);
    if (n == 0) n = eth_recv(buf, sizeof buf);   /* read again at the next poll */
    assert_int_equal(n, sizeof f);
    assert_memory_equal(buf, f, sizeof f);
    assert_no_protocol_errors();   /* no read of bytes the modem does not have */
}

/* ---- the modem restarts ---- */

static void test_modem_restart(void **state)
{
    (void)state;
    uint8_t f[120], buf[1518];
    init_ok();
    unsigned resets = modem.resets;
    qm_restart(&modem);   /* watchdog or brown-out: buffers lost, CPU_ON after the boot */
    for (int i = 0; i < 10; i++) eth_recv(buf, sizeof buf);   /* the main loop polls */
    assert_int_equal(modem.intr_cause & QM_INT_CPU_ON, 0);   /* seen and acknowledged */
    make_frame(f, sizeof f, 1);
    eth_send(f, sizeof f);
    assert_int_equal(nout, 1);
    assert_int_equal(qm_receive(&modem, f, sizeof f), 0);
    assert_int_equal(eth_recv(buf, sizeof buf), sizeof f);
    assert_int_equal(modem.resets, resets + 1);   /* the restart itself; the driver needed no further reset */
    assert_no_protocol_errors();
}

static void test_buffer_error_resets(void **state)
{
    (void)state;
    uint8_t f[120], buf[1518];
    init_ok();
    unsigned resets = modem.resets;
    modem.intr_cause |= QM_INT_WRBUF_ERR;   /* the modem reports a broken write buffer (as after SPI noise) */
    for (int i = 0; i < 20; i++) eth_recv(buf, sizeof buf);
    assert_int_equal(modem.resets, resets + 1);   /* resynchronised by a reset, as the Linux driver does */
    assert_int_equal(modem.intr_cause, 0);
    make_frame(f, sizeof f, 2);
    assert_int_equal(qm_receive(&modem, f, sizeof f), 0);
    assert_int_equal(eth_recv(buf, sizeof buf), sizeof f);
    eth_send(f, sizeof f);
    assert_int_equal(nout, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_model_published_bytes, setup),
        cmocka_unit_test_setup(test_init_resets_modem, setup),
        cmocka_unit_test_setup(test_init_no_modem, setup),
        cmocka_unit_test_setup(test_init_modem_never_boots, setup),
        cmocka_unit_test_setup(test_send_sizes, setup),
        cmocka_unit_test_setup(test_send_too_long_refused, setup),
        cmocka_unit_test_setup(test_send_waits_for_space, setup),
        cmocka_unit_test_setup(test_send_stuck_modem, setup),
        cmocka_unit_test_setup(test_send_glitched_space, setup),
        cmocka_unit_test_setup(test_recv_several_in_one_read, setup),
        cmocka_unit_test_setup(test_recv_full_read_buffer, setup),
        cmocka_unit_test_setup(test_recv_glitched_avail, setup),
        cmocka_unit_test_setup(test_recv_garbage_before_frame, setup),
        cmocka_unit_test_setup(test_recv_frame_longer_than_cap, setup),
        cmocka_unit_test_setup(test_modem_restart, setup),
        cmocka_unit_test_setup(test_buffer_error_resets, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
