/* Replays of real DIN sessions (shared/captures, read with the capture reader): the car requests recorded
 * where pyPLC was the charger (Ioniq, Model Y) fed to our charger, SessionIDs adapted, each accepted and
 * answered validly; the charger responses recorded where pyPLC was the car (Alpitronic, Tesla Supercharger)
 * fed to our car in the order it asks for them, including the errors that end in the safe state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/linux/capture.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/core/v2gtp.h"
#include "testutil.h"
#include "v2g/din_internal.h"

#define MAX_MSGS 2048   /* the longest recording: 1120 messages (HYC150) */

typedef struct {
    uint8_t *data[MAX_MSGS];
    size_t len[MAX_MSGS];
    int dir[MAX_MSGS];
    unsigned n;
} recording;

static void on_v2gtp(void *ctx, const cap_v2gtp *m)
{
    recording *r = ctx;
    if (m->conn != 0 || m->payload_type != V2GTP_EXI || r->n == MAX_MSGS) return;
    r->data[r->n] = malloc(m->payload_len);
    memcpy(r->data[r->n], m->payload, m->payload_len);
    r->len[r->n] = m->payload_len;
    r->dir[r->n++] = m->dir;
}

static void load(const char *name, recording *r)
{
    char path[512], err[256];
    snprintf(path, sizeof path, "captures/%s", name);
    memset(r, 0, sizeof *r);
    cap_callbacks cb = { .v2gtp = on_v2gtp, .ctx = r };
    assert_int_equal(cap_read_file(tu_shared(path), &cb, CAP_DEFAULT_MAX_PAYLOAD, NULL, err, sizeof err), 0);
    assert_true(r->n > 10);
}

static void unload(recording *r)
{
    for (unsigned i = 0; i < r->n; i++) free(r->data[i]);
}

static sess_docs docs;
static struct din_exiDocument req, res;

static int body(const struct din_exiDocument *d) { return d->V2G_Message.Body.BodyElement_choice; }

/* Our charger answers every recorded car request: the response to that request, with an OK code. Returns
 * how many requests were answered. */
static unsigned replay_to_evse(const char *capture, sess_evse *s)
{
    recording r;
    load(capture, &r);
    sess_evse_config cfg;
    sess_evse_config_default(&cfg);
    sess_evse_init(s, &cfg, &docs);
    sess_evse_connect(s, 0);
    uint32_t now = 0;
    unsigned answered = 0;
    for (unsigned i = 0; i < r.n; i++, now += 100) {
        if (r.dir[i] != CAP_DIR_C2S) continue;
        static uint8_t buf[2048];
        size_t n = r.len[i];
        memcpy(buf, r.data[i], n);
        s->in.isolation = SESS_ISO_VALID;   /* the recorded cars moved on after pyPLC's first "Finished" */
        if (s->phase == SESS_RUNNING) {
            assert_int_equal(din_decode(buf, n, &req), 0);
            if (body(&req) != din_BodyType_SessionSetupReq) {   /* the SessionID we gave, not pyPLC's */
                memcpy(req.V2G_Message.Header.SessionID.bytes, s->session_id, s->session_id_len);
                req.V2G_Message.Header.SessionID.len = s->session_id_len;
            }
            assert_int_equal(din_encode(&req, buf, sizeof buf, &n), 0);
        }
        sess_evse_tick(s, now);
        int rc = sess_evse_on_message(s, V2GTP_EXI, buf, n, now);
        if (rc) fail_msg("%s: request %u (%s) refused: %d", capture, i, s->rx_name, rc);
        assert_true(s->tx_len > V2GTP_HEADER_LEN);
        if (answered > 0) {   /* after the handshake: the matching response, a success code */
            assert_int_equal(din_decode(s->tx + V2GTP_HEADER_LEN, s->tx_len - V2GTP_HEADER_LEN, &res), 0);
            assert_int_equal(body(&res), body(&req) + 1);
            assert_true(s->last_code <= din_responseCodeType_OK_OldSessionJoined);
            assert_memory_equal(res.V2G_Message.Header.SessionID.bytes, s->session_id, s->session_id_len);
        }
        answered++;
    }
    unload(&r);
    return answered;
}

/* Ioniq at 93 %: 69 requests (handshake included) up to the CurrentDemand loop (the capture ends while charging). */
static void test_ioniq_requests_to_evse(void **state)
{
    (void)state;
    static sess_evse s;
    unsigned n = replay_to_evse("2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng", &s);
    assert_int_equal(n, 69);
    assert_int_equal(s.phase, SESS_RUNNING);
    assert_string_equal(sess_evse_state_name(&s), "WaitCurrentDemand");
    assert_int_equal(s.evccid_len, 6);   /* the Ioniq's MAC */
    assert_true(s.out.output_on && s.out.contactors_closed);
    assert_int_equal(s.ev_soc, 93);
    assert_true(s.ev_soc_said);
}

