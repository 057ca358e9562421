/* XML (as written by exi_text_xml, or by hand) back into the generated structs, using libxml2.
 * Elements and attributes are matched by local name and namespace; order among siblings follows the schema. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/tools/exi_text.h"
#include "exi_values_text.h"
#include "exi_walk.h"

struct reader {
    const struct exi_proto *p;
    char *msg;
    size_t msgcap;
};

static int fail(struct reader *r, int code, const xmlNode *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(r->msg, r->msgcap, "line %d: ", node ? node->line : 0);
    if (n >= 0 && (size_t)n < r->msgcap)
        vsnprintf(r->msg + n, r->msgcap - (size_t)n, fmt, ap);
    va_end(ap);
    return code;
}

static const char *ns_of(const xmlNode *n)
{
    return n->ns && n->ns->href ? (const char *)n->ns->href : "";
}

/* The exact value exi_text_xml wrote beside a string's text, if any: the content of the <?ccsplc-string [attr]
 * HEX?> child of node (attr NULL: the element's own value), pointing at HEX. */
static const char *exact_hex(const xmlNode *node, const char *attr)
{
    size_t alen = attr ? strlen(attr) : 0;
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (c->type != XML_PI_NODE || strcmp((const char *)c->name, EXI_TEXT_XML_PI) || !c->content)
            continue;
        const char *s = (const char *)c->content, *sp = strchr(s, ' ');
        if (!attr && !sp)
            return s;
        if (attr && sp && (size_t)(sp - s) == alen && !strncmp(s, attr, alen))
            return sp + 1;
    }
    return NULL;
}

static int nibble(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The value of field ti (named name, an attribute when attr) of node from its text, or from its exact form. */
static int set_simple(struct reader *r, uint16_t ti, const xmlNode *node, const xmlChar *text, uint8_t *dst,
                      const char *name, int attr)
{
    const char *hex = exact_hex(node, attr ? name : NULL);
    int rc;
    if (hex) {
        const struct exi_type *t = &r->p->codec->types[ti];
        size_t n = strlen(hex) / 2;
        uint8_t *bytes = malloc(n + 1);
        rc = t->kind != EXI_K_STRING ? CCS_EPROTO : bytes ? 0 : CCS_ENOSPC;
        for (size_t i = 0; i < n && !rc; i++) {
            int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
            bytes[i] = (uint8_t)(hi << 4 | lo);
            rc = hi < 0 || lo < 0 ? CCS_ESYNTAX : 0;
        }
        if (!rc && hex[2 * n])
            rc = CCS_ESYNTAX;
        if (!rc)
            rc = exi_text_parse_string(t, bytes, n, dst);
        free(bytes);
        if (rc)
            return fail(r, rc, node, "bad <?%s?> for %s: %s", EXI_TEXT_XML_PI, name, ccs_strerror(rc));
        return 0;
    }
    rc = exi_text_parse_value(r->p, ti, text ? (const char *)text : "", dst);
    if (rc)
        return fail(r, rc, node, "bad value '%s' for %s: %s", text ? (const char *)text : "", name, ccs_strerror(rc));
    return 0;
}

/* Mark field fi present in the struct at base and return where its (next) value goes, or NULL. */
static uint8_t *claim(struct reader *r, unsigned fi, uint8_t *base, const xmlNode *node)
{
    const char *why;
    int rc;
    uint8_t *dst = exi_walk_claim(r->p, fi, base, &rc, &why);
    if (!dst)
        fail(r, rc, node, "<%s> %s", r->p->meta->field_names[fi], why);
    return dst;
}

static int read_complex(struct reader *r, uint16_t ti, uint8_t *base, const xmlNode *node);

static int read_element(struct reader *r, unsigned fi, uint8_t *base, const xmlNode *node)
{
    uint8_t *dst = claim(r, fi, base, node);
    if (!dst)
        return CCS_EINVAL;
    uint16_t ti = r->p->codec->fields[fi].type;
    if (r->p->codec->types[ti].kind == EXI_K_COMPLEX)
        return read_complex(r, ti, dst, node);
    xmlChar *text = xmlNodeGetContent(node);
    int rc = set_simple(r, ti, node, text, dst, r->p->meta->field_names[fi], 0);
    xmlFree(text);
    return rc;
}

static int read_complex(struct reader *r, uint16_t ti, uint8_t *base, const xmlNode *node)
{
    const struct exi_proto *p = r->p;
    int rc;
    for (const xmlAttr *a = node->properties; a; a = a->next) {
        const char *uri = a->ns && a->ns->href ? (const char *)a->ns->href : "";
        int fi = exi_walk_find_field(p, ti, (const char *)a->name, uri, EXI_R_ATTR);
        if (fi < 0)
            return fail(r, CCS_EPROTO, node, "unexpected attribute %s on <%s>", a->name, node->name);
        xmlChar *v = xmlNodeListGetString(node->doc, a->children, 1);
        uint8_t *dst = claim(r, (unsigned)fi, base, node);
        rc = dst ? set_simple(r, p->codec->fields[fi].type, node, v, dst, (const char *)a->name, 1) : CCS_EINVAL;
        xmlFree(v);
        if (rc)
            return rc;
    }
    int content = exi_walk_find_field(p, ti, "CONTENT", NULL, EXI_R_CONTENT);
    if (content >= 0) {
        xmlChar *text = xmlNodeGetContent(node);
        rc = set_simple(r, p->codec->fields[content].type, node, text, base + p->codec->fields[content].offset,
                        (const char *)node->name, 0);
        xmlFree(text);
        return rc;
    }
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_COMMENT_NODE ||
            (c->type == XML_PI_NODE && !strcmp((const char *)c->name, EXI_TEXT_XML_PI)))
            continue;
        if (c->type != XML_ELEMENT_NODE)
            return fail(r, CCS_EUNSUPP, c, "unsupported XML node in <%s>", node->name);
        int fi = exi_walk_find_field(p, ti, (const char *)c->name, ns_of(c), EXI_R_ELEM);
        if (fi < 0)
            return fail(r, CCS_EPROTO, c, "unexpected element <%s> (namespace '%s') in <%s>", c->name, ns_of(c),
                        node->name);
        if ((rc = read_element(r, (unsigned)fi, base, c)))
            return rc;
    }
    return 0;
}

int exi_text_from_xml(const struct exi_proto *p, const char *xml, size_t len, void *doc, char *msg, size_t msgcap)
{
    struct reader r = {p, msg, msgcap};
    if (msgcap)
        msg[0] = 0;
    memset(doc, 0, p->doc_size);
    xmlDoc *x = xmlReadMemory(xml, (int)len, "input.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                               XML_PARSE_NOWARNING);
    if (!x) {
        const xmlError *e = xmlGetLastError();
        return fail(&r, CCS_ESYNTAX, NULL, "not well-formed XML: %s", e && e->message ? e->message : "?");
    }
    const xmlNode *root = xmlDocGetRootElement(x);
    int rc;
    int fi = root ? exi_walk_find_field(p, p->codec->doc_type, (const char *)root->name, ns_of(root), EXI_R_ELEM)
                  : -1;
    if (fi < 0)
        rc = fail(&r, CCS_EPROTO, root, "<%s> is not a message of %s", root ? (const char *)root->name : "?",
                  p->meta->title);
    else
        rc = read_element(&r, (unsigned)fi, doc, root);
    xmlFreeDoc(x);
    return rc;
}
