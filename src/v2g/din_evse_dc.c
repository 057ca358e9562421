/* DIN 70121 charger handlers, DC part: ChargeParameterDiscovery, CableCheck, PreCharge, PowerDelivery,
 * CurrentDemand, WeldingDetection; each sets the power-stage commands and reports the measurements. */
#include "din_internal.h"

static struct din_BodyType *req_body(sess_evse *s) { return DIN_BODY(&s->docs->rx); }
static struct din_BodyType *res_body(sess_evse *s) { return DIN_BODY(&s->docs->tx); }


/* All optional limits filled: some cars stop when one is missing. */
static void fill_charge_parameter(sess_evse *s, struct din_DC_EVSEChargeParameterType *c)
{
    din_pv_set(&c->EVSEMaximumCurrentLimit, s->cfg.max_a, din_unitSymbolType_A);
    c->has_EVSEMaximumPowerLimit = true;
    din_pv_set(&c->EVSEMaximumPowerLimit, s->cfg.max_w, din_unitSymbolType_W);
    din_pv_set(&c->EVSEMaximumVoltageLimit, s->cfg.max_v, din_unitSymbolType_V);
    din_pv_set(&c->EVSEMinimumCurrentLimit, s->cfg.min_a, din_unitSymbolType_A);
    din_pv_set(&c->EVSEMinimumVoltageLimit, s->cfg.min_v, din_unitSymbolType_V);
    c->has_EVSECurrentRegulationTolerance = true;
    din_pv_set(&c->EVSECurrentRegulationTolerance, s->cfg.current_tolerance_a, din_unitSymbolType_A);
    din_pv_set(&c->EVSEPeakCurrentRipple, s->cfg.peak_ripple_a, din_unitSymbolType_A);
    c->has_EVSEEnergyToBeDelivered = true;
    din_pv_set(&c->EVSEEnergyToBeDelivered, 0.0f, din_unitSymbolType_Wh);
}

int din_evse_charge_parameter(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct din_ChargeParameterDiscoveryReqType *q = &req_body(s)->ChargeParameterDiscoveryReq;
    struct din_ChargeParameterDiscoveryResType *r = &res_body(s)->ChargeParameterDiscoveryRes;
    r->EVSEChargeParameter_choice = din_ChargeParameterDiscoveryResType_DC_EVSEChargeParameter;
    if (q->EVChargeParameter_choice != din_ChargeParameterDiscoveryReqType_DC_EVChargeParameter) {
        r->ResponseCode = din_responseCodeType_FAILED_WrongChargeParameter;
        return SESS_H_FAIL;
    }
    s->ev_soc = q->DC_EVChargeParameter.DC_EVStatus.EVRESSSOC;
    sess_evse_dc_ev_max(s, din_pv_get(&q->DC_EVChargeParameter.EVMaximumVoltageLimit));
    /* One schedule without a limit (PMax 32767, as the Tesla Supercharger sends). */
    r->SASchedules_choice = din_ChargeParameterDiscoveryResType_SAScheduleList;
    struct din_SAScheduleTupleType *t = &r->SAScheduleList.SAScheduleTuple.array[0];
    r->SAScheduleList.SAScheduleTuple.count = 1;
    t->SAScheduleTupleID = 1;
    t->PMaxSchedule.PMaxScheduleID = 1;
    t->PMaxSchedule.PMaxScheduleEntry.count = 1;
    t->PMaxSchedule.PMaxScheduleEntry.array[0].TimeInterval_choice = din_PMaxScheduleEntryType_RelativeTimeInterval;
    t->PMaxSchedule.PMaxScheduleEntry.array[0].PMax = 32767;
    fill_charge_parameter(s, &r->DC_EVSEChargeParameter);
    int h = din_evse_check_status(s, &r->DC_EVSEChargeParameter.DC_EVSEStatus);
    if (h != SESS_H_NEXT) return h;
    if (s->state == DIN_EVSE_CHARGE_PARAMETER && s->ongoing < s->cfg.cpd_ongoing) {
        s->ongoing++;
        r->EVSEProcessing = din_EVSEProcessingType_Ongoing;
        return SESS_H_STAY;
    }
    r->EVSEProcessing = din_EVSEProcessingType_Finished;
    return SESS_H_NEXT;
}

/* CableCheck: the output connected and the isolation monitor running at the test voltage until it has a result,
 * then the output discharged. */
int din_evse_cable_check(sess_evse *s, uint32_t now)
{
    (void)now;
    struct din_CableCheckResType *r = &res_body(s)->CableCheckRes;
    s->ev_soc = req_body(s)->CableCheckReq.DC_EVStatus.EVRESSSOC;
    r->EVSEProcessing = din_EVSEProcessingType_Finished;
    int h = din_evse_check_status(s, &r->DC_EVSEStatus);
    if (h != SESS_H_NEXT) return h;
    h = sess_evse_dc_isolation(s);
    if (h == SESS_H_FAIL) r->ResponseCode = din_responseCodeType_FAILED;
    if (h == SESS_H_STAY) {
        r->DC_EVSEStatus.EVSEStatusCode = din_DC_EVSEStatusCodeType_EVSE_IsolationMonitoringActive;
        r->EVSEProcessing = din_EVSEProcessingType_Ongoing;
    }
    return h;
}

