/* A QCA7000/7005 SPI slave model for host tests: answers the modem's SPI register protocol and moves Ethernet
 * frames between its SPI buffers and a "powerline" side the test drives. Written from the published facts, not
 * from our src/qca (qca_model.c names the sources and what the model does not cover). */
#ifndef CCSPLC_TEST_QCA_MODEL_H
#define CCSPLC_TEST_QCA_MODEL_H
#include <stddef.h>
#include <stdint.h>

#define QM_HW_BUF_LEN 3163u  /* write buffer space of an empty modem (Linux QCASPI_HW_BUF_LEN 0xC5B) */
#define QM_RD_BUF_LEN (QM_HW_BUF_LEN + 4u) /* the largest RDBUF_BYTE_AVA Linux accepts as genuine */
#define QM_ETH_MAX 1518u
#define QM_PENDING_MAX 32

/* Interrupt cause bits (Linux qca_7k.h SPI_INT_*). */
#define QM_INT_CPU_ON 0x0040u
#define QM_INT_WRBUF_ERR 0x0004u
#define QM_INT_RDBUF_ERR 0x0002u
#define QM_INT_PKT_AVLBL 0x0001u

typedef struct {
    uint16_t len;
    uint8_t data[QM_ETH_MAX];
} qm_frame;

typedef struct qca_model {
    /* registers */
    uint16_t bfr_size, spi_config, intr_cause, intr_enable;
    /* the read buffer (what the host reads out: hardware length + framed frame, per frame) */
    uint8_t rbuf[QM_RD_BUF_LEN];
    size_t rlen;
    /* frames written by the host, waiting for the powerline; each costs framed length + 4 of the write buffer */
    qm_frame pending[QM_PENDING_MAX];
    unsigned npending;
    size_t wr_used;
    /* behaviour the test sets */
    unsigned busy_xfers;       /* the powerline is busy for this many more transfers: the write buffer holds */
    unsigned boot_xfers;       /* transfers a reset takes until the CPU is on again */
    int garbage_first_read;    /* the first register read after the CPU came on answers garbage_value */
    uint16_t garbage_value;
    uint16_t glitch_reg;       /* nonzero: the next read of this register answers glitch_value (SPI interference) */
    uint16_t glitch_value;
    /* the powerline side: every frame the modem sends there (NULL: kept in the counters only) */
    void (*on_powerline)(void *ctx, const uint8_t *frame, size_t len);
    void *ctx;
    /* state and what the model saw */
    unsigned booting;          /* transfers left until the CPU is on (0: running) */
    int first_read_pending;
    unsigned xfers, ext_reads, resets, frames_out, frames_in, dropped_in;
    unsigned wr_errors;        /* writes that overran the buffer or did not match BFR_SIZE */
    unsigned rd_errors;        /* reads that underran the buffer or did not match BFR_SIZE */
    unsigned bad_frames;       /* writes whose framing (markers, lengths) was wrong */
    unsigned bad_xfers;        /* transfers that are no command of the protocol */
} qca_model;

/* Power-up: the CPU is on (cause CPU_ON pending), the buffers are empty. */
void qm_init(qca_model *m);
/* One SPI transfer with chip select held for len bytes: tx clocked out by the host, rx (may be NULL) clocked in. */
void qm_xfer(qca_model *m, const uint8_t *tx, uint8_t *rx, size_t len);
/* A frame received on the powerline into the read buffer; 0, or -1 when the buffer has no room (dropped). */
int qm_receive(qca_model *m, const uint8_t *eth, size_t len);
/* Raw bytes into the read buffer (line noise for the host's resynchronisation); 0 or -1. */
int qm_receive_raw(qca_model *m, const uint8_t *bytes, size_t len);
/* The modem's CPU restarts (watchdog, brown-out, SPI_CONFIG reset): buffers lost, CPU_ON after boot_xfers. */
void qm_restart(qca_model *m);

#endif
