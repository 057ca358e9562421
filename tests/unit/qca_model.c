/* The QCA7000 SPI slave model (qca_model.h). Its facts, carried over (no code): Linux
 * drivers/net/ethernet/qualcomm/qca_7k.h, qca_spi.c, qca_7k_common.c/h (command word bits, register addresses,
 * SPI_INT_* bits, QCASPI_GOOD_SIGNATURE 0xAA55, QCASPI_HW_BUF_LEN 0xC5B and QCASPI_HW_PKT_LEN 4, the framing
 * AA AA AA AA / length LE16 / 00 00 / frame / 55 55, the read buffer's 32-bit big-endian hardware length with its
 * upper half 0, the reset through SPI_CONFIG bit 6 followed by CPU_ON, the signature read twice after CPU_ON);
 * uhi22/ccs32clara ccs/qca7000.cpp (hardware length = frame length + 10, BFR_SIZE = framed length, external
 * read 0x8000 / write 0x0000 followed by the data). I2SE's AN4 "QCA7000 SPI / UART Protocol" is the document
 * both follow.
 * Strict where the facts allow: every external transfer must move exactly BFR_SIZE bytes, a write must fit the
 * space (framed length + 4) and hold one well-framed frame of 60..1518 bytes. Not modelled: SPI timing and
 * modes, legacy (non-burst) mode, the watermark registers and WRBUF_BELOW_WM, SPI_STATUS, the real firmware's
 * reaction to bad framing (counted here, frame dropped), what the modem answers while it boots (0 here). */
#include <string.h>

#include "qca_model.h"

#define CMD_READ 0x8000u
#define CMD_INTERNAL 0x4000u
#define CMD_ADDR 0x3FFFu

#define REG_BFR_SIZE 0x0100u
#define REG_WRBUF_SPC_AVA 0x0200u
#define REG_RDBUF_BYTE_AVA 0x0300u
#define REG_SPI_CONFIG 0x0400u
#define REG_INTR_CAUSE 0x0C00u
#define REG_INTR_ENABLE 0x0D00u
#define REG_SIGNATURE 0x1A00u

#define SIGNATURE 0xAA55u
#define SLAVE_RESET 0x0040u
#define HW_PKT_LEN 4u    /* per-frame cost in the modem's buffers */
#define FRM_OVERHEAD 10u /* 4 start bytes, 2 length, 2 reserved, 2 end bytes */
#define ETH_MIN 60u

static void power_on(qca_model *m)
{
    m->booting = 0;
    m->intr_cause |= QM_INT_CPU_ON;
    m->first_read_pending = m->garbage_first_read;
}

static void lose_state(qca_model *m)
{
    m->bfr_size = m->spi_config = m->intr_cause = m->intr_enable = 0;
    m->rlen = m->wr_used = 0;
    m->npending = 0;
}

void qm_init(qca_model *m)
{
    lose_state(m);
    power_on(m);
}

void qm_restart(qca_model *m)
{
    lose_state(m);
    m->resets++;
    m->booting = m->boot_xfers;
    if (!m->booting) power_on(m);
}

static uint16_t reg_read(qca_model *m, uint16_t reg)
{
    switch (reg) {
    case REG_BFR_SIZE: return m->bfr_size;
    case REG_WRBUF_SPC_AVA: return (uint16_t)(QM_HW_BUF_LEN - m->wr_used);
    case REG_RDBUF_BYTE_AVA: return (uint16_t)m->rlen;
    case REG_SPI_CONFIG: return m->spi_config;
    case REG_INTR_CAUSE: return m->intr_cause;
    case REG_INTR_ENABLE: return m->intr_enable;
    case REG_SIGNATURE: return SIGNATURE;
    default: return 0;
    }
}

static void reg_write(qca_model *m, uint16_t reg, uint16_t v)
{
    switch (reg) {
    case REG_BFR_SIZE: m->bfr_size = v; break;
    case REG_SPI_CONFIG:
        if (v & SLAVE_RESET) qm_restart(m);
        else m->spi_config = v;
        break;
    case REG_INTR_CAUSE: m->intr_cause &= (uint16_t)~v; break;   /* writing a cause bit acknowledges it */
    case REG_INTR_ENABLE: m->intr_enable = v; break;
    default: break;   /* read-only or not modelled */
    }
}

static void internal(qca_model *m, uint16_t cmd, const uint8_t *tx, uint8_t *rx, size_t len)
{
    if (len != 4) {   /* a register transfer is the command word and one 16-bit value */
        m->bad_xfers++;
        return;
    }
    uint16_t reg = cmd & CMD_ADDR;
    if (!(cmd & CMD_READ)) {
        if (!m->booting) reg_write(m, reg, (uint16_t)(tx[2] << 8 | tx[3]));
        return;
    }
    uint16_t v = m->booting ? 0 : reg_read(m, reg);
    if (!m->booting && m->glitch_reg && reg == m->glitch_reg) {
        m->glitch_reg = 0;
        v = m->glitch_value;
    }
    if (!m->booting && m->first_read_pending) {
        m->first_read_pending = 0;
        v = m->garbage_value;
    }
    if (rx) {
        rx[2] = (uint8_t)(v >> 8);   /* big-endian, after the two bytes clocked in during the command */
        rx[3] = (uint8_t)v;
    }
}

