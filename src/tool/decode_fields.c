/* Fields of a decoded record (key=value lines split in place), lookups by name, measured values, and the
 * key values a timeline line shows. Host side. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode_int.h"

void *dec_grow(void *v, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return v;
    size_t ncap = *cap ? *cap * 2 : 64;
    void *nv = realloc(v, ncap * elem);
    if (nv)
        *cap = ncap;
    return nv;
}

/* n bytes appended to fb->ms (NUL-terminated); fb->failed when memory ran out. */
static void ms_append(dec_fieldbuf *fb, const char *data, size_t n)
{
    if (fb->failed)
        return;
    if (fb->mslen + n + 1 > fb->mscap) {
        size_t cap = fb->mscap ? fb->mscap : 1024;
        while (cap < fb->mslen + n + 1)
            cap *= 2;
        char *m = realloc(fb->ms, cap);
        if (!m) {
            fb->failed = 1;
            return;
        }
        fb->ms = m;
        fb->mscap = cap;
    }
    memcpy(fb->ms + fb->mslen, data, n);
    fb->mslen += n;
    fb->ms[fb->mslen] = 0;
}

void dec_fields_begin(dec_fieldbuf *fb)
{
    fb->mslen = 0;
    if (fb->ms)
        fb->ms[0] = 0;
    fb->n = 0;
    fb->failed = 0;
}

void dec_field_put(dec_fieldbuf *fb, const char *key, const char *value)
{
    size_t k = strlen(key), v = strlen(value);
    char line[256];
    if (k + v + 2 > sizeof line) {
        ms_append(fb, key, k);
        ms_append(fb, "=", 1);
        ms_append(fb, value, v);
        ms_append(fb, "\n", 1);
        return;
    }
    memcpy(line, key, k);
    line[k] = '=';
    memcpy(line + k + 1, value, v);
    line[k + 1 + v] = '\n';
    ms_append(fb, line, k + v + 2);
}

void dec_field_putu(dec_fieldbuf *fb, const char *key, unsigned value)
{
    char d[16];
    size_t n = sizeof d - 1;
    d[n] = 0;
    do {
        d[--n] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value);
    dec_field_put(fb, key, d + n);
}

/* Split text's "key=value\n" lines in place into r->fields. */
static void fields_split(dec_fieldbuf *fb, char *text, dec_record *r)
{
    fb->n = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = 0;
        dec_field *v = dec_grow(fb->v, &fb->cap, fb->n, sizeof *v);
        if (!v)
            break;
        fb->v = v;
        const char *dot = strrchr(line, '.');
        fb->v[fb->n++] = (dec_field){line, eq + 1, dot ? dot + 1 : line};
    }
    r->fields = fb->v;
    r->nfields = fb->n;
}

void dec_fields_end(dec_fieldbuf *fb, dec_record *r)
{
    r->fields = NULL;
    r->nfields = 0;
    if (!fb->failed && fb->ms)
        fields_split(fb, fb->ms, r);
}

/* The slot of leaf (n bytes, hash h) in x: where it is, or the empty one where it would go. */
static inline unsigned index_slot(const struct dec_field_index *x, const dec_field *v, const char *leaf, size_t n,
                           uint32_t h)
{
    unsigned i = h & (DEC_INDEX_SLOTS - 1);
    while (x->at[i]) {
        const dec_field *f = &v[x->at[i] - 1];
        if (x->hash[i] == h && (size_t)(f->value - 1 - f->leaf) == n && !memcmp(f->leaf, leaf, n))
            break;
        i = (i + 1) & (DEC_INDEX_SLOTS - 1);
    }
    return i;
}

/* The first field of each leaf; none for a record with too many fields. */
static const struct dec_field_index *index_build(struct dec_field_index *x, const dec_field *v, size_t n)
{
    if (n > DEC_INDEX_SLOTS / 2)
        return NULL;
    memset(x->at, 0, sizeof x->at);
    memset(x->bloom, 0, sizeof x->bloom);
    for (size_t k = 0; k < n; k++) {
        size_t len = (size_t)(v[k].value - 1 - v[k].leaf);
        uint32_t h = dec_leaf_hash(v[k].leaf, len);
        x->bloom[h >> 30] |= (uint64_t)1 << (h >> 24 & 63);
        unsigned i = index_slot(x, v, v[k].leaf, len, h);
        if (!x->at[i]) {
            x->hash[i] = h;
            x->at[i] = (uint16_t)(k + 1);
        }
    }
    return x;
}

