/* Decoded EXI documents as key=value pairs (the corpus format) and as XML. Host side. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/tools/exi_text.h"
#include "exi_values_text.h"
#include "exi_scaled.h"
#include "exi_walk.h"
#include "exi/values.h"

int exi_walk_find_field(const struct exi_proto *p, uint16_t ti, const char *name, const char *uri, int role)
{
    const struct exi_type *t = &p->codec->types[ti];
    for (unsigned i = 0; i < t->nfields; i++) {
        unsigned fi = t->first + i;
        const char *fn = p->meta->field_names[fi];
        if (EXI_OP_ROLE(p->codec->fields[fi].op) != role || fn[0] != name[0] || strcmp(fn, name))
            continue;
        if (uri && strcmp(p->meta->uris[p->meta->field_ns[fi]], uri))
            continue;
        return (int)fi;
    }
    return -1;
}

uint8_t *exi_walk_claim(const struct exi_proto *p, unsigned fi, uint8_t *base, int *rc, const char **why)
{
    const struct exi_field *f = &p->codec->fields[fi];
    uint16_t n;
    switch (EXI_OP_PRESENCE(f->op)) {
    case EXI_P_FLAG:
        if (base[f->presence]) {
            *rc = CCS_ECAP, *why = "given twice";
            return NULL;
        }
        base[f->presence] = 1;
        return base + f->offset;
    case EXI_P_CHOICE:
        if (base[f->presence]) {
            *rc = CCS_EPROTO, *why = "given, but another alternative of the same choice is already given";
            return NULL;
        }
        base[f->presence] = f->choice;
        return base + f->offset;
    case EXI_P_ROOT:
        memcpy(base + f->presence, &f->cap, sizeof f->cap);
        return base + f->offset;
    case EXI_P_ARRAY:
        memcpy(&n, base + f->presence, sizeof n);
        if (n >= f->cap) {
            *rc = CCS_ECAP, *why = "given more often than the configured capacity";
            return NULL;
        }
        memcpy(base + f->presence, &(uint16_t){(uint16_t)(n + 1)}, sizeof n);
        return base + f->offset + (size_t)n * p->codec->types[f->type].size;
    default:
        return base + f->offset;
    }
}

/* Field i of a type's fields f (i counted from the type's first): where a choice's consecutive members start, the
 * chosen one (*i moved to it, *last to the group's last member; NULL when none is chosen), else f[*i]. */
static inline const struct exi_field *chosen(const struct exi_field *f, const uint8_t *base, unsigned *i,
                                             unsigned *last)
{
    f += *i;
    *last = *i;
    if (EXI_OP_PRESENCE(f->op) != EXI_P_CHOICE || f->cap <= 1)
        return f;
    unsigned sel = base[f->presence], j = sel && sel <= f->cap && f[sel - 1].choice == sel ? sel - 1 : 0;
    *last = *i + f->cap - 1u;
    while (j < f->cap && f[j].choice != sel) /* the members are numbered in order, as a rule: found at once */
        j++;
    if (j == f->cap)
        return NULL;
    *i += j;
    return f + j;
}

/* The root field of a document and its struct. */
static const struct exi_field *root_field(const struct exi_proto *p, const void *doc, unsigned *fi)
{
    const struct exi_type *dt = &p->codec->types[p->codec->doc_type];
    for (unsigned i = 0; i < dt->nfields; i++) {
        const struct exi_field *f = &p->codec->fields[dt->first + i];
        if (exi_walk_count(f, doc)) {
            *fi = dt->first + i;
            return f;
        }
    }
    return NULL;
}

/* The Body field's chosen element (DIN, ISO-2), if any. */
static int body_element(const struct exi_proto *p, const struct exi_field *root, const uint8_t *rbase,
                        const uint8_t **bbase)
{
    int bf = exi_walk_find_field(p, root->type, "Body", NULL, EXI_R_ELEM);
    if (bf < 0)
        return -1;
    const struct exi_field *body = &p->codec->fields[bf];
    const uint8_t *b = rbase + body->offset;
    const struct exi_type *bt = &p->codec->types[body->type];
    for (unsigned i = 0, last; i < bt->nfields; i = last + 1) {
        const struct exi_field *f = chosen(&p->codec->fields[bt->first], b, &i, &last);
        if (f && exi_walk_count(f, b)) {
            *bbase = b;
            return (int)(bt->first + i);
        }
    }
    return -1;
}

