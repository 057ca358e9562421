/* The HTML report of `ccsplc decode`: one self-contained page (inline CSS, JSON data and script, SVG; no
 * network) with the totals, a summary per session, plots, a message sequence chart and the timeline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decode_int.h"

#define MAX_POINTS 2000 /* plot points per session: more are thinned to every 2nd, 4th, ... */
#define MAX_SERIES 64   /* sessions with plots (the newest) */

/* A timeline row; count > 1: a run of loop messages (CurrentDemand, ChargingStatus, ChargeLoop) without faults,
 * shown as one row with the first and the last message's key values (the plots carry the detail). */
typedef struct {
    uint64_t ts_ns, last_ns;
    int session;
    dec_dir dir;
    const char *proto; /* static strings: codec names and layer names */
    char *name, *keys, *last_keys, *error, *fault;
    unsigned count;
} row;

typedef struct {
    uint64_t ts_ns;
    dec_measure m;
} point;

/* A session's plot points, at most MAX_POINTS: each merges `stride` measured records (a request's target values
 * and the response's present values), the newest value of each kind. */
typedef struct {
    int session;
    point *v;
    size_t n, cap;
    unsigned stride, skip;
    point acc; /* the records merged since the last point */
} series;

/* The newest `limit` rows in a ring (rows[head] is the oldest once it is full): memory stays bounded for a
 * listener that runs for days; the records before are counted. */
struct dec_html {
    row *rows;
    size_t n, cap, head, limit;
    uint64_t dropped, dropped_first_ns, dropped_last_ns;
    series *ser;
    size_t nser, capser;
};

dec_html *dec_html_new(void)
{
    dec_html *h = calloc(1, sizeof(dec_html));
    if (h)
        h->limit = DEC_HTML_MAX_ROWS;
    return h;
}

