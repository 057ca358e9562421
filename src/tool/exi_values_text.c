/* Simple EXI values to and from text: decimal integers, enumeration literals, booleans, hex and base64 bytes,
 * strings (escaped as %XX in key=value form, entity-escaped in XML). */
#include "exi_values_text.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "exi/values.h"

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char HEX_LOWER[] = "0123456789abcdef", HEX_UPPER[] = "0123456789ABCDEF";

/* The decimal digits of v into d (room for 20), without printf; returns their count. */
static inline size_t u64_digits(uint64_t v, char *d)
{
    size_t n = 1;
    for (uint64_t t = v; t >= 10u; t /= 10u)
        n++;
    for (size_t i = n; i--; v /= 10u)
        d[i] = (char)('0' + v % 10u);
    return n;
}

/* v (as signed when is_signed) in decimal, NUL-terminated, into num (room for 22); returns the length. */
static size_t i64_text(int64_t v, int is_signed, char *num)
{
    size_t n = 0;
    uint64_t mag = (uint64_t)v;
    if (is_signed && v < 0) {
        num[n++] = '-';
        mag = (uint64_t)(-(v + 1)) + 1u;
    }
    n += u64_digits(mag, num + n);
    num[n] = 0;
    return n;
}

/* s (len bytes) appended at out + n as snprintf would: truncated, NUL-terminated; returns n + len. */
static inline size_t put_n(char *out, size_t cap, size_t n, const char *s, size_t len)
{
    if (n + 1 < cap)
        memcpy(out + n, s, len < cap - 1 - n ? len : cap - 1 - n);
    n += len;
    if (cap)
        out[n < cap ? n : cap - 1] = 0;
    return n;
}

static size_t put(char *out, size_t cap, size_t n, const char *s)
{
    return put_n(out, cap, n, s, strlen(s));
}

size_t exi_text_int(int64_t v, char out[EXI_TEXT_INT_CAP])
{
    if (v > -10 && v < 10) { /* a multiplier, an exponent, an index */
        size_t n = v < 0;
        out[0] = '-';
        out[n] = (char)('0' + (v < 0 ? -v : v));
        out[n + 1] = 0;
        return n + 1;
    }
    return i64_text(v, 1, out);
}

static size_t bigint_decimal(const struct exi_bigint *b, char *out, size_t cap)
{
    uint8_t mag[sizeof b->mag];
    unsigned len = b->len < sizeof mag ? b->len : sizeof mag;
    memcpy(mag, b->mag, len);
    char digits[64];
    size_t nd = 0;
    int nonzero = 1;
    while (nonzero && nd < sizeof digits) {
        unsigned rem = 0;
        nonzero = 0;
        for (unsigned i = 0; i < len; i++) {
            unsigned cur = rem * 256u + mag[i];
            mag[i] = (uint8_t)(cur / 10u);
            rem = cur % 10u;
            nonzero |= mag[i] != 0;
        }
        digits[nd++] = (char)('0' + rem);
    }
    size_t n = 0;
    if (b->negative)
        n = put(out, cap, n, "-");
    while (nd) {
        char s[2] = {digits[--nd], 0};
        n = put(out, cap, n, s);
    }
    return n;
}

/* exi_text_scaled for |value| < 10^9 and |exp| <= 9 into out of at least 32 bytes: the integer value x 10^exp, or
 * the digits around a point with the fraction's trailing zeros dropped. */
static size_t scaled_small(int64_t value, int exp, char *out)
{
    static const uint64_t pow10[] = {1,      10,      100,      1000,      10000,
                                     100000, 1000000, 10000000, 100000000, 1000000000};
    uint64_t mag = value < 0 ? (uint64_t)-value : (uint64_t)value, p = pow10[exp < 0 ? -exp : exp];
    size_t n = 0;
    if (value < 0)
        out[n++] = '-';
    if (exp >= 0)
        return n + u64_digits(mag * p, out + n);
    n += u64_digits(mag / p, out + n);
    uint64_t frac = mag % p;
    if (frac) {
        size_t digits = (size_t)-exp;
        while (frac % 10u == 0) {
            frac /= 10u;
            digits--;
        }
        out[n++] = '.';
        for (size_t i = digits; i--; frac /= 10u)
            out[n + i] = (char)('0' + frac % 10u);
        n += digits;
    }
    return n;
}

