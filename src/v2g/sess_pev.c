/* The car's session engine (EVCC), protocol-independent: SupportedAppProtocol, then the protocol's table
 * (request per state, its response handler, next state, V2G_EVCC_Msg_Timeout and a limit on repeating),
 * SessionID checks, repeat pacing, and the safe state (stop requested, contactors opened below a current). */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/v2gtp.h"
#include "sess_internal.h"

void sess_pev_config_default(sess_pev_config *cfg, const uint8_t mac[6])
{
    memset(cfg, 0, sizeof *cfg);
#if CCS_PROTO_DIN
    cfg->protos[cfg->nprotos++] = &sess_proto_din;
#endif
    memcpy(cfg->mac, mac, 6);
    cfg->repeat_ms = SESS_PEV_REPEAT_MS;
    cfg->max_v = 410.0f;
    cfg->max_a = 125.0f;
    cfg->max_w = 50000.0f;
    cfg->capacity_wh = 60000.0f;
    cfg->full_soc = 100;
    cfg->bulk_soc = 80;
    cfg->precharge_a = 1.0f;
    cfg->precharge_tolerance_v = SESS_PEV_PRECHARGE_TOLERANCE_V;
    cfg->contactor_open_a = SESS_PEV_CONTACTOR_OPEN_A;
    cfg->ac_phases = 3;
    cfg->ac_max_v = 400.0f;
    cfg->ac_max_a = 16.0f;
    cfg->ac_min_a = 6.0f;   /* IEC 61851-1: the lowest current a PWM duty cycle can signal */
    cfg->discharge_max_a = 100.0f;   /* BPT (used with discharge_soc only) */
    cfg->discharge_max_w = 40000.0f;
}

void sess_pev_init(sess_pev *p, const sess_pev_config *cfg, sess_docs *docs)
{
    sess_pev_config c = *cfg;   /* cfg may point into *p */
    memset(p, 0, sizeof *p);
    p->cfg = c;
    p->docs = docs;
    p->phase = SESS_IDLE;
}

static const sess_pev_row *row_of(const sess_pev *p)
{
    for (uint8_t i = 0; i < p->proto->pev_nrows; i++)
        if (p->proto->pev_rows[i].state == p->state) return &p->proto->pev_rows[i];
    return NULL;
}

static void release_contactors(sess_pev *p)
{
    if (p->out.stop_requested && p->out.contactors_closed && p->in.present_a < p->cfg.contactor_open_a)
        p->out.contactors_closed = 0;
}

/* The end of a session; a normal end after a stop for a fault (out.safe already set) ends SAFE too. */
void sess_pev_safe(sess_pev *p, sess_stop_reason why)
{
    p->out.safe = p->out.safe || why != SESS_STOP_NORMAL;
    p->out.stop_requested = 1;
    p->out.cp_state_c = 0;
    if (p->stop == SESS_STOP_NONE) p->stop = why;
    p->phase = p->out.safe ? SESS_SAFE : SESS_DONE;
    p->waiting = p->repeat = 0;
    p->has_state_deadline = p->has_setup_deadline = 0;
    p->close = 1;
    release_contactors(p);
}

static int send(sess_pev *p, const void *doc, uint32_t timeout, uint32_t now)
{
    int rc = sess_pack(p->proto, doc, p->tx, sizeof p->tx, &p->tx_len);
    if (rc) {
        p->tx_len = 0;
        sess_bad(&p->bad, "our request that cannot be encoded", 0, 0);
        sess_pev_safe(p, SESS_STOP_BAD_MESSAGE);
        return rc;
    }
    p->requests++;
    p->waiting = 1;
    p->repeat = 0;
    p->deadline_ms = now + timeout;
    return 0;
}

/* Build and send the request of the current state. */
static int request(sess_pev *p, uint32_t now)
{
    const sess_pev_row *row = row_of(p);
    if (!row) {
        sess_pev_safe(p, SESS_STOP_BAD_MESSAGE);
        return CCS_ESTATE;
    }
    void *tx = &p->docs->tx;
    sess_start(p->proto, tx, row->req, p->session_id, p->session_id_len, p->cfg.clock_unix_s, now);
    int b = row->build(p, now);
    if (b == SESS_H_FAIL) {
        sess_pev_safe(p, SESS_STOP_EV_ERROR);
        return CCS_ESTATE;
    }
    if (b == SESS_H_STAY) { /* the car is not ready to send it yet: look again at the repeat pace */
        p->repeat = 1;
        p->repeat_at_ms = now + p->cfg.repeat_ms;
        return 0;
    }
    p->tx_name = p->proto->msg_name(row->req);
    return send(p, tx, row->msg_timeout_ms, now);
}

