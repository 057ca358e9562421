/* ISO 15118-20 DC sessions (EIM, no TLS), charger and car in-process on a virtual clock with the physics plant:
 * a whole session against the battery model, every charger response valid EXI of its payload type's codec with
 * our SessionID and clock, a wrong SessionID -> FAILED_UnknownSession, an out-of-order request ->
 * FAILED_SequenceError, Pause and resume (OK_OldSessionJoined), the car silent -> the charger safe after
 * V2G_SECC_Sequence_Timeout (0.5 s in the charge loop), and the requests of corpus/iso20.tsv answered in the
 * state they belong to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "sess_checks.h"
#include "v2g/iso20_internal.h"
#include "testutil.h"

static sw_world W;
static struct sess_iso20_doc D;   /* scratch: a decoded message */
#define BUF_CAP 8192                /* corpus requests with certificates are larger than ours */

static int done(const sw_world *w) { return sw_both_ended(w); }

#define UNIX_T0 1796601600u   /* 2026-12-07 00:00:00 UTC: the platform's Unix time at now_ms 0 */

typedef void (*tweak_fn)(sess_evse_config *e, sess_pev_config *p, phys_battery_config *b);

/* sess_world's defaults with ISO-20 on both sides. */
static void setup(tweak_fn tweak)
{
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    /* the default charger offers ISO-20 DC already */
    p.protos[0] = &sess_proto_iso20;
    e.clock_unix_s = p.clock_unix_s = UNIX_T0;
    if (tweak) tweak(&e, &p, &b);
    sw_init(&W, &e, &p, &c, &b);
}

/* Decode a V2GTP message with the codec its payload type names; 0 when that worked. */
static int decode(const uint8_t *buf, size_t len, struct sess_iso20_doc *d)
{
    v2gtp_msg m;
    if (v2gtp_parse(buf, len, BUF_CAP, &m) != 0) return -1;
    d->payload_type = m.payload_type;
    if (m.payload_type == V2GTP_ISO20_MAIN) return iso20_decode(m.payload, m.payload_len, &d->common);
    if (m.payload_type == V2GTP_ISO20_DC) return iso20_dc_decode(m.payload, m.payload_len, &d->dc);
    return -1;
}

static int is_dc(const struct sess_iso20_doc *d) { return d->payload_type == V2GTP_ISO20_DC; }
static uint16_t root_of(const struct sess_iso20_doc *d) { return is_dc(d) ? d->dc.root : d->common.root; }

/* Header fields and ResponseCode: the same place in every message / response of a codec. */
static struct iso20_MessageHeaderType *hdr(struct sess_iso20_doc *d) { return &d->common.SessionSetupReq.Header; }
static struct iso20_dc_MessageHeaderType *dc_hdr(struct sess_iso20_doc *d) { return &d->dc.DC_CableCheckReq.Header; }
static int code_of(const struct sess_iso20_doc *d)
{
    return is_dc(d) ? (int)d->dc.DC_CableCheckRes.ResponseCode : (int)d->common.SessionSetupRes.ResponseCode;
}
static uint8_t *sid_of(struct sess_iso20_doc *d, uint16_t **len)
{
    *len = is_dc(d) ? &dc_hdr(d)->SessionID.len : &hdr(d)->SessionID.len;
    return is_dc(d) ? dc_hdr(d)->SessionID.bytes : hdr(d)->SessionID.bytes;
}
static uint64_t stamp_of(struct sess_iso20_doc *d) { return is_dc(d) ? dc_hdr(d)->TimeStamp : hdr(d)->TimeStamp; }

