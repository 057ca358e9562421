/* key=value text (as exi_text_kv writes it, after schema=P and message=NAME) back into the generated structs:
 * keys are resolved on the codec's metadata with the same walk helpers as the writer and the XML reader. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/tools/exi_text.h"
#include "exi_scaled.h"
#include "exi_values_text.h"
#include "exi_walk.h"

struct kvr {
    const struct exi_proto *p;
    char *msg;
    size_t msgcap;
    unsigned pair;      /* number of the pair being read (1-based), for messages */
    const char *key;    /* its key, for messages */
    int rc;             /* the code of the last failure */
    uint16_t root_type; /* the root element's type and struct */
    uint8_t *root;
    int header;            /* field index of the root's Header, or -1 */
    uint16_t body_type;    /* the body element (DIN, ISO-2), when body is not NULL */
    uint8_t *body;
    const char *message; /* its name (or the root's): the prefix of a body key that clashes with a header key */
    struct {             /* a scaled number (Value x 10^exp) waiting for its Multiplier/Exponent pair */
        uint8_t *base;
        struct exi_scaled sc;
        int64_t m, e;
    } pend;
};

static int fail(struct kvr *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r->rc = code;
    int n = r->key ? snprintf(r->msg, r->msgcap, "pair %u (%s): ", r->pair, r->key) : 0;
    if (n >= 0 && (size_t)n < r->msgcap)
        vsnprintf(r->msg + n, r->msgcap - (size_t)n, fmt, ap);
    va_end(ap);
    return code;
}

/* The field of complex type ti named name, in any role (element, attribute, content), or -1. */
static int find_any(const struct exi_proto *p, uint16_t ti, const char *name)
{
    static const int roles[] = {EXI_R_ELEM, EXI_R_ATTR, EXI_R_CONTENT};
    int fi = -1;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0] && fi < 0; i++)
        fi = exi_walk_find_field(p, ti, name, NULL, roles[i]);
    return fi;
}

/* Instance idx (-1: not an array) of field fi in the struct at base: the one already there (unless it is the
 * key's last step: a value given twice), or a new one claimed in order. NULL with the message set. */
static uint8_t *step(struct kvr *r, unsigned fi, uint8_t *base, int idx, int leaf)
{
    const struct exi_proto *p = r->p;
    const struct exi_field *f = &p->codec->fields[fi];
    const char *name = p->meta->field_names[fi];
    unsigned n = exi_walk_count(f, base);
    if ((EXI_OP_PRESENCE(f->op) == EXI_P_ARRAY) != (idx >= 0)) {
        fail(r, CCS_ESYNTAX, idx < 0 ? "%s is a list: it needs an index [i]" : "%s is not a list", name);
        return NULL;
    }
    if (EXI_OP_PRESENCE(f->op) == EXI_P_NONE)
        return base + f->offset;
    unsigned at = idx >= 0 ? (unsigned)idx : 0;
    if (at < n) {
        if (leaf) {
            fail(r, CCS_ECAP, "%s given twice", name);
            return NULL;
        }
        return (uint8_t *)exi_walk_item(p, f, base, at);
    }
    if (idx > 0 && (unsigned)idx != n) {
        fail(r, CCS_ESYNTAX, "%s[%d] out of order: %s[%u] comes next", name, idx, name, n);
        return NULL;
    }
    const char *why;
    int rc;
    uint8_t *dst = exi_walk_claim(p, fi, base, &rc, &why);
    if (!dst)
        fail(r, rc, "%s %s", name, why);
    return dst;
}

/* A decimal as exi_text_scaled writes it ("-412.8", "0.005", "37810", "-32768e-300") into m x 10^e, without
 * trailing zeros in m. */
static int parse_decimal(const char *s, int64_t *m, int64_t *e)
{
    int neg = *s == '-', digits = 0, point = 0;
    uint64_t mag = 0;
    int64_t exp = 0, zeros = 0; /* zeros: digits 0 not yet multiplied in (a long run of them is an exponent:
                                 * a RationalNumber of 218 x 10^125 prints 218 and 125 zeros) */
    s += neg || *s == '+';
    for (; isdigit((unsigned char)*s) || (*s == '.' && !point); s++) {
        if (*s == '.') {
            point = 1;
            continue;
        }
        exp -= point;
        digits++;
        if (*s == '0') {
            zeros++;
            continue;
        }
        for (; zeros >= 0; zeros--) { /* the pending zeros, then this digit */
            if (mag > (UINT64_MAX - 9) / 10)
                return CCS_ERANGE;
            mag = mag * 10 + (zeros ? 0 : (uint64_t)(*s - '0'));
        }
        zeros = 0;
    }
    exp += zeros;
    if (!digits)
        return CCS_ESYNTAX;
    if (*s == 'e' || *s == 'E') {
        char *end;
        errno = 0;
        long long x = strtoll(s + 1, &end, 10);
        if (end == s + 1 || errno || x < -100000 || x > 100000)
            return CCS_ESYNTAX;
        exp += x;
        s = end;
    }
    if (*s)
        return CCS_ESYNTAX;
    while (mag && mag % 10 == 0) {
        mag /= 10;
        exp++;
    }
    if (mag > (uint64_t)INT64_MAX)
        return CCS_ERANGE;
    *m = neg ? -(int64_t)mag : (int64_t)mag;
    *e = exp;
    return 0;
}

