/* ISO 15118-2 field quirks and real inputs: the charger reports the real output voltage in PreCharge (cars that
 * close only on it: Model Y, Polestar 2), ChargeParameterDiscovery fields always filled, 4-byte SessionIDs,
 * ChargeProgress read as the enum it is (Start = 0, not DIN's ReadyToChargeState boolean), SupportedAppProtocol
 * with the real requests (corpus/app.tsv), and every ISO-2 request type of corpus/iso2.tsv answered in a matching
 * state with the matching response and a ResponseCode the request deserves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "iso2_world.h"
#include "testutil.h"

float iso2_pv_get(const struct iso2_PhysicalValueType *pv);   /* src/v2g/iso2_values.c */

static sw_world W;
static struct iso2_exiDocument D;   /* scratch for hooks */

static int done(const sw_world *w) { return sw_both_ended(w); }

static int decode(const uint8_t *buf, size_t len)
{
    if (len < V2GTP_HEADER_LEN || iso2_decode(buf + V2GTP_HEADER_LEN, len - V2GTP_HEADER_LEN, &D) != 0) return -1;
    return D.V2G_Message.Body.BodyElement_choice;
}

static void reencode(uint8_t *buf, size_t *len)
{
    size_t n;
    assert_int_equal(iso2_encode(&D, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN, &n), 0);
    assert_int_equal(v2gtp_pack_header(V2GTP_EXI, (uint32_t)n, buf, SESS_TX_CAP), 0);
    *len = n + V2GTP_HEADER_LEN;
}

typedef struct {
    float measured, target;   /* at the last PreChargeReq the charger got */
    unsigned responses, far;  /* PreChargeRes seen; those far from the target */
    float v_at_close;         /* the charger's output when the car closed */
} precharge_log;

static int hook_precharge(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    precharge_log *l = w->hook_ctx;
    int m = decode(buf, *len);
    if (dir == SW_TO_EVSE && m == iso2_BodyType_PreChargeReq) {
        l->measured = w->evse.in.present_v;   /* what the charger measures as it answers */
        l->target = iso2_pv_get(&D.V2G_Message.Body.PreChargeReq.EVTargetVoltage);
    }
    if (dir == SW_TO_PEV && m == iso2_BodyType_PreChargeRes) {
        float reported = iso2_pv_get(&D.V2G_Message.Body.PreChargeRes.EVSEPresentVoltage);
        assert_true(reported > l->measured - 0.06f && reported < l->measured + 0.06f);
        l->far += reported > l->target + 10.0f || reported < l->target - 10.0f;
        l->responses++;
    }
    return 1;
}

/* Model Y, Polestar 2: every PreChargeRes carries the voltage the charger measures (the first ones far from the
 * target: the output comes down from the isolation test), and the car closes only when that matched its
 * battery, so nothing flows through the contactors as they close. */
static void test_precharge_real_voltage(void **state)
{
    (void)state;
    precharge_log l = { 0 };
    iw_setup(&W, 0, NULL);
    W.hook = hook_precharge;
    W.hook_ctx = &l;
    sw_connect(&W);
    while (!W.pev.out.contactors_closed && W.now < 60 * 1000) sw_step(&W);
    l.v_at_close = W.plant.charger.v;
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_true(l.responses >= 2);
    assert_true(l.far >= 1);
    float ocv = W.plant.battery.cfg.ocv_v[2];   /* 20 % SoC at plug-in */
    assert_true(l.v_at_close > ocv - SESS_PEV_PRECHARGE_TOLERANCE_V && l.v_at_close < ocv + SESS_PEV_PRECHARGE_TOLERANCE_V);
    assert_int_equal(W.plant.pev_contactor.opened_under_load, 0);
}