static void enter(sess_pev *p, uint8_t state, uint32_t now)
{
    p->state = state;
    const sess_pev_row *row = row_of(p);
    p->has_state_deadline = row && row->state_timeout_ms;
    if (p->has_state_deadline) p->state_deadline_ms = now + row->state_timeout_ms;
}

int sess_pev_start(sess_pev *p, uint32_t now_ms)
{
    p->tx_len = 0;
    p->proto = NULL;
    p->phase = SESS_HANDSHAKE;
    p->stop = SESS_STOP_NONE;
    p->session_id_len = 0;
    p->close = 0;
    p->over = p->idle = 0;
    p->timer = NULL;
    memset(&p->bad, 0, sizeof p->bad);
    memset(&p->out, 0, sizeof p->out);
    p->has_setup_deadline = 1;
    p->setup_deadline_ms = now_ms + SESS_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS;
    sess_sap_offer(p->cfg.protos, p->cfg.nprotos, &p->docs->tx.app);
    p->tx_name = "supportedAppProtocolReq";
    return send(p, &p->docs->tx.app, SESS_EVCC_MSG_TIMEOUT_MS, now_ms);
}

/* A message refused as bad: why, then the safe state. */
static int bad_message(sess_pev *p, const char *what, uint16_t type, size_t len)
{
    sess_bad(&p->bad, what, type, len);
    sess_pev_safe(p, SESS_STOP_BAD_MESSAGE);
    return CCS_EPROTO;
}

static int handshake(sess_pev *p, const uint8_t *payload, size_t len, uint32_t now)
{
    struct app_exiDocument *rx = &p->docs->rx.app;
    p->rx_name = "supportedAppProtocolRes";
    if (exi_decode_ex(&app_codec, payload, len, rx, &p->bad.exi) != 0)
        return bad_message(p, "undecodable", V2GTP_EXI, len);
    p->proto = sess_sap_agreed(p->cfg.protos, p->cfg.nprotos, rx);
    if (!p->proto) {
        sess_pev_safe(p, SESS_STOP_NO_PROTOCOL);
        return CCS_EPROTO;
    }
    p->phase = SESS_RUNNING;
    enter(p, 0, now);   /* SessionSetup */
    return request(p, now);
}

static int running(sess_pev *p, uint16_t type, const uint8_t *payload, size_t len, uint32_t now)
{
    const sess_proto *pr = p->proto;
    const sess_pev_row *row = row_of(p);
    void *rx = &p->docs->rx;
    int rc = sess_decode(pr, type, payload, len, rx, &p->bad.exi);
    int msg = rc == 0 ? pr->msg_of(rx) : -1;
    p->rx_name = msg >= 0 ? pr->msg_name(msg) : NULL;
    if (rc)
        return bad_message(p, p->bad.exi.code ? "undecodable" : "of a payload type without a codec in this protocol",
                           type, len);
    if (!row || msg < 0 || msg != pr->response_of(row->req))
        return bad_message(p, "not the response to our request", type, len);
    size_t sid_len;
    const uint8_t *sid = pr->session_id(rx, &sid_len);
    if (row->req == pr->msg_session_setup) {
        p->has_setup_deadline = 0;
        p->session_id_len = (uint8_t)(sid_len < SESS_SESSION_ID_MAX ? sid_len : SESS_SESSION_ID_MAX);
        memcpy(p->session_id, sid, p->session_id_len);
    } else if (sid_len != p->session_id_len || memcmp(sid, p->session_id, sid_len) != 0) {
        sess_pev_safe(p, SESS_STOP_UNKNOWN_SESSION);
        return CCS_EPROTO;
    }
    switch (row->handle(p, now)) {
    case SESS_H_NEXT:
        enter(p, pr->pev_next ? pr->pev_next(p, row) : row->next, now);
        release_contactors(p);
        return request(p, now);
    case SESS_H_STAY:
        p->repeat = 1;
        p->repeat_at_ms = now + p->cfg.repeat_ms;
        return 0;
    case SESS_H_END:
        sess_pev_safe(p, SESS_STOP_NORMAL);
        return 0;
    default:
        sess_pev_safe(p, SESS_STOP_FAILED);
        return CCS_EPROTO;
    }
}

