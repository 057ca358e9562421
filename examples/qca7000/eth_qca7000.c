/* The frame I/O of firmware/mps2-an386/board.h (eth_init, eth_send, eth_recv) on a real car board: a QCA7000/7005
 * modem on SPI, with the core's register protocol and framing (src/qca, ccsplc/core/qca7000.h). It stands where
 * firmware/mps2-an386/lan9118.c stands in the QEMU firmware; the board supplies spi_xfer and its MAC
 * (eth_qca7000.h). Polled. The modem is reset at init and whenever it reports a broken buffer, and resynchronised
 * when it restarts (CPU_ON), as the Linux qca_spi driver does. build.sh compiles it for Cortex-M4;
 * tests/unit/test_qca_spi.c runs it against a model of the modem; docs/porting.md walks through it. */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/core/qca7000.h"
#include "eth_qca7000.h"

#define RESET_WAIT_MS 1000u   /* a reset not answered by CPU_ON within this is repeated (Linux: QCASPI_QCA7K_REBOOT_TIME_MS) */

static qca_rx dec;
/* One read of the modem's receive buffer (several frames): at most its size plus one length word (Linux). */
#define RD_MAX (QCA_HW_BUF_LEN + QCA_HW_PKT_LEN)
static uint8_t rd[QCA_CMD_LEN + RD_MAX];
static size_t rd_len, rd_pos;
static uint8_t burst[QCA_CMD_LEN + QCA_FRM_MAX_LEN];
static int link_up;        /* in sync with the modem: its CPU is on and the signature read right */
static uint32_t reset_at;
static eth_qca7000_counters counters;

const eth_qca7000_counters *eth_qca7000_stats(void) { return &counters; }

static uint16_t reg_read(uint16_t reg)
{
    uint8_t tx[QCA_REG_XFER_LEN], rx[QCA_REG_XFER_LEN];
    qca_reg_read_tx(reg, tx);
    spi_xfer(tx, rx, sizeof tx);
    return qca_reg_value(rx);
}

static void reg_write(uint16_t reg, uint16_t value)
{
    uint8_t tx[QCA_REG_XFER_LEN];
    qca_reg_write_tx(reg, value, tx);
    spi_xfer(tx, NULL, sizeof tx);
}

/* Whether a whole framed frame of framed_len bytes fits the write buffer now. A space larger than the empty
 * buffer can only be interference on the SPI lines (Linux): not a reason to write. */
static int tx_space_for(size_t framed_len)
{
    uint16_t space = reg_read(QCA_REG_WRBUF_SPC_AVA);
    return space <= QCA_HW_BUF_LEN && qca_tx_fits(space, framed_len);
}

/* What was read from the modem's buffers before is stale: start decoding afresh. */
static void rx_restart(void)
{
    qca_rx_init(&dec, 1);
    rd_len = rd_pos = 0;
}

/* Resets the modem's CPU (SPI_CONFIG bit 6); it answers with CPU_ON once it runs again, its buffers empty. */
static void modem_reset(void)
{
    reg_write(QCA_REG_SPI_CONFIG, reg_read(QCA_REG_SPI_CONFIG) | QCA_SPI_CONFIG_SLAVE_RESET);
    link_up = 0;
    reset_at = board_millis();
    counters.resets++;
    rx_restart();
}

/* After CPU_ON: in sync when the signature reads right (read twice: the first read after the modem's start may
 * be garbage) and the write buffer is empty. */
static int modem_ready(void)
{
    (void)reg_read(QCA_REG_SIGNATURE);
    return reg_read(QCA_REG_SIGNATURE) == QCA_SIGNATURE && reg_read(QCA_REG_WRBUF_SPC_AVA) == QCA_HW_BUF_LEN;
}

/* The interrupt causes, polled and acknowledged: the modem (re)started (resync), its read or write buffer broke
 * (reset it), or a reset went unanswered (repeat it). Returns 1 while in sync. */
