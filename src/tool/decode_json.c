/* JSON Lines output of `ccsplc decode`: one object per record with every decoded field, one per session.
 * Strings are escaped for JSON and for embedding in HTML (<, and bytes >= 0x7f as \u00XX). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "decode_int.h"

/* One JSON line built in memory and written with one fwrite (no stdio call per piece): a buffer on the stack,
 * moved to the heap for lines that do not fit (a certificate chain's hex); failed when memory ran out. */
typedef struct {
    char *s;
    size_t len, cap;
    int failed;
    char stack[8192];
} jline;

static void jl_init(jline *l)
{
    l->s = l->stack;
    l->len = 0;
    l->cap = sizeof l->stack;
    l->failed = 0;
}

/* Room for n more bytes: 1, or 0 when memory ran out. */
static int jl_room(jline *l, size_t n)
{
    if (l->len + n <= l->cap)
        return 1;
    if (l->failed)
        return 0;
    size_t cap = 2 * l->cap > l->len + n ? 2 * l->cap : l->len + n;
    char *s = l->s == l->stack ? malloc(cap) : realloc(l->s, cap);
    if (!s) {
        l->failed = 1;
        return 0;
    }
    if (l->s == l->stack)
        memcpy(s, l->stack, l->len);
    l->s = s;
    l->cap = cap;
    return 1;
}

static void jl_put(jline *l, const char *p, size_t n)
{
    if (jl_room(l, n)) {
        memcpy(l->s + l->len, p, n);
        l->len += n;
    }
}

static void jl_puts(jline *l, const char *p) { jl_put(l, p, strlen(p)); }

static void jl_printf(jline *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void jl_printf(jline *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(l->s + l->len, l->cap - l->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= l->cap - l->len) {
        if (!jl_room(l, (size_t)n + 1))
            return;
        va_start(ap, fmt);
        vsnprintf(l->s + l->len, l->cap - l->len, fmt, ap);
        va_end(ap);
    }
    l->len += (size_t)n;
}

/* Written out (and freed): 0, or -1 when a write failed or memory ran out. */
static int jl_flush(jline *l, FILE *out)
{
    int rc = fwrite(l->s, 1, l->len, out) == l->len && !l->failed ? 0 : -1;
    if (l->s != l->stack)
        free(l->s);
    jl_init(l);
    return rc;
}

/* No byte of x needs escaping: none below 0x20 or above 0x7e, no '"', '<', '\\' (any-byte tests on 8 at once). */
static inline int plain8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t below = (x - ones * 0x20) & ~x & high, above = ((x + ones) | x) & high;
    uint64_t q = x ^ ones * '"', lt = x ^ ones * '<', bs = x ^ ones * '\\';
    uint64_t hit = ((q - ones) & ~q) | ((lt - ones) & ~lt) | ((bs - ones) & ~bs);
    return !(below | above | (hit & high));
}

/* s (n bytes) as a JSON string at o, which has room for 6 n + 2: '"' and '\' escaped with '\', other bytes outside
 * printable ASCII and '<' as \u00XX. Returns the end. */
static char *json_str_at(char *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    static const unsigned char escaped[256] = {/* 1: below 0x20, '"', '<', '\\', 0x7f and above */
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    };
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    *o++ = '"';
    while (p < end) {
        uint64_t x;
        if (end - p >= 8 && (memcpy(&x, p, 8), plain8(x))) {
            memcpy(o, p, 8);
            o += 8;
            p += 8;
            continue;
        }
        for (const unsigned char *stop = end - p >= 8 ? p + 8 : end; p < stop; p++) {
            if (!escaped[*p]) {
                *o++ = (char)*p;
            } else if (*p == '"' || *p == '\\') {
                *o++ = '\\';
                *o++ = (char)*p;
            } else {
                memcpy(o, "\\u00", 4);
                o[4] = hex[*p >> 4];
                o[5] = hex[*p & 15];
                o += 6;
            }
        }
    }
    *o++ = '"';
    return o;
}

