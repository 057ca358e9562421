/* ISO 15118-2 car side, DC part: CableCheck (CP state C), PreCharge until the charger's measured voltage
 * matches the battery's, the CurrentDemand loop (EVMaximum* limits always), WeldingDetection. */
#include "iso2_internal.h"

static struct iso2_BodyType *req_body(sess_pev *p) { return ISO2_BODY(&p->docs->tx); }
static struct iso2_BodyType *res_body(sess_pev *p) { return ISO2_BODY(&p->docs->rx); }

int iso2_pev_build_cable_check(sess_pev *p, uint32_t now)
{
    (void)now;
    p->out.cp_state_c = 1;
    iso2_pev_ev_status(p, &req_body(p)->CableCheckReq.DC_EVStatus);
    return SESS_H_NEXT;
}

int iso2_pev_on_cable_check(sess_pev *p, uint32_t now)
{
    (void)now;
    const struct iso2_CableCheckResType *r = &res_body(p)->CableCheckRes;
    int h = iso2_pev_gate(p, r->ResponseCode, &r->DC_EVSEStatus, NULL);
    if (h == SESS_H_FAIL) return h;
    if (r->EVSEProcessing != iso2_EVSEProcessingType_Finished) return SESS_H_STAY;
    if (r->DC_EVSEStatus.has_EVSEIsolationStatus &&
        r->DC_EVSEStatus.EVSEIsolationStatus == iso2_isolationLevelType_Fault) {
        sess_pev_safe(p, SESS_STOP_ISOLATION);
        return SESS_H_FAIL;
    }
    return SESS_H_NEXT;
}

int iso2_pev_build_precharge(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso2_PreChargeReqType *q = &req_body(p)->PreChargeReq;
    iso2_pev_ev_status(p, &q->DC_EVStatus);
    iso2_pv_set(&q->EVTargetVoltage, p->in.battery_v, iso2_unitSymbolType_V);
    iso2_pv_set(&q->EVTargetCurrent, p->cfg.precharge_a, iso2_unitSymbolType_A);
    return SESS_H_NEXT;
}

/* Until the voltage the charger measures matches the battery's; then the contactors close. */
int iso2_pev_on_precharge(sess_pev *p, uint32_t now)
{
    const struct iso2_PreChargeResType *r = &res_body(p)->PreChargeRes;
    int h = iso2_pev_gate(p, r->ResponseCode, &r->DC_EVSEStatus, NULL);
    if (h == SESS_H_FAIL) return h;
    p->evse_v = iso2_pv_get(&r->EVSEPresentVoltage);
    return sess_pev_precharge_check(p, now);
}

int iso2_pev_build_current_demand(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso2_CurrentDemandReqType *q = &req_body(p)->CurrentDemandReq;
    int stopping = p->in.charge_complete || p->in.stop_request || p->in.pause_request;
    iso2_pev_ev_status(p, &q->DC_EVStatus);
    iso2_pv_set(&q->EVTargetCurrent, sess_pev_ask_a(p, stopping), iso2_unitSymbolType_A);
    iso2_pv_set(&q->EVTargetVoltage, p->cfg.max_v, iso2_unitSymbolType_V);
    q->has_EVMaximumVoltageLimit = q->has_EVMaximumCurrentLimit = q->has_EVMaximumPowerLimit = true;
    iso2_pv_set(&q->EVMaximumVoltageLimit, p->cfg.max_v, iso2_unitSymbolType_V);
    iso2_pv_set(&q->EVMaximumCurrentLimit, p->cfg.max_a, iso2_unitSymbolType_A);
    iso2_pv_set(&q->EVMaximumPowerLimit, p->cfg.max_w, iso2_unitSymbolType_W);
    q->has_BulkChargingComplete = true;
    q->BulkChargingComplete = p->in.soc >= p->cfg.bulk_soc;
    q->ChargingComplete = p->in.charge_complete;
    q->has_RemainingTimeToFullSoC = true;
    iso2_pv_set(&q->RemainingTimeToFullSoC, p->in.energy_request_wh * 3600.0f / p->cfg.max_w, iso2_unitSymbolType_s);
    return SESS_H_NEXT;
}

int iso2_pev_on_current_demand(sess_pev *p, uint32_t now)
{
    const struct iso2_CurrentDemandResType *r = &res_body(p)->CurrentDemandRes;
    p->evse_v = iso2_pv_get(&r->EVSEPresentVoltage);
    p->evse_a = iso2_pv_get(&r->EVSEPresentCurrent);
    int h = iso2_pev_check(p, r->ResponseCode, &r->DC_EVSEStatus, NULL);
    return iso2_pev_loop_end(p, h, r->has_ReceiptRequired && r->ReceiptRequired, sess_pev_check_present(p, 1, now));
}

/* WeldingDetection checks that the voltage goes once the car's contactors are open: it waits (within the row's
 * limit) until the current has fallen and the contactors opened. */
int iso2_pev_build_welding(sess_pev *p, uint32_t now)
{
    (void)now;
    if (p->out.contactors_closed)
        return SESS_H_STAY;
    iso2_pev_ev_status(p, &req_body(p)->WeldingDetectionReq.DC_EVStatus);
    return SESS_H_NEXT;
}

int iso2_pev_on_welding(sess_pev *p, uint32_t now)
{
    (void)now;
    const struct iso2_WeldingDetectionResType *r = &res_body(p)->WeldingDetectionRes;
    p->evse_v = iso2_pv_get(&r->EVSEPresentVoltage);
    return iso2_pev_check(p, r->ResponseCode, NULL, NULL) == SESS_H_FAIL ? SESS_H_FAIL : SESS_H_NEXT;
}
