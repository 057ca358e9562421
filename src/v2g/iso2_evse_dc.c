/* ISO 15118-2 charger handlers, DC part: CableCheck (isolation monitor), PreCharge (the real output voltage
 * reported, never the target), CurrentDemand (regulation, meter, receipt), WeldingDetection. */
#include "iso2_internal.h"

static struct iso2_BodyType *req_body(sess_evse *s) { return ISO2_BODY(&s->docs->rx); }
static struct iso2_BodyType *res_body(sess_evse *s) { return ISO2_BODY(&s->docs->tx); }


int iso2_evse_cable_check(sess_evse *s, uint32_t now)
{
    (void)now;
    struct iso2_CableCheckResType *r = &res_body(s)->CableCheckRes;
    s->ev_soc = req_body(s)->CableCheckReq.DC_EVStatus.EVRESSSOC;
    int h = iso2_evse_check_status(s, res_body(s));
    r->EVSEProcessing = iso2_EVSEProcessingType_Finished;
    if (h != SESS_H_NEXT) return h;
    h = sess_evse_dc_isolation(s);
    if (h == SESS_H_FAIL) r->ResponseCode = iso2_responseCodeType_FAILED;
    if (h == SESS_H_STAY) {
        r->DC_EVSEStatus.EVSEStatusCode = iso2_DC_EVSEStatusCodeType_EVSE_IsolationMonitoringActive;
        r->EVSEProcessing = iso2_EVSEProcessingType_Ongoing;
    }
    return h;
}

/* The output follows the car's target with at most the precharge current; the answer is the measured voltage:
 * cars that close only on the real inlet voltage (Model Y, Polestar 2) must not be told the target. */
int iso2_evse_precharge(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct iso2_PreChargeReqType *q = &req_body(s)->PreChargeReq;
    struct iso2_PreChargeResType *r = &res_body(s)->PreChargeRes;
    s->ev_soc = q->DC_EVStatus.EVRESSSOC;
    s->ev_target_v = iso2_pv_get(&q->EVTargetVoltage);
    s->ev_target_a = iso2_pv_get(&q->EVTargetCurrent);
    iso2_pv_set(&r->EVSEPresentVoltage, s->in.present_v, iso2_unitSymbolType_V);
    int h = iso2_evse_check_status(s, res_body(s));
    if (h != SESS_H_NEXT) return h;
    sess_evse_dc_precharge(s);
    return SESS_H_NEXT;
}

static float ev_limit(const struct iso2_PhysicalValueType *pv, bool has, float otherwise)
{
    return has ? iso2_pv_get(pv) : otherwise;
}

int iso2_evse_current_demand(sess_evse *s, uint32_t now)
{
    const struct iso2_CurrentDemandReqType *q = &req_body(s)->CurrentDemandReq;
    struct iso2_CurrentDemandResType *r = &res_body(s)->CurrentDemandRes;
    s->ev_soc = q->DC_EVStatus.EVRESSSOC;
    s->ev_target_v = iso2_pv_get(&q->EVTargetVoltage);
    s->ev_target_a = iso2_pv_get(&q->EVTargetCurrent);
    int progress = sess_evse_dc_progress(s, now);
    iso2_pv_set(&r->EVSEPresentVoltage, s->in.present_v, iso2_unitSymbolType_V);
    iso2_pv_set(&r->EVSEPresentCurrent, s->in.present_a, iso2_unitSymbolType_A);
    r->has_EVSEMaximumVoltageLimit = r->has_EVSEMaximumCurrentLimit = r->has_EVSEMaximumPowerLimit = true;
    iso2_pv_set(&r->EVSEMaximumVoltageLimit, s->cfg.max_v, iso2_unitSymbolType_V);
    iso2_pv_set(&r->EVSEMaximumCurrentLimit, s->cfg.max_a, iso2_unitSymbolType_A);
    iso2_pv_set(&r->EVSEMaximumPowerLimit, s->cfg.max_w, iso2_unitSymbolType_W);
    iso2_evse_id(s, res_body(s));
    r->has_MeterInfo = r->has_ReceiptRequired = true;
    iso2_evse_meter(s, &r->MeterInfo);
    r->ReceiptRequired = iso2_evse_receipt(s, now);
    int h = iso2_evse_check_status(s, res_body(s));
    if (h != SESS_H_NEXT) return h;
    if (progress == SESS_H_FAIL) {
        r->ResponseCode = iso2_responseCodeType_FAILED;
        return SESS_H_FAIL;
    }
    if (s->cfg.require_ev_limits &&
        !(q->has_EVMaximumVoltageLimit && q->has_EVMaximumCurrentLimit && q->has_EVMaximumPowerLimit)) {
        r->ResponseCode = iso2_responseCodeType_FAILED_WrongChargeParameter;
        return SESS_H_FAIL;
    }
    sess_dc_achieved hit;
    sess_evse_dc_demand(s, ev_limit(&q->EVMaximumVoltageLimit, q->has_EVMaximumVoltageLimit, s->cfg.max_v),
                        ev_limit(&q->EVMaximumCurrentLimit, q->has_EVMaximumCurrentLimit, s->cfg.max_a), &hit);
    r->EVSECurrentLimitAchieved = hit.current;
    r->EVSEVoltageLimitAchieved = hit.voltage;
    r->EVSEPowerLimitAchieved = hit.power;
    return SESS_H_NEXT;
}

int iso2_evse_welding(sess_evse *s, uint32_t now)
{
    (void)now;
    s->ev_soc = req_body(s)->WeldingDetectionReq.DC_EVStatus.EVRESSSOC;
    sess_evse_dc_off(s);
    iso2_pv_set(&res_body(s)->WeldingDetectionRes.EVSEPresentVoltage, s->in.present_v, iso2_unitSymbolType_V);
    return iso2_evse_check_status(s, res_body(s));
}
