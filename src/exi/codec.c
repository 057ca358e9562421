/* The table-walking EXI codec: decodes a stream into the generated structs and encodes them back, driven by
 * the grammar tables of include/ccsplc/exi.h. Recursive per element; depth bounded by EXI_MAX_DEPTH. */
#include <string.h>

#include "bitstream.h"
#include "ccsplc/exi.h"
#include "values.h"

#define EXI_HEADER 0x80u /* distinguishing bits 10, no options, format version 1 */

struct dec {
    const struct exi_codec *c;
    struct exi_reader r;
    struct exi_error *err;
};

struct enc {
    const struct exi_codec *c;
    struct exi_writer w;
    struct exi_error *err;
};

static int fail(struct exi_error *err, int code, size_t bit, uint16_t state, uint16_t field)
{
    if (err && !err->code) {
        err->code = code;
        err->bit_offset = bit;
        err->state = state;
        err->field = field;
    }
    return code;
}

static uint16_t load_u16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static void store_u16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, sizeof v);
}

static void clear_presence(const struct exi_codec *c, const struct exi_type *t, uint8_t *base)
{
    const uint32_t *off = &c->clears[t->clear_first];
    for (unsigned i = 0; i < t->nclear8; i++)
        base[*off++] = 0;
    for (unsigned i = 0; i < t->nclear16; i++)
        store_u16(base + *off++, 0);
}

static int dec_complex(struct dec *d, uint16_t type, uint8_t *base, unsigned depth);

#if defined(__GNUC__)
#define HOT_INLINE __attribute__((always_inline)) inline
#else
#define HOT_INLINE inline
#endif

/* A simple-typed element: CH (1 bit, code 0), the value, EE (1 bit, code 0). */
static HOT_INLINE int dec_simple_element(struct dec *d, const struct exi_type *t, uint8_t *dst)
{
    uint32_t code;
    if (t->kind == EXI_K_BOOL || t->kind == EXI_K_NBIT || t->kind == EXI_K_ENUM) {
        /* CH, the fixed-width value and EE in one read */
        unsigned w = t->kind == EXI_K_BOOL ? 1u : t->bits;
        int rc = exi_read_bits(&d->r, w + 2, &code);
        if (rc)
            return rc;
        if (code >> (w + 1) || (code & 1u))
            return CCS_EUNSUPP;
        return exi_value_set_small(t, (code >> 1) & ((1u << w) - 1u), dst);
    }
    if (t->kind == EXI_K_INT || t->kind == EXI_K_UINT) {
        /* Most integers take one or two 7-bit groups: CH, [sign], the groups and EE in one read.
         * Bits, most significant first: CH, sign (INT only), group 1, [group 2], EE. */
        unsigned sb = t->kind == EXI_K_INT;
        if (!exi_peek_bits(&d->r, 18 + sb, &code) && !(code >> (17 + sb))) {
            unsigned g1 = code >> 9 & 0xFFu;
            if (!(g1 & 0x80u) && !(code & 0x100u)) {
                exi_skip_bits(&d->r, 10 + sb);
                return exi_value_set_int(t, sb & (code >> 17), g1, dst);
            }
            unsigned g2 = code >> 1 & 0xFFu;
            if ((g1 & 0x80u) && !(g2 & 0x80u) && !(code & 1u)) {
                exi_skip_bits(&d->r, 18 + sb);
                return exi_value_set_int(t, sb & (code >> 17), (g1 & 0x7Fu) | (uint64_t)g2 << 7, dst);
            }
        }
        /* longer, too close to the end, or another shape: the general path */
    }
    int rc = exi_read_bits(&d->r, 1, &code);
    if (rc)
        return rc;
    if (code)
        return CCS_EUNSUPP; /* second-level event (xsi:nil, xsi:type, empty element) */
    if ((rc = exi_value_decode(&d->r, t, dst)) || (rc = exi_read_bits(&d->r, 1, &code)))
        return rc;
    return code ? CCS_EUNSUPP : 0;
}

static HOT_INLINE int dec_field(struct dec *d, const struct exi_field *f, uint8_t *base, unsigned depth)
{
    uint8_t *dst = base + f->offset;
    switch (f->pkind) {
    case EXI_P_FLAG:
        base[f->presence] = 1;
        break;
    case EXI_P_CHOICE:
        base[f->presence] = f->choice;
        break;
    case EXI_P_ROOT:
        store_u16(base + f->presence, f->cap);
        break;
    case EXI_P_ARRAY: {
        uint16_t n = load_u16(base + f->presence);
        if (n >= f->cap)
            return CCS_ECAP;
        dst += (size_t)n * d->c->types[f->type].size;
        store_u16(base + f->presence, (uint16_t)(n + 1));
        break;
    }
    default:
        break;
    }
    if (f->kind == EXI_K_COMPLEX)
        return dec_complex(d, f->type, dst, depth + 1);
    const struct exi_type *t = &d->c->types[f->type];
    if (f->role == EXI_R_ELEM)
        return dec_simple_element(d, t, dst);
    return exi_value_decode(&d->r, t, dst);
}

