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
    const struct exi_field *f = &c->fields[t->first];
    for (unsigned i = 0; i < t->nfields; i++, f++) {
        if (f->pkind == EXI_P_ARRAY)
            store_u16(base + f->presence, 0);
        else if (f->pkind != EXI_P_NONE)
            base[f->presence] = 0;
    }
}

static int dec_complex(struct dec *d, uint16_t type, uint8_t *base, unsigned depth);

/* A simple-typed element: CH (1 bit, code 0), the value, EE (1 bit, code 0). */
static int dec_simple_element(struct dec *d, const struct exi_type *t, uint8_t *dst)
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
    int rc = exi_read_bits(&d->r, 1, &code);
    if (rc)
        return rc;
    if (code)
        return CCS_EUNSUPP; /* second-level event (xsi:nil, xsi:type, empty element) */
    if ((rc = exi_value_decode(&d->r, t, dst)) || (rc = exi_read_bits(&d->r, 1, &code)))
        return rc;
    return code ? CCS_EUNSUPP : 0;
}

static int dec_field(struct dec *d, const struct exi_field *f, uint8_t *base, unsigned depth)
{
    const struct exi_type *t = &d->c->types[f->type];
    uint8_t *dst = base + f->offset;
    switch (f->pkind) {
    case EXI_P_FLAG:
        base[f->presence] = 1;
        break;
    case EXI_P_CHOICE:
        base[f->presence] = f->choice;
        break;
    case EXI_P_ARRAY: {
        uint16_t n = load_u16(base + f->presence);
        if (n >= f->cap)
            return CCS_ECAP;
        dst += (size_t)n * t->size;
        store_u16(base + f->presence, (uint16_t)(n + 1));
        break;
    }
    default:
        break;
    }
    if (t->kind == EXI_K_COMPLEX)
        return dec_complex(d, f->type, dst, depth + 1);
    if (f->role == EXI_R_ELEM)
        return dec_simple_element(d, t, dst);
    return exi_value_decode(&d->r, t, dst);
}

static int dec_complex(struct dec *d, uint16_t type, uint8_t *base, unsigned depth)
{
    const struct exi_codec *c = d->c;
    const struct exi_type *t = &c->types[type];
    if (depth > EXI_MAX_DEPTH)
        return fail(d->err, CCS_EUNSUPP, d->r.pos, t->aux, 0xFFFF);
    clear_presence(c, t, base);
    uint16_t s = t->aux;
    for (;;) {
        const struct exi_state *st = &c->states[s];
        size_t at = d->r.pos;
        uint32_t code;
        int rc = exi_read_bits(&d->r, st->nbits, &code);
        if (rc)
            return fail(d->err, rc, at, s, 0xFFFF);
        if (code >= st->nprods)
            return fail(d->err, code == st->nprods ? CCS_EUNSUPP : CCS_EGRAMMAR, at, s, 0xFFFF);
        const struct exi_prod *p = &c->prods[st->first + code];
        if (p->field >= EXI_PROD_ROOT) {
            if (p->field == EXI_PROD_EE)
                return 0;
            return fail(d->err, CCS_EUNSUPP, at, s, 0xFFFF);
        }
        if (p->field & EXI_PROD_OVF)
            return fail(d->err, CCS_ECAP, at, s, (uint16_t)(p->field & ~EXI_PROD_OVF));
        if ((rc = dec_field(d, &c->fields[p->field], base, depth)))
            return fail(d->err, rc, at, s, p->field);
        s = p->next;
    }
}

int exi_decode_ex(const struct exi_codec *c, const uint8_t *buf, size_t len, void *doc, struct exi_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!c || !buf || !doc)
        return CCS_EINVAL;
    if (len < 1 || buf[0] != EXI_HEADER)
        return fail(err, CCS_EHEADER, 0, 0, 0xFFFF);
    if (len > SIZE_MAX / 8)
        return CCS_EINVAL;
    struct dec d = {c, {buf, len * 8, 8}, err};
    return dec_complex(&d, c->doc_type, doc, 0);
}

int exi_decode(const struct exi_codec *c, const uint8_t *buf, size_t len, void *doc)
{
    return exi_decode_ex(c, buf, len, doc, NULL);
}

static int enc_complex(struct enc *e, uint16_t type, const uint8_t *base, unsigned depth);

static int present(const struct exi_field *f, const uint8_t *base, const uint16_t *cursor)
{
    switch (f->pkind) {
    case EXI_P_FLAG: return base[f->presence] != 0;
    case EXI_P_CHOICE: return base[f->presence] == f->choice;
    case EXI_P_ARRAY: return cursor[f->slot] < load_u16(base + f->presence);
    default: return 1;
    }
}

static int enc_field(struct enc *e, const struct exi_field *f, const uint8_t *base, uint16_t *cursor,
                     unsigned depth)
{
    const struct exi_type *t = &e->c->types[f->type];
    const uint8_t *src = base + f->offset;
    if (f->pkind == EXI_P_ARRAY) {
        if (load_u16(base + f->presence) > f->cap)
            return CCS_EINVAL;
        src += (size_t)cursor[f->slot]++ * t->size;
    }
    if (t->kind == EXI_K_COMPLEX)
        return enc_complex(e, f->type, src, depth + 1);
    if (f->role != EXI_R_ELEM)
        return exi_value_encode(&e->w, t, src);
    int rc = exi_write_bits(&e->w, 1, 0); /* CH */
    if (!rc)
        rc = exi_value_encode(&e->w, t, src);
    return rc ? rc : exi_write_bits(&e->w, 1, 0); /* EE */
}

static int enc_complex(struct enc *e, uint16_t type, const uint8_t *base, unsigned depth)
{
    const struct exi_codec *c = e->c;
    const struct exi_type *t = &c->types[type];
    uint16_t cursor[EXI_MAX_ARRAYS] = {0};
    if (depth > EXI_MAX_DEPTH)
        return fail(e->err, CCS_EUNSUPP, exi_writer_pos(&e->w), t->aux, 0xFFFF);
    uint16_t s = t->aux;
    for (;;) {
        const struct exi_state *st = &c->states[s];
        const struct exi_prod *p = &c->prods[st->first];
        unsigned code = 0;
        for (; code < st->nprods; code++, p++) {
            if (p->field == EXI_PROD_EE)
                break;
            if (p->field >= EXI_PROD_ROOT || (p->field & EXI_PROD_OVF))
                continue;
            if (present(&c->fields[p->field], base, cursor))
                break;
        }
        if (code == st->nprods) /* required content missing */
            return fail(e->err, CCS_EINVAL, exi_writer_pos(&e->w), s, 0xFFFF);
        int rc = exi_write_bits(&e->w, st->nbits, code);
        if (rc)
            return fail(e->err, rc, exi_writer_pos(&e->w), s, 0xFFFF);
        if (p->field == EXI_PROD_EE)
            return 0;
        if ((rc = enc_field(e, &c->fields[p->field], base, cursor, depth)))
            return fail(e->err, rc, exi_writer_pos(&e->w), s, p->field);
        s = p->next;
    }
}

int exi_encode_ex(const struct exi_codec *c, const void *doc, uint8_t *buf, size_t cap, size_t *out_len,
                  struct exi_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!c || !doc || !buf || !out_len)
        return CCS_EINVAL;
    struct enc e = {c, {buf, cap, 0, 0, 0}, err};
    int rc = exi_write_bits(&e.w, 8, EXI_HEADER);
    if (rc)
        return fail(err, rc, 0, 0, 0xFFFF);
    if ((rc = enc_complex(&e, c->doc_type, doc, 0)))
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
