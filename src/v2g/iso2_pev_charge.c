/* ISO 15118-2 car side around the energy transfer, DC and AC: ChargeParameterDiscovery (every optional field
 * filled), the schedule taken from its answer, PowerDelivery with a ChargingProfile within PMax, how a charging
 * loop ends (stop, pause, receipt), MeteringReceipt. */
#include <string.h>

#include "iso2_internal.h"

static struct iso2_BodyType *req_body(sess_pev *p) { return ISO2_BODY(&p->docs->tx); }
static struct iso2_BodyType *res_body(sess_pev *p) { return ISO2_BODY(&p->docs->rx); }

/* AC: what the on-board charger can take from the grid (at the charger's nominal voltage once known). */
static float ac_power(const sess_pev *p)
{
    return (p->evse_max_v > 0.0f ? p->evse_max_v : 230.0f) * p->cfg.ac_max_a * (float)p->cfg.ac_phases;
}
static float max_power(const sess_pev *p) { return p->cfg.ac ? ac_power(p) : p->cfg.max_w; }

/* Seconds to deliver what the battery still needs at our maximum power: DepartureTime, RemainingTimeToFullSoC. */
static uint32_t time_to_full_s(const sess_pev *p) { return (uint32_t)(p->in.energy_request_wh * 3600.0f / max_power(p)); }

int iso2_pev_build_charge_parameter(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso2_ChargeParameterDiscoveryReqType *q = &req_body(p)->ChargeParameterDiscoveryReq;
    q->has_MaxEntriesSAScheduleTuple = true;
    q->MaxEntriesSAScheduleTuple = 3;   /* the schema's maximum of SAScheduleTuples */
    if (p->cfg.ac) {
        q->RequestedEnergyTransferMode = p->cfg.ac_phases == 1 ? iso2_EnergyTransferModeType_AC_single_phase_core
                                                               : iso2_EnergyTransferModeType_AC_three_phase_core;
        q->EVChargeParameter_choice = iso2_ChargeParameterDiscoveryReqType_AC_EVChargeParameter;
        struct iso2_AC_EVChargeParameterType *a = &q->AC_EVChargeParameter;
        a->has_DepartureTime = true;
        a->DepartureTime = time_to_full_s(p);
        iso2_pv_set(&a->EAmount, p->in.energy_request_wh, iso2_unitSymbolType_Wh);
        iso2_pv_set(&a->EVMaxVoltage, p->cfg.ac_max_v, iso2_unitSymbolType_V);
        iso2_pv_set(&a->EVMaxCurrent, p->cfg.ac_max_a, iso2_unitSymbolType_A);
        iso2_pv_set(&a->EVMinCurrent, p->cfg.ac_min_a, iso2_unitSymbolType_A);
        return SESS_H_NEXT;
    }
    q->RequestedEnergyTransferMode = iso2_EnergyTransferModeType_DC_extended;
    q->EVChargeParameter_choice = iso2_ChargeParameterDiscoveryReqType_DC_EVChargeParameter;
    struct iso2_DC_EVChargeParameterType *c = &q->DC_EVChargeParameter;
    c->has_DepartureTime = true;
    c->DepartureTime = time_to_full_s(p);
    iso2_pev_ev_status(p, &c->DC_EVStatus);
    iso2_pv_set(&c->EVMaximumCurrentLimit, p->cfg.max_a, iso2_unitSymbolType_A);
    iso2_pv_set(&c->EVMaximumVoltageLimit, p->cfg.max_v, iso2_unitSymbolType_V);
    c->has_EVMaximumPowerLimit = c->has_EVEnergyCapacity = c->has_EVEnergyRequest = true;
    iso2_pv_set(&c->EVMaximumPowerLimit, p->cfg.max_w, iso2_unitSymbolType_W);
    iso2_pv_set(&c->EVEnergyCapacity, p->cfg.capacity_wh, iso2_unitSymbolType_Wh);
    iso2_pv_set(&c->EVEnergyRequest, p->in.energy_request_wh, iso2_unitSymbolType_Wh);
    c->has_FullSOC = c->has_BulkSOC = true;
    c->FullSOC = p->cfg.full_soc;
    c->BulkSOC = p->cfg.bulk_soc;
    return SESS_H_NEXT;
}

/* The charger's limits through the car's check. AC: its nominal voltage (kept as evse_max_v) against our
 * on-board charger's maximum, as a DC charger's voltage range against the battery. */
