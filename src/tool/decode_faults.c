/* What a capture shows going wrong, per record and per session: FAILED_* response codes, a SessionID other than
 * the one the charger assigned (sess_sid_watch), a SLAC RunID other than the run's (slac_watch), requests left
 * unanswered, messages that do not decode. Host side. */
#include <string.h>

#include "decode_int.h"

static int ends(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

/* A hex digit's value (either case), or -1. */
static int nibble(char ch)
{
    unsigned c = (unsigned char)(ch | 0x20);
    return c >= '0' && c <= '9' ? (int)(c - '0') : c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10) : -1;
}

/* Hex text (a SessionID field) into bytes: their count, or -1 when it is no hex of at most cap bytes. */
static int unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s);
    if (n % 2 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = nibble(s[i]), lo = nibble(s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return (int)(n / 2);
}

static void append(char *buf, size_t cap, const char *text)
{
    size_t n = strlen(buf);
    snprintf(buf + n, cap - n, "%s%s", n ? "; " : "", text);
}

/* The SessionID rule (sess_sid_watch): the session learns the assigned ID and the first other one. */
static void check_sid(dec_session *s, dec_conn *c, const dec_record *r, char *buf, size_t cap)
{
    const char *hex = dec_find(r, "SessionID");
    uint8_t sid[SESS_SID_MAX];
    int len = hex ? unhex(hex, sid, sizeof sid) : -1;
    if (len < 0)
        return;
    int ok = sess_sid_watch_msg(&c->sid, r->name, sid, (size_t)len);
    if (ok == 1 && s && !strcmp(r->name, "SessionSetupRes"))
        snprintf(s->session_id, sizeof s->session_id, "%s", hex);
    if (ok)
        return;
    char want[2 * SESS_SID_MAX + 1], text[160];
    dec_hex(c->sid.id, c->sid.len, want, sizeof want);
    snprintf(text, sizeof text, "SessionID %s, not %s that the charger assigned in SessionSetupRes", hex, want);
    append(buf, cap, text);
    if (!s)
        return;
    if (!s->session_id_mismatches++)
        snprintf(s->car_session_id, sizeof s->car_session_id, "%s", hex);
}

void dec_faults_v2g(dec_analyzer *a, dec_conn *c, dec_record *r, char *buf, size_t cap)
{
    buf[0] = 0;
    if (r->error || !r->exi)
        return;
    dec_session *s = r->session >= 0 ? &a->sess[r->session] : NULL;
    char text[160];
    const char *code = dec_find(r, "ResponseCode");
    if (code && !strncmp(code, "FAILED", 6)) {
        snprintf(text, sizeof text, "%s in %s", code, r->name);
        append(buf, cap, text);
    }
    check_sid(s, c, r, buf, cap);
    if (ends(r->name, "Req") && r->dir == DEC_DIR_CAR_TO_CHARGER) {
        if (c->pending[0]) {
            snprintf(text, sizeof text, "no response to the previous %s", c->pending);
            append(buf, cap, text);
        }
        dec_copy(c->pending, sizeof c->pending, r->name);
        c->pending_ns = r->ts_ns;
    } else if (ends(r->name, "Res")) {
        c->pending[0] = 0;
    }
    if (buf[0])
        r->fault = buf;
}

void dec_faults_slac(dec_analyzer *a, const hpgp_msg *m, dec_record *r, char *buf, size_t cap)
{
    if (slac_watch_msg(&a->slac, m) != 0)
        return;
    char got[2 * HPGP_RUN_ID_LEN + 1], want[2 * HPGP_RUN_ID_LEN + 1];
    dec_hex(hpgp_run_id(m), HPGP_RUN_ID_LEN, got, sizeof got);
    dec_hex(a->slac.run_id, HPGP_RUN_ID_LEN, want, sizeof want);
    /* ISO 15118-3: every message of a SLAC run carries the RunID of the car's CM_SLAC_PARAM.REQ */
    snprintf(buf, cap, "RunID %s in %s, not %s of the car's CM_SLAC_PARAM.REQ", got, r->name, want);
    r->fault = buf;
}

void dec_fault_add(dec_session *s, uint64_t ts_ns, const char *text)
{
    unsigned kept = s->nfaults < DEC_MAX_FAULTS ? s->nfaults : DEC_MAX_FAULTS;
    for (unsigned i = 0; i < kept; i++)
        if (!strcmp(s->faults[i].text, text)) {
            s->faults[i].count++;
            return;
        }
    if (kept < DEC_MAX_FAULTS) {
        s->faults[kept] = (dec_fault){.first_ns = ts_ns, .count = 1};
        snprintf(s->faults[kept].text, sizeof s->faults[kept].text, "%s", text);
    }
    s->nfaults++;
}

void dec_faults_finish(dec_analyzer *a)
{
    for (size_t i = 0; i < a->nconns; i++) {
        const dec_conn *c = &a->conns[i];
        char text[96];
        if (c->session < 0 || !c->pending[0])
            continue;
        snprintf(text, sizeof text, "no response to %s (the connection's last request)", c->pending);
        dec_fault_add(&a->sess[c->session], c->pending_ns, text);
    }
}
