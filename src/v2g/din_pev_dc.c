/* DIN 70121 car side, DC part: ChargeParameterDiscovery, CableCheck, PreCharge (until the charger's voltage
 * matches the battery's), PowerDelivery, the CurrentDemand loop, WeldingDetection; contactors and CP state. */
#include "din_internal.h"

static struct din_BodyType *req_body(sess_pev *p) { return DIN_BODY(&p->docs->tx); }
static struct din_BodyType *res_body(sess_pev *p) { return DIN_BODY(&p->docs->rx); }

/* Every optional field filled: some chargers refuse a request without them. */
int din_pev_build_charge_parameter(sess_pev *p, uint32_t now)
{
    (void)now;
    struct din_ChargeParameterDiscoveryReqType *q = &req_body(p)->ChargeParameterDiscoveryReq;
    q->EVRequestedEnergyTransferType = din_EVRequestedEnergyTransferType_DC_extended;
    q->EVChargeParameter_choice = din_ChargeParameterDiscoveryReqType_DC_EVChargeParameter;
    struct din_DC_EVChargeParameterType *c = &q->DC_EVChargeParameter;
    din_pev_ev_status(p, &c->DC_EVStatus);
    din_pv_set(&c->EVMaximumCurrentLimit, p->cfg.max_a, din_unitSymbolType_A);
    c->has_EVMaximumPowerLimit = c->has_EVEnergyCapacity = c->has_EVEnergyRequest = true;
    din_pv_set(&c->EVMaximumPowerLimit, p->cfg.max_w, din_unitSymbolType_W);
    din_pv_set(&c->EVMaximumVoltageLimit, p->cfg.max_v, din_unitSymbolType_V);
    din_pv_set(&c->EVEnergyCapacity, p->cfg.capacity_wh, din_unitSymbolType_Wh);
    din_pv_set(&c->EVEnergyRequest, p->in.energy_request_wh, din_unitSymbolType_Wh);
    c->has_FullSOC = c->has_BulkSOC = true;
    c->FullSOC = p->cfg.full_soc;
    c->BulkSOC = p->cfg.bulk_soc;
    return SESS_H_NEXT;
}

int din_pev_on_charge_parameter(sess_pev *p, uint32_t now)
{
    (void)now;
    struct din_ChargeParameterDiscoveryResType *r = &res_body(p)->ChargeParameterDiscoveryRes;
    const struct din_DC_EVSEChargeParameterType *c = &r->DC_EVSEChargeParameter;
    int dc = r->EVSEChargeParameter_choice == din_ChargeParameterDiscoveryResType_DC_EVSEChargeParameter;
    int h = din_pev_gate(p, r->ResponseCode, dc ? &c->DC_EVSEStatus : NULL);
    if (h == SESS_H_FAIL) return h;
    if (!dc) {
        sess_pev_safe(p, SESS_STOP_FAILED);
        return SESS_H_FAIL;
    }
    int finished = r->EVSEProcessing != din_EVSEProcessingType_Ongoing;
    const sess_evse_limits l = {
        .max_v = din_pv_get(&c->EVSEMaximumVoltageLimit),
        .max_a = din_pv_get(&c->EVSEMaximumCurrentLimit),
        .max_w = c->has_EVSEMaximumPowerLimit ? din_pv_get(&c->EVSEMaximumPowerLimit) : p->cfg.max_w,
        .min_v = din_pv_get(&c->EVSEMinimumVoltageLimit),
        .min_a = din_pv_get(&c->EVSEMinimumCurrentLimit),
        .tolerance_a = c->has_EVSECurrentRegulationTolerance ? din_pv_get(&c->EVSECurrentRegulationTolerance) : 0.0f,
        .ripple_a = din_pv_get(&c->EVSEPeakCurrentRipple),
    };
    if (sess_pev_take_limits(p, &l, finished) == SESS_H_FAIL) return SESS_H_FAIL;
    return finished ? SESS_H_NEXT : SESS_H_STAY;
}

/* CP state C from CableCheck on (the charger tests the isolation only then). */
int din_pev_build_cable_check(sess_pev *p, uint32_t now)
{
    (void)now;
    p->out.cp_state_c = 1;
    din_pev_ev_status(p, &req_body(p)->CableCheckReq.DC_EVStatus);
    return SESS_H_NEXT;
}

int din_pev_on_cable_check(sess_pev *p, uint32_t now)
{
    (void)now;
    const struct din_CableCheckResType *r = &res_body(p)->CableCheckRes;
    int h = din_pev_gate(p, r->ResponseCode, &r->DC_EVSEStatus);
    if (h == SESS_H_FAIL) return h;
    if (r->EVSEProcessing == din_EVSEProcessingType_Ongoing) return SESS_H_STAY;
    if (r->DC_EVSEStatus.has_EVSEIsolationStatus &&
        r->DC_EVSEStatus.EVSEIsolationStatus == din_isolationLevelType_Fault) {
        sess_pev_safe(p, SESS_STOP_ISOLATION);
        return SESS_H_FAIL;
    }
    return SESS_H_NEXT;
}

int din_pev_build_precharge(sess_pev *p, uint32_t now)
{
    (void)now;
    struct din_PreChargeReqType *q = &req_body(p)->PreChargeReq;
    din_pev_ev_status(p, &q->DC_EVStatus);
    din_pv_set(&q->EVTargetVoltage, p->in.battery_v, din_unitSymbolType_V);
    din_pv_set(&q->EVTargetCurrent, p->cfg.precharge_a, din_unitSymbolType_A);
    return SESS_H_NEXT;
}