size_t exi_text_scaled(int64_t value, int64_t exp, char *out, size_t cap)
{
    if (value > -1000000000 && value < 1000000000 && exp >= -9 && exp <= 9 && cap >= 32) {
        size_t n = value ? scaled_small(value, (int)exp, out) : u64_digits(0, out);
        out[n] = 0;
        return n;
    }
    int neg = value < 0;
    uint64_t mag = neg ? (uint64_t)(-(value + 1)) + 1u : (uint64_t)value;
    int64_t e = exp; /* of the last significant digit once trailing zeros are dropped */
    while (mag && mag % 10u == 0 && e < INT64_MAX) {
        mag /= 10u;
        e++;
    }
    char digits[24];
    size_t nd = u64_digits(mag, digits);
    digits[nd] = 0;
    neg = neg && mag;
    /* length of the plain decimal: digits then zeros, digits around a point, or "0." zeros digits */
    uint64_t frac = e < 0 ? (uint64_t)(-(e + 1)) + 1u : 0;
    uint64_t plain = (uint64_t)neg + (!mag ? 1 : e >= 0 ? nd + (uint64_t)e : frac >= nd ? 2 + frac : nd + 1);
    if (plain >= cap) { /* scientific notation instead: just as exact, and short */
        char sci[48];
        snprintf(sci, sizeof sci, "%s%se%" PRId64, neg ? "-" : "", digits, e);
        return put(out, cap, 0, sci);
    }
    size_t n = 0;
    if (neg)
        out[n++] = '-';
    if (!mag || e >= 0) {
        memcpy(out + n, digits, nd);
        n += nd;
        for (int64_t i = 0; mag && i < e; i++)
            out[n++] = '0';
    } else if (frac >= nd) {
        out[n++] = '0';
        out[n++] = '.';
        memset(out + n, '0', frac - nd);
        n += frac - nd;
        memcpy(out + n, digits, nd);
        n += nd;
    } else {
        memcpy(out + n, digits, nd - frac);
        n += nd - frac;
        out[n++] = '.';
        memcpy(out + n, digits + nd - frac, frac);
        n += frac;
    }
    out[n] = 0;
    return n;
}

/* No byte of x needs a %XX: all within 0x21..0x7e, no '%' (any-byte tests on 8 at once). */
static inline int kv_plain8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t pc = x ^ ones * '%';
    return !((((x - ones * 0x21) & ~x) | ((x + ones) | x) | ((pc - ones) & ~pc)) & high);
}

size_t exi_text_kv_escape(const uint8_t *s, size_t len, char *out, size_t cap)
{
    if (len < cap / 3) { /* room for every byte escaped and the NUL: no checks per byte */
        char *o = out;
        size_t i = 0;
        for (uint64_t x; i + 8 <= len && (memcpy(&x, s + i, 8), kv_plain8(x)); i += 8, o += 8)
            memcpy(o, s + i, 8);
        for (; i < len; i++) {
            uint8_t c = s[i];
            if (c <= 0x20 || c >= 0x7f || c == '%') {
                *o++ = '%';
                *o++ = HEX_UPPER[c >> 4];
                *o++ = HEX_UPPER[c & 15];
            } else {
                *o++ = (char)c;
            }
        }
        *o = 0;
        return (size_t)(o - out);
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = s[i];
        if (c <= 0x20 || c >= 0x7f || c == '%') {
            const char e[3] = {'%', HEX_UPPER[c >> 4], HEX_UPPER[c & 15]};
            for (int k = 0; k < 3; k++, n++)
                if (n + 1 < cap)
                    out[n] = e[k];
        } else {
            if (n + 1 < cap)
                out[n] = (char)c;
            n++;
        }
    }
    if (cap)
        out[n < cap ? n : cap - 1] = 0;
    return n;
}

