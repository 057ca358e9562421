/* DIN 70121 sessions, charger and car against each other in-process on a virtual clock with the physics
 * plant: the whole sequence, the energy and SoC against the battery model, the field quirks as options,
 * sequence and SessionID errors, SupportedAppProtocol choices (with real handshake requests). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "sess_checks.h"
#include "testutil.h"

static sw_world W;

static void setup_world(sess_evse_config *ec, sess_pev_config *pc, phys_battery_config *bc)
{
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    sw_init(&W, ec ? ec : &e, pc ? pc : &p, &c, bc ? bc : &b);
}

static int done(const sw_world *w) { return sw_both_ended(w); }

static void assert_safe_plant(void) { sc_plant_safe(&W.plant, 1); }

/* The order every DIN DC session follows (repeats collapsed). */
static const char *const din_sequence[] = {
    "supportedAppProtocolReq", "supportedAppProtocolRes", "SessionSetupReq", "SessionSetupRes",
    "ServiceDiscoveryReq", "ServiceDiscoveryRes", "ServicePaymentSelectionReq", "ServicePaymentSelectionRes",
    "ContractAuthenticationReq", "ContractAuthenticationRes", "ChargeParameterDiscoveryReq",
    "ChargeParameterDiscoveryRes", "CableCheckReq", "CableCheckRes", "PreChargeReq", "PreChargeRes",
    "PowerDeliveryReq", "PowerDeliveryRes", "CurrentDemandReq", "CurrentDemandRes", "PowerDeliveryReq",
    "PowerDeliveryRes", "WeldingDetectionReq", "WeldingDetectionRes", "SessionStopReq", "SessionStopRes",
};

static void assert_din_sequence(void)
{
    unsigned k = 0;
    for (unsigned i = 0; i < W.nlog; i++) {
        if (k > 0 && !strcmp(W.log[i], din_sequence[k - 1])) continue;       /* repeated request ... */
        if (k > 1 && !strcmp(W.log[i], din_sequence[k - 2])) continue;       /* ... and its response */
        assert_true(k < sizeof din_sequence / sizeof din_sequence[0]);
        if (strcmp(W.log[i], din_sequence[k])) fail_msg("message %u: %s, expected %s", i, W.log[i], din_sequence[k]);
        k++;
    }
    assert_int_equal(k, sizeof din_sequence / sizeof din_sequence[0]);
}

/* A whole charge 20 % -> 30 % of 10 kWh: energy metered by the charger = stored energy (capacity x dSoC)
 * + I^2 R losses, both from the battery model's own accounting, and the stored part matches the SoC. */
static void test_full_session(void **state)
{
    (void)state;
    setup_world(NULL, NULL, NULL);
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.evse.phase, SESS_DONE);
    assert_int_equal(W.pev.phase, SESS_DONE);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_din_sequence();
    assert_safe_plant();
    const phys_battery *b = &W.plant.battery;
    sc_dc_energy(&W.plant, 20.0, 30.0);
    /* losses bounded by I_max^2 R over the charging time */
    uint32_t t_charge = W.now;
    assert_true(b->loss_wh <= b->cfg.max_a * b->cfg.max_a * b->cfg.r_ohm * t_charge / 3600000.0);
    assert_int_equal(W.evse.evccid_len, 6);
    assert_memory_equal(W.evse.evccid, W.pev.cfg.mac, 6);   /* EVCCID = the car's MAC */
}

/* The default world with the charger's session or power stage changed first, connected. */
static void setup_charger(void (*tweak)(sess_evse_config *e, phys_charger_config *c))
{
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    tweak(&e, &c);
    sw_init(&W, &e, &p, &c, &b);
    sw_connect(&W);
}

static void four_byte_ids(sess_evse_config *e, phys_charger_config *c)
{
    (void)c;
    e->session_id_len = 4;
}

