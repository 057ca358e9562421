/* ISO 15118-20 DC and AC in-process: the charger's metering confirmation (EVSENotification MeteringConfirmation
 * with its MeterInfo every cfg.receipt_interval_ms of charging) answered by our car with MeteringConfirmationReq
 * (the MeterInfo it was given, the session, the control mode), accepted; none without the interval; a forged
 * confirmation refused; a car that never answers stopped after NotificationMaxDelay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "iso20_ac_world.h"
#include "sess_checks.h"

#define EV_MAX 8192
#define INTERVAL_MS 20000u

static sw_world W;
static struct sess_iso20_doc D;

/* A charge-loop response that asked for a confirmation (its MeterInfo), the car's next request and the
 * confirmation's SignedMeteringData and response code. */
typedef struct {
    uint32_t asked_at;
    struct iso20_MeterInfoType meter;   /* the asking response's, as the common codec's type */
    int next;                           /* the car's next request */
    struct iso20_SignedMeteringDataType smd;
    int code;                           /* MeteringConfirmationRes */
} confirmation;

static struct {
    confirmation c[64];
    unsigned n;
    int want_next;    /* the car's next request still to record into c[n - 1] */
    uint8_t forge;    /* add 1000 Wh to the car's confirmed reading */
    uint8_t deaf;     /* take the EVSEStatus out of the charge-loop responses */
    uint8_t scheduled;
    unsigned loop_res;
    unsigned reqs;    /* MeteringConfirmationReqs sent */
} S;

static const struct iso20_EVSEStatusType *loop_status(struct sess_iso20_doc *d, int msg, bool **has,
                                                      struct iso20_MeterInfoType *meter, int *has_meter)
{
    if (msg == ISO20_DC(DC_ChargeLoopRes)) {
        *has = &d->dc.DC_ChargeLoopRes.has_EVSEStatus;
        *has_meter = d->dc.DC_ChargeLoopRes.has_MeterInfo;
        memcpy(meter, &d->dc.DC_ChargeLoopRes.MeterInfo, sizeof *meter);
        return (const struct iso20_EVSEStatusType *)&d->dc.DC_ChargeLoopRes.EVSEStatus;
    }
    if (msg == ISO20_AC(AC_ChargeLoopRes)) {
        *has = &d->ac.AC_ChargeLoopRes.has_EVSEStatus;
        *has_meter = d->ac.AC_ChargeLoopRes.has_MeterInfo;
        memcpy(meter, &d->ac.AC_ChargeLoopRes.MeterInfo, sizeof *meter);
        return (const struct iso20_EVSEStatusType *)&d->ac.AC_ChargeLoopRes.EVSEStatus;
    }
    return NULL;
}

static int watch(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    int msg = aw_msg_of(buf, *len, &D);
    if (msg < 0) return 1;   /* SupportedAppProtocol */
    if (S.scheduled && msg == ISO20_ROOT_ServiceDetailRes)
        assert_int_equal(aw_keep_sets(&D, "ControlMode", ISO20_CONTROL_SCHEDULED, buf, len), 0);
    if (dir == SW_TO_EVSE && S.want_next) {
        S.c[S.n - 1].next = msg;
        S.want_next = 0;
    }
    S.reqs += msg == ISO20_ROOT_MeteringConfirmationReq;
    if (msg == ISO20_ROOT_MeteringConfirmationReq && S.n) {
        struct iso20_SignedMeteringDataType *q = &D.common.MeteringConfirmationReq.SignedMeteringData;
        if (S.forge) {
            q->MeterInfo.ChargedEnergyReadingWh += 1000;
            assert_int_equal(aw_encode(&D, buf, len), 0);
        }
        S.c[S.n - 1].smd = *q;
    }
    if (msg == ISO20_ROOT_MeteringConfirmationRes && S.n) S.c[S.n - 1].code = D.common.MeteringConfirmationRes.ResponseCode;
    bool *has;
    struct iso20_MeterInfoType meter;
    int has_meter = 0;
    const struct iso20_EVSEStatusType *st = loop_status(&D, msg, &has, &meter, &has_meter);
    if (st) S.loop_res++;
    if (st && *has && st->EVSENotification == iso20_evseNotificationType_MeteringConfirmation) {
        assert_true(has_meter);   /* the reading to confirm goes with the question */
        if (S.deaf) {
            *has = false;
            assert_int_equal(aw_encode(&D, buf, len), 0);
        } else if (S.n < sizeof S.c / sizeof S.c[0]) {
            S.c[S.n++] = (confirmation){ .asked_at = w->now, .meter = meter, .next = -1, .code = -1 };
            S.want_next = 1;
        }
    }
    return 1;
}

static void setup_mode(int ac, uint32_t interval_ms)
{
    memset(&S, 0, sizeof S);
    aw_setup(&W, 3, ac ? NULL : aw_dc_car);
    W.evse.cfg.receipt_interval_ms = interval_ms;
    W.hook = watch;
}