const char *exi_text_message_name(const struct exi_proto *p, const void *doc)
{
    unsigned fi;
    const struct exi_field *root = root_field(p, doc, &fi);
    if (!root)
        return "";
    const uint8_t *b;
    int be = body_element(p, root, (const uint8_t *)doc + root->offset, &b);
    return p->meta->field_names[be >= 0 ? (unsigned)be : fi];
}

/* ---- value text ------------------------------------------------------------------------------------- */

/* One growing buffer for the text of values (a string of 255 characters, a 1600-byte certificate in hex). */
struct textbuf {
    char *s;
    size_t cap;
    int failed; /* out of memory: the text was left out */
};

static const char *textbuf_value(struct textbuf *b, const struct exi_proto *p, uint16_t ti, const uint8_t *src,
                                 enum exi_text_style style)
{
    size_t n = exi_text_format_value(p, ti, src, style, b->s, b->cap);
    if (n >= b->cap) {
        char *g = realloc(b->s, n + 1);
        if (!g) {
            b->failed = 1;
            return "";
        }
        b->s = g;
        b->cap = n + 1;
        exi_text_format_value(p, ti, src, style, b->s, b->cap);
    }
    return b->s;
}

/* ---- key=value ---------------------------------------------------------------------------------------- */

/* The key=value writer: pairs go straight into the caller's buffer (as snprintf: len counts the whole text,
 * bytes past cap are dropped); the key is built in place, one name appended per level; no allocation. */
#define KV_HEADER_KEYS 128 /* header pairs checked for clashes (a Header holds a handful, with a Signature ~30) */
struct kvw {
    const struct exi_proto *p;
    char *out;
    size_t cap, len;
    char sep;
    unsigned npairs;
    int in_header;
    const void *doc;
    const char *msg; /* the message name (found when first needed): prefix of a body key that a header key has */
    size_t hk_at[KV_HEADER_KEYS], hk_len[KV_HEADER_KEYS]; /* header keys, in out */
    unsigned nhk;
    uint64_t hk_lens; /* bit (length % 64) of each header key */
    int hk_lost; /* a header key did not fit in out: the caller must retry with more room */
    char eq;     /* after a key: '=', or '\0' when the pairs are recorded */
    exi_kv_pair *pairs; /* when not NULL: each pair's offsets (the first pcap of them) */
    size_t pcap;
    struct {
        uint16_t type;
        int is;
        struct exi_scaled sc;
    } scaled[4]; /* exi_scaled_type of the complex types met last (a schema has one or two scaled types) */
    unsigned nscaled;
    char key[512];
    size_t klen, kleaf; /* the key's length; where its last name starts */
};

static void kv_put1(struct kvw *w, char c)
{
    if (w->len < w->cap)
        w->out[w->len] = c;
    w->len++;
}

static void kv_put(struct kvw *w, const char *s, size_t n)
{
    if (w->len < w->cap)
        memcpy(w->out + w->len, s, n < w->cap - w->len ? n : w->cap - w->len);
    w->len += n;
}

/* A body key named like a header key gets the message name as prefix (hk_lens: a bit per header key length,
 * mod 64, so that most keys need no comparison). */
static int kv_clash(const struct kvw *w)
{
    if (!(w->hk_lens >> (w->klen & 63) & 1))
        return 0;
    for (unsigned j = 0; j < w->nhk; j++)
        if (w->hk_len[j] == w->klen && !memcmp(w->out + w->hk_at[j], w->key, w->klen))
            return 1;
    return 0;
}