static int take_limits(sess_pev *p, const struct iso2_ChargeParameterDiscoveryResType *r, int finished)
{
    if (p->cfg.ac) {
        const struct iso2_AC_EVSEChargeParameterType *a = &r->AC_EVSEChargeParameter;
        float nominal = iso2_pv_get(&a->EVSENominalVoltage);
        const sess_evse_limits l = { .max_v = nominal, .max_a = iso2_pv_get(&a->EVSEMaxCurrent) };
        if (finished && nominal > p->cfg.ac_max_v) {
            sess_pev_safe(p, SESS_STOP_EVSE_LIMITS);
            return SESS_H_FAIL;
        }
        return sess_pev_take_limits(p, &l, 0);
    }
    const struct iso2_DC_EVSEChargeParameterType *c = &r->DC_EVSEChargeParameter;
    const sess_evse_limits l = {
        .max_v = iso2_pv_get(&c->EVSEMaximumVoltageLimit),
        .max_a = iso2_pv_get(&c->EVSEMaximumCurrentLimit),
        .max_w = iso2_pv_get(&c->EVSEMaximumPowerLimit),
        .min_v = iso2_pv_get(&c->EVSEMinimumVoltageLimit),
        .min_a = iso2_pv_get(&c->EVSEMinimumCurrentLimit),
        .tolerance_a = c->has_EVSECurrentRegulationTolerance ? iso2_pv_get(&c->EVSECurrentRegulationTolerance) : 0.0f,
        .ripple_a = iso2_pv_get(&c->EVSEPeakCurrentRipple),
    };
    return sess_pev_take_limits(p, &l, finished);
}

/* Keep the charger's limits and the first schedule; no schedule while the charger is still Ongoing. */
int iso2_pev_on_charge_parameter(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso2_ChargeParameterDiscoveryResType *r = &res_body(p)->ChargeParameterDiscoveryRes;
    struct iso2_BodyType *b = res_body(p);
    int h = iso2_pev_gate(p, r->ResponseCode, iso2_dc_status_of(b), iso2_ac_status_of(b));
    if (h == SESS_H_FAIL) return h;
    int want = p->cfg.ac ? iso2_ChargeParameterDiscoveryResType_AC_EVSEChargeParameter
                         : iso2_ChargeParameterDiscoveryResType_DC_EVSEChargeParameter;
    int finished = r->EVSEProcessing == iso2_EVSEProcessingType_Finished;
    const struct iso2_SAScheduleListType *l = &r->SAScheduleList;
    int listed = r->SASchedules_choice == iso2_ChargeParameterDiscoveryResType_SAScheduleList &&
                 l->SAScheduleTuple.count > 0 && l->SAScheduleTuple.array[0].PMaxSchedule.PMaxScheduleEntry.count > 0;
    if (r->EVSEChargeParameter_choice != want || (finished && !listed)) {
        sess_pev_safe(p, SESS_STOP_FAILED);
        return SESS_H_FAIL;
    }
    if (take_limits(p, r, finished) == SESS_H_FAIL) return SESS_H_FAIL;
    if (!finished) return SESS_H_STAY;
    p->sa_tuple_id = l->SAScheduleTuple.array[0].SAScheduleTupleID;
    p->pmax_w = iso2_pv_get(&l->SAScheduleTuple.array[0].PMaxSchedule.PMaxScheduleEntry.array[0].PMax);
    return SESS_H_NEXT;
}

static void power_delivery(sess_pev *p, enum iso2_chargeProgressType progress)
{
    struct iso2_PowerDeliveryReqType *q = &req_body(p)->PowerDeliveryReq;
    q->ChargeProgress = progress;
    q->SAScheduleTupleID = p->sa_tuple_id;
    if (p->cfg.ac) return;   /* AC: no EVPowerDeliveryParameter */
    q->EVPowerDeliveryParameter_choice = iso2_PowerDeliveryReqType_DC_EVPowerDeliveryParameter;
    struct iso2_DC_EVPowerDeliveryParameterType *d = &q->DC_EVPowerDeliveryParameter;
    iso2_pev_ev_status(p, &d->DC_EVStatus);
    d->has_BulkChargingComplete = true;
    d->BulkChargingComplete = p->in.soc >= p->cfg.bulk_soc;
    d->ChargingComplete = progress == iso2_chargeProgressType_Stop && p->in.charge_complete;
}