/* One character of a string in XML text: entity or character reference, the character itself, or (XML 1.0
 * cannot carry it) a visible stand-in: the Control Pictures sign of a C0 control (U+2400 + c), else U+FFFD.
 * *exact is cleared for a stand-in. Returns the bytes of s taken. */
static unsigned xml_char(const uint8_t *s, size_t len, char out[16], int *exact)
{
    uint32_t cp;
    unsigned k = exi_utf8_next(s, len, &cp);
    if (!k || cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) {
        if (!k || (cp != '\t' && cp != '\n' && cp != '\r')) {
            *exact = 0;
            uint8_t u[EXI_UTF8_MAX];
            unsigned n = exi_utf8_put(k && cp < 0x20 ? 0x2400 + cp : 0xFFFD, u);
            memcpy(out, u, n);
            out[n] = 0;
            return k ? k : 1;
        }
    }
    static const char *const ent[] = {"&lt;", "&gt;", "&amp;", "&quot;"};
    const char *e = cp && cp < 0x80 ? strchr("<>&\"", (int)cp) : NULL;
    if (e)
        strcpy(out, ent[e - "<>&\""]);
    else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200E && cp <= 0x200F) ||
             (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
        snprintf(out, 16, "&#%u;", (unsigned)cp); /* controls and invisible formatting: a reference, never raw */
    else {
        memcpy(out, s, k);
        out[k] = 0;
    }
    return k;
}

/* A string's bytes (at most the type's array) and their count. */
static const uint8_t *string_bytes(const struct exi_type *t, const uint8_t *src, size_t *len)
{
    uint16_t l16;
    memcpy(&l16, src, sizeof l16);
    *len = l16 < (uint32_t)t->min ? l16 : (size_t)(uint32_t)t->min;
    return src + sizeof l16;
}

int exi_text_xml_exact(const struct exi_proto *p, uint16_t ti, const uint8_t *src)
{
    const struct exi_type *t = &p->codec->types[ti];
    if (t->kind != EXI_K_STRING)
        return 1;
    size_t len;
    const uint8_t *s = string_bytes(t, src, &len);
    int exact = 1;
    char c[16];
    for (size_t i = 0; i < len && exact;)
        i += xml_char(s + i, len - i, c, &exact);
    return exact;
}

