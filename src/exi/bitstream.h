/* EXI bit-packed stream reader and writer (MSB first), every access bounds-checked. Internal to src/exi. */
#ifndef CCSPLC_EXI_BITSTREAM_H
#define CCSPLC_EXI_BITSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/errors.h"

struct exi_reader {
    const uint8_t *buf;
    size_t nbits;  /* total bits available */
    size_t pos;    /* next bit */
    size_t nbytes; /* bytes behind nbits: (nbits + 7) / 8 */
};

/* The writer keeps up to 7 pending bits in acc; exi_writer_pos() is the stream position in bits. */
struct exi_writer {
    uint8_t *buf;
    size_t cap;     /* bytes */
    size_t nbytes;  /* bytes written */
    uint64_t acc;
    unsigned nacc;  /* pending bits in acc (< 8 between calls) */
};

static inline uint64_t exi_load_be64(const uint8_t *b)
{
    return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
           (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 | (uint64_t)b[6] << 8 | (uint64_t)b[7];
}

/* Read n (0..32) bits as an unsigned number. Invariant: pos <= nbits. */
static inline int exi_read_bits(struct exi_reader *r, unsigned n, uint32_t *out)
{
    size_t pos = r->pos;
    if (n > r->nbits - pos)
        return CCS_ETRUNC;
    if (n == 0) {
        *out = 0;
        return 0;
    }
    size_t byte = pos >> 3; /* < nbytes, since the n > 0 bits are in bounds */
    uint64_t w;
    if (r->nbytes >= 8) {
        /* a 64-bit window that stays in bounds: from here, or the buffer's last 8 bytes shifted into place */
        size_t at = byte + 8 <= r->nbytes ? byte : r->nbytes - 8;
        w = exi_load_be64(r->buf + at) << (8 * (byte - at));
    } else {                         /* a buffer shorter than 8 bytes */
        w = 0;
        for (size_t i = 0; i < 8; i++)
            w = w << 8 | (byte + i < r->nbytes ? r->buf[byte + i] : 0u);
    }
    r->pos = pos + n;
    *out = (uint32_t)((w << (pos & 7)) >> (64 - n));
    return 0;
}

static inline int exi_write_bits(struct exi_writer *w, unsigned n, uint32_t v)
{
    w->acc = (w->acc << n) | (v & ((UINT64_C(1) << n) - 1u));
    w->nacc += n;
    while (w->nacc >= 8) {
        if (w->nbytes >= w->cap)
            return CCS_ENOSPC;
        w->nacc -= 8;
        w->buf[w->nbytes++] = (uint8_t)(w->acc >> w->nacc);
    }
    return 0;
}

static inline size_t exi_writer_pos(const struct exi_writer *w)
{
    return w->nbytes * 8 + w->nacc;
}

/* Write the pending bits, zero-padded to a byte boundary. */
static inline int exi_writer_flush(struct exi_writer *w)
{
    return w->nacc ? exi_write_bits(w, 8 - w->nacc, 0) : 0;
}

/* EXI Unsigned Integer: 7-bit groups, least significant first, high bit = more follow. */
int exi_read_uint(struct exi_reader *r, uint64_t *out);
int exi_write_uint(struct exi_writer *w, uint64_t v);
/* Bytes of an unsigned integer of any size, as a big-endian magnitude of at most cap bytes. */
int exi_read_biguint(struct exi_reader *r, uint8_t *mag, uint8_t cap, uint8_t *len);
int exi_write_biguint(struct exi_writer *w, const uint8_t *mag, uint8_t len);

#endif