static int hook_fields(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    int *seen = w->hook_ctx;
    (void)len;
    int m = decode(buf, *len);
    const struct iso2_BodyType *b = &D.V2G_Message.Body;
    if (dir == SW_TO_EVSE && m == iso2_BodyType_ChargeParameterDiscoveryReq) {
        const struct iso2_ChargeParameterDiscoveryReqType *q = &b->ChargeParameterDiscoveryReq;
        assert_true(q->has_MaxEntriesSAScheduleTuple);
        if (q->EVChargeParameter_choice == iso2_ChargeParameterDiscoveryReqType_DC_EVChargeParameter) {
            const struct iso2_DC_EVChargeParameterType *c = &q->DC_EVChargeParameter;
            assert_true(c->has_DepartureTime && c->has_EVMaximumPowerLimit && c->has_EVEnergyCapacity &&
                        c->has_EVEnergyRequest && c->has_FullSOC && c->has_BulkSOC);
        } else {
            assert_int_equal(q->EVChargeParameter_choice, iso2_ChargeParameterDiscoveryReqType_AC_EVChargeParameter);
            assert_true(q->AC_EVChargeParameter.has_DepartureTime);
        }
        seen[0]++;
    }
    if (dir == SW_TO_PEV && m == iso2_BodyType_ChargeParameterDiscoveryRes) {
        const struct iso2_ChargeParameterDiscoveryResType *r = &b->ChargeParameterDiscoveryRes;
        assert_int_equal(r->SASchedules_choice, iso2_ChargeParameterDiscoveryResType_SAScheduleList);
        const struct iso2_SAScheduleTupleType *t = &r->SAScheduleList.SAScheduleTuple.array[0];
        assert_int_equal(t->PMaxSchedule.PMaxScheduleEntry.count, 1);
        assert_true(t->PMaxSchedule.PMaxScheduleEntry.array[0].RelativeTimeInterval.has_duration);
        if (r->EVSEChargeParameter_choice == iso2_ChargeParameterDiscoveryResType_DC_EVSEChargeParameter)
            assert_true(r->DC_EVSEChargeParameter.has_EVSECurrentRegulationTolerance &&
                        r->DC_EVSEChargeParameter.has_EVSEEnergyToBeDelivered &&
                        r->DC_EVSEChargeParameter.DC_EVSEStatus.has_EVSEIsolationStatus);
        seen[1]++;
    }
    if (dir == SW_TO_EVSE && m == iso2_BodyType_CurrentDemandReq) {
        const struct iso2_CurrentDemandReqType *q = &b->CurrentDemandReq;
        assert_true(q->has_EVMaximumVoltageLimit && q->has_EVMaximumCurrentLimit && q->has_EVMaximumPowerLimit);
        seen[2]++;
    }
    if (dir == SW_TO_EVSE && m == iso2_BodyType_PowerDeliveryReq && b->PowerDeliveryReq.ChargeProgress == iso2_chargeProgressType_Start) {
        /* the ChargingProfile within the schedule's PMax (the charger refuses it otherwise) */
        assert_true(b->PowerDeliveryReq.has_ChargingProfile);
        assert_int_equal(b->PowerDeliveryReq.SAScheduleTupleID, 1);
        seen[3]++;
    }
    return 1;
}

static void require_limits(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)p, (void)c;
    e->require_ev_limits = 1;
    b->target_soc = 22.0f;
}

/* ChargeParameterDiscovery fields always filled both ways, DC and AC; EVMaximum* limits in every
 * CurrentDemandReq, so a charger that requires them charges too. */
static void test_fields_always_filled(void **state)
{
    (void)state;
    for (int ac = 0; ac <= 1; ac++) {
        int seen[4] = { 0 };
        iw_setup(&W, ac, require_limits);
        W.hook = hook_fields;
        W.hook_ctx = seen;
        sw_connect(&W);
        assert_true(sw_run(&W, 30 * 60 * 1000, done));
        assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
        assert_int_equal(seen[0], 1);
        assert_int_equal(seen[1], 1);
        assert_true(ac ? seen[2] == 0 : seen[2] > 10);
        assert_int_equal(seen[3], 1);
    }
}

static void four_bytes(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)p, (void)c, (void)b;
    e->session_id_len = 4;
}

/* Tesla Supercharger style 4-byte SessionIDs: the car echoes 4 bytes to the end. */
static void test_four_byte_session_id(void **state)
{
    (void)state;
    iw_setup(&W, 0, four_bytes);
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.session_id_len, 4);
    assert_memory_equal(W.pev.session_id, W.evse.session_id, 4);
    assert_int_equal(sw_pev_docs.tx.iso2.V2G_Message.Body.BodyElement_choice, iso2_BodyType_SessionStopReq);
    assert_int_equal(sw_pev_docs.tx.iso2.V2G_Message.Header.SessionID.len, 4);
}

static int in_precharge(const sw_world *w) { return w->evse.phase == SESS_RUNNING && !strcmp(sess_evse_state_name(&w->evse), "WaitPreCharge"); }

/* One request to the charger: the corpus message (hex) with our SessionID and the given ChargeProgress/EVReady;
 * returns the ResponseCode. */
