/* Digests of the XML signatures in V2G messages: find SignedInfo's References, the elements their URIs name by Id,
 * encode each as an EXI fragment and compare its digest with the DigestValue. Host side. */
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

/* Encode element fi (instance item) as a fragment into out. */
static int encode_fragment(const struct exi_proto *p, unsigned fi, const uint8_t *item, uint8_t *out, size_t *len)
{
    const struct exi_codec *c = p->codec;
    const struct exi_field *el = &c->fields[fi];
    const struct exi_type *ft = &c->types[c->frag_type];
    for (unsigned i = 0; i < ft->nfields; i++) {
        const struct exi_field *f = &c->fields[ft->first + i];
        if (f->type != el->type || strcmp(p->meta->field_names[ft->first + i], p->meta->field_names[fi]))
            continue;
        uint8_t *frag = calloc(1, ft->size);
        if (!frag)
            return CCS_ENOSPC;
        memcpy(frag + f->offset, item, c->types[f->type].size);
        uint16_t sel = f->cap; /* EXI_P_ROOT: 1 + the event code */
        memcpy(frag + f->presence, &sel, sizeof sel);
        struct exi_error err;
        int rc = exi_encode_type(c, c->frag_type, frag, out, FRAGMENT_CAP, len, &err);
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

static void check_reference(const struct exi_proto *p, const void *doc, uint16_t rt, const uint8_t *ref,
                            exi_sig_digest_fn digest, uint8_t *buf, exi_sig_ref *out)
{
    const struct exi_codec *c = p->codec;
    int df = exi_walk_find_field(p, rt, "DigestValue", NULL, EXI_R_ELEM);
    int mf = exi_walk_find_field(p, rt, "DigestMethod", NULL, EXI_R_ELEM);
    memset(out, 0, sizeof *out);
    text(p, rt, ref, "URI", EXI_R_ATTR, out->uri, sizeof out->uri);
    if (mf >= 0)
        text(p, c->fields[mf].type, ref + c->fields[mf].offset, "Algorithm", EXI_R_ATTR, out->algorithm,
             sizeof out->algorithm);
    if (df < 0 || out->uri[0] != '#')
        return;
    finder f = {.p = p, .id = out->uri + 1};
    if (!find(&f, c->doc_type, doc, 0))
        return;
    out->element = p->meta->field_names[f.fi];
    if (encode_fragment(p, f.fi, f.item, buf, &out->fragment_len))
        return;
    out->encoded = 1;
    out->digest_len = digest(out->algorithm, buf, out->fragment_len, out->digest);
    uint16_t dlen;
    const uint8_t *want = stored(ref + c->fields[df].offset, &dlen);
    out->ok = out->digest_len && dlen == out->digest_len && !memcmp(want, out->digest, dlen);
}

int exi_sig_check(const struct exi_proto *p, const void *doc, exi_sig_digest_fn digest, exi_sig_ref *refs, int max)
{
    const struct exi_codec *c = p->codec;
    finder f = {.p = p, .name = "SignedInfo"};
    if (c->frag_type == 0xFFFF || !find(&f, c->doc_type, doc, 0))
        return 0;
    uint16_t st = c->fields[f.fi].type;
    int rf = exi_walk_find_field(p, st, "Reference", NULL, EXI_R_ELEM);
    if (rf < 0)
        return 0;
    const struct exi_field *r = &c->fields[rf];
    unsigned n = exi_walk_count(r, f.item);
    uint8_t *buf = malloc(FRAGMENT_CAP);
    if (!buf)
        return CCS_ENOSPC;
    for (unsigned k = 0; k < n && (int)k < max; k++)
        check_reference(p, doc, r->type, exi_walk_item(p, r, f.item, k), digest, buf, &refs[k]);
    free(buf);
    return (int)n;
}