/* The integer v into the simple field fi of base, range-checked by the value parser. */
static int store_int(struct kvr *r, unsigned fi, uint8_t *base, int64_t v)
{
    char num[EXI_TEXT_INT_CAP];
    exi_text_int(v, num);
    const struct exi_field *f = &r->p->codec->fields[fi];
    int rc = exi_text_parse_value(r->p, f->type, num, base + f->offset);
    return rc ? fail(r, rc, "%s %s out of range", r->p->meta->field_names[fi], num) : 0;
}

/* The waiting scaled number with exponent exp: Value = m x 10^(e - exp), exactly, within the Value's range. */
static int settle(struct kvr *r, int64_t exp)
{
    int64_t v = r->pend.m, e = r->pend.e;
    uint8_t *base = r->pend.base;
    r->pend.base = NULL;
    for (; e > exp && v; e--) {
        if (v > INT64_MAX / 10 || v < INT64_MIN / 10)
            return fail(r, CCS_ERANGE, "the value does not fit with exponent %lld", (long long)exp);
        v *= 10;
    }
    if (v && e < exp)
        return fail(r, CCS_ERANGE, "the value is not a multiple of 10^%lld", (long long)exp);
    int rc = store_int(r, (unsigned)r->pend.sc.value, base, v);
    return rc ? rc : store_int(r, (unsigned)r->pend.sc.exp, base, exp);
}

/* v with its %XX escapes undone (strings and enumeration literals: the corpus's rule), into a new buffer of *n
 * bytes plus a NUL; NULL after reporting a bad escape or no memory. */
static uint8_t *kv_unescape(struct kvr *r, const char *v, size_t *n)
{
    size_t len = strlen(v);
    uint8_t *b = malloc(len + 1);
    if (!b) {
        fail(r, CCS_ENOSPC, "out of memory");
        return NULL;
    }
    *n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned x;
        if (v[i] != '%')
            b[(*n)++] = (uint8_t)v[i];
        else if (i + 2 < len && isxdigit((unsigned char)v[i + 1]) && isxdigit((unsigned char)v[i + 2]) &&
                 sscanf(v + i + 1, "%2x", &x) == 1) {
            b[(*n)++] = (uint8_t)x;
            i += 2;
        } else {
            free(b);
            fail(r, CCS_ESYNTAX, "bad %%XX escape in '%s'", v);
            return NULL;
        }
    }
    b[*n] = 0;
    return b;
}

/* A string or an enumeration literal, its escapes undone, stored. */
static int parse_kv_text(struct kvr *r, uint16_t ti, const char *v, uint8_t *dst)
{
    const struct exi_type *t = &r->p->codec->types[ti];
    size_t n;
    uint8_t *b = kv_unescape(r, v, &n);
    if (!b)
        return r->rc;
    int rc;
    if (t->kind == EXI_K_STRING)
        rc = exi_text_parse_string(t, b, n, dst);
    else /* a NUL inside would cut the literal short: no literal holds one */
        rc = memchr(b, 0, n) ? CCS_ERANGE : exi_text_parse_value_style(r->p, ti, (const char *)b, EXI_TEXT_KV, dst);
    free(b);
    return rc ? fail(r, rc, "bad %s '%s': %s", t->kind == EXI_K_STRING ? "string" : "value", v, ccs_strerror(rc)) : 0;
}