static int dec_complex(struct dec *d, uint16_t type, uint8_t *base, unsigned depth)
{
    const struct exi_codec *c = d->c;
    const struct exi_type *t = &c->types[type];
    if (depth > EXI_MAX_DEPTH)
        return fail(d->err, CCS_EUNSUPP, exi_reader_pos(&d->r), t->aux, 0xFFFF);
    clear_presence(c, t, base);
    uint16_t s = t->aux;
    for (;;) {
        const struct exi_prod *head = &c->prods[s];
        size_t at = exi_reader_pos(&d->r);
        uint32_t code;
        int rc = exi_read_bits(&d->r, head->next, &code);
        if (rc)
            return fail(d->err, rc, at, s, 0xFFFF);
        if (code >= head->field)
            return fail(d->err, code == head->field ? CCS_EUNSUPP : CCS_EGRAMMAR, at, s, 0xFFFF);
        const struct exi_prod *p = &head[1 + code];
        if (p->field >= EXI_PROD_OVF) { /* end element, or something this codec refuses */
            if (p->field == EXI_PROD_EE)
                return 0;
            if (p->field >= EXI_PROD_ROOT)
                return fail(d->err, CCS_EUNSUPP, at, s, 0xFFFF);
            return fail(d->err, CCS_ECAP, at, s, (uint16_t)(p->field & ~EXI_PROD_OVF));
        }
        if ((rc = dec_field(d, &c->fields[p->field], base, depth)))
            return fail(d->err, rc, at, s, p->field);
        s = p->next;
    }
}

int exi_decode_ex(const struct exi_codec *c, const uint8_t *buf, size_t len, void *doc, struct exi_error *err)
{
    return c ? exi_decode_type(c, c->doc_type, buf, len, doc, err) : CCS_EINVAL;
}

int exi_decode_type(const struct exi_codec *c, uint16_t type, const uint8_t *buf, size_t len, void *doc,
                    struct exi_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!c || !buf || !doc || type >= c->ntypes)
        return CCS_EINVAL;
    if (len < 1 || buf[0] != EXI_HEADER)
        return fail(err, CCS_EHEADER, 0, 0, 0xFFFF);
    if (len > SIZE_MAX / 8)
        return CCS_EINVAL;
    struct dec d = {c, {0}, err};
    exi_reader_init(&d.r, buf, len, 8);
    return dec_complex(&d, type, doc, 0);
}

int exi_decode(const struct exi_codec *c, const uint8_t *buf, size_t len, void *doc)
{
    return exi_decode_ex(c, buf, len, doc, NULL);
}

static int enc_complex(struct enc *e, uint16_t type, const uint8_t *base, unsigned depth);

/* How many instances of field f the struct holds (arrays: its count, refused above the capacity). */
static int instances(const struct exi_field *f, const uint8_t *base)
{
    switch (f->pkind) {
    case EXI_P_FLAG: return base[f->presence] != 0;
    case EXI_P_CHOICE: return base[f->presence] == f->choice;
    case EXI_P_ROOT: return load_u16(base + f->presence) == f->cap;
    case EXI_P_ARRAY: {
        uint16_t n = load_u16(base + f->presence);
        return n > f->cap ? CCS_EINVAL : n;
    }
    default: return 1;
    }
}

/* Write the event code of production `want` (a field index or EXI_PROD_EE) in state *s and move on. A field
 * the grammar does not allow here (two alternatives of one choice, a required member missing before it) is
 * refused rather than dropped. */
#if defined(__GNUC__)
__attribute__((always_inline)) /* inlined, the encoder runs ~10 % faster */
#endif
static inline int emit_event(struct enc *e, uint16_t *s, uint16_t want, unsigned from)
{
    const struct exi_prod *head = &e->c->prods[*s], *p0 = head + 1;
    unsigned nprods = head->field;
    /* First guess, right in most states: productions are sorted in field order, so a member's code is its
     * distance from the state's first member; EE is the last production (unless characters follow). */
    unsigned code = want == EXI_PROD_EE ? nprods - 1u : want >= p0->field ? (unsigned)(want - p0->field) : from;
    if (code >= nprods || p0[code].field != want) {
        for (code = from < nprods ? from : 0; code < nprods && p0[code].field != want; code++)
            ;
        if (code == nprods)
            return fail(e->err, CCS_EINVAL, exi_writer_pos(&e->w), *s, want == EXI_PROD_EE ? 0xFFFF : want);
    }
    *s = p0[code].next;
    return exi_write_bits(&e->w, head->next, code);
}

