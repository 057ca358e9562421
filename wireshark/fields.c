/* Fields made at start-up by walking the codec tables (one table walk instead of generated C per field): every
 * element path of every message of every codec is a filterable field v2g.<codec>.<Message>.<Element>..., the
 * Header once per codec (v2g.din.Header.SessionID); scaled numbers are doubles, enumerations carry their literals. */
#include <string.h>

#include <epan/proto.h>

#include "exi_scaled.h"
#include "v2g.h"

static v2g_codec codecs[16];
static size_t ncodecs;
static GArray *hfs;  /* hf_register_info, registered at once (Wireshark keeps pointers into the array) */
static GArray *etts; /* gint * */

const v2g_codec *v2g_codec_of(const struct exi_proto *p)
{
    for (size_t i = 0; i < ncodecs; i++)
        if (codecs[i].p == p)
            return &codecs[i];
    return NULL;
}

static void add_hf(int *id, const char *name, const char *abbrev, enum ftenum ft, int display, const void *strings)
{
    hf_register_info h = {id, {name, abbrev, ft, display, strings, 0, NULL, HFILL}};
    g_array_append_val(hfs, h);
}

/* The enumeration's literals as a value_string (index = EXI code = C value). */
static const value_string *literals(const struct exi_proto *p, uint16_t ti)
{
    const struct exi_type *t = &p->codec->types[ti];
    value_string *vs = g_new0(value_string, t->aux + 1u);
    for (unsigned i = 0; i < t->aux; i++)
        vs[i] = (value_string){i, p->meta->literals[p->meta->literal_first[ti] + i]};
    return vs;
}

/* Field type and display of a simple value, as tree.c adds it. */
static void simple_type(const struct exi_proto *p, uint16_t ti, v2g_node *n, int *display, const void **strings)
{
    const struct exi_type *t = &p->codec->types[ti];
    int wide = t->size > 4;
    *display = BASE_DEC;
    *strings = NULL;
    switch (t->kind) {
    case EXI_K_BOOL: n->ft = FT_BOOLEAN; *display = BASE_NONE; break;
    case EXI_K_ENUM: n->ft = FT_UINT32; *strings = VALS(literals(p, ti)); break;
    case EXI_K_NBIT: n->ft = t->is_signed ? FT_INT32 : FT_UINT32; break;
    case EXI_K_UINT: n->ft = wide ? FT_UINT64 : FT_UINT32; break;
    case EXI_K_INT: n->ft = wide ? FT_INT64 : FT_INT32; break;
    case EXI_K_BINARY: n->ft = FT_BYTES; *display = BASE_NONE; break;
    default: n->ft = FT_STRING; *display = BASE_NONE; break; /* strings, unbounded integers (as decimals) */
    }
}

/* The node of element fi under prefix: its field, and its children's nodes. V2G_Message and Body (DIN, ISO-2) are
 * shown as their children; a message's Header gets one node per codec. */
static v2g_node *build(v2g_codec *c, const char *prefix, unsigned fi, int depth, v2g_node **header)
{
    const struct exi_proto *p = c->p;
    const struct exi_field *f = &p->codec->fields[fi];
    const struct exi_type *t = &p->codec->types[f->type];
    const char *name = p->meta->field_names[fi];
    int is_header = depth == 1 && !strcmp(name, "Header") && t->kind == EXI_K_COMPLEX;
    if (is_header && *header)
        return *header;
    v2g_node *n = g_new0(v2g_node, 1);
    n->hf = -1;
    n->field = (uint16_t)fi;
    int hidden = (depth == 0 && !strcmp(name, "V2G_Message")) || (depth == 1 && !strcmp(name, "Body"));
    const char *abbrev = hidden ? prefix : g_strdup_printf("%s.%s", is_header ? c->filter : prefix, name);
    if (t->kind != EXI_K_COMPLEX) {
        int display;
        const void *strings;
        simple_type(p, f->type, n, &display, &strings);
        add_hf(&n->hf, name, abbrev, (enum ftenum)n->ft, display, strings);
        return n;
    }
    if (!hidden) {
        struct exi_scaled s;
        n->scaled = (uint8_t)exi_scaled_type(p, f->type, &s);
        n->ft = n->scaled ? FT_DOUBLE : FT_NONE;
        add_hf(&n->hf, name, abbrev, (enum ftenum)n->ft, BASE_NONE, NULL);
    }
    if (is_header)
        *header = n;
    n->kids = g_new0(v2g_node *, t->nfields ? t->nfields : 1);
    for (unsigned i = 0; i < t->nfields && depth < EXI_MAX_DEPTH; i++)
        n->kids[i] = build(c, abbrev, t->first + i, depth + 1, header);
    return n;
}

/* "iso20-common" -> v2g.iso20, "iso20-dc" -> v2g.iso20_dc */
static const char *filter_of(const char *name)
{
    char *f = g_strdup_printf("v2g.%s", name);
    char *common = strstr(f, "-common");
    if (common)
        *common = 0;
    for (char *s = f; *s; s++)
        if (*s == '-')
            *s = '_';
    return f;
}

void v2g_fields_register(void)
{
    hfs = g_array_new(FALSE, TRUE, sizeof(hf_register_info));
    etts = g_array_new(FALSE, TRUE, sizeof(gint *));
    for (size_t i = 0; i < exi_nprotos && ncodecs < G_N_ELEMENTS(codecs); i++) {
        v2g_codec *c = &codecs[ncodecs++];
        const struct exi_codec *ec = exi_protos[i].codec;
        c->p = &exi_protos[i];
        c->filter = filter_of(c->p->name);
        c->hf = -1;
        add_hf(&c->hf, c->p->meta->title, c->filter, FT_NONE, BASE_NONE, NULL);
        c->ett = g_new(gint, ec->ntypes);
        for (unsigned ti = 0; ti < ec->ntypes; ti++) {
            c->ett[ti] = -1;
            gint *e = &c->ett[ti];
            g_array_append_val(etts, e);
        }
        const struct exi_type *dt = &ec->types[ec->doc_type];
        v2g_node *header = NULL;
        c->root = g_new0(v2g_node, 1);
        c->root->hf = -1;
        c->root->kids = g_new0(v2g_node *, dt->nfields);
        for (unsigned k = 0; k < dt->nfields; k++)
            c->root->kids[k] = build(c, c->filter, dt->first + k, 0, &header);
    }
    guint nhf = hfs->len, nett = etts->len;
    v2g_register((hf_register_info *)(void *)g_array_free(hfs, FALSE), (int)nhf,
                 (gint **)(void *)g_array_free(etts, FALSE), (int)nett, NULL, 0);
}