/* PreCharge: the output follows the car's target voltage with at most the precharge current. */
int din_evse_precharge(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct din_PreChargeReqType *q = &req_body(s)->PreChargeReq;
    struct din_PreChargeResType *r = &res_body(s)->PreChargeRes;
    s->ev_soc = q->DC_EVStatus.EVRESSSOC;
    s->ev_target_v = din_pv_get(&q->EVTargetVoltage);
    s->ev_target_a = din_pv_get(&q->EVTargetCurrent);
    int h = din_evse_check_status(s, &r->DC_EVSEStatus);
    if (h != SESS_H_NEXT) return h;
    sess_evse_dc_precharge(s);
    din_pv_set(&r->EVSEPresentVoltage, s->in.present_v, din_unitSymbolType_V);
    return SESS_H_NEXT;
}

static int power_delivery(sess_evse *s, int on)
{
    const struct din_PowerDeliveryReqType *q = &req_body(s)->PowerDeliveryReq;
    struct din_PowerDeliveryResType *r = &res_body(s)->PowerDeliveryRes;
    if (q->EVPowerDeliveryParameter_choice == din_PowerDeliveryReqType_DC_EVPowerDeliveryParameter)
        s->ev_soc = q->DC_EVPowerDeliveryParameter.DC_EVStatus.EVRESSSOC;
    r->EVSEStatus_choice = din_PowerDeliveryResType_DC_EVSEStatus;
    s->out.target_a = 0.0f;
    s->out.output_on = (uint8_t)on;
    s->out.contactors_closed = (uint8_t)on;
    return din_evse_check_status(s, &r->DC_EVSEStatus);
}

int din_evse_power_start(sess_evse *s, uint32_t now)
{
    (void)now;
    return power_delivery(s, s->in.status == SESS_EVSE_OK);
}

/* Also accepted right after CableCheck or PreCharge: a car may end there without charging (Audi Q4). */
int din_evse_power_stop(sess_evse *s, uint32_t now)
{
    (void)now;
    return power_delivery(s, 0);
}

int din_evse_current_demand(sess_evse *s, uint32_t now)
{
    const struct din_CurrentDemandReqType *q = &req_body(s)->CurrentDemandReq;
    struct din_CurrentDemandResType *r = &res_body(s)->CurrentDemandRes;
    s->ev_soc = q->DC_EVStatus.EVRESSSOC;
    s->ev_target_v = din_pv_get(&q->EVTargetVoltage);
    s->ev_target_a = din_pv_get(&q->EVTargetCurrent);
    int progress = sess_evse_dc_progress(s, now);
    din_pv_set(&r->EVSEPresentVoltage, s->in.present_v, din_unitSymbolType_V);
    din_pv_set(&r->EVSEPresentCurrent, s->in.present_a, din_unitSymbolType_A);
    r->has_EVSEMaximumVoltageLimit = r->has_EVSEMaximumCurrentLimit = r->has_EVSEMaximumPowerLimit = true;
    din_pv_set(&r->EVSEMaximumVoltageLimit, s->cfg.max_v, din_unitSymbolType_V);
    din_pv_set(&r->EVSEMaximumCurrentLimit, s->cfg.max_a, din_unitSymbolType_A);
    din_pv_set(&r->EVSEMaximumPowerLimit, s->cfg.max_w, din_unitSymbolType_W);
    int h = din_evse_check_status(s, &r->DC_EVSEStatus);
    if (h != SESS_H_NEXT) return h;
    if (progress == SESS_H_FAIL) {
        r->ResponseCode = din_responseCodeType_FAILED;
        return SESS_H_FAIL;
    }
    if (s->cfg.require_ev_limits &&
        !(q->has_EVMaximumVoltageLimit && q->has_EVMaximumCurrentLimit && q->has_EVMaximumPowerLimit)) {
        r->ResponseCode = din_responseCodeType_FAILED_WrongChargeParameter;
        return SESS_H_FAIL;
    }
    sess_dc_achieved hit;
    sess_evse_dc_demand(s, q->has_EVMaximumVoltageLimit ? din_pv_get(&q->EVMaximumVoltageLimit) : s->cfg.max_v,
                        q->has_EVMaximumCurrentLimit ? din_pv_get(&q->EVMaximumCurrentLimit) : s->cfg.max_a, &hit);
    r->EVSECurrentLimitAchieved = hit.current;
    r->EVSEVoltageLimitAchieved = hit.voltage;
    r->EVSEPowerLimitAchieved = hit.power;
    return SESS_H_NEXT;
}

int din_evse_welding(sess_evse *s, uint32_t now)
{
    (void)now;
    struct din_WeldingDetectionResType *r = &res_body(s)->WeldingDetectionRes;
    s->ev_soc = req_body(s)->WeldingDetectionReq.DC_EVStatus.EVRESSSOC;
    s->out.output_on = 0;
    s->out.target_a = 0.0f;
    din_pv_set(&r->EVSEPresentVoltage, s->in.present_v, din_unitSymbolType_V);
    return din_evse_check_status(s, &r->DC_EVSEStatus);
}
