/* The facts the analysis reads from a decoded document: message name, ResponseCode, the header's SessionID. */
#include <string.h>

#include "exi/values.h"
#include "exi_walk.h"
#include "v2g.h"

/* The present member of complex type ti at base (a document's root, a Body's element), or -1. */
static int present(const struct exi_proto *p, uint16_t ti, const uint8_t *base, const uint8_t **item)
{
    const struct exi_type *t = &p->codec->types[ti];
    for (unsigned i = 0; i < t->nfields; i++) {
        const struct exi_field *f = &p->codec->fields[t->first + i];
        if (exi_walk_count(f, base)) {
            *item = exi_walk_item(p, f, base, 0);
            return (int)(t->first + i);
        }
    }
    return -1;
}

/* The child element `name` of element fi at base, or -1. */
static int child(const struct exi_proto *p, int fi, const uint8_t *base, const char *name, const uint8_t **item)
{
    if (fi < 0)
        return -1;
    int k = exi_walk_find_field(p, p->codec->fields[fi].type, name, NULL, EXI_R_ELEM);
    if (k < 0 || !exi_walk_count(&p->codec->fields[k], base))
        return -1;
    *item = exi_walk_item(p, &p->codec->fields[k], base, 0);
    return k;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

void v2g_facts_get(const struct exi_proto *p, const void *doc, v2g_facts *out)
{
    const uint8_t *root, *body, *msg, *header, *v;
    memset(out, 0, sizeof *out);
    out->name = exi_text_message_name(p, doc);
    out->request = ends_with(out->name, "Req");
    out->response = ends_with(out->name, "Res");
    int ri = present(p, p->codec->doc_type, doc, &root);
    int bi = child(p, ri, root, "Body", &body);
    int mi = bi >= 0 ? present(p, p->codec->fields[bi].type, body, &msg) : ri;
    if (bi < 0)
        msg = root;
    int hi = child(p, ri, root, "Header", &header);
    if (hi < 0)
        hi = child(p, mi, msg, "Header", &header);
    int si = child(p, hi, header, "SessionID", &v);
    if (si >= 0 && p->codec->types[p->codec->fields[si].type].kind == EXI_K_BINARY) {
        uint16_t len;
        memcpy(&len, v, sizeof len);
        out->sid = v + sizeof len;
        out->sid_len = len;
    }
    int ci = child(p, mi, msg, "ResponseCode", &v);
    if (ci >= 0 && p->codec->types[p->codec->fields[ci].type].kind == EXI_K_ENUM) {
        const struct exi_field *f = &p->codec->fields[ci];
        uint64_t code = exi_load_uint(v, p->codec->types[f->type].size);
        if (code < p->codec->types[f->type].aux)
            out->code = p->meta->literals[p->meta->literal_first[f->type] + code];
    }
}