/* Start with one ChargingProfile entry: from now on, at most the schedule's PMax and our own maximum. AC: CP
 * state C and the on-board charger connected before the charger switches on. */
int iso2_pev_build_power_start(sess_pev *p, uint32_t now)
{
    (void)now;
    power_delivery(p, iso2_chargeProgressType_Start);
    struct iso2_PowerDeliveryReqType *q = &req_body(p)->PowerDeliveryReq;
    struct iso2_ProfileEntryType *e = &q->ChargingProfile.ProfileEntry.array[0];
    q->has_ChargingProfile = true;
    q->ChargingProfile.ProfileEntry.count = 1;
    e->ChargingProfileEntryStart = 0;
    iso2_pv_set(&e->ChargingProfileEntryMaxPower, p->pmax_w < max_power(p) ? p->pmax_w : max_power(p),
                iso2_unitSymbolType_W);
    if (p->cfg.ac) {
        e->has_ChargingProfileEntryMaxNumberOfPhasesInUse = true;
        e->ChargingProfileEntryMaxNumberOfPhasesInUse = p->cfg.ac_phases;
        p->out.cp_state_c = p->out.contactors_closed = 1;
    }
    return SESS_H_NEXT;
}

int iso2_pev_build_power_stop(sess_pev *p, uint32_t now)
{
    (void)now;
    power_delivery(p, iso2_chargeProgressType_Stop);
    return SESS_H_NEXT;
}

static int power_delivery_code(sess_pev *p, int gate)
{
    struct iso2_BodyType *b = res_body(p);
    int code = b->PowerDeliveryRes.ResponseCode;
    return gate ? iso2_pev_gate(p, code, iso2_dc_status_of(b), iso2_ac_status_of(b))
                : iso2_pev_check(p, code, NULL, NULL);
}

int iso2_pev_on_power_start(sess_pev *p, uint32_t now)
{
    (void)now;
    return power_delivery_code(p, 1);
}

/* Charging is over: no more current asked; the contactors open once the current has fallen. */
int iso2_pev_on_power_stop(sess_pev *p, uint32_t now)
{
    (void)now;
    sess_pev_power_off(p);
    return power_delivery_code(p, 0) == SESS_H_FAIL ? SESS_H_FAIL : SESS_H_NEXT;
}

/* How a charging loop (CurrentDemand, ChargingStatus) goes on after the check of its response (h) and of the
 * charger's values (fault): STAY, or NEXT to PowerDelivery(stop) when full, stopped by the user (stop or pause), by
 * the charger or by a fault, or to a MeteringReceipt first when the charger asked for one. AC: the on-board charger
 * stops drawing at once. */
int iso2_pev_loop_end(sess_pev *p, int h, uint8_t receipt_required, sess_stop_reason fault)
{
    if (h == SESS_H_FAIL) return h;
    if (sess_pev_loop_fault(p, fault)) {   /* no receipt: the charger's values failed the car's check */
        p->receipt_due = 0;
        return SESS_H_NEXT;
    }
    int stopping = sess_pev_loop_stopping(p, h);
    p->receipt_due = receipt_required;
    if (stopping && p->cfg.ac) p->out.stop_requested = 1;
    return stopping || receipt_required ? SESS_H_NEXT : SESS_H_STAY;
}

/* The meter reading the charger last reported, signed by nobody (EIM). */
int iso2_pev_build_metering(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso2_MeteringReceiptReqType *q = &req_body(p)->MeteringReceiptReq;
    const struct iso2_BodyType *r = res_body(p);
    memcpy(q->SessionID.bytes, p->session_id, p->session_id_len);
    q->SessionID.len = p->session_id_len;
    q->has_SAScheduleTupleID = true;
    q->SAScheduleTupleID = p->sa_tuple_id;
    q->MeterInfo = r->BodyElement_choice == iso2_BodyType_CurrentDemandRes ? r->CurrentDemandRes.MeterInfo
                                                                           : r->ChargingStatusRes.MeterInfo;
    p->receipt_due = 0;
    return SESS_H_NEXT;
}

int iso2_pev_on_metering(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso2_BodyType *b = res_body(p);
    int h = iso2_pev_check(p, b->MeteringReceiptRes.ResponseCode, iso2_dc_status_of(b), iso2_ac_status_of(b));
    return h == SESS_H_FAIL ? h : SESS_H_NEXT;
}
