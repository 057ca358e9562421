/* The charger's session engine (SECC), protocol-independent: SupportedAppProtocol, then the protocol's table
 * (allowed request per state, handler, next state, timeout), SessionID and sequence checks, the safe state. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/v2gtp.h"
#include "sess_internal.h"

void sess_evse_config_default(sess_evse_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
#if CCS_PROTO_DIN
    cfg->protos[cfg->nprotos++] = &sess_proto_din;
#endif
#if CCS_PROTO_ISO2
    cfg->protos[cfg->nprotos++] = &sess_proto_iso2;
#endif
#if CCS_PROTO_ISO20
    cfg->protos[cfg->nprotos++] = &sess_proto_iso20;   /* DC; the car decides (SupportedAppProtocol) */
#endif
#if CCS_PROTO_ISO20 && CCS_PROTO_ISO20_AC
    cfg->protos[cfg->nprotos++] = &sess_proto_iso20_ac;
#endif
    static const uint8_t id[] = "ZZ00000";   /* the EVSEID pyPLC uses (Ioniq and Model Y captures) */
    memcpy(cfg->evse_id, id, sizeof id - 1);
    cfg->evse_id_len = sizeof id - 1;
    cfg->session_id_len = 8;
    cfg->max_v = 500.0f;
    cfg->max_a = 125.0f;
    cfg->max_w = 50000.0f;
    cfg->min_v = 50.0f;
    cfg->min_a = 0.0f;
    cfg->current_tolerance_a = 5.0f;
    cfg->peak_ripple_a = 5.0f;
    cfg->precharge_max_a = SESS_EVSE_PRECHARGE_MAX_A;
    cfg->no_progress_ms = SESS_EVSE_NO_PROGRESS_MS;
    cfg->notice_delay_s = SESS_ISO20_NOTICE_DELAY_S;
    cfg->service_renegotiation = 1;
    cfg->offer_dc = cfg->offer_ac = 1;
    cfg->ac_nominal_v = 230.0f;
    cfg->ac_max_a = 32.0f;
}

void sess_evse_init(sess_evse *s, const sess_evse_config *cfg, sess_docs *docs)
{
    sess_evse_config c = *cfg;   /* cfg may point into *s */
    memset(s, 0, sizeof *s);
    s->cfg = c;
    if (s->cfg.session_id_len == 0 || s->cfg.session_id_len > SESS_SESSION_ID_MAX)
        s->cfg.session_id_len = SESS_SESSION_ID_MAX;
    s->docs = docs;
    s->phase = SESS_IDLE;
    s->out.safe = 1;
}

static void set_deadline(sess_evse *s, uint32_t now, uint32_t timeout)
{
    s->has_deadline = 1;
    s->deadline_ms = now + timeout;
}

void sess_evse_connect(sess_evse *s, uint32_t now_ms)
{
    s->proto = NULL;
    s->phase = SESS_HANDSHAKE;
    s->state = 0;
    s->ongoing = 0;
    s->close = 0;
    s->session_id_len = 0;
    s->evccid_len = 0;
    s->evccid_text = 0;
    s->stop = SESS_STOP_NONE;
    s->tx_len = 0;
    s->timer = NULL;
    memset(&s->bad, 0, sizeof s->bad);
    s->ev_max_v = s->ev_battery_v = 0.0f;
    s->charging = 0;
    s->control_mode = 0;
    memset(&s->out, 0, sizeof s->out);
    set_deadline(s, now_ms, SESS_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS);
}

void sess_evse_new_session_id(sess_evse *s)
{
    s->session_id_len = s->cfg.session_id_len;
    if (s->cfg.rng) {
        do {
            if (s->cfg.rng(s->cfg.rng_ctx, s->session_id, s->session_id_len) != 0) {
                memset(s->session_id, 0, s->session_id_len);   /* running() sends nothing and stops */
                s->rng_failed = 1;
                return;
            }
        } while (s->session_id[0] == 0);   /* all-zero means "no session" */
        return;
    }
    uint32_t n = ++s->id_counter;
    memset(s->session_id, 0, s->session_id_len);
    for (uint8_t i = 0; i < 4 && i < s->session_id_len; i++) s->session_id[s->session_id_len - 1 - i] = (uint8_t)(n >> (8 * i));
}