/* Encode d back into buf (cap bytes) as a V2GTP message of its payload type. */
static void encode_cap(const struct sess_iso20_doc *d, uint8_t *buf, size_t cap, size_t *len)
{
    size_t n;
    int rc = is_dc(d) ? iso20_dc_encode(&d->dc, buf + V2GTP_HEADER_LEN, cap - V2GTP_HEADER_LEN, &n)
                      : iso20_encode(&d->common, buf + V2GTP_HEADER_LEN, cap - V2GTP_HEADER_LEN, &n);
    assert_int_equal(rc, 0);
    assert_int_equal(v2gtp_pack_header(d->payload_type, (uint32_t)n, buf, cap), 0);
    *len = V2GTP_HEADER_LEN + n;
}

static void encode(const struct sess_iso20_doc *d, uint8_t *buf, size_t *len) { encode_cap(d, buf, SESS_TX_CAP, len); }

/* The order of a session (repeats collapsed). */
static const char *const sequence[] = {
    "supportedAppProtocolReq", "supportedAppProtocolRes", "SessionSetupReq", "SessionSetupRes",
    "AuthorizationSetupReq", "AuthorizationSetupRes", "AuthorizationReq", "AuthorizationRes", "ServiceDiscoveryReq",
    "ServiceDiscoveryRes", "ServiceDetailReq", "ServiceDetailRes", "ServiceSelectionReq", "ServiceSelectionRes",
    "DC_ChargeParameterDiscoveryReq", "DC_ChargeParameterDiscoveryRes", "ScheduleExchangeReq", "ScheduleExchangeRes",
    "DC_CableCheckReq", "DC_CableCheckRes", "DC_PreChargeReq", "DC_PreChargeRes", "PowerDeliveryReq",
    "PowerDeliveryRes", "DC_ChargeLoopReq", "DC_ChargeLoopRes", "PowerDeliveryReq", "PowerDeliveryRes",
    "DC_WeldingDetectionReq", "DC_WeldingDetectionRes", "SessionStopReq", "SessionStopRes", NULL,
};

static void assert_sequence(void)
{
    unsigned k = 0, n = 0;
    while (sequence[n]) n++;
    for (unsigned i = 0; i < W.nlog; i++) {
        if (k > 0 && !strcmp(W.log[i], sequence[k - 1])) continue;   /* repeated request ... */
        if (k > 1 && !strcmp(W.log[i], sequence[k - 2])) continue;   /* ... and its response */
        if (k >= n || strcmp(W.log[i], sequence[k])) fail_msg("message %u: %s, expected %s", i, W.log[i], k < n ? sequence[k] : "end");
        k++;
    }
    assert_int_equal(k, n);
}

/* What the charger sent: every response decoded with its codec, the SessionID and clock in its header (Unix time:
 * UNIX_T0 + the engine's seconds); the car's requests carry the same clock. */
typedef struct {
    unsigned responses, common, dc, app;
    int bad;
    int codes[SW_LOG_MAX];
} seen;

static int check_responses(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    seen *s = w->hook_ctx;
    v2gtp_msg m;
    assert_int_equal(v2gtp_parse(buf, *len, SESS_TX_CAP, &m), 0);
    if (dir != SW_TO_PEV) {
        if (m.payload_type != V2GTP_EXI && (decode(buf, *len, &D) || stamp_of(&D) != UNIX_T0 + (w->now - SW_STEP_MS) / 1000u))
            s->bad++;
        return 1;
    }
    if (m.payload_type == V2GTP_EXI) {   /* supportedAppProtocolRes, once */
        s->app++;
        return 1;
    }
    if (decode(buf, *len, &D) != 0) {
        s->bad++;
        return 1;
    }
    uint16_t *sid_len;
    uint8_t *sid = sid_of(&D, &sid_len);
    if (*sid_len != w->evse.session_id_len || memcmp(sid, w->evse.session_id, *sid_len) ||
        stamp_of(&D) != UNIX_T0 + (w->now - SW_STEP_MS) / 1000u)   /* stamped when sent, one step ago */
        s->bad++;
    size_t again;
    static uint8_t re[SESS_TX_CAP];
    encode(&D, re, &again);   /* the same bytes back: nothing the codec would not write */
    if (again != *len || memcmp(re, buf, again)) s->bad++;
    if (s->responses < SW_LOG_MAX) s->codes[s->responses] = code_of(&D);
    s->responses++;
    if (is_dc(&D)) s->dc++;
    else s->common++;
    return 1;
}