/* The value of the key's last field fi, instance at item (parent: the struct holding it). */
static int set_leaf(struct kvr *r, unsigned fi, uint8_t *item, const char *v)
{
    const struct exi_proto *p = r->p;
    uint16_t ti = p->codec->fields[fi].type;
    const struct exi_type *t = &p->codec->types[ti];
    struct exi_scaled sc;
    int rc;
    if (t->kind == EXI_K_COMPLEX && exi_scaled_type(p, ti, &sc)) {
        if ((rc = parse_decimal(v, &r->pend.m, &r->pend.e)))
            return fail(r, rc, "bad number '%s'", v);
        r->pend.base = item;
        r->pend.sc = sc;
        return 0;
    }
    if (t->kind == EXI_K_COMPLEX)
        return *v ? fail(r, CCS_ESYNTAX, "%s has members: its own value must be empty", p->meta->field_names[fi])
                  : 0;
    if (t->kind == EXI_K_STRING || t->kind == EXI_K_ENUM)
        return parse_kv_text(r, ti, v, item);
    rc = exi_text_parse_value_style(p, ti, v, EXI_TEXT_KV, item);
    return rc ? fail(r, rc, "bad value '%s': %s", v, ccs_strerror(rc)) : 0;
}

/* One segment of a key: "Name" or "Name[i]" (cut at the next '.'); 0 or CCS_ESYNTAX. */
static int segment(char *seg, int *idx)
{
    char *br = strchr(seg, '[');
    *idx = -1;
    if (!br)
        return *seg ? 0 : CCS_ESYNTAX;
    char *end;
    errno = 0;
    long i = strtol(br + 1, &end, 10);
    if (br == seg || !isdigit((unsigned char)br[1]) || errno || i > 65535 || strcmp(end, "]"))
        return CCS_ESYNTAX;
    *br = 0;
    *idx = (int)i;
    return 0;
}

/* The struct a key's first segment belongs to: the root's own fields, then the Header's (unless the key carries
 * the message prefix), then the body element's. *fi is set. */
static uint8_t *first_container(struct kvr *r, const char *name, int no_header, uint16_t *ti, int *fi)
{
    const struct exi_proto *p = r->p;
    *fi = find_any(p, r->root_type, name);
    if (*fi >= 0 && (int)*fi != r->header && strcmp(name, "Body")) {
        *ti = r->root_type;
        return r->root;
    }
    if (r->header >= 0 && !no_header) {
        uint16_t ht = p->codec->fields[r->header].type;
        if ((*fi = find_any(p, ht, name)) >= 0) {
            *ti = ht;
            return step(r, (unsigned)r->header, r->root, -1, 0);
        }
    }
    if (r->body && (*fi = find_any(p, r->body_type, name)) >= 0) {
        *ti = r->body_type;
        return r->body;
    }
    *fi = -1;
    return NULL;
}

static int read_pair(struct kvr *r, char *key, const char *v)
{
    const struct exi_proto *p = r->p;
    int no_header = 0;
    size_t ml = strlen(r->message);
    if (!strncmp(key, r->message, ml) && key[ml] == '.' && find_any(p, r->root_type, r->message) < 0) {
        key += ml + 1;
        no_header = 1;
    }
    uint16_t ti = 0;
    uint8_t *base = NULL;
    for (char *seg = key, *next; seg; seg = next) {
        next = strchr(seg, '.');
        if (next)
            *next++ = 0;
        int idx, fi;
        if (segment(seg, &idx))
            return fail(r, CCS_ESYNTAX, "bad key segment '%s'", seg);
        if (!base) {
            base = first_container(r, seg, no_header, &ti, &fi);
            if (fi < 0)
                return fail(r, CCS_EPROTO, "unknown key: no %s in %s", seg, r->message);
            if (!base)
                return r->rc;
        } else if ((fi = find_any(p, ti, seg)) < 0) {
            return fail(r, CCS_EPROTO, "unknown key: no member %s there", seg);
        }
        const struct exi_field *f = &p->codec->fields[fi];
        struct exi_scaled sc;
        if (!next && r->pend.base == base && exi_scaled_type(p, ti, &sc) && fi == sc.exp) {
            int64_t value;
            int e, rc = exi_text_parse_value(p, f->type, v, base + f->offset);
            if (rc)
                return fail(r, rc, "bad exponent '%s': %s", v, ccs_strerror(rc));
            exi_scaled_get(p, &sc, base, &value, &e);
            return settle(r, e);
        }
        if (!next && r->pend.base) {
            int rc = settle(r, r->pend.e);
            if (rc)
                return rc;
        }
        uint8_t *item = step(r, (unsigned)fi, base, idx, !next);
        if (!item)
            return r->rc;
        if (!next)
            return set_leaf(r, (unsigned)fi, item, v);
        if (p->codec->types[f->type].kind != EXI_K_COMPLEX)
            return fail(r, CCS_EPROTO, "unknown key: %s has no members", seg);
        ti = f->type;
        base = item;
    }
    return 0;
}