void dec_html_set_limit(dec_html *h, size_t max_rows)
{
    if (!h->n && max_rows)
        h->limit = max_rows;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static void row_free(row *w)
{
    free(w->name);
    free(w->keys);
    free(w->last_keys);
    free(w->error);
    free(w->fault);
}

/* The i-th kept record, oldest first. */
static const row *row_at(const dec_html *h, size_t i) { return &h->rows[(h->head + i) % h->n]; }

/* Length of a loop message's name without Req/Res, else 0. */
static size_t loop_base(const char *name)
{
    size_t n = strlen(name);
    int loop = strstr(name, "CurrentDemand") || strstr(name, "ChargingStatus") || strstr(name, "ChargeLoop");
    return loop && n > 3 && (!strcmp(name + n - 3, "Req") || !strcmp(name + n - 3, "Res")) ? n - 3 : 0;
}

/* A faultless loop message right after others of its kind joins their row. */
static int join_group(dec_html *h, const dec_record *r)
{
    size_t base = r->layer == DEC_LAYER_V2G && !r->error && !r->fault ? loop_base(r->name) : 0;
    if (!base || !h->n)
        return 0;
    row *w = &h->rows[(h->head + h->n - 1) % h->n];
    if (w->session != r->session || w->error || w->fault || loop_base(w->name) != base ||
        strncmp(w->name, r->name, base))
        return 0;
    char *k = strdup(r->keys);
    if (!k)
        return 0;
    free(w->last_keys);
    w->last_keys = k;
    w->last_ns = r->ts_ns;
    w->count++;
    return 1;
}

static void merge(double *to, double v)
{
    if (!isnan(v))
        *to = v;
}

static void plot_point(dec_html *h, const dec_record *r)
{
    point p = {.ts_ns = r->ts_ns};
    if (r->session < 0 || !dec_measure_get(r, &p.m))
        return;
    series *sr = NULL;
    for (size_t i = h->nser; i-- > 0 && !sr;)
        if (h->ser[i].session == r->session)
            sr = &h->ser[i];
    if (!sr) {
        if (h->nser == MAX_SERIES) { /* the oldest session's plots make room */
            free(h->ser[0].v);
            memmove(h->ser, h->ser + 1, --h->nser * sizeof *h->ser);
        }
        series *v = dec_grow(h->ser, &h->capser, h->nser, sizeof *v);
        if (!v)
            return;
        h->ser = v;
        sr = &h->ser[h->nser++];
        *sr = (series){.session = r->session, .stride = 1};
    }
    if (sr->skip++) {
        sr->acc.ts_ns = p.ts_ns;
        merge(&sr->acc.m.target_v, p.m.target_v);
        merge(&sr->acc.m.present_v, p.m.present_v);
        merge(&sr->acc.m.target_i, p.m.target_i);
        merge(&sr->acc.m.present_i, p.m.present_i);
        merge(&sr->acc.m.soc, p.m.soc);
    } else {
        sr->acc = p;
    }
    if (sr->skip < sr->stride)
        return;
    sr->skip = 0;
    if (sr->n == MAX_POINTS) { /* thin out: every other point, and from now on every 2 x stride-th record */
        for (size_t i = 0; 2 * i < sr->n; i++)
            sr->v[i] = sr->v[2 * i];
        sr->n = (sr->n + 1) / 2;
        sr->stride *= 2;
    }
    point *v = dec_grow(sr->v, &sr->cap, sr->n, sizeof *v);
    if (!v)
        return;
    sr->v = v;
    sr->v[sr->n++] = sr->acc;
}

void dec_html_record(dec_html *h, const dec_record *r)
{
    plot_point(h, r);
    if (join_group(h, r))
        return;
    row *w;
    if (h->n == h->limit) { /* full: the oldest makes room */
        w = &h->rows[h->head];
        if (!h->dropped)
            h->dropped_first_ns = w->ts_ns;
        h->dropped += w->count;
        h->dropped_last_ns = w->last_ns;
        row_free(w);
        h->head = (h->head + 1) % h->n;
    } else {
        row *v = dec_grow(h->rows, &h->cap, h->n, sizeof *v);
        if (!v)
            return;
        h->rows = v;
        w = &h->rows[h->n++];
    }
    *w = (row){.ts_ns = r->ts_ns, .last_ns = r->ts_ns, .session = r->session, .dir = r->dir, .count = 1,
               .proto = r->layer == DEC_LAYER_V2G && r->exi ? r->exi->name : dec_layer_name(r->layer),
               .name = strdup(r->name), .keys = strdup(r->keys), .error = dup_or_null(r->error),
               .fault = dup_or_null(r->fault)};
}

uint64_t dec_html_dropped(const dec_html *h) { return h->dropped; }

void dec_html_free(dec_html *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        row_free(&h->rows[i]);
    free(h->rows);
    for (size_t i = 0; i < h->nser; i++)
        free(h->ser[i].v);
    free(h->ser);
    free(h);
}

static double secs(uint64_t origin, uint64_t ts) { return (double)(int64_t)(ts - origin) / 1e9; }

static void num_or_null(FILE *out, double v)
{
    if (isnan(v))
        fputs(",null", out);
    else
        fprintf(out, ",%.6g", v);
}

/* {"sessions":[{"n":1,"points":[[t,targetV,presentV,targetI,presentI,soc],...]}],
 *  "msc":[[t,dir,name,proto,err,count]]}: plot times from the session's start; msc dir 1 car->charger,
 *  2 charger->car, 3 a group of loop messages both ways. */
static void data(FILE *out, const dec_html *h, const dec_analyzer *a, uint64_t origin)
{
    fputs("{\"sessions\":[", out);
    for (size_t k = 0; k < h->nser; k++) {
        const series *sr = &h->ser[k];
        const dec_session *s = dec_session_get(a, (size_t)sr->session);
        if (!s)
            continue;
        fprintf(out, "%s{\"n\":%d,\"points\":[", k ? "," : "", sr->session + 1);
        for (size_t i = 0; i < sr->n; i++) {
            const point *p = &sr->v[i];
            fprintf(out, "%s[%.6f", i ? "," : "", secs(s->first_ns, p->ts_ns));
            num_or_null(out, p->m.target_v);
            num_or_null(out, p->m.present_v);
            num_or_null(out, p->m.target_i);
            num_or_null(out, p->m.present_i);
            num_or_null(out, p->m.soc);
            fputc(']', out);
        }
        fputs("]}", out);
    }
    fputs("],\"msc\":[", out);
    int first = 1;
    for (size_t i = 0; i < h->n; i++) {
        const row *w = row_at(h, i);
        if (w->dir != DEC_DIR_CAR_TO_CHARGER && w->dir != DEC_DIR_CHARGER_TO_CAR)
            continue;
        fprintf(out, "%s[%.6f,%d,", first ? "" : ",", secs(origin, w->ts_ns),
                w->count > 1 ? 3 : w->dir == DEC_DIR_CAR_TO_CHARGER ? 1 : 2);
        dec_json_string(out, w->name);
        fputc(',', out);
        dec_json_string(out, w->proto);
        fprintf(out, ",%d,%u]", w->error || w->fault, w->count);
        first = 0;
    }
    fputs("]}", out);
}

static void stage_rows(FILE *out, const dec_session *s, uint64_t origin)
{
    fputs("<table><tr><th>stage</th><th>start [s]</th><th>duration [s]</th><th>messages</th><th></th></tr>\n",
          out);
    for (int k = 0; k < DEC_NSTAGES; k++) {
        const dec_stage *g = &s->stage[k];
        int dc_only = k == DEC_STAGE_CABLECHECK || k == DEC_STAGE_PRECHARGE;
        if (!g->seen && dc_only && s->ac)
            continue; /* an AC session has none to reach */
        if (!g->seen) {
            fprintf(out, "<tr class=\"muted\"><td>%s</td><td colspan=\"4\">not reached</td></tr>\n",
                    dec_stage_name(k));
            continue;
        }
        char tries[64];
        dec_stage_tries(g, origin, tries, sizeof tries);
        fprintf(out, "<tr><td>%s</td><td>%.3f</td><td>%.3f</td><td>%u</td><td>%s%s%s</td></tr>\n",
                dec_stage_name(k), secs(origin, g->first_ns), secs(g->first_ns, g->last_ns), g->count,
                k <= DEC_STAGE_HANDSHAKE && !g->done ? "not completed" : "",
                tries[0] && k <= DEC_STAGE_HANDSHAKE && !g->done ? ", " : "", tries);
    }
    fputs("</table>\n", out);
}

static void kv_row(FILE *out, const char *k, const char *v)
{
    fprintf(out, "<tr><th>%s</th><td>", k);
    dec_markup_text(out, v);
    fputs("</td></tr>\n", out);
}

/* The session's faults first: what a test engineer looks for. */
static void faults(FILE *out, const dec_session *s, uint64_t origin)
{
    if (!s->nfaults) {
        fputs("<p class=\"ok\">no faults</p>\n", out);
        return;
    }
    fprintf(out, "<div class=\"faults\"><b>%u fault%s</b><ol>\n", s->nfaults, s->nfaults > 1 ? "s" : "");
    for (unsigned i = 0; i < s->nfaults && i < DEC_MAX_FAULTS; i++) {
        const dec_fault *f = &s->faults[i];
        fprintf(out, "<li><span class=\"t\">%.3f s</span> ", secs(origin, f->first_ns));
        dec_markup_text(out, f->text);
        if (f->count > 1)
            fprintf(out, " <b>(%u times)</b>", f->count);
        fputs("</li>\n", out);
    }
    if (s->nfaults > DEC_MAX_FAULTS)
        fprintf(out, "<li>... and %u more</li>\n", s->nfaults - DEC_MAX_FAULTS);
    fputs("</ol></div>\n", out);
}

static void session(FILE *out, const dec_analyzer *a, size_t i, uint64_t origin)
{
    char buf[320], mac[18], date[40];
    const dec_session *s = dec_session_get(a, i);
    dec_utc_text(s->first_ns, date, sizeof date);
    fprintf(out, "<section class=\"session\" id=\"s%zu\"><h2>Session %zu <small>%s</small></h2>\n", i + 1, i + 1,
            date);
    faults(out, s, origin);
    fputs("<div class=\"cols\"><table>\n", out);
    snprintf(buf, sizeof buf, "%s%s%s%s%s",
             s->proto ? s->proto : s->tls_records ? "V2G over TLS (encrypted, not decoded)" : "none",
             s->ns[0] ? " (" : "", s->ns,
             s->ns[0] ? ")" : "", s->detected ? " - detected: no SupportedAppProtocol handshake in the capture" : "");
    kv_row(out, "protocol", buf);
    dec_mac_text(s->car_mac, mac, sizeof mac);
    snprintf(buf, sizeof buf, "MAC %s, EVCCID %s", s->has_car_mac ? mac : "?", s->evccid[0] ? s->evccid : "?");
    kv_row(out, "car", buf);
    dec_mac_text(s->charger_mac, mac, sizeof mac);
    snprintf(buf, sizeof buf, "MAC %s, EVSEID %s", s->has_charger_mac ? mac : "?", s->evseid[0] ? s->evseid : "?");
    kv_row(out, "charger", buf);
    if (s->session_id[0]) {
        fprintf(out, "<tr><th>SessionID</th><td>%s (assigned by the charger)", s->session_id);
        if (s->session_id_mismatches)
            fprintf(out, "<br><span class=\"err\">the car sent %s in %u messages</span>", s->car_session_id,
                    s->session_id_mismatches);
        fputs("</td></tr>\n", out);
    }
    snprintf(buf, sizeof buf, "%.3f .. %.3f s (%.3f s)", secs(origin, s->first_ns), secs(origin, s->last_ns),
             secs(s->first_ns, s->last_ns));
    kv_row(out, "time", buf);
    if (s->voltage.seen || s->current.seen) {
        snprintf(buf, sizeof buf, "voltage %g .. %g V, current %g .. %g A, energy %.3f Wh", s->voltage.min,
                 s->voltage.max, s->current.min, s->current.max, s->energy_wh);
        kv_row(out, "EVSE", buf);
    }
    snprintf(buf, sizeof buf, "%u messages, %u decode errors", s->exi_messages, s->exi_errors);
    kv_row(out, "EXI", buf);
    if (s->tls_records) {
        snprintf(buf, sizeof buf, "%u records (V2G over TLS: %s)", s->tls_records,
                 s->exi_messages ? "decrypted with the key log" : "encrypted, not decoded");
        kv_row(out, "TLS", buf);
    }
    kv_row(out, "end", s->end_text);
    fputs("</table>\n", out);
    stage_rows(out, s, origin);
    fprintf(out, "</div>\n<div class=\"plots\" data-session=\"%zu\"></div>\n</section>\n", i + 1);
}

static void timeline(FILE *out, const dec_html *h, uint64_t origin)
{
    static const char *const cls[] = {"", "c2e", "e2c", "mod", "mod", "mod"};
    fputs("<table class=\"tl\"><tr><th>time [s]</th><th>direction</th><th>layer</th><th>message</th>"
          "<th>key values</th></tr>\n", out);
    for (size_t i = 0; i < h->n; i++) {
        const row *w = row_at(h, i);
        fprintf(out, "<tr class=\"%s%s\"><td>%.3f</td><td>", cls[w->dir], w->count > 1 ? " grp" : "",
                secs(origin, w->ts_ns));
        dec_markup_text(out, w->count > 1 ? "both ways" : dec_dir_name(w->dir)); /* "host<>modem" */
        fputs("</td><td>", out);
        dec_markup_text(out, w->proto);
        fputs("</td><td>", out);
        if (w->count > 1)
            fprintf(out, "%.*sReq/Res &times; %u", (int)loop_base(w->name), w->name, w->count);
        else
            dec_markup_text(out, w->name);
        fputs("</td><td class=\"k\">", out);
        if (w->count > 1) {
            fprintf(out, "%u messages until %.3f s (the plots show them); first: ", w->count,
                    secs(origin, w->last_ns));
            dec_markup_text(out, w->keys);
            fputs("; last: ", out);
            dec_markup_text(out, w->last_keys);
        } else {
            dec_markup_text(out, w->keys);
        }
        if (w->error) {
            fputs(" <span class=\"err\">ERROR: ", out);
            dec_markup_text(out, w->error);
            fputs("</span>", out);
        }
        if (w->fault) {
            fputs(" <span class=\"err\">FAULT: ", out);
            dec_markup_text(out, w->fault);
            fputs("</span>", out);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

int dec_html_write(dec_html *h, FILE *out, const dec_analyzer *a, const char *title)
{
    const dec_totals *t = dec_stats(a);
    uint64_t origin = t->first_ns;
    char first[40], last[40];
    dec_utc_text(t->first_ns, first, sizeof first);
    dec_utc_text(t->last_ns, last, sizeof last);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ccsplc decode: ", out);
    dec_markup_text(out, title);
    fprintf(out, "</title>\n<style>\n%s</style></head>\n<body data-plots=\"0\" data-dropped=\"%llu\">\n<h1>",
            dec_html_css, (unsigned long long)h->dropped);
    dec_markup_text(out, title);
    fprintf(out, "</h1>\n<p>Captured %s (time 0) .. %s. %llu frames: HomePlug %u, SDP %u, EXI messages %u (%u "
                 "decode errors); other traffic skipped: %llu frames; %llu malformed (%u HomePlug); %zu sessions.</p>\n",
            first, last, (unsigned long long)t->capture.frames, t->homeplug, t->sdp, t->exi, t->exi_errors,
            (unsigned long long)t->capture.other, (unsigned long long)t->capture.malformed + t->homeplug_malformed,
            t->homeplug_malformed, dec_nsessions(a));
    if (h->dropped)
        fprintf(out, "<p class=\"muted\">To bound memory the timeline and sequence chart keep the newest %zu "
                     "rows: the %llu records before them (%.3f .. %.3f s) are left out. The session summaries and "
                     "totals cover everything.</p>\n",
                h->n, (unsigned long long)h->dropped, secs(origin, h->dropped_first_ns),
                secs(origin, h->dropped_last_ns));
    for (size_t i = 0; i < dec_nsessions(a); i++)
        session(out, a, i, origin);
    fputs("<h2>Message sequence</h2>\n<div id=\"msc\"></div>\n<h2>Timeline</h2>\n", out);
    timeline(out, h, origin);
    fputs("<script id=\"data\" type=\"application/json\">", out);
    data(out, h, a, origin);
    fprintf(out, "</script>\n<script>\n%s</script>\n</body></html>\n", dec_html_js);
    return ferror(out) ? -1 : 0;
}
