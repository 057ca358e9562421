/* SupportedAppProtocol negotiation (sess_sap.c) through the charger's and the car's engines: the car's priorities,
 * ties, the major/minor version rules, nothing in common; and a default charger that serves a DIN, an ISO-2 DC and
 * an ISO-20 DC car, each negotiated from the car's own priority list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "sess_world.h"

#define NS_DIN "urn:din:70121:2012:MsgDef"
#define NS_ISO2 "urn:iso:15118:2:2013:MsgDef"
#define NS_ISO20_DC "urn:iso:std:iso:15118:-20:DC"

typedef struct {
    const char *ns;
    uint32_t major, minor;
    uint8_t schema_id, priority;
} entry;

static sess_evse S;
static sess_docs D;

/* The charger with these protocols (NULL-terminated; none: the default configuration) answers a
 * supportedAppProtocolReq with these entries; returns the response. */
static const struct app_supportedAppProtocolResType *offer(const sess_proto *const *ours, const entry *e, size_t n)
{
    sess_evse_config cfg;
    sess_evse_config_default(&cfg);
    if (ours) {
        cfg.nprotos = 0;
        while (ours[cfg.nprotos]) cfg.protos[cfg.nprotos] = ours[cfg.nprotos], cfg.nprotos++;
    }
    static struct app_exiDocument req;
    memset(&req, 0, sizeof req);
    req.root = APP_ROOT_supportedAppProtocolReq;
    struct app_supportedAppProtocolReqType *q = &req.supportedAppProtocolReq;
    for (size_t i = 0; i < n; i++) {
        struct app_AppProtocolType *a = &q->AppProtocol.array[q->AppProtocol.count++];
        a->ProtocolNamespace.len = (uint16_t)strlen(e[i].ns);
        memcpy(a->ProtocolNamespace.chars, e[i].ns, a->ProtocolNamespace.len);
        a->VersionNumberMajor = e[i].major;
        a->VersionNumberMinor = e[i].minor;
        a->SchemaID = e[i].schema_id;
        a->Priority = e[i].priority;
    }
    uint8_t buf[512];
    size_t len;
    assert_int_equal(app_encode(&req, buf, sizeof buf, &len), 0);
    sess_evse_init(&S, &cfg, &D);
    sess_evse_connect(&S, 0);
    sess_evse_on_message(&S, V2GTP_EXI, buf, len, 0);
    /* what went out is what the car reads */
    v2gtp_msg m;
    assert_int_equal(v2gtp_parse(S.tx, S.tx_len, 65536, &m), 0);
    static struct app_exiDocument res;
    assert_int_equal(app_decode(m.payload, m.payload_len, &res), 0);
    assert_int_equal(res.root, APP_ROOT_supportedAppProtocolRes);
    return &res.supportedAppProtocolRes;
}

static void chosen(const struct app_supportedAppProtocolResType *r, const sess_proto *p, uint8_t schema_id, int code)
{
    assert_ptr_equal(S.proto, p);
    assert_int_equal(r->ResponseCode, code);
    assert_true(r->has_SchemaID);
    assert_int_equal(r->SchemaID, schema_id);
    assert_int_equal(S.phase, SESS_RUNNING);
}

/* ISO 15118-2 [V2G2-167]: Priority 1 is the car's first choice, whatever the order of the entries. */
static void test_priorities(void **state)
{
    (void)state;
    const entry car[] = { { NS_ISO2, 2, 0, 10, 2 }, { NS_DIN, 2, 0, 11, 3 }, { NS_ISO20_DC, 1, 0, 12, 1 } };
    chosen(offer(NULL, car, 3), &sess_proto_iso20, 12, app_responseCodeType_OK_SuccessfulNegotiation);
    const sess_proto *no20[] = { &sess_proto_din, &sess_proto_iso2, NULL };
    chosen(offer(no20, car, 3), &sess_proto_iso2, 10, app_responseCodeType_OK_SuccessfulNegotiation);
    const sess_proto *din[] = { &sess_proto_din, NULL };
    chosen(offer(din, car, 3), &sess_proto_din, 11, app_responseCodeType_OK_SuccessfulNegotiation);
}