/* kv_key in general: header keys, clashes, no room. */
static void kv_key_slow(struct kvw *w)
{
    if (w->npairs++)
        kv_put1(w, w->sep);
    size_t at = w->len;
    if (w->in_header) {
        if (w->len + w->klen > w->cap)
            w->hk_lost = 1;
        else if (w->nhk < KV_HEADER_KEYS) {
            w->hk_at[w->nhk] = w->len;
            w->hk_len[w->nhk++] = w->klen;
            w->hk_lens |= (uint64_t)1 << (w->klen & 63);
        }
    } else if (kv_clash(w)) {
        if (!w->msg)
            w->msg = exi_text_message_name(w->p, w->doc);
        kv_put(w, w->msg, strlen(w->msg));
        kv_put(w, ".", 1);
    }
    if (w->pairs && w->npairs <= w->pcap) {
        exi_kv_pair *pr = &w->pairs[w->npairs - 1];
        pr->key = (uint32_t)at;
        pr->leaf = (uint32_t)(w->len + w->kleaf);
        pr->value = (uint32_t)(w->len + w->klen + 1);
    }
    kv_put(w, w->key, w->klen);
    kv_put1(w, w->eq);
}

/* "[sep]key=" of the next pair (and its offsets when they are recorded). */
static inline void kv_key(struct kvw *w)
{
    size_t sep = w->npairs != 0, at = w->len + sep;
    if (w->in_header || w->hk_lens >> (w->klen & 63) & 1 || at + w->klen + 1 > w->cap) {
        kv_key_slow(w);
        return;
    }
    char *o = w->out + w->len;
    o[0] = w->sep; /* overwritten by the key when there is no separator */
    if (w->pairs && w->npairs < w->pcap)
        w->pairs[w->npairs] = (exi_kv_pair){(uint32_t)at, (uint32_t)(at + w->kleaf), (uint32_t)(at + w->klen + 1)};
    w->npairs++;
    memcpy(o + sep, w->key, w->klen);
    o[sep + w->klen] = w->eq;
    w->len = at + w->klen + 1;
}

/* A pair whose value is s (n bytes). */
static void kv_text(struct kvw *w, const char *s, size_t n)
{
    kv_key(w);
    kv_put(w, s, n);
}

/* The simple value at src (type ti), formatted straight into the buffer. */
static void kv_value(struct kvw *w, uint16_t ti, const uint8_t *src)
{
    kv_key(w);
    size_t room = w->len < w->cap ? w->cap - w->len : 0;
    w->len += exi_text_format_value(w->p, ti, src, EXI_TEXT_KV, room ? w->out + w->len : NULL, room);
}

/* Append ".name" (or "name" at the top; nl bytes) and "[i]" to the key; 0 when it would not fit. */
static inline int kv_push_n(struct kvw *w, const char *name, size_t nl, int index)
{
    char idx[EXI_TEXT_INT_CAP + 2];
    size_t il = 0;
    if (index >= 0) {
        idx[0] = '[';
        il = 1 + exi_text_int(index, idx + 1);
        idx[il++] = ']';
    }
    if (w->klen + (w->klen ? 1 : 0) + nl + il >= sizeof w->key)
        return 0; /* deeper than any schema nests */
    char *k = w->key + w->klen;
    if (w->klen)
        *k++ = '.';
    w->kleaf = (size_t)(k - w->key);
    memcpy(k, name, nl);
    k += nl;
    if (il) {
        memcpy(k, idx, il);
        k += il;
    }
    w->klen = (size_t)(k - w->key);
    return 1;
}

static int kv_push(struct kvw *w, const char *name, int index) { return kv_push_n(w, name, strlen(name), index); }

/* exi_scaled_type, remembered for the last few types. */
static int scaled_type(struct kvw *w, uint16_t ti, struct exi_scaled *sc)
{
    unsigned n = sizeof w->scaled / sizeof w->scaled[0];
    for (unsigned i = 0; i < w->nscaled && i < n; i++)
        if (w->scaled[i].type == ti) {
            *sc = w->scaled[i].sc;
            return w->scaled[i].is;
        }
    int is = exi_scaled_type(w->p, ti, sc);
    unsigned i = w->nscaled++ % n;
    w->scaled[i].type = ti;
    w->scaled[i].is = is;
    w->scaled[i].sc = *sc;
    return is;
}

