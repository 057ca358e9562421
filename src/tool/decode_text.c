/* Text output of `ccsplc decode`: one timeline line per record, then a summary per session and totals. */
#include <string.h>

#include "decode_int.h"

int dec_text_record(FILE *out, const dec_record *r, uint64_t origin_ns)
{
    double t = (double)(int64_t)(r->ts_ns - origin_ns) / 1e9;
    char conn[24] = "";
    if (r->layer == DEC_LAYER_TCP)
        snprintf(conn, sizeof conn, "conn %d: ", r->conn);
    int rc = fprintf(out, "%10.3f  %-14s %-12s %-30s %s%s%s%s\n", t, dec_dir_name(r->dir), r->proto, r->name, conn,
                     r->keys, r->error ? (r->keys[0] ? " ERROR: " : "ERROR: ") : "", r->error ? r->error : "");
    return rc < 0 ? -1 : 0;
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
    fprintf(out, "\n  time     %.3f .. %.3f s (%.3f s)\n", secs(origin, s->first_ns), secs(origin, s->last_ns),
            secs(s->first_ns, s->last_ns));
    party(out, "car", s->has_car_mac, s->car_mac, "EVCCID", s->evccid);
    party(out, "charger", s->has_charger_mac, s->charger_mac, "EVSEID", s->evseid);
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
        fprintf(out, "  TLS      %u records (V2G over TLS: encrypted, not decoded)\n", s->tls_records);
    if (s->voltage.seen || s->current.seen)
        fprintf(out, "  EVSE     voltage %g .. %g V, current %g .. %g A, energy %.3f Wh\n", s->voltage.min,
                s->voltage.max, s->current.min, s->current.max, s->energy_wh);
    fprintf(out, "  EXI      %u messages, %u decode errors\n", s->exi_messages, s->exi_errors);
    fprintf(out, "  end      %s\n", s->end_text);
    return ferror(out) ? -1 : 0;
}

int dec_text_summary(FILE *out, const dec_analyzer *a)
{
    const dec_totals *t = dec_stats(a);
    for (size_t i = 0; i < dec_nsessions(a); i++)
        dec_text_session(out, a, i);
    const cap_stats *c = &t->capture;
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
