/* sess_observe, the bystander's sequence check on the charger's table: every request of whole sessions of our own
 * car and charger (DIN, ISO-2 DC and AC, ISO-20 DC) is in sequence, and a request with a step left out is not; in
 * the shared captures it flags exactly the requests the real charger refused with FAILED_SequenceError (and what the
 * car sent after that), nothing in the others; the car's V2G_EVCC_Msg_Timeout of each request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "captures.h"
#include "ccsplc/linux/capture.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/core/gen/app.h"
#include "ccsplc/core/sess_observe.h"
#include "iso2_world.h"

#define MAX_REQ 1024

static sw_world W;
static sess_docs scratch;

/* The requests of a session, as V2GTP frames (the handshake left out). */
typedef struct {
    uint8_t frame[MAX_REQ][SESS_TX_CAP];
    size_t len[MAX_REQ];
    unsigned n, seen;
} requests;
static requests R;

static int record(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)w;
    if (dir != SW_TO_EVSE)
        return 1;
    if (!R.seen++ || R.n == MAX_REQ) /* the first message is supportedAppProtocolReq */
        return 1;
    memcpy(R.frame[R.n], buf, *len);
    R.len[R.n++] = *len;
    return 1;
}

/* Feeds R[0..n) except `skip` to an observer: the index of the first out of sequence, or -1. */
static int observe(const sess_proto *p, unsigned skip)
{
    sess_observer o;
    sess_observe_init(&o, p);
    for (unsigned i = 0; i < R.n; i++) {
        if (i == skip)
            continue;
        v2gtp_msg m;
        uint32_t timeout;
        assert_int_equal(v2gtp_parse(R.frame[i], R.len[i], 65536, &m), 0);
        int r = sess_observe_request(&o, m.payload_type, m.payload, m.payload_len, &scratch, &timeout);
        assert_true(r >= 0);
        assert_true(timeout > 0);
        if (!r)
            return (int)i;
    }
    return -1;
}

static int done(const sw_world *w) { return sw_both_ended(w); }

static void own_session(const sess_proto *p, int ac)
{
    sess_evse_config e;
    sess_pev_config pc;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &pc, &c, &b);
    e.protos[e.nprotos++] = p;
    pc.protos[0] = p;
    if (ac)
        iw_ac(&pc, &c);
    sw_init(&W, &e, &pc, &c, &b);
    memset(&R, 0, sizeof R);
    W.hook = record;
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_true(R.n > 10);
    assert_int_equal(observe(p, R.n), -1);
    /* The second request (after SessionSetup) left out: the next one is out of sequence. */
    assert_int_equal(observe(p, 1), 2);
}

static void din_dc(void **state) { (void)state; own_session(&sess_proto_din, 0); }
static void iso2_dc(void **state) { (void)state; own_session(&sess_proto_iso2, 0); }
static void iso2_ac(void **state) { (void)state; own_session(&sess_proto_iso2, 1); }
static void iso20_dc(void **state) { (void)state; own_session(&sess_proto_iso20, 0); }

/* ---- real captures: the DIN messages of each TCP connection after its handshake ---- */

typedef struct {
    sess_observer o;
    int started;          /* handshake response seen */
    unsigned conn;
    int nreq;             /* requests so far */
    int last_flagged;     /* the last request was out of sequence */
    int refused, refused_not_flagged;
    int first_flagged, first_refused; /* request numbers, 0: none */
} replay;

