/* ISO 15118-2's DC mapper (sess_model.h): ChargeParameterDiscovery's mode (DC or AC) and schedule, PowerDelivery's
 * schedule and ChargingProfile checks, the loop's meter and receipt here; the messages it shares with DIN 70121 in
 * pv_dc_map.h. */
#include "iso2_internal.h"

#define PV(x) iso2_##x
#include "pv_dc_map.h"

/* The power our schedule allows: the DC stage's limit, or AC nominal voltage x current x phases. */
static float pmax_w(const sess_evse *s, int phases)
{
    return s->ac ? s->cfg.ac_nominal_v * s->cfg.ac_max_a * (float)phases : s->cfg.max_w;
}

/* The mode must be one we offered and come with its own kind of parameters. */
static int mode_ok(const sess_evse *s, const struct iso2_ChargeParameterDiscoveryReqType *q, sess_dc *m)
{
    enum iso2_EnergyTransferModeType mode = q->RequestedEnergyTransferMode;
    m->ac = mode == iso2_EnergyTransferModeType_AC_single_phase_core || mode == iso2_EnergyTransferModeType_AC_three_phase_core;
    if (m->ac ? !s->cfg.offer_ac : (!s->cfg.offer_dc || mode != iso2_EnergyTransferModeType_DC_extended))
        return SESS_RC_WRONG_ENERGY_TRANSFER_MODE;
    int want = m->ac ? iso2_ChargeParameterDiscoveryReqType_AC_EVChargeParameter
                     : iso2_ChargeParameterDiscoveryReqType_DC_EVChargeParameter;
    return q->EVChargeParameter_choice == want ? SESS_RC_OK : SESS_RC_WRONG_CHARGE_PARAMETER;
}

/* The schedule must be ours and the car's ChargingProfile within its PMax. */
static int profile_ok(const sess_evse *s, const struct iso2_PowerDeliveryReqType *q)
{
    if (q->SAScheduleTupleID != ISO2_SA_TUPLE_ID) return SESS_RC_TARIFF_SELECTION_INVALID;
    if (!q->has_ChargingProfile) return SESS_RC_OK;
    float limit = pmax_w(s, 3) * 1.001f;   /* the largest PMax we send, as rounded to its PhysicalValue */
    for (uint16_t i = 0; i < q->ChargingProfile.ProfileEntry.count; i++)
        if (iso2_pv_get(&q->ChargingProfile.ProfileEntry.array[i].ChargingProfileEntryMaxPower) > limit)
            return SESS_RC_CHARGING_PROFILE_INVALID;
    return SESS_RC_OK;
}

void iso2_evse_dc_in(sess_evse *s, sess_dc *m)
{
    const struct iso2_BodyType *b = ISO2_BODY(&s->docs->rx);
    const struct iso2_ChargeParameterDiscoveryReqType *q = &b->ChargeParameterDiscoveryReq;
    m->wait_state = ISO2_EVSE_CHARGE_PARAMETER;
    pv_evse_in(b, m);
    if (b->BodyElement_choice == iso2_BodyType_PowerDeliveryReq &&
        b->PowerDeliveryReq.ChargeProgress == iso2_chargeProgressType_Start)
        m->code = (uint8_t)profile_ok(s, &b->PowerDeliveryReq);
    if (b->BodyElement_choice != iso2_BodyType_ChargeParameterDiscoveryReq) return;
    m->code = (uint8_t)mode_ok(s, q, m);
    if (m->code != SESS_RC_OK) return;
    if (m->ac) {
        m->max_a = iso2_pv_get(&q->AC_EVChargeParameter.EVMaxCurrent);
    } else {
        m->soc = q->DC_EVChargeParameter.DC_EVStatus.EVRESSSOC;
        m->max_v = iso2_pv_get(&q->DC_EVChargeParameter.EVMaximumVoltageLimit);
    }
}

/* One SAScheduleTuple with one PMaxSchedule entry of our maximum power for 24 h. */
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

/* ChargeParameterDiscoveryRes: our parameters of the car's mode, and the schedule once Finished. */
static void charge_parameter(const sess_evse *s, struct iso2_ChargeParameterDiscoveryResType *r, const sess_dc *m)
{
    const struct iso2_ChargeParameterDiscoveryReqType *q = &ISO2_BODY(&s->docs->rx)->ChargeParameterDiscoveryReq;
    r->EVSEChargeParameter_choice = m->ac ? iso2_ChargeParameterDiscoveryResType_AC_EVSEChargeParameter
                                          : iso2_ChargeParameterDiscoveryResType_DC_EVSEChargeParameter;
    if (m->code == SESS_RC_WRONG_ENERGY_TRANSFER_MODE || m->code == SESS_RC_WRONG_CHARGE_PARAMETER) return;
    if (m->ac) {
        iso2_pv_set(&r->AC_EVSEChargeParameter.EVSENominalVoltage, s->cfg.ac_nominal_v, iso2_unitSymbolType_V);
        iso2_pv_set(&r->AC_EVSEChargeParameter.EVSEMaxCurrent, s->cfg.ac_max_a, iso2_unitSymbolType_A);
    } else {
        pv_evse_limits(s, &r->DC_EVSEChargeParameter);
    }
    if (m->code != SESS_RC_OK || m->ongoing) return;   /* no schedule yet */
    r->SASchedules_choice = iso2_ChargeParameterDiscoveryResType_SAScheduleList;
    schedule(s, &r->SAScheduleList,
             q->RequestedEnergyTransferMode == iso2_EnergyTransferModeType_AC_three_phase_core ? 3 : 1);
}

