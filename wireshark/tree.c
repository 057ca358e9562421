/* A decoded document as tree items: one per present element instance (arrays item by item), under the fields
 * fields.c made. The codec does not report where each value sits, so every item spans the EXI bytes. */
#include <string.h>

#include <epan/proto.h>

#include "exi/values.h"
#include "exi_scaled.h"
#include "exi_values_text.h"
#include "exi_walk.h"
#include "v2g.h"

typedef struct {
    const v2g_codec *c;
    tvbuff_t *tvb;
    int off, len;
} ctx;

static void add_kids(const ctx *x, const v2g_node *n, uint16_t ti, const uint8_t *base, proto_tree *tree);

/* Bytes and strings: length (uint16) then the data. */
static uint16_t stored_len(const uint8_t *item)
{
    uint16_t len;
    memcpy(&len, item, sizeof len);
    return len;
}

static void add_value(const ctx *x, const v2g_node *n, const struct exi_type *t, uint16_t ti, const uint8_t *item,
                      proto_tree *tree)
{
    const struct exi_proto *p = x->c->p;
    int sgn = t->kind != EXI_K_NBIT || t->is_signed;
    switch (n->ft) {
    case FT_BOOLEAN: proto_tree_add_boolean(tree, n->hf, x->tvb, x->off, x->len, *item); return;
    case FT_UINT32: proto_tree_add_uint(tree, n->hf, x->tvb, x->off, x->len, (guint32)exi_load_uint(item, t->size)); return;
    case FT_INT32: proto_tree_add_int(tree, n->hf, x->tvb, x->off, x->len, (gint32)exi_load_int(item, t->size, sgn)); return;
    case FT_UINT64: proto_tree_add_uint64(tree, n->hf, x->tvb, x->off, x->len, exi_load_uint(item, t->size)); return;
    case FT_INT64: proto_tree_add_int64(tree, n->hf, x->tvb, x->off, x->len, exi_load_int(item, t->size, 1)); return;
    case FT_BYTES: {
        proto_item *pi = proto_tree_add_bytes_with_length(tree, n->hf, x->tvb, x->off, x->len, item + 2,
                                                          stored_len(item));
        if (!stored_len(item)) /* present but empty (Wireshark would say <MISSING>) */
            proto_item_set_text(pi, "%s: (empty)", p->meta->field_names[n->field]);
        return;
    }
    default: break;
    }
    const char *s;
    if (t->kind == EXI_K_STRING && g_utf8_validate((const char *)item + 2, stored_len(item), NULL)) {
        s = wmem_strndup(wmem_packet_scope(), (const char *)item + 2, stored_len(item));
    } else { /* an unbounded integer as a decimal, or a string that is no UTF-8 with %XX escapes */
        char *buf = wmem_alloc(wmem_packet_scope(), 4096);
        exi_text_format_value(p, ti, item, EXI_TEXT_KV, buf, 4096);
        s = buf;
    }
    proto_tree_add_string(tree, n->hf, x->tvb, x->off, x->len, s);
}

/* Value x 10^exp as a double, rounded once. */
static double scaled_double(int64_t v, int exp)
{
    double p10 = 1;
    for (int i = 0; i < (exp < 0 ? -exp : exp); i++)
        p10 *= 10;
    return exp < 0 ? (double)v / p10 : (double)v * p10;
}

static proto_item *add_scaled(const ctx *x, const v2g_node *n, uint16_t ti, const uint8_t *item, proto_tree *tree)
{
    const struct exi_proto *p = x->c->p;
    struct exi_scaled s;
    int64_t v;
    int exp;
    char exact[96], unit[32] = "";
    exi_scaled_type(p, ti, &s);
    exi_scaled_get(p, &s, item, &v, &exp);
    exi_text_scaled(v, exp, exact, sizeof exact);
    const struct exi_field *uf = s.unit >= 0 ? &p->codec->fields[s.unit] : NULL;
    if (uf && exi_walk_count(uf, item))
        exi_text_format_value(p, uf->type, item + uf->offset, EXI_TEXT_KV, unit, sizeof unit);
    return proto_tree_add_double_format_value(tree, n->hf, x->tvb, x->off, x->len, scaled_double(v, exp), "%s%s%s",
                                              exact, unit[0] ? " " : "", unit);
}

static void add_node(const ctx *x, const v2g_node *n, const uint8_t *item, proto_tree *tree, int index)
{
    const struct exi_field *f = &x->c->p->codec->fields[n->field];
    const struct exi_type *t = &x->c->p->codec->types[f->type];
    if (n->hf < 0) {
        add_kids(x, n, f->type, item, tree);
        return;
    }
    if (t->kind != EXI_K_COMPLEX) {
        add_value(x, n, t, f->type, item, tree);
        return;
    }
    proto_item *pi = n->scaled ? add_scaled(x, n, f->type, item, tree)
                               : proto_tree_add_item(tree, n->hf, x->tvb, x->off, x->len, ENC_NA);
    if (index >= 0)
        proto_item_append_text(pi, " [%d]", index);
    add_kids(x, n, f->type, item, proto_item_add_subtree(pi, x->c->ett[f->type]));
}

static void add_kids(const ctx *x, const v2g_node *n, uint16_t ti, const uint8_t *base, proto_tree *tree)
{
    const struct exi_proto *p = x->c->p;
    const struct exi_type *t = &p->codec->types[ti];
    for (unsigned i = 0; i < t->nfields; i++) {
        const struct exi_field *f = &p->codec->fields[t->first + i];
        unsigned count = exi_walk_count(f, base);
        for (unsigned k = 0; k < count; k++)
            add_node(x, n->kids[i], exi_walk_item(p, f, base, k), tree,
                     EXI_OP_PRESENCE(f->op) == EXI_P_ARRAY ? (int)k : -1);
    }
}

proto_item *v2g_tree_add(const v2g_codec *c, const void *doc, proto_tree *tree, tvbuff_t *tvb, int off, int len)
{
    ctx x = {c, tvb, off, len};
    proto_item *pi = proto_tree_add_item(tree, c->hf, tvb, off, len, ENC_NA);
    proto_item_append_text(pi, ": %s", exi_text_message_name(c->p, doc));
    add_kids(&x, c->root, c->p->codec->doc_type, doc, proto_item_add_subtree(pi, c->ett[c->p->codec->doc_type]));
    return pi;
}