/* [","] s [":" [v]] in one go: a string, a key with its value (v NULL: "null"), or a key alone (no v). */
static void jl_strs(jline *l, int comma, const char *s, int colon, const char *v)
{
    size_t n = strlen(s), m = v ? strlen(v) : 4;
    if (!jl_room(l, 6 * (n + m) + 6))
        return;
    char *o = l->s + l->len;
    if (comma)
        *o++ = ',';
    o = json_str_at(o, s, n);
    if (colon == 2 && v) {
        *o++ = ':';
        o = json_str_at(o, v, m);
    } else if (colon == 2) {
        memcpy(o, ":null", 5);
        o += 5;
    } else if (colon) {
        *o++ = ':';
    }
    l->len = (size_t)(o - l->s);
}

static void jl_str(jline *l, const char *s) { jl_strs(l, 0, s, 0, NULL); }

/* The decimal digits of v, at least width of them (zeros in front). */
static void jl_uint(jline *l, uint64_t v, int width)
{
    char d[24];
    int n = 0;
    do {
        d[sizeof d - 1 - n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v || n < width);
    jl_put(l, d + sizeof d - n, (size_t)n);
}

static void jl_int(jline *l, int64_t v)
{
    if (v < 0)
        jl_put(l, "-", 1);
    jl_uint(l, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 1);
}

void dec_json_string(FILE *out, const char *s)
{
    jline l;
    jl_init(&l);
    jl_str(&l, s);
    jl_flush(&l, out);
}

static void key(jline *l, const char *k, int first) { jl_strs(l, !first, k, 1, NULL); }

static void str_member(jline *l, const char *k, const char *v) { jl_strs(l, 1, k, 2, v); }

/* ts - origin in seconds as "%.9f" prints it: below 2^22 s the double nearest to ns / 1e9 is closer to that
 * 9-decimal value than half a nanosecond, so its digits are the nanoseconds'; printf for longer spans. */
static void seconds(jline *l, const char *k, uint64_t origin, uint64_t ts)
{
    int64_t ns = (int64_t)(ts - origin);
    key(l, k, 0);
    if (ns > -4000000000000000 && ns < 4000000000000000) {
        uint64_t mag = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
        if (ns < 0)
            jl_put(l, "-", 1);
        jl_uint(l, mag / 1000000000u, 1);
        jl_put(l, ".", 1);
        jl_uint(l, mag % 1000000000u, 9);
        return;
    }
    jl_printf(l, "%.9f", (double)ns / 1e9);
}

int dec_json_record(FILE *out, const dec_record *r, uint64_t origin_ns)
{
    jline l;
    jl_init(&l);
    jl_puts(&l, "{\"ts\":\"");
    jl_uint(&l, r->ts_ns / 1000000000u, 1);
    jl_put(&l, ".", 1);
    jl_uint(&l, r->ts_ns % 1000000000u, 9);
    jl_put(&l, "\"", 1);
    seconds(&l, "t", origin_ns, r->ts_ns);
    jl_puts(&l, ",\"session\":");
    jl_int(&l, r->session);
    jl_puts(&l, ",\"conn\":");
    jl_int(&l, r->conn);
    str_member(&l, "dir", dec_dir_name(r->dir));
    str_member(&l, "layer", dec_layer_name(r->layer));
    str_member(&l, "proto", r->proto);
    str_member(&l, "msg", r->name);
    str_member(&l, "src", r->src);
    str_member(&l, "dst", r->dst);
    str_member(&l, "keys", r->keys);
    str_member(&l, "error", r->error);
    str_member(&l, "fault", r->fault);
    key(&l, "hex", 0);
    if (jl_room(&l, 2 * r->raw_len + 3)) {
        l.s[l.len] = '"';
        dec_hex(r->raw, r->raw_len, l.s + l.len + 1, 2 * r->raw_len + 1);
        l.len += 2 * r->raw_len + 1;
        l.s[l.len++] = '"';
    }
    key(&l, "fields", 0);
    jl_put(&l, "{", 1);
    for (size_t i = 0; i < r->nfields; i++)
        jl_strs(&l, i != 0, r->fields[i].key, 2, r->fields[i].value);
    jl_put(&l, "}}\n", 3);
    return jl_flush(&l, out) || ferror(out) ? -1 : 0;
}

static void range(jline *l, const char *k, const dec_range *g)
{
    key(l, k, 0);
    if (g->seen)
        jl_printf(l, "{\"min\":%.9g,\"max\":%.9g}", g->min, g->max);
    else
        jl_put(l, "null", 4);
}

static void mac(jline *l, const char *k, int has, const uint8_t m[6])
{
    char t[18];
    dec_mac_text(m, t, sizeof t);
    str_member(l, k, has ? t : NULL);
}

/* "faults":{"count":N,"list":[{"t":...,"count":...,"text":...}]} (the first DEC_MAX_FAULTS) */
static void faults(jline *l, const dec_session *s, uint64_t origin)
{
    jl_printf(l, ",\"faults\":{\"count\":%u,\"list\":[", s->nfaults);
    for (unsigned i = 0; i < s->nfaults && i < DEC_MAX_FAULTS; i++) {
        const dec_fault *f = &s->faults[i];
        jl_printf(l, "%s{\"count\":%u", i ? "," : "", f->count);
        seconds(l, "t", origin, f->first_ns);
        str_member(l, "text", f->text);
        jl_put(l, "}", 1);
    }
    jl_puts(l, "]}");
}

int dec_json_session(FILE *out, const dec_analyzer *a, size_t i)
{
    const dec_session *s = dec_session_get(a, i);
    if (!s)
        return -1;
    uint64_t origin = dec_stats(a)->first_ns;
    static const char *const ends[] = {"none", "SessionStop", "error", "TCP close", "TCP reset"};
    jline line, *l = &line;
    jl_init(l);
    jl_printf(l, "{\"layer\":\"session\",\"session\":%zu,\"conn\":%d", i, s->conn);
    str_member(l, "proto", s->proto);
    str_member(l, "namespace", s->ns);
    jl_printf(l, ",\"detected\":%s", s->detected ? "true" : "false");
    mac(l, "car_mac", s->has_car_mac, s->car_mac);
    mac(l, "charger_mac", s->has_charger_mac, s->charger_mac);
    str_member(l, "evccid", s->evccid);
    str_member(l, "evseid", s->evseid);
    str_member(l, "session_id", s->session_id[0] ? s->session_id : NULL);
    str_member(l, "car_session_id", s->car_session_id[0] ? s->car_session_id : NULL);
    jl_printf(l, ",\"session_id_mismatches\":%u", s->session_id_mismatches);
    faults(l, s, origin);
    char date[40];
    dec_utc_text(s->first_ns, date, sizeof date);
    str_member(l, "start_utc", date);
    seconds(l, "first", origin, s->first_ns);
    seconds(l, "last", origin, s->last_ns);
    key(l, "stages", 0);
    jl_put(l, "{", 1);
    for (int k = 0, first = 1; k < DEC_NSTAGES; k++) {
        const dec_stage *g = &s->stage[k];
        if (!g->seen)
            continue;
        key(l, dec_stage_name(k), first);
        first = 0;
        jl_printf(l, "{\"completed\":%s,\"messages\":%u", g->done ? "true" : "false", g->count);
        seconds(l, "start", origin, g->first_ns);
        seconds(l, "duration", g->first_ns, g->last_ns);
        if (g->attempts) {
            jl_printf(l, ",\"attempts\":%u", g->attempts);
            seconds(l, "first_attempt", origin, g->attempts_first_ns);
        }
        jl_put(l, "}", 1);
    }
    jl_put(l, "}", 1);
    range(l, "voltage", &s->voltage);
    range(l, "current", &s->current);
    jl_printf(l, ",\"energy_wh\":%.9g,\"exi_messages\":%u,\"exi_errors\":%u,\"tls_records\":%u,\"ac\":%s",
              s->energy_wh, s->exi_messages, s->exi_errors, s->tls_records, s->ac ? "true" : "false");
    str_member(l, "end_kind", ends[s->end]);
    str_member(l, "end", s->end_text);
    jl_put(l, "}\n", 2);
    return jl_flush(l, out) || ferror(out) ? -1 : 0;
}

int dec_json_sessions(FILE *out, const dec_analyzer *a)
{
    for (size_t i = 0; i < dec_nsessions(a); i++)
        dec_json_session(out, a, i);
    return ferror(out) ? -1 : 0;
}
