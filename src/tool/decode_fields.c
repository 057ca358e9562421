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

FILE *dec_fields_begin(dec_fieldbuf *fb)
{
    free(fb->buf);
    fb->buf = NULL;
    fb->len = fb->bufcap = 0;
    fb->n = 0;
    fb->f = open_memstream(&fb->buf, &fb->len);
    return fb->f;
}

/* Split fb->buf's "key=value\n" lines in place into r->fields. */
static void fields_split(dec_fieldbuf *fb, dec_record *r)
{
    fb->n = 0;
    for (char *line = fb->buf, *next; line && *line; line = next) {
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
    if (!fb->f || fclose(fb->f))
        return;
    fb->f = NULL;
    fields_split(fb, r);
}

/* A hash of a leaf name of n bytes: its first and last 8 bytes and its length (the rest is compared). */
static uint32_t leaf_hash(const char *s, size_t n)
{
    uint64_t a = 0, b = n;
    if (n >= 8) {
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
    } else {
        for (size_t i = 0; i < n; i++)
            a = a << 8 | (uint8_t)s[i];
    }
    uint64_t h = (a ^ (b + n) * 0x9E3779B97F4A7C15u) * 0xC2B2AE3D27D4EB4Fu;
    return (uint32_t)(h >> 32);
}

/* The slot of leaf (hash h) in x: where it is, or the empty one where it would go. */
static unsigned index_slot(const struct dec_field_index *x, const dec_field *v, const char *leaf, uint32_t h)
{
    unsigned i = h & (DEC_INDEX_SLOTS - 1);
    while (x->at[i] && (x->hash[i] != h || strcmp(v[x->at[i] - 1].leaf, leaf)))
        i = (i + 1) & (DEC_INDEX_SLOTS - 1);
    return i;
}

/* The first field of each leaf; none for a record with too many fields. */
static const struct dec_field_index *index_build(struct dec_field_index *x, const dec_field *v, size_t n)
{
    if (n > DEC_INDEX_SLOTS / 2)
        return NULL;
    memset(x->at, 0, sizeof x->at);
    for (size_t k = 0; k < n; k++) {
        uint32_t h = leaf_hash(v[k].leaf, (size_t)(v[k].value - 1 - v[k].leaf));
        unsigned i = index_slot(x, v, v[k].leaf, h);
        if (!x->at[i]) {
            x->hash[i] = h;
            x->at[i] = (uint16_t)(k + 1);
        }
    }
    return x;
}

/* Room for a walk that needs n bytes and np pairs (the memory stream's buffer is replaced the first time). */
static int fields_room(dec_fieldbuf *fb, size_t n, size_t np)
{
    if (n >= fb->bufcap) {
        size_t cap = n == SIZE_MAX ? 8192 : n + 1 > 2 * fb->bufcap ? n + 1 : 2 * fb->bufcap;
        char *b = realloc(fb->bufcap ? fb->buf : NULL, cap);
        if (!b)
            return -1;
        if (!fb->bufcap)
            free(fb->buf);
        fb->buf = b;
        fb->bufcap = cap;
    }
    if (np > fb->pcap) {
        exi_kv_pair *q = realloc(fb->pairs, np * sizeof *q);
        if (!q)
            return -1;
        fb->pairs = q;
        fb->pcap = np;
    }
    if (np > fb->cap) {
        dec_field *v = realloc(fb->v, np * sizeof *v);
        if (!v)
            return -1;
        fb->v = v;
        fb->cap = np;
    }
    return 0;
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
    while (n >= fb->bufcap || np > fb->pcap) {
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
    if (fb->f)
        fclose(fb->f);
    free(fb->buf);
    free(fb->v);
    free(fb->pairs);
}

const char *dec_field_find(const dec_record *r, const char *leaf)
{
    if (r->index) {
        unsigned i = index_slot(r->index, r->fields, leaf, leaf_hash(leaf, strlen(leaf)));
        return r->index->at[i] ? r->fields[r->index->at[i] - 1].value : NULL;
    }
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].leaf[0] == leaf[0] && !strcmp(r->fields[i].leaf, leaf))
            return r->fields[i].value;
    return NULL;
}