/* A whole DC charge 20 % -> 30 % of 10 kWh: metered = stored + I^2 R losses (the battery model's own
 * accounting), the stored part = capacity x dSoC, the SoC past the target by at most the car's reaction; every
 * response valid, OK (SessionSetup: a new session), the DC ones on 0x8004. */
static void test_dc_session(void **state)
{
    (void)state;
    static seen s;
    memset(&s, 0, sizeof s);
    setup(NULL);
    W.hook = check_responses;
    W.hook_ctx = &s;
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_ptr_equal(W.evse.proto, &sess_proto_iso20);
    assert_true(W.pev.dynamic);
    assert_sequence();
    sc_plant_safe(&W.plant, 1);
    sc_dc_energy(&W.plant, 20.0, 30.0);
    assert_int_equal(s.bad, 0);
    assert_int_equal(s.app, 1);
    assert_int_equal(s.responses, W.evse.requests);
    assert_true(s.dc > 100 && s.common >= 10);   /* the charge loop is DC, the rest common */
    assert_int_equal(s.codes[0], iso20_responseCodeType_OK_NewSessionEstablished);
    for (unsigned i = 1; i < s.responses; i++) assert_int_equal(s.codes[i], iso20_responseCodeType_OK);
    assert_int_equal(W.evse.evccid_len, 12);   /* the car's MAC in hex: ISO-20's EVCCID is text */
    assert_int_equal(W.evse.evccid_text, 1);
    char mac[13];
    for (int i = 0; i < 6; i++) snprintf(mac + 2 * i, 3, "%02X", W.pev.cfg.mac[i]);
    assert_memory_equal(W.evse.evccid, mac, 12);
}

/* The Scheduled control mode when the charger offers only that (the car falls back to it): a whole session
 * too, with the schedule's power in the car's profile. */
static int only_scheduled(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)w;
    if (dir != SW_TO_PEV || decode(buf, *len, &D) != 0 || is_dc(&D) || D.common.root != ISO20_ROOT_ServiceDetailRes)
        return 1;
    struct iso20_ServiceParameterListType *l = &D.common.ServiceDetailRes.ServiceParameterList;
    assert_int_equal(l->ParameterSet.count, 2);
    l->ParameterSet.array[0] = l->ParameterSet.array[1];   /* drop the Dynamic set */
    l->ParameterSet.count = 1;
    encode(&D, buf, len);
    return 1;
}

static void test_scheduled_session(void **state)
{
    (void)state;
    setup(NULL);
    W.hook = only_scheduled;
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_false(W.pev.dynamic);
    assert_true(W.pev.pmax_w == W.evse.cfg.max_w);
    assert_true(W.plant.battery.soc >= 30.0);
    sc_plant_safe(&W.plant, 1);
}

static int charging(const sw_world *w) { return w->plant.charger.i > 100.0f; }

/* SessionSetupRes codes and the SessionStopReq's ChargingSession, as they pass. */
typedef struct {
    int setup[4], nsetup, stop_how;
} codes;

static int watch_codes(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    codes *c = w->hook_ctx;
    if (decode(buf, *len, &D) != 0 || is_dc(&D)) return 1;
    if (dir == SW_TO_PEV && D.common.root == ISO20_ROOT_SessionSetupRes && c->nsetup < 4)
        c->setup[c->nsetup++] = D.common.SessionSetupRes.ResponseCode;
    if (dir == SW_TO_EVSE && D.common.root == ISO20_ROOT_SessionStopReq) c->stop_how = D.common.SessionStopReq.ChargingSession;
    return 1;
}

