/* ISO 15118-20 DC and AC in-process, the service choices: value-added services (the charger's VASList, the car's
 * ServiceDetail of the Internet service, its parameter sets, the SelectedVASList; not wanted, not offered, a
 * selection of what is not offered refused) and the car's control mode by configuration (Scheduled or Dynamic
 * where offered, else the other; Scheduled: the car's requests within the charger's PowerSchedule, its
 * DepartureTime covered by the schedule). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "iso20_ac_world.h"
#include "sess_checks.h"

#define UNIX_T0 1796601600u   /* 2026-12-07 00:00:00 UTC */

static sw_world W;
static struct sess_iso20_doc D;

static struct {
    int vas_list;                          /* ServiceDiscoveryRes: VASList with the Internet service (65) */
    int vas_detail_req, vas_sets;          /* ServiceDetailReq of 65; its response's parameter sets */
    int sets_ok;                           /* each set: Protocol (string) and Port, as Table 106's */
    int selected_vas, selected_set;        /* ServiceSelectionReq's SelectedVASList: service, parameter set */
    int selection_code;
    int selected_energy_set;
    int se_choice;                         /* ScheduleExchangeReq's control mode */
    uint32_t departure;                    /* its DepartureTime */
    uint64_t se_stamp, anchor, duration;   /* ScheduleExchangeRes: its TimeStamp, the schedule's anchor, length */
    float schedule_w;                      /* the schedule's power */
    float max_asked_w;                     /* the most a Scheduled DC_ChargeLoopReq asked for (target x present V) */
    unsigned scheduled_loops;
    uint32_t profile_s;                    /* PowerDeliveryReq(Start)'s EVPowerProfile entry */
    uint8_t only_dynamic;                  /* cut ServiceDetailRes to the Dynamic sets */
    uint8_t force_vas;                     /* put the Internet service into the car's selection */
} S;

static void internet_sets(const struct iso20_ServiceParameterListType *l)
{
    static const char *const proto[] = { "ftp", "ftp", "http", "https" };
    static const int port[] = { 20, 21, 80, 443 };
    S.vas_sets = l->ParameterSet.count;
    S.sets_ok = l->ParameterSet.count == 4;
    for (uint16_t i = 0; S.sets_ok && i < l->ParameterSet.count; i++) {
        const struct iso20_ParameterSetType *set = &l->ParameterSet.array[i];
        const struct iso20_ParameterType *p = &set->Parameter.array[0];
        S.sets_ok = set->ParameterSetID == i + 1 && set->Parameter.count == 2 && p->choice == iso20_ParameterType_finiteString &&
                    p->finiteString.len == strlen(proto[i]) && !memcmp(p->finiteString.chars, proto[i], p->finiteString.len) &&
                    iso20_param(set, "Port") == port[i];
    }
}

