/* EXI bit-packed stream reader and writer (MSB first), every access bounds-checked. Internal to src/exi. */
#ifndef CCSPLC_EXI_BITSTREAM_H
#define CCSPLC_EXI_BITSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/errors.h"

struct exi_reader {
    const uint8_t *buf;
    size_t nbits;  /* total bits available */
    size_t pos;    /* next bit */
};

struct exi_writer {
    uint8_t *buf;
    size_t nbits;  /* capacity in bits */
    size_t pos;
};

/* Read n (0..32) bits as an unsigned number. */
static inline int exi_read_bits(struct exi_reader *r, unsigned n, uint32_t *out)
{
    if (n > r->nbits - r->pos || r->pos > r->nbits)
        return CCS_ETRUNC;
    uint32_t v = 0;
    size_t pos = r->pos;
    while (n) {
        unsigned off = (unsigned)(pos & 7), avail = 8 - off, take = n < avail ? n : avail;
        unsigned byte = r->buf[pos >> 3];
        v = (v << take) | ((byte >> (avail - take)) & ((1u << take) - 1u));
        pos += take;
        n -= take;
    }
    r->pos = pos;
    *out = v;
    return 0;
}

static inline int exi_write_bits(struct exi_writer *w, unsigned n, uint32_t v)
{
    if (n > w->nbits - w->pos || w->pos > w->nbits)
        return CCS_ENOSPC;
    size_t pos = w->pos;
    while (n) {
        unsigned off = (unsigned)(pos & 7), avail = 8 - off, take = n < avail ? n : avail;
        uint8_t *b = &w->buf[pos >> 3];
        if (off == 0)
            *b = 0;
        n -= take;
        *b = (uint8_t)(*b | (((v >> n) & ((1u << take) - 1u)) << (avail - take)));
        pos += take;
    }
    w->pos = pos;
    return 0;
}

/* EXI Unsigned Integer: 7-bit groups, least significant first, high bit = more follow. */
int exi_read_uint(struct exi_reader *r, uint64_t *out);
int exi_write_uint(struct exi_writer *w, uint64_t v);
/* Bytes of an unsigned integer of any size, as a big-endian magnitude of at most cap bytes. */
int exi_read_biguint(struct exi_reader *r, uint8_t *mag, uint8_t cap, uint8_t *len);
int exi_write_biguint(struct exi_writer *w, const uint8_t *mag, uint8_t len);

#endif
