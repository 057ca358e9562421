/* The HTML report of `ccsplc decode`: one self-contained page (inline CSS, JSON data and script, SVG; no
 * network) with the totals, a summary per session, plots, a message sequence chart and the timeline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decode_int.h"

typedef struct {
    uint64_t ts_ns;
    int session;
    dec_dir dir;
    const char *proto; /* static strings: codec names and layer names */
    char *name, *keys, *error;
    dec_measure m;
    int has_m;
} row;

/* The newest `limit` records in a ring (rows[head] is the oldest once it is full): memory stays bounded for a
 * listener that runs for days; the records before are counted. */
struct dec_html {
    row *rows;
    size_t n, cap, head, limit;
    uint64_t dropped, dropped_first_ns, dropped_last_ns;
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
    free(w->error);
}

/* The i-th kept record, oldest first. */
static const row *row_at(const dec_html *h, size_t i) { return &h->rows[(h->head + i) % h->n]; }

void dec_html_record(dec_html *h, const dec_record *r)
{
    row *w;
    if (h->n == h->limit) { /* full: the oldest makes room */
        w = &h->rows[h->head];
        if (!h->dropped++)
            h->dropped_first_ns = w->ts_ns;
        h->dropped_last_ns = w->ts_ns;
        row_free(w);
        h->head = (h->head + 1) % h->n;
    } else {
        row *v = dec_grow(h->rows, &h->cap, h->n, sizeof *v);
        if (!v)
            return;
        h->rows = v;
        w = &h->rows[h->n++];
    }
    *w = (row){.ts_ns = r->ts_ns, .session = r->session, .dir = r->dir,
               .proto = r->layer == DEC_LAYER_V2G && r->exi ? r->exi->name : dec_layer_name(r->layer),
               .name = strdup(r->name), .keys = strdup(r->keys), .error = dup_or_null(r->error)};
    w->has_m = dec_measure_get(r, &w->m);
}

uint64_t dec_html_dropped(const dec_html *h) { return h->dropped; }

void dec_html_free(dec_html *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        row_free(&h->rows[i]);
    free(h->rows);
    free(h);
}

static void text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

static double secs(uint64_t origin, uint64_t ts) { return (double)(int64_t)(ts - origin) / 1e9; }

static void num_or_null(FILE *out, double v)
{
    if (isnan(v))
        fputs(",null", out);
    else
        fprintf(out, ",%.6g", v);
}