static int watch(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)w, (void)dir;
    int msg = aw_msg_of(buf, *len, &D);
    struct iso20_exiDocument *c = &D.common;
    switch (msg) {
    case ISO20_ROOT_ServiceDiscoveryRes:
        S.vas_list = c->ServiceDiscoveryRes.has_VASList && c->ServiceDiscoveryRes.VASList.Service.count == 1 &&
                     c->ServiceDiscoveryRes.VASList.Service.array[0].ServiceID == 65;
        break;
    case ISO20_ROOT_ServiceDetailReq:
        S.vas_detail_req += c->ServiceDetailReq.ServiceID == 65;
        break;
    case ISO20_ROOT_ServiceDetailRes:
        if (c->ServiceDetailRes.ServiceID == 65) internet_sets(&c->ServiceDetailRes.ServiceParameterList);
        else if (S.only_dynamic) assert_int_equal(aw_keep_sets(&D, "ControlMode", ISO20_CONTROL_DYNAMIC, buf, len), 0);
        break;
    case ISO20_ROOT_ServiceSelectionReq: {
        struct iso20_ServiceSelectionReqType *q = &c->ServiceSelectionReq;
        if (S.force_vas) {
            q->has_SelectedVASList = true;
            q->SelectedVASList.SelectedService.count = 1;
            q->SelectedVASList.SelectedService.array[0] = (struct iso20_SelectedServiceType){ 65, 1 };
            assert_int_equal(aw_encode(&D, buf, len), 0);
        }
        S.selected_energy_set = q->SelectedEnergyTransferService.ParameterSetID;
        if (q->has_SelectedVASList && q->SelectedVASList.SelectedService.count == 1) {
            S.selected_vas = q->SelectedVASList.SelectedService.array[0].ServiceID;
            S.selected_set = q->SelectedVASList.SelectedService.array[0].ParameterSetID;
        }
        break;
    }
    case ISO20_ROOT_ServiceSelectionRes:
        S.selection_code = c->ServiceSelectionRes.ResponseCode;
        break;
    case ISO20_ROOT_ScheduleExchangeReq:
        S.se_choice = c->ScheduleExchangeReq.choice;
        S.departure = S.se_choice == iso20_ScheduleExchangeReqType_Scheduled_SEReqControlMode
                          ? c->ScheduleExchangeReq.Scheduled_SEReqControlMode.DepartureTime
                          : c->ScheduleExchangeReq.Dynamic_SEReqControlMode.DepartureTime;
        break;
    case ISO20_ROOT_ScheduleExchangeRes:
        if (c->ScheduleExchangeRes.choice == iso20_ScheduleExchangeResType_Scheduled_SEResControlMode) {
            const struct iso20_PowerScheduleType *ps =
                &c->ScheduleExchangeRes.Scheduled_SEResControlMode.ScheduleTuple.array[0].ChargingSchedule.PowerSchedule;
            S.se_stamp = c->ScheduleExchangeRes.Header.TimeStamp;
            S.anchor = ps->TimeAnchor;
            S.duration = ps->PowerScheduleEntries.PowerScheduleEntry.array[0].Duration;
            S.schedule_w = iso20_rn_get(&ps->PowerScheduleEntries.PowerScheduleEntry.array[0].Power);
        }
        break;
    case ISO20_ROOT_PowerDeliveryReq:
        if (c->PowerDeliveryReq.has_EVPowerProfile)
            S.profile_s = c->PowerDeliveryReq.EVPowerProfile.EVPowerProfileEntries.EVPowerProfileEntry.array[0].Duration;
        break;
    case ISO20_DC(DC_ChargeLoopReq): {
        const struct iso20_dc_DC_ChargeLoopReqType *q = &D.dc.DC_ChargeLoopReq;
        if (q->CLReqControlMode_choice == iso20_dc_DC_ChargeLoopReqType_Scheduled_DC_CLReqControlMode) {
            float wanted = iso20_dc_rn_get(&q->Scheduled_DC_CLReqControlMode.EVTargetCurrent) *
                           iso20_dc_rn_get(&q->EVPresentVoltage);
            if (wanted > S.max_asked_w) S.max_asked_w = wanted;
            S.scheduled_loops++;
        }
        break;
    }
    default:
        break;
    }
    return 1;
}

static void setup_mode(int ac, uint8_t evse_vas, uint8_t pev_vas)
{
    memset(&S, 0, sizeof S);
    aw_setup(&W, 3, ac ? NULL : aw_dc_car);
    W.evse.cfg.vas = evse_vas;
    W.pev.cfg.vas = pev_vas;
    W.evse.cfg.clock_unix_s = W.pev.cfg.clock_unix_s = UNIX_T0;
    W.hook = watch;
}

static void run_normal(void)
{
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 30 * 60 * 1000, sw_both_ended));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    sc_plant_safe(&W.plant, 1);
}

/* Offered and wanted: VASList, ServiceDetail of it with Table 106's four sets, the https one selected. */
static void vas_selected(int ac)
{
    setup_mode(ac, SESS_VAS_INTERNET, SESS_VAS_INTERNET);
    run_normal();
    assert_true(S.vas_list);
    assert_int_equal(S.vas_detail_req, 1);
    assert_int_equal(S.vas_sets, 4);
    assert_true(S.sets_ok);
    assert_int_equal(S.selected_vas, 65);
    assert_int_equal(S.selected_set, 4);
    assert_int_equal(S.selection_code, iso20_responseCodeType_OK);
    assert_int_equal(W.evse.vas_selected, SESS_VAS_INTERNET);
}

static void test_vas_dc(void **state) { (void)state; vas_selected(0); }
static void test_vas_ac(void **state) { (void)state; vas_selected(1); }

