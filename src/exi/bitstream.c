/* EXI Unsigned Integer coding (7-bit groups) on top of the bit reader/writer, for 64-bit and larger values. */
#include "bitstream.h"

void exi_reader_init(struct exi_reader *r, const uint8_t *buf, size_t nbytes, size_t pos)
{
    *r = (struct exi_reader){buf, nbytes, pos / 8, 0, 0};
    uint32_t skip;
    if (pos % 8 && !exi_peek_bits(r, pos % 8, &skip))
        exi_skip_bits(r, pos % 8);
}

void exi_reader_refill_slow(struct exi_reader *r)
{
    /* Fewer than 8 bytes left: the buffer's last 8 bytes in one load, shifted so that the next byte leads (the
     * bytes past what is counted are the stream's own or zeros, as exi_reader_refill allows). */
    size_t left = r->nbytes - r->next, take = (63u - r->avail) >> 3;
    if (r->avail > 56 || !left)
        return;
    if (take > left)
        take = left;
    if (r->nbytes >= 8) {
        r->win |= exi_load_be64(r->buf + r->nbytes - 8) << (8 * (8 - left)) >> r->avail;
    } else {
        for (size_t i = 0; i < take; i++)
            r->win |= (uint64_t)r->buf[r->next + i] << (56 - r->avail - 8 * i);
    }
    r->next += take;
    r->avail += 8u * (unsigned)take;
}

int exi_writer_drain(struct exi_writer *w)
{
    while (w->nacc >= 8) {
        if (w->nbytes >= w->cap)
            return CCS_ENOSPC;
        w->nacc -= 8;
        w->buf[w->nbytes++] = (uint8_t)(w->acc >> w->nacc);
    }
    return 0;
}

int exi_writer_flush(struct exi_writer *w)
{
    unsigned pad = (8u - w->nacc % 8u) % 8u;
    w->acc <<= pad;
    w->nacc += pad;
    return exi_writer_drain(w);
}

int exi_read_uint(struct exi_reader *r, uint64_t *out)
{
    uint32_t first;
    int rc0 = exi_peek_bits(r, 8, &first);
    if (rc0)
        return rc0;
    if (!(first & 0x80u)) { /* one group: most values */
        exi_skip_bits(r, 8);
        *out = first;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        uint32_t b;
        int rc = exi_read_bits(r, 8, &b);
        if (rc)
            return rc;
        uint64_t group = b & 0x7Fu;
        if (shift >= 64 || (shift > 57 && (group >> (64 - shift)) != 0))
            return CCS_ERANGE;
        v |= group << shift;
        if (!(b & 0x80u))
            break;
    }
    *out = v;
    return 0;
}

int exi_write_uint(struct exi_writer *w, uint64_t v)
{
    for (;;) {
        uint32_t group = (uint32_t)(v & 0x7Fu);
        v >>= 7;
        int rc = exi_write_bits(w, 8, group | (v ? 0x80u : 0u));
        if (rc || !v)
            return rc;
    }
}

int exi_read_biguint(struct exi_reader *r, uint8_t *mag, uint8_t cap, uint8_t *len)
{
    /* Accumulate little-endian into mag (reversed at the end); shift is the bit position of the next group. */
    uint8_t n = 0;
    unsigned shift = 0;
    for (unsigned i = 0; i < cap; i++)
        mag[i] = 0;
    for (;;) {
        uint32_t b;
        int rc = exi_read_bits(r, 8, &b);
        if (rc)
            return rc;
        uint32_t group = b & 0x7Fu;
        unsigned byte = shift >> 3, bit = shift & 7;
        uint32_t spread = group << bit; /* up to 14 bits */
        for (unsigned k = 0; spread; k++, spread >>= 8) {
            if (byte + k >= cap)
                return CCS_ECAP;
            mag[byte + k] |= (uint8_t)spread;
            if (byte + k + 1 > n)
                n = (uint8_t)(byte + k + 1);
        }
        shift += 7;
        if (!(b & 0x80u))
            break;
        if (shift >= 8u * cap + 7u)
            return CCS_ECAP;
    }
    for (unsigned i = 0; i < n / 2u; i++) {
        uint8_t t = mag[i];
        mag[i] = mag[n - 1 - i];
        mag[n - 1 - i] = t;
    }
    *len = n;
    return 0;
}

int exi_write_biguint(struct exi_writer *w, const uint8_t *mag, uint8_t len)
{
    /* mag is big-endian; walk 7-bit groups from the least significant bit. */
    unsigned total = 8u * len;
    while (total && !(mag[(len * 8u - total) / 8u] & (0x80u >> ((len * 8u - total) % 8u))))
        total--; /* drop leading zero bits */
    unsigned pos = 0;
    do {
        uint32_t group = 0;
        for (unsigned k = 0; k < 7 && pos + k < total; k++) {
            unsigned bit = pos + k;              /* from the least significant end */
            unsigned byte = len - 1 - bit / 8u;
            if (mag[byte] & (1u << (bit % 8u)))
                group |= 1u << k;
        }
        pos += 7;
        int rc = exi_write_bits(w, 8, group | (pos < total ? 0x80u : 0u));
        if (rc)
            return rc;
    } while (pos < total);
    return 0;
}
