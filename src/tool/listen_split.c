/* --split DIR: per session N a timeline (session-N.txt, or .jsonl) ending with its summary, and with --pcap a
 * session-N.pcapng of its frames; the files of the newest sessions (cfg.split_open) stay open. Host side. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen_int.h"
#include "decode_int.h"

static void path_of(const lis_listener *l, size_t i, const char *ext, char *out, size_t cap)
{
    snprintf(out, cap, "%s/session-%03zu.%s", l->cfg.split_dir, i + 1, ext);
}

static const char *text_ext(const lis_listener *l) { return l->cfg.format == LIS_OUT_JSON ? "jsonl" : "txt"; }

static void close_files(lis_listener *l, lis_split *s)
{
    char path[4096];
    size_t i = (size_t)(s - l->split);
    if (s->text && fclose(s->text)) {
        path_of(l, i, text_ext(l), path, sizeof path);
        lis_write_failed(l, path, strerror(errno));
    }
    s->text = NULL;
    if (s->pcap_open && pcapng_close(&s->pcap)) {
        path_of(l, i, "pcapng", path, sizeof path);
        lis_write_failed(l, path, strerror(s->pcap.q.err));
    }
    s->pcap_open = 0;
}

/* Entries up to session i exist; sessions that are no longer among the newest give up their files. */
static lis_split *entry(lis_listener *l, size_t i)
{
    while (l->nsplit <= i) {
        lis_split *v = dec_grow(l->split, &l->capsplit, l->nsplit, sizeof *v);
        if (!v)
            return NULL;
        l->split = v;
        memset(&l->split[l->nsplit++], 0, sizeof *v);
    }
    for (size_t k = 0; k + l->cfg.split_open < l->nsplit; k++)
        if (!l->split[k].retired) {
            close_files(l, &l->split[k]);
            l->split[k].retired = 1;
        }
    return &l->split[i];
}

/* The session's text file: kept open while it is recent, else opened for appending (the caller closes it
 * when s->text stays NULL). NULL when it cannot be opened (logged once). */
static FILE *text_file(lis_listener *l, size_t i, lis_split *s)
{
    if (s->text)
        return s->text;
    char path[4096];
    path_of(l, i, text_ext(l), path, sizeof path);
    FILE *f = fopen(path, s->retired ? "a" : "w");
    if (!f) {
        lis_write_failed(l, path, strerror(errno));
        return NULL;
    }
    if (!s->retired)
        s->text = f;
    return f;
}

/* A record or summary was written to session i's text file f (rc: how that went); a file opened for it alone is
 * closed. */
static void done_with(lis_listener *l, size_t i, const lis_split *s, FILE *f, int rc)
{
    int failed = rc != 0 || ferror(f);
    if (f != s->text && fclose(f))
        failed = 1;
    if (failed) {
        char path[4096];
        path_of(l, i, text_ext(l), path, sizeof path);
        lis_write_failed(l, path, strerror(errno));
    }
}

void lis_split_record(lis_listener *l, const dec_record *r)
{
    if (r->session < 0)
        return;
    size_t i = (size_t)r->session;
    int k = 0;
    while (k < l->nframe_sess && l->frame_sess[k] != r->session)
        k++;
    if (k == l->nframe_sess && k < LIS_FRAME_SESSIONS)
        l->frame_sess[l->nframe_sess++] = r->session;
    lis_split *s = entry(l, i);
    FILE *f = s ? text_file(l, i, s) : NULL;
    if (!f)
        return;
    uint64_t origin = dec_stats(l->a)->first_ns;
    int rc = l->cfg.format == LIS_OUT_JSON ? dec_json_record(f, r, origin) : dec_text_record(f, r, origin);
    done_with(l, i, s, f, rc);
}

static void frame_to(lis_listener *l, size_t i, uint64_t ts_ns, const uint8_t *frame, size_t len)
{
    lis_split *s = entry(l, i);
    if (!s)
        return;
    if (s->retired) {
        l->split_dropped++;
        return;
    }
    if (!s->pcap_open) {
        char path[4096];
        path_of(l, i, "pcapng", path, sizeof path);
        if (pcapng_open(&s->pcap, path)) {
            lis_write_failed(l, path, strerror(errno));
            return;
        }
        s->pcap_open = 1;
    }
    if (pcapng_write(&s->pcap, ts_ns, PCAPNG_DIR_IN, frame, len)) {
        char path[4096];
        path_of(l, i, "pcapng", path, sizeof path);
        lis_write_failed(l, path, strerror(s->pcap.q.err));
    }
}

void lis_split_frame(lis_listener *l, uint64_t ts_ns, const uint8_t *frame, size_t len)
{
    for (int k = 0; k < l->nframe_sess; k++)
        frame_to(l, (size_t)l->frame_sess[k], ts_ns, frame, len);
    size_t n = dec_nsessions(l->a);
    if (!l->nframe_sess && n) /* TCP ACKs, parts of messages, other traffic: the newest session's */
        frame_to(l, n - 1, ts_ns, frame, len);
}

void lis_split_finish(lis_listener *l)
{
    for (size_t i = 0; i < dec_nsessions(l->a); i++) {
        lis_split *s = entry(l, i);
        FILE *f = s ? text_file(l, i, s) : NULL;
        if (!f)
            continue;
        int rc = l->cfg.format == LIS_OUT_JSON ? dec_json_session(f, l->a, i) : dec_text_session(f, l->a, i);
        done_with(l, i, s, f, rc);
    }
    lis_split_close(l);
}

void lis_split_close(lis_listener *l)
{
    for (size_t i = 0; i < l->nsplit; i++)
        close_files(l, &l->split[i]);
}