void sess_evse_safe(sess_evse *s, sess_stop_reason why)
{
    memset(&s->out, 0, sizeof s->out);
    s->out.safe = 1;
    if (s->stop == SESS_STOP_NONE) s->stop = why;
    s->phase = why == SESS_STOP_NORMAL ? SESS_DONE : SESS_SAFE;
    s->close = 1;
    s->has_deadline = 0;
}

/* A message refused as bad: why, then the safe state. */
static int bad_message(sess_evse *s, const char *what, uint16_t type, size_t len)
{
    sess_bad(&s->bad, what, type, len);
    sess_evse_safe(s, SESS_STOP_BAD_MESSAGE);
    return CCS_EPROTO;
}

static int handshake(sess_evse *s, const uint8_t *payload, size_t len)
{
    struct app_exiDocument *rx = &s->docs->rx.app, *tx = &s->docs->tx.app;
    if (exi_decode_ex(&app_codec, payload, len, rx, &s->bad.exi) != 0)
        return bad_message(s, "undecodable", V2GTP_EXI, len);
    if (rx->root != APP_ROOT_supportedAppProtocolReq)
        return bad_message(s, "not a supportedAppProtocolReq", V2GTP_EXI, len);
    s->rx_name = "supportedAppProtocolReq";
    s->tx_name = "supportedAppProtocolRes";
    s->proto = sess_sap_choose(s->cfg.protos, s->cfg.nprotos, rx, tx);
    s->last_code = tx->supportedAppProtocolRes.ResponseCode;
    int rc = sess_pack(NULL, tx, s->tx, sizeof s->tx, &s->tx_len);
    if (!s->proto || rc) {
        sess_evse_safe(s, SESS_STOP_NO_PROTOCOL);
        return rc ? rc : CCS_EPROTO;
    }
    s->phase = SESS_RUNNING;
    s->state = 0;   /* SessionSetup */
    return 0;
}

static const sess_evse_row *find_row(const sess_proto *p, uint8_t state, int msg)
{
    for (uint8_t i = 0; i < p->evse_nrows; i++)
        if (p->evse_rows[i].state == state && p->evse_rows[i].req == msg) return &p->evse_rows[i];
    return NULL;
}

static int session_matches(const sess_evse *s, const void *doc)
{
    size_t len;
    const uint8_t *sid = s->proto->session_id(doc, &len);
    return len == s->session_id_len && memcmp(sid, s->session_id, len) == 0;
}

/* An error answer: the response to this request with a FAILED code and safe status fields, then safe. */
static void refuse(sess_evse *s, int code, sess_stop_reason why)
{
    s->proto->set_code(&s->docs->tx, code);
    sess_evse_safe(s, why);
    s->proto->evse_safe_fields(s, &s->docs->tx);
}