int sess_pev_on_message(sess_pev *p, uint16_t payload_type, const uint8_t *payload, size_t len, uint32_t now_ms)
{
    p->tx_len = 0;
    p->rx_name = p->tx_name = NULL;
    if (p->phase != SESS_HANDSHAKE && p->phase != SESS_RUNNING) return CCS_ESTATE;
    if (!p->waiting)   /* between requests (a repeat's pause): the charger speaks out of turn */
        return bad_message(p, "a message while no response was awaited", payload_type, len);
    p->waiting = 0;
    if (p->phase == SESS_HANDSHAKE && payload_type != V2GTP_EXI)   /* SupportedAppProtocol: V2GTP_EXI */
        return bad_message(p, "not of V2GTP payload type 0x8001 (SupportedAppProtocol)", payload_type, len);
    int rc = p->phase == SESS_HANDSHAKE ? handshake(p, payload, len, now_ms)
                                        : running(p, payload_type, payload, len, now_ms);
    release_contactors(p);
    return rc;
}

void sess_pev_disconnect(sess_pev *p, uint32_t now_ms)
{
    (void)now_ms;
    if (p->phase == SESS_HANDSHAKE || p->phase == SESS_RUNNING) sess_pev_safe(p, SESS_STOP_DISCONNECT);
    p->close = 0;
}

static int due(uint8_t on, uint32_t at, uint32_t now) { return on && (int32_t)(now - at) >= 0; }

/* The standard's name of a row's limit on repeating its request (the tables' values). */
static const char *state_timer(uint32_t ms)
{
    if (ms == SESS_EVCC_ONGOING_TIMEOUT_MS) return "V2G_EVCC_Ongoing_Timeout";
    if (ms == SESS_EVCC_CABLE_CHECK_TIMEOUT_MS) return "V2G_EVCC_CableCheck_Timeout";
    if (ms == SESS_EVCC_PRECHARGE_TIMEOUT_MS || ms == SESS_ISO20_PRECHARGE_TIMEOUT_MS)
        return "V2G_EVCC_PreCharge_Timeout";
    return "the wait for the current to fall before WeldingDetection (SESS_PEV_CURRENT_DROP_MS)";
}

static void timeout(sess_pev *p, const char *timer)
{
    p->timer = timer;
    sess_pev_safe(p, SESS_STOP_TIMEOUT);
}

void sess_pev_tick(sess_pev *p, uint32_t now_ms)
{
    p->tx_len = 0;
    p->rx_name = p->tx_name = NULL;
    release_contactors(p);
    if (due(p->waiting, p->deadline_ms, now_ms))
        timeout(p, "V2G_EVCC_Msg_Timeout");
    else if (due(p->has_setup_deadline, p->setup_deadline_ms, now_ms))
        timeout(p, "V2G_EVCC_CommunicationSetup_Timeout");
    else if (due(p->repeat, p->repeat_at_ms, now_ms)) {
        const sess_pev_row *row = p->proto ? row_of(p) : NULL;
        if (due(p->has_state_deadline, p->state_deadline_ms, now_ms))
            timeout(p, state_timer(row ? row->state_timeout_ms : 0));
        else
            request(p, now_ms);
    }
    release_contactors(p);
}

int sess_pev_next_timeout(const sess_pev *p, uint32_t *at_ms)
{
    int any = 0;
    uint32_t best = 0;
    const uint8_t on[] = { p->waiting, p->repeat, p->has_setup_deadline };
    const uint32_t at[] = { p->deadline_ms, p->repeat_at_ms, p->setup_deadline_ms };
    for (unsigned i = 0; i < sizeof on; i++)
        if (on[i] && (!any || (int32_t)(at[i] - best) < 0)) {
            best = at[i];
            any = 1;
        }
    if (any) *at_ms = best;
    return any;
}

const char *sess_pev_state_name(const sess_pev *p)
{
    static const char *const phases[] = { "Idle", "AppHandshake", "?", "SessionStopped", "Safe" };
    if (p->phase == SESS_RUNNING && p->proto) {
        const sess_pev_row *row = row_of(p);
        return row ? row->name : "?";
    }
    return phases[p->phase];
}