/* Model Y: CableCheck repeated after "Finished", 119 PreCharges, then SessionStop in PreCharge. */
static void test_model_y_requests_to_evse(void **state)
{
    (void)state;
    static sess_evse s;
    unsigned n = replay_to_evse("2024-04-20_ModelY_pyPLC_stop_in_precharge.pcapng", &s);
    assert_int_equal(n, 137);
    assert_int_equal(s.phase, SESS_DONE);
    assert_int_equal(s.stop, SESS_STOP_NORMAL);
    assert_true(s.out.safe);
}

/* Feed our car the recorded responses in the order it asks for them: for each request, the next recorded
 * response of the matching type (responses to requests our car does not repeat are skipped). */
typedef struct {
    unsigned auth_requests, precharge_requests, loop_requests, skipped;
    unsigned recorded_auth;   /* ContractAuthenticationRes in the recording */
    unsigned recorded_loop;   /* CurrentDemandRes in the recording */
} pev_replay_stats;

/* The recorded car's request i (C2S) decoded into req, or NULL when it is not one. */
static const struct din_BodyType *recorded_req(const recording *r, unsigned i)
{
    if (i >= r->n || r->dir[i] != CAP_DIR_C2S || din_decode(r->data[i], r->len[i], &req) != 0) return NULL;
    return &req.V2G_Message.Body;
}

/* follow: our car asks for the current the recorded car asked for in its next CurrentDemandReq (from index i on),
 * so that the recorded charger's present current answers our request. */
static void follow_request(const recording *r, unsigned i, sess_pev *p)
{
    for (; i < r->n; i++) {
        const struct din_BodyType *b = recorded_req(r, i);
        if (b && b->BodyElement_choice == din_BodyType_CurrentDemandReq) {
            p->in.request_a = din_pv_get(&b->CurrentDemandReq.EVTargetCurrent);
            return;
        }
    }
}

static void replay_to_pev_as(const char *capture, sess_pev *p, pev_replay_stats *st, int follow)
{
    recording r;
    load(capture, &r);
    static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x22 };
    sess_pev_config cfg;
    sess_pev_config_default(&cfg, mac);
    /* Following the recorded car: its own maxima (ChargeParameterDiscoveryReq), which the charger answered. */
    for (unsigned i = 0; follow && i < r.n; i++) {
        const struct din_BodyType *b = recorded_req(&r, i);
        if (b && b->BodyElement_choice == din_BodyType_ChargeParameterDiscoveryReq) {
            cfg.max_v = din_pv_get(&b->ChargeParameterDiscoveryReq.DC_EVChargeParameter.EVMaximumVoltageLimit);
            cfg.max_a = din_pv_get(&b->ChargeParameterDiscoveryReq.DC_EVChargeParameter.EVMaximumCurrentLimit);
            break;
        }
    }
    sess_pev_init(p, &cfg, &docs);
    memset(st, 0, sizeof *st);
    /* The battery voltage our car precharges to: the one pyPLC asked for in the recording. */
    for (unsigned i = 0; i < r.n; i++)
        if (r.dir[i] == CAP_DIR_C2S && din_decode(r.data[i], r.len[i], &req) == 0 && body(&req) == din_BodyType_PreChargeReq) {
            p->in.battery_v = (float)req.V2G_Message.Body.PreChargeReq.EVTargetVoltage.Value;
            for (int m = req.V2G_Message.Body.PreChargeReq.EVTargetVoltage.Multiplier; m < 0; m++) p->in.battery_v /= 10;
            break;
        }
    for (unsigned i = 0; i < r.n; i++)
        if (r.dir[i] == CAP_DIR_S2C && din_decode(r.data[i], r.len[i], &res) == 0) {
            st->recorded_auth += body(&res) == din_BodyType_ContractAuthenticationRes;
            st->recorded_loop += body(&res) == din_BodyType_CurrentDemandRes;
        }
    p->in.soc = 20;
    p->in.request_a = 10;
    uint32_t now = 0;
    assert_int_equal(sess_pev_start(p, now), 0);
    unsigned cur = 0;
    while (cur < r.n && r.dir[cur] != CAP_DIR_S2C) cur++;
    assert_true(cur < r.n);
    sess_pev_on_message(p, V2GTP_EXI, r.data[cur], r.len[cur], now += 10);   /* handshake response */
    cur++;
    while (p->phase == SESS_RUNNING) {
        if (follow) follow_request(&r, cur, p);
        if (p->repeat) {
            now = p->repeat_at_ms;
            sess_pev_tick(p, now);
            continue;
        }
        assert_true(p->tx_len > V2GTP_HEADER_LEN);
        assert_int_equal(din_decode(p->tx + V2GTP_HEADER_LEN, p->tx_len - V2GTP_HEADER_LEN, &req), 0);
        st->auth_requests += body(&req) == din_BodyType_ContractAuthenticationReq;
        st->precharge_requests += body(&req) == din_BodyType_PreChargeReq;
        st->loop_requests += body(&req) == din_BodyType_CurrentDemandReq;
        int want = body(&req) + 1;
        for (; cur < r.n; cur++) {
            if (r.dir[cur] != CAP_DIR_S2C) continue;
            if (din_decode(r.data[cur], r.len[cur], &res) == 0 && body(&res) == want) break;
            st->skipped++;
        }
        if (cur == r.n) break;
        sess_pev_on_message(p, V2GTP_EXI, r.data[cur], r.len[cur], now += 10);
        cur++;
    }
    unload(&r);
}