/* Every confirmation asked for: the car's very next request is MeteringConfirmationReq of this session with the
 * reading it was given and its control mode, answered OK; asked every INTERVAL_MS of charging (the first one
 * INTERVAL_MS after PowerDelivery Start, each next one INTERVAL_MS after the previous confirmation, within one loop
 * round of it); the charge completes. */
static void confirms(int ac, int scheduled)
{
    setup_mode(ac, INTERVAL_MS);
    S.scheduled = (uint8_t)scheduled;
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, sw_both_ended));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_true(S.n >= 2);
    assert_int_equal(S.reqs, S.n);
    for (unsigned i = 0; i < S.n; i++) {
        const confirmation *c = &S.c[i];
        assert_int_equal(c->next, ISO20_ROOT_MeteringConfirmationReq);
        assert_int_equal(c->code, iso20_responseCodeType_OK);
        assert_int_equal(c->smd.SessionID.len, W.evse.session_id_len);
        assert_memory_equal(c->smd.SessionID.bytes, W.evse.session_id, W.evse.session_id_len);
        assert_int_equal(c->smd.MeterInfo.MeterID.len, W.evse.cfg.evse_id_len);
        assert_memory_equal(c->smd.MeterInfo.MeterID.chars, W.evse.cfg.evse_id, W.evse.cfg.evse_id_len);
        assert_true(c->smd.MeterInfo.ChargedEnergyReadingWh == c->meter.ChargedEnergyReadingWh);
        assert_int_equal(c->smd.choice, scheduled ? iso20_SignedMeteringDataType_Scheduled_SMDTControlMode
                                                  : iso20_SignedMeteringDataType_Dynamic_SMDTControlMode);
        if (scheduled) assert_int_equal(c->smd.Scheduled_SMDTControlMode.SelectedScheduleTupleID, ISO20_SCHEDULE_TUPLE_ID);
        if (i) {
            uint32_t gap = c->asked_at - S.c[i - 1].asked_at;
            assert_true(gap >= INTERVAL_MS && gap <= INTERVAL_MS + 1000);
            assert_true(c->meter.ChargedEnergyReadingWh > S.c[i - 1].meter.ChargedEnergyReadingWh);
        }
    }
    sc_plant_safe(&W.plant, 1);
}

static void test_confirms_dc(void **state) { (void)state; confirms(0, 0); }
static void test_confirms_dc_scheduled(void **state) { (void)state; confirms(0, 1); }
static void test_confirms_ac(void **state) { (void)state; confirms(1, 0); }
static void test_confirms_ac_scheduled(void **state) { (void)state; confirms(1, 1); }

/* Without an interval (the default) the charger never asks and the car never confirms. */
static void never(int ac)
{
    setup_mode(ac, 0);
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, sw_both_ended));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_true(S.loop_res > 10);
    assert_int_equal(S.n, 0);
    assert_int_equal(S.reqs, 0);
}

static void test_never_dc(void **state) { (void)state; never(0); }
static void test_never_ac(void **state) { (void)state; never(1); }

/* A confirmation of more energy than the meter counted: FAILED_MeteringSignatureNotValid, both sides safe. */
static void forged(int ac)
{
    setup_mode(ac, INTERVAL_MS);
    S.forge = 1;
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, sw_both_ended));
    assert_int_equal(S.n, 1);
    assert_int_equal(S.c[0].code, iso20_responseCodeType_FAILED_MeteringSignatureNotValid);
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    sc_plant_safe(&W.plant, 1);
}

static void test_forged_dc(void **state) { (void)state; forged(0); }
static void test_forged_ac(void **state) { (void)state; forged(1); }

/* A car that never sees the question (the notification taken out): the charger keeps asking and stops it, FAILED
 * and safe, its NotificationMaxDelay after the first asking response. */
static void deaf(int ac)
{
    setup_mode(ac, INTERVAL_MS);
    S.deaf = 1;
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, sw_both_ended));
    assert_int_equal(W.evse.stop, SESS_STOP_TIMEOUT);
    assert_string_equal(W.evse.timer, "NotificationMaxDelay");
    assert_int_equal(S.reqs, 0);
    sc_plant_safe(&W.plant, 1);
}

static void test_deaf_dc(void **state) { (void)state; deaf(0); }
static void test_deaf_ac(void **state) { (void)state; deaf(1); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_confirms_dc), cmocka_unit_test(test_confirms_dc_scheduled),
        cmocka_unit_test(test_confirms_ac), cmocka_unit_test(test_confirms_ac_scheduled),
        cmocka_unit_test(test_never_dc),    cmocka_unit_test(test_never_ac),
        cmocka_unit_test(test_forged_dc),   cmocka_unit_test(test_forged_ac),
        cmocka_unit_test(test_deaf_dc),     cmocka_unit_test(test_deaf_ac),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
