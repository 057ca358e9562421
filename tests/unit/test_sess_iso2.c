/* ISO 15118-2 sessions (EIM), charger and car in-process on a virtual clock with the physics plant: whole DC and
 * AC sessions against the battery model, ServiceDetail and MeteringReceipt when asked, Pause and resume with the
 * same SessionID, the quirks (real voltage in PreCharge, fields always filled, 4-byte SessionIDs, ChargeProgress
 * read as the enum it is), SupportedAppProtocol with the real requests, and the corpus requests answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iso2_world.h"
#include "sess_checks.h"
#include "testutil.h"

static sw_world W;

static int done(const sw_world *w) { return sw_both_ended(w); }

/* The order of a DC session (repeats collapsed). */
static const char *const dc_sequence[] = {
    "supportedAppProtocolReq", "supportedAppProtocolRes", "SessionSetupReq", "SessionSetupRes",
    "ServiceDiscoveryReq", "ServiceDiscoveryRes", "PaymentServiceSelectionReq", "PaymentServiceSelectionRes",
    "AuthorizationReq", "AuthorizationRes", "ChargeParameterDiscoveryReq", "ChargeParameterDiscoveryRes",
    "CableCheckReq", "CableCheckRes", "PreChargeReq", "PreChargeRes", "PowerDeliveryReq", "PowerDeliveryRes",
    "CurrentDemandReq", "CurrentDemandRes", "PowerDeliveryReq", "PowerDeliveryRes", "WeldingDetectionReq",
    "WeldingDetectionRes", "SessionStopReq", "SessionStopRes", NULL,
};

static const char *const ac_sequence[] = {
    "supportedAppProtocolReq", "supportedAppProtocolRes", "SessionSetupReq", "SessionSetupRes",
    "ServiceDiscoveryReq", "ServiceDiscoveryRes", "PaymentServiceSelectionReq", "PaymentServiceSelectionRes",
    "AuthorizationReq", "AuthorizationRes", "ChargeParameterDiscoveryReq", "ChargeParameterDiscoveryRes",
    "PowerDeliveryReq", "PowerDeliveryRes", "ChargingStatusReq", "ChargingStatusRes", "PowerDeliveryReq",
    "PowerDeliveryRes", "SessionStopReq", "SessionStopRes", NULL,
};

static void assert_sequence(const char *const *seq, unsigned from)
{
    unsigned k = 0, n = 0;
    while (seq[n]) n++;
    for (unsigned i = from; i < W.nlog; i++) {
        if (k > 0 && !strcmp(W.log[i], seq[k - 1])) continue;   /* repeated request ... */
        if (k > 1 && !strcmp(W.log[i], seq[k - 2])) continue;   /* ... and its response */
        if (k >= n || strcmp(W.log[i], seq[k])) fail_msg("message %u: %s, expected %s", i, W.log[i], k < n ? seq[k] : "end");
        k++;
    }
    if (k != n) for (unsigned i = from; i < W.nlog; i++) printf("  %u %s\n", W.log_at[i], W.log[i]);
    assert_int_equal(k, n);
}

static void assert_safe_plant(void) { sc_plant_safe(&W.plant, 1); }

/* A whole DC charge 20 % -> 30 % of 10 kWh: metered = stored + I^2 R losses (the battery model's own
 * accounting), the stored part = capacity x dSoC, the SoC past the target by at most the car's reaction. */
static void test_dc_session(void **state)
{
    (void)state;
    iw_setup(&W, 0, NULL);
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_ptr_equal(W.evse.proto, &sess_proto_iso2);
    assert_sequence(dc_sequence, 0);
    assert_safe_plant();
    sc_dc_energy(&W.plant, 20.0, 30.0);
    assert_int_equal(W.evse.evccid_len, 6);
    assert_memory_equal(W.evse.evccid, W.pev.cfg.mac, 6);
    assert_true(W.evse.ev_soc_said);   /* DC_EVStatus carries it */
    assert_int_equal(W.evse.ev_soc, (int)W.plant.battery.soc);
}