static void on_v2gtp(void *ctx, const cap_v2gtp *m)
{
    replay *r = ctx;
    static struct app_exiDocument app;
    static struct din_exiDocument res;
    if (m->conn != r->conn)
        return;
    if (!r->started) {
        if (m->dir == CAP_DIR_S2C && !app_decode(m->payload, m->payload_len, &app) &&
            app.root == APP_ROOT_supportedAppProtocolRes) {
            sess_observe_init(&r->o, &sess_proto_din);
            r->started = 1;
        }
        return;
    }
    if (m->dir == CAP_DIR_C2S) {
        uint32_t timeout;
        int ok = sess_observe_request(&r->o, m->payload_type, m->payload, m->payload_len, &scratch, &timeout);
        assert_true(ok >= 0);
        r->nreq++;
        r->last_flagged = !ok;
        if (!ok && !r->first_flagged)
            r->first_flagged = r->nreq;
        return;
    }
    if (din_decode(m->payload, m->payload_len, &res))
        return;
    const struct din_BodyType *b = &res.V2G_Message.Body;
    if (b->BodyElement_choice == din_BodyType_CurrentDemandRes &&
        b->CurrentDemandRes.ResponseCode == din_responseCodeType_FAILED_SequenceError) {
        r->refused++;
        r->refused_not_flagged += !r->last_flagged;
        if (!r->first_refused)
            r->first_refused = r->nreq;
    }
}

static void captures(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(tu_captures(&g), 0);
    int refused_total = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        for (unsigned conn = 0; conn < 8; conn++) {
            replay r = {.conn = conn};
            cap_callbacks cb = {.v2gtp = on_v2gtp, .ctx = &r};
            char err[256];
            if (cap_read_file(g.gl_pathv[i], &cb, CAP_DEFAULT_MAX_PAYLOAD, NULL, err, sizeof err))
                continue;
            /* flagged: the requests the charger refused, and only from the first one on */
            if (r.refused_not_flagged || (r.first_flagged && (!r.first_refused || r.first_flagged < r.first_refused)))
                fail_msg("%s conn %u: %d refused requests not flagged; first flagged request %d, first refused %d",
                         tu_basename(g.gl_pathv[i]), conn, r.refused_not_flagged, r.first_flagged, r.first_refused);
            refused_total += r.refused;
        }
    }
    globfree(&g);
    assert_true(refused_total > 0); /* the Alpitronic capture */
}

/* The car's table gives each request's V2G_EVCC_Msg_Timeout; a response or garbage is no request. */
static void timeouts(void **state)
{
    (void)state;
    own_session(&sess_proto_din, 0);
    sess_observer o;
    sess_observe_init(&o, &sess_proto_din);
    char allowed[256];
    sess_observe_expected(&o, allowed, sizeof allowed);
    assert_string_equal(allowed, "SessionSetupReq");
    unsigned cd = 0, other = 0;
    for (unsigned i = 0; i < R.n; i++) {
        v2gtp_msg m;
        uint32_t timeout;
        static struct din_exiDocument d;
        assert_int_equal(v2gtp_parse(R.frame[i], R.len[i], 65536, &m), 0);
        assert_int_equal(din_decode(m.payload, m.payload_len, &d), 0);
        assert_int_equal(sess_observe_request(&o, m.payload_type, m.payload, m.payload_len, &scratch, &timeout), 1);
        if (d.V2G_Message.Body.BodyElement_choice == din_BodyType_CurrentDemandReq) {
            assert_int_equal(timeout, SESS_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_MS);
            cd++;
        } else {
            assert_int_equal(timeout, SESS_EVCC_MSG_TIMEOUT_MS);
            other++;
        }
    }
    assert_true(cd > 0 && other > 0);
    uint32_t timeout;
    static const uint8_t res[] = {0x80, 0x40, 0x00, 0x40}; /* supportedAppProtocolRes: also a DIN document */
    assert_int_equal(sess_observe_request(&o, V2GTP_EXI, res, sizeof res, &scratch, &timeout), CCS_EPROTO);
    assert_int_equal(sess_observe_request(&o, V2GTP_EXI, res, 1, &scratch, &timeout), CCS_EPROTO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(din_dc),   cmocka_unit_test(iso2_dc),  cmocka_unit_test(iso2_ac),
        cmocka_unit_test(iso20_dc), cmocka_unit_test(captures), cmocka_unit_test(timeouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
