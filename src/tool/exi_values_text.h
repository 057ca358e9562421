/* Simple EXI values to and from text (decimal, literals, hex, base64, escaped strings). Host side. */
#ifndef CCSPLC_TOOL_EXI_VALUES_TEXT_H
#define CCSPLC_TOOL_EXI_VALUES_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/exi_text.h"

enum exi_text_style { EXI_TEXT_KV, EXI_TEXT_XML };

/* Format the simple value at src (of type index ti) into out (NUL-terminated, truncated to cap). */
void exi_text_format_value(const struct exi_proto *p, uint16_t ti, const uint8_t *src, enum exi_text_style style,
                           char *out, size_t cap);
/* Parse text into the simple value at dst. Returns 0 or a negative CCS_E* code. */
int exi_text_parse_value(const struct exi_proto *p, uint16_t ti, const char *text, uint8_t *dst);
/* Value x 10^exp as an exact decimal without trailing zeros ("412.8", "0.005", "37810"); when that does not fit
 * in cap, as exact digits and a power of ten ("-32768e-300"). EXI_TEXT_SCALED_CAP holds the plain decimal of
 * every int64 value with an exponent in -128..127 (xs:byte: the ISO-20 Exponent; Multipliers are -3..3).
 * Returns the length written. */
#define EXI_TEXT_SCALED_CAP 160
size_t exi_text_scaled(int64_t value, int64_t exp, char *out, size_t cap);

#endif