/* A whole AC charge through the on-board charger: the charger's limit is the car's EVMaxCurrent (16 A < 32 A),
 * the current per phase never above it; metered AC energy x OBC efficiency = stored + battery losses. */
static void short_charge(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)e, (void)p, (void)c;
    b->target_soc = 22.0f;   /* 200 Wh at 10 kW: the message log holds the whole session */
}

static void test_ac_session(void **state)
{
    (void)state;
    iw_setup(&W, 1, short_charge);
    sw_connect(&W);
    float peak = sc_ac_run(&W);
    assert_sequence(ac_sequence, 0);
    assert_safe_plant();
    assert_true(W.evse.ac);
    assert_true(W.evse.ev_max_a == W.pev.cfg.ac_max_a);
    assert_false(W.evse.ev_soc_said);   /* ISO-2 AC messages carry no SoC */
    assert_true(peak <= W.pev.cfg.ac_max_a + 0.001f && peak > W.pev.cfg.ac_max_a - 0.5f);
    const phys_battery *b = &W.plant.battery;
    /* the car stops drawing with its next ChargingStatusRes after full (100 ms + steps) */
    double lag_soc = 100.0 * 3 * 230.0 * 16.0 * (SESS_PEV_REPEAT_MS + 3 * SW_STEP_MS) / 3600000.0 / b->cfg.capacity_wh;
    assert_true(b->soc >= 22.0 && b->soc <= 22.0 + lag_soc);
    sc_ac_energy(&W.plant, "ac", W.now);
}

static int charging(const sw_world *w) { return w->plant.charger.i > 10.0f; }

static int hook_setup_codes(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    int *codes = w->hook_ctx;
    static struct iso2_exiDocument d;
    if (dir == SW_TO_PEV && iso2_decode(buf + V2GTP_HEADER_LEN, *len - V2GTP_HEADER_LEN, &d) == 0 &&
        d.V2G_Message.Body.BodyElement_choice == iso2_BodyType_SessionSetupRes)
        codes[codes[0]++ + 1] = d.V2G_Message.Body.SessionSetupRes.ResponseCode;
    if (dir == SW_TO_EVSE && iso2_decode(buf + V2GTP_HEADER_LEN, *len - V2GTP_HEADER_LEN, &d) == 0 &&
        d.V2G_Message.Body.BodyElement_choice == iso2_BodyType_SessionStopReq)
        codes[4] = d.V2G_Message.Body.SessionStopReq.ChargingSession;
    return 1;
}

/* The car pauses while charging (SessionStop Pause after PowerDelivery stop and WeldingDetection): both end
 * "paused", nothing under load; it comes back with the same SessionID: OK_OldSessionJoined, a whole session
 * again, to the target. */
static void pause_resume(int ac)
{
    int codes[5] = { 0 };
    iw_setup(&W, ac, ac ? short_charge : NULL);
    W.hook = hook_setup_codes;
    W.hook_ctx = codes;
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, charging));
    W.pev.in.pause_request = 1;
    assert_true(sw_run(&W, W.now + 10 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_PAUSED);
    assert_int_equal(W.pev.stop, SESS_STOP_PAUSED);
    assert_int_equal(W.evse.phase, SESS_DONE);
    assert_int_equal(W.pev.phase, SESS_DONE);
    assert_int_equal(codes[4], iso2_chargingSessionType_Pause);
    assert_safe_plant();
    assert_true(W.plant.battery.soc < W.plant.battery.cfg.target_soc);
    uint8_t sid[SESS_SESSION_ID_MAX];
    memcpy(sid, W.evse.session_id, W.evse.session_id_len);
    /* a new TCP connection, the same session */
    W.pev.in.pause_request = 0;
    unsigned from = W.nlog;
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
    assert_int_equal(codes[0], 2);
    assert_int_equal(codes[1], iso2_responseCodeType_OK_NewSessionEstablished);
    assert_int_equal(codes[2], iso2_responseCodeType_OK_OldSessionJoined);
    assert_memory_equal(W.evse.session_id, sid, W.evse.session_id_len);
    assert_memory_equal(W.pev.session_id, sid, W.evse.session_id_len);
    assert_int_equal(codes[4], iso2_chargingSessionType_Terminate);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_sequence(ac ? ac_sequence : dc_sequence, from);
    assert_true(phys_battery_full(&W.plant.battery));
    assert_safe_plant();
}

