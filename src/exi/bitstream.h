/* EXI bit-packed stream reader and writer (MSB first), every access bounds-checked. Internal to src/exi. */
#ifndef CCSPLC_EXI_BITSTREAM_H
#define CCSPLC_EXI_BITSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ccsplc/core/errors.h"

/* The reader holds up to 64 bits ahead in a window (left-aligned in win, `avail` of them valid), refilled with
 * one 8-byte load where the buffer allows, so a read is a shift and a subtraction. Invariant:
 * next * 8 == position + avail; bits past the buffer are never counted into avail. */
struct exi_reader {
    const uint8_t *buf;
    size_t nbytes; /* bytes in buf */
    size_t next;   /* next byte to load into the window */
    uint64_t win;  /* unread bits, most significant first */
    unsigned avail; /* valid bits in win */
};

/* The writer keeps up to 31 pending bits in acc (right-aligned) and stores 4 bytes at a time;
 * exi_writer_pos() is the stream position in bits. */
struct exi_writer {
    uint8_t *buf;
    size_t cap;     /* bytes */
    size_t nbytes;  /* bytes written */
    uint64_t acc;
    unsigned nacc;  /* pending bits in acc (< 32 between calls) */
};

static inline uint64_t exi_load_be64(const uint8_t *b)
{
    return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
           (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 | (uint64_t)b[6] << 8 | (uint64_t)b[7];
}

static inline uint32_t exi_load_be32(const uint8_t *b)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v; /* one load and a byte swap (x86 BSWAP, Cortex-M4 REV) */
    memcpy(&v, b, sizeof v);
    return __builtin_bswap32(v);
#else
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
#endif
}

static inline void exi_store_be32(uint8_t *b, uint32_t v)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap32(v);
    memcpy(b, &v, sizeof v);
#else
    b[0] = (uint8_t)(v >> 24), b[1] = (uint8_t)(v >> 16), b[2] = (uint8_t)(v >> 8), b[3] = (uint8_t)v;
#endif
}

/* A reader over the nbytes bytes of buf, at bit `pos` (<= 8 * nbytes). */
void exi_reader_init(struct exi_reader *r, const uint8_t *buf, size_t nbytes, size_t pos);

static inline size_t exi_reader_pos(const struct exi_reader *r)
{
    return r->next * 8 - r->avail;
}

/* Fill the window to at least 57 bits, or to the end of the stream. */
void exi_reader_refill_slow(struct exi_reader *r);

static inline void exi_reader_refill(struct exi_reader *r)
{
    if (r->next + 8 <= r->nbytes) { /* bits past avail are the same bytes again, so OR-ing them is harmless */
        r->win |= exi_load_be64(r->buf + r->next) >> r->avail;
        r->next += (63u - r->avail) >> 3;
        r->avail |= 56u;
    } else {
        exi_reader_refill_slow(r);
    }
}

/* The next n (0..32) bits as an unsigned number, without consuming them. */
static inline int exi_peek_bits(struct exi_reader *r, unsigned n, uint32_t *out)
{
    if (n > r->avail) {
        exi_reader_refill(r);
        if (n > r->avail)
            return CCS_ETRUNC;
    }
    *out = (uint32_t)((r->win >> 1) >> (63 - n)); /* n == 0 gives 0 */
    return 0;
}

/* Consume n (<= 32) bits that exi_peek_bits has shown. */
static inline void exi_skip_bits(struct exi_reader *r, unsigned n)
{
    r->win <<= n;
    r->avail -= n;
}

/* Read n (0..32) bits as an unsigned number. */
static inline int exi_read_bits(struct exi_reader *r, unsigned n, uint32_t *out)
{
    int rc = exi_peek_bits(r, n, out);
    if (!rc)
        exi_skip_bits(r, n);
    return rc;
}

/* Store the whole pending bytes when 32 bits or more are pending. */
int exi_writer_drain(struct exi_writer *w);

static inline int exi_write_bits(struct exi_writer *w, unsigned n, uint32_t v)
{
    w->acc = (w->acc << n) | v; /* callers pass v < 2^n (codes, range-checked values, 7-bit groups) */
    w->nacc += n;
    if (w->nacc < 32)
        return 0;
    if (w->nbytes + 4 <= w->cap) {
        uint32_t x = (uint32_t)(w->acc >> (w->nacc - 32));
        uint8_t *b = w->buf + w->nbytes;
        b[0] = (uint8_t)(x >> 24);
        b[1] = (uint8_t)(x >> 16);
        b[2] = (uint8_t)(x >> 8);
        b[3] = (uint8_t)x;
        w->nbytes += 4;
        w->nacc -= 32;
        return 0;
    }
    return exi_writer_drain(w);
}

static inline size_t exi_writer_pos(const struct exi_writer *w)
{
    return w->nbytes * 8 + w->nacc;
}

/* Write the pending bits, zero-padded to a byte boundary. */
int exi_writer_flush(struct exi_writer *w);

/* EXI Unsigned Integer: 7-bit groups, least significant first, high bit = more follow. */
int exi_read_uint(struct exi_reader *r, uint64_t *out);
int exi_write_uint(struct exi_writer *w, uint64_t v);
/* Bytes of an unsigned integer of any size, as a big-endian magnitude of at most cap bytes. */
int exi_read_biguint(struct exi_reader *r, uint8_t *mag, uint8_t cap, uint8_t *len);
int exi_write_biguint(struct exi_writer *w, const uint8_t *mag, uint8_t len);

#endif