int dec_field_number(const dec_record *r, const char *leaf, double *v)
{
    const char *s = dec_field_find(r, leaf);
    if (!s || !*s)
        return -1;
    char *end;
    double d = strtod(s, &end);
    if (*end)
        return -1;
    *v = d;
    return 0;
}

int dec_measure_get(const dec_record *r, dec_measure *m)
{
    static const char *const leaves[] = {"EVTargetVoltage", "EVSEPresentVoltage", "EVTargetCurrent",
                                         "EVSEPresentCurrent", "EVRESSSOC", "PresentSOC"};
    double *dst[] = {&m->target_v, &m->present_v, &m->target_i, &m->present_i, &m->soc, &m->soc};
    m->target_v = m->present_v = m->target_i = m->present_i = m->soc = NAN;
    int any = 0;
    if (r->layer != DEC_LAYER_V2G || r->error)
        return 0;
    for (size_t i = 0; i < sizeof leaves / sizeof leaves[0]; i++)
        if (!dec_field_number(r, leaves[i], dst[i]))
            any = 1;
    return any;
}

/* Leaves shown on a timeline line (label, field, value hidden when equal to `quiet`). */
static const struct {
    const char *label, *leaf, *quiet;
} shown[] = {
    {"ResponseCode", "ResponseCode", NULL},
    {"EVSEProcessing", "EVSEProcessing", NULL},
    {"EVCCID", "EVCCID", NULL},
    {"EVSEID", "EVSEID", NULL},
    {"SoC", "EVRESSSOC", NULL},
    {"SoC", "PresentSOC", NULL},
    {"EVTargetVoltage", "EVTargetVoltage", NULL},
    {"EVTargetCurrent", "EVTargetCurrent", NULL},
    {"EVSEPresentVoltage", "EVSEPresentVoltage", NULL},
    {"EVSEPresentCurrent", "EVSEPresentCurrent", NULL},
    {"EVPresentVoltage", "EVPresentVoltage", NULL},
    {"EVSEMaximumVoltageLimit", "EVSEMaximumVoltageLimit", NULL},
    {"EVSEMaximumCurrentLimit", "EVSEMaximumCurrentLimit", NULL},
    {"EVMaximumVoltageLimit", "EVMaximumVoltageLimit", NULL},
    {"EVMaximumCurrentLimit", "EVMaximumCurrentLimit", NULL},
    {"ReadyToChargeState", "ReadyToChargeState", NULL},
    {"ChargeProgress", "ChargeProgress", NULL},
    {"ChargingComplete", "ChargingComplete", "false"},
    {"EVErrorCode", "EVErrorCode", "NO_ERROR"},
    {"EVSEStatusCode", "EVSEStatusCode", NULL},
    {"SelectedPaymentOption", "SelectedPaymentOption", NULL},
    {"EnergyTransfer", "EVRequestedEnergyTransferType", NULL},
    {"EnergyTransfer", "RequestedEnergyTransferMode", NULL},
};

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

void dec_keys_v2g(const dec_record *r, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < sizeof shown / sizeof shown[0] && n < cap; i++) {
        const char *v = dec_field_find(r, shown[i].leaf);
        if (!v || (shown[i].quiet && !strcmp(v, shown[i].quiet)))
            continue;
        if (n)
            append(out, cap, &n, " ");
        append(out, cap, &n, shown[i].label);
        append(out, cap, &n, "=");
        append(out, cap, &n, v);
    }
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
    snprintf(out, cap, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void dec_keys_join(const dec_record *r, size_t skip, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = skip; i < r->nfields && n < cap; i++) {
        int w = snprintf(out + n, cap - n, "%s%s=%s", n ? " " : "", r->fields[i].key, r->fields[i].value);
        n = w < 0 ? cap : n + (size_t)w;
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
