/* Text output of `ccsplc decode`: one timeline line per record, then a summary per session and totals. */
#include <stdlib.h>
#include <string.h>

#include "decode_int.h"

/* t (ns from the origin) in seconds as "%10.3f" prints (ns / 1e9): decimal digits from the integer, printf for an
 * exact tie of the rounding (the double's binary value decides) and for spans too long for that reasoning. */
static size_t text_secs(int64_t ns, char *out, size_t cap)
{
    uint64_t mag = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
    if (mag % 1000000u == 500000u || mag >= 1000000000000000u) {
        int n = snprintf(out, cap, "%10.3f", (double)ns / 1e9);
        return n < 0 ? 0 : (size_t)n;
    }
    uint64_t ms = (mag + 500000u) / 1000000u;
    char d[32];
    size_t n = 0;
    d[n++] = (char)('0' + ms % 10);
    d[n++] = (char)('0' + ms / 10 % 10);
    d[n++] = (char)('0' + ms / 100 % 10);
    d[n++] = '.';
    for (uint64_t s = ms / 1000;; s /= 10) {
        d[n++] = (char)('0' + s % 10);
        if (s < 10)
            break;
    }
    if (ns < 0)
        d[n++] = '-';
    size_t w = 0;
    while (w + n < 10)
        out[w++] = ' ';
    while (n)
        out[w++] = d[--n];
    return w;
}

/* s (n bytes), then spaces up to width. */
static size_t put_pad(char *out, const char *s, size_t n, size_t width)
{
    memcpy(out, s, n);
    if (n < width) {
        memset(out + n, ' ', width - n);
        n = width;
    }
    return n;
}

int dec_text_record(FILE *out, const dec_record *r, uint64_t origin_ns)
{
    char conn[24];
    conn[0] = 0;
    if (r->layer == DEC_LAYER_TCP)
        snprintf(conn, sizeof conn, "conn %d: ", r->conn);
    const char *sep = r->keys[0] ? " " : "";
    const char *parts[] = {conn, r->keys, r->error ? sep : "", r->error ? "ERROR: " : "", r->error ? r->error : "",
                           r->fault ? (r->keys[0] || r->error ? " FAULT: " : "FAULT: ") : "", r->fault ? r->fault : ""};
    const char *cols[] = {dec_dir_name(r->dir), r->proto, r->name};
    static const size_t widths[] = {14, 12, 30};
    enum { NCOLS = sizeof cols / sizeof cols[0], NPARTS = sizeof parts / sizeof parts[0] };
    size_t lens[NCOLS + NPARTS], len = 64;
    for (size_t i = 0; i < NCOLS; i++)
        len += (lens[i] = strlen(cols[i])) + widths[i];
    for (size_t i = 0; i < NPARTS; i++)
        len += lens[NCOLS + i] = parts[i][0] ? strlen(parts[i]) : 0;
    char stack[4096], *line = len <= sizeof stack ? stack : malloc(len);
    if (!line)
        return -1;
    size_t n = text_secs((int64_t)(r->ts_ns - origin_ns), line, 32);
    line[n++] = ' ';
    for (size_t i = 0; i < NCOLS; i++) {
        line[n++] = ' ';
        n += put_pad(line + n, cols[i], lens[i], widths[i]);
    }
    line[n++] = ' ';
    for (size_t i = 0; i < NPARTS; i++) {
        memcpy(line + n, parts[i], lens[NCOLS + i]);
        n += lens[NCOLS + i];
    }
    line[n++] = '\n';
    int rc = fwrite(line, 1, n, out) == n ? 0 : -1;
    if (line != stack)
        free(line);
    return rc;
}

static double secs(uint64_t a, uint64_t b) { return (double)(int64_t)(b - a) / 1e9; }

static void party(FILE *out, const char *who, int has_mac, const uint8_t mac[6], const char *idname, const char *id)
{
    char m[18] = "?";
    if (has_mac)
        dec_mac_text(mac, m, sizeof m);
    fprintf(out, "  %-8s MAC %s, %s %s\n", who, m, idname, id[0] ? id : "?");
}

