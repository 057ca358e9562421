/* EXI typed values (boolean, enumeration, n-bit, integers, string, binary, big integer) read into and written
 * from their C storage, as described by an exi_type row. Internal to src/exi. */
#ifndef CCSPLC_EXI_VALUES_H
#define CCSPLC_EXI_VALUES_H

#include "bitstream.h"
#include "ccsplc/core/exi.h"

#include <string.h>

int exi_value_decode(struct exi_reader *r, const struct exi_type *t, uint8_t *dst);
int exi_value_encode(struct exi_writer *w, const struct exi_type *t, const uint8_t *src);
/* A simple element whose value is a string of fewer than 126 ASCII characters (EVSEID, ...): CH, the length in
 * one 7-bit group, the characters four per read, EE. Returns 1 having read it all, 0 having read nothing (any
 * other shape: the general path decodes it). */
int exi_ascii_element_decode(struct exi_reader *r, const struct exi_type *t, uint8_t *dst);

/* Integer storage of 1, 2, 4 or 8 bytes, signed or not (inline: the codec's hot path). */
static inline int64_t exi_load_int(const uint8_t *p, unsigned size, int is_signed)
{
    switch (size) {
    case 1: { uint8_t v; memcpy(&v, p, 1); return is_signed ? (int64_t)(int8_t)v : (int64_t)v; }
    case 2: { uint16_t v; memcpy(&v, p, 2); return is_signed ? (int64_t)(int16_t)v : (int64_t)v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return is_signed ? (int64_t)(int32_t)v : (int64_t)v; }
    default: { int64_t v; memcpy(&v, p, 8); return v; }
    }
}

static inline uint64_t exi_load_uint(const uint8_t *p, unsigned size)
{
    if (size == 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    return (uint64_t)exi_load_int(p, size, 0);
}

/* The code value of a BOOL, ENUM or NBIT (range-checked); returns it or a negative CCS_E* code. */
static inline int64_t exi_value_small_code(const struct exi_type *t, const uint8_t *src)
{
    if (t->kind == EXI_K_BOOL)
        return *src ? 1 : 0;
    if (t->kind == EXI_K_ENUM) {
        uint64_t v = exi_load_uint(src, t->size);
        return v >= t->aux ? CCS_ERANGE : (int64_t)v;
    }
    int64_t off = exi_load_int(src, t->size, t->is_signed) - t->min;
    return off < 0 || off > t->aux ? CCS_ERANGE : off;
}
static inline void exi_store_int(uint8_t *p, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: { uint8_t x = (uint8_t)v; memcpy(p, &x, 1); break; }
    case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

/* Does v (as signed when is_signed) fit the storage? */
static inline int exi_fits(int64_t v, unsigned size, int is_signed)
{
    if (size >= 8)
        return 1;
    int64_t bits = 8 * (int64_t)size;
    if (is_signed)
        return v >= -(INT64_C(1) << (bits - 1)) && v < (INT64_C(1) << (bits - 1));
    return v >= 0 && v < (INT64_C(1) << bits);
}

/* Store an already-read BOOL, ENUM or NBIT code value (range-checked). Inline: the decoder's hot path. */
static inline int exi_value_set_small(const struct exi_type *t, uint32_t v, uint8_t *dst)
{
    switch (t->kind) {
    case EXI_K_BOOL:
        *dst = (uint8_t)v;
        return 0;
    case EXI_K_ENUM:
        if (v >= t->aux)
            return CCS_ERANGE;
        exi_store_int(dst, t->size, v);
        return 0;
    default: { /* NBIT */
        if (v > t->aux)
            return CCS_ERANGE;
        int64_t x = (int64_t)t->min + v;
        if (!exi_fits(x, t->size, t->is_signed))
            return CCS_ERANGE;
        exi_store_int(dst, t->size, (uint64_t)x);
        return 0;
    }
    }
}

/* Store a decoded INT (negative: magnitude - 1 on the wire) or UINT value, range-checked. */
static inline int exi_value_set_int(const struct exi_type *t, unsigned negative, uint64_t u, uint8_t *dst)
{
    if (t->kind == EXI_K_UINT) {
        if (t->size < 8 && u >> (8 * t->size))
            return CCS_ERANGE;
        exi_store_int(dst, t->size, u);
        return 0;
    }
    if (u > (uint64_t)INT64_MAX)
        return CCS_ERANGE;
    int64_t x = negative ? -(int64_t)u - 1 : (int64_t)u;
    if (!exi_fits(x, t->size, 1))
        return CCS_ERANGE;
    exi_store_int(dst, t->size, (uint64_t)x);
    return 0;
}

/* UTF-8 as strings are stored: code point cp (< 0x110000; surrogates too, as EXI carries them) into u; returns
 * its length. The next code point of s (len > 0 bytes) into *cp; returns its length, 0 when s does not start
 * with a complete sequence. */
unsigned exi_utf8_put(uint32_t cp, uint8_t u[EXI_UTF8_MAX]);
unsigned exi_utf8_next(const uint8_t *s, size_t len, uint32_t *cp);

#endif
