/* The capture analyzer: sessions (a SLAC/SDP link and the TCP connection that follows it), roles learned from
 * SLAC, and the record stream. Host side. */
#include <stdlib.h>
#include <string.h>

#include "decode_int.h"

dec_analyzer *dec_new(dec_record_fn fn, void *ctx)
{
    dec_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    size_t max = 0;
    for (size_t i = 0; i < exi_nprotos; i++)
        max = exi_protos[i].doc_size > max ? exi_protos[i].doc_size : max;
    a->doc = malloc(max);
    if (!a->doc) {
        free(a);
        return NULL;
    }
    a->fn = fn;
    a->ctx = ctx;
    a->cur = -1;
    return a;
}

cap_callbacks dec_callbacks(dec_analyzer *a)
{
    return (cap_callbacks){.homeplug = dec_on_homeplug, .sdp = dec_on_sdp, .v2gtp = dec_on_v2gtp,
                           .event = dec_on_event, .ctx = a};
}

int dec_session_new(dec_analyzer *a, uint64_t ts_ns)
{
    dec_session *v = dec_grow(a->sess, &a->capsess, a->nsess, sizeof *v);
    if (!v)
        return -1;
    a->sess = v;
    dec_session *s = &a->sess[a->nsess];
    memset(s, 0, sizeof *s);
    s->conn = -1;
    s->first_ns = s->last_ns = ts_ns;
    a->cur = (int)a->nsess++;
    return a->cur;
}

int dec_session_for_link(dec_analyzer *a, uint64_t ts_ns)
{
    if (a->cur >= 0 && a->sess[a->cur].conn < 0)
        return a->cur;
    return dec_session_new(a, ts_ns);
}

static void copy_roles(const dec_analyzer *a, dec_session *s)
{
    if (a->has_car_mac && !s->has_car_mac) {
        memcpy(s->car_mac, a->car_mac, 6);
        s->has_car_mac = 1;
    }
    if (a->has_charger_mac && !s->has_charger_mac) {
        memcpy(s->charger_mac, a->charger_mac, 6);
        s->has_charger_mac = 1;
    }
}

/* A role's MAC, for the capture and for the current session. */
static void learn_mac(uint8_t *mac, int *has, uint8_t *smac, int *shas, const uint8_t v[6])
{
    memcpy(mac, v, 6);
    *has = 1;
    if (smac) {
        memcpy(smac, v, 6);
        *shas = 1;
    }
}

void dec_learn_car_mac(dec_analyzer *a, const uint8_t mac[6])
{
    dec_session *s = a->cur >= 0 ? &a->sess[a->cur] : NULL;
    learn_mac(a->car_mac, &a->has_car_mac, s ? s->car_mac : NULL, s ? &s->has_car_mac : NULL, mac);
}

void dec_learn_charger_mac(dec_analyzer *a, const uint8_t mac[6])
{
    dec_session *s = a->cur >= 0 ? &a->sess[a->cur] : NULL;
    learn_mac(a->charger_mac, &a->has_charger_mac, s ? s->charger_mac : NULL, s ? &s->has_charger_mac : NULL, mac);
}

void dec_emit(dec_analyzer *a, dec_record *r)
{
    dec_totals *t = &a->totals;
    if (!t->records++)
        t->first_ns = r->ts_ns;
    t->last_ns = r->ts_ns;
    t->homeplug += r->layer == DEC_LAYER_HOMEPLUG;
    t->homeplug_malformed += r->layer == DEC_LAYER_HOMEPLUG && r->error;
    t->sdp += r->layer == DEC_LAYER_SDP;
    if (r->layer == DEC_LAYER_V2G && r->exi) {
        t->exi++;
        t->exi_errors += r->error != NULL;
    }
    t->unsupported += r->layer == DEC_LAYER_V2G && !r->exi;
    if (r->session >= 0) {
        dec_session *s = &a->sess[r->session];
        copy_roles(a, s);
        dec_stats_note(s, r);
    }
    if (a->fn)
        a->fn(a->ctx, r);
}

void dec_finish(dec_analyzer *a, const cap_stats *st)
{
    if (st)
        a->totals.capture = *st;
    uint64_t end = a->end_ns > a->totals.last_ns ? a->end_ns : a->totals.last_ns;
    dec_faults_finish(a);
    for (size_t i = 0; i < a->nsess; i++)
        dec_stats_close(&a->sess[i], end);
}

size_t dec_nsessions(const dec_analyzer *a) { return a->nsess; }
const dec_session *dec_session_get(const dec_analyzer *a, size_t i) { return i < a->nsess ? &a->sess[i] : NULL; }
const dec_totals *dec_stats(const dec_analyzer *a) { return &a->totals; }

void dec_free(dec_analyzer *a)
{
    if (!a)
        return;
    dec_fields_free(&a->fb);
    free(a->sess);
    free(a->conns);
    free(a->doc);
    free(a);
}

const char *dec_dir_name(dec_dir d)
{
    static const char *const names[] = {"?", "car->charger", "charger->car", "car<>modem", "charger<>modem",
                                        "host<>modem"};
    return (unsigned)d < sizeof names / sizeof names[0] ? names[d] : "?";
}

const char *dec_layer_name(dec_layer l)
{
    static const char *const names[] = {"homeplug", "sdp", "tcp", "v2g"};
    return (unsigned)l < sizeof names / sizeof names[0] ? names[l] : "?";
}

const char *dec_stage_name(int stage)
{
    static const char *const names[] = {"SLAC", "SDP", "handshake", "CableCheck", "PreCharge", "charging loop"};
    return stage >= 0 && stage < DEC_NSTAGES ? names[stage] : "?";
}
