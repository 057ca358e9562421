/* Digests of the XML signatures in V2G messages: find SignedInfo's References, the elements their URIs name by Id,
 * encode each as an EXI fragment and compare its digest with the DigestValue; or hand those fragments and
 * SignedInfo's to a check outside (`ccsplc exi fragment`). Host side. */
#include "ccsplc/tools/exi_sig.h"

#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "exi_walk.h"

#define FRAGMENT_CAP 16384u

typedef struct {
    const struct exi_proto *p;
    const char *name;      /* find: an element of this name ... */
    const char *id;        /* ... or one whose Id attribute is this */
    unsigned fi;           /* found: its field and instance */
    const uint8_t *item;
} finder;

/* A string or binary value: its length and bytes. */
static const uint8_t *stored(const uint8_t *v, uint16_t *len)
{
    memcpy(len, v, sizeof *len);
    return v + sizeof *len;
}

static int has_id(const finder *f, uint16_t ti, const uint8_t *item)
{
    int k = exi_walk_find_field(f->p, ti, "Id", NULL, EXI_R_ATTR);
    if (k < 0 || !exi_walk_count(&f->p->codec->fields[k], item))
        return 0;
    uint16_t len;
    const uint8_t *s = stored(item + f->p->codec->fields[k].offset, &len);
    return len == strlen(f->id) && !memcmp(s, f->id, len);
}

/* Depth first over the present elements below complex type ti at base; 1 when found. */
static int find(finder *f, uint16_t ti, const uint8_t *base, int depth)
{
    const struct exi_codec *c = f->p->codec;
    const struct exi_type *t = &c->types[ti];
    for (unsigned i = 0; i < t->nfields && depth < EXI_MAX_DEPTH; i++) {
        const struct exi_field *fd = &c->fields[t->first + i];
        if (EXI_OP_ROLE(fd->op) != EXI_R_ELEM || c->types[fd->type].kind != EXI_K_COMPLEX)
            continue;
        for (unsigned k = 0, n = exi_walk_count(fd, base); k < n; k++) {
            const uint8_t *item = exi_walk_item(f->p, fd, base, k);
            if (f->name ? !strcmp(f->p->meta->field_names[t->first + i], f->name) : has_id(f, fd->type, item)) {
                f->fi = t->first + i;
                f->item = item;
                return 1;
            }
            if (find(f, fd->type, item, depth + 1))
                return 1;
        }
    }
    return 0;
}

/* Room for n bytes of a string or binary value of type t. */
static int fits(const struct exi_type *t, uint16_t n)
{
    return t->kind == EXI_K_STRING ? n <= (uint32_t)t->min : t->kind == EXI_K_BINARY && n <= t->aux;
}

/* An element of type st at src into a relaxed element fragment type dt at dst (EXI 1.0 section 8.5.3: a qname the
 * schema set declares with several types, ISO-2's eMAID): each present attribute and the content go to the member
 * of the same name and role. CCS_EUNSUPP when dt has none or a value is not a string or binary, CCS_ELENGTH when
 * it does not fit. */
static int relaxed_copy(const struct exi_proto *p, uint16_t dt, uint8_t *dst, uint16_t st, const uint8_t *src)
{
    const struct exi_codec *c = p->codec;
    const struct exi_type *t = &c->types[st];
    for (unsigned i = 0; i < t->nfields; i++) {
        const struct exi_field *sf = &c->fields[t->first + i];
        if (!exi_walk_count(sf, src))
            continue;
        int k = exi_walk_find_field(p, dt, p->meta->field_names[t->first + i], NULL, EXI_OP_ROLE(sf->op));
        const struct exi_field *df = k >= 0 ? &c->fields[k] : NULL;
        if (!df || c->types[sf->type].kind != c->types[df->type].kind)
            return CCS_EUNSUPP;
        uint16_t len;
        stored(src + sf->offset, &len);
        if (!fits(&c->types[df->type], len))
            return fits(&c->types[sf->type], len) ? CCS_ELENGTH : CCS_EUNSUPP;
        memcpy(dst + df->offset, src + sf->offset, sizeof len + len);
        if (EXI_OP_PRESENCE(df->op) == EXI_P_FLAG)
            dst[df->presence] = 1;
    }
    return 0;
}