static int power_delivery(const char *hex, enum iso2_chargeProgressType progress, int ev_ready)
{
    static uint8_t buf[SESS_TX_CAP];
    long n = tu_hex2bin(hex, buf + V2GTP_HEADER_LEN, sizeof buf - V2GTP_HEADER_LEN);
    assert_true(n > 0);
    assert_int_equal(iso2_decode(buf + V2GTP_HEADER_LEN, (size_t)n, &D), 0);
    struct iso2_PowerDeliveryReqType *q = &D.V2G_Message.Body.PowerDeliveryReq;
    assert_int_equal(q->ChargeProgress, iso2_chargeProgressType_Start);   /* as recorded */
    q->ChargeProgress = progress;
    q->DC_EVPowerDeliveryParameter.DC_EVStatus.EVReady = ev_ready != 0;
    memcpy(D.V2G_Message.Header.SessionID.bytes, W.evse.session_id, W.evse.session_id_len);
    D.V2G_Message.Header.SessionID.len = W.evse.session_id_len;
    size_t len;
    reencode(buf, &len);
    sess_evse_on_message(&W.evse, V2GTP_EXI, buf + V2GTP_HEADER_LEN, len - V2GTP_HEADER_LEN, W.now);
    return W.evse.last_code;
}

/* ChargeProgress is an enum whose Start is 0: a charger reading it like DIN's ReadyToChargeState boolean would
 * take Start for "not ready". The recorded PowerDeliveryReq (Start, corpus) switches the output on; the same
 * with Stop and EVReady false (the car is done, not faulty) switches it off without an error; Renegotiate (not
 * supported) is a sequence error. */
static void test_charge_progress_enum(void **state)
{
    (void)state;
    const char *start = NULL;
    struct corpus_line *lines;
    size_t n;
    char *buf = corpus_load(tu_shared("corpus/iso2.tsv"), &lines, &n);
    assert_non_null(buf);
    for (size_t i = 0; i < n && !start; i++)
        if (!strcmp(lines[i].message, "PowerDeliveryReq") && strstr(lines[i].fields, "ChargeProgress=Start SAScheduleTupleID=1 DC_"))
            start = lines[i].hex;
    assert_non_null(start);
    for (int k = 0; k < 3; k++) {
        iw_setup(&W, 0, NULL);
        sw_connect(&W);
        assert_true(sw_run(&W, 60 * 1000, in_precharge));
        sw_detach_car(&W);
        if (k == 2) {
            assert_int_equal(power_delivery(start, iso2_chargeProgressType_Renegotiate, 1),
                             iso2_responseCodeType_FAILED_SequenceError);
            assert_int_equal(W.evse.phase, SESS_SAFE);
            continue;
        }
        assert_int_equal(power_delivery(start, iso2_chargeProgressType_Start, 1), iso2_responseCodeType_OK);
        assert_true(W.evse.out.output_on && W.evse.out.contactors_closed);
        assert_string_equal(sess_evse_state_name(&W.evse), "WaitCurrentDemand");
        if (k == 0) continue;
        assert_int_equal(power_delivery(start, iso2_chargeProgressType_Stop, 0), iso2_responseCodeType_OK);
        assert_false(W.evse.out.output_on || W.evse.out.contactors_closed);
        assert_string_equal(sess_evse_state_name(&W.evse), "WaitWeldingDetection");
        assert_int_equal(W.evse.phase, SESS_RUNNING);
    }
    free(lines);
    free(buf);
}

/* Real handshake requests (corpus/app.tsv). The default charger offers DIN and ISO-2: the Ioniq/Polestar-style
 * request with DIN at priority 1 and ISO-2 at priority 2 gets DIN; an ISO-2-only charger takes ISO-2 and echoes
 * its SchemaID (0); the Model Y offers no ISO-2: no negotiation there. Our own car offering ISO-2 first gets
 * ISO-2 from the default charger. */
