/* ISO 15118-20 charger handlers, DC part: DC_ChargeParameterDiscovery (our limits), DC_CableCheck (isolation
 * monitor), DC_PreCharge (the real output voltage reported), DC_ChargeLoop in Dynamic or Scheduled control mode
 * (regulation, meter), DC_WeldingDetection. */
#include <string.h>

#include "iso20_internal.h"

static struct iso20_dc_exiDocument *req(sess_evse *s) { return ISO20_DCDOC(&s->docs->rx); }
static struct iso20_dc_exiDocument *res(sess_evse *s) { return ISO20_DCDOC(&s->docs->tx); }
#define RN iso20_dc_rn_set

int iso20_evse_charge_parameter(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct iso20_dc_DC_ChargeParameterDiscoveryReqType *q = &req(s)->DC_ChargeParameterDiscoveryReq;
    struct iso20_dc_DC_ChargeParameterDiscoveryResType *r = &res(s)->DC_ChargeParameterDiscoveryRes;
    iso20_evse_safe_fields(s, &s->docs->tx);   /* the DC (not BPT) parameters */
    struct iso20_dc_DC_CPDResEnergyTransferModeType *m = &r->DC_CPDResEnergyTransferMode;
    RN(&m->EVSEMaximumChargePower, s->cfg.max_w);
    RN(&m->EVSEMinimumChargePower, 0.0f);
    RN(&m->EVSEMaximumChargeCurrent, s->cfg.max_a);
    RN(&m->EVSEMinimumChargeCurrent, s->cfg.min_a);
    RN(&m->EVSEMaximumVoltage, s->cfg.max_v);
    RN(&m->EVSEMinimumVoltage, s->cfg.min_v);
    if (q->DC_CPDReqEnergyTransferMode_choice != iso20_dc_DC_ChargeParameterDiscoveryReqType_DC_CPDReqEnergyTransferMode) {
        r->ResponseCode = iso20_dc_responseCodeType_FAILED_WrongChargeParameter;   /* BPT was not offered */
        return SESS_H_FAIL;
    }
    if (q->DC_CPDReqEnergyTransferMode.has_TargetSOC) s->ev_soc = q->DC_CPDReqEnergyTransferMode.TargetSOC;
    sess_evse_dc_ev_max(s, iso20_dc_rn_get(&q->DC_CPDReqEnergyTransferMode.EVMaximumVoltage));
    return iso20_evse_fault(s);
}

int iso20_evse_cable_check(sess_evse *s, uint32_t now)
{
    (void)now;
    struct iso20_dc_DC_CableCheckResType *r = &res(s)->DC_CableCheckRes;
    r->EVSEProcessing = iso20_dc_processingType_Finished;
    int h = iso20_evse_fault(s);
    if (h != SESS_H_NEXT) return h;
    h = sess_evse_dc_isolation(s);
    if (h == SESS_H_FAIL) r->ResponseCode = iso20_dc_responseCodeType_FAILED;
    if (h == SESS_H_STAY) r->EVSEProcessing = iso20_dc_processingType_Ongoing;
    return h;
}

/* The output follows the car's target with at most the precharge current; the answer is the measured voltage. */
int iso20_evse_precharge(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct iso20_dc_DC_PreChargeReqType *q = &req(s)->DC_PreChargeReq;
    s->ev_target_v = iso20_dc_rn_get(&q->EVTargetVoltage);
    s->ev_target_a = s->cfg.precharge_max_a;   /* ISO-20 PreCharge has no current: the charger limits it */
    RN(&res(s)->DC_PreChargeRes.EVSEPresentVoltage, s->in.present_v);
    int h = iso20_evse_fault(s);
    if (h != SESS_H_NEXT) return h;
    sess_evse_dc_precharge(s);
    return SESS_H_NEXT;
}

/* The car's targets by control mode: Dynamic asks for at most its maximum current up to its maximum voltage
 * (the charger decides the rest); Scheduled gives a target current and voltage within optional maxima. */
