/* ISO 15118-20 car side, DC part: DC_ChargeParameterDiscovery (our limits, the charger's kept), ServiceDetail's
 * parameter set, DC_CableCheck (CP state C), DC_PreCharge until the charger's measured voltage matches the
 * battery's, the DC_ChargeLoop in the chosen control mode, DC_WeldingDetection. */
#include <string.h>

#include "iso20_internal.h"

static struct iso20_dc_exiDocument *req(sess_pev *p) { return ISO20_DCDOC(&p->docs->tx); }
static struct iso20_dc_exiDocument *res(sess_pev *p) { return ISO20_DCDOC(&p->docs->rx); }
#define RN iso20_dc_rn_set

/* The control mode of a parameter set: its intValue "ControlMode", or -1. */
static int control_mode(const struct iso20_ParameterSetType *set)
{
    for (uint16_t i = 0; i < set->Parameter.count; i++) {
        const struct iso20_ParameterType *x = &set->Parameter.array[i];
        if (x->choice == iso20_ParameterType_intValue && x->Name.len == 11 && !memcmp(x->Name.chars, "ControlMode", 11))
            return x->intValue;
    }
    return -1;
}

/* A parameter set of the DC service: Dynamic if there is one, else Scheduled. */
int iso20_pev_on_service_detail(sess_pev *p, uint32_t now)
{
    const struct iso20_ServiceParameterListType *l = &ISO20_COMMON(&p->docs->rx)->ServiceDetailRes.ServiceParameterList;
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    int found = 0;
    p->dynamic = 0;
    for (uint16_t i = 0; i < l->ParameterSet.count; i++) {
        int mode = control_mode(&l->ParameterSet.array[i]);
        if ((mode == ISO20_CONTROL_DYNAMIC && !p->dynamic) || (mode == ISO20_CONTROL_SCHEDULED && !found)) {
            p->param_set_id = l->ParameterSet.array[i].ParameterSetID;
            p->dynamic = mode == ISO20_CONTROL_DYNAMIC;
            found = 1;
        }
    }
    if (found) return SESS_H_NEXT;
    sess_pev_safe(p, SESS_STOP_FAILED);
    return SESS_H_FAIL;
}

int iso20_pev_build_charge_parameter(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso20_dc_DC_ChargeParameterDiscoveryReqType *q = &req(p)->DC_ChargeParameterDiscoveryReq;
    q->DC_CPDReqEnergyTransferMode_choice = iso20_dc_DC_ChargeParameterDiscoveryReqType_DC_CPDReqEnergyTransferMode;
    struct iso20_dc_DC_CPDReqEnergyTransferModeType *m = &q->DC_CPDReqEnergyTransferMode;
    RN(&m->EVMaximumChargePower, p->cfg.max_w);
    RN(&m->EVMinimumChargePower, 0.0f);
    RN(&m->EVMaximumChargeCurrent, p->cfg.max_a);
    RN(&m->EVMinimumChargeCurrent, 0.0f);
    RN(&m->EVMaximumVoltage, p->cfg.max_v);
    RN(&m->EVMinimumVoltage, p->in.battery_v);
    m->has_TargetSOC = true;
    m->TargetSOC = p->cfg.full_soc;
    return SESS_H_NEXT;
}

int iso20_pev_on_charge_parameter(sess_pev *p, uint32_t now)
{
    const struct iso20_dc_DC_ChargeParameterDiscoveryResType *r = &res(p)->DC_ChargeParameterDiscoveryRes;
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    if (r->DC_CPDResEnergyTransferMode_choice != iso20_dc_DC_ChargeParameterDiscoveryResType_DC_CPDResEnergyTransferMode) {
        sess_pev_safe(p, SESS_STOP_FAILED);
        return SESS_H_FAIL;
    }
    const struct iso20_dc_DC_CPDResEnergyTransferModeType *m = &r->DC_CPDResEnergyTransferMode;
    const sess_evse_limits l = {
        .max_v = iso20_dc_rn_get(&m->EVSEMaximumVoltage),
        .max_a = iso20_dc_rn_get(&m->EVSEMaximumChargeCurrent),
        .max_w = iso20_dc_rn_get(&m->EVSEMaximumChargePower),
        .min_v = iso20_dc_rn_get(&m->EVSEMinimumVoltage),
        .min_a = iso20_dc_rn_get(&m->EVSEMinimumChargeCurrent),
        .min_w = iso20_dc_rn_get(&m->EVSEMinimumChargePower),
    };
    return sess_pev_take_limits(p, &l, 1);
}

int iso20_pev_build_cable_check(sess_pev *p, uint32_t now)
{
    (void)now;
    p->out.cp_state_c = 1;
    return SESS_H_NEXT;
}

int iso20_pev_on_cable_check(sess_pev *p, uint32_t now)
{
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    return res(p)->DC_CableCheckRes.EVSEProcessing == iso20_dc_processingType_Finished ? SESS_H_NEXT : SESS_H_STAY;
}