/* The car pauses while charging (PowerDelivery Stop, WeldingDetection, SessionStop Pause): both end "paused",
 * nothing under load; on a new connection it comes back with the same SessionID: OK_OldSessionJoined, a whole
 * session again, to the target, ended with Terminate. */
static void test_pause_resume(void **state)
{
    (void)state;
    codes c = { .nsetup = 0 };
    setup(NULL);
    W.hook = watch_codes;
    W.hook_ctx = &c;
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, charging));
    W.pev.in.pause_request = 1;
    assert_true(sw_run(&W, W.now + 10 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_PAUSED);
    assert_int_equal(W.pev.stop, SESS_STOP_PAUSED);
    assert_int_equal(W.evse.phase, SESS_DONE);
    assert_int_equal(c.stop_how, iso20_chargingSessionType_Pause);
    sc_plant_safe(&W.plant, 1);
    assert_true(W.plant.battery.soc < W.plant.battery.cfg.target_soc);
    uint8_t sid[SESS_SESSION_ID_MAX];
    memcpy(sid, W.evse.session_id, W.evse.session_id_len);
    W.pev.in.pause_request = 0;
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
    assert_int_equal(c.nsetup, 2);
    assert_int_equal(c.setup[0], iso20_responseCodeType_OK_NewSessionEstablished);
    assert_int_equal(c.setup[1], iso20_responseCodeType_OK_OldSessionJoined);
    assert_memory_equal(W.evse.session_id, sid, W.evse.session_id_len);
    assert_memory_equal(W.pev.session_id, sid, W.evse.session_id_len);
    assert_int_equal(c.stop_how, iso20_chargingSessionType_Terminate);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_true(phys_battery_full(&W.plant.battery));
    sc_plant_safe(&W.plant, 1);
}

/* While charging, one DC_ChargeLoopReq is rewritten: with another SessionID, or into a DC_CableCheckReq (out
 * of order). The charger answers with the code, goes safe; the car stops with the reason; nothing opens under
 * load. In a Scheduled session (the charger offering only that) an error DC_ChargeLoopRes carries the Scheduled
 * control-mode fields. */
typedef struct {
    int kind;          /* 0: SessionID, 1: out of order */
    int scheduled;     /* the Scheduled control mode (only_scheduled) */
    int armed, done, code;
    uint8_t mode;      /* the control-mode choice of an error DC_ChargeLoopRes */
    uint32_t at;
} rewrite;

static int rewrite_loop(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    rewrite *r = w->hook_ctx;
    if (r->scheduled) only_scheduled(w, dir, buf, len);
    if (decode(buf, *len, &D) != 0) return 1;
    if (dir == SW_TO_PEV && r->done && !r->code) {
        r->code = code_of(&D) + 1;
        if (is_dc(&D) && D.dc.root == ISO20_DC_ROOT_DC_ChargeLoopRes)
            r->mode = D.dc.DC_ChargeLoopRes.CLResControlMode_choice;
    }
    if (dir != SW_TO_EVSE || !r->armed || r->done || !is_dc(&D) || D.dc.root != ISO20_DC_ROOT_DC_ChargeLoopReq)
        return 1;
    if (r->kind == 0) {
        D.dc.DC_ChargeLoopReq.Header.SessionID.bytes[0] ^= 0x5a;
    } else {
        struct iso20_dc_MessageHeaderType h = D.dc.DC_ChargeLoopReq.Header;
        memset(&D.dc, 0, sizeof D.dc);
        D.dc.root = ISO20_DC_ROOT_DC_CableCheckReq;
        D.dc.DC_CableCheckReq.Header = h;
    }
    encode(&D, buf, len);
    r->done = 1;
    r->at = w->now;
    return 1;
}