/* Tesla Supercharger: 4-byte SessionIDs; the car echoes whatever length it got. */
static void test_four_byte_session_id(void **state)
{
    (void)state;
    setup_charger(four_byte_ids);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.session_id_len, 4);
    assert_memory_equal(W.pev.session_id, W.evse.session_id, 4);
    const struct din_exiDocument *last = &sw_pev_docs.tx.din;   /* the last request: SessionStopReq */
    assert_int_equal(last->V2G_Message.Body.BodyElement_choice, din_BodyType_SessionStopReq);
    assert_int_equal(last->V2G_Message.Header.SessionID.len, 4);
}

/* ContractAuthentication and ChargeParameterDiscovery answered "Ongoing" first: the car loops. */
static void test_ongoing_loops(void **state)
{
    (void)state;
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    e.auth_ongoing = 7;
    e.cpd_ongoing = 3;
    sw_init(&W, &e, &p, &c, &b);
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(sw_count(&W, "ContractAuthenticationReq"), 8);
    assert_int_equal(sw_count(&W, "ChargeParameterDiscoveryReq"), 4);
    /* paced by the car's repeat interval */
    unsigned first = 0, last = 0;
    for (unsigned i = 0; i < W.nlog; i++)
        if (!strcmp(W.log[i], "ContractAuthenticationReq")) {
            if (!first) first = i;
            last = i;
        }
    assert_true(W.log_at[last] - W.log_at[first] >= 7 * SESS_PEV_REPEAT_MS);
}

static int hook_check_fields(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    int *seen = w->hook_ctx;
    static struct din_exiDocument d;
    if (din_decode(buf + V2GTP_HEADER_LEN, *len - V2GTP_HEADER_LEN, &d) != 0) return 1;
    const struct din_BodyType *b = &d.V2G_Message.Body;
    if (dir == SW_TO_EVSE && b->BodyElement_choice == din_BodyType_ChargeParameterDiscoveryReq) {
        const struct din_DC_EVChargeParameterType *c = &b->ChargeParameterDiscoveryReq.DC_EVChargeParameter;
        assert_true(c->has_EVMaximumPowerLimit && c->has_EVEnergyCapacity && c->has_EVEnergyRequest &&
                    c->has_FullSOC && c->has_BulkSOC);
        seen[0]++;
    }
    if (dir == SW_TO_PEV && b->BodyElement_choice == din_BodyType_ChargeParameterDiscoveryRes) {
        const struct din_ChargeParameterDiscoveryResType *r = &b->ChargeParameterDiscoveryRes;
        assert_int_equal(r->SASchedules_choice, din_ChargeParameterDiscoveryResType_SAScheduleList);
        assert_true(r->DC_EVSEChargeParameter.has_EVSEMaximumPowerLimit &&
                    r->DC_EVSEChargeParameter.has_EVSECurrentRegulationTolerance &&
                    r->DC_EVSEChargeParameter.has_EVSEEnergyToBeDelivered &&
                    r->DC_EVSEChargeParameter.DC_EVSEStatus.has_EVSEIsolationStatus);
        seen[1]++;
    }
    if (dir == SW_TO_EVSE && b->BodyElement_choice == din_BodyType_CurrentDemandReq) {
        const struct din_CurrentDemandReqType *q = &b->CurrentDemandReq;
        assert_true(q->has_EVMaximumVoltageLimit && q->has_EVMaximumCurrentLimit && q->has_EVMaximumPowerLimit);
        seen[2]++;
    }
    return 1;
}

/* ChargeParameterDiscovery fields always filled (both ways); EVMaximum* limits in every CurrentDemandReq,
 * so a charger that requires them (option) charges too. */
static void test_fields_always_filled(void **state)
{
    (void)state;
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    e.require_ev_limits = 1;
    sw_init(&W, &e, &p, &c, &b);
    int seen[3] = { 0 };
    W.hook = hook_check_fields;
    W.hook_ctx = seen;
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(seen[0], 1);
    assert_int_equal(seen[1], 1);
    assert_true(seen[2] > 10);
}