static int enc_value(struct enc *e, const struct exi_field *f, const uint8_t *src, unsigned depth)
{
    if (f->kind == EXI_K_COMPLEX)
        return enc_complex(e, f->type, src, depth + 1);
    const struct exi_type *t = &e->c->types[f->type];
    if (f->role != EXI_R_ELEM)
        return exi_value_encode(&e->w, t, src);
    if (f->kind == EXI_K_BOOL || f->kind == EXI_K_ENUM || f->kind == EXI_K_NBIT) {
        /* CH (0), the fixed-width value, EE (0) in one write */
        int64_t v = exi_value_small_code(t, src);
        unsigned w = f->kind == EXI_K_BOOL ? 1u : t->bits;
        return v < 0 ? (int)v : exi_write_bits(&e->w, w + 2, (uint32_t)v << 1);
    }
    if (f->kind == EXI_K_INT || (f->kind == EXI_K_UINT && t->size < 8)) {
        /* An integer of up to three 7-bit groups: CH, [sign], the groups and EE in one write. */
        int64_t x = exi_load_int(src, t->size, f->kind == EXI_K_INT);
        uint64_t mag = x < 0 ? (uint64_t)(-(x + 1)) : (uint64_t)x;
        if (mag < (1u << 21)) {
            uint32_t groups = (uint32_t)(mag & 0x7Fu);
            unsigned k = 1;
            for (uint64_t rest = mag >> 7; rest; rest >>= 7, k++)
                groups = (groups | 0x80u) << 8 | (uint32_t)(rest & 0x7Fu);
            /* groups now holds group 1 first (most significant byte); shift into place after CH/sign */
            uint32_t bits = (x < 0 ? 1u : 0u) << (8 * k + 1) | groups << 1;
            return exi_write_bits(&e->w, 8 * k + 2 + (f->kind == EXI_K_INT), bits);
        }
    }
    int rc = exi_write_bits(&e->w, 1, 0); /* CH */
    if (!rc)
        rc = exi_value_encode(&e->w, t, src);
    return rc ? rc : exi_write_bits(&e->w, 1, 0); /* EE */
}

/* Encoding is driven by the struct: its members are in schema order, so each present one is looked up in the
 * current state's productions. A choice's members are consecutive fields and appear in a state in selector
 * order, so the chosen one is found directly and its code is at least selector - 1. */
static int enc_complex(struct enc *e, uint16_t type, const uint8_t *base, unsigned depth)
{
    const struct exi_codec *c = e->c;
    const struct exi_type *t = &c->types[type];
    uint16_t s = t->aux;
    if (depth > EXI_MAX_DEPTH)
        return fail(e->err, CCS_EUNSUPP, exi_writer_pos(&e->w), s, 0xFFFF);
    for (unsigned i = 0; i < t->nfields; i++) {
        uint16_t fi = (uint16_t)(t->first + i);
        const struct exi_field *f = &c->fields[fi];
        unsigned from = 0;
        if (f->pkind == EXI_P_CHOICE || f->pkind == EXI_P_ROOT) {
            /* the whole choice at once: its members are consecutive; a root's event code is its selector - 1,
             * a choice member's code is at least its selector - 1 */
            int root = f->pkind == EXI_P_ROOT;
            unsigned sel = root ? load_u16(base + f->presence) : base[f->presence];
            unsigned members = root ? t->nfields - i : f->cap, j = 0;
            while (j < members && (root ? f[j].cap : f[j].choice) != sel)
                j++;
            i += members - 1;
            if (j == members)
                continue; /* nothing chosen: the grammar decides whether that is allowed */
            fi = (uint16_t)(fi + j);
            f += j;
            from = sel - 1u;
        }
        int n = instances(f, base);
        if (n < 0)
            return fail(e->err, n, exi_writer_pos(&e->w), s, fi);
        const uint8_t *src = base + f->offset;
        for (int k = 0; k < n; k++) {
            int rc = emit_event(e, &s, fi, from);
            if (!rc)
                rc = enc_value(e, f, src, depth);
            if (rc)
                return fail(e->err, rc, exi_writer_pos(&e->w), s, fi);
            if (k + 1 < n)
                src += c->types[f->type].size;
        }
    }
    return emit_event(e, &s, EXI_PROD_EE, 0);
}

int exi_encode_ex(const struct exi_codec *c, const void *doc, uint8_t *buf, size_t cap, size_t *out_len,
                  struct exi_error *err)
{
    return c ? exi_encode_type(c, c->doc_type, doc, buf, cap, out_len, err) : CCS_EINVAL;
}

int exi_encode_type(const struct exi_codec *c, uint16_t type, const void *doc, uint8_t *buf, size_t cap,
                    size_t *out_len, struct exi_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!c || !doc || !buf || !out_len || type >= c->ntypes)
        return CCS_EINVAL;
    struct enc e = {c, {buf, cap, 0, 0, 0}, err};
    int rc = exi_write_bits(&e.w, 8, EXI_HEADER);
    if (rc)
        return fail(err, rc, 0, 0, 0xFFFF);
    if ((rc = enc_complex(&e, type, doc, 0)))
        return rc;
    if ((rc = exi_writer_flush(&e.w)))
        return fail(err, rc, exi_writer_pos(&e.w), 0, 0xFFFF);
    *out_len = e.w.nbytes;
    return 0;
}

int exi_encode(const struct exi_codec *c, const void *doc, uint8_t *buf, size_t cap, size_t *out_len)
{
    return exi_encode_ex(c, doc, buf, cap, out_len, NULL);
}