void iso2_evse_dc_out(sess_evse *s, const sess_dc *m)
{
    struct iso2_BodyType *b = ISO2_BODY(&s->docs->tx);
    struct iso2_CurrentDemandResType *r = &b->CurrentDemandRes;
    if (b->BodyElement_choice == iso2_BodyType_ChargeParameterDiscoveryRes)
        charge_parameter(s, &b->ChargeParameterDiscoveryRes, m);
    iso2_evse_status(s, b);
    pv_evse_out(s, b, m);
    if (b->BodyElement_choice == iso2_BodyType_CurrentDemandRes) {
        iso2_evse_id(s, b);
        r->has_MeterInfo = r->has_ReceiptRequired = true;
        iso2_evse_meter(s, &r->MeterInfo);
        r->ReceiptRequired = m->receipt;
    }
    if (m->receipt) s->receipt_meter_wh = s->in.meter_wh;
    if (b->BodyElement_choice == iso2_BodyType_ChargingStatusRes) {   /* AC: our current limit, the meter */
        struct iso2_ChargingStatusResType *c = &b->ChargingStatusRes;
        iso2_evse_id(s, b);
        c->has_EVSEMaxCurrent = c->has_MeterInfo = c->has_ReceiptRequired = true;
        iso2_evse_meter(s, &c->MeterInfo);
        c->ReceiptRequired = m->receipt;
        iso2_pv_set(&c->EVSEMaxCurrent, s->out.target_a, iso2_unitSymbolType_A);
    }
    if (m->code != SESS_RC_OK) iso2_set_code(&s->docs->tx, m->code);
}

/* AC: what the on-board charger can take from the grid (at the charger's nominal voltage once known). */
static float ac_power(const sess_pev *p)
{
    return (p->evse_max_v > 0.0f ? p->evse_max_v : 230.0f) * p->cfg.ac_max_a * (float)p->cfg.ac_phases;
}
static float max_power(const sess_pev *p) { return p->cfg.ac ? ac_power(p) : p->cfg.max_w; }

/* Seconds to deliver what the battery still needs at our maximum power: DepartureTime. */
static uint32_t time_to_full_s(const sess_pev *p) { return (uint32_t)(p->in.energy_request_wh * 3600.0f / max_power(p)); }

/* ChargeParameterDiscoveryReq: the mode (AC with its parameters, or DC: pv_pev_out fills them). */
static void pev_charge_parameter(const sess_pev *p, struct iso2_ChargeParameterDiscoveryReqType *q)
{
    q->has_MaxEntriesSAScheduleTuple = true;
    q->MaxEntriesSAScheduleTuple = 3;   /* the schema's maximum of SAScheduleTuples */
    if (!p->cfg.ac) {
        q->RequestedEnergyTransferMode = iso2_EnergyTransferModeType_DC_extended;
        q->EVChargeParameter_choice = iso2_ChargeParameterDiscoveryReqType_DC_EVChargeParameter;
        q->DC_EVChargeParameter.has_DepartureTime = true;
        q->DC_EVChargeParameter.DepartureTime = time_to_full_s(p);
        return;
    }
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
}

/* PowerDeliveryReq: the schedule chosen; Start with one ChargingProfile entry: from now on, at most the schedule's
 * PMax and our own maximum (AC: with our phases). */
static void pev_power_delivery(const sess_pev *p, struct iso2_PowerDeliveryReqType *q, int stop)
{
    q->ChargeProgress = stop ? iso2_chargeProgressType_Stop : iso2_chargeProgressType_Start;
    q->SAScheduleTupleID = p->sa_tuple_id;
    if (!p->cfg.ac) q->EVPowerDeliveryParameter_choice = iso2_PowerDeliveryReqType_DC_EVPowerDeliveryParameter;
    if (stop) return;
    struct iso2_ProfileEntryType *e = &q->ChargingProfile.ProfileEntry.array[0];
    q->has_ChargingProfile = true;
    q->ChargingProfile.ProfileEntry.count = 1;
    e->ChargingProfileEntryStart = 0;
    iso2_pv_set(&e->ChargingProfileEntryMaxPower, p->pmax_w < max_power(p) ? p->pmax_w : max_power(p),
                iso2_unitSymbolType_W);
    e->has_ChargingProfileEntryMaxNumberOfPhasesInUse = p->cfg.ac;
    if (p->cfg.ac) e->ChargingProfileEntryMaxNumberOfPhasesInUse = p->cfg.ac_phases;
}