static void replay_to_pev(const char *capture, sess_pev *p, pev_replay_stats *st) { replay_to_pev_as(capture, p, st, 0); }

/* Alpitronic: ContractAuthentication Ongoing 26 times, ChargeParameterDiscovery and CableCheck Ongoing loops,
 * PreCharge to 230 V, PowerDelivery, then CurrentDemandRes FAILED_SequenceError (with EVSE_Shutdown): the
 * car is safe, its contactors open at 0 A. */
static void test_alpitronic_responses_to_pev(void **state)
{
    (void)state;
    static sess_pev p;
    pev_replay_stats st;
    replay_to_pev("2022-12-20_alpi_currentDemandSequenceErrorShutdown.pcapng", &p, &st);
    assert_true(p.in.battery_v == 230.0f);
    assert_int_equal(p.phase, SESS_SAFE);
    assert_int_equal(p.stop, SESS_STOP_SEQUENCE);
    assert_string_equal(p.rx_name, "CurrentDemandRes");
    assert_int_equal(st.recorded_auth, 27);
    assert_int_equal(st.auth_requests, st.recorded_auth);   /* one request per recorded answer */
    assert_true(st.precharge_requests >= 2);
    assert_true(p.out.safe && p.out.stop_requested);
    assert_false(p.out.contactors_closed);
    assert_int_equal(p.session_id_len, 8);
}

/* Tesla Supercharger: a 4-byte SessionID, then FAILED_UnknownSession (pyPLC kept its own SessionID). */
static void test_supercharger_responses_to_pev(void **state)
{
    (void)state;
    static sess_pev p;
    pev_replay_stats st;
    replay_to_pev("2023-03-02_SuperCharger_CableCheck_error.pcapng", &p, &st);
    assert_int_equal(p.session_id_len, 4);
    assert_int_equal(p.phase, SESS_SAFE);
    assert_int_equal(p.stop, SESS_STOP_UNKNOWN_SESSION);
    assert_string_equal(p.rx_name, "ServiceDiscoveryRes");
    assert_true(p.out.safe && p.out.stop_requested);
    assert_false(p.out.contactors_closed);
}

/* A real Ioniq at an Alpitronic HYC150, complete (modem SPI trace): our car, with the Ioniq's maxima (412.8 V,
 * 200 A) and asking what it asked, gets the charger's real responses: their present voltage and current (ramping
 * behind the request up to 172 A) pass the car's checks in every CurrentDemand cycle, and the car goes on until
 * the charger's own EVSE_Shutdown in its last CurrentDemandRes, then stops the graceful way. */
static void test_real_charger_values_pass_the_checks(void **state)
{
    (void)state;
    static sess_pev p;
    pev_replay_stats st;
    replay_to_pev_as("spi_ioniq_alpiHYC150_makerspace_landsberg_left_small_2024-04-03_ok.csv.pcap", &p, &st, 1);
    printf("%u of %u CurrentDemandRes, stop %s\n", st.loop_requests, st.recorded_loop, sess_stop_name(p.stop));
    assert_true(st.recorded_loop > 300);
    assert_int_equal(st.loop_requests, st.recorded_loop);
    assert_int_equal(p.stop, SESS_STOP_EVSE_SHUTDOWN);
    assert_int_equal(p.phase, SESS_DONE);
    assert_false(p.out.safe);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ioniq_requests_to_evse),
        cmocka_unit_test(test_model_y_requests_to_evse),
        cmocka_unit_test(test_alpitronic_responses_to_pev),
        cmocka_unit_test(test_supercharger_responses_to_pev),
        cmocka_unit_test(test_real_charger_values_pass_the_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
