/* ISO 15118-20 DC_BPT and AC_BPT sessions (EIM, no TLS), charger and car in-process on a virtual clock with the
 * plant able to discharge: the car discharges to its set SoC, then charges back to its target (the SoC trajectory
 * down, then up, from the battery model; the energy both ways at the charger's output against the battery's), in
 * the Dynamic and the Scheduled control mode, DC and AC three-phase; every message valid EXI with BPT's service,
 * parameters and control modes; a car that only charges still gets DC from a BPT charger, a discharging car only
 * charges at a charger without BPT; the returned energy in MeterInfo; BPT parameters outside the selected BPT
 * service are refused; a charger that charges while the car asks to discharge is stopped by the car. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "iso20_bpt_world.h"
#include "sess_checks.h"

static sw_world W;
static struct sess_iso20_doc D;

/* What went over the wire. */
typedef struct {
    unsigned bad, bpt_cpd, bpt_loop_req, bpt_loop_res, discharge_channel, services;
    int selected, generator, channel, returned_meter;
    uint8_t only_scheduled;   /* rewrite ServiceDetailRes: only the Scheduled parameter sets */
    uint8_t select_dc;        /* rewrite ServiceSelectionReq: ServiceID 2 (DC) whatever the car chose */
    uint8_t ask_meter;        /* rewrite DC_ChargeLoopReq: MeterInfoRequested */
    uint8_t deaf;             /* rewrite BPT_Dynamic DC_ChargeLoopReq: 1 kWh to charge at up to 50 A (the charger
                               * charges whatever the car asks) */
} seen;

static int watch(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)dir;
    seen *s = w->hook_ctx;
    switch (bw_watch_msg(w, buf, *len, &D, &s->bad)) {
    case ISO20_ROOT_ServiceDiscoveryRes:
        s->services = D.common.ServiceDiscoveryRes.EnergyTransferServiceList.Service.count;
        break;
    case ISO20_ROOT_ServiceDetailRes: {
        const struct iso20_ParameterSetType *set = &D.common.ServiceDetailRes.ServiceParameterList.ParameterSet.array[0];
        s->channel = iso20_param(set, "BPTChannel");
        s->generator = iso20_param(set, "GeneratorMode");
        if (s->only_scheduled) assert_int_equal(aw_keep_sets(&D, "ControlMode", ISO20_CONTROL_SCHEDULED, buf, len), 0);
        break;
    }
    case ISO20_ROOT_ServiceSelectionReq:
        s->selected = D.common.ServiceSelectionReq.SelectedEnergyTransferService.ServiceID;
        if (s->select_dc) {
            D.common.ServiceSelectionReq.SelectedEnergyTransferService.ServiceID = ISO20_SERVICE_DC;
            assert_int_equal(aw_encode(&D, buf, len), 0);
        }
        break;
    case ISO20_ROOT_PowerDeliveryReq:
        s->discharge_channel += D.common.PowerDeliveryReq.has_BPT_ChannelSelection &&
                                D.common.PowerDeliveryReq.BPT_ChannelSelection == iso20_channelSelectionType_Discharge;
        break;
    case ISO20_DC(DC_ChargeParameterDiscoveryReq):
        s->bpt_cpd += D.dc.DC_ChargeParameterDiscoveryReq.DC_CPDReqEnergyTransferMode_choice ==
                      iso20_dc_DC_ChargeParameterDiscoveryReqType_BPT_DC_CPDReqEnergyTransferMode;
        break;
    case ISO20_DC(DC_ChargeLoopReq):
        s->bpt_loop_req += iso20_bpt_loop_mode(D.dc.DC_ChargeLoopReq.CLReqControlMode_choice, 1) > 0;
        if (s->ask_meter) {
            D.dc.DC_ChargeLoopReq.MeterInfoRequested = true;
            assert_int_equal(aw_encode(&D, buf, len), 0);
        }
        if (s->deaf && D.dc.DC_ChargeLoopReq.CLReqControlMode_choice ==
                           iso20_dc_DC_ChargeLoopReqType_BPT_Dynamic_DC_CLReqControlMode) {
            struct iso20_dc_BPT_Dynamic_DC_CLReqControlModeType *d =
                &D.dc.DC_ChargeLoopReq.BPT_Dynamic_DC_CLReqControlMode;
            iso20_dc_rn_set(&d->EVTargetEnergyRequest, 1000.0f);
            iso20_dc_rn_set(&d->EVMaximumChargeCurrent, 50.0f);
            assert_int_equal(aw_encode(&D, buf, len), 0);
        }
        break;
    case ISO20_AC(AC_ChargeParameterDiscoveryReq):
        s->bpt_cpd += D.ac.AC_ChargeParameterDiscoveryReq.AC_CPDReqEnergyTransferMode_choice ==
                      iso20_ac_AC_ChargeParameterDiscoveryReqType_BPT_AC_CPDReqEnergyTransferMode;
        break;
    case ISO20_AC(AC_ChargeLoopReq):
        s->bpt_loop_req += iso20_bpt_loop_mode(D.ac.AC_ChargeLoopReq.CLReqControlMode_choice, 1) > 0;
        break;
    case ISO20_AC(AC_ChargeLoopRes):
        s->bpt_loop_res += D.ac.AC_ChargeLoopRes.CLResControlMode_choice ==
                               iso20_ac_AC_ChargeLoopResType_BPT_Dynamic_AC_CLResControlMode ||
                           D.ac.AC_ChargeLoopRes.CLResControlMode_choice ==
                               iso20_ac_AC_ChargeLoopResType_BPT_Scheduled_AC_CLResControlMode;
        break;
    case ISO20_DC(DC_ChargeLoopRes): {
        const struct iso20_dc_DC_ChargeLoopResType *r = &D.dc.DC_ChargeLoopRes;
        s->bpt_loop_res += r->CLResControlMode_choice == iso20_dc_DC_ChargeLoopResType_BPT_Dynamic_DC_CLResControlMode ||
                           r->CLResControlMode_choice == iso20_dc_DC_ChargeLoopResType_BPT_Scheduled_DC_CLResControlMode;
        if (r->has_MeterInfo && r->MeterInfo.has_BPT_DischargedEnergyReadingWh)
            s->returned_meter = (int)r->MeterInfo.BPT_DischargedEnergyReadingWh;
        break;
    }
    default:
        break;
    }
    return 1;
}

