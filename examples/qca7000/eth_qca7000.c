/* The frame I/O of firmware/mps2-an386/board.h (eth_init, eth_send, eth_recv) on a real car board: a QCA7000/7005
 * modem on SPI, with the core's register protocol and framing (src/qca, ccsplc/core/qca7000.h). It stands where
 * firmware/mps2-an386/lan9118.c stands in the QEMU firmware; the board supplies spi_xfer and its MAC. Polled;
 * build.sh compiles it for Cortex-M4 so it keeps building, docs/porting.md walks through it. */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/core/qca7000.h"

/* The board's SPI (mode 3, at most 12 MHz for the QCA7000): one transfer of len bytes with chip select held low
 * for all of them; rx may be NULL, or tx itself (each byte is sent before its answer is stored). */
void spi_xfer(const uint8_t *tx, uint8_t *rx, size_t len);
/* The host's MAC (from the MCU's unique ID or a configured address: the QCA7000 has none to give the host). */
void board_host_mac(uint8_t mac[6]);

static qca_rx dec;
static uint8_t rd[QCA_CMD_LEN + QCA_HW_BUF_LEN];   /* one read of the modem's receive buffer (several frames) */
static size_t rd_len, rd_pos;
static uint8_t burst[QCA_CMD_LEN + QCA_FRM_MAX_LEN];

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

int eth_init(uint8_t mac[6])
{
    (void)reg_read(QCA_REG_SIGNATURE);   /* the first read after power-up may be garbage */
    if (reg_read(QCA_REG_SIGNATURE) != QCA_SIGNATURE) return CCS_EIO;   /* no modem, or SPI mode/wiring wrong */
    reg_write(QCA_REG_INTR_ENABLE, 0);   /* polled: the causes are read, not signalled */
    qca_rx_init(&dec, 1);
    rd_len = rd_pos = 0;
    board_host_mac(mac);
    return 0;
}

void eth_send(const uint8_t *frame, size_t len)
{
    uint8_t bfr[QCA_REG_XFER_LEN];
    size_t n;
    if (qca_tx_build(frame, len, bfr, burst, sizeof burst, &n) != 0) return;
    if (!qca_tx_fits(reg_read(QCA_REG_WRBUF_SPC_AVA), n - QCA_CMD_LEN)) return;   /* modem busy: drop, as a MAC would */
    spi_xfer(bfr, NULL, sizeof bfr);   /* BFR_SIZE := the framed length */
    spi_xfer(burst, NULL, n);          /* external write: command word + framed frame */
}

size_t eth_recv(uint8_t *buf, size_t cap)
{
    for (;;) {
        if (rd_pos == rd_len) {   /* all read bytes decoded: ask the modem for more */
            uint16_t avail = reg_read(QCA_REG_RDBUF_BYTE_AVA);
            if (avail == 0) return 0;
            if (avail > QCA_HW_BUF_LEN) avail = QCA_HW_BUF_LEN;
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