/* A car that gives two entries the same Priority: an exact minor version first, then our own order. */
static void test_ties(void **state)
{
    (void)state;
    const entry car[] = { { NS_DIN, 2, 0, 1, 1 }, { NS_ISO2, 2, 0, 2, 1 } };
    const sess_proto *din_first[] = { &sess_proto_din, &sess_proto_iso2, NULL };
    const sess_proto *iso2_first[] = { &sess_proto_iso2, &sess_proto_din, NULL };
    chosen(offer(din_first, car, 2), &sess_proto_din, 1, app_responseCodeType_OK_SuccessfulNegotiation);
    chosen(offer(iso2_first, car, 2), &sess_proto_iso2, 2, app_responseCodeType_OK_SuccessfulNegotiation);
    const entry minor[] = { { NS_DIN, 2, 1, 1, 1 }, { NS_ISO2, 2, 0, 2, 1 } };
    chosen(offer(din_first, minor, 2), &sess_proto_iso2, 2, app_responseCodeType_OK_SuccessfulNegotiation);
    const entry same[] = { { NS_ISO2, 2, 5, 7, 1 }, { NS_ISO2, 2, 0, 8, 1 } };
    chosen(offer(NULL, same, 2), &sess_proto_iso2, 8, app_responseCodeType_OK_SuccessfulNegotiation);
}

/* The major version must be ours; another minor version is accepted with OK_SuccessfulNegotiationWithMinorDeviation. */
static void test_versions(void **state)
{
    (void)state;
    const entry minor[] = { { NS_ISO2, 2, 1, 3, 1 }, { NS_DIN, 2, 0, 4, 2 } };
    chosen(offer(NULL, minor, 2), &sess_proto_iso2, 3, app_responseCodeType_OK_SuccessfulNegotiationWithMinorDeviation);
    const entry major[] = { { NS_ISO2, 3, 0, 3, 1 }, { NS_DIN, 2, 0, 4, 2 } };
    chosen(offer(NULL, major, 2), &sess_proto_din, 4, app_responseCodeType_OK_SuccessfulNegotiation);
    const entry dc20[] = { { NS_ISO20_DC, 1, 2, 9, 1 } };
    chosen(offer(NULL, dc20, 1), &sess_proto_iso20, 9, app_responseCodeType_OK_SuccessfulNegotiationWithMinorDeviation);
}

/* Nothing in common: Failed_NoNegotiation without a SchemaID, the session safe and closed. */
static void test_nothing_in_common(void **state)
{
    (void)state;
    const entry car[] = { { "urn:tesla:din:2018:MsgDef", 2, 0, 1, 1 }, { "urn:iso:std:iso:15118:-20:WPT", 1, 0, 2, 2 },
                          { NS_DIN, 3, 0, 3, 3 } };
    const struct app_supportedAppProtocolResType *r = offer(NULL, car, 3);
    assert_int_equal(r->ResponseCode, app_responseCodeType_Failed_NoNegotiation);
    assert_false(r->has_SchemaID);
    assert_null(S.proto);
    assert_int_equal(S.stop, SESS_STOP_NO_PROTOCOL);
    assert_int_equal(S.phase, SESS_SAFE);
    assert_true(S.close);
    assert_true(S.out.safe);
    const entry none[] = { { NS_ISO20_DC, 1, 0, 1, 1 } };
    const sess_proto *din[] = { &sess_proto_din, NULL };
    r = offer(din, none, 1);
    assert_int_equal(r->ResponseCode, app_responseCodeType_Failed_NoNegotiation);
    assert_int_equal(S.stop, SESS_STOP_NO_PROTOCOL);
}

