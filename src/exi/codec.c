/* The table-walking EXI codec: decodes a stream into the generated structs and encodes them back, driven by
 * the grammar tables of include/ccsplc/core/exi.h. One loop per direction with an explicit stack of open
 * elements (at most EXI_MAX_DEPTH) and one dispatch per event on the field's op byte. */
#include <string.h>

#include "bitstream.h"
#include "ccsplc/core/exi.h"
#include "values.h"

#define EXI_HEADER 0x80u /* distinguishing bits 10, no options, format version 1 */

struct dec {
    const struct exi_codec *c;
    struct exi_reader r;
    struct exi_error *err;
    uint8_t *doc;  /* the struct of ... */
    uint16_t type; /* ... this top-level grammar */
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

/* The general path of a simple-typed element: CH (1 bit, code 0), the value, EE (1 bit, code 0). */
static int dec_simple_general(struct dec *d, const struct exi_type *t, uint8_t *dst)
{
    uint32_t code;
    if (t->kind == EXI_K_STRING && exi_ascii_element_decode(&d->r, t, dst))
        return 0;
    int rc = exi_read_bits(&d->r, 1, &code);
    if (rc)
        return rc;
    if (code)
        return CCS_EUNSUPP; /* second-level event (xsi:nil, xsi:type, empty element) */
    if ((rc = exi_value_decode(&d->r, t, dst)) || (rc = exi_read_bits(&d->r, 1, &code)))
        return rc;
    return code ? CCS_EUNSUPP : 0;
}

/* The decoder is one loop over events with an explicit stack of open complex elements (at most EXI_MAX_DEPTH
 * deep), so the bit window stays in local variables (registers) across events; it is written back to d->r
 * only around the out-of-line value decoders. */
#define R_SAVE() (d->r.win = win, d->r.avail = avail, d->r.next = next)
#define R_LOAD() (win = d->r.win, avail = d->r.avail, next = d->r.next)
/* Make at least n (<= 57) bits available; false at the end of the stream. */
#define R_NEED(n)                                                                                                \
    (avail >= (n) || (next + 8 <= nbytes ? (win |= exi_load_be64(buf + next) >> avail,                          \
                                            next += (63u - avail) >> 3, avail |= 56u)                            \
                                         : (R_SAVE(), exi_reader_refill_slow(&d->r), R_LOAD()),                  \
                      avail >= (n)))
#define R_PEEK(n) ((uint32_t)(win >> (64 - (n)))) /* 1 <= n <= 32 */
#define R_SKIP(n) (win <<= (n), avail -= (n))

/* The dispatch on a field's handler: with gcc and clang one indirect jump to a label (labels as values, a GNU
 * extension) in place of the switch's compare tree; the switch is the portable path to the same code. */
#ifdef __GNUC__
#define HANDLER(label) label:
#define DISPATCH(op)                                                                                             \
    do {                                                                                                         \
        static const void *const handler_[8] = {&&h_complex, &&h_nbit, &&h_enum,  &&h_uint,                      \
                                                &&h_int,     &&h_elem, &&h_value, &&h_value};                    \
        goto *handler_[EXI_OP_HANDLER(op)];                                                                      \
    } while (0)
#else
#define HANDLER(label)
#define DISPATCH(op) ((void)0)
#endif

struct dec_frame {
    uint8_t *base;
    uint16_t s;
};

#define DEC_WALK dec_run_tracked
#define DEC_TRACK 1
#include "dec_walk.h"
#undef DEC_WALK
#undef DEC_TRACK
#ifndef __OPTIMIZE_SIZE__
#define DEC_WALK dec_run_fast
#define DEC_TRACK 0
#include "dec_walk.h"
#undef DEC_WALK
#undef DEC_TRACK
#endif

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
    struct dec d = {c, {buf, len, 1, 0, 0}, err, doc, type}; /* the reader after the header byte */
#ifndef __OPTIMIZE_SIZE__
    /* the fast copy where code size allows: a stream it refuses is decoded again by the tracked one for the
     * report (a size-optimized build, an MCU's, keeps the tracked copy alone) */
    int rc = dec_run_fast(&d);
    if (!rc || !d.err)
        return rc;
    d.r = (struct exi_reader){d.r.buf, d.r.nbytes, 1, 0, 0};
#endif
    return dec_run_tracked(&d);
}

int exi_decode(const struct exi_codec *c, const uint8_t *buf, size_t len, void *doc)
{
    return exi_decode_ex(c, buf, len, doc, NULL);
}

/* The encoder walks the struct with an explicit stack of open complex elements, like the decoder, and keeps the
 * bit writer in local variables: acc holds nacc (< 32 between writes) pending bits, stored 4 bytes at a time. */