size_t exi_text_format_value(const struct exi_proto *p, uint16_t ti, const uint8_t *src, enum exi_text_style style,
                             char *out, size_t cap)
{
    const struct exi_type *t = &p->codec->types[ti];
    char tmp[16];
    size_t n = 0;
    if (cap)
        out[0] = 0;
    switch (t->kind) {
    case EXI_K_BOOL:
        return *src ? put_n(out, cap, 0, "true", 4) : put_n(out, cap, 0, "false", 5);
    case EXI_K_ENUM: {
        uint64_t v = exi_load_uint(src, t->size);
        const char *lit = v < t->aux ? p->meta->literals[p->meta->literal_first[ti] + v] : "?";
        /* key=value: escaped as strings are (ISO-20 WPT's "External confirmation" holds a space) */
        return style == EXI_TEXT_KV ? exi_text_kv_escape((const uint8_t *)lit, strlen(lit), out, cap)
                                    : put(out, cap, 0, lit);
    }
    case EXI_K_NBIT:
    case EXI_K_INT:
    case EXI_K_UINT: {
        char num[24];
        int is_signed = t->kind == EXI_K_INT || (t->kind == EXI_K_NBIT && t->is_signed);
        size_t len = i64_text(is_signed ? exi_load_int(src, t->size, 1) : (int64_t)exi_load_uint(src, t->size),
                              is_signed, num);
        return put_n(out, cap, 0, num, len);
    }
    case EXI_K_BIGINT:
        return bigint_decimal((const struct exi_bigint *)(const void *)src, out, cap);
    case EXI_K_BINARY: {
        uint16_t len;
        memcpy(&len, src, sizeof len);
        len = len < t->aux ? len : t->aux;
        const uint8_t *b = src + sizeof len;
        if (t->bits && style == EXI_TEXT_XML) {
            for (size_t i = 0; i < len; i += 3) {
                uint32_t v = (uint32_t)b[i] << 16 | (i + 1 < len ? (uint32_t)b[i + 1] << 8 : 0) |
                             (i + 2 < len ? b[i + 2] : 0);
                char q[5] = {B64[v >> 18 & 63], B64[v >> 12 & 63], i + 1 < len ? B64[v >> 6 & 63] : '=',
                             i + 2 < len ? B64[v & 63] : '=', 0};
                n = put(out, cap, n, q);
            }
            return n;
        }
        const char *hex = style == EXI_TEXT_XML ? HEX_UPPER : HEX_LOWER;
        for (size_t i = 0; i < len; i++) {
            const char h[2] = {hex[b[i] >> 4], hex[b[i] & 15]};
            n = put_n(out, cap, n, h, 2);
        }
        return n;
    }
    case EXI_K_STRING: {
        size_t len;
        const uint8_t *s = string_bytes(t, src, &len);
        if (style == EXI_TEXT_KV)
            return exi_text_kv_escape(s, len, out, cap);
        int exact = 1;
        for (size_t i = 0; i < len;) {
            i += xml_char(s + i, len - i, tmp, &exact);
            n = put(out, cap, n, tmp);
        }
        return n;
    }
    default:
        return 0;
    }
}

static int parse_i64(const char *text, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || errno)
        return CCS_ESYNTAX;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return CCS_ESYNTAX;
    *out = v;
    return 0;
}

static int b64val(int c)
{
    const char *q = c ? strchr(B64, c) : NULL;
    return q ? (int)(q - B64) : -1;
}