static rewrite refused_while_charging(int kind, int scheduled, int code, sess_stop_reason why,
                                      sess_stop_reason car_why)
{
    rewrite r = { .kind = kind, .scheduled = scheduled };
    setup(NULL);
    W.hook = rewrite_loop;
    W.hook_ctx = &r;
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, charging));
    r.armed = 1;
    while (!r.code) {
        assert_true(W.now < 70 * 1000);
        sw_step(&W);
    }
    assert_int_equal(r.code - 1, code);
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.evse.stop, why);
    assert_true(W.evse.out.safe);
    assert_false(W.evse.out.output_on || W.evse.out.contactors_closed || W.evse.out.target_a > 0.0f);
    assert_true(sw_run(&W, W.now + 10 * 1000, done));
    assert_int_equal(W.pev.stop, car_why);
    assert_true(W.pev.out.safe);
    sc_plant_safe(&W.plant, 1);
    return r;
}

static void test_unknown_session(void **state)
{
    (void)state;
    rewrite r = refused_while_charging(0, 0, iso20_responseCodeType_FAILED_UnknownSession, SESS_STOP_UNKNOWN_SESSION,
                                       SESS_STOP_UNKNOWN_SESSION);
    assert_int_equal(r.mode, iso20_dc_DC_ChargeLoopResType_Dynamic_DC_CLResControlMode);
}

static void test_unknown_session_scheduled(void **state)
{
    (void)state;
    rewrite r = refused_while_charging(0, 1, iso20_responseCodeType_FAILED_UnknownSession, SESS_STOP_UNKNOWN_SESSION,
                                       SESS_STOP_UNKNOWN_SESSION);
    assert_false(W.pev.dynamic);
    assert_int_equal(r.mode, iso20_dc_DC_ChargeLoopResType_Scheduled_DC_CLResControlMode);
}

static void test_sequence_error(void **state)
{
    (void)state;
    /* our car gets a DC_CableCheckRes for its DC_ChargeLoopReq: not its response */
    refused_while_charging(1, 0, iso20_dc_responseCodeType_FAILED_SequenceError, SESS_STOP_SEQUENCE,
                           SESS_STOP_BAD_MESSAGE);
}

/* The car goes silent (its requests lost, TCP kept up) after `after` requests of type root (common or DC): the
 * charger is safe V2G_SECC_Sequence_Timeout after its last response, 0.5 s in the charge loop, 60 s elsewhere. */
typedef struct {
    int dc;
    uint16_t root;
    unsigned after, n;
    int muted;
    uint32_t last_res;
} silence;

static int mute(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    silence *s = w->hook_ctx;
    if (dir == SW_TO_PEV) {
        s->last_res = w->now;
        return 1;
    }
    if (!s->muted && decode(buf, *len, &D) == 0 && is_dc(&D) == s->dc && root_of(&D) == s->root && ++s->n > s->after) {
        s->muted = 1;
        w->pev_connected = 0;   /* the car neither hears nor closes TCP */
    }
    return !s->muted;
}

static int evse_safe(const sw_world *w) { return w->evse.phase == SESS_SAFE; }

static void silent_after(int dc, uint16_t root, unsigned after, uint32_t timeout)
{
    silence s = { .dc = dc, .root = root, .after = after };
    setup(NULL);
    W.hook = mute;
    W.hook_ctx = &s;
    sw_connect(&W);
    assert_true(sw_run(&W, 3 * 60 * 1000, evse_safe));
    assert_true(s.muted);
    assert_int_equal(W.evse.stop, SESS_STOP_TIMEOUT);
    assert_in_range(W.now - s.last_res, timeout - SW_STEP_MS, timeout + 2 * SW_STEP_MS);
    assert_false(W.evse.out.output_on || W.evse.out.contactors_closed || W.evse.out.target_a > 0.0f);
    assert_true(sw_run(&W, W.now + 10 * 1000, done));
    sc_plant_safe(&W.plant, 1);
}

static void test_silent_in_charge_loop(void **state)
{
    (void)state;
    silent_after(1, ISO20_DC_ROOT_DC_ChargeLoopReq, 50, SESS_ISO20_SEQUENCE_TIMEOUT_CHARGE_LOOP_MS);
    assert_true(W.plant.battery.soc > 20.0f);   /* it was charging */
}