void iso2_pev_dc_out(sess_pev *p, const sess_dc *m)
{
    struct iso2_BodyType *b = ISO2_BODY(&p->docs->tx);
    if (b->BodyElement_choice == iso2_BodyType_ChargeParameterDiscoveryReq)
        pev_charge_parameter(p, &b->ChargeParameterDiscoveryReq);
    if (b->BodyElement_choice == iso2_BodyType_PowerDeliveryReq) pev_power_delivery(p, &b->PowerDeliveryReq, m->stop);
    if (b->BodyElement_choice == iso2_BodyType_CurrentDemandReq) {
        b->CurrentDemandReq.has_RemainingTimeToFullSoC = true;
        iso2_pv_set(&b->CurrentDemandReq.RemainingTimeToFullSoC, p->in.energy_request_wh * 3600.0f / p->cfg.max_w,
                    iso2_unitSymbolType_s);
    }
    pv_pev_out(p, b, m);
}

/* A response's code and status (DC, or AC: a stop notice or a tripped RCD). */
static void pev_answer(int code, const struct iso2_DC_EVSEStatusType *dc, const struct iso2_AC_EVSEStatusType *ac,
                       sess_dc *m)
{
    pv_pev_answer(code, dc, m);
    if (!ac) return;
    m->has_status = 1;
    m->status.stop_notice |= ac->EVSENotification == iso2_EVSENotificationType_StopCharging;
    m->status.rcd = ac->RCD;
}

/* ChargeParameterDiscoveryRes: parameters of our mode, a schedule once Finished (the first one is kept); AC: the
 * charger's nominal voltage (kept as evse_max_v) against our on-board charger's maximum. */
static void pev_charge_parameter_res(const sess_pev *p, const struct iso2_ChargeParameterDiscoveryResType *r, sess_dc *m)
{
    const struct iso2_SAScheduleListType *l = &r->SAScheduleList;
    int want = p->cfg.ac ? iso2_ChargeParameterDiscoveryResType_AC_EVSEChargeParameter
                         : iso2_ChargeParameterDiscoveryResType_DC_EVSEChargeParameter;
    m->has_schedule = r->SASchedules_choice == iso2_ChargeParameterDiscoveryResType_SAScheduleList &&
                      l->SAScheduleTuple.count > 0 && l->SAScheduleTuple.array[0].PMaxSchedule.PMaxScheduleEntry.count > 0;
    m->right_kind = r->EVSEChargeParameter_choice == want && (m->ongoing || m->has_schedule);
    if (m->has_schedule) {
        m->tuple_id = l->SAScheduleTuple.array[0].SAScheduleTupleID;
        m->pmax_w = iso2_pv_get(&l->SAScheduleTuple.array[0].PMaxSchedule.PMaxScheduleEntry.array[0].PMax);
    }
    if (!p->cfg.ac) return;
    m->ac = 1;
    m->limits = (sess_evse_limits){ .max_v = iso2_pv_get(&r->AC_EVSEChargeParameter.EVSENominalVoltage),
                                    .max_a = iso2_pv_get(&r->AC_EVSEChargeParameter.EVSEMaxCurrent) };
    m->incompatible = m->limits.max_v > p->cfg.ac_max_v;
}

void iso2_pev_dc_in(sess_pev *p, sess_dc *m)
{
    struct iso2_BodyType *b = ISO2_BODY(&p->docs->rx);
    pev_answer(iso2_get_code(&p->docs->rx), iso2_dc_status_of(b), iso2_ac_status_of(b), m);
    pv_pev_in(b, m);
    if (b->BodyElement_choice == iso2_BodyType_ChargeParameterDiscoveryRes)
        pev_charge_parameter_res(p, &b->ChargeParameterDiscoveryRes, m);
    if (b->BodyElement_choice == iso2_BodyType_CurrentDemandRes)
        m->receipt = b->CurrentDemandRes.has_ReceiptRequired && b->CurrentDemandRes.ReceiptRequired;
    if (b->BodyElement_choice == iso2_BodyType_ChargingStatusRes) {   /* AC: the charger's current limit */
        const struct iso2_ChargingStatusResType *c = &b->ChargingStatusRes;
        m->has_limit = c->has_EVSEMaxCurrent;
        m->limits.max_a = iso2_pv_get(&c->EVSEMaxCurrent);
        m->receipt = c->has_ReceiptRequired && c->ReceiptRequired;
    }
}

int iso2_pev_check(sess_pev *p, int code, const struct iso2_DC_EVSEStatusType *dc,
                   const struct iso2_AC_EVSEStatusType *ac)
{
    sess_dc m = { .soc = -1 };
    pev_answer(code, dc, ac, &m);
    return sess_pev_dc_check(p, &m, 1);
}