/* Encode element fi (instance item) as a fragment of grammar gt (the codec's frag_type or dsig_type) into out. */
static int encode_fragment(const struct exi_proto *p, uint16_t gt, unsigned fi, const uint8_t *item, uint8_t *out,
                           size_t *len)
{
    const struct exi_codec *c = p->codec;
    const struct exi_field *el = &c->fields[fi];
    const struct exi_type *ft = &c->types[gt];
    for (unsigned i = 0; i < ft->nfields; i++) {
        const struct exi_field *f = &c->fields[ft->first + i];
        int relaxed = f->type != el->type;
        if (strcmp(p->meta->field_names[ft->first + i], p->meta->field_names[fi]) ||
            (relaxed && (c->types[f->type].kind != EXI_K_COMPLEX || c->types[el->type].kind != EXI_K_COMPLEX)))
            continue;
        uint8_t *frag = calloc(1, ft->size);
        if (!frag)
            return CCS_ENOSPC;
        int rc = 0;
        if (relaxed)
            rc = relaxed_copy(p, f->type, frag + f->offset, el->type, item);
        else
            memcpy(frag + f->offset, item, c->types[f->type].size);
        uint16_t sel = f->cap; /* EXI_P_ROOT: 1 + the event code */
        memcpy(frag + f->presence, &sel, sizeof sel);
        struct exi_error err;
        if (!rc)
            rc = exi_encode_type(c, gt, frag, out, FRAGMENT_CAP, len, &err);
        free(frag);
        return rc;
    }
    return CCS_ENOTFOUND;
}

/* The string attribute or element `name` of complex type ti at base into out (empty when absent). */
static void text(const struct exi_proto *p, uint16_t ti, const uint8_t *base, const char *name, int role, char *out,
                 size_t cap)
{
    int k = exi_walk_find_field(p, ti, name, NULL, role);
    uint16_t len = 0;
    const uint8_t *s = k >= 0 && exi_walk_count(&p->codec->fields[k], base)
                           ? stored(base + p->codec->fields[k].offset, &len) : NULL;
    size_t n = len < cap - 1 ? len : cap - 1;
    if (s)
        memcpy(out, s, n);
    out[s ? n : 0] = 0;
}

/* Reference ref (of type rt): its URI and DigestMethod into out, and the element the URI names by Id encoded as a
 * fragment into buf (out->encoded, out->fragment_len). */
static void reference_fragment(const struct exi_proto *p, const void *doc, uint16_t rt, const uint8_t *ref,
                               uint8_t *buf, exi_sig_ref *out)
{
    const struct exi_codec *c = p->codec;
    int mf = exi_walk_find_field(p, rt, "DigestMethod", NULL, EXI_R_ELEM);
    memset(out, 0, sizeof *out);
    text(p, rt, ref, "URI", EXI_R_ATTR, out->uri, sizeof out->uri);
    if (mf >= 0)
        text(p, c->fields[mf].type, ref + c->fields[mf].offset, "Algorithm", EXI_R_ATTR, out->algorithm,
             sizeof out->algorithm);
    if (out->uri[0] != '#')
        return;
    finder f = {.p = p, .id = out->uri + 1};
    if (!find(&f, c->doc_type, doc, 0))
        return;
    out->element = p->meta->field_names[f.fi];
    out->encoded = !encode_fragment(p, c->frag_type, f.fi, f.item, buf, &out->fragment_len);
}

/* What each_reference hands on: Reference k (of type rt at ref), out filled by reference_fragment, its fragment in
 * buf when out->encoded. */