#define W_SAVE() (e->w.acc = acc, e->w.nacc = nacc, e->w.nbytes = (size_t)(wp - e->w.buf))
#define W_LOAD() (acc = e->w.acc, nacc = e->w.nacc, wp = e->w.buf + e->w.nbytes)
/* Append n (<= 32) bits v (v < 2^n) when the buffer is known to have 4 bytes free. */
#define W_PUT_ROOM(n, v)                                                                                         \
    do {                                                                                                         \
        acc = acc << (n) | (v);                                                                                  \
        nacc += (n);                                                                                             \
        if (nacc >= 32) {                                                                                        \
            exi_store_be32(wp, (uint32_t)(acc >> (nacc - 32)));                                                 \
            wp += 4;                                                                                             \
            nacc -= 32;                                                                                          \
        }                                                                                                        \
    } while (0)
/* Append n (<= 32) bits v (v < 2^n); on a full buffer jump to fail with rc set. */
#define W_PUT(n, v)                                                                                              \
    do {                                                                                                         \
        acc = acc << (n) | (v);                                                                                  \
        nacc += (n);                                                                                             \
        if (nacc >= 32) {                                                                                        \
            if (wend - wp >= 4) {                                                                                \
                exi_store_be32(wp, (uint32_t)(acc >> (nacc - 32)));                                              \
                wp += 4;                                                                                         \
                nacc -= 32;                                                                                      \
            } else {                                                                                             \
                W_SAVE();                                                                                        \
                rc = exi_writer_drain(&e->w);                                                                    \
                W_LOAD();                                                                                        \
                if (rc)                                                                                          \
                    goto fail;                                                                                   \
            }                                                                                                    \
        }                                                                                                        \
    } while (0)

/* The event code of production `want` (the word's bits in mask: a field index, or EXI_PROD_EE) among the nprods
 * of a state (p0: its first), or nprods if it has none: `guess` first, then a search from `from`. A field's
 * overflow production (EXI_PROD_SPECIAL | field) is only in a state past its array's capacity, which the
 * encoder never reaches (it refuses a count above the capacity). */
static inline unsigned prod_code(const struct exi_prod *p0, unsigned nprods, unsigned want, unsigned mask,
                                 unsigned guess, unsigned from)
{
    if (guess < nprods && (p0[guess].field & mask) == want)
        return guess;
    unsigned code = from < nprods ? from : 0;
    while (code < nprods && (p0[code].field & mask) != want)
        code++;
    return code;
}

/* An NBIT value's code: value - min modulo its storage's range (1 << lg bytes), a bijection that maps min..max
 * to 0..max-min, so any other value, of either sign, lands above max-min. */
static inline uint64_t nbit_offset(const uint8_t *src, unsigned lg, int32_t min)
{
    uint32_t lo = (uint32_t)min;
    switch (lg) {
    case 0: { uint8_t v; memcpy(&v, src, 1); return (uint8_t)(v - lo); }
    case 1: { uint16_t v; memcpy(&v, src, 2); return (uint16_t)(v - lo); }
    case 2: { uint32_t v; memcpy(&v, src, 4); return v - lo; }
    default: { uint64_t v; memcpy(&v, src, 8); return v - (uint64_t)(int64_t)min; }
    }
}

struct enc_frame {
    const uint8_t *base;
    const struct exi_field *f, *fend;
    uint16_t s, k;
};

/* Encoding is driven by the struct: its members are in schema order, so each present one is looked up in the
 * current state's productions (fields f..fend of the open element; k: the next instance of an array). A
 * choice's members are consecutive fields and appear in a state in selector order, so the chosen one is found
 * directly and its code is at least selector - 1. A field the grammar does not allow where it stands (two
 * alternatives of one choice, a required member missing before it) is refused rather than dropped. */