int iso20_pev_build_precharge(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso20_dc_DC_PreChargeReqType *q = &req(p)->DC_PreChargeReq;
    q->EVProcessing = iso20_dc_processingType_Ongoing;
    RN(&q->EVPresentVoltage, p->in.battery_v);
    RN(&q->EVTargetVoltage, p->in.battery_v);
    return SESS_H_NEXT;
}

/* Until the voltage the charger measures matches the battery's; then the contactors close. */
int iso20_pev_on_precharge(sess_pev *p, uint32_t now)
{
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    p->evse_v = iso20_dc_rn_get(&res(p)->DC_PreChargeRes.EVSEPresentVoltage);
    return sess_pev_precharge_check(p, now);
}

/* Dynamic: the current the battery accepts now (at most the car's maximum) as our maximum (the charger regulates
 * within it); Scheduled: as the target. Stopping: no current. */
int iso20_pev_build_charge_loop(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso20_dc_DC_ChargeLoopReqType *q = &req(p)->DC_ChargeLoopReq;
    int stopping = p->in.charge_complete || p->in.stop_request || p->in.pause_request;
    float a = sess_pev_ask_a(p, stopping);
    q->has_DisplayParameters = true;
    q->DisplayParameters.has_PresentSOC = q->DisplayParameters.has_TargetSOC = true;
    q->DisplayParameters.PresentSOC = p->in.soc;
    q->DisplayParameters.TargetSOC = p->cfg.full_soc;
    q->DisplayParameters.has_ChargingComplete = true;
    q->DisplayParameters.ChargingComplete = p->in.charge_complete;
    q->MeterInfoRequested = false;
    RN(&q->EVPresentVoltage, p->in.battery_v);
    if (p->dynamic) {
        struct iso20_dc_Dynamic_DC_CLReqControlModeType *d = &q->Dynamic_DC_CLReqControlMode;
        q->CLReqControlMode_choice = iso20_dc_DC_ChargeLoopReqType_Dynamic_DC_CLReqControlMode;
        RN(&d->EVTargetEnergyRequest, stopping ? 0.0f : p->in.energy_request_wh);
        RN(&d->EVMaximumEnergyRequest, stopping ? 0.0f : p->in.energy_request_wh);
        RN(&d->EVMinimumEnergyRequest, 0.0f);
        RN(&d->EVMaximumChargePower, p->cfg.max_w);
        RN(&d->EVMinimumChargePower, 0.0f);
        RN(&d->EVMaximumChargeCurrent, a);
        RN(&d->EVMaximumVoltage, p->cfg.max_v);
        RN(&d->EVMinimumVoltage, 0.0f);
        return SESS_H_NEXT;
    }
    struct iso20_dc_Scheduled_DC_CLReqControlModeType *c = &q->Scheduled_DC_CLReqControlMode;
    q->CLReqControlMode_choice = iso20_dc_DC_ChargeLoopReqType_Scheduled_DC_CLReqControlMode;
    RN(&c->EVTargetCurrent, a);
    RN(&c->EVTargetVoltage, p->cfg.max_v);
    c->has_EVMaximumChargePower = c->has_EVMaximumChargeCurrent = c->has_EVMaximumVoltage = true;
    RN(&c->EVMaximumChargePower, p->cfg.max_w);
    RN(&c->EVMaximumChargeCurrent, p->cfg.max_a);
    RN(&c->EVMaximumVoltage, p->cfg.max_v);
    return SESS_H_NEXT;
}

/* The loop goes on until full, stopped by the user or by the charger (Terminate), or what the charger reports
 * fails the car's check: then PowerDelivery(Stop). */
int iso20_pev_on_charge_loop(sess_pev *p, uint32_t now)
{
    const struct iso20_dc_DC_ChargeLoopResType *r = &res(p)->DC_ChargeLoopRes;
    p->evse_v = iso20_dc_rn_get(&r->EVSEPresentVoltage);
    p->evse_a = iso20_dc_rn_get(&r->EVSEPresentCurrent);
    int h = iso20_pev_on_simple(p, now);
    if (h == SESS_H_FAIL) return h;
    if (sess_pev_loop_fault(p, sess_pev_check_present(p, 1, now))) return SESS_H_NEXT;
    if (r->has_EVSEStatus && r->EVSEStatus.EVSENotification == iso20_dc_evseNotificationType_Terminate) {
        if (p->stop == SESS_STOP_NONE) p->stop = SESS_STOP_EVSE_SHUTDOWN;
        h = SESS_H_END;
    }
    return sess_pev_loop_stopping(p, h) ? SESS_H_NEXT : SESS_H_STAY;
}

/* WeldingDetection checks that the voltage goes once the car's contactors are open: it waits (within the row's
 * limit) until the current has fallen and the contactors opened. */
int iso20_pev_build_welding(sess_pev *p, uint32_t now)
{
    (void)now;
    if (p->out.contactors_closed) return SESS_H_STAY;
    req(p)->DC_WeldingDetectionReq.EVProcessing = iso20_dc_processingType_Finished;
    return SESS_H_NEXT;
}

int iso20_pev_on_welding(sess_pev *p, uint32_t now)
{
    p->evse_v = iso20_dc_rn_get(&res(p)->DC_WeldingDetectionRes.EVSEPresentVoltage);
    return iso20_pev_on_simple(p, now);
}
