/* QCA7000 SPI register protocol: command words and the 4-byte register transfers, and the transfers that move
 * one frame into the modem's write buffer or out of its read buffer (sans-I/O: the caller clocks the bytes). */
#include "ccsplc/core/qca7000.h"
#include "ccsplc/core/errors.h"
#include "common/wire.h"

uint16_t qca_cmd(int read, int internal, uint16_t reg)
{
    return (uint16_t)((read ? QCA_SPI_READ : QCA_SPI_WRITE) | (internal ? QCA_SPI_INTERNAL : QCA_SPI_EXTERNAL) |
                      (reg & 0x3fffu));
}

void qca_reg_read_tx(uint16_t reg, uint8_t tx[QCA_REG_XFER_LEN])
{
    be16_put(tx, qca_cmd(1, 1, reg));
    be16_put(tx + 2, 0);
}

uint16_t qca_reg_value(const uint8_t rx[QCA_REG_XFER_LEN]) { return be16_get(rx + 2); }

void qca_reg_write_tx(uint16_t reg, uint16_t value, uint8_t tx[QCA_REG_XFER_LEN])
{
    be16_put(tx, qca_cmd(0, 1, reg));
    be16_put(tx + 2, value);
}

void qca_burst_cmd(int read, uint8_t tx[QCA_CMD_LEN]) { be16_put(tx, qca_cmd(read, 0, 0)); }

int qca_tx_fits(uint16_t wrbuf_spc_ava, size_t framed_len) { return framed_len + QCA_HW_PKT_LEN <= wrbuf_spc_ava; }

int qca_tx_build(const uint8_t *eth, size_t len, uint8_t bfr_tx[QCA_REG_XFER_LEN], uint8_t *burst, size_t cap,
                 size_t *burst_len)
{
    size_t framed;
    if (cap < QCA_CMD_LEN) return CCS_ENOSPC;
    int rc = qca_frame_encode(eth, len, burst + QCA_CMD_LEN, cap - QCA_CMD_LEN, &framed);
    if (rc) return rc;
    qca_burst_cmd(0, burst);
    qca_reg_write_tx(QCA_REG_BFR_SIZE, (uint16_t)framed, bfr_tx);
    *burst_len = QCA_CMD_LEN + framed;
    return 0;
}

void qca_rx_build(uint16_t avail, uint8_t bfr_tx[QCA_REG_XFER_LEN], uint8_t cmd[QCA_CMD_LEN])
{
    qca_reg_write_tx(QCA_REG_BFR_SIZE, avail, bfr_tx);
    qca_burst_cmd(1, cmd);
}
