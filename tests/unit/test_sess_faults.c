/* Fault injection from pyPLC's manual fault list, automated: the charger answers FAILED, FAILED_SequenceError,
 * EVSE_Shutdown, EVSE_EmergencyShutdown or EVSE_Malfunction, or stops answering, at each stage from
 * SessionSetup to CurrentDemand -> the car reaches its safe state; the car goes silent or drops TCP at each
 * stage -> the charger reaches its safe state within V2G_SECC_Sequence_Timeout. Virtual clock; every test
 * checks the safe state itself (current 0, contactors open, nothing opened under load), not only the exit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sess_checks.h"

const char *din_msg_name(int msg);   /* src/v2g/din_glue.c */

static sw_world W;

/* The stages: request and response bodies, whether the response has a DC_EVSEStatus, and the car's
 * V2G_EVCC_Msg_Timeout for the request. CurrentDemand is hit at its 5th cycle, with current flowing. */
typedef struct {
    int req, res, has_status;
    uint32_t msg_timeout;
    unsigned nth;
} stage;

static const stage stages[] = {
    { din_BodyType_SessionSetupReq, din_BodyType_SessionSetupRes, 0, SESS_EVCC_MSG_TIMEOUT_MS, 1 },
    { din_BodyType_ServiceDiscoveryReq, din_BodyType_ServiceDiscoveryRes, 0, SESS_EVCC_MSG_TIMEOUT_MS, 1 },
    { din_BodyType_ServicePaymentSelectionReq, din_BodyType_ServicePaymentSelectionRes, 0, SESS_EVCC_MSG_TIMEOUT_MS, 1 },
    { din_BodyType_ContractAuthenticationReq, din_BodyType_ContractAuthenticationRes, 0, SESS_EVCC_MSG_TIMEOUT_MS, 1 },
    { din_BodyType_ChargeParameterDiscoveryReq, din_BodyType_ChargeParameterDiscoveryRes, 1, SESS_EVCC_MSG_TIMEOUT_MS, 1 },
    { din_BodyType_CableCheckReq, din_BodyType_CableCheckRes, 1, SESS_EVCC_MSG_TIMEOUT_MS, 1 },
    { din_BodyType_PreChargeReq, din_BodyType_PreChargeRes, 1, SESS_EVCC_MSG_TIMEOUT_MS, 1 },
    { din_BodyType_PowerDeliveryReq, din_BodyType_PowerDeliveryRes, 1, SESS_EVCC_MSG_TIMEOUT_MS, 1 },
    { din_BodyType_CurrentDemandReq, din_BodyType_CurrentDemandRes, 1, SESS_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_MS, 5 },
};
#define NSTAGES (sizeof stages / sizeof stages[0])

typedef enum { F_FAILED, F_SEQUENCE, F_SHUTDOWN, F_EMERGENCY, F_MALFUNCTION, F_SILENT } fault_kind;
typedef enum { C_SILENT, C_DROP_TCP } car_fault;

typedef struct {
    const stage *st;
    int fault;        /* fault_kind (charger side) or car_fault */
    unsigned seen;
    int injected;
    uint32_t at;      /* when it happened */
    int muted;        /* the car is silent from then on */
    uint32_t last_res;/* when the charger sent its last response */
} inject;

static int body_of(const uint8_t *buf, size_t len, struct din_exiDocument *d)
{
    if (len < V2GTP_HEADER_LEN || din_decode(buf + V2GTP_HEADER_LEN, len - V2GTP_HEADER_LEN, d) != 0) return -1;
    return d->V2G_Message.Body.BodyElement_choice;
}

static struct din_DC_EVSEStatusType *status_of(struct din_BodyType *b)
{
    switch (b->BodyElement_choice) {
    case din_BodyType_ChargeParameterDiscoveryRes: return &b->ChargeParameterDiscoveryRes.DC_EVSEChargeParameter.DC_EVSEStatus;
    case din_BodyType_CableCheckRes: return &b->CableCheckRes.DC_EVSEStatus;
    case din_BodyType_PreChargeRes: return &b->PreChargeRes.DC_EVSEStatus;
    case din_BodyType_PowerDeliveryRes: return &b->PowerDeliveryRes.DC_EVSEStatus;
    case din_BodyType_CurrentDemandRes: return &b->CurrentDemandRes.DC_EVSEStatus;
    default: return NULL;
    }
}

/* Rewrites the charger's response code (every DIN response starts with its ResponseCode except the
 * certificate ones, which these stages do not use) or its EVSEStatusCode. */
static void rewrite(struct din_exiDocument *d, fault_kind f)
{
    struct din_BodyType *b = &d->V2G_Message.Body;
    if (f == F_FAILED || f == F_SEQUENCE) {
        enum din_responseCodeType *code = (enum din_responseCodeType *)(void *)&b->CableCheckRes;
        *code = f == F_FAILED ? din_responseCodeType_FAILED : din_responseCodeType_FAILED_SequenceError;
        return;
    }
    static const enum din_DC_EVSEStatusCodeType codes[] = {
        [F_SHUTDOWN] = din_DC_EVSEStatusCodeType_EVSE_Shutdown,
        [F_EMERGENCY] = din_DC_EVSEStatusCodeType_EVSE_EmergencyShutdown,
        [F_MALFUNCTION] = din_DC_EVSEStatusCodeType_EVSE_Malfunction,
    };
    status_of(b)->EVSEStatusCode = codes[f];
}