/* *p (*cap elements of elem bytes) grown to at least want elements, doubling: 0, or -1 when out of memory. */
static int reserve(void **p, size_t *cap, size_t want, size_t elem)
{
    if (want <= *cap)
        return 0;
    size_t ncap = want > 2 * *cap ? want : 2 * *cap;
    void *q = realloc(*p, ncap * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = ncap;
    return 0;
}

/* Room for a walk that needs n bytes (SIZE_MAX: not tried yet) and np pairs. */
static int fields_room(dec_fieldbuf *fb, size_t n, size_t np)
{
    void *buf = fb->buf, *pairs = fb->pairs, *v = fb->v;
    int rc = reserve(&buf, &fb->bufcap, n == SIZE_MAX ? 8192 : n + 1, 1) ||
             reserve(&pairs, &fb->pcap, np, sizeof *fb->pairs) || reserve(&v, &fb->cap, np, sizeof *fb->v);
    fb->buf = buf;
    fb->pairs = pairs;
    fb->v = v;
    return rc ? -1 : 0;
}

void dec_fields_exi(dec_fieldbuf *fb, const struct exi_proto *p, const void *doc, dec_record *r)
{
    r->fields = NULL;
    r->nfields = 0;
    r->index = NULL;
    fb->n = 0;
    if (!p)
        return;
    size_t np = 0;
    size_t n = fb->bufcap ? exi_text_kv_pairs(p, doc, fb->buf, fb->bufcap, fb->pairs, fb->pcap, &np) : SIZE_MAX;
    while (n >= fb->bufcap || np > fb->pcap || np > fb->cap) {
        if (fields_room(fb, n, np < 64 ? 64 : np))
            return;
        n = exi_text_kv_pairs(p, doc, fb->buf, fb->bufcap, fb->pairs, fb->pcap, &np);
    }
    fb->len = n;
    for (size_t i = 0; i < np; i++) {
        const exi_kv_pair *q = &fb->pairs[i];
        fb->v[i] = (dec_field){fb->buf + q->key, fb->buf + q->value, fb->buf + q->leaf};
    }
    fb->n = np;
    r->fields = fb->v;
    r->nfields = np;
    r->index = index_build(&fb->index, fb->v, np);
}

void dec_fields_free(dec_fieldbuf *fb)
{
    free(fb->ms);
    free(fb->buf);
    free(fb->v);
    free(fb->pairs);
}

const char *dec_field_find_h(const dec_record *r, const char *leaf, size_t n, uint32_t h)
{
    if (r->index) {
        unsigned i = index_slot(r->index, r->fields, leaf, n, h);
        return r->index->at[i] ? r->fields[r->index->at[i] - 1].value : NULL;
    }
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].leaf[0] == leaf[0] && !strcmp(r->fields[i].leaf, leaf))
            return r->fields[i].value;
    return NULL;
}

const char *dec_field_find(const dec_record *r, const char *leaf) { return dec_find(r, leaf); }

/* A plain decimal ("-412.8", "37810") of at most 15 digits: 0 and *v, the same double strtod gives (the digits
 * as an integer < 2^53 divided by an exact power of ten: one correctly rounded operation); else -1. */
static int small_decimal(const char *s, double *v)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    int neg = *s == '-';
    s += neg;
    uint64_t m = 0;
    unsigned digits = 0, frac = 0, point = 0;
    for (;; s++) {
        if (*s >= '0' && *s <= '9') {
            m = m * 10u + (unsigned)(*s - '0');
            digits++;
            frac += point;
        } else if (*s == '.' && !point) {
            point = 1;
        } else {
            break;
        }
    }
    if (*s || !digits || digits > 15)
        return -1;
    double d = (double)m / pow10[frac];
    *v = neg ? -d : d;
    return 0;
}

/* A field's text as a number: 0 and *v, or -1 (no field, empty, not all of it a number). */
static int number_of(const char *s, double *v)
{
    if (!s || !*s)
        return -1;
    if (!small_decimal(s, v))
        return 0;
    char *end;
    double d = strtod(s, &end);
    if (*end)
        return -1;
    *v = d;
    return 0;
}

int dec_field_number(const dec_record *r, const char *leaf, double *v) { return number_of(dec_find(r, leaf), v); }

int dec_measure_get(const dec_record *r, dec_measure *m)
{
    m->target_v = m->present_v = m->target_i = m->present_i = m->soc = NAN;
    if (r->layer != DEC_LAYER_V2G || r->error)
        return 0;
    int got[] = {number_of(dec_find(r, "EVTargetVoltage"), &m->target_v),
                 number_of(dec_find(r, "EVSEPresentVoltage"), &m->present_v),
                 number_of(dec_find(r, "EVTargetCurrent"), &m->target_i),
                 number_of(dec_find(r, "EVSEPresentCurrent"), &m->present_i),
                 number_of(dec_find(r, "EVRESSSOC"), &m->soc), number_of(dec_find(r, "PresentSOC"), &m->soc)};
    for (size_t i = 0; i < sizeof got / sizeof got[0]; i++)
        if (!got[i])
            return 1;
    return 0;
}

