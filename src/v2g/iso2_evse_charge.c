/* ISO 15118-2 charger handlers around the energy transfer, DC and AC: ChargeParameterDiscovery (mode, limits,
 * one SAScheduleTuple with a PMaxSchedule), PowerDelivery start/stop (schedule and ChargingProfile checked),
 * MeteringReceipt, and the MeterInfo the loop responses carry. */
#include <string.h>

#include "iso2_internal.h"

static struct iso2_BodyType *req_body(sess_evse *s) { return ISO2_BODY(&s->docs->rx); }
static struct iso2_BodyType *res_body(sess_evse *s) { return ISO2_BODY(&s->docs->tx); }

/* The power our schedule allows: the DC stage's limit, or AC nominal voltage x current x phases. */
static float pmax_w(const sess_evse *s, int phases)
{
    return s->ac ? s->cfg.ac_nominal_v * s->cfg.ac_max_a * (float)phases : s->cfg.max_w;
}

static void schedule(const sess_evse *s, struct iso2_SAScheduleListType *l, int phases)
{
    struct iso2_SAScheduleTupleType *t = &l->SAScheduleTuple.array[0];
    l->SAScheduleTuple.count = 1;
    t->SAScheduleTupleID = ISO2_SA_TUPLE_ID;
    struct iso2_PMaxScheduleEntryType *e = &t->PMaxSchedule.PMaxScheduleEntry.array[0];
    t->PMaxSchedule.PMaxScheduleEntry.count = 1;
    e->TimeInterval_choice = iso2_PMaxScheduleEntryType_RelativeTimeInterval;
    e->RelativeTimeInterval.start = 0;
    e->RelativeTimeInterval.has_duration = true;
    e->RelativeTimeInterval.duration = ISO2_SCHEDULE_S;
    iso2_pv_set(&e->PMax, pmax_w(s, phases), iso2_unitSymbolType_W);
}

/* All optional limits filled: some cars stop when one is missing. */
static void dc_limits(const sess_evse *s, struct iso2_DC_EVSEChargeParameterType *c)
{
    iso2_pv_set(&c->EVSEMaximumCurrentLimit, s->cfg.max_a, iso2_unitSymbolType_A);
    iso2_pv_set(&c->EVSEMaximumPowerLimit, s->cfg.max_w, iso2_unitSymbolType_W);
    iso2_pv_set(&c->EVSEMaximumVoltageLimit, s->cfg.max_v, iso2_unitSymbolType_V);
    iso2_pv_set(&c->EVSEMinimumCurrentLimit, s->cfg.min_a, iso2_unitSymbolType_A);
    iso2_pv_set(&c->EVSEMinimumVoltageLimit, s->cfg.min_v, iso2_unitSymbolType_V);
    c->has_EVSECurrentRegulationTolerance = c->has_EVSEEnergyToBeDelivered = true;
    iso2_pv_set(&c->EVSECurrentRegulationTolerance, s->cfg.current_tolerance_a, iso2_unitSymbolType_A);
    iso2_pv_set(&c->EVSEPeakCurrentRipple, s->cfg.peak_ripple_a, iso2_unitSymbolType_A);
    iso2_pv_set(&c->EVSEEnergyToBeDelivered, 0.0f, iso2_unitSymbolType_Wh);
}

/* The mode must be one we offered and come with its own kind of parameters. */
static int mode_ok(const sess_evse *s, const struct iso2_ChargeParameterDiscoveryReqType *q, int *ac)
{
    enum iso2_EnergyTransferModeType m = q->RequestedEnergyTransferMode;
    *ac = m == iso2_EnergyTransferModeType_AC_single_phase_core || m == iso2_EnergyTransferModeType_AC_three_phase_core;
    if (*ac ? !s->cfg.offer_ac : (!s->cfg.offer_dc || m != iso2_EnergyTransferModeType_DC_extended))
        return iso2_responseCodeType_FAILED_WrongEnergyTransferMode;
    int want = *ac ? iso2_ChargeParameterDiscoveryReqType_AC_EVChargeParameter
                   : iso2_ChargeParameterDiscoveryReqType_DC_EVChargeParameter;
    return q->EVChargeParameter_choice == want ? iso2_responseCodeType_OK : iso2_responseCodeType_FAILED_WrongChargeParameter;
}