static void test_sap_choice(void **state)
{
    (void)state;
    struct corpus_line *lines;
    size_t n;
    char *buf = corpus_load(tu_shared("corpus/app.tsv"), &lines, &n);
    assert_non_null(buf);
    static sess_evse s;
    unsigned both = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(lines[i].message, "supportedAppProtocolReq")) continue;
        uint8_t bin[512];
        long len = tu_hex2bin(lines[i].hex, bin, sizeof bin);
        assert_true(len > 0);
        int iso = strstr(lines[i].fields, "urn:iso:15118:2:2013:MsgDef") != NULL;
        int din_first = strstr(lines[i].fields, "AppProtocol[0].ProtocolNamespace=urn:din:70121:2012:MsgDef") &&
                        strstr(lines[i].fields, "AppProtocol[0].Priority=1 ");
        for (int only_iso = 0; only_iso <= 1; only_iso++) {
            sess_evse_config e;
            sess_evse_config_default(&e);
            if (only_iso) e.protos[0] = &sess_proto_iso2, e.nprotos = 1;
            sess_evse_init(&s, &e, &sw_evse_docs);
            sess_evse_connect(&s, 0);
            sess_evse_on_message(&s, V2GTP_EXI, bin, (size_t)len, 0);
            const struct app_supportedAppProtocolResType *r = &sw_evse_docs.tx.app.supportedAppProtocolRes;
            if (only_iso && !iso) {
                assert_int_equal(r->ResponseCode, app_responseCodeType_Failed_NoNegotiation);
                assert_int_equal(s.stop, SESS_STOP_NO_PROTOCOL);
            } else if (only_iso || (iso && !din_first)) {
                assert_ptr_equal(s.proto, &sess_proto_iso2);
                assert_int_equal(r->SchemaID, 0);   /* the ISO-2 entry's SchemaID in that request */
            } else {
                assert_ptr_equal(s.proto, &sess_proto_din);
            }
        }
        both += iso;
    }
    assert_int_equal(both, 1);
    free(lines);
    free(buf);
    /* our car, ISO-2 preferred, DIN second */
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    p.protos[0] = &sess_proto_iso2;
    p.protos[1] = &sess_proto_din;
    p.nprotos = 2;
    sw_init(&W, &e, &p, &c, &b);
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_ptr_equal(W.evse.proto, &sess_proto_iso2);
    assert_ptr_equal(W.pev.proto, &sess_proto_iso2);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
}

/* Corpus requests in a real session: the car's request of type `ours` is replaced by the corpus message (our
 * SessionID put in); the charger's answer is recorded. */
typedef struct {
    const char *hex;
    int ours, done, res, code;
} swap;

static int hook_swap(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    swap *x = w->hook_ctx;
    if (x->done) return dir == SW_TO_PEV && x->res < 0 ? (x->res = decode(buf, *len), x->code = w->evse.last_code, 0) : 0;
    if (dir != SW_TO_EVSE || decode(buf, *len) != x->ours) return 1;
    long n = tu_hex2bin(x->hex, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN);
    assert_true(n > 0);
    assert_int_equal(iso2_decode(buf + V2GTP_HEADER_LEN, (size_t)n, &D), 0);
    if (x->ours != iso2_BodyType_SessionSetupReq) {
        memcpy(D.V2G_Message.Header.SessionID.bytes, w->evse.session_id, w->evse.session_id_len);
        D.V2G_Message.Header.SessionID.len = w->evse.session_id_len;
    }
    reencode(buf, len);
    x->done = 1;
    return 1;
}

static int answered(const sw_world *w) { return ((const swap *)w->hook_ctx)->res >= 0; }

static void receipts(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)c, (void)b;
    e->receipt_interval_ms = 1000;
    p->service_detail = 1;
}

/* The codes a corpus request deserves from our EIM charger (the fields decide; anything else is a bug). */
static int expected_code(const struct corpus_line *l)
{
    const char *f = l->fields, *m = l->message;
    if (!strcmp(m, "SessionSetupReq")) return iso2_responseCodeType_OK_NewSessionEstablished;
    if (!strcmp(m, "ServiceDetailReq"))
        return atoi(strstr(f, " ServiceID=") + 11) == 1 ? iso2_responseCodeType_OK
                                                         : iso2_responseCodeType_FAILED_ServiceIDInvalid;
    if (!strcmp(m, "PaymentServiceSelectionReq"))   /* we offer service 1 and external payment only */
        return strstr(f, "ServiceID=2") || strstr(f, "ServiceID=3") ? iso2_responseCodeType_FAILED_ServiceSelectionInvalid
               : strstr(f, "=Contract")                            ? iso2_responseCodeType_FAILED_PaymentSelectionInvalid
                                                                   : iso2_responseCodeType_OK;
    if (!strcmp(m, "PowerDeliveryReq"))
        return strstr(f, "ChargeProgress=Renegotiate")   ? iso2_responseCodeType_FAILED_SequenceError
               : !strstr(f, "SAScheduleTupleID=1 ")      ? iso2_responseCodeType_FAILED_TariffSelectionInvalid
                                                         : iso2_responseCodeType_OK;
    if (!strcmp(m, "CertificateInstallationReq") || !strcmp(m, "CertificateUpdateReq") || !strcmp(m, "PaymentDetailsReq"))
        return iso2_responseCodeType_FAILED_SequenceError;   /* Plug & Charge: not offered */
    return iso2_responseCodeType_OK;
}