/* The world of a test (ac: AC three-phase, else DC; the car discharging to discharge_soc) watched into *s. */
static void start(seen *s, int ac, uint8_t discharge_soc, aw_tweak tweak)
{
    bw_setup(&W, ac, discharge_soc, tweak);
    W.hook = watch;
    W.hook_ctx = s;
    sw_connect(&W);
}

/* 10 kWh from 20 %: down to 17 %, back up to 22 %. */
static void cycle(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)e, (void)p, (void)c;
    b->soc = 20.0f;
    b->target_soc = 22.0f;
}

/* The SoC over the session: it never rises before its lowest point and never falls after it. */
typedef struct {
    double lo, hi_end;
    float lowest_a;   /* the most negative current at the charger's output */
} trajectory;

static trajectory run(void)
{
    trajectory t = { .lo = W.plant.battery.soc };
    double prev = t.lo;
    int rising = 0;
    while (!sw_both_ended(&W) && W.now < 60 * 60 * 1000) {
        sw_step(&W);
        double soc = W.plant.battery.soc;
        if (soc > prev + 1e-9) rising = 1;
        if (rising) assert_true(soc >= prev - 1e-9);
        if (soc < t.lo) t.lo = soc;
        if (W.plant.charger.i < t.lowest_a) t.lowest_a = W.plant.charger.i;
        prev = soc;
    }
    assert_true(sw_both_ended(&W));
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    t.hi_end = prev;
    return t;
}

/* Output energy both ways = the battery's: delivered - returned = stored (net) + losses (the meter counts V x I at
 * the terminals, V = OCV + I R). */
static void assert_energy(const char *what)
{
    const phys_charger *c = &W.plant.charger;
    const phys_battery *b = &W.plant.battery;
    printf("%s: soc %.4f, delivered %.2f Wh, returned %.2f Wh, stored %.2f + loss %.2f, %u ms\n", what, b->soc,
           c->energy_wh, c->returned_wh, b->stored_wh, b->loss_wh, W.now);
    double net = c->energy_wh - c->returned_wh;
    assert_true(net > b->stored_wh + b->loss_wh - 0.05 && net < b->stored_wh + b->loss_wh + 0.05);
}

/* The SoC as the battery model has it: the car stops discharging as soon as the battery is below discharge_soc and
 * charging at target_soc, each within what one loop round trip moves
 * at the current of that moment (at most 100 A discharging, 125 A charging, about 400 V). */