/* At every WeldingDetectionReq the car's contactors are open and the current is below the car's threshold. */
static int hook_welding_after_open(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    static struct din_exiDocument d;
    int *seen = w->hook_ctx;
    if (dir != SW_TO_EVSE || din_decode(buf + V2GTP_HEADER_LEN, *len - V2GTP_HEADER_LEN, &d) != 0) return 1;
    if (d.V2G_Message.Body.BodyElement_choice != din_BodyType_WeldingDetectionReq) return 1;
    seen[0]++;
    if (!w->pev.out.contactors_closed && w->plant.charger.i < SESS_PEV_CONTACTOR_OPEN_A) seen[1]++;
    return 1;
}

/* After PowerDelivery(stop) the car waits for the current to fall and opens its contactors, then asks for
 * WeldingDetection (which checks that the voltage goes with the contactors open). */
static void test_welding_after_contactors_open(void **state)
{
    (void)state;
    setup_world(NULL, NULL, NULL);
    int seen[2] = { 0 };
    W.hook = hook_welding_after_open;
    W.hook_ctx = seen;
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_true(seen[0] >= 1);
    assert_int_equal(seen[1], seen[0]);
}

/* Re-encode d into buf as one V2GTP message. */
static void reframe(const struct din_exiDocument *d, uint8_t *buf, size_t *len)
{
    size_t n;
    assert_int_equal(din_encode(d, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN, &n), 0);
    assert_int_equal(v2gtp_pack_header(V2GTP_EXI, (uint32_t)n, buf, SESS_TX_CAP), 0);
    *len = n + V2GTP_HEADER_LEN;
}

/* For a hook: the message going `want` (SW_TO_EVSE, SW_TO_PEV) decoded into doc, when it is that way and of that
 * body; else NULL (pass it on unchanged). */
static struct din_BodyType *hooked(struct din_exiDocument *doc, int want, int body, int dir, const uint8_t *buf,
                                   size_t len)
{
    if (dir != want || din_decode(buf + V2GTP_HEADER_LEN, len - V2GTP_HEADER_LEN, doc) != 0) return NULL;
    return doc->V2G_Message.Body.BodyElement_choice == body ? &doc->V2G_Message.Body : NULL;
}

static int hook_strip_limits(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)w;
    static struct din_exiDocument d;
    struct din_BodyType *b = hooked(&d, SW_TO_EVSE, din_BodyType_CurrentDemandReq, dir, buf, *len);
    if (!b) return 1;
    struct din_CurrentDemandReqType *q = &b->CurrentDemandReq;
    q->has_EVMaximumVoltageLimit = q->has_EVMaximumCurrentLimit = q->has_EVMaximumPowerLimit = false;
    reframe(&d, buf, len);
    return 1;
}

/* The car asks for negative voltage and current in PreCharge and CurrentDemand; after each answer the charger's
 * commands are checked (neg[0] requests changed, neg[1] answers checked). */
static int hook_negative_targets(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    int *neg = w->hook_ctx;
    static struct din_exiDocument d;
    if (dir == SW_TO_PEV) {
        assert_true(w->evse.out.target_a >= 0.0f && w->evse.out.target_v >= 0.0f);
        neg[1]++;
        return 1;
    }
    if (din_decode(buf + V2GTP_HEADER_LEN, *len - V2GTP_HEADER_LEN, &d) != 0) return 1;
    struct din_BodyType *b = &d.V2G_Message.Body;
    if (b->BodyElement_choice == din_BodyType_PreChargeReq) {
        b->PreChargeReq.EVTargetVoltage.Value = -400;
        b->PreChargeReq.EVTargetCurrent.Value = -2;
    } else if (b->BodyElement_choice == din_BodyType_CurrentDemandReq) {
        b->CurrentDemandReq.EVTargetVoltage.Value = -400;
        b->CurrentDemandReq.EVTargetCurrent.Value = -100;
        b->CurrentDemandReq.EVMaximumCurrentLimit.Value = -100;
    } else {
        return 1;
    }
    neg[0]++;
    reframe(&d, buf, len);
    return 1;
}