typedef void (*ref_visit)(void *ctx, int k, const struct exi_proto *p, uint16_t rt, const uint8_t *ref,
                          exi_sig_ref *out, const uint8_t *buf);

/* SignedInfo of the message into si; 1 when there is one (and the codec has fragments). */
static int signed_info(const struct exi_proto *p, const void *doc, finder *si)
{
    *si = (finder){.p = p, .name = "SignedInfo"};
    return p->codec->frag_type != 0xFFFF && find(si, p->codec->doc_type, doc, 0);
}

/* Every Reference of SignedInfo si, in order, to visit. Returns their number, or a negative CCS_E* code. */
static int each_reference(const struct exi_proto *p, const void *doc, const finder *si, ref_visit visit, void *ctx)
{
    const struct exi_codec *c = p->codec;
    int rf = exi_walk_find_field(p, c->fields[si->fi].type, "Reference", NULL, EXI_R_ELEM);
    if (rf < 0)
        return 0;
    const struct exi_field *r = &c->fields[rf];
    unsigned n = exi_walk_count(r, si->item);
    uint8_t *buf = malloc(FRAGMENT_CAP);
    if (!buf)
        return CCS_ENOSPC;
    for (unsigned k = 0; k < n; k++) {
        exi_sig_ref out;
        const uint8_t *ref = exi_walk_item(p, r, si->item, k);
        reference_fragment(p, doc, r->type, ref, buf, &out);
        visit(ctx, (int)k, p, r->type, ref, &out, buf);
    }
    free(buf);
    return (int)n;
}

typedef struct {
    exi_sig_digest_fn digest;
    exi_sig_ref *refs;
    int max;
} checker;

static void check_reference(void *ctx, int k, const struct exi_proto *p, uint16_t rt, const uint8_t *ref,
                            exi_sig_ref *out, const uint8_t *buf)
{
    checker *ck = ctx;
    int df = exi_walk_find_field(p, rt, "DigestValue", NULL, EXI_R_ELEM);
    if (k >= ck->max)
        return;
    if (out->encoded && df >= 0) {
        out->digest_len = ck->digest(out->algorithm, buf, out->fragment_len, out->digest);
        uint16_t dlen;
        const uint8_t *want = stored(ref + p->codec->fields[df].offset, &dlen);
        out->ok = out->digest_len && dlen == out->digest_len && !memcmp(want, out->digest, dlen);
    }
    ck->refs[k] = *out;
}

int exi_sig_check(const struct exi_proto *p, const void *doc, exi_sig_digest_fn digest, exi_sig_ref *refs, int max)
{
    finder si;
    checker ck = {digest, refs, max};
    return signed_info(p, doc, &si) ? each_reference(p, doc, &si, check_reference, &ck) : 0;
}

typedef struct {
    exi_sig_fragment_fn fn;
    void *ctx;
} lister;

static void list_reference(void *ctx, int k, const struct exi_proto *p, uint16_t rt, const uint8_t *ref,
                           exi_sig_ref *out, const uint8_t *buf)
{
    (void)k, (void)p, (void)rt, (void)ref;
    const lister *l = ctx;
    l->fn(l->ctx, out->uri, out->element, out->encoded ? buf : NULL, out->encoded ? out->fragment_len : 0);
}

int exi_sig_fragments(const struct exi_proto *p, const void *doc, exi_sig_fragment_fn fn, void *ctx)
{
    finder si;
    if (!signed_info(p, doc, &si))
        return 0;
    if (p->codec->dsig_type == 0xFFFF)
        return CCS_EINVAL;
    uint8_t *buf = malloc(FRAGMENT_CAP);
    size_t len = 0;
    int rc = buf ? encode_fragment(p, p->codec->dsig_type, si.fi, si.item, buf, &len) : CCS_ENOSPC;
    if (!rc)
        fn(ctx, NULL, "SignedInfo", buf, len);
    free(buf);
    lister l = {fn, ctx};
    return rc ? rc : each_reference(p, doc, &si, list_reference, &l);
}