/* PhysicalValueType (Value x 10^Multiplier [Unit]) and RationalNumberType (Value x 10^Exponent). */
static int kv_scaled(struct kvw *w, const struct exi_field *f, const uint8_t *base)
{
    const struct exi_proto *p = w->p;
    const struct exi_type *t = &p->codec->types[f->type];
    struct exi_scaled sc;
    if (t->nfields < 2 || t->nfields > 3 || !scaled_type(w, f->type, &sc)) /* 2 or 3 members: cheap test first */
        return 0;
    int64_t v;
    int e;
    exi_scaled_get(p, &sc, base, &v, &e);
    char val[EXI_TEXT_SCALED_CAP];
    kv_text(w, val, exi_text_scaled(v, e, val, sizeof val));
    size_t klen = w->klen, kleaf = w->kleaf;
    if (sc.physical ? kv_push_n(w, "Multiplier", 10, -1) : kv_push_n(w, "Exponent", 8, -1)) {
        kv_text(w, val, exi_text_int(e, val));
        w->klen = klen, w->kleaf = kleaf;
    }
    if (sc.unit >= 0 && exi_walk_count(&p->codec->fields[sc.unit], base) && kv_push_n(w, "Unit", 4, -1)) {
        kv_value(w, p->codec->fields[sc.unit].type, base + p->codec->fields[sc.unit].offset);
        w->klen = klen, w->kleaf = kleaf;
    }
    return 1;
}

/* transparent: this level's element names are left out of keys (Header, Body, the body element). */
static void kv_walk(struct kvw *w, uint16_t ti, const uint8_t *base, int level)
{
    const struct exi_proto *p = w->p;
    const struct exi_type *t = &p->codec->types[ti];
    for (unsigned i = 0, last; i < t->nfields; i = last + 1) {
        const struct exi_field *f = chosen(&p->codec->fields[t->first], base, &i, &last); /* of a choice: only one */
        if (!f)
            continue;
        const char *name = p->meta->field_names[t->first + i];
        unsigned n = exi_walk_count(f, base);
        size_t klen = w->klen, kleaf = w->kleaf;
        for (unsigned k = 0; k < n; k++, w->klen = klen, w->kleaf = kleaf) {
            const uint8_t *item = exi_walk_item(p, f, base, k);
            const struct exi_type *ft = &p->codec->types[f->type];
            int top = level == 0 && ft->kind == EXI_K_COMPLEX;
            int header = top && name[0] == 'H' && !strcmp(name, "Header");
            int body = top && name[0] == 'B' && !strcmp(name, "Body");
            int transparent = header || body || level == -1;
            if (!transparent && !kv_push(w, name, EXI_OP_PRESENCE(f->op) == EXI_P_ARRAY ? (int)k : -1))
                continue;
            if (ft->kind != EXI_K_COMPLEX) {
                if (transparent && !kv_push(w, name, EXI_OP_PRESENCE(f->op) == EXI_P_ARRAY ? (int)k : -1))
                    continue;
                kv_value(w, f->type, item);
                continue;
            }
            if (!transparent && kv_scaled(w, f, item))
                continue;
            unsigned before = w->npairs;
            int saved = w->in_header;
            w->in_header = header || saved;
            kv_walk(w, f->type, item, body ? -1 : level < 0 ? 1 : level + 1);
            w->in_header = saved;
            if (w->npairs == before && !transparent)
                kv_text(w, "", 0);
        }
    }
}

/* The walk into out; pairs NULL: key=value text, else key and value NUL-terminated and each pair's offsets. */
static size_t kv_run(const struct exi_proto *p, const void *doc, char sep, char *out, size_t cap, exi_kv_pair *pairs,
                     size_t pcap, size_t *npairs)
{
    unsigned fi;
    const struct exi_field *root = root_field(p, doc, &fi);
    if (cap)
        out[0] = 0;
    if (npairs)
        *npairs = 0;
    if (!root)
        return 0;
    struct kvw kw; /* not zeroed as a whole: hk_* and key are filled as they are used */
    struct kvw *w = &kw;
    w->p = p;
    w->out = out;
    w->cap = cap;
    w->len = w->klen = w->kleaf = 0;
    w->sep = sep;
    w->eq = pairs ? 0 : '=';
    w->pairs = pairs;
    w->pcap = pcap;
    w->npairs = w->nhk = w->nscaled = 0;
    w->hk_lens = 0;
    w->in_header = w->hk_lost = 0;
    w->doc = doc;
    w->msg = NULL;
    kv_walk(w, root->type, (const uint8_t *)doc + root->offset, 0);
    if (cap)
        out[w->len < cap ? w->len : cap - 1] = 0;
    if (npairs)
        *npairs = w->npairs;
    return w->hk_lost && w->len < cap ? cap : w->len; /* header keys lost: report "more room needed" */
}

