/* JSON Lines output of `ccsplc decode`: one object per record with every decoded field, one per session.
 * Strings are escaped for JSON and for embedding in HTML (<, and bytes >= 0x7f as \u00XX). */
#include <string.h>

#include "decode_int.h"

static int plain(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<'; }

void dec_json_string(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    while (*p) {
        size_t n = 0;
        while (plain(p[n]))
            n++;
        fwrite(p, 1, n, out);
        p += n;
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p++);
        else if (*p)
            fprintf(out, "\\u%04x", *p++);
    }
    fputc('"', out);
}

static void key(FILE *out, const char *k, int first)
{
    if (!first)
        fputc(',', out);
    dec_json_string(out, k);
    fputc(':', out);
}

static void str_member(FILE *out, const char *k, const char *v)
{
    key(out, k, 0);
    if (v)
        dec_json_string(out, v);
    else
        fputs("null", out);
}

static void seconds(FILE *out, const char *k, uint64_t origin, uint64_t ts)
{
    key(out, k, 0);
    fprintf(out, "%.9f", (double)(int64_t)(ts - origin) / 1e9);
}

int dec_json_record(FILE *out, const dec_record *r, uint64_t origin_ns)
{
    fprintf(out, "{\"ts\":\"%llu.%09llu\"", (unsigned long long)(r->ts_ns / 1000000000u),
            (unsigned long long)(r->ts_ns % 1000000000u));
    seconds(out, "t", origin_ns, r->ts_ns);
    fprintf(out, ",\"session\":%d,\"conn\":%d", r->session, r->conn);
    str_member(out, "dir", dec_dir_name(r->dir));
    str_member(out, "layer", dec_layer_name(r->layer));
    str_member(out, "proto", r->proto);
    str_member(out, "msg", r->name);
    str_member(out, "src", r->src);
    str_member(out, "dst", r->dst);
    str_member(out, "keys", r->keys);
    str_member(out, "error", r->error);
    str_member(out, "fault", r->fault);
    key(out, "hex", 0);
    fputc('"', out);
    char hex[1025];
    for (size_t i = 0; i < r->raw_len; i += 512) {
        dec_hex(r->raw + i, r->raw_len - i < 512 ? r->raw_len - i : 512, hex, sizeof hex);
        fputs(hex, out);
    }
    fputc('"', out);
    key(out, "fields", 0);
    fputc('{', out);
    for (size_t i = 0; i < r->nfields; i++) {
        key(out, r->fields[i].key, i == 0);
        dec_json_string(out, r->fields[i].value);
    }
    fputs("}}\n", out);
    return ferror(out) ? -1 : 0;
}

static void range(FILE *out, const char *k, const dec_range *g)
{
    key(out, k, 0);
    if (g->seen)
        fprintf(out, "{\"min\":%.9g,\"max\":%.9g}", g->min, g->max);
    else
        fputs("null", out);
}

static void mac(FILE *out, const char *k, int has, const uint8_t m[6])
{
    char t[18];
    dec_mac_text(m, t, sizeof t);
    str_member(out, k, has ? t : NULL);
}

/* "faults":{"count":N,"list":[{"t":...,"count":...,"text":...}]} (the first DEC_MAX_FAULTS) */
static void faults(FILE *out, const dec_session *s, uint64_t origin)
{
    fprintf(out, ",\"faults\":{\"count\":%u,\"list\":[", s->nfaults);
    for (unsigned i = 0; i < s->nfaults && i < DEC_MAX_FAULTS; i++) {
        const dec_fault *f = &s->faults[i];
        fprintf(out, "%s{\"count\":%u", i ? "," : "", f->count);
        seconds(out, "t", origin, f->first_ns);
        str_member(out, "text", f->text);
        fputc('}', out);
    }
    fputs("]}", out);
}

int dec_json_session(FILE *out, const dec_analyzer *a, size_t i)
{
    const dec_session *s = dec_session_get(a, i);
    if (!s)
        return -1;
    uint64_t origin = dec_stats(a)->first_ns;
    static const char *const ends[] = {"none", "SessionStop", "error", "TCP close", "TCP reset"};
    fprintf(out, "{\"layer\":\"session\",\"session\":%zu,\"conn\":%d", i, s->conn);
    str_member(out, "proto", s->proto);
    str_member(out, "namespace", s->ns);
    fprintf(out, ",\"detected\":%s", s->detected ? "true" : "false");
    mac(out, "car_mac", s->has_car_mac, s->car_mac);
    mac(out, "charger_mac", s->has_charger_mac, s->charger_mac);
    str_member(out, "evccid", s->evccid);
    str_member(out, "evseid", s->evseid);
    str_member(out, "session_id", s->session_id[0] ? s->session_id : NULL);
    str_member(out, "car_session_id", s->car_session_id[0] ? s->car_session_id : NULL);
    fprintf(out, ",\"session_id_mismatches\":%u", s->session_id_mismatches);
    faults(out, s, origin);
    char date[40];
    dec_utc_text(s->first_ns, date, sizeof date);
    str_member(out, "start_utc", date);
    seconds(out, "first", origin, s->first_ns);
    seconds(out, "last", origin, s->last_ns);
    key(out, "stages", 0);
    fputc('{', out);
    for (int k = 0, first = 1; k < DEC_NSTAGES; k++) {
        const dec_stage *g = &s->stage[k];
        if (!g->seen)
            continue;
        key(out, dec_stage_name(k), first);
        first = 0;
        fputc('{', out);
        fprintf(out, "\"completed\":%s,\"messages\":%u", g->done ? "true" : "false", g->count);
        seconds(out, "start", origin, g->first_ns);
        seconds(out, "duration", g->first_ns, g->last_ns);
        if (g->attempts) {
            fprintf(out, ",\"attempts\":%u", g->attempts);
            seconds(out, "first_attempt", origin, g->attempts_first_ns);
        }
        fputc('}', out);
    }
    fputc('}', out);
    range(out, "voltage", &s->voltage);
    range(out, "current", &s->current);
    fprintf(out, ",\"energy_wh\":%.9g,\"exi_messages\":%u,\"exi_errors\":%u,\"tls_records\":%u,\"ac\":%s",
            s->energy_wh, s->exi_messages, s->exi_errors, s->tls_records, s->ac ? "true" : "false");
    str_member(out, "end_kind", ends[s->end]);
    str_member(out, "end", s->end_text);
    fputs("}\n", out);
    return ferror(out) ? -1 : 0;
}

int dec_json_sessions(FILE *out, const dec_analyzer *a)
{
    for (size_t i = 0; i < dec_nsessions(a); i++)
        dec_json_session(out, a, i);
    return ferror(out) ? -1 : 0;
}