static int parse_binary(const struct exi_type *t, const char *text, uint8_t *dst, enum exi_text_style style)
{
    uint8_t *bytes = dst + sizeof(uint16_t);
    size_t n = 0;
    if (t->bits && style == EXI_TEXT_XML) { /* base64 */
        uint32_t acc = 0;
        int nb = 0;
        for (const char *s = text; *s; s++) {
            if (isspace((unsigned char)*s) || *s == '=')
                continue;
            int v = b64val(*s);
            if (v < 0)
                return CCS_ESYNTAX;
            acc = acc << 6 | (uint32_t)v;
            nb += 6;
            if (nb >= 8) {
                nb -= 8;
                if (n >= t->aux)
                    return CCS_ELENGTH;
                bytes[n++] = (uint8_t)(acc >> nb);
            }
        }
    } else {
        int hi = -1;
        for (const char *s = text; *s; s++) {
            if (isspace((unsigned char)*s))
                continue;
            if (!isxdigit((unsigned char)*s))
                return CCS_ESYNTAX;
            int v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
            if (hi < 0) {
                hi = v;
                continue;
            }
            if (n >= t->aux)
                return CCS_ELENGTH;
            bytes[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
        if (hi >= 0)
            return CCS_ESYNTAX;
    }
    uint16_t l16 = (uint16_t)n;
    memcpy(dst, &l16, sizeof l16);
    return 0;
}

static int parse_bigint(const struct exi_type *t, const char *text, uint8_t *dst)
{
    struct exi_bigint *b = (struct exi_bigint *)(void *)dst;
    memset(b, 0, sizeof *b);
    while (isspace((unsigned char)*text))
        text++;
    if (*text == '-' || *text == '+')
        b->negative = *text++ == '-';
    unsigned cap = t->aux < sizeof b->mag ? t->aux : sizeof b->mag;
    uint8_t mag[sizeof b->mag] = {0}; /* little-endian while accumulating */
    if (!isdigit((unsigned char)*text))
        return CCS_ESYNTAX;
    for (; isdigit((unsigned char)*text); text++) {
        unsigned carry = (unsigned)(*text - '0');
        for (unsigned i = 0; i < cap; i++) {
            unsigned cur = mag[i] * 10u + carry;
            mag[i] = (uint8_t)cur;
            carry = cur >> 8;
        }
        if (carry)
            return CCS_ECAP;
    }
    if (*text)
        return CCS_ESYNTAX;
    unsigned len = cap;
    while (len > 1 && !mag[len - 1])
        len--;
    for (unsigned i = 0; i < len; i++)
        b->mag[i] = mag[len - 1 - i];
    b->len = (uint8_t)len;
    if (len == 1 && !mag[0])
        b->negative = 0;
    return 0;
}

int exi_text_parse_string(const struct exi_type *t, const uint8_t *s, size_t len, uint8_t *dst)
{
    size_t chars = 0;
    for (size_t i = 0; i < len; chars++) {
        uint32_t cp;
        unsigned k = exi_utf8_next(s + i, len - i, &cp);
        if (!k || cp >= 0x110000)
            return CCS_ESYNTAX;
        i += k;
    }
    if (chars > t->aux || len > (uint32_t)t->min)
        return CCS_ELENGTH;
    uint16_t l16 = (uint16_t)len;
    memcpy(dst, &l16, sizeof l16);
    memcpy(dst + sizeof l16, s, len);
    dst[sizeof l16 + len] = 0;
    return 0;
}

int exi_text_parse_value(const struct exi_proto *p, uint16_t ti, const char *text, uint8_t *dst)
{
    return exi_text_parse_value_style(p, ti, text, EXI_TEXT_XML, dst);
}

int exi_text_parse_value_style(const struct exi_proto *p, uint16_t ti, const char *text, enum exi_text_style style,
                               uint8_t *dst)
{
    const struct exi_type *t = &p->codec->types[ti];
    int64_t v;
    int rc;
    while (isspace((unsigned char)*text) && t->kind != EXI_K_STRING)
        text++;
    switch (t->kind) {
    case EXI_K_BOOL:
        if (!strncmp(text, "true", 4) || !strncmp(text, "1", 1))
            *dst = 1;
        else if (!strncmp(text, "false", 5) || !strncmp(text, "0", 1))
            *dst = 0;
        else
            return CCS_ESYNTAX;
        return 0;
    case EXI_K_ENUM: {
        size_t len = strlen(text);
        while (len && isspace((unsigned char)text[len - 1]))
            len--;
        for (unsigned i = 0; i < t->aux; i++) {
            const char *lit = p->meta->literals[p->meta->literal_first[ti] + i];
            if (strlen(lit) == len && !strncmp(lit, text, len)) {
                exi_store_int(dst, t->size, i);
                return 0;
            }
        }
        return CCS_ERANGE;
    }
    case EXI_K_NBIT:
    case EXI_K_INT:
    case EXI_K_UINT:
        if (t->kind == EXI_K_UINT && t->size == 8) {
            char *end;
            errno = 0;
            unsigned long long u = strtoull(text, &end, 10);
            if (end == text || errno || *text == '-')
                return CCS_ESYNTAX;
            exi_store_int(dst, 8, u);
            return 0;
        }
        if ((rc = parse_i64(text, &v)))
            return rc;
        if (!exi_fits(v, t->size, t->kind == EXI_K_UINT ? 0 : t->is_signed || t->kind == EXI_K_INT))
            return CCS_ERANGE;
        if (t->kind == EXI_K_NBIT && (v < t->min || v - t->min > t->aux))
            return CCS_ERANGE;
        exi_store_int(dst, t->size, (uint64_t)v);
        return 0;
    case EXI_K_STRING:
        return exi_text_parse_string(t, (const uint8_t *)text, strlen(text), dst);
    case EXI_K_BINARY:
        return parse_binary(t, text, dst, style);
    case EXI_K_BIGINT:
        return parse_bigint(t, text, dst);
    default:
        return CCS_EINVAL;
    }
}