size_t exi_text_kv_buf(const struct exi_proto *p, const void *doc, char sep, char *out, size_t cap)
{
    return kv_run(p, doc, sep, out, cap, NULL, 0, NULL);
}

size_t exi_text_kv_pairs(const struct exi_proto *p, const void *doc, char *out, size_t cap, exi_kv_pair *pairs,
                         size_t pcap, size_t *npairs)
{
    return kv_run(p, doc, 0, out, cap, pairs, pcap, npairs);
}

int exi_text_kv(FILE *out, const struct exi_proto *p, const void *doc, char sep)
{
    if (!root_field(p, doc, &(unsigned){0}))
        return -1;
    char stack[8192], *buf = stack;
    size_t n = exi_text_kv_buf(p, doc, sep, buf, sizeof stack);
    for (size_t cap = sizeof stack; n >= cap;) {
        cap = n + 1 > 2 * cap ? n + 1 : 2 * cap;
        char *g = realloc(buf == stack ? NULL : buf, cap);
        if (!g) {
            if (buf != stack)
                free(buf);
            return -1;
        }
        buf = g;
        n = exi_text_kv_buf(p, doc, sep, buf, cap);
    }
    int rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (buf != stack)
        free(buf);
    return rc;
}

/* ---- XML ---------------------------------------------------------------------------------------------- */

/* The writer's state: where to, the codec, one growing buffer for value text, and whether memory ran out. */
struct xw {
    FILE *out;
    const struct exi_proto *p;
    struct textbuf b;
};

static void xml_name(struct xw *x, unsigned fi)
{
    unsigned ns = x->p->meta->field_ns[fi];
    if (x->p->meta->uris[ns][0])
        fprintf(x->out, "ns%u:", ns);
    fputs(x->p->meta->field_names[fi], x->out);
}

/* A string XML 1.0 cannot carry exactly (its text has stand-ins) also goes out as its UTF-8 bytes in hex, in a
 * processing instruction inside the element: <?ccsplc-string HEX?> for the element's value, <?ccsplc-string
 * NAME HEX?> for attribute NAME. exi_text_from_xml reads it back; schema validation ignores it. */
static void xml_exact(struct xw *x, unsigned fi, const uint8_t *src, int attr)
{
    const struct exi_type *t = &x->p->codec->types[x->p->codec->fields[fi].type];
    if (exi_text_xml_exact(x->p, x->p->codec->fields[fi].type, src))
        return;
    uint16_t len;
    memcpy(&len, src, sizeof len);
    fprintf(x->out, "<?%s %s%s", EXI_TEXT_XML_PI, attr ? x->p->meta->field_names[fi] : "", attr ? " " : "");
    for (size_t i = 0; i < len && i < (uint32_t)t->min; i++)
        fprintf(x->out, "%02x", src[sizeof len + i]);
    fputs("?>", x->out);
}

static void xml_element(struct xw *x, unsigned fi, const uint8_t *item, int depth, int declare);

static void xml_children(struct xw *x, uint16_t ti, const uint8_t *base, int depth)
{
    const struct exi_type *t = &x->p->codec->types[ti];
    for (unsigned i = 0; i < t->nfields; i++) {
        const struct exi_field *f = &x->p->codec->fields[t->first + i];
        if (EXI_OP_ROLE(f->op) != EXI_R_ELEM)
            continue;
        unsigned n = exi_walk_count(f, base);
        for (unsigned k = 0; k < n; k++)
            xml_element(x, t->first + i, exi_walk_item(x->p, f, base, k), depth, 0);
    }
}

/* The exact forms of the attributes of the element at item that need one. */
static void xml_exact_attrs(struct xw *x, const struct exi_type *t, const uint8_t *item)
{
    for (unsigned i = 0; i < t->nfields; i++) {
        const struct exi_field *c = &x->p->codec->fields[t->first + i];
        if (EXI_OP_ROLE(c->op) == EXI_R_ATTR && exi_walk_count(c, item))
            xml_exact(x, t->first + i, item + c->offset, 1);
    }
}