/* Append s to out (n used of cap) as snprintf would at out + *n: truncated, NUL-terminated; *n counts it all. */
static void append(char *out, size_t cap, size_t *n, const char *s)
{
    size_t len = strlen(s);
    if (*n < cap) {
        size_t k = len < cap - *n - 1 ? len : cap - *n - 1;
        memcpy(out + *n, s, k);
        out[*n + k] = 0;
    }
    *n += len;
}

/* " label=value" (label of ll bytes) of a leaf shown on a timeline line (none when absent or equal to quiet). */
static inline void show(char *out, size_t cap, size_t *n, const char *label, size_t ll, const char *v,
                        const char *quiet)
{
    if (!v || *n >= cap || (quiet && !strcmp(v, quiet)))
        return;
    size_t vl = strlen(v), sp = *n ? 1 : 0;
    if (*n + sp + ll + 1 + vl < cap) { /* it all fits: no truncation to care about */
        char *o = out + *n;
        *o = ' ';
        memcpy(o + sp, label, ll);
        o[sp + ll] = '=';
        memcpy(o + sp + ll + 1, v, vl + 1);
        *n += sp + ll + 1 + vl;
        return;
    }
    if (*n)
        append(out, cap, n, " ");
    append(out, cap, n, label);
    append(out, cap, n, "=");
    append(out, cap, n, v);
}

void dec_keys_v2g(const dec_record *r, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
#define SHOW(label, leaf, quiet) show(out, cap, &n, label, sizeof label - 1, dec_find(r, leaf), quiet)
    SHOW("ResponseCode", "ResponseCode", NULL);
    SHOW("EVSEProcessing", "EVSEProcessing", NULL);
    SHOW("EVCCID", "EVCCID", NULL);
    SHOW("EVSEID", "EVSEID", NULL);
    SHOW("SoC", "EVRESSSOC", NULL);
    SHOW("SoC", "PresentSOC", NULL);
    SHOW("EVTargetVoltage", "EVTargetVoltage", NULL);
    SHOW("EVTargetCurrent", "EVTargetCurrent", NULL);
    SHOW("EVSEPresentVoltage", "EVSEPresentVoltage", NULL);
    SHOW("EVSEPresentCurrent", "EVSEPresentCurrent", NULL);
    SHOW("EVPresentVoltage", "EVPresentVoltage", NULL);
    SHOW("EVSEMaximumVoltageLimit", "EVSEMaximumVoltageLimit", NULL);
    SHOW("EVSEMaximumCurrentLimit", "EVSEMaximumCurrentLimit", NULL);
    SHOW("EVMaximumVoltageLimit", "EVMaximumVoltageLimit", NULL);
    SHOW("EVMaximumCurrentLimit", "EVMaximumCurrentLimit", NULL);
    SHOW("ReadyToChargeState", "ReadyToChargeState", NULL);
    SHOW("ChargeProgress", "ChargeProgress", NULL);
    SHOW("ChargingComplete", "ChargingComplete", "false");
    SHOW("EVErrorCode", "EVErrorCode", "NO_ERROR");
    SHOW("EVSEStatusCode", "EVSEStatusCode", NULL);
    SHOW("SelectedPaymentOption", "SelectedPaymentOption", NULL);
    SHOW("EnergyTransfer", "EVRequestedEnergyTransferType", NULL);
    SHOW("EnergyTransfer", "RequestedEnergyTransferMode", NULL);
#undef SHOW
}

void dec_hex(const uint8_t *p, size_t n, char *out, size_t cap)
{
    static const char digits[] = "0123456789abcdef";
    size_t i = 0;
    for (; i < n && 2 * i + 2 < cap; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    if (cap)
        out[2 * i < cap ? 2 * i : cap - 1] = 0;
}

void dec_mac_text(const uint8_t mac[6], char *out, size_t cap)
{
    static const char digits[] = "0123456789abcdef";
    char t[18];
    for (int i = 0; i < 6; i++) {
        t[3 * i] = digits[mac[i] >> 4];
        t[3 * i + 1] = digits[mac[i] & 15];
        t[3 * i + 2] = i < 5 ? ':' : 0;
    }
    dec_copy(out, cap, t);
}

void dec_keys_join(const dec_record *r, size_t skip, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = skip; i < r->nfields && n < cap; i++) {
        if (n)
            append(out, cap, &n, " ");
        append(out, cap, &n, r->fields[i].key);
        append(out, cap, &n, "=");
        append(out, cap, &n, r->fields[i].value);
    }
}

void dec_utc_text(uint64_t ts_ns, char *out, size_t cap)
{
    time_t t = (time_t)(ts_ns / 1000000000u);
    struct tm tm;
    char day[32];
    if (!gmtime_r(&t, &tm) || !strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(day, sizeof day, "%lld", (long long)t);
    snprintf(out, cap, "%s.%03u UTC", day, (unsigned)(ts_ns % 1000000000u / 1000000u));
}