/* Negative targets never reach the power stage: every command stays at or above zero. */
static void test_negative_targets(void **state)
{
    (void)state;
    setup_world(NULL, NULL, NULL);
    int neg[2] = { 0 };
    W.hook = hook_negative_targets;
    W.hook_ctx = neg;
    sw_connect(&W);
    sw_run(&W, 5 * 60 * 1000, done);
    assert_true(neg[0] >= 1);
    assert_true(neg[1] > neg[0]);
}

/* The charger's ServiceDiscoveryRes offers Contract payment only (rewritten on the way to the car). */
static int hook_contract_only(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)w;
    static struct din_exiDocument d;
    struct din_BodyType *b = hooked(&d, SW_TO_PEV, din_BodyType_ServiceDiscoveryRes, dir, buf, *len);
    if (!b) return 1;
    struct din_ServiceDiscoveryResType *r = &b->ServiceDiscoveryRes;
    r->PaymentOptions.PaymentOption.count = 1;
    r->PaymentOptions.PaymentOption.array[0] = din_paymentOptionType_Contract;
    reframe(&d, buf, len);
    return 1;
}

/* A charger whose OK ServiceDiscoveryRes offers no payment this car has (external payment only): the car stops with
 * "nothing usable offered" (not "FAILED response": the response was OK) before any selection, nothing flowed. */
static void test_nothing_usable_offered(void **state)
{
    (void)state;
    setup_world(NULL, NULL, NULL);
    W.hook = hook_contract_only;
    sw_connect(&W);
    assert_true(sw_run(&W, 5 * 60 * 1000, done));
    assert_int_equal(W.pev.phase, SESS_SAFE);
    assert_int_equal(W.pev.stop, SESS_STOP_NO_OFFER);
    assert_string_equal(sess_stop_name(W.pev.stop), "nothing usable offered");
    assert_int_equal(W.evse.last_code, din_responseCodeType_OK);
    assert_true(W.plant.charger.energy_wh == 0.0);
    assert_safe_plant();
}

/* A car without EVMaximum* limits at a charger that requires them: FAILED, both sides safe. */
static void test_required_limits_missing(void **state)
{
    (void)state;
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    e.require_ev_limits = 1;
    sw_init(&W, &e, &p, &c, &b);
    W.hook = hook_strip_limits;
    sw_connect(&W);
    assert_true(sw_run(&W, 5 * 60 * 1000, done));
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.evse.last_code, din_responseCodeType_FAILED_WrongChargeParameter);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    assert_safe_plant();
}

static int in_state(const sw_world *w) { return w->evse.phase == SESS_RUNNING && w->evse.state == 6; }

/* Feed one hand-made request to the charger; returns the response's code and message name. */
static int evse_request_sid(sess_evse *s, int body, int ready, uint8_t sid_xor, const char **name)
{
    static struct din_exiDocument d;
    static uint8_t buf[512];
    memset(&d, 0, sizeof d);
    d.root = DIN_ROOT_V2G_Message;
    memcpy(d.V2G_Message.Header.SessionID.bytes, s->session_id, s->session_id_len);
    d.V2G_Message.Header.SessionID.len = s->session_id_len;
    d.V2G_Message.Header.SessionID.bytes[0] ^= sid_xor;
    d.V2G_Message.Body.BodyElement_choice = (uint8_t)body;
    if (body == din_BodyType_PowerDeliveryReq) {
        d.V2G_Message.Body.PowerDeliveryReq.ReadyToChargeState = ready != 0;
        d.V2G_Message.Body.PowerDeliveryReq.EVPowerDeliveryParameter_choice =
            din_PowerDeliveryReqType_DC_EVPowerDeliveryParameter;
    }
    size_t n;
    assert_int_equal(din_encode(&d, buf, sizeof buf, &n), 0);
    sess_evse_on_message(s, V2GTP_EXI, buf, n, W.now);
    *name = s->tx_name;
    return s->last_code;
}