static int targets(sess_evse *s, const struct iso20_dc_DC_ChargeLoopReqType *q, float *max_v, float *max_a)
{
    if (q->CLReqControlMode_choice == iso20_dc_DC_ChargeLoopReqType_Dynamic_DC_CLReqControlMode) {
        const struct iso20_dc_Dynamic_DC_CLReqControlModeType *d = &q->Dynamic_DC_CLReqControlMode;
        *max_v = s->ev_target_v = iso20_dc_rn_get(&d->EVMaximumVoltage);
        *max_a = s->ev_target_a = iso20_dc_rn_get(&d->EVMaximumChargeCurrent);
        return ISO20_CONTROL_DYNAMIC;
    }
    if (q->CLReqControlMode_choice == iso20_dc_DC_ChargeLoopReqType_Scheduled_DC_CLReqControlMode) {
        const struct iso20_dc_Scheduled_DC_CLReqControlModeType *c = &q->Scheduled_DC_CLReqControlMode;
        s->ev_target_v = iso20_dc_rn_get(&c->EVTargetVoltage);
        s->ev_target_a = iso20_dc_rn_get(&c->EVTargetCurrent);
        *max_v = c->has_EVMaximumVoltage ? iso20_dc_rn_get(&c->EVMaximumVoltage) : s->cfg.max_v;
        *max_a = c->has_EVMaximumChargeCurrent ? iso20_dc_rn_get(&c->EVMaximumChargeCurrent) : s->cfg.max_a;
        return ISO20_CONTROL_SCHEDULED;
    }
    return -1;   /* BPT was not offered */
}

static void meter(const sess_evse *s, struct iso20_dc_MeterInfoType *m)
{
    memcpy(m->MeterID.chars, s->cfg.evse_id, s->cfg.evse_id_len);
    m->MeterID.len = s->cfg.evse_id_len;
    m->ChargedEnergyReadingWh = s->in.meter_wh;
}

int iso20_evse_charge_loop(sess_evse *s, uint32_t now)
{
    const struct iso20_dc_DC_ChargeLoopReqType *q = &req(s)->DC_ChargeLoopReq;
    struct iso20_dc_DC_ChargeLoopResType *r = &res(s)->DC_ChargeLoopRes;
    if (q->has_DisplayParameters && q->DisplayParameters.has_PresentSOC) s->ev_soc = q->DisplayParameters.PresentSOC;
    RN(&r->EVSEPresentVoltage, s->in.present_v);
    RN(&r->EVSEPresentCurrent, s->in.present_a);
    r->has_MeterInfo = q->MeterInfoRequested;
    meter(s, &r->MeterInfo);
    float max_v = 0.0f, max_a = 0.0f; /* set by targets() unless it fails */
    int mode = targets(s, q, &max_v, &max_a);
    int progress = mode < 0 ? SESS_H_NEXT : sess_evse_dc_progress(s, now);
    if (mode == ISO20_CONTROL_DYNAMIC) {
        struct iso20_dc_Dynamic_DC_CLResControlModeType *d = &r->Dynamic_DC_CLResControlMode;
        r->CLResControlMode_choice = iso20_dc_DC_ChargeLoopResType_Dynamic_DC_CLResControlMode;
        RN(&d->EVSEMaximumChargePower, s->cfg.max_w);
        RN(&d->EVSEMinimumChargePower, 0.0f);
        RN(&d->EVSEMaximumChargeCurrent, s->cfg.max_a);
        RN(&d->EVSEMaximumVoltage, s->cfg.max_v);
    } else {
        struct iso20_dc_Scheduled_DC_CLResControlModeType *c = &r->Scheduled_DC_CLResControlMode;
        r->CLResControlMode_choice = iso20_dc_DC_ChargeLoopResType_Scheduled_DC_CLResControlMode;
        c->has_EVSEMaximumChargePower = c->has_EVSEMaximumChargeCurrent = c->has_EVSEMaximumVoltage = true;
        RN(&c->EVSEMaximumChargePower, s->cfg.max_w);
        RN(&c->EVSEMaximumChargeCurrent, s->cfg.max_a);
        RN(&c->EVSEMaximumVoltage, s->cfg.max_v);
    }
    if (s->in.status != SESS_EVSE_OK) {   /* a stop request */
        r->has_EVSEStatus = true;
        r->EVSEStatus.EVSENotification = iso20_dc_evseNotificationType_Terminate;
    }
    int h = iso20_evse_fault(s);
    if (h != SESS_H_NEXT) return h;
    if (mode < 0 || progress == SESS_H_FAIL) {
        r->ResponseCode = mode < 0 ? iso20_dc_responseCodeType_FAILED_WrongChargeParameter
                                   : iso20_dc_responseCodeType_FAILED;
        return SESS_H_FAIL;
    }
    sess_dc_achieved hit;
    sess_evse_dc_demand(s, max_v, max_a, &hit);
    r->EVSECurrentLimitAchieved = hit.current;
    r->EVSEVoltageLimitAchieved = hit.voltage;
    r->EVSEPowerLimitAchieved = hit.power;
    return SESS_H_NEXT;
}

int iso20_evse_welding(sess_evse *s, uint32_t now)
{
    (void)now;
    sess_evse_dc_off(s);
    RN(&res(s)->DC_WeldingDetectionRes.EVSEPresentVoltage, s->in.present_v);
    return iso20_evse_fault(s);
}