static void test_silent_before_charging(void **state)
{
    (void)state;
    silent_after(0, ISO20_ROOT_ServiceSelectionReq, 0, SESS_SECC_SEQUENCE_TIMEOUT_MS);
}

/* ---- corpus/iso20.tsv requests, each in the state it belongs to ---- */

#define DC_SERVICE 2   /* ServiceID of DC charging, the one service our charger offers */

static void short_charge(sess_evse_config *e, sess_pev_config *p, phys_battery_config *b)
{
    (void)e, (void)p;
    b->target_soc = b->soc + 0.2f;   /* WeldingDetection and SessionStop come soon */
}

static const char *target;   /* the request our car is about to send when the world stops */
static int stopped;

static int stop_before(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)buf, (void)len;
    if (dir == SW_TO_EVSE && w->nlog && !strcmp(w->log[w->nlog - 1], target)) stopped = 1;
    return !stopped;
}

static int is_stopped(const sw_world *w)
{
    (void)w;
    return stopped;
}

/* The answer our charger gives a request it supports is OK (SessionSetup: a new session; SessionStop
 * ServiceRenegotiation after WeldingDetection: back to ServiceDiscovery); what it does not offer (other services,
 * their parameter sets, VAS, BPT and discharging, PnC) is refused by name. */
static int expected_code(const struct corpus_line *l)
{
    const char *m = l->message, *f = l->fields;
    if (!strcmp(m, "SessionSetupReq")) return iso20_responseCodeType_OK_NewSessionEstablished;
    if (!strcmp(m, "ServiceDetailReq"))
        return strstr(f, "ServiceID=2") ? iso20_responseCodeType_OK : iso20_responseCodeType_FAILED_ServiceIDInvalid;
    if (!strcmp(m, "ServiceSelectionReq"))
        return strstr(f, "SelectedEnergyTransferService.ServiceID=2 ") && !strstr(f, "SelectedVASList")
                   ? iso20_responseCodeType_OK
                   : iso20_responseCodeType_FAILED_ServiceSelectionInvalid;
    if (strstr(f, "SelectedAuthorizationService=PnC")) return iso20_responseCodeType_WARNING_AuthorizationSelectionInvalid;
    if (strstr(f, "BPT_ChannelSelection=Discharge")) return iso20_responseCodeType_FAILED_PowerDeliveryNotApplied;
    if (strstr(f, "BPT_")) return iso20_responseCodeType_FAILED_WrongChargeParameter;
    return iso20_responseCodeType_OK;
}

/* One corpus request to a charger stopped just before our car sent the same request type: with our SessionID
 * (SessionSetupReq keeps its own); returns the response code, the response checked. */
static int answer(const struct corpus_line *l, uint16_t type, int service_id)
{
    static uint8_t buf[BUF_CAP];
    long n = tu_hex2bin(l->hex, buf + V2GTP_HEADER_LEN, sizeof buf - V2GTP_HEADER_LEN);
    assert_true(n > 0);
    assert_int_equal(v2gtp_pack_header(type, (uint32_t)n, buf, sizeof buf), 0);
    size_t len = V2GTP_HEADER_LEN + (size_t)n;
    assert_int_equal(decode(buf, len, &D), 0);
    if (strcmp(l->message, "SessionSetupReq")) {
        uint16_t *sid_len;
        uint8_t *sid = sid_of(&D, &sid_len);
        memcpy(sid, W.evse.session_id, W.evse.session_id_len);
        *sid_len = W.evse.session_id_len;
    }
    if (service_id) D.common.ServiceDetailReq.ServiceID = (uint16_t)service_id;
    encode_cap(&D, buf, sizeof buf, &len);
    sess_evse_on_message(&W.evse, type, buf + V2GTP_HEADER_LEN, len - V2GTP_HEADER_LEN, W.now);
    if (W.evse.tx_len <= V2GTP_HEADER_LEN) fail_msg("line %d %s: no answer (%s)", l->lineno, l->message, sess_stop_name(W.evse.stop));
    assert_int_equal(decode(W.evse.tx, W.evse.tx_len, &D), 0);   /* valid EXI of its codec */
    assert_int_equal(D.payload_type, type);
    assert_string_equal(W.evse.rx_name, l->message);   /* ...Req answered by its ...Res */
    size_t k = strlen(l->message) - 3;
    assert_true(strlen(W.evse.tx_name) == k + 3 && !strncmp(W.evse.tx_name, l->message, k) && !strcmp(W.evse.tx_name + k, "Res"));
    return code_of(&D);
}

