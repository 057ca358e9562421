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

void dec_fields_exi(dec_fieldbuf *fb, const struct exi_proto *p, const void *doc, dec_record *r)
{
    r->fields = NULL;
    r->nfields = 0;
    fb->n = 0;
    if (!p)
        return;
    size_t n = fb->bufcap ? exi_text_kv_buf(p, doc, '\n', fb->buf, fb->bufcap) : SIZE_MAX;
    while (n >= fb->bufcap) { /* grow (the memory stream's buffer is replaced the first time) */
        size_t cap = n == SIZE_MAX ? 8192 : n + 1 > 2 * fb->bufcap ? n + 1 : 2 * fb->bufcap;
        char *b = realloc(fb->bufcap ? fb->buf : NULL, cap);
        if (!b)
            return;
        if (!fb->bufcap)
            free(fb->buf);
        fb->buf = b;
        fb->bufcap = cap;
        n = exi_text_kv_buf(p, doc, '\n', fb->buf, fb->bufcap);
    }
    fb->len = n;
    fields_split(fb, r);
}

void dec_fields_free(dec_fieldbuf *fb)
{
    if (fb->f)
        fclose(fb->f);
    free(fb->buf);
    free(fb->v);
}

const char *dec_field_find(const dec_record *r, const char *leaf)
{
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

void dec_keys_v2g(const dec_record *r, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < sizeof shown / sizeof shown[0] && n < cap; i++) {
        const char *v = dec_field_find(r, shown[i].leaf);
        if (!v || (shown[i].quiet && !strcmp(v, shown[i].quiet)))
            continue;
        int w = snprintf(out + n, cap - n, "%s%s=%s", n ? " " : "", shown[i].label, v);
        n = w < 0 ? cap : n + (size_t)w;
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
