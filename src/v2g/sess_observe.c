/* A bystander following a session through the charger's table (sequence), the car's (V2G_EVCC_Msg_Timeout) and
 * the SessionID the charger assigned; see ccsplc/core/sess_observe.h. The charger's state is
 * kept as a set because where ISO-2 goes next depends on AC or DC (iso2_evse_next), which only the charger's
 * handler learns from the request. */
#include "ccsplc/core/sess_observe.h"

#include <string.h>

#include "ccsplc/core/errors.h"
#include "sess_internal.h"

void sess_observe_init(sess_observer *o, const sess_proto *p)
{
    o->proto = p;
    o->states = o->before = 1u;   /* state 0, SessionSetup */
    o->last = -1;
}

/* The states a row leads to, for a DC and an AC session alike (evse_next reads only the session's AC flag). */
static uint32_t next_states(const sess_proto *p, const sess_evse_row *row, sess_evse *s)
{
    if (!p->evse_next)
        return 1u << row->next;
    s->ac = 0;
    uint32_t dc = 1u << p->evse_next(s, row);
    s->ac = 1;
    return dc | 1u << p->evse_next(s, row);
}

static uint32_t step(const sess_proto *p, uint32_t states, int msg)
{
    sess_evse s;
    memset(&s, 0, sizeof s);
    uint32_t to = 0;
    for (uint8_t i = 0; i < p->evse_nrows; i++) {
        const sess_evse_row *row = &p->evse_rows[i];
        if (row->req == msg && states >> row->state & 1u)
            to |= next_states(p, row, &s);
    }
    return to;
}

int sess_observe_request(sess_observer *o, uint16_t payload_type, const uint8_t *payload, size_t len,
                         sess_docs *scratch, uint32_t *timeout_ms)
{
    const sess_proto *p = o->proto;
    *timeout_ms = 0;
    int msg = sess_decode(p, payload_type, payload, len, &scratch->rx, NULL) == 0 ? p->msg_of(&scratch->rx) : -1;
    if (msg < 0 || p->response_of(msg) < 0)
        return CCS_EPROTO;
    for (uint8_t i = 0; i < p->pev_nrows && !*timeout_ms; i++)
        if (p->pev_rows[i].req == msg)
            *timeout_ms = p->pev_rows[i].msg_timeout_ms;
    if (msg == o->last && step(p, o->before, msg))
        return 1;
    uint32_t to = step(p, o->states, msg);
    if (!to)
        return 0;
    o->before = o->states;
    o->states = to;
    o->last = msg;
    return 1;
}

/* name is one of the space-separated words of list. */
static int listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *s = strstr(list, name); s; s = strstr(s + 1, name))
        if ((s == list || s[-1] == ' ') && (s[n] == ' ' || !s[n]))
            return 1;
    return 0;
}

void sess_observe_expected(const sess_observer *o, char *out, size_t cap)
{
    const sess_proto *p = o->proto;
    size_t n = 0;
    if (!cap)
        return;
    out[0] = 0;
    for (uint8_t i = 0; i < p->evse_nrows; i++) {
        const sess_evse_row *row = &p->evse_rows[i];
        const char *name = p->msg_name(row->req);
        size_t len = strlen(name);
        if (!(o->states >> row->state & 1u) || listed(out, name) || n + len + 2 > cap)
            continue;
        if (n)
            out[n++] = ' ';
        memcpy(out + n, name, len + 1);
        n += len;
    }
}

int sess_sid_watch_msg(sess_sid_watch *w, const char *name, const uint8_t *sid, size_t len)
{
    if (len > SESS_SID_MAX)
        return -1;
    if (!strcmp(name, "SessionSetupRes")) {
        memcpy(w->id, sid, len);
        w->len = (uint8_t)len;
        w->has = 1;
        return 1;
    }
    if (!w->has || !strcmp(name, "SessionSetupReq"))
        return -1; /* the car proposes an ID (or zeros) before the charger assigns one */
    return len == w->len && !memcmp(sid, w->id, len);
}