static void test_corpus_requests(void **state)
{
    (void)state;
    static const char *const types[] = {
        "SessionSetupReq", "AuthorizationSetupReq", "AuthorizationReq", "ServiceDiscoveryReq", "ServiceDetailReq",
        "ServiceSelectionReq", "DC_ChargeParameterDiscoveryReq", "ScheduleExchangeReq", "DC_CableCheckReq",
        "DC_PreChargeReq", "PowerDeliveryReq", "DC_ChargeLoopReq", "DC_WeldingDetectionReq", "SessionStopReq",
    };
    struct corpus_line *lines;
    size_t n;
    char *buf = corpus_load(tu_shared("corpus/iso20.tsv"), &lines, &n);
    assert_non_null(buf);
    unsigned fed = 0;
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        unsigned ok = 0;
        for (size_t i = 0; i < n; i++) {
            const struct corpus_line *l = &lines[i];
            int dc = !strcmp(l->proto, "iso20-dc");
            if ((!dc && strcmp(l->proto, "iso20-common")) || strcmp(l->message, types[t])) continue;
            /* ServiceDetailReq asks only for services we do not offer: once more with our DC service */
            for (int sid = 0; sid <= (!strcmp(l->message, "ServiceDetailReq") ? DC_SERVICE : 0); sid += DC_SERVICE) {
                setup(short_charge);
                W.hook = stop_before;
                target = types[t];
                stopped = 0;
                sw_connect(&W);
                assert_true(sw_run(&W, 5 * 60 * 1000, is_stopped));
                sw_detach_car(&W);
                int want = sid ? iso20_responseCodeType_OK : expected_code(l);
                int got = answer(l, dc ? V2GTP_ISO20_DC : V2GTP_ISO20_MAIN, sid);
                if (got != want) fail_msg("line %d %s: code %d, expected %d", l->lineno, l->message, got, want);
                int ended = !strcmp(l->message, "SessionStopReq") && !strstr(l->fields, "=ServiceRenegotiation");
                assert_int_equal(W.evse.phase, want > iso20_responseCodeType_OK_PowerToleranceConfirmed ? SESS_SAFE
                                               : ended                                                ? SESS_DONE
                                                                                                      : SESS_RUNNING);
                if (strstr(l->fields, "=ServiceRenegotiation")) assert_int_equal(W.evse.state, ISO20_EVSE_SERVICE_DISCOVERY);
                ok += want <= iso20_responseCodeType_OK_NewSessionEstablished;
                fed++;
            }
        }
        if (!ok) fail_msg("%s: no request answered OK", types[t]);
    }
    printf("corpus: %u requests\n", fed);
    assert_true(fed >= 50);
    free(lines);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dc_session),
        cmocka_unit_test(test_scheduled_session),
        cmocka_unit_test(test_pause_resume),
        cmocka_unit_test(test_unknown_session),
        cmocka_unit_test(test_unknown_session_scheduled),
        cmocka_unit_test(test_sequence_error),
        cmocka_unit_test(test_silent_in_charge_loop),
        cmocka_unit_test(test_silent_before_charging),
        cmocka_unit_test(test_corpus_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