/* The root element named by message=NAME: a V2G_Message whose Body has NAME (DIN, ISO-2), or NAME itself. */
static int claim_root(struct kvr *r, uint8_t *doc)
{
    const struct exi_proto *p = r->p;
    const struct exi_type *dt = &p->codec->types[p->codec->doc_type];
    int root = -1, be = -1;
    for (unsigned i = 0; i < dt->nfields && be < 0; i++) {
        uint16_t ti = p->codec->fields[dt->first + i].type;
        int bf = p->codec->types[ti].kind == EXI_K_COMPLEX ? exi_walk_find_field(p, ti, "Body", NULL, EXI_R_ELEM) : -1;
        if (bf >= 0 && (be = exi_walk_find_field(p, p->codec->fields[bf].type, r->message, NULL, EXI_R_ELEM)) >= 0)
            root = (int)(dt->first + i);
    }
    if (root < 0 && (root = exi_walk_find_field(p, p->codec->doc_type, r->message, NULL, EXI_R_ELEM)) < 0)
        return fail(r, CCS_EPROTO, "message=%s is not a message of %s", r->message, p->meta->title);
    r->root_type = p->codec->fields[root].type;
    r->root = step(r, (unsigned)root, doc, -1, 0);
    int h = exi_walk_find_field(p, r->root_type, "Header", NULL, EXI_R_ELEM);
    r->header = h >= 0 && p->codec->types[p->codec->fields[h].type].kind == EXI_K_COMPLEX ? h : -1;
    if (be >= 0) {
        int bf = exi_walk_find_field(p, r->root_type, "Body", NULL, EXI_R_ELEM);
        uint8_t *body = step(r, (unsigned)bf, r->root, -1, 0);
        r->body = body ? step(r, (unsigned)be, body, -1, 0) : NULL;
        r->body_type = p->codec->fields[be].type;
        if (!r->body)
            return r->rc;
    }
    return r->root ? 0 : r->rc;
}

/* The value of the pair "name=..." at tok, or NULL. */
static const char *pair_value(const char *tok, const char *name)
{
    size_t n = strlen(name);
    return tok && !strncmp(tok, name, n) && tok[n] == '=' ? tok + n + 1 : NULL;
}

static const char *const KV_SPACE = " \t\r\n";

const struct exi_proto *exi_text_kv_schema(const char *text, size_t len)
{
    while (len && isspace((unsigned char)*text))
        text++, len--;
    size_t n = 0;
    while (n < len && text[n] && !strchr(KV_SPACE, text[n]))
        n++;
    char name[64];
    if (n < 8 || n - 7 >= sizeof name || strncmp(text, "schema=", 7))
        return NULL;
    memcpy(name, text + 7, n - 7);
    name[n - 7] = 0;
    return exi_proto_find(name);
}

int exi_text_from_kv(const struct exi_proto *p, const char *text, size_t len, void *doc, char *msg, size_t msgcap)
{
    struct kvr r = {.p = p, .msg = msg, .msgcap = msgcap, .header = -1};
    if (msgcap)
        msg[0] = 0;
    memset(doc, 0, p->doc_size);
    char *buf = malloc(len + 1), *save = NULL;
    if (!buf)
        return fail(&r, CCS_ENOSPC, "out of memory");
    memcpy(buf, text, len);
    buf[len] = 0;
    int rc = 0;
    if (memchr(buf, 0, len))
        rc = fail(&r, CCS_ESYNTAX, "a NUL byte in the text");
    char *tok = rc ? NULL : strtok_r(buf, KV_SPACE, &save);
    const char *schema = pair_value(tok, "schema");
    if (!rc && (!schema || strcmp(schema, p->name)))
        rc = fail(&r, CCS_EPROTO, schema ? "schema=%s, not %s" : "the first pair must be schema=%s%s",
                  schema ? schema : p->name, schema ? p->name : "");
    tok = rc ? NULL : strtok_r(NULL, KV_SPACE, &save);
    if (!rc && !(r.message = pair_value(tok, "message")))
        rc = fail(&r, CCS_EPROTO, "the second pair must be message=NAME");
    if (!rc)
        rc = claim_root(&r, doc);
    for (r.pair = 3; !rc && (tok = strtok_r(NULL, KV_SPACE, &save)); r.pair++) {
        char *eq = strchr(tok, '=');
        r.key = tok;
        char key[512];
        if (!eq)
            rc = fail(&r, CCS_ESYNTAX, "not key=value");
        else if ((size_t)(eq - tok) >= sizeof key)
            rc = fail(&r, CCS_ELENGTH, "key too long");
        else {
            *eq = 0;
            memcpy(key, tok, (size_t)(eq - tok) + 1);
            rc = read_pair(&r, key, eq + 1);
        }
    }
    r.key = NULL;
    if (!rc && r.pend.base)
        rc = settle(&r, r.pend.e);
    free(buf);
    return rc;
}