static int enc_run(struct enc *e, uint16_t type, const uint8_t *base)
{
    const struct exi_codec *c = e->c;
    const struct exi_prod *prods = c->prods;
    const struct exi_field *const fields = c->fields;
    const struct exi_type *types = c->types;
    uint8_t *wp, *const wend = e->w.buf + e->w.cap; /* the next byte to write, the buffer's end */
    uint64_t acc;
    unsigned nacc, depth = 0, k = 0;
    const struct exi_field *f = &fields[types[type].first], *fend = f + types[type].nfields; /* the walk */
    unsigned passed = 0; /* members the walk passed, absent, since it entered state s */
    const struct exi_field *m = NULL; /* the member being written (for an error report: NULL for an EE) */
    uint16_t s = types[type].aux;
    int rc;
    W_LOAD();
    struct enc_frame stack[EXI_MAX_DEPTH];
    for (;;) {
        const struct exi_prod *head, *p0;
        unsigned nprods, cw, code;
        if (f >= fend) { /* EE: the last production, unless characters follow */
            m = NULL;
            if (s == EXI_STATE_EE) {
                W_PUT(1, 0);
            } else {
                head = &prods[EXI_STATE_POS(s)], p0 = head + 1, nprods = head->field, cw = EXI_STATE_WIDTH(s);
                code = prod_code(p0, nprods, EXI_PROD_EE, 0xFFFFu, nprods - 1u, 0);
                if (code >= nprods) {
                    rc = CCS_EINVAL;
                    goto fail;
                }
                W_PUT(cw, code);
            }
            if (!depth)
                break;
            depth--;
            base = stack[depth].base;
            f = stack[depth].f;
            passed = 0;
            fend = stack[depth].fend;
            s = stack[depth].s;
            k = stack[depth].k;
            continue;
        }
        m = f;
        unsigned op = m->op, from = 0, known = m->cap; /* a flag's or required member's: below */
        if (op >> 5) {
            unsigned pk = EXI_OP_PRESENCE(op);
            if (pk == EXI_P_FLAG) {
                if (!base[m->presence]) { /* absent */
                    f++;
                    passed++;
                    continue;
                }
            } else if (known = 0, pk == EXI_P_ARRAY) {
                unsigned n = load_u16(base + m->presence);
                if (n > m->cap) {
                    rc = CCS_EINVAL;
                    goto fail;
                }
                if (k >= n) { /* none (left) */
                    f++;
                    passed++;
                    k = 0;
                    continue;
                }
            } else { /* the whole choice at once: a root's event code is its selector - 1, a choice member's
                      * code is at least its selector - 1 */
                int root = pk == EXI_P_ROOT;
                unsigned sel = root ? load_u16(base + f->presence) : base[f->presence];
                unsigned j = sel - 1u; /* members are numbered from 1 in field order: try that first */
                unsigned skip = root ? (unsigned)(fend - f) : f->cap;
                if (j >= skip || (root ? f[j].cap : f[j].choice) != sel)
                    for (j = 0; j < skip && (root ? f[j].cap : f[j].choice) != sel; j++)
                        ;
                if (j < skip) {
                    m = f + j;
                    op = m->op;
                    from = sel - 1u;
                    passed += j;
                    f += skip - 1u; /* the step below passes the last member */
                } else { /* nothing chosen */
                    f += skip;
                    passed += skip;
                    continue;
                }
            }
        }
        /* Productions are sorted in field order, so a member's code is, as a rule, its distance from the state's
         * first member, the member the walk stood at when it entered the state: `passed`. Where the
         * generator proved that right for every state the walk can stand at the member in, and the next state
         * one, the row holds that next state (`known`, cap of a flag or required member) and the state's
         * productions are not read; else that guess is checked first. */
        cw = EXI_STATE_WIDTH(s);
        if (known) {
            code = passed;
            s = known;
        } else {
            head = &prods[EXI_STATE_POS(s)], p0 = head + 1, nprods = head->field;
            code = prod_code(p0, nprods, (unsigned)(m - fields), EXI_PROD_FIELD(0xFFFFu), passed, from);
            if (code >= nprods) {
                rc = CCS_EINVAL;
                goto fail;
            }
            s = p0[code].next;
        }
        const struct exi_type *t = &types[m->type];
        const uint8_t *src = base + m->offset;
        if (EXI_OP_PRESENCE(op) != EXI_P_ARRAY) {
            f++;
        } else {
            src += (size_t)k * t->size;
            if (++k >= load_u16(base + m->presence)) {
                f++;
                k = 0;
            }
        }
        passed = 0;
        unsigned lg = EXI_OP_LOG2(op);
        uint64_t v, lim; /* a fixed-width value's code and the largest one */
        DISPATCH(op);
        switch (EXI_OP_HANDLER(op)) {
        case EXI_OP_COMPLEX:
        HANDLER(h_complex)
            if (depth >= EXI_MAX_DEPTH) {
                rc = CCS_EUNSUPP;
                goto fail;
            }
            W_PUT(cw, code);
            stack[depth].base = base;
            stack[depth].f = f;
            stack[depth].fend = fend;
            if (s == t->aux) { /* EXI_NIB_CHILD: s is the element's start state already (where the parent's next
                                * state is the same state, both ways of reading the field give the same) */
                stack[depth].s = m->step;
            } else {
                stack[depth].s = s;
                s = m->step;
            }
            stack[depth].k = (uint16_t)k;
            depth++;
            base = src;
            f = &fields[t->first];
            fend = f + t->nfields;
            k = 0;
            continue;
        case EXI_OP_ENUM:
        HANDLER(h_enum)
            v = exi_load_uint(src, 1u << lg);
            lim = t->aux - 1u; /* aux literals */
            goto fixed;
        case EXI_OP_NBIT:
        HANDLER(h_nbit)
            v = nbit_offset(src, lg, t->min);
            lim = t->aux; /* max - min */
        fixed: { /* the event code, CH (0), the fixed-width value, EE (0) in one write */
            if (v > lim) {
                rc = CCS_ERANGE;
                goto fail;
            }
            unsigned n = m->step; /* CH, value, EE bits */
            W_PUT(cw + n, code << n | (uint32_t)v << 1);
            continue;
        }
        case EXI_OP_UINT:
        case EXI_OP_INT:
        HANDLER(h_uint)
        HANDLER(h_int) {
            /* An integer of up to three 7-bit groups: CH, [sign], the groups and EE in one write. */
            W_PUT(cw, code);
            cw = code = 0; /* written */
            unsigned sb = EXI_OP_HANDLER(op) == EXI_OP_INT;
            int64_t x = exi_load_int(src, 1u << lg, (int)sb);
            uint64_t mag = x < 0 ? (uint64_t)(-(x + 1)) : (uint64_t)x;
            if (mag < (1u << 21) && (sb || lg < 3)) {
                uint32_t groups = (uint32_t)(mag & 0x7Fu);
                unsigned g = 1;
                for (uint64_t rest = mag >> 7; rest; rest >>= 7, g++)
                    groups = (groups | 0x80u) << 8 | (uint32_t)(rest & 0x7Fu);
                /* groups now holds group 1 first (most significant byte); shift into place after CH/sign */
                uint32_t bits = (x < 0 ? 1u : 0u) << (8 * g + 1) | groups << 1;
                W_PUT(8 * g + 2 + sb, bits);
                continue;
            }
        }
            /* fall through - a longer integer: the general path */
        default: /* ELEM: CH, the value, EE; VALUE, CONTENT: the value alone */
        HANDLER(h_elem)
        HANDLER(h_value)
            W_PUT(cw, code); /* nothing after an integer's (0 bits) */
            if (t->kind == EXI_K_BINARY && EXI_OP_HANDLER(op) == EXI_OP_ELEM) {
                /* a binary of fewer than 128 bytes (SessionID, EVCCID): the code, CH and the length (one 7-bit
                 * group) in one write, then the bytes four per write, EE; when the buffer has room for all */
                unsigned len = load_u16(src), i = 0;
                if (len < 0x80u && len <= t->aux && (size_t)(wend - wp) >= len + 8u) {
                    W_PUT_ROOM(9, len);
                    for (; i + 4 <= len; i += 4)
                        W_PUT_ROOM(32, exi_load_be32(src + sizeof(uint16_t) + i));
                    for (; i < len; i++)
                        W_PUT_ROOM(8, src[sizeof(uint16_t) + i]);
                    W_PUT_ROOM(1, 0);
                    continue;
                }
            }
            if (EXI_OP_HANDLER(op) < EXI_OP_VALUE)
                W_PUT(1, 0); /* CH */
            W_SAVE();
            rc = exi_value_encode(&e->w, t, src);
            W_LOAD();
            if (rc)
                goto fail;
            if (EXI_OP_HANDLER(op) < EXI_OP_VALUE)
                W_PUT(1, 0); /* EE */
            continue;
        }
    }
    /* the last bits, zero-padded to a byte boundary */
    for (acc <<= (8u - nacc % 8u) % 8u, nacc = (nacc + 7u) & ~7u; nacc; nacc -= 8) {
        if (wp == wend) {
            m = NULL;
            rc = CCS_ENOSPC;
            goto fail;
        }
        *wp++ = (uint8_t)(acc >> (nacc - 8));
    }
    W_SAVE();
    return 0;
fail:
    W_SAVE();
    return fail(e->err, rc, exi_writer_pos(&e->w), (uint16_t)EXI_STATE_POS(s), m ? (uint16_t)(m - fields) : 0xFFFF);
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
    struct enc e = {c, {buf, cap, 0, EXI_HEADER, 8}, err}; /* the header byte pending */
    int rc = enc_run(&e, type, doc);
    if (rc)
        return rc;
    *out_len = e.w.nbytes;
    return 0;
}

int exi_encode(const struct exi_codec *c, const void *doc, uint8_t *buf, size_t cap, size_t *out_len)
{
    return exi_encode_ex(c, doc, buf, cap, out_len, NULL);
}