static void test_corpus_requests(void **state)
{
    (void)state;
    struct corpus_line *lines;
    size_t n;
    char *buf = corpus_load(tu_shared("corpus/iso2.tsv"), &lines, &n);
    assert_non_null(buf);
    static const struct {
        const char *msg;
        int ours;
    } map[] = {
        { "SessionSetupReq", iso2_BodyType_SessionSetupReq },
        { "ServiceDiscoveryReq", iso2_BodyType_ServiceDiscoveryReq },
        { "ServiceDetailReq", iso2_BodyType_ServiceDetailReq },
        { "PaymentServiceSelectionReq", iso2_BodyType_PaymentServiceSelectionReq },
        { "AuthorizationReq", iso2_BodyType_AuthorizationReq },
        { "ChargeParameterDiscoveryReq", iso2_BodyType_ChargeParameterDiscoveryReq },
        { "CableCheckReq", iso2_BodyType_CableCheckReq },
        { "PreChargeReq", iso2_BodyType_PreChargeReq },
        { "PowerDeliveryReq", iso2_BodyType_PowerDeliveryReq },
        { "CurrentDemandReq", iso2_BodyType_CurrentDemandReq },
        { "ChargingStatusReq", iso2_BodyType_ChargingStatusReq },
        { "MeteringReceiptReq", iso2_BodyType_MeteringReceiptReq },
        { "WeldingDetectionReq", iso2_BodyType_WeldingDetectionReq },
        { "SessionStopReq", iso2_BodyType_SessionStopReq },
        { "CertificateInstallationReq", iso2_BodyType_AuthorizationReq },
        { "CertificateUpdateReq", iso2_BodyType_AuthorizationReq },
        { "PaymentDetailsReq", iso2_BodyType_AuthorizationReq },
    };
    unsigned fed = 0, ok = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        int ours = -1;
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
            if (!strcmp(lines[i].message, map[k].msg)) ours = map[k].ours;
        if (ours < 0) continue;   /* a response */
        if (strlen(lines[i].hex) / 2 > SESS_TX_CAP - V2GTP_HEADER_LEN) {   /* certificates: larger than a session */
            skipped++;                                                   /* message buffer */
            continue;
        }
        int ac = ours == iso2_BodyType_ChargingStatusReq || strstr(lines[i].fields, "=AC_");
        swap x = { .hex = lines[i].hex, .ours = ours, .res = -1 };
        iw_setup(&W, ac, receipts);
        W.hook = hook_swap;
        W.hook_ctx = &x;
        sw_connect(&W);
        if (!sw_run(&W, 5 * 60 * 1000, answered)) fail_msg("line %d %s: no answer", lines[i].lineno, lines[i].message);
        int res = ours == iso2_BodyType_AuthorizationReq ? iso2_BodyType_AuthorizationRes : ours + 1;
        if (strstr(lines[i].message, "Certificate") || strstr(lines[i].message, "PaymentDetails"))
            res = ours == iso2_BodyType_AuthorizationReq && !strcmp(lines[i].message, "PaymentDetailsReq")
                      ? iso2_BodyType_PaymentDetailsRes
                  : !strcmp(lines[i].message, "CertificateUpdateReq") ? iso2_BodyType_CertificateUpdateRes
                                                                      : iso2_BodyType_CertificateInstallationRes;
        if (x.res != res || x.code != expected_code(&lines[i]))
            fail_msg("line %d %s: answer %d code %d, expected %d code %d", lines[i].lineno, lines[i].message, x.res,
                     x.code, res, expected_code(&lines[i]));
        fed++;
        ok += x.code <= iso2_responseCodeType_OK_CertificateExpiresSoon;
    }
    printf("%u corpus requests answered (%u OK), %u larger than SESS_TX_CAP\n", fed, ok, skipped);
    assert_true(fed >= 50);
    free(lines);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precharge_real_voltage),
        cmocka_unit_test(test_fields_always_filled),
        cmocka_unit_test(test_four_byte_session_id),
        cmocka_unit_test(test_charge_progress_enum),
        cmocka_unit_test(test_sap_choice),
        cmocka_unit_test(test_corpus_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