static void test_pause_resume_dc(void **state) { (void)state; pause_resume(0); }
static void test_pause_resume_ac(void **state) { (void)state; pause_resume(1); }

/* A SessionSetupReq with a SessionID that is not the paused one gets a new session. */
static void test_resume_unknown_id(void **state)
{
    (void)state;
    int codes[5] = { 0 };
    iw_setup(&W, 0, NULL);
    W.hook = hook_setup_codes;
    W.hook_ctx = codes;
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, charging));
    W.pev.in.pause_request = 1;
    assert_true(sw_run(&W, W.now + 10 * 1000, done));
    W.pev.in.pause_request = 0;
    W.pev.resume_id[0] ^= 0xFF;
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
    assert_int_equal(codes[2], iso2_responseCodeType_OK_NewSessionEstablished);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
}

static void detail_and_receipts(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    short_charge(e, p, c, b);
    p->service_detail = 1;
    e->receipt_interval_ms = 10000;
}

typedef struct {
    unsigned receipts;
    uint64_t last_reading;
} receipt_log;

static int hook_receipts(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    receipt_log *r = w->hook_ctx;
    static struct iso2_exiDocument d;
    if (dir != SW_TO_EVSE || iso2_decode(buf + V2GTP_HEADER_LEN, *len - V2GTP_HEADER_LEN, &d) != 0 ||
        d.V2G_Message.Body.BodyElement_choice != iso2_BodyType_MeteringReceiptReq)
        return 1;
    const struct iso2_MeteringReceiptReqType *q = &d.V2G_Message.Body.MeteringReceiptReq;
    assert_memory_equal(q->SessionID.bytes, w->evse.session_id, w->evse.session_id_len);
    assert_true(q->MeterInfo.has_MeterReading);
    /* the reading the charger reported: what its meter said, rising */
    assert_true(q->MeterInfo.MeterReading <= (uint64_t)w->plant.charger.energy_wh);
    assert_true(q->MeterInfo.MeterReading > r->last_reading);
    r->last_reading = q->MeterInfo.MeterReading;
    r->receipts++;
    return 1;
}

/* The car asks ServiceDetail for the charge service; the charger asks a MeteringReceipt every 10 s of charging:
 * the car answers each with the meter reading it was given, and the loop goes on. */
static void details_receipts(int ac)
{
    receipt_log r = { 0 };
    iw_setup(&W, ac, detail_and_receipts);
    W.hook = hook_receipts;
    W.hook_ctx = &r;
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(sw_count(&W, "ServiceDetailReq"), 1);
    assert_int_equal(sw_count(&W, "ServiceDetailRes"), 1);
    unsigned n = sw_count(&W, "MeteringReceiptReq");
    assert_int_equal(n, r.receipts);
    /* DC charges 200 Wh in about 15 s, AC in about 72 s: one receipt per 10 s of it */
    assert_true(n >= (ac ? 6u : 1u) && n <= (ac ? 8u : 2u));
    assert_int_equal(sw_count(&W, "MeteringReceiptRes"), n);
}

static void test_details_receipts_dc(void **state) { (void)state; details_receipts(0); }
static void test_details_receipts_ac(void **state) { (void)state; details_receipts(1); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dc_session),
        cmocka_unit_test(test_ac_session),
        cmocka_unit_test(test_pause_resume_dc),
        cmocka_unit_test(test_pause_resume_ac),
        cmocka_unit_test(test_resume_unknown_id),
        cmocka_unit_test(test_details_receipts_dc),
        cmocka_unit_test(test_details_receipts_ac),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