static int charger_fault_hook(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    inject *in = w->hook_ctx;
    static struct din_exiDocument d;
    if (dir != SW_TO_PEV || in->injected || body_of(buf, *len, &d) != in->st->res) return 1;
    if (++in->seen < in->st->nth) return 1;
    in->injected = 1;
    in->at = w->now;
    if (in->fault == F_SILENT) return 0;
    rewrite(&d, (fault_kind)in->fault);
    size_t n;
    assert_int_equal(din_encode(&d, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN, &n), 0);
    assert_int_equal(v2gtp_pack_header(V2GTP_EXI, (uint32_t)n, buf, SESS_TX_CAP), 0);
    *len = n + V2GTP_HEADER_LEN;
    return 1;
}

static void start(sw_hook hook, inject *in)
{
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    sw_init(&W, &e, &p, &c, &b);
    W.hook = hook;
    W.hook_ctx = in;
    sw_connect(&W);
}

static int car_stopped(const sw_world *w) { return w->pev.phase == SESS_SAFE || w->pev.phase == SESS_DONE; }

static void charger_fault(fault_kind f)
{
    static const sess_stop_reason why[] = {
        [F_FAILED] = SESS_STOP_FAILED, [F_SEQUENCE] = SESS_STOP_SEQUENCE, [F_SHUTDOWN] = SESS_STOP_EVSE_SHUTDOWN,
        [F_EMERGENCY] = SESS_STOP_EVSE_EMERGENCY, [F_MALFUNCTION] = SESS_STOP_EVSE_MALFUNCTION,
        [F_SILENT] = SESS_STOP_TIMEOUT,
    };
    unsigned tested = 0;
    for (unsigned i = 0; i < NSTAGES; i++) {
        if ((f == F_SHUTDOWN || f == F_EMERGENCY || f == F_MALFUNCTION) && !stages[i].has_status) continue;
        inject in = { .st = &stages[i], .fault = f };
        start(charger_fault_hook, &in);
        assert_true(sw_run(&W, 10 * 60 * 1000, car_stopped));
        assert_true(in.injected);
        const char *stage_name = din_msg_name(stages[i].req);
        if (W.pev.stop != why[f]) fail_msg("%s: stop %s", stage_name, sess_stop_name(W.pev.stop));
        /* A stop asked for while charging goes the graceful way (PowerDelivery stop, WeldingDetection,
         * SessionStop: three more round trips); everything else is the safe state at once. */
        int graceful = f == F_SHUTDOWN && stages[i].req == din_BodyType_CurrentDemandReq;
        sc_car_after_fault(&W, f == F_SILENT, graceful, in.at, stages[i].msg_timeout);
        tested++;
    }
    assert_true(tested >= 5);
}

static void test_charger_failed(void **s) { (void)s; charger_fault(F_FAILED); }
static void test_charger_sequence_error(void **s) { (void)s; charger_fault(F_SEQUENCE); }
static void test_charger_shutdown(void **s) { (void)s; charger_fault(F_SHUTDOWN); }
static void test_charger_emergency(void **s) { (void)s; charger_fault(F_EMERGENCY); }
static void test_charger_malfunction(void **s) { (void)s; charger_fault(F_MALFUNCTION); }
static void test_charger_silent(void **s) { (void)s; charger_fault(F_SILENT); }

static int car_fault_hook(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    inject *in = w->hook_ctx;
    static struct din_exiDocument d;
    if (dir != SW_TO_EVSE) {
        in->last_res = w->now - SW_STEP_MS;   /* queued one step before delivery */
        return 1;
    }
    if (in->muted) return 0;
    if (body_of(buf, *len, &d) != in->st->req || ++in->seen < in->st->nth) return 1;
    in->injected = in->muted = 1;
    in->at = w->now;
    sw_detach_car(w);    /* the car's session no longer talks or listens */
    if (in->fault == C_DROP_TCP) sess_evse_disconnect(&w->evse, w->now);
    return 0;
}

static int charger_stopped(const sw_world *w) { return w->evse.phase == SESS_SAFE || w->evse.phase == SESS_DONE; }

static void car_fault_at_each_stage(car_fault f)
{
    for (unsigned i = 0; i < NSTAGES; i++) {
        inject in = { .st = &stages[i], .fault = f };
        start(car_fault_hook, &in);
        assert_true(sw_run(&W, 10 * 60 * 1000, charger_stopped));
        assert_true(in.injected);
        sc_charger_after_car_fault(&W, f == C_DROP_TCP, in.at, in.last_res);
    }
}

static void test_car_silent(void **s) { (void)s; car_fault_at_each_stage(C_SILENT); }
static void test_car_drops_tcp(void **s) { (void)s; car_fault_at_each_stage(C_DROP_TCP); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charger_failed),    cmocka_unit_test(test_charger_sequence_error),
        cmocka_unit_test(test_charger_shutdown),  cmocka_unit_test(test_charger_emergency),
        cmocka_unit_test(test_charger_malfunction), cmocka_unit_test(test_charger_silent),
        cmocka_unit_test(test_car_silent),        cmocka_unit_test(test_car_drops_tcp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
