/* EXI typed values (boolean, enumeration, n-bit, integers, string, binary, big integer) read into and written
 * from their C storage, as described by an exi_type row. Internal to src/exi. */
#ifndef CCSPLC_EXI_VALUES_H
#define CCSPLC_EXI_VALUES_H

#include "bitstream.h"
#include "ccsplc/core/exi.h"

int exi_value_decode(struct exi_reader *r, const struct exi_type *t, uint8_t *dst);
/* Store an already-read BOOL, ENUM or NBIT code value (range-checked). */
int exi_value_set_small(const struct exi_type *t, uint32_t v, uint8_t *dst);
/* Store a decoded INT (negative: magnitude - 1 on the wire) or UINT value, range-checked. */
int exi_value_set_int(const struct exi_type *t, unsigned negative, uint64_t u, uint8_t *dst);
/* The code value of a BOOL, ENUM or NBIT (range-checked); returns it or a negative CCS_E* code. */
int64_t exi_value_small_code(const struct exi_type *t, const uint8_t *src);
int exi_value_encode(struct exi_writer *w, const struct exi_type *t, const uint8_t *src);

/* Integer storage of 1, 2, 4 or 8 bytes, signed or not. */
int64_t exi_load_int(const uint8_t *p, unsigned size, int is_signed);
uint64_t exi_load_uint(const uint8_t *p, unsigned size);
void exi_store_int(uint8_t *p, unsigned size, uint64_t v);
/* Does v (as signed when is_signed) fit the storage? */
int exi_fits(int64_t v, unsigned size, int is_signed);

/* UTF-8 as strings are stored: code point cp (< 0x110000; surrogates too, as EXI carries them) into u; returns
 * its length. The next code point of s (len > 0 bytes) into *cp; returns its length, 0 when s does not start
 * with a complete sequence. */
unsigned exi_utf8_put(uint32_t cp, uint8_t u[EXI_UTF8_MAX]);
unsigned exi_utf8_next(const uint8_t *s, size_t len, uint32_t *cp);

#endif