int iso2_evse_charge_parameter(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct iso2_ChargeParameterDiscoveryReqType *q = &req_body(s)->ChargeParameterDiscoveryReq;
    struct iso2_ChargeParameterDiscoveryResType *r = &res_body(s)->ChargeParameterDiscoveryRes;
    int ac;
    r->ResponseCode = (enum iso2_responseCodeType)mode_ok(s, q, &ac);
    s->ac = (uint8_t)ac;
    r->EVSEChargeParameter_choice = ac ? iso2_ChargeParameterDiscoveryResType_AC_EVSEChargeParameter
                                       : iso2_ChargeParameterDiscoveryResType_DC_EVSEChargeParameter;
    if (r->ResponseCode != iso2_responseCodeType_OK) return SESS_H_FAIL;
    int phases = q->RequestedEnergyTransferMode == iso2_EnergyTransferModeType_AC_three_phase_core ? 3 : 1;
    if (ac) {
        s->ev_max_a = iso2_pv_get(&q->AC_EVChargeParameter.EVMaxCurrent);
        iso2_pv_set(&r->AC_EVSEChargeParameter.EVSENominalVoltage, s->cfg.ac_nominal_v, iso2_unitSymbolType_V);
        iso2_pv_set(&r->AC_EVSEChargeParameter.EVSEMaxCurrent, s->cfg.ac_max_a, iso2_unitSymbolType_A);
    } else {
        s->ev_soc = q->DC_EVChargeParameter.DC_EVStatus.EVRESSSOC;
        sess_evse_dc_ev_max(s, iso2_pv_get(&q->DC_EVChargeParameter.EVMaximumVoltageLimit));
        dc_limits(s, &r->DC_EVSEChargeParameter);
    }
    int h = iso2_evse_check_status(s, res_body(s));
    if (h != SESS_H_NEXT) return h;
    if (sess_evse_ongoing(s, ISO2_EVSE_CHARGE_PARAMETER, s->cfg.cpd_ongoing)) {
        r->EVSEProcessing = iso2_EVSEProcessingType_Ongoing;   /* no schedule yet */
        return SESS_H_STAY;
    }
    r->EVSEProcessing = iso2_EVSEProcessingType_Finished;
    r->SASchedules_choice = iso2_ChargeParameterDiscoveryResType_SAScheduleList;
    schedule(s, &r->SAScheduleList, phases);
    return SESS_H_NEXT;
}

/* The schedule must be ours and the car's ChargingProfile within its PMax. */
static int profile_ok(const sess_evse *s, const struct iso2_PowerDeliveryReqType *q)
{
    if (q->SAScheduleTupleID != ISO2_SA_TUPLE_ID) return iso2_responseCodeType_FAILED_TariffSelectionInvalid;
    if (!q->has_ChargingProfile) return iso2_responseCodeType_OK;
    float limit = pmax_w(s, 3) * 1.001f;   /* the largest PMax we send, as rounded to its PhysicalValue */
    for (uint16_t i = 0; i < q->ChargingProfile.ProfileEntry.count; i++)
        if (iso2_pv_get(&q->ChargingProfile.ProfileEntry.array[i].ChargingProfileEntryMaxPower) > limit)
            return iso2_responseCodeType_FAILED_ChargingProfileInvalid;
    return iso2_responseCodeType_OK;
}

/* Start: DC closes and enables the output (the current follows CurrentDemand); AC switches the supply on with
 * our current limit and the car's. Stop: everything off. */
static int power_delivery(sess_evse *s, int on, uint32_t now)
{
    const struct iso2_PowerDeliveryReqType *q = &req_body(s)->PowerDeliveryReq;
    struct iso2_PowerDeliveryResType *r = &res_body(s)->PowerDeliveryRes;
    if (q->EVPowerDeliveryParameter_choice == iso2_PowerDeliveryReqType_DC_EVPowerDeliveryParameter)
        s->ev_soc = q->DC_EVPowerDeliveryParameter.DC_EVStatus.EVRESSSOC;
    s->out.output_on = s->out.contactors_closed = s->out.isolation_check = 0;
    s->out.target_a = 0.0f;
    if (on) {
        r->ResponseCode = (enum iso2_responseCodeType)profile_ok(s, q);
        if (r->ResponseCode != iso2_responseCodeType_OK) {
            iso2_evse_check_status(s, res_body(s));
            return SESS_H_FAIL;
        }
        s->out.output_on = s->out.contactors_closed = s->in.status == SESS_EVSE_OK;
        if (s->ac) {
            s->out.target_v = s->cfg.ac_nominal_v;
            s->out.target_a = s->ev_max_a > 0.0f && s->ev_max_a < s->cfg.ac_max_a ? s->ev_max_a : s->cfg.ac_max_a;
        }
        s->receipt_at_ms = now + s->cfg.receipt_interval_ms;
    }
    return iso2_evse_check_status(s, res_body(s));
}

int iso2_evse_power_start(sess_evse *s, uint32_t now) { return power_delivery(s, 1, now); }

/* Also accepted right after CableCheck or PreCharge (a car may end there without charging). */
int iso2_evse_power_stop(sess_evse *s, uint32_t now) { return power_delivery(s, 0, now); }

void iso2_evse_meter(const sess_evse *s, struct iso2_MeterInfoType *m)
{
    memcpy(m->MeterID.chars, s->cfg.evse_id, s->cfg.evse_id_len);
    m->MeterID.len = s->cfg.evse_id_len;
    m->has_MeterReading = true;
    m->MeterReading = s->in.meter_wh;
}

/* ReceiptRequired in this loop response: every cfg.receipt_interval_ms of charging. */
int iso2_evse_receipt(sess_evse *s, uint32_t now)
{
    return s->cfg.receipt_interval_ms && (int32_t)(now - s->receipt_at_ms) >= 0;
}

int iso2_evse_metering(sess_evse *s, uint32_t now)
{
    s->receipt_at_ms = now + s->cfg.receipt_interval_ms;
    return iso2_evse_check_status(s, res_body(s));
}