/* {"sessions":[{"n":1,"points":[[t,targetV,presentV,targetI,presentI,soc],...]}],"msc":[[t,dir,name,proto,err]]} */
static void data(FILE *out, const dec_html *h, const dec_analyzer *a, uint64_t origin)
{
    fputs("{\"sessions\":[", out);
    for (size_t s = 0; s < dec_nsessions(a); s++) {
        fprintf(out, "%s{\"n\":%zu,\"points\":[", s ? "," : "", s + 1);
        int first = 1;
        for (size_t i = 0; i < h->n; i++) {
            const row *w = row_at(h, i);
            if (!w->has_m || w->session != (int)s)
                continue;
            fprintf(out, "%s[%.6f", first ? "" : ",", secs(origin, w->ts_ns));
            num_or_null(out, w->m.target_v);
            num_or_null(out, w->m.present_v);
            num_or_null(out, w->m.target_i);
            num_or_null(out, w->m.present_i);
            num_or_null(out, w->m.soc);
            fputc(']', out);
            first = 0;
        }
        fputs("]}", out);
    }
    fputs("],\"msc\":[", out);
    int first = 1;
    for (size_t i = 0; i < h->n; i++) {
        const row *w = row_at(h, i);
        if (w->dir != DEC_DIR_CAR_TO_CHARGER && w->dir != DEC_DIR_CHARGER_TO_CAR)
            continue;
        fprintf(out, "%s[%.6f,%d,", first ? "" : ",", secs(origin, w->ts_ns), w->dir == DEC_DIR_CAR_TO_CHARGER ? 1 : 2);
        dec_json_string(out, w->name);
        fputc(',', out);
        dec_json_string(out, w->proto);
        fprintf(out, ",%d]", w->error != NULL);
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
    text(out, v);
    fputs("</td></tr>\n", out);
}

static void summary(FILE *out, const dec_analyzer *a, uint64_t origin)
{
    char buf[320], mac[18];
    for (size_t i = 0; i < dec_nsessions(a); i++) {
        const dec_session *s = dec_session_get(a, i);
        fprintf(out, "<h3>session %zu</h3>\n<table>\n", i + 1);
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
        snprintf(buf, sizeof buf, "%.3f .. %.3f s", secs(origin, s->first_ns), secs(origin, s->last_ns));
        kv_row(out, "time", buf);
        if (s->voltage.seen || s->current.seen) {
            snprintf(buf, sizeof buf, "voltage %g .. %g V, current %g .. %g A, energy %.3f Wh", s->voltage.min,
                     s->voltage.max, s->current.min, s->current.max, s->energy_wh);
            kv_row(out, "EVSE", buf);
        }
        snprintf(buf, sizeof buf, "%u messages, %u decode errors", s->exi_messages, s->exi_errors);
        kv_row(out, "EXI", buf);
        if (s->tls_records) {
            snprintf(buf, sizeof buf, "%u records (V2G over TLS: encrypted, not decoded)", s->tls_records);
            kv_row(out, "TLS", buf);
        }
        kv_row(out, "end", s->end_text);
        fputs("</table>\n", out);
        stage_rows(out, s, origin);
    }
}

static void timeline(FILE *out, const dec_html *h, uint64_t origin)
{
    static const char *const cls[] = {"", "c2e", "e2c", "mod", "mod", "mod"};
    fputs("<table class=\"tl\"><tr><th>time [s]</th><th>direction</th><th>layer</th><th>message</th>"
          "<th>key values</th></tr>\n", out);
    for (size_t i = 0; i < h->n; i++) {
        const row *w = row_at(h, i);
        fprintf(out, "<tr class=\"%s\"><td>%.3f</td><td>", cls[w->dir], secs(origin, w->ts_ns));
        text(out, dec_dir_name(w->dir)); /* "host<>modem" */
        fputs("</td><td>", out);
        text(out, w->proto);
        fputs("</td><td>", out);
        text(out, w->name);
        fputs("</td><td class=\"k\">", out);
        text(out, w->keys);
        if (w->error) {
            fputs(" <span class=\"err\">ERROR: ", out);
            text(out, w->error);
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
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ccsplc decode: ", out);
    text(out, title);
    fprintf(out, "</title>\n<style>\n%s</style></head>\n<body data-plots=\"0\" data-dropped=\"%llu\">\n<h1>",
            dec_html_css, (unsigned long long)h->dropped);
    text(out, title);
    fprintf(out, "</h1>\n<p>%llu frames: HomePlug %u, SDP %u, EXI messages %u (%u decode errors); other traffic "
                 "skipped: %llu frames; %llu malformed (%u HomePlug); %zu sessions.</p>\n",
            (unsigned long long)t->capture.frames, t->homeplug, t->sdp, t->exi, t->exi_errors,
            (unsigned long long)t->capture.other, (unsigned long long)t->capture.malformed + t->homeplug_malformed,
            t->homeplug_malformed, dec_nsessions(a));
    if (h->dropped)
        fprintf(out, "<p class=\"muted\">To bound memory the timeline, plots and sequence chart keep the newest %zu "
                     "records: the %llu before them (%.3f .. %.3f s) are left out. The session summaries and "
                     "totals cover everything.</p>\n",
                h->n, (unsigned long long)h->dropped, secs(origin, h->dropped_first_ns),
                secs(origin, h->dropped_last_ns));
    fputs("<h2>Sessions</h2>\n", out);
    summary(out, a, origin);
    fputs("<h2>Plots</h2>\n<div id=\"plots\"></div>\n<h2>Message sequence</h2>\n<div id=\"msc\"></div>\n"
          "<h2>Timeline</h2>\n", out);
    timeline(out, h, origin);
    fputs("<script id=\"data\" type=\"application/json\">", out);
    data(out, h, a, origin);
    fprintf(out, "</script>\n<script>\n%s</script>\n</body></html>\n", dec_html_js);
    return ferror(out) ? -1 : 0;
}
