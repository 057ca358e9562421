/* ISO 15118-2 fault injection (pyPLC's manual fault list, automated) for DC and AC: the charger answers FAILED,
 * FAILED_SequenceError, a stop request (DC EVSE_Shutdown, AC StopCharging), EVSE_EmergencyShutdown,
 * EVSE_Malfunction (AC: RCD) or nothing at each stage -> the car's stop reason, when (at once / exactly the
 * request's V2G_EVCC_Msg_Timeout), then the plant safe; the car silent or dropping TCP at each stage -> the
 * charger safe after V2G_SECC_Sequence_Timeout / at once. Virtual clock; the safe state itself is asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "iso2_world.h"
#include "sess_checks.h"

/* src/v2g/iso2_glue.c */
const char *iso2_msg_name(int msg);
struct iso2_DC_EVSEStatusType *iso2_dc_status_of(struct iso2_BodyType *b);
struct iso2_AC_EVSEStatusType *iso2_ac_status_of(struct iso2_BodyType *b);

static sw_world W;

/* A stage: the request (its response follows it), whether the response has an EVSE status, the request's
 * V2G_EVCC_Msg_Timeout (ISO 15118-2 Table 109), the cycle hit (the loops at their 5th, current flowing), and
 * the modes it belongs to. */
enum { DC = 1, AC = 2 };
typedef struct {
    int req, has_status;
    uint32_t msg_timeout;
    unsigned nth;
    int modes;
} stage;

static const stage stages[] = {
    { iso2_BodyType_SessionSetupReq, 0, SESS_EVCC_MSG_TIMEOUT_MS, 1, DC | AC },
    { iso2_BodyType_ServiceDiscoveryReq, 0, SESS_EVCC_MSG_TIMEOUT_MS, 1, DC | AC },
    { iso2_BodyType_PaymentServiceSelectionReq, 0, SESS_EVCC_MSG_TIMEOUT_MS, 1, DC | AC },
    { iso2_BodyType_AuthorizationReq, 0, SESS_EVCC_MSG_TIMEOUT_MS, 1, DC | AC },
    { iso2_BodyType_ChargeParameterDiscoveryReq, 1, SESS_EVCC_MSG_TIMEOUT_MS, 1, DC | AC },
    { iso2_BodyType_CableCheckReq, 1, SESS_EVCC_MSG_TIMEOUT_MS, 1, DC },
    { iso2_BodyType_PreChargeReq, 1, SESS_EVCC_MSG_TIMEOUT_MS, 1, DC },
    { iso2_BodyType_PowerDeliveryReq, 1, SESS_EVCC_MSG_TIMEOUT_LONG_MS, 1, DC | AC },
    { iso2_BodyType_CurrentDemandReq, 1, SESS_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_MS, 5, DC },
    { iso2_BodyType_ChargingStatusReq, 1, SESS_EVCC_MSG_TIMEOUT_MS, 5, AC },
};
#define NSTAGES (sizeof stages / sizeof stages[0])

typedef enum { F_FAILED, F_SEQUENCE, F_SHUTDOWN, F_EMERGENCY, F_MALFUNCTION, F_SILENT } fault_kind;

typedef struct {
    const stage *st;
    int fault, car;   /* fault_kind, or for the car: 0 silent, 1 drops TCP */
    unsigned seen;
    int injected, muted;
    uint32_t at, last_res;
} inject;

static int body_of(const uint8_t *buf, size_t len, struct iso2_exiDocument *d)
{
    if (len < V2GTP_HEADER_LEN || iso2_decode(buf + V2GTP_HEADER_LEN, len - V2GTP_HEADER_LEN, d) != 0) return -1;
    return d->V2G_Message.Body.BodyElement_choice;
}

/* Every ISO-2 response starts with its ResponseCode; the status is DC or AC. AC has no status code: a stop is
 * the StopCharging notification, a malfunction a tripped RCD, an emergency only a FAILED code (not tested). */
static int rewrite(struct iso2_exiDocument *d, fault_kind f)
{
    struct iso2_BodyType *b = &d->V2G_Message.Body;
    struct iso2_DC_EVSEStatusType *dc = iso2_dc_status_of(b);
    struct iso2_AC_EVSEStatusType *ac = iso2_ac_status_of(b);
    static const enum iso2_DC_EVSEStatusCodeType codes[] = {
        [F_SHUTDOWN] = iso2_DC_EVSEStatusCodeType_EVSE_Shutdown,
        [F_EMERGENCY] = iso2_DC_EVSEStatusCodeType_EVSE_EmergencyShutdown,
        [F_MALFUNCTION] = iso2_DC_EVSEStatusCodeType_EVSE_Malfunction,
    };
    if (f == F_FAILED || f == F_SEQUENCE)
        b->AuthorizationRes.ResponseCode =
            f == F_FAILED ? iso2_responseCodeType_FAILED : iso2_responseCodeType_FAILED_SequenceError;
    else if (dc)
        dc->EVSEStatusCode = codes[f];
    else if (ac && f == F_SHUTDOWN)
        ac->EVSENotification = iso2_EVSENotificationType_StopCharging;
    else if (ac && f == F_MALFUNCTION)
        ac->RCD = true;
    else
        return 0;
    return 1;
}