static void whole_cycle(int scheduled)
{
    seen s = { .only_scheduled = (uint8_t)scheduled, .ask_meter = 1 };
    start(&s, 0, 17, cycle);
    trajectory t = run();
    const phys_battery *b = &W.plant.battery;
    double lag = 100.0 * 125.0 * 410.0 * (SESS_PEV_REPEAT_MS + 3 * SW_STEP_MS) / 3600000.0 / b->cfg.capacity_wh;
    assert_true(t.lo < 17.0 && t.lo >= 17.0 - lag);
    assert_true(t.hi_end >= 22.0 && t.hi_end <= 22.0 + lag);
    assert_float_equal(t.lowest_a, -W.pev.cfg.discharge_max_a, 0.001f);   /* the car's limit, the charger's too */
    assert_ptr_equal(W.evse.proto, &sess_proto_iso20);
    assert_true(W.evse.bpt && W.pev.bpt && W.pev.discharged);
    assert_int_equal(W.pev.dynamic, !scheduled);
    assert_int_equal(s.bad, 0);
    assert_int_equal(s.services, 2);
    assert_int_equal(s.selected, ISO20_SERVICE_DC_BPT);
    assert_int_equal(s.channel, ISO20_BPT_CHANNEL_UNIFIED);
    assert_int_equal(s.generator, ISO20_BPT_GRID_FOLLOWING);
    assert_int_equal(s.bpt_cpd, 1);
    assert_int_equal(s.discharge_channel, 1);
    assert_true(s.bpt_loop_req > 10 && s.bpt_loop_res == s.bpt_loop_req);
    /* returned at the terminals: what the SoC lost while discharging less the losses of the whole session */
    double drop_wh = (20.0 - t.lo) * b->cfg.capacity_wh / 100.0;
    const phys_charger *c = &W.plant.charger;
    assert_true(c->returned_wh <= drop_wh && c->returned_wh >= drop_wh - b->loss_wh);
    assert_true(c->energy_wh >= (t.hi_end - t.lo) * b->cfg.capacity_wh / 100.0);
    assert_int_equal(s.returned_meter, (int)c->returned_wh);   /* MeterInfo's BPT_DischargedEnergyReadingWh */
    sc_plant_safe(&W.plant, 1);
    assert_energy(scheduled ? "dc_bpt scheduled" : "dc_bpt dynamic");
}

static void test_dynamic_cycle(void **state) { (void)state; whole_cycle(0); }

/* AC_BPT three-phase: the on-board charger feeds back its 16 A per phase (the charger's target power -16 A x 230 V x
 * 3), then draws it; AC energy: delivered x efficiency - returned / efficiency = stored (net) + battery losses (the
 * OBC's efficiency both ways, phys_ac_step). */
static void ac_cycle(int scheduled)
{
    seen s = { .only_scheduled = (uint8_t)scheduled };
    start(&s, 1, 17, cycle);
    trajectory t = run();
    const phys_battery *b = &W.plant.battery;
    const phys_plant *pl = &W.plant;
    double lag = 100.0 * 3 * 230.0 * 16.0 * (SESS_PEV_REPEAT_MS + 3 * SW_STEP_MS) / 3600000.0 / b->cfg.capacity_wh;
    assert_true(t.lo < 17.0 && t.lo >= 17.0 - lag);
    assert_true(t.hi_end >= 22.0 && t.hi_end <= 22.0 + lag);
    assert_float_equal(t.lowest_a, -W.pev.cfg.ac_max_a, 0.001f);
    assert_ptr_equal(W.evse.proto, &sess_proto_iso20_ac);
    assert_true(W.evse.bpt && W.pev.bpt && W.pev.discharged);
    assert_int_equal(W.pev.dynamic, !scheduled);
    assert_int_equal(s.bad, 0);
    assert_int_equal(s.services, 2);
    assert_int_equal(s.selected, ISO20_SERVICE_AC_BPT);
    assert_int_equal(s.bpt_cpd, 1);
    assert_true(s.bpt_loop_req > 10 && s.bpt_loop_res == s.bpt_loop_req);
    sc_plant_safe(&W.plant, 1);
    double eff = pl->obc.efficiency, net = pl->charger.energy_wh * eff - pl->charger.returned_wh / eff;
    printf("ac_bpt %s: soc %.4f, delivered %.2f Wh, returned %.2f Wh, stored %.2f + loss %.2f, %u ms\n",
           scheduled ? "scheduled" : "dynamic", b->soc, pl->charger.energy_wh, pl->charger.returned_wh, b->stored_wh,
           b->loss_wh, W.now);
    assert_true(pl->charger.returned_wh > 0.0);
    assert_true(net > b->stored_wh + b->loss_wh - 0.05 && net < b->stored_wh + b->loss_wh + 0.05);
}

