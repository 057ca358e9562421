/* ISO 15118-20's DC mapper (sess_model.h): its DC messages (RationalNumber values, the Dynamic and Scheduled
 * control modes of the charge loop) and its PowerDelivery to and from the session model. */
#include <string.h>

#include "ccsplc/core/v2gtp.h"
#include "iso20_internal.h"

#define RN iso20_dc_rn_set
#define RG iso20_dc_rn_get

static struct sess_iso20_doc *doc_of(sess_docs *d, int rx) { return rx ? &d->rx.iso20 : &d->tx.iso20; }

/* The car's targets by control mode: Dynamic asks for at most its maximum current up to its maximum voltage (the
 * charger decides the rest); Scheduled gives a target current and voltage within optional maxima (BPT: read
 * through the DC types it extends, iso20_bpt_map.c). A control mode of another service: WrongChargeParameter. */
static void charge_loop_req(const sess_evse *s, const struct iso20_dc_DC_ChargeLoopReqType *q, sess_dc *m)
{
    int mode = iso20_bpt_loop_mode(q->CLReqControlMode_choice, s->bpt);
    const struct iso20_dc_Dynamic_DC_CLReqControlModeType *d = &q->Dynamic_DC_CLReqControlMode;
    const struct iso20_dc_Scheduled_DC_CLReqControlModeType *c = &q->Scheduled_DC_CLReqControlMode;
    if (q->has_DisplayParameters && q->DisplayParameters.has_PresentSOC) m->soc = q->DisplayParameters.PresentSOC;
    m->limits_said = 1;   /* the control modes make the maxima they need mandatory */
    if (mode == ISO20_CONTROL_DYNAMIC) {
        m->max_v = m->target_v = RG(&d->EVMaximumVoltage);
        m->max_a = m->target_a = RG(&d->EVMaximumChargeCurrent);
        m->has_max_v = m->has_max_a = 1;
    } else if (mode == ISO20_CONTROL_SCHEDULED) {
        m->target_v = RG(&c->EVTargetVoltage);
        m->target_a = RG(&c->EVTargetCurrent);
        m->has_max_v = c->has_EVMaximumVoltage;
        m->has_max_a = c->has_EVMaximumChargeCurrent;
        m->max_v = RG(&c->EVMaximumVoltage);
        m->max_a = RG(&c->EVMaximumChargeCurrent);
    } else {
        m->code = SESS_RC_WRONG_CHARGE_PARAMETER;
    }
    iso20_bpt_dc_loop_in(s, q, m);
}

void iso20_evse_dc_in(sess_evse *s, sess_dc *m)
{
    const struct sess_iso20_doc *d = doc_of(s->docs, 1);
    m->wait_state = ISO20_EVSE_NSTATES;   /* no Ongoing answers to DC_ChargeParameterDiscovery */
    if (d->payload_type != V2GTP_ISO20_DC) {
        const struct iso20_PowerDeliveryReqType *q = &d->common.PowerDeliveryReq;
        if (d->common.root != ISO20_ROOT_PowerDeliveryReq || q->ChargeProgress != iso20_chargeProgressType_Start) return;
        if (!s->bpt && q->has_BPT_ChannelSelection && q->BPT_ChannelSelection == iso20_channelSelectionType_Discharge)
            m->code = SESS_RC_POWER_DELIVERY_NOT_APPLIED;   /* discharging (BPT) was not offered */
        m->ev_ongoing = q->EVProcessing != iso20_processingType_Finished;
        return;
    }
    const struct iso20_dc_DC_CPDReqEnergyTransferModeType *c = &d->dc.DC_ChargeParameterDiscoveryReq.DC_CPDReqEnergyTransferMode;
    switch (d->dc.root) {
    case ISO20_DC_ROOT_DC_ChargeParameterDiscoveryReq:
        if (!iso20_bpt_dc_cpd_in(s, &d->dc.DC_ChargeParameterDiscoveryReq, m)) {
            m->code = SESS_RC_WRONG_CHARGE_PARAMETER;   /* the parameters of another service (DC, DC_BPT) */
            break;
        }
        if (c->has_TargetSOC) m->soc = c->TargetSOC;
        m->max_v = RG(&c->EVMaximumVoltage);
        break;
    case ISO20_DC_ROOT_DC_PreChargeReq:
        m->target_v = RG(&d->dc.DC_PreChargeReq.EVTargetVoltage);
        m->target_a = s->cfg.precharge_max_a;   /* ISO-20 PreCharge has no current: the charger limits it */
        break;
    case ISO20_DC_ROOT_DC_ChargeLoopReq:
        charge_loop_req(s, &d->dc.DC_ChargeLoopReq, m);
        break;
    default:
        break;
    }
}