static int evse_request(sess_evse *s, int body, int ready, const char **name)
{
    return evse_request_sid(s, body, ready, 0, name);
}

/* Audi Q4: PowerDelivery(stop) 50 s after CableCheck, without charging: accepted, output off, then
 * WeldingDetection and SessionStop end the session normally. */
static void test_power_delivery_stop_after_cable_check(void **state)
{
    (void)state;
    setup_world(NULL, NULL, NULL);
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, in_state));   /* CableCheck finished: waiting for PreCharge */
    sw_detach_car(&W);
    W.now += 50000;
    sess_evse_tick(&W.evse, W.now);
    assert_int_equal(W.evse.phase, SESS_RUNNING);
    const char *name;
    assert_int_equal(evse_request(&W.evse, din_BodyType_PowerDeliveryReq, 0, &name), din_responseCodeType_OK);
    assert_string_equal(name, "PowerDeliveryRes");
    assert_false(W.evse.out.output_on);
    assert_int_equal(evse_request(&W.evse, din_BodyType_WeldingDetectionReq, 0, &name), din_responseCodeType_OK);
    assert_int_equal(evse_request(&W.evse, din_BodyType_SessionStopReq, 0, &name), din_responseCodeType_OK);
    assert_int_equal(W.evse.phase, SESS_DONE);
    assert_true(W.evse.out.safe);
}

/* Out of order: FAILED_SequenceError, safe, connection closed; the next car gets a whole session. */
static void test_sequence_error_then_next_car(void **state)
{
    (void)state;
    setup_world(NULL, NULL, NULL);
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, in_state));
    sw_detach_car(&W);
    const char *name;
    assert_int_equal(evse_request(&W.evse, din_BodyType_CurrentDemandReq, 0, &name),
                     din_responseCodeType_FAILED_SequenceError);
    assert_string_equal(name, "CurrentDemandRes");
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.evse.stop, SESS_STOP_SEQUENCE);
    assert_true(W.evse.close && W.evse.out.safe);
    assert_false(W.evse.out.contactors_closed);
    /* the next car */
    sess_evse_disconnect(&W.evse, W.now);
    sess_pev_config pc = W.pev.cfg;
    sess_pev_init(&W.pev, &pc, &sw_pev_docs);
    phys_battery_config b = W.plant.battery.cfg;
    b.soc = 20.0f;
    phys_battery_init(&W.plant.battery, &b);
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
}

/* A wrong SessionID: FAILED_UnknownSession, safe. */
static void test_unknown_session(void **state)
{
    (void)state;
    setup_world(NULL, NULL, NULL);
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, in_state));
    sw_detach_car(&W);
    const char *name;
    int code = evse_request_sid(&W.evse, din_BodyType_PreChargeReq, 0, 0x5A, &name);
    assert_int_equal(code, din_responseCodeType_FAILED_UnknownSession);
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.evse.stop, SESS_STOP_UNKNOWN_SESSION);
    assert_true(W.evse.out.safe);
}

static int car_pausing(const sw_world *w)
{
    return w->pev.phase == SESS_RUNNING && !w->pev.waiting && w->pev.repeat;
}

/* A request the charger cannot decode: stop "bad message", and why: "undecodable", its payload type and length,
 * the decoder's own error for these bytes (code and bit offset, as exi_decode_ex reports them). A DIN document
 * that is no request (a response): "not a request". The car the same for its responses, and a message while it
 * awaits none. */