/* Until the charger's voltage matches the battery's; then the contactors close. */
int din_pev_on_precharge(sess_pev *p, uint32_t now)
{
    const struct din_PreChargeResType *r = &res_body(p)->PreChargeRes;
    int h = din_pev_gate(p, r->ResponseCode, &r->DC_EVSEStatus);
    if (h == SESS_H_FAIL) return h;
    p->evse_v = din_pv_get(&r->EVSEPresentVoltage);
    return sess_pev_precharge_check(p, now);
}

static void power_delivery(sess_pev *p, int start)
{
    struct din_PowerDeliveryReqType *q = &req_body(p)->PowerDeliveryReq;
    q->ReadyToChargeState = start != 0;
    q->EVPowerDeliveryParameter_choice = din_PowerDeliveryReqType_DC_EVPowerDeliveryParameter;
    struct din_DC_EVPowerDeliveryParameterType *d = &q->DC_EVPowerDeliveryParameter;
    din_pev_ev_status(p, &d->DC_EVStatus);
    d->has_BulkChargingComplete = true;
    d->BulkChargingComplete = p->in.soc >= p->cfg.bulk_soc;
    d->ChargingComplete = !start && p->in.charge_complete;
}

int din_pev_build_power_start(sess_pev *p, uint32_t now)
{
    (void)now;
    power_delivery(p, 1);
    return SESS_H_NEXT;
}

int din_pev_build_power_stop(sess_pev *p, uint32_t now)
{
    (void)now;
    power_delivery(p, 0);
    return SESS_H_NEXT;
}

static const struct din_DC_EVSEStatusType *pd_status(sess_pev *p)
{
    struct din_PowerDeliveryResType *r = &res_body(p)->PowerDeliveryRes;
    return r->EVSEStatus_choice == din_PowerDeliveryResType_DC_EVSEStatus ? &r->DC_EVSEStatus : NULL;
}

int din_pev_on_power_start(sess_pev *p, uint32_t now)
{
    (void)now;
    return din_pev_gate(p, res_body(p)->PowerDeliveryRes.ResponseCode, pd_status(p));
}

/* Charging is over: no more current asked; the contactors open once the current has fallen. */
int din_pev_on_power_stop(sess_pev *p, uint32_t now)
{
    (void)now;
    p->out.stop_requested = 1;
    p->out.cp_state_c = 0;
    return din_pev_check(p, res_body(p)->PowerDeliveryRes.ResponseCode, NULL) == SESS_H_FAIL ? SESS_H_FAIL
                                                                                              : SESS_H_NEXT;
}

/* EVMaximum* limits always present: some chargers stop without them. */
int din_pev_build_current_demand(sess_pev *p, uint32_t now)
{
    (void)now;
    struct din_CurrentDemandReqType *q = &req_body(p)->CurrentDemandReq;
    int stopping = p->in.charge_complete || p->in.stop_request;
    din_pev_ev_status(p, &q->DC_EVStatus);
    din_pv_set(&q->EVTargetCurrent, sess_pev_ask_a(p, stopping), din_unitSymbolType_A);
    din_pv_set(&q->EVTargetVoltage, p->cfg.max_v, din_unitSymbolType_V);
    q->has_EVMaximumVoltageLimit = q->has_EVMaximumCurrentLimit = q->has_EVMaximumPowerLimit = true;
    din_pv_set(&q->EVMaximumVoltageLimit, p->cfg.max_v, din_unitSymbolType_V);
    din_pv_set(&q->EVMaximumCurrentLimit, p->cfg.max_a, din_unitSymbolType_A);
    din_pv_set(&q->EVMaximumPowerLimit, p->cfg.max_w, din_unitSymbolType_W);
    q->has_BulkChargingComplete = true;
    q->BulkChargingComplete = p->in.soc >= p->cfg.bulk_soc;
    q->ChargingComplete = p->in.charge_complete;
    return SESS_H_NEXT;
}

/* Loop until the battery is full, the user stops, the charger asks to stop or what it reports fails the car's
 * check (then PowerDelivery stop). */
int din_pev_on_current_demand(sess_pev *p, uint32_t now)
{
    const struct din_CurrentDemandResType *r = &res_body(p)->CurrentDemandRes;
    p->evse_v = din_pv_get(&r->EVSEPresentVoltage);
    p->evse_a = din_pv_get(&r->EVSEPresentCurrent);
    int h = din_pev_check(p, r->ResponseCode, &r->DC_EVSEStatus);
    if (h == SESS_H_FAIL) return h;
    if (sess_pev_loop_fault(p, sess_pev_check_present(p, 1, now))) return SESS_H_NEXT;
    if (p->in.stop_request && p->stop == SESS_STOP_NONE) p->stop = SESS_STOP_USER;
    if (h == SESS_H_END || p->in.charge_complete || p->in.stop_request) return SESS_H_NEXT;
    return SESS_H_STAY;
}

/* WeldingDetection checks that the voltage goes once the car's contactors are open: it waits (within the row's
 * limit) until the current has fallen and the contactors opened. */
int din_pev_build_welding(sess_pev *p, uint32_t now)
{
    (void)now;
    if (p->out.contactors_closed)
        return SESS_H_STAY;
    din_pev_ev_status(p, &req_body(p)->WeldingDetectionReq.DC_EVStatus);
    return SESS_H_NEXT;
}

int din_pev_on_welding(sess_pev *p, uint32_t now)
{
    (void)now;
    const struct din_WeldingDetectionResType *r = &res_body(p)->WeldingDetectionRes;
    p->evse_v = din_pv_get(&r->EVSEPresentVoltage);
    return din_pev_check(p, r->ResponseCode, NULL) == SESS_H_FAIL ? SESS_H_FAIL : SESS_H_NEXT;
}