/* Our car offers its list in order (SchemaID and Priority 1, 2, 3) and runs the one whose SchemaID comes back. */
static void test_car_offer(void **state)
{
    (void)state;
    static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
    static sess_pev p;
    sess_pev_config pc;
    sess_pev_config_default(&pc, mac);
    const sess_proto *list[] = { &sess_proto_iso20, &sess_proto_iso2, &sess_proto_din };
    memcpy(pc.protos, list, sizeof list);
    pc.nprotos = 3;
    sess_pev_init(&p, &pc, &D);
    assert_int_equal(sess_pev_start(&p, 0), 0);
    v2gtp_msg m;
    assert_int_equal(v2gtp_parse(p.tx, p.tx_len, 65536, &m), 0);
    static struct app_exiDocument req;
    assert_int_equal(app_decode(m.payload, m.payload_len, &req), 0);
    const struct app_supportedAppProtocolReqType *q = &req.supportedAppProtocolReq;
    assert_int_equal(q->AppProtocol.count, 3);
    const char *ns[] = { NS_ISO20_DC, NS_ISO2, NS_DIN };
    for (unsigned i = 0; i < 3; i++) {
        const struct app_AppProtocolType *a = &q->AppProtocol.array[i];
        assert_int_equal(a->ProtocolNamespace.len, strlen(ns[i]));
        assert_memory_equal(a->ProtocolNamespace.chars, ns[i], strlen(ns[i]));
        assert_int_equal(a->SchemaID, i + 1);
        assert_int_equal(a->Priority, i + 1);
    }
    /* a charger with DIN and ISO-2 only answers SchemaID 2: the car runs ISO-2 */
    static sess_docs ed;
    sess_evse_config ec;
    sess_evse_config_default(&ec);
    ec.nprotos = 2;
    sess_evse_init(&S, &ec, &ed);
    sess_evse_connect(&S, 0);
    sess_evse_on_message(&S, m.payload_type, m.payload, m.payload_len, 0);
    assert_ptr_equal(S.proto, &sess_proto_iso2);
    assert_int_equal(v2gtp_parse(S.tx, S.tx_len, 65536, &m), 0);
    assert_int_equal(sess_pev_on_message(&p, m.payload_type, m.payload, m.payload_len, 0), 0);
    assert_ptr_equal(p.proto, &sess_proto_iso2);
    assert_int_equal(p.phase, SESS_RUNNING);
}

/* One default charger (the same configuration, a fresh plug-in each) serves three cars, each offering what it
 * can in its own order: a DIN-only car, an ISO-2 car that knows DIN too, an ISO-20 car that knows all three. Each
 * charges to its target and ends normally in the protocol it ranked first. */
static void test_default_charger_serves_every_car(void **state)
{
    (void)state;
    static sw_world w;
    const sess_proto *cars[3][3] = {
        { &sess_proto_din },
        { &sess_proto_iso2, &sess_proto_din },
        { &sess_proto_iso20, &sess_proto_iso2, &sess_proto_din },
    };
    const char *loop[3] = { "CurrentDemandReq", "CurrentDemandReq", "DC_ChargeLoopReq" };
    for (unsigned i = 0; i < 3; i++) {
        sess_evse_config e;
        sess_pev_config p;
        phys_charger_config c;
        phys_battery_config b;
        sw_default_configs(&e, &p, &c, &b);
        p.nprotos = 0;
        for (unsigned k = 0; k < 3 && cars[i][k]; k++) p.protos[p.nprotos++] = cars[i][k];
        sw_init(&w, &e, &p, &c, &b);
        sw_connect(&w);
        assert_true(sw_run(&w, 3600000u, sw_both_ended));
        assert_ptr_equal(w.evse.proto, cars[i][0]);
        assert_ptr_equal(w.pev.proto, cars[i][0]);
        assert_string_equal(sess_proto_name(w.evse.proto), sess_proto_name(cars[i][0]));
        assert_int_equal(w.evse.phase, SESS_DONE);
        assert_int_equal(w.pev.phase, SESS_DONE);
        assert_int_equal(w.evse.stop, SESS_STOP_NORMAL);
        assert_int_equal(w.pev.stop, SESS_STOP_NORMAL);
        assert_true(sw_count(&w, loop[i]) > 0);
        assert_true(w.plant.battery.soc >= b.target_soc);
        assert_int_equal(w.plant.evse_contactor.opened_under_load + w.plant.pev_contactor.opened_under_load, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_priorities),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_nothing_in_common),
        cmocka_unit_test(test_car_offer),
        cmocka_unit_test(test_default_charger_serves_every_car),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