static void test_bad_message_named(void **state)
{
    (void)state;
    static struct din_exiDocument d;
    uint8_t garbage[] = { 0x80, 0x9A, 0x02, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
    struct exi_error want;
    assert_int_not_equal(exi_decode_ex(&din_codec, garbage, sizeof garbage, &d, &want), 0);
    setup_world(NULL, NULL, NULL);
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, in_state));
    sw_detach_car(&W);
    assert_int_equal(sess_evse_on_message(&W.evse, V2GTP_EXI, garbage, sizeof garbage, W.now), CCS_EPROTO);
    assert_int_equal(W.evse.stop, SESS_STOP_BAD_MESSAGE);
    assert_string_equal(W.evse.bad.what, "undecodable");
    assert_int_equal(W.evse.bad.payload_type, V2GTP_EXI);
    assert_int_equal(W.evse.bad.len, sizeof garbage);
    assert_int_equal(W.evse.bad.exi.code, want.code);
    assert_int_equal(W.evse.bad.exi.bit_offset, want.bit_offset);
    assert_string_equal(sess_codec_name(W.evse.proto, W.evse.bad.payload_type), "din");
    /* a response where a request belongs */
    setup_world(NULL, NULL, NULL);
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, in_state));
    sw_detach_car(&W);
    const char *name;
    evse_request(&W.evse, din_BodyType_CableCheckRes, 0, &name);
    assert_int_equal(W.evse.stop, SESS_STOP_BAD_MESSAGE);
    assert_string_equal(W.evse.bad.what, "not a request");
    assert_int_equal(W.evse.bad.exi.code, 0);
    /* the car: garbage where its supportedAppProtocolRes belongs */
    static struct app_exiDocument a;
    assert_int_not_equal(exi_decode_ex(&app_codec, garbage, sizeof garbage, &a, &want), 0);
    setup_world(NULL, NULL, NULL);
    sess_pev_start(&W.pev, 0);
    assert_int_equal(sess_pev_on_message(&W.pev, V2GTP_EXI, garbage, sizeof garbage, 0), CCS_EPROTO);
    assert_int_equal(W.pev.stop, SESS_STOP_BAD_MESSAGE);
    assert_string_equal(W.pev.bad.what, "undecodable");
    assert_int_equal(W.pev.bad.exi.code, want.code);
    assert_int_equal(W.pev.bad.exi.bit_offset, want.bit_offset);
    assert_string_equal(sess_codec_name(W.pev.proto, W.pev.bad.payload_type), "app");
    /* the car between two CableChecks (the repeat's pause): a message it did not ask for ends the session */
    setup_world(NULL, NULL, NULL);
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, car_pausing));
    assert_int_equal(sess_pev_on_message(&W.pev, V2GTP_EXI, garbage, sizeof garbage, W.now), CCS_EPROTO);
    assert_int_equal(W.pev.phase, SESS_SAFE);
    assert_int_equal(W.pev.stop, SESS_STOP_BAD_MESSAGE);
    assert_string_equal(W.pev.bad.what, "a message while no response was awaited");
    assert_true(W.pev.out.safe && !W.pev.out.cp_state_c);
}

static int car_stopped(const sw_world *w) { return w->pev.phase == SESS_SAFE || w->pev.phase == SESS_DONE; }

static void endless_isolation_test(sess_evse_config *e, phys_charger_config *c)
{
    (void)e;
    c->isolation_ms = 10u * SESS_EVCC_CABLE_CHECK_TIMEOUT_MS;
}

/* An insulation test that never ends: the car gives CableCheck up after V2G_EVCC_CableCheck_Timeout and names
 * that timer. */
static void test_car_state_timer_named(void **state)
{
    (void)state;
    setup_charger(endless_isolation_test);
    assert_true(sw_run(&W, 5 * 60 * 1000, car_stopped));
    assert_int_equal(W.pev.stop, SESS_STOP_TIMEOUT);
    assert_string_equal(W.pev.timer, "V2G_EVCC_CableCheck_Timeout");
    assert_true(W.now >= SESS_EVCC_CABLE_CHECK_TIMEOUT_MS);
}

static int charging(const sw_world *w) { return w->plant.charger.i > 100.0f; }

/* The charger's own emergency stop while 100+ A flow: its next answer is FAILED with EVSE_EmergencyShutdown,
 * the output goes off at once, the car goes safe and opens its contactors only after the current is gone. */