static int charger_fault_hook(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    inject *in = w->hook_ctx;
    static struct iso2_exiDocument d;
    if (dir != SW_TO_PEV || in->injected || body_of(buf, *len, &d) != in->st->req + 1) return 1;
    if (++in->seen < in->st->nth) return 1;
    in->injected = 1;
    in->at = w->now;
    if (in->fault == F_SILENT) return 0;
    assert_true(rewrite(&d, (fault_kind)in->fault));
    size_t n;
    assert_int_equal(iso2_encode(&d, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN, &n), 0);
    assert_int_equal(v2gtp_pack_header(V2GTP_EXI, (uint32_t)n, buf, SESS_TX_CAP), 0);
    *len = n + V2GTP_HEADER_LEN;
    return 1;
}

static int car_stopped(const sw_world *w) { return w->pev.phase == SESS_SAFE || w->pev.phase == SESS_DONE; }
static int charger_stopped(const sw_world *w) { return w->evse.phase == SESS_SAFE || w->evse.phase == SESS_DONE; }

static int applies(const stage *st, int mode, fault_kind f)
{
    if (!(st->modes & mode)) return 0;
    if (f >= F_SHUTDOWN && f <= F_MALFUNCTION && !st->has_status) return 0;
    return !(mode == AC && f == F_EMERGENCY);
}

static void charger_fault(fault_kind f)
{
    static const sess_stop_reason why[] = {
        [F_FAILED] = SESS_STOP_FAILED, [F_SEQUENCE] = SESS_STOP_SEQUENCE, [F_SHUTDOWN] = SESS_STOP_EVSE_SHUTDOWN,
        [F_EMERGENCY] = SESS_STOP_EVSE_EMERGENCY, [F_MALFUNCTION] = SESS_STOP_EVSE_MALFUNCTION,
        [F_SILENT] = SESS_STOP_TIMEOUT,
    };
    unsigned tested = 0;
    for (int mode = DC; mode <= AC; mode++)
        for (unsigned i = 0; i < NSTAGES; i++) {
            const stage *st = &stages[i];
            if (!applies(st, mode, f)) continue;
            inject in = { .st = st, .fault = f };
            iw_setup(&W, mode == AC, NULL);
            W.hook = charger_fault_hook;
            W.hook_ctx = &in;
            sw_connect(&W);
            assert_true(sw_run(&W, 10 * 60 * 1000, car_stopped));
            assert_true(in.injected);
            if (W.pev.stop != why[f]) fail_msg("%s %s: stop %s", mode == AC ? "AC" : "DC", iso2_msg_name(st->req),
                                               sess_stop_name(W.pev.stop));
            /* a stop asked for while charging goes the graceful way (PowerDelivery stop, [WeldingDetection,]
             * SessionStop); everything else is the safe state at once */
            sc_car_after_fault(&W, f == F_SILENT, f == F_SHUTDOWN && st->nth > 1, in.at, st->msg_timeout);
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
    static struct iso2_exiDocument d;
    if (dir != SW_TO_EVSE) {
        in->last_res = w->now - SW_STEP_MS;   /* queued one step before delivery */
        return 1;
    }
    if (in->muted) return 0;
    if (body_of(buf, *len, &d) != in->st->req || ++in->seen < in->st->nth) return 1;
    in->injected = in->muted = 1;
    in->at = w->now;
    sw_detach_car(w);
    if (in->car) sess_evse_disconnect(&w->evse, w->now);
    return 0;
}

static void car_fault(int drop_tcp)
{
    for (int mode = DC; mode <= AC; mode++)
        for (unsigned i = 0; i < NSTAGES; i++) {
            if (!(stages[i].modes & mode)) continue;
            inject in = { .st = &stages[i], .car = drop_tcp };
            iw_setup(&W, mode == AC, NULL);
            W.hook = car_fault_hook;
            W.hook_ctx = &in;
            sw_connect(&W);
            assert_true(sw_run(&W, 10 * 60 * 1000, charger_stopped));
            assert_true(in.injected);
            sc_charger_after_car_fault(&W, drop_tcp, in.at, in.last_res);
        }
}

static void test_car_silent(void **s) { (void)s; car_fault(0); }
static void test_car_drops_tcp(void **s) { (void)s; car_fault(1); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charger_failed),      cmocka_unit_test(test_charger_sequence_error),
        cmocka_unit_test(test_charger_shutdown),    cmocka_unit_test(test_charger_emergency),
        cmocka_unit_test(test_charger_malfunction), cmocka_unit_test(test_charger_silent),
        cmocka_unit_test(test_car_silent),          cmocka_unit_test(test_car_drops_tcp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