static int link_poll(void)
{
    uint16_t cause = reg_read(QCA_REG_INTR_CAUSE);
    if (cause) reg_write(QCA_REG_INTR_CAUSE, cause);
    if (cause & QCA_INT_CPU_ON) {
        int was_up = link_up;
        link_up = modem_ready();
        if (link_up) {
            counters.cpu_on++;
            reg_write(QCA_REG_INTR_ENABLE, 0);   /* polled: the causes are read, not signalled */
            rx_restart();
        } else if (was_up) {
            modem_reset();   /* restarted but not answering right: start over */
        }
    } else if (link_up && (cause & (QCA_INT_RDBUF_ERR | QCA_INT_WRBUF_ERR))) {
        modem_reset();
    } else if (!link_up && board_millis() - reset_at >= RESET_WAIT_MS) {
        modem_reset();
    }
    return link_up;
}

int eth_init(uint8_t mac[6])
{
    memset(&counters, 0, sizeof counters);
    (void)reg_read(QCA_REG_SIGNATURE);   /* the first read after power-up may be garbage */
    if (reg_read(QCA_REG_SIGNATURE) != QCA_SIGNATURE) return CCS_EIO;   /* no modem, or SPI mode/wiring wrong */
    modem_reset();   /* a clean start: frames left from before the host's own reset go */
    uint32_t t0 = reset_at;
    while (!link_poll()) {
        if (board_millis() - t0 >= RESET_WAIT_MS) return CCS_EIO;   /* the modem did not come back */
        board_idle();
    }
    board_host_mac(mac);
    return 0;
}

void eth_send(const uint8_t *frame, size_t len)
{
    uint8_t bfr[QCA_REG_XFER_LEN];
    size_t n;
    if (qca_tx_build(frame, len, bfr, burst, sizeof burst, &n) != 0) {
        counters.tx_too_long++;
        return;
    }
    /* Wait while the modem sends what its write buffer holds on the powerline (or restarts), never longer than
     * ETH_QCA7000_TX_WAIT_MS: then the frame is dropped and counted, as a full MAC would. */
    uint32_t t0 = board_millis();
    while (!(link_up || link_poll()) || !tx_space_for(n - QCA_CMD_LEN)) {
        if (board_millis() - t0 >= ETH_QCA7000_TX_WAIT_MS) {
            counters.tx_dropped++;
            return;
        }
        board_idle();
    }
    spi_xfer(bfr, NULL, sizeof bfr);   /* BFR_SIZE := the framed length */
    spi_xfer(burst, NULL, n);          /* external write: command word + framed frame */
}

size_t eth_recv(uint8_t *buf, size_t cap)
{
    for (;;) {
        if (rd_pos == rd_len) {   /* all read bytes decoded: ask the modem for more */
            if (!link_poll()) return 0;
            uint16_t avail = reg_read(QCA_REG_RDBUF_BYTE_AVA);
            if (avail == 0 || avail > RD_MAX) return 0;   /* none, or interference on the lines: ask again later */
            uint8_t bfr[QCA_REG_XFER_LEN];
            qca_rx_build(avail, bfr, rd);
            spi_xfer(bfr, NULL, sizeof bfr);   /* BFR_SIZE := avail */
            /* external read: the command word out, then avail bytes clocked in while zeros go out */
            memset(rd + QCA_CMD_LEN, 0, avail);
            spi_xfer(rd, rd, QCA_CMD_LEN + (size_t)avail);
            rd_pos = QCA_CMD_LEN;
            rd_len = QCA_CMD_LEN + (size_t)avail;
        }
        size_t used = 0;
        int n = qca_rx_feed(&dec, rd + rd_pos, rd_len - rd_pos, &used);
        rd_pos += used;
        if (n > 0 && (size_t)n <= cap) {
            memcpy(buf, dec.frame, (size_t)n);
            return (size_t)n;
        }
    }
}
