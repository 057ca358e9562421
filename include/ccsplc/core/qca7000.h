/* QCA7000/QCA7005 HomePlug Green PHY modem on SPI (sans-I/O): the 16-bit SPI command words, the register
 * transfers (buffer space, read buffer bytes, buffer size, interrupts, signature) and the serial framing of
 * Ethernet frames (start of frame, length, end of frame) as an encoder and a resynchronising byte decoder. */
#ifndef CCSPLC_CORE_QCA7000_H
#define CCSPLC_CORE_QCA7000_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- SPI command word (sent big-endian, MSB first): bit 15 read, bit 14 internal register, low bits the
 * register address. A register transfer is 4 bytes with chip select held: the command, then the 16-bit value
 * (written by us, or clocked out by the modem while we send zeros). An external transfer (read or write of the
 * modem's frame buffers) is the command word 0x8000 / 0x0000 followed by the data bytes. ---- */
#define QCA_SPI_READ 0x8000u
#define QCA_SPI_WRITE 0x0000u
#define QCA_SPI_INTERNAL 0x4000u
#define QCA_SPI_EXTERNAL 0x0000u
#define QCA_CMD_LEN 2      /* a command word */
#define QCA_REG_XFER_LEN 4 /* command word + 16-bit register value */

/* Internal registers. */
#define QCA_REG_BFR_SIZE 0x0100u        /* length of the next external read or write, in bytes */
#define QCA_REG_WRBUF_SPC_AVA 0x0200u   /* free space in the modem's write (transmit) buffer */
#define QCA_REG_RDBUF_BYTE_AVA 0x0300u  /* bytes waiting in the modem's read (receive) buffer */
#define QCA_REG_SPI_CONFIG 0x0400u
#define QCA_REG_SPI_STATUS 0x0500u
#define QCA_REG_INTR_CAUSE 0x0C00u      /* pending causes; writing the bits back acknowledges them */
#define QCA_REG_INTR_ENABLE 0x0D00u
#define QCA_REG_RDBUF_WATERMARK 0x1200u
#define QCA_REG_WRBUF_WATERMARK 0x1300u
#define QCA_REG_SIGNATURE 0x1A00u
#define QCA_REG_ACTION_CTRL 0x1B00u

#define QCA_SIGNATURE 0xAA55u          /* what QCA_REG_SIGNATURE reads when the SPI link is in sync */
#define QCA_HW_BUF_LEN 0x0C5Bu         /* QCA_REG_WRBUF_SPC_AVA of an empty write buffer (3163 bytes) */
#define QCA_HW_PKT_LEN 4               /* per-frame overhead in the modem's buffers (the length word) */
#define QCA_SPI_CONFIG_SLAVE_RESET 0x0040u /* QCA_REG_SPI_CONFIG bit 6: resets the modem's CPU */

/* QCA_REG_INTR_CAUSE / QCA_REG_INTR_ENABLE bits. */
#define QCA_INT_WRBUF_BELOW_WM 0x0400u
#define QCA_INT_CPU_ON 0x0040u    /* the modem (re)started: check the signature, the link must resync */
#define QCA_INT_ADDR_ERR 0x0008u
#define QCA_INT_WRBUF_ERR 0x0004u /* write buffer overrun or underrun: resync (reset) */
#define QCA_INT_RDBUF_ERR 0x0002u /* read buffer error: resync (reset) */
#define QCA_INT_PKT_AVLBL 0x0001u /* a received frame waits: read QCA_REG_RDBUF_BYTE_AVA */
/* What to enable after handling an interrupt (the set the Linux qca_spi driver enables). */
#define QCA_INT_DEFAULT (QCA_INT_CPU_ON | QCA_INT_PKT_AVLBL | QCA_INT_RDBUF_ERR | QCA_INT_WRBUF_ERR)

/* The command word for a transfer (read != 0: read; internal != 0: a register, else the frame buffers). */
uint16_t qca_cmd(int read, int internal, uint16_t reg);
/* The 4 bytes to clock out to read register reg; the value is qca_reg_value(rx) of the 4 bytes clocked in. */
void qca_reg_read_tx(uint16_t reg, uint8_t tx[QCA_REG_XFER_LEN]);
uint16_t qca_reg_value(const uint8_t rx[QCA_REG_XFER_LEN]);
/* The 4 bytes that write value to register reg. */
void qca_reg_write_tx(uint16_t reg, uint16_t value, uint8_t tx[QCA_REG_XFER_LEN]);
/* The command word that starts an external read (read != 0) or write of the frame buffers. */
void qca_burst_cmd(int read, uint8_t tx[QCA_CMD_LEN]);

/* ---- Serial framing of one Ethernet frame: 0xAA AA AA AA (start of frame), the frame length (16 bits,
 * little-endian), 2 reserved zero bytes, the frame, 0x55 55 (end of frame). On SPI, every frame the modem hands
 * over in its read buffer is preceded by a 32-bit big-endian hardware length (the framed length: frame + 10). */
#define QCA_FRM_HEADER_LEN 8
#define QCA_FRM_FOOTER_LEN 2
#define QCA_FRM_OVERHEAD (QCA_FRM_HEADER_LEN + QCA_FRM_FOOTER_LEN)
#define QCA_ETH_MIN_LEN 60   /* shorter frames are padded with zeros (Ethernet minimum without FCS) */
#define QCA_ETH_MAX_LEN 1518 /* 1500 bytes of payload + a VLAN-tagged Ethernet header */
#define QCA_FRM_MAX_LEN (QCA_FRM_OVERHEAD + QCA_ETH_MAX_LEN)

/* Writes the framed form of an Ethernet frame (padded to QCA_ETH_MIN_LEN) to out; *out_len its length. 0,
 * CCS_EINVAL (frame longer than QCA_ETH_MAX_LEN) or CCS_ENOSPC. */
int qca_frame_encode(const uint8_t *eth, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/* The transmit of one Ethernet frame: when qca_tx_fits(QCA_REG_WRBUF_SPC_AVA value, framed length), write
 * bfr_tx (QCA_REG_BFR_SIZE := framed length), then clock out burst (command 0x0000 + framed frame) with chip
 * select held. 0, or the errors of qca_frame_encode. */
int qca_tx_build(const uint8_t *eth, size_t len, uint8_t bfr_tx[QCA_REG_XFER_LEN], uint8_t *burst, size_t cap,
                 size_t *burst_len);
/* Nonzero when a framed frame of framed_len bytes fits the write buffer space the modem reported. */
int qca_tx_fits(uint16_t wrbuf_spc_ava, size_t framed_len);
/* The receive: with avail = QCA_REG_RDBUF_BYTE_AVA (nonzero, at most the caller's buffer), write bfr_tx
 * (QCA_REG_BFR_SIZE := avail), then clock out cmd (0x8000) followed by avail dummy bytes; the avail bytes
 * clocked in after the command go to qca_rx_feed. */
void qca_rx_build(uint16_t avail, uint8_t bfr_tx[QCA_REG_XFER_LEN], uint8_t cmd[QCA_CMD_LEN]);

/* ---- Decoder: bytes in (any split), whole Ethernet frames out. In sync it expects the exact layout; on any
 * mismatch (garbage, a length outside 60..1518 or unequal to the hardware length, no end marker) it counts the
 * fault and hunts for the next start of frame, so one bad frame costs only itself. ---- */
typedef struct {
    uint32_t frames;    /* whole frames delivered */
    uint32_t skipped;   /* bytes dropped while hunting for a start of frame */
    uint32_t bad_head;  /* hardware length or start of frame not where expected */
    uint32_t bad_len;   /* frame length out of range, or not the hardware length - 10 */
    uint32_t bad_tail;  /* end of frame marker missing */
} qca_rx_stats;

typedef struct {
    uint8_t spi;      /* nonzero: a 32-bit hardware length precedes each frame (SPI); 0: UART framing */
    uint8_t state;
    uint8_t hunting;  /* out of sync: skip to the next 0xAA AA AA AA */
    uint16_t count;   /* bytes of the current field (or run of 0xAA) seen */
    uint32_t hw_len;
    uint16_t len;     /* frame length from the header */
    qca_rx_stats stats;
    uint8_t frame[QCA_ETH_MAX_LEN];
} qca_rx;

/* spi: nonzero for the SPI read buffer layout (hardware length first). */
void qca_rx_init(qca_rx *d, int spi);
/* Consumes bytes from in up to and including the end of the next whole frame. Returns that frame's length
 * (frame in d->frame, valid until the next call) with *used the bytes consumed, or 0 with all len bytes
 * consumed and no frame yet. Call again with the rest of the input until it returns 0. */
int qca_rx_feed(qca_rx *d, const uint8_t *in, size_t len, size_t *used);

#ifdef __cplusplus
}
#endif

#endif