static void test_ac_dynamic_cycle(void **state) { (void)state; ac_cycle(0); }
static void test_ac_scheduled_cycle(void **state) { (void)state; ac_cycle(1); }
static void test_scheduled_cycle(void **state) { (void)state; whole_cycle(1); }

/* A car that only charges (no discharge SoC) at a charger offering DC and DC_BPT: DC, nothing returned. */
static void test_charging_car_gets_dc(void **state)
{
    (void)state;
    seen s = { 0 };
    start(&s, 0, 0, cycle);
    trajectory t = run();
    assert_int_equal(s.services, 2);
    assert_int_equal(s.selected, ISO20_SERVICE_DC);
    assert_int_equal(s.bpt_cpd + s.bpt_loop_req + s.bpt_loop_res, 0);
    assert_false(W.evse.bpt);
    assert_true(t.lo == 20.0 && W.plant.charger.returned_wh == 0.0);
    assert_energy("dc at a bpt charger");
}

static void no_discharge(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    cycle(e, p, c, b);
    c->discharge_max_a = 0.0f;
}

/* A car set to discharge at a charger that cannot: only DC on offer, it charges to its target. */
static void test_no_bpt_charger(void **state)
{
    (void)state;
    seen s = { 0 };
    start(&s, 0, 17, no_discharge);
    trajectory t = run();
    assert_int_equal(s.services, 1);
    assert_int_equal(s.selected, ISO20_SERVICE_DC);
    assert_false(W.pev.bpt);
    assert_true(t.lo == 20.0 && t.hi_end >= 22.0 && W.plant.charger.returned_wh == 0.0);
}

/* The car believes it selected DC_BPT, the charger saw DC (the selection rewritten): its BPT charge parameters
 * are FAILED_WrongChargeParameter, both sides end safe, nothing flowed. */
static void test_bpt_parameters_without_bpt(void **state)
{
    (void)state;
    seen s = { .select_dc = 1 };
    start(&s, 0, 17, cycle);
    assert_true(sw_run(&W, 60 * 1000, sw_both_ended));
    assert_int_equal(s.bpt_cpd, 1);
    assert_int_equal(W.evse.last_code, iso20_dc_responseCodeType_FAILED_WrongChargeParameter);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    assert_true(W.plant.charger.energy_wh == 0.0 && W.plant.charger.returned_wh == 0.0);
    sc_plant_safe(&W.plant, 1);
}

/* A charger that charges while the car asks to discharge (its requests rewritten on the way): the current into the
 * battery beyond the tolerance for SESS_PEV_CURRENT_FOLLOW_MS is a charger fault to the car: stop "reverse
 * current", no more current asked, the loop ended (PowerDelivery(Stop), WeldingDetection, SessionStop), safe; the
 * SoC never went much above where it started (about a second of charging), far from the target. */
static void test_charger_ignores_discharge(void **state)
{
    (void)state;
    seen s = { .deaf = 1 };
    start(&s, 0, 17, cycle);
    double start_soc = W.plant.battery.soc, hi = start_soc;
    uint32_t first = 0;
    while (!sw_both_ended(&W) && W.now < 10 * 60 * 1000) {
        sw_step(&W);
        if (W.plant.battery.soc > hi) hi = W.plant.battery.soc;
        if (!first && W.plant.charger.i > SESS_PEV_CURRENT_TOLERANCE_A) first = W.now;
        if (W.pev.stop != SESS_STOP_NONE) break;
    }
    assert_true(first > 0 && W.pev.bpt && s.bpt_loop_req > 0);
    assert_int_equal(W.pev.stop, SESS_STOP_REVERSE_CURRENT);
    assert_true(W.now - first <= SESS_PEV_CURRENT_FOLLOW_MS + SESS_ISO20_MSG_TIMEOUT_CHARGE_LOOP_MS);
    assert_true(sw_run(&W, W.now + 60 * 1000, sw_both_ended));
    assert_true(W.pev.out.safe);
    assert_true(hi < start_soc + 0.1);
    sc_plant_safe(&W.plant, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dynamic_cycle),
        cmocka_unit_test(test_scheduled_cycle),
        cmocka_unit_test(test_ac_dynamic_cycle),
        cmocka_unit_test(test_ac_scheduled_cycle),
        cmocka_unit_test(test_charging_car_gets_dc),
        cmocka_unit_test(test_no_bpt_charger),
        cmocka_unit_test(test_bpt_parameters_without_bpt),
        cmocka_unit_test(test_charger_ignores_discharge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