static void test_charger_emergency_stop(void **state)
{
    (void)state;
    setup_world(NULL, NULL, NULL);
    sw_connect(&W);
    assert_true(sw_run(&W, 60 * 1000, charging));
    W.evse.in.status = SESS_EVSE_EMERGENCY;
    assert_true(sw_run(&W, W.now + 5000, done));
    assert_int_equal(W.evse.stop, SESS_STOP_EVSE_EMERGENCY);
    assert_int_equal(W.evse.last_code, din_responseCodeType_FAILED);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    assert_true(W.pev.out.safe && W.pev.out.stop_requested);
    assert_safe_plant();
}

/* Real handshake requests (corpus/app.tsv): the Model Y offers DIN (priority 2) and Tesla's own protocol
 * (priority 1); with only DIN enabled we choose DIN and echo its SchemaID. */
static void test_sap_choice_real_requests(void **state)
{
    (void)state;
    char *tsv = tu_read_file(tu_shared("corpus/app.tsv"), NULL);
    assert_non_null(tsv);
    sess_evse_config e;
    sess_evse_config_default(&e);
    static sess_evse s;
    unsigned requests = 0;
    for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
        char proto[16], msg[64], hex[1024];
        if (sscanf(line, "%15s\t%63s\t%1023s", proto, msg, hex) != 3 || strcmp(msg, "supportedAppProtocolReq")) continue;
        uint8_t bin[512];
        long n = tu_hex2bin(hex, bin, sizeof bin);
        assert_true(n > 0);
        static struct app_exiDocument d;
        assert_int_equal(app_decode(bin, (size_t)n, &d), 0);
        int din_schema = -1;
        for (unsigned i = 0; i < d.supportedAppProtocolReq.AppProtocol.count; i++)
            if (!memcmp(d.supportedAppProtocolReq.AppProtocol.array[i].ProtocolNamespace.chars, "urn:din:70121", 13))
                din_schema = d.supportedAppProtocolReq.AppProtocol.array[i].SchemaID;
        sess_evse_init(&s, &e, &sw_evse_docs);
        sess_evse_connect(&s, 0);
        int rc = sess_evse_on_message(&s, V2GTP_EXI, bin, (size_t)n, 0);
        const struct app_supportedAppProtocolResType *r = &sw_evse_docs.tx.app.supportedAppProtocolRes;
        if (din_schema < 0) {
            assert_int_equal(r->ResponseCode, app_responseCodeType_Failed_NoNegotiation);
            assert_int_equal(s.phase, SESS_SAFE);
            assert_int_equal(s.stop, SESS_STOP_NO_PROTOCOL);
        } else {
            assert_int_equal(rc, 0);
            assert_ptr_equal(s.proto, &sess_proto_din);
            assert_int_equal(r->ResponseCode, app_responseCodeType_OK_SuccessfulNegotiation);
            assert_int_equal(r->SchemaID, din_schema);
            assert_string_equal(sess_evse_state_name(&s), "WaitSessionSetup");
        }
        assert_true(s.tx_len > V2GTP_HEADER_LEN);
        requests++;
    }
    assert_true(requests >= 2);
    free(tsv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_session),
        cmocka_unit_test(test_four_byte_session_id),
        cmocka_unit_test(test_ongoing_loops),
        cmocka_unit_test(test_fields_always_filled),
        cmocka_unit_test(test_required_limits_missing),
        cmocka_unit_test(test_nothing_usable_offered),
        cmocka_unit_test(test_negative_targets),
        cmocka_unit_test(test_power_delivery_stop_after_cable_check),
        cmocka_unit_test(test_sequence_error_then_next_car),
        cmocka_unit_test(test_unknown_session),
        cmocka_unit_test(test_bad_message_named),
        cmocka_unit_test(test_car_state_timer_named),
        cmocka_unit_test(test_welding_after_contactors_open),
        cmocka_unit_test(test_charger_emergency_stop),
        cmocka_unit_test(test_sap_choice_real_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