int dec_text_session(FILE *out, const dec_analyzer *a, size_t i)
{
    const dec_session *s = dec_session_get(a, i);
    if (!s)
        return -1;
    uint64_t origin = dec_stats(a)->first_ns;
    fprintf(out, "\n== session %zu: ", i + 1);
    if (s->proto)
        fprintf(out, "%s%s%s%s%s", s->proto, s->ns[0] ? " (" : "", s->ns, s->ns[0] ? ")" : "",
                s->detected ? ", detected by trying decoders: no SupportedAppProtocol handshake in the capture" : "");
    else if (s->tls_records)
        fprintf(out, "V2G over TLS (encrypted, not decoded)");
    else
        fprintf(out, "no V2G protocol");
    if (s->conn >= 0)
        fprintf(out, ", TCP connection %d", s->conn);
    fputc('\n', out);
    dec_text_faults(out, s, origin);
    char date[40];
    dec_utc_text(s->first_ns, date, sizeof date);
    fprintf(out, "  time     %.3f .. %.3f s (%.3f s), from %s\n", secs(origin, s->first_ns),
            secs(origin, s->last_ns), secs(s->first_ns, s->last_ns), date);
    party(out, "car", s->has_car_mac, s->car_mac, "EVCCID", s->evccid);
    party(out, "charger", s->has_charger_mac, s->charger_mac, "EVSEID", s->evseid);
    if (s->session_id[0]) {
        fprintf(out, "  SessionID %s (assigned by the charger)", s->session_id);
        if (s->session_id_mismatches)
            fprintf(out, "; the car sent %s in %u messages", s->car_session_id, s->session_id_mismatches);
        fputc('\n', out);
    }
    fprintf(out, "  stages  ");
    int any = 0;
    for (int k = 0; k < DEC_NSTAGES; k++) {
        const dec_stage *g = &s->stage[k];
        if (!g->seen)
            continue;
        char tries[64] = "";
        dec_stage_tries(g, origin, tries, sizeof tries);
        fprintf(out, "%s %s %.3f s at %.3f (%u msgs%s%s%s)", any++ ? "," : "", dec_stage_name(k),
                secs(g->first_ns, g->last_ns), secs(origin, g->first_ns), g->count, tries[0] ? ", " : "", tries,
                k <= DEC_STAGE_HANDSHAKE && !g->done ? ", not completed" : "");
    }
    fprintf(out, "%s\n", any ? "" : " none");
    if (s->tls_records)
        fprintf(out, "  TLS      %u records (V2G over TLS: %s)\n", s->tls_records,
                s->exi_messages ? "decrypted with the key log" : "encrypted, not decoded");
    if (s->voltage.seen || s->current.seen)
        fprintf(out, "  EVSE     voltage %g .. %g V, current %g .. %g A, energy %.3f Wh\n", s->voltage.min,
                s->voltage.max, s->current.min, s->current.max, s->energy_wh);
    fprintf(out, "  EXI      %u messages, %u decode errors\n", s->exi_messages, s->exi_errors);
    fprintf(out, "  end      %s\n", s->end_text);
    return ferror(out) ? -1 : 0;
}

void dec_text_faults(FILE *out, const dec_session *s, uint64_t origin_ns)
{
    if (!s->nfaults)
        return;
    fprintf(out, "  FAULTS   %u:\n", s->nfaults);
    unsigned kept = s->nfaults < DEC_MAX_FAULTS ? s->nfaults : DEC_MAX_FAULTS;
    for (unsigned i = 0; i < kept; i++) {
        const dec_fault *f = &s->faults[i];
        fprintf(out, "    %10.3f  %s", secs(origin_ns, f->first_ns), f->text);
        if (f->count > 1)
            fprintf(out, " (%u times)", f->count);
        fputc('\n', out);
    }
    if (s->nfaults > kept)
        fprintf(out, "    ... and %u more\n", s->nfaults - kept);
}

int dec_text_summary(FILE *out, const dec_analyzer *a)
{
    const dec_totals *t = dec_stats(a);
    for (size_t i = 0; i < dec_nsessions(a); i++)
        dec_text_session(out, a, i);
    const cap_stats *c = &t->capture;
    char first[40], last[40];
    dec_utc_text(t->first_ns, first, sizeof first);
    dec_utc_text(t->last_ns, last, sizeof last);
    fprintf(out, "\ncaptured %s (time 0) .. %s", first, last);
    fprintf(out,
            "\ntotals: %llu frames; HomePlug %u, SDP %u, EXI messages %u (%u decode errors), V2GTP without a "
            "codec %u; other traffic skipped: %llu frames (IPv4 syslog, mDNS, ICMPv6, ...); %llu malformed (%u "
            "HomePlug); TCP: %llu connections, %llu retransmitted segments, %llu gaps (%llu bytes)\n",
            (unsigned long long)c->frames, t->homeplug, t->sdp, t->exi, t->exi_errors, t->unsupported,
            (unsigned long long)c->other, (unsigned long long)c->malformed + t->homeplug_malformed,
            t->homeplug_malformed, (unsigned long long)c->connections,
            (unsigned long long)c->retransmissions, (unsigned long long)c->gaps, (unsigned long long)c->gap_bytes);
    return ferror(out) ? -1 : 0;
}