/* Offered, not wanted; wanted, not offered: no VAS ServiceDetail, no selection; the charge as always. */
static void test_vas_not_both(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        setup_mode(0, k ? 0 : SESS_VAS_INTERNET, k ? SESS_VAS_INTERNET : 0);
        run_normal();
        assert_int_equal(S.vas_list, !k);
        assert_int_equal(S.vas_detail_req, 0);
        assert_int_equal(S.selected_vas, 0);
        assert_int_equal(W.evse.vas_selected, 0);
    }
}

/* A selection of the Internet service from a charger that does not offer it: FAILED_ServiceSelectionInvalid, safe. */
static void test_vas_not_offered(void **state)
{
    (void)state;
    setup_mode(0, 0, 0);
    S.force_vas = 1;
    sw_connect(&W);
    assert_true(sw_run(&W, W.now + 60 * 1000, sw_both_ended));
    assert_int_equal(S.selection_code, iso20_responseCodeType_FAILED_ServiceSelectionInvalid);
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    sc_plant_safe(&W.plant, 1);
}

/* The car's control mode by configuration, the charger offering both: Dynamic (default and asked for) selects
 * set 1, Scheduled set 2; ScheduleExchange in that mode. */
static void control_mode(int ac)
{
    static const uint8_t wants[] = { SESS_CONTROL_DEFAULT, SESS_CONTROL_DYNAMIC, SESS_CONTROL_SCHEDULED };
    for (unsigned k = 0; k < 3; k++) {
        setup_mode(ac, 0, 0);
        W.pev.cfg.control_mode = wants[k];
        run_normal();
        int scheduled = wants[k] == SESS_CONTROL_SCHEDULED;
        assert_int_equal(S.selected_energy_set, scheduled ? 2 : 1);
        assert_int_equal(W.evse.control_mode, scheduled ? ISO20_CONTROL_SCHEDULED : ISO20_CONTROL_DYNAMIC);
        assert_int_equal(S.se_choice, scheduled ? iso20_ScheduleExchangeReqType_Scheduled_SEReqControlMode
                                                : iso20_ScheduleExchangeReqType_Dynamic_SEReqControlMode);
        assert_int_equal(W.pev.dynamic, !scheduled);
    }
}

static void test_control_mode_dc(void **state) { (void)state; control_mode(0); }
static void test_control_mode_ac(void **state) { (void)state; control_mode(1); }

/* Scheduled wanted, only Dynamic offered: the car takes Dynamic and charges. */
static void test_control_mode_fallback(void **state)
{
    (void)state;
    setup_mode(0, 0, 0);
    W.pev.cfg.control_mode = SESS_CONTROL_SCHEDULED;
    S.only_dynamic = 1;
    run_normal();
    assert_int_equal(S.selected_energy_set, 1);
    assert_int_equal(S.se_choice, iso20_ScheduleExchangeReqType_Dynamic_SEReqControlMode);
}

/* Scheduled DC with a charger of 20 kW (the car could take ~46 kW) and a departure in 2 h: the schedule is the
 * charger's power, anchored at its response and covering the departure; the car's EVPowerProfile lasts until its
 * departure and every Scheduled DC_ChargeLoopReq asks for at most the schedule's power. */
static void test_scheduled_within_schedule(void **state)
{
    (void)state;
    setup_mode(0, 0, 0);
    W.evse.cfg.max_w = 20000.0f;
    W.pev.cfg.control_mode = SESS_CONTROL_SCHEDULED;
    W.pev.cfg.departure_s = 7200;
    run_normal();
    assert_int_equal(S.departure, 7200);
    assert_int_equal(S.profile_s, 7200);
    assert_float_equal(S.schedule_w, 20000.0f, 1.0f);
    assert_true(S.anchor == S.se_stamp);
    assert_true(S.anchor + S.duration >= S.se_stamp + S.departure);
    assert_true(S.scheduled_loops > 10);
    assert_true(S.max_asked_w > 15000.0f);                 /* the schedule used ... */
    assert_true(S.max_asked_w <= S.schedule_w * 1.001f);   /* ... not exceeded */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vas_dc),
        cmocka_unit_test(test_vas_ac),
        cmocka_unit_test(test_vas_not_both),
        cmocka_unit_test(test_vas_not_offered),
        cmocka_unit_test(test_control_mode_dc),
        cmocka_unit_test(test_control_mode_ac),
        cmocka_unit_test(test_control_mode_fallback),
        cmocka_unit_test(test_scheduled_within_schedule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
