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

static void assert_safe_plant(void)
{
    assert_false(W.plant.evse_contactor.closed);
    assert_false(W.plant.pev_contactor.closed);
    assert_true(W.plant.charger.i == 0.0f);
    assert_int_equal(W.plant.evse_contactor.opened_under_load, 0);
    assert_int_equal(W.plant.pev_contactor.opened_under_load, 0);
}

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
    const phys_battery *b = &W.plant.battery;
    uint32_t lag_ms = SESS_PEV_REPEAT_MS + 3 * SW_STEP_MS;
    double lag_soc = 100.0 * b->cfg.max_a * b->cfg.ocv_v[b->cfg.npoints - 1] * lag_ms / 3600000.0 / b->cfg.capacity_wh;
    assert_true(b->soc >= 30.0 && b->soc <= 30.0 + lag_soc);
    double stored = b->cfg.capacity_wh * (b->soc - 20.0) / 100.0;
    assert_true(b->stored_wh > stored - 0.01 && b->stored_wh < stored + 0.01);
    double metered = W.plant.charger.energy_wh;
    assert_true(metered > b->stored_wh + b->loss_wh - 0.5 && metered < b->stored_wh + b->loss_wh + 0.5);
    assert_int_equal(W.evse.evccid_len, 6);
    assert_memory_equal(W.evse.evccid, W.pev.cfg.mac, 6);
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
    float peak = 0.0f;
    while (!done(&W) && W.now < 60 * 60 * 1000) {
        sw_step(&W);
        if (W.plant.charger.i > peak) peak = W.plant.charger.i;
    }
    assert_true(done(&W));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_sequence(ac_sequence, 0);
    assert_safe_plant();
    assert_true(W.evse.ac);
    assert_true(W.evse.ev_max_a == W.pev.cfg.ac_max_a);
    assert_true(peak <= W.pev.cfg.ac_max_a + 0.001f && peak > W.pev.cfg.ac_max_a - 0.5f);
    const phys_battery *b = &W.plant.battery;
    /* the car stops drawing with its next ChargingStatusRes after full (100 ms + steps) */
    double lag_soc = 100.0 * 3 * 230.0 * 16.0 * (SESS_PEV_REPEAT_MS + 3 * SW_STEP_MS) / 3600000.0 / b->cfg.capacity_wh;
    assert_true(b->soc >= 22.0 && b->soc <= 22.0 + lag_soc);
    double in = W.plant.charger.energy_wh * W.plant.obc.efficiency;
    printf("ac: soc %.4f, metered %.2f Wh x %.2f = %.2f, stored %.2f + loss %.2f, %u ms\n", b->soc,
           W.plant.charger.energy_wh, W.plant.obc.efficiency, in, b->stored_wh, b->loss_wh, W.now);
    assert_true(in > b->stored_wh + b->loss_wh - 0.05 && in < b->stored_wh + b->loss_wh + 0.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dc_session),
        cmocka_unit_test(test_ac_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