static int running(sess_evse *s, uint16_t type, const uint8_t *payload, size_t len, uint32_t now)
{
    const sess_proto *p = s->proto;
    void *rx = &s->docs->rx, *tx = &s->docs->tx;
    int rc = sess_decode(p, type, payload, len, rx, &s->bad.exi);
    int msg = rc == 0 ? p->msg_of(rx) : -1;
    int res = msg >= 0 ? p->response_of(msg) : -1;
    s->rx_name = msg >= 0 ? p->msg_name(msg) : NULL;
    if (res < 0)                   /* undecodable, or not a request: no response possible */
        return bad_message(s, rc == 0 ? (msg < 0 ? "not a message of this protocol" : "not a request")
                              : s->bad.exi.code ? "undecodable" : "of a payload type without a codec in this protocol",
                           type, len);
    s->tx_name = p->msg_name(res);
    s->requests++;
    sess_start(p, tx, res, s->session_id, s->session_id_len, s->cfg.clock_unix_s, now);
    const sess_evse_row *row = find_row(p, s->state, msg);
    int h;
    if (msg != p->msg_session_setup && !session_matches(s, rx)) {
        refuse(s, SESS_RC_UNKNOWN_SESSION, SESS_STOP_UNKNOWN_SESSION);
        h = SESS_H_FAIL;
    } else if (!row) {
        refuse(s, SESS_RC_SEQUENCE, SESS_STOP_SEQUENCE);
        h = SESS_H_FAIL;
    } else {
        s->rng_failed = 0;
        h = row->fn(s, now);
        if (s->rng_failed) {        /* no SessionID nobody can guess: no response, the safe state */
            sess_evse_safe(s, SESS_STOP_NO_RANDOM);
            return CCS_ERANDOM;
        }
        if (h == SESS_H_FAIL) {     /* the handler set the response code */
            sess_evse_safe(s, SESS_STOP_FAILED);
            p->evse_safe_fields(s, tx);
        }
    }
    s->last_code = p->get_code(tx);
    rc = sess_pack(p, tx, s->tx, sizeof s->tx, &s->tx_len);
    if (rc) {
        bad_message(s, "answered by a response we cannot encode", type, len);
        return rc;
    }
    if (h == SESS_H_FAIL) return CCS_EPROTO;
    if (h == SESS_H_END) {
        sess_evse_safe(s, SESS_STOP_NORMAL);
        return 0;
    }
    if (h == SESS_H_NEXT) {
        uint8_t next = p->evse_next ? p->evse_next(s, row) : row->next;
        if (next != s->state) s->ongoing = 0;
        s->state = next;
    }
    set_deadline(s, now, p->evse_states[s->state].timeout_ms);
    return 0;
}

int sess_evse_on_message(sess_evse *s, uint16_t payload_type, const uint8_t *payload, size_t len, uint32_t now_ms)
{
    s->tx_len = 0;
    s->rx_name = s->tx_name = NULL;
    if (s->phase != SESS_HANDSHAKE && s->phase != SESS_RUNNING) return CCS_ESTATE;
    if (s->phase == SESS_HANDSHAKE) {
        if (payload_type != V2GTP_EXI)     /* SupportedAppProtocol is V2GTP_EXI for every protocol */
            return bad_message(s, "not of V2GTP payload type 0x8001 (SupportedAppProtocol)", payload_type, len);
        int rc = handshake(s, payload, len);
        if (!rc) set_deadline(s, now_ms, s->proto->evse_states[s->state].timeout_ms);
        return rc;
    }
    return running(s, payload_type, payload, len, now_ms);
}

void sess_evse_disconnect(sess_evse *s, uint32_t now_ms)
{
    (void)now_ms;
    if (s->phase == SESS_HANDSHAKE || s->phase == SESS_RUNNING) sess_evse_safe(s, SESS_STOP_DISCONNECT);
    s->close = 0;
}

void sess_evse_tick(sess_evse *s, uint32_t now_ms)
{
    s->tx_len = 0;
    if (!s->has_deadline || (int32_t)(now_ms - s->deadline_ms) < 0) return;
    /* from the connection to SupportedAppProtocolReq; then between requests */
    s->timer = s->phase == SESS_HANDSHAKE ? "V2G_EVCC_CommunicationSetup_Timeout" : "V2G_SECC_Sequence_Timeout";
    sess_evse_safe(s, SESS_STOP_TIMEOUT);
}

int sess_evse_next_timeout(const sess_evse *s, uint32_t *at_ms)
{
    if (!s->has_deadline) return 0;
    *at_ms = s->deadline_ms;
    return 1;
}

const char *sess_evse_state_name(const sess_evse *s)
{
    static const char *const phases[] = { "Idle", "WaitAppHandshake", "?", "SessionStopped", "Safe" };
    if (s->phase == SESS_RUNNING && s->proto) return s->proto->evse_states[s->state].name;
    return phases[s->phase];
}