/* The bytes of one external write: exactly one framed frame, parsed here from the layout (not with src/qca). */
static void ext_write(qca_model *m, const uint8_t *d, size_t n)
{
    if (n != m->bfr_size || n + HW_PKT_LEN > QM_HW_BUF_LEN - m->wr_used || m->npending == QM_PENDING_MAX) {
        m->wr_errors++;   /* overrun or a length the modem was not told: the real modem flags WRBUF_ERR */
        m->intr_cause |= QM_INT_WRBUF_ERR;
        return;
    }
    size_t flen = n >= 8 ? (size_t)(d[4] | d[5] << 8) : 0;
    if (n < FRM_OVERHEAD + ETH_MIN || d[0] != 0xAA || d[1] != 0xAA || d[2] != 0xAA || d[3] != 0xAA || d[6] || d[7] ||
        flen < ETH_MIN || flen > QM_ETH_MAX || flen + FRM_OVERHEAD != n || d[8 + flen] != 0x55 || d[9 + flen] != 0x55) {
        m->bad_frames++;
        return;
    }
    qm_frame *f = &m->pending[m->npending++];
    f->len = (uint16_t)flen;
    memcpy(f->data, d + 8, flen);
    m->wr_used += n + HW_PKT_LEN;
}

static void ext_read(qca_model *m, uint8_t *rx, size_t n)
{
    m->ext_reads++;
    if (n != m->bfr_size || n > m->rlen) {
        m->rd_errors++;   /* underrun or a length the modem was not told */
        m->intr_cause |= QM_INT_RDBUF_ERR;
        if (rx) memset(rx, 0, n);
        return;
    }
    if (rx) memcpy(rx, m->rbuf, n);
    memmove(m->rbuf, m->rbuf + n, m->rlen - n);
    m->rlen -= n;
}

/* The powerline takes the written frames once it is free. */
static void powerline(qca_model *m)
{
    if (m->busy_xfers) {
        m->busy_xfers--;
        return;
    }
    for (unsigned i = 0; i < m->npending; i++) {
        m->frames_out++;
        if (m->on_powerline) m->on_powerline(m->ctx, m->pending[i].data, m->pending[i].len);
    }
    m->npending = 0;
    m->wr_used = 0;
}

void qm_xfer(qca_model *m, const uint8_t *tx, uint8_t *rx, size_t len)
{
    m->xfers++;
    if (m->booting && --m->booting == 0) power_on(m);
    if (len < 2) {
        m->bad_xfers++;
        return;
    }
    uint16_t cmd = (uint16_t)(tx[0] << 8 | tx[1]);
    if (rx) rx[0] = rx[1] = 0;
    if (cmd & CMD_INTERNAL) {
        internal(m, cmd, tx, rx, len);
    } else if (m->booting || (cmd & CMD_ADDR)) {
        m->bad_xfers++;   /* external transfers carry no address; none while the CPU boots */
    } else if (cmd & CMD_READ) {
        ext_read(m, rx ? rx + 2 : NULL, len - 2);
    } else {
        ext_write(m, tx + 2, len - 2);
    }
    powerline(m);
}

int qm_receive_raw(qca_model *m, const uint8_t *bytes, size_t len)
{
    if (m->booting || len > QM_RD_BUF_LEN - m->rlen) return -1;
    memcpy(m->rbuf + m->rlen, bytes, len);
    m->rlen += len;
    m->intr_cause |= QM_INT_PKT_AVLBL;
    return 0;
}

int qm_receive(qca_model *m, const uint8_t *eth, size_t len)
{
    uint8_t b[4 + FRM_OVERHEAD + QM_ETH_MAX];
    if (len < ETH_MIN || len > QM_ETH_MAX) return -1;
    size_t framed = len + FRM_OVERHEAD;
    b[0] = b[1] = 0;   /* the hardware length: 32 bits big-endian, the framed length */
    b[2] = (uint8_t)(framed >> 8);
    b[3] = (uint8_t)framed;
    memset(b + 4, 0xAA, 4);
    b[8] = (uint8_t)len;   /* the frame length: little-endian */
    b[9] = (uint8_t)(len >> 8);
    b[10] = b[11] = 0;
    memcpy(b + 12, eth, len);
    b[12 + len] = b[13 + len] = 0x55;
    if (qm_receive_raw(m, b, framed + 4) != 0) {
        m->dropped_in++;
        return -1;
    }
    m->frames_in++;
    return 0;
}