static void meter(const sess_evse *s, struct iso20_dc_MeterInfoType *m)
{
    memcpy(m->MeterID.chars, s->cfg.evse_id, s->cfg.evse_id_len);
    m->MeterID.len = s->cfg.evse_id_len;
    m->ChargedEnergyReadingWh = s->in.meter_wh;
}

/* DC_ChargeLoopRes in the request's control mode (Scheduled unless Dynamic): our present values, maxima, meter
 * (asked for or to be confirmed); our notification (a stop request of ours as Terminate). */
static void charge_loop_res(const sess_evse *s, struct iso20_dc_DC_ChargeLoopResType *r, const sess_dc *m)
{
    const struct iso20_dc_DC_ChargeLoopReqType *q = &doc_of(s->docs, 1)->dc.DC_ChargeLoopReq;
    RN(&r->EVSEPresentVoltage, s->in.present_v);
    RN(&r->EVSEPresentCurrent, s->in.present_a);
    r->has_MeterInfo = q->MeterInfoRequested || m->receipt;   /* asked, or to be confirmed */
    meter(s, &r->MeterInfo);
    if (iso20_bpt_loop_mode(q->CLReqControlMode_choice, s->bpt) == ISO20_CONTROL_DYNAMIC) {
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
    /* a stop request, Pause, ScheduleRenegotiation, ExitStandby, MeteringConfirmation */
    ISO20_EVSE_STATUS(r, s, iso20_evse_loop_notice(s, m->receipt));
    r->EVSECurrentLimitAchieved = m->hit.current;
    r->EVSEVoltageLimitAchieved = m->hit.voltage;
    r->EVSEPowerLimitAchieved = m->hit.power;
    iso20_bpt_dc_loop_out(s, r);
}

void iso20_evse_dc_out(sess_evse *s, const sess_dc *m)
{
    struct sess_iso20_doc *d = doc_of(s->docs, 0);
    struct iso20_dc_DC_CPDResEnergyTransferModeType *c = &d->dc.DC_ChargeParameterDiscoveryRes.DC_CPDResEnergyTransferMode;
    if (d->payload_type != V2GTP_ISO20_DC) {   /* PowerDeliveryRes: a stop request of ours as Terminate */
        int terminate = !m->ev_ongoing && iso20_evse_notice(s) == iso20_evseNotificationType_Terminate;
        ISO20_EVSE_STATUS(&d->common.PowerDeliveryRes, s, terminate ? iso20_evseNotificationType_Terminate : -1);
    }
    switch (d->payload_type == V2GTP_ISO20_DC ? d->dc.root : -1) {
    case ISO20_DC_ROOT_DC_ChargeParameterDiscoveryRes:
        iso20_evse_safe_fields(s, d);   /* the DC (not BPT) parameters */
        RN(&c->EVSEMaximumChargePower, s->cfg.max_w);
        RN(&c->EVSEMinimumChargePower, 0.0f);
        RN(&c->EVSEMaximumChargeCurrent, s->cfg.max_a);
        RN(&c->EVSEMinimumChargeCurrent, s->cfg.min_a);
        RN(&c->EVSEMaximumVoltage, s->cfg.max_v);
        RN(&c->EVSEMinimumVoltage, s->cfg.min_v);
        iso20_bpt_dc_cpd_out(s, &d->dc.DC_ChargeParameterDiscoveryRes);
        break;
    case ISO20_DC_ROOT_DC_CableCheckRes:
        d->dc.DC_CableCheckRes.EVSEProcessing = m->ongoing ? iso20_dc_processingType_Ongoing : iso20_dc_processingType_Finished;
        break;
    case ISO20_DC_ROOT_DC_PreChargeRes:
        RN(&d->dc.DC_PreChargeRes.EVSEPresentVoltage, s->in.present_v);
        break;
    case ISO20_DC_ROOT_DC_ChargeLoopRes:
        charge_loop_res(s, &d->dc.DC_ChargeLoopRes, m);
        break;
    case ISO20_DC_ROOT_DC_WeldingDetectionRes:
        RN(&d->dc.DC_WeldingDetectionRes.EVSEPresentVoltage, s->in.present_v);
        break;
    default:
        break;
    }
    if (m->code != SESS_RC_OK) iso20_set_code(d, m->code);
}

/* PowerDeliveryReq: Start with one profile entry from now on, at most our maximum power and the schedule's. */
static void power_delivery_req(const sess_pev *p, struct iso20_PowerDeliveryReqType *q, const sess_dc *m)
{
    q->EVProcessing = iso20_processingType_Finished;
    q->ChargeProgress = m->stop ? iso20_chargeProgressType_Stop : iso20_chargeProgressType_Start;
    if (m->stop) return;
    iso20_bpt_power_delivery(p, q);
    struct iso20_EVPowerProfileType *e = &q->EVPowerProfile;
    q->has_EVPowerProfile = true;
    e->TimeAnchor = p->cfg.clock_unix_s + m->now / 1000u;   /* Unix time, as the header's TimeStamp */
    if (p->dynamic) {
        e->choice = iso20_EVPowerProfileType_Dynamic_EVPPTControlMode;
    } else {
        e->choice = iso20_EVPowerProfileType_Scheduled_EVPPTControlMode;
        e->Scheduled_EVPPTControlMode.SelectedScheduleTupleID = p->sa_tuple_id;
    }
    struct iso20_PowerScheduleEntryType *x = &e->EVPowerProfileEntries.EVPowerProfileEntry.array[0];
    e->EVPowerProfileEntries.EVPowerProfileEntry.count = 1;
    x->Duration = iso20_pev_time_to_full_s(p);
    float max_w = iso20_pev_max_w(p);
    iso20_rn_set(&x->Power, p->pmax_w > 0.0f && p->pmax_w < max_w ? p->pmax_w : max_w);
}

/* DC_ChargeLoopReq. Dynamic: the current asked for as our maximum (the charger regulates within it), the energy
 * still wanted (none when stopping); Scheduled: that current as the target, at most the schedule's power. */
static void charge_loop_req_out(const sess_pev *p, struct iso20_dc_DC_ChargeLoopReqType *q, const sess_dc *m)
{
    ISO20_DISPLAY(q, p);
    q->MeterInfoRequested = false;
    RN(&q->EVPresentVoltage, p->in.battery_v);
    if (p->dynamic) {
        struct iso20_dc_Dynamic_DC_CLReqControlModeType *d = &q->Dynamic_DC_CLReqControlMode;
        q->CLReqControlMode_choice = iso20_dc_DC_ChargeLoopReqType_Dynamic_DC_CLReqControlMode;
        RN(&d->EVTargetEnergyRequest, m->stop ? 0.0f : p->in.energy_request_wh);
        RN(&d->EVMaximumEnergyRequest, m->stop ? 0.0f : p->in.energy_request_wh);
        RN(&d->EVMinimumEnergyRequest, 0.0f);
        RN(&d->EVMaximumChargePower, p->cfg.max_w);
        RN(&d->EVMinimumChargePower, 0.0f);
        RN(&d->EVMaximumChargeCurrent, m->target_a);
        RN(&d->EVMaximumVoltage, p->cfg.max_v);
        RN(&d->EVMinimumVoltage, 0.0f);
        return;
    }
    struct iso20_dc_Scheduled_DC_CLReqControlModeType *c = &q->Scheduled_DC_CLReqControlMode;
    q->CLReqControlMode_choice = iso20_dc_DC_ChargeLoopReqType_Scheduled_DC_CLReqControlMode;
    float a = m->target_a;   /* within the schedule's power at the battery's voltage */
    if (p->pmax_w > 0.0f && p->in.battery_v > 0.0f && a * p->in.battery_v > p->pmax_w) a = p->pmax_w / p->in.battery_v;
    RN(&c->EVTargetCurrent, a);
    RN(&c->EVTargetVoltage, m->target_v);
    c->has_EVMaximumChargePower = c->has_EVMaximumChargeCurrent = c->has_EVMaximumVoltage = true;
    RN(&c->EVMaximumChargePower, p->cfg.max_w);
    RN(&c->EVMaximumChargeCurrent, p->cfg.max_a);
    RN(&c->EVMaximumVoltage, p->cfg.max_v);
}

void iso20_pev_dc_out(sess_pev *p, const sess_dc *m)
{
    struct sess_iso20_doc *d = doc_of(p->docs, 0);
    struct iso20_dc_DC_CPDReqEnergyTransferModeType *c = &d->dc.DC_ChargeParameterDiscoveryReq.DC_CPDReqEnergyTransferMode;
    if (d->payload_type != V2GTP_ISO20_DC) {
        power_delivery_req(p, &d->common.PowerDeliveryReq, m);
        return;
    }
    switch (d->dc.root) {
    case ISO20_DC_ROOT_DC_ChargeParameterDiscoveryReq:
        d->dc.DC_ChargeParameterDiscoveryReq.DC_CPDReqEnergyTransferMode_choice =
            iso20_dc_DC_ChargeParameterDiscoveryReqType_DC_CPDReqEnergyTransferMode;
        RN(&c->EVMaximumChargePower, p->cfg.max_w);
        RN(&c->EVMinimumChargePower, 0.0f);
        RN(&c->EVMaximumChargeCurrent, p->cfg.max_a);
        RN(&c->EVMinimumChargeCurrent, 0.0f);
        RN(&c->EVMaximumVoltage, p->cfg.max_v);
        RN(&c->EVMinimumVoltage, p->in.battery_v);
        c->has_TargetSOC = true;
        c->TargetSOC = p->cfg.full_soc;
        iso20_bpt_dc_cpd_req(p, &d->dc.DC_ChargeParameterDiscoveryReq);
        break;
    case ISO20_DC_ROOT_DC_PreChargeReq:
        d->dc.DC_PreChargeReq.EVProcessing = iso20_dc_processingType_Ongoing;
        RN(&d->dc.DC_PreChargeReq.EVPresentVoltage, p->in.battery_v);
        RN(&d->dc.DC_PreChargeReq.EVTargetVoltage, m->target_v);
        break;
    case ISO20_DC_ROOT_DC_ChargeLoopReq:
        charge_loop_req_out(p, &d->dc.DC_ChargeLoopReq, m);
        iso20_bpt_dc_loop_req(p, &d->dc.DC_ChargeLoopReq, m);
        break;
    case ISO20_DC_ROOT_DC_WeldingDetectionReq:
        d->dc.DC_WeldingDetectionReq.EVProcessing = iso20_dc_processingType_Finished;
        break;
    default:
        break;
    }
}

/* A stop request of the charger: Terminate in the EVSEStatus of PowerDeliveryRes or DC_ChargeLoopRes. */
static void terminate(sess_dc *m, bool has, int notification, int terminate_value)
{
    m->has_status = has;
    m->status.stop_notice = has && notification == terminate_value;
}

void iso20_pev_dc_in(sess_pev *p, sess_dc *m)
{
    const struct sess_iso20_doc *d = doc_of(p->docs, 1);
    const struct iso20_dc_DC_CPDResEnergyTransferModeType *c = &d->dc.DC_ChargeParameterDiscoveryRes.DC_CPDResEnergyTransferMode;
    const struct iso20_dc_DC_ChargeLoopResType *l = &d->dc.DC_ChargeLoopRes;
    m->code = (uint8_t)iso20_code_class(iso20_get_code(d));
    if (d->payload_type != V2GTP_ISO20_DC) {
        terminate(m, d->common.PowerDeliveryRes.has_EVSEStatus, d->common.PowerDeliveryRes.EVSEStatus.EVSENotification,
                  iso20_evseNotificationType_Terminate);
        return;
    }
    switch (d->dc.root) {
    case ISO20_DC_ROOT_DC_ChargeParameterDiscoveryRes:
        m->right_kind = (uint8_t)iso20_bpt_dc_cpd_res(p, &d->dc.DC_ChargeParameterDiscoveryRes, m);
        m->limits = (sess_evse_limits){
            .max_v = RG(&c->EVSEMaximumVoltage),
            .max_a = RG(&c->EVSEMaximumChargeCurrent),
            .max_w = RG(&c->EVSEMaximumChargePower),
            .min_v = RG(&c->EVSEMinimumVoltage),
            .min_a = RG(&c->EVSEMinimumChargeCurrent),
            .min_w = RG(&c->EVSEMinimumChargePower),
        };
        break;
    case ISO20_DC_ROOT_DC_CableCheckRes:
        m->ongoing = d->dc.DC_CableCheckRes.EVSEProcessing != iso20_dc_processingType_Finished;
        break;
    case ISO20_DC_ROOT_DC_PreChargeRes:
        m->present_v = RG(&d->dc.DC_PreChargeRes.EVSEPresentVoltage);
        break;
    case ISO20_DC_ROOT_DC_ChargeLoopRes:
        m->present_v = RG(&l->EVSEPresentVoltage);
        m->present_a = RG(&l->EVSEPresentCurrent);
        terminate(m, l->has_EVSEStatus, l->EVSEStatus.EVSENotification, iso20_dc_evseNotificationType_Terminate);
        break;
    case ISO20_DC_ROOT_DC_WeldingDetectionRes:
        m->present_v = RG(&d->dc.DC_WeldingDetectionRes.EVSEPresentVoltage);
        break;
    default:
        break;
    }
}
