/* Simple EXI values to and from text (decimal, literals, hex, base64, escaped strings). Host side. */
#ifndef CCSPLC_TOOL_EXI_VALUES_TEXT_H
#define CCSPLC_TOOL_EXI_VALUES_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/tools/exi_text.h"

enum exi_text_style { EXI_TEXT_KV, EXI_TEXT_XML };

/* Target of the processing instruction that carries a string's exact bytes in XML (see exi_text_xml). */
#define EXI_TEXT_XML_PI "ccsplc-string"

/* Format the simple value at src (of type index ti) into out (NUL-terminated, truncated to cap); returns the
 * length of the whole text (as snprintf: when it is >= cap, call again with more room). Strings: in key=value
 * form every byte outside printable ASCII and '%' as %XX; in XML, entities, character references for tab, line
 * feed, carriage return, DEL, C1 controls and invisible formatting characters (bidi, line separators), and
 * for what XML 1.0 cannot carry (NUL and the other C0 controls, surrogates, U+FFFE/U+FFFF) a visible stand-in
 * (U+2400 + c, else U+FFFD): then exi_text_xml_exact() is 0 and the exact value goes elsewhere. No output
 * holds a raw control character. */
size_t exi_text_format_value(const struct exi_proto *p, uint16_t ti, const uint8_t *src, enum exi_text_style style,
                             char *out, size_t cap);
/* Bytes in the key=value form of strings: printable ASCII as is, every other byte and '%' as %XX (so no
 * control character reaches a terminal). Returns the whole length, as exi_text_format_value. */
size_t exi_text_kv_escape(const uint8_t *s, size_t len, char *out, size_t cap);
/* 1 when the XML text of the value at src is exact (always, but for strings with stand-ins). */
int exi_text_xml_exact(const struct exi_proto *p, uint16_t ti, const uint8_t *src);
/* Parse text into the simple value at dst. Returns 0 or a negative CCS_E* code. */
int exi_text_parse_value(const struct exi_proto *p, uint16_t ti, const char *text, uint8_t *dst);
/* The same with the binary form of style: base64Binary as hex in key=value text, as base64 in XML. */
int exi_text_parse_value_style(const struct exi_proto *p, uint16_t ti, const char *text, enum exi_text_style style,
                               uint8_t *dst);
/* The string s (len UTF-8 bytes, NULs allowed) into the STRING value at dst: CCS_ESYNTAX when it is not UTF-8,
 * CCS_ELENGTH beyond the type's characters or bytes. */
int exi_text_parse_string(const struct exi_type *t, const uint8_t *s, size_t len, uint8_t *dst);
/* Value x 10^exp as an exact decimal without trailing zeros ("412.8", "0.005", "37810"); when that does not fit
 * in cap, as exact digits and a power of ten ("-32768e-300"). EXI_TEXT_SCALED_CAP holds the plain decimal of
 * every int64 value with an exponent in -128..127 (xs:byte: the ISO-20 Exponent; Multipliers are -3..3).
 * Returns the length written. */
#define EXI_TEXT_SCALED_CAP 160
size_t exi_text_scaled(int64_t value, int64_t exp, char *out, size_t cap);
/* v in decimal, NUL-terminated (without printf: the field walk's hot path); returns the length. */
#define EXI_TEXT_INT_CAP 22
size_t exi_text_int(int64_t v, char out[EXI_TEXT_INT_CAP]);

#endif