static void xml_element(struct xw *x, unsigned fi, const uint8_t *item, int depth, int declare)
{
    const struct exi_proto *p = x->p;
    const struct exi_field *f = &p->codec->fields[fi];
    const struct exi_type *t = &p->codec->types[f->type];
    fprintf(x->out, "%*s<", 2 * depth, "");
    xml_name(x, fi);
    if (declare)
        for (unsigned u = 0; u < p->meta->nuris; u++)
            if (p->meta->uris[u][0])
                fprintf(x->out, " xmlns:ns%u=\"%s\"", u, p->meta->uris[u]);
    if (t->kind != EXI_K_COMPLEX) {
        fprintf(x->out, ">%s", textbuf_value(&x->b, p, f->type, item, EXI_TEXT_XML));
        xml_exact(x, fi, item, 0);
        fputs("</", x->out);
        xml_name(x, fi);
        fputs(">\n", x->out);
        return;
    }
    int has_children = 0, inexact_attrs = 0, content = -1;
    for (unsigned i = 0; i < t->nfields; i++) {
        unsigned ci = t->first + i;
        const struct exi_field *c = &p->codec->fields[ci];
        if (!exi_walk_count(c, item))
            continue;
        if (EXI_OP_ROLE(c->op) == EXI_R_ATTR) {
            fputc(' ', x->out);
            xml_name(x, ci);
            fprintf(x->out, "=\"%s\"", textbuf_value(&x->b, p, c->type, item + c->offset, EXI_TEXT_XML));
            inexact_attrs |= !exi_text_xml_exact(p, c->type, item + c->offset);
        } else if (EXI_OP_ROLE(c->op) == EXI_R_CONTENT) {
            content = (int)ci;
        } else {
            has_children = 1;
        }
    }
    if (has_children) {
        fputs(">\n", x->out);
        if (inexact_attrs) {
            fprintf(x->out, "%*s", 2 * depth + 2, "");
            xml_exact_attrs(x, t, item);
            fputc('\n', x->out);
        }
        xml_children(x, f->type, item, depth + 1);
        fprintf(x->out, "%*s</", 2 * depth, "");
    } else {
        fputc('>', x->out);
        xml_exact_attrs(x, t, item);
        if (content >= 0) {
            const struct exi_field *c = &p->codec->fields[content];
            fputs(textbuf_value(&x->b, p, c->type, item + c->offset, EXI_TEXT_XML), x->out);
            xml_exact(x, (unsigned)content, item + c->offset, 0);
        }
        fputs("</", x->out);
    }
    xml_name(x, fi);
    fputs(">\n", x->out);
}

int exi_text_xml(FILE *out, const struct exi_proto *p, const void *doc)
{
    unsigned fi;
    const struct exi_field *root = root_field(p, doc, &fi);
    if (!root)
        return -1;
    struct xw x = {out, p, {0}};
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    xml_element(&x, fi, (const uint8_t *)doc + root->offset, 0, 1);
    free(x.b.s);
    return ferror(out) || x.b.failed ? -1 : 0;
}

/* ---- errors ------------------------------------------------------------------------------------------- */

void exi_text_describe_error(const struct exi_proto *p, const struct exi_error *err, char *buf, size_t cap)
{
    const struct exi_codec *c = p->codec;
    size_t n = (size_t)snprintf(buf, cap, "%s at bit %zu (byte %zu)", ccs_strerror(err->code), err->bit_offset,
                                err->bit_offset / 8);
    if (err->field != 0xFFFF && err->field < c->nfields && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, " in <%s>", p->meta->field_names[err->field]);
    if (err->state >= c->nprods || n >= cap)
        return;
    const struct exi_prod *head = &c->prods[err->state];
    n += (size_t)snprintf(buf + n, cap - n, "; the grammar expected (%u-bit code):", head->next);
    for (unsigned i = 0; i < head->field && err->state + 1u + i < c->nprods && n < cap; i++) {
        uint16_t fi = head[1 + i].field;
        const char *what = fi == EXI_PROD_EE ? "end of element" : fi == EXI_PROD_ANY ? "any element"
                         : fi == EXI_PROD_MIX ? "characters" : fi == EXI_PROD_ROOT ? "(not supported)"
                         : p->meta->field_names[EXI_PROD_FIELD(fi)];
        n += (size_t)snprintf(buf + n, cap - n, "%s %u=%s", i ? "," : "", i, what);
    }
}
