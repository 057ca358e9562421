/* EXI typed values (section 7 of the EXI spec) between the bit stream and their C storage. */
#include "values.h"

#include <string.h>

/* The 16-bit length in front of a string's or binary's bytes. */
static void store_len(uint8_t *dst, size_t len)
{
    uint16_t l16 = (uint16_t)len;
    memcpy(dst, &l16, sizeof l16);
}

/* The length of a string (its bytes) or binary to encode, refused beyond the storage of its type. */
static int load_len(const uint8_t *src, size_t max, uint16_t *len)
{
    memcpy(len, src, sizeof *len);
    return *len > max ? CCS_EINVAL : 0;
}

unsigned exi_utf8_put(uint32_t cp, uint8_t u[EXI_UTF8_MAX])
{
    if (cp < 0x80) {
        u[0] = (uint8_t)cp;
        return 1;
    }
    unsigned k = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (unsigned i = k - 1; i > 0; i--, cp >>= 6)
        u[i] = (uint8_t)(0x80 | (cp & 0x3F));
    u[0] = (uint8_t)((0xF00u >> k) | cp); /* 110xxxxx, 1110xxxx, 11110xxx */
    return k;
}

unsigned exi_utf8_next(const uint8_t *s, size_t len, uint32_t *cp)
{
    uint32_t c = s[0];
    unsigned k = c < 0x80 ? 1 : c >= 0xF8 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (!k || k > len)
        return 0;
    if (k > 1)
        c &= 0x3Fu >> (k - 1);
    for (unsigned j = 1; j < k; j++) {
        if ((s[j] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[j] & 0x3Fu);
    }
    *cp = c;
    return k;
}

/* Strings: length in characters + 2 (0 and 1 would be string-table hits, which this profile never uses), then
 * code points (EXI 7.1.10), kept as UTF-8 in a NUL-terminated array of t->min bytes; at most t->aux characters
 * (the schema's maxLength counts characters). */
static int string_decode(struct exi_reader *r, const struct exi_type *t, uint8_t *dst)
{
    uint64_t n;
    int rc = exi_read_uint(r, &n);
    if (rc)
        return rc;
    if (n < 2)
        return CCS_EUNSUPP;
    n -= 2;
    if (n > t->aux)
        return CCS_ELENGTH;
    char *chars = (char *)dst + sizeof(uint16_t);
    size_t len = 0;
    uint64_t i = 0;
    for (uint32_t c4; i + 4 <= n && len + 4 <= (uint32_t)t->min && !exi_peek_bits(r, 32, &c4) &&
                      !(c4 & 0x80808080u);
         i += 4) { /* four ASCII characters (one 7-bit group each) per read */
        exi_skip_bits(r, 32);
        exi_store_be32((uint8_t *)chars + len, c4);
        len += 4;
    }
    for (; i < n; i++) {
        uint64_t cp;
        uint32_t c;
        if (len < (uint32_t)t->min && !exi_peek_bits(r, 8, &c) && c < 0x80) { /* ASCII: one 7-bit group */
            exi_skip_bits(r, 8);
            chars[len++] = (char)c;
            continue;
        }
        if ((rc = exi_read_uint(r, &cp)))
            return rc;
        if (cp >= 0x110000)
            return CCS_ERANGE;
        uint8_t u[EXI_UTF8_MAX];
        unsigned k = exi_utf8_put((uint32_t)cp, u);
        if (len + k > (uint32_t)t->min)
            return CCS_ELENGTH;
        memcpy(chars + len, u, k);
        len += k;
    }
    chars[len] = 0;
    store_len(dst, len);
    return 0;
}

int exi_ascii_element_decode(struct exi_reader *r, const struct exi_type *t, uint8_t *dst)
{
    const struct exi_reader start = *r;
    uint32_t v, n;
    /* CH 0 and a length (characters + 2) of one 7-bit group in 9 bits; all of it (and EE) in the stream */
    if (exi_peek_bits(r, 9, &v) || v < 2 || v >= 0x80u || (n = v - 2) > t->aux || n > (uint32_t)t->min ||
        (r->nbytes - r->next) * 8 + r->avail < 10 + 8 * n)
        return 0;
    exi_skip_bits(r, 9);
    uint8_t *chars = dst + sizeof(uint16_t);
    uint32_t k = 0;
    for (; k + 4 <= n; k += 4) {
        if (exi_peek_bits(r, 32, &v) || (v & 0x80808080u))
            goto general;
        exi_store_be32(chars + k, v);
        exi_skip_bits(r, 32);
    }
    for (; k < n; k++) {
        if (exi_peek_bits(r, 8, &v) || (v & 0x80u))
            goto general;
        chars[k] = (uint8_t)v;
        exi_skip_bits(r, 8);
    }
    if (exi_peek_bits(r, 1, &v) || v)
        goto general;
    exi_skip_bits(r, 1);
    chars[n] = 0;
    store_len(dst, n);
    return 1;
general:
    *r = start;
    return 0;
}

static int string_encode(struct exi_writer *w, const struct exi_type *t, const uint8_t *src)
{
    uint16_t len;
    if (load_len(src, (uint32_t)t->min, &len))
        return CCS_EINVAL;
    const uint8_t *s = src + sizeof(uint16_t);
    size_t ncp = len, i = 0;
    for (uint32_t c4; i + 4 <= len; i += 4) { /* less the continuation bytes (10xxxxxx), four at a time */
        memcpy(&c4, s + i, 4);
        ncp -= (((c4 >> 7) & ~(c4 >> 6) & 0x01010101u) * 0x01010101u) >> 24;
    }
    for (; i < len; i++)
        ncp -= (s[i] & 0xC0) == 0x80;
    if (ncp > t->aux)
        return CCS_ELENGTH;
    int rc = ncp + 2 < 0x80u ? exi_write_bits(w, 8, (uint32_t)ncp + 2) : exi_write_uint(w, ncp + 2);
    for (i = 0; i < len && !rc;) {
        uint32_t cp;
        if (i + 4 <= len) { /* four ASCII characters (one 7-bit group each) per write */
            uint32_t c4 = exi_load_be32(s + i);
            if (!(c4 & 0x80808080u)) {
                rc = exi_write_bits(w, 32, c4);
                i += 4;
                continue;
            }
        }
        if (s[i] < 0x80) { /* ASCII: one 7-bit group */
            rc = exi_write_bits(w, 8, s[i++]);
            continue;
        }
        unsigned k = exi_utf8_next(s + i, len - i, &cp);
        if (!k)
            return CCS_EINVAL;
        i += k;
        rc = exi_write_uint(w, cp);
    }
    return rc;
}

static int binary_decode(struct exi_reader *r, const struct exi_type *t, uint8_t *dst)
{
    uint64_t n;
    int rc = exi_read_uint(r, &n);
    if (rc)
        return rc;
    if (n > t->aux)
        return CCS_ELENGTH;
    uint8_t *bytes = dst + sizeof(uint16_t);
    uint64_t i = 0;
    for (uint32_t b; i + 4 <= n; i += 4) { /* four bytes per read */
        if ((rc = exi_read_bits(r, 32, &b)))
            return rc;
        exi_store_be32(bytes + i, b);
    }
    for (uint32_t b; i < n; i++) {
        if ((rc = exi_read_bits(r, 8, &b)))
            return rc;
        bytes[i] = (uint8_t)b;
    }
    store_len(dst, (size_t)n);
    return 0;
}

static int binary_encode(struct exi_writer *w, const struct exi_type *t, const uint8_t *src)
{
    uint16_t len;
    if (load_len(src, t->aux, &len))
        return CCS_EINVAL;
    int rc = len < 0x80u ? exi_write_bits(w, 8, len) : exi_write_uint(w, len); /* one 7-bit group: most */
    const uint8_t *b = src + sizeof(uint16_t);
    size_t i = 0;
    for (; i + 4 <= len && !rc; i += 4) /* four bytes per write */
        rc = exi_write_bits(w, 32, exi_load_be32(b + i));
    for (; i < len && !rc; i++)
        rc = exi_write_bits(w, 8, b[i]);
    return rc;
}

static int bigint_decode(struct exi_reader *r, const struct exi_type *t, uint8_t *dst)
{
    struct exi_bigint *b = (struct exi_bigint *)(void *)dst;
    uint32_t sign;
    int rc = exi_read_bits(r, 1, &sign);
    if (rc)
        return rc;
    uint8_t cap = (uint8_t)(t->aux < sizeof b->mag ? t->aux : sizeof b->mag);
    if ((rc = exi_read_biguint(r, b->mag, cap, &b->len)))
        return rc;
    b->negative = (uint8_t)sign;
    if (sign) { /* magnitude - 1 on the wire: add one back */
        int i = b->len - 1;
        for (; i >= 0 && b->mag[i] == 0xFF; i--)
            b->mag[i] = 0;
        if (i >= 0) {
            b->mag[i]++;
        } else {
            if (b->len >= cap)
                return CCS_ECAP;
            memmove(b->mag + 1, b->mag, b->len);
            b->mag[0] = 1;
            b->len++;
        }
    }
    return 0;
}

static int bigint_encode(struct exi_writer *w, const uint8_t *src)
{
    const struct exi_bigint *b = (const struct exi_bigint *)(const void *)src;
    if (b->len > sizeof b->mag)
        return CCS_EINVAL;
    int rc = exi_write_bits(w, 1, b->negative ? 1 : 0);
    if (rc)
        return rc;
    if (!b->negative)
        return exi_write_biguint(w, b->mag, b->len);
    uint8_t m[sizeof b->mag];
    memcpy(m, b->mag, b->len);
    int i = b->len - 1;
    for (; i >= 0 && m[i] == 0; i--)
        m[i] = 0xFF;
    if (i < 0)
        return CCS_EINVAL; /* "negative zero" */
    m[i]--;
    return exi_write_biguint(w, m, b->len);
}

int exi_value_decode(struct exi_reader *r, const struct exi_type *t, uint8_t *dst)
{
    uint32_t v;
    uint64_t u;
    int rc;
    switch (t->kind) {
    case EXI_K_BOOL:
    case EXI_K_ENUM:
    case EXI_K_NBIT:
        if ((rc = exi_read_bits(r, t->kind == EXI_K_BOOL ? 1u : t->bits, &v)))
            return rc;
        return exi_value_set_small(t, v, dst);
    case EXI_K_UINT:
        if ((rc = exi_read_uint(r, &u)))
            return rc;
        return exi_value_set_int(t, 0, u, dst);
    case EXI_K_INT:
        if ((rc = exi_read_bits(r, 1, &v)) || (rc = exi_read_uint(r, &u)))
            return rc;
        return exi_value_set_int(t, v, u, dst);
    case EXI_K_STRING:
        return string_decode(r, t, dst);
    case EXI_K_BINARY:
        return binary_decode(r, t, dst);
    case EXI_K_BIGINT:
        return bigint_decode(r, t, dst);
    default:
        return CCS_EINVAL;
    }
}

int exi_value_encode(struct exi_writer *w, const struct exi_type *t, const uint8_t *src)
{
    switch (t->kind) {
    case EXI_K_BOOL:
    case EXI_K_ENUM:
    case EXI_K_NBIT: {
        int64_t v = exi_value_small_code(t, src);
        return v < 0 ? (int)v : exi_write_bits(w, t->kind == EXI_K_BOOL ? 1u : t->bits, (uint32_t)v);
    }
    case EXI_K_UINT:
        return exi_write_uint(w, exi_load_uint(src, t->size));
    case EXI_K_INT: {
        int64_t x = exi_load_int(src, t->size, 1);
        int rc = exi_write_bits(w, 1, x < 0);
        return rc ? rc : exi_write_uint(w, x < 0 ? (uint64_t)(-(x + 1)) : (uint64_t)x);
    }
    case EXI_K_STRING:
        return string_encode(w, t, src);
    case EXI_K_BINARY:
        return binary_encode(w, t, src);
    case EXI_K_BIGINT:
        return bigint_encode(w, src);
    default:
        return CCS_EINVAL;
    }
}
