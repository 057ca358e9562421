/* ISO 15118-20's AC mapper (sess_model.h): AC_ChargeParameterDiscovery and AC_ChargeLoop (powers in W as
 * RationalNumbers, per-phase currents in the model; Dynamic and Scheduled control modes) to and from the session
 * model; PowerDelivery is ISO-20 DC's (iso20_map.c). */
#include <string.h>

#include "ccsplc/core/v2gtp.h"
#include "iso20_ac_internal.h"

#if CCS_PROTO_ISO20_AC
void iso20_ac_rn_set(struct iso20_ac_RationalNumberType *rn, float x) { sess_pv_scale(x, &rn->Exponent, &rn->Value); }
float iso20_ac_rn_get(const struct iso20_ac_RationalNumberType *rn) { return sess_pv_value(rn->Exponent, rn->Value); }
#define RN iso20_ac_rn_set
#define RG iso20_ac_rn_get

static struct sess_iso20_doc *doc_of(sess_docs *d, int rx) { return rx ? &d->rx.iso20 : &d->tx.iso20; }

float iso20_ac_evse_w_per_a(const sess_evse *s) { return s->cfg.ac_nominal_v * (float)(s->ac_phases ? s->ac_phases : 3); }

float iso20_ac_pev_w_per_a(const sess_pev *p)
{
    return (p->evse_max_v > 0.0f ? p->evse_max_v : ISO20_AC_ASSUMED_V) * (float)p->cfg.ac_phases;
}

/* The charger's error-response fields: the AC parameters, a Terminate where a status goes, the control mode. */
void iso20ac_evse_safe_fields(sess_evse *s, void *doc)
{
    struct sess_iso20_doc *d = doc;
    if (d->payload_type != V2GTP_ISO20_AC) {
        iso20_evse_safe_fields(s, doc);
        return;
    }
    if (d->ac.root == ISO20_AC_ROOT_AC_ChargeParameterDiscoveryRes) {
        d->ac.AC_ChargeParameterDiscoveryRes.AC_CPDResEnergyTransferMode_choice =
            iso20_ac_AC_ChargeParameterDiscoveryResType_AC_CPDResEnergyTransferMode;
    } else if (d->ac.root == ISO20_AC_ROOT_AC_ChargeLoopRes) {
        struct iso20_ac_AC_ChargeLoopResType *r = &d->ac.AC_ChargeLoopRes;
        r->has_EVSEStatus = true;
        r->EVSEStatus.EVSENotification = iso20_ac_evseNotificationType_Terminate;
        if (!r->CLResControlMode_choice)
            r->CLResControlMode_choice = s->control_mode == ISO20_CONTROL_SCHEDULED
                                             ? iso20_ac_AC_ChargeLoopResType_Scheduled_AC_CLResControlMode
                                             : iso20_ac_AC_ChargeLoopResType_Dynamic_AC_CLResControlMode;
    }
}

/* The car's state of charge and control mode (AC_BPT's: iso20_bpt_ac_map.c); another service's:
 * WrongChargeParameter. */
static void charge_loop_req(const sess_evse *s, const struct iso20_ac_AC_ChargeLoopReqType *q, sess_dc *m)
{
    if (q->has_DisplayParameters && q->DisplayParameters.has_PresentSOC) m->soc = q->DisplayParameters.PresentSOC;
    if (!iso20_bpt_loop_mode(q->CLReqControlMode_choice, s->bpt)) m->code = SESS_RC_WRONG_CHARGE_PARAMETER;
    iso20_bpt_ac_loop_in(s, q, m);
}

void iso20ac_evse_dc_in(sess_evse *s, sess_dc *m)
{
    const struct sess_iso20_doc *d = doc_of(s->docs, 1);
    if (d->payload_type != V2GTP_ISO20_AC) {   /* PowerDelivery */
        iso20_evse_dc_in(s, m);
        return;
    }
    m->wait_state = ISO20_EVSE_NSTATES;   /* no Ongoing answers to AC_ChargeParameterDiscovery */
    m->ac = 1;
    if (d->ac.root == ISO20_AC_ROOT_AC_ChargeLoopReq) {
        charge_loop_req(s, &d->ac.AC_ChargeLoopReq, m);
    } else if (d->ac.root == ISO20_AC_ROOT_AC_ChargeParameterDiscoveryReq) {
        const struct iso20_ac_AC_ChargeParameterDiscoveryReqType *q = &d->ac.AC_ChargeParameterDiscoveryReq;
        if (!iso20_bpt_ac_cpd_in(s, q, m))
            m->code = SESS_RC_WRONG_CHARGE_PARAMETER;   /* the parameters of another service (AC, AC_BPT) */
        m->max_a = RG(&q->AC_CPDReqEnergyTransferMode.EVMaximumChargePower) / iso20_ac_evse_w_per_a(s);
    }
}

static void meter(const sess_evse *s, struct iso20_ac_MeterInfoType *m)
{
    memcpy(m->MeterID.chars, s->cfg.evse_id, s->cfg.evse_id_len);
    m->MeterID.len = s->cfg.evse_id_len;
    m->ChargedEnergyReadingWh = s->in.meter_wh;
}

/* AC_ChargeLoopRes in the request's control mode: the power the car may draw (our limit at the nominal voltage),
 * the power flowing, the meter when asked or to be confirmed; our notification (a stop request of ours as
 * Terminate, a metering confirmation when due). */
static void charge_loop_res(const sess_evse *s, struct iso20_ac_AC_ChargeLoopResType *r, const sess_dc *m)
{
    const struct iso20_ac_AC_ChargeLoopReqType *q = &doc_of((sess_docs *)s->docs, 1)->ac.AC_ChargeLoopReq;
    float target_w = s->out.target_a * iso20_ac_evse_w_per_a(s);
    float present_w = s->in.present_a * s->in.present_v * (float)(s->ac_phases ? s->ac_phases : 3);
    r->has_MeterInfo = q->MeterInfoRequested || m->receipt;   /* asked, or to be confirmed */
    meter(s, &r->MeterInfo);
    ISO20_EVSE_STATUS(r, s, iso20_evse_loop_notice(s, m->receipt));
    if (iso20_bpt_loop_mode(q->CLReqControlMode_choice, s->bpt) == ISO20_CONTROL_SCHEDULED) {
        struct iso20_ac_Scheduled_AC_CLResControlModeType *c = &r->Scheduled_AC_CLResControlMode;
        r->CLResControlMode_choice = iso20_ac_AC_ChargeLoopResType_Scheduled_AC_CLResControlMode;
        c->has_EVSETargetActivePower = c->has_EVSEPresentActivePower = true;
        RN(&c->EVSETargetActivePower, target_w);
        RN(&c->EVSEPresentActivePower, present_w);
        return;
    }
    struct iso20_ac_Dynamic_AC_CLResControlModeType *c = &r->Dynamic_AC_CLResControlMode;
    r->CLResControlMode_choice = iso20_ac_AC_ChargeLoopResType_Dynamic_AC_CLResControlMode;
    c->has_EVSEPresentActivePower = true;
    RN(&c->EVSETargetActivePower, target_w);
    RN(&c->EVSEPresentActivePower, present_w);
}

void iso20ac_evse_dc_out(sess_evse *s, const sess_dc *m)
{
    struct sess_iso20_doc *d = doc_of(s->docs, 0);
    if (d->payload_type != V2GTP_ISO20_AC) {   /* PowerDeliveryRes */
        iso20_evse_dc_out(s, m);
        return;
    }
    if (d->ac.root == ISO20_AC_ROOT_AC_ChargeParameterDiscoveryRes) {
        struct iso20_ac_AC_CPDResEnergyTransferModeType *c = &d->ac.AC_ChargeParameterDiscoveryRes.AC_CPDResEnergyTransferMode;
        iso20ac_evse_safe_fields(s, d);   /* the AC (not BPT) parameters */
        RN(&c->EVSEMaximumChargePower, s->cfg.ac_max_a * iso20_ac_evse_w_per_a(s));
        RN(&c->EVSEMinimumChargePower, 0.0f);
        RN(&c->EVSENominalFrequency, ISO20_AC_NOMINAL_HZ);
        iso20_bpt_ac_cpd_out(s, &d->ac.AC_ChargeParameterDiscoveryRes);
    } else if (d->ac.root == ISO20_AC_ROOT_AC_ChargeLoopRes) {
        charge_loop_res(s, &d->ac.AC_ChargeLoopRes, m);
        iso20_bpt_ac_loop_out(s, &d->ac.AC_ChargeLoopRes);
    }
    if (m->code != SESS_RC_OK) iso20ac_set_code(d, m->code);
}

/* AC_ChargeLoopReq: what the on-board charger draws now and may draw (nothing more when stopping), the energy
 * still wanted; the display values as in DC. */
static void charge_loop_req_out(const sess_pev *p, struct iso20_ac_AC_ChargeLoopReqType *q, const sess_dc *m)
{
    float max_w = m->stop ? 0.0f : p->cfg.ac_max_a * iso20_ac_pev_w_per_a(p);
    float present_w = p->in.present_a * iso20_ac_pev_w_per_a(p);
    float energy = m->stop ? 0.0f : p->in.energy_request_wh;
    ISO20_DISPLAY(q, p);
    if (!p->dynamic) {
        struct iso20_ac_Scheduled_AC_CLReqControlModeType *c = &q->Scheduled_AC_CLReqControlMode;
        q->CLReqControlMode_choice = iso20_ac_AC_ChargeLoopReqType_Scheduled_AC_CLReqControlMode;
        c->has_EVTargetEnergyRequest = c->has_EVMaximumChargePower = true;
        RN(&c->EVTargetEnergyRequest, energy);
        RN(&c->EVMaximumChargePower, max_w);
        RN(&c->EVPresentActivePower, present_w);
        return;
    }
    struct iso20_ac_Dynamic_AC_CLReqControlModeType *d = &q->Dynamic_AC_CLReqControlMode;
    q->CLReqControlMode_choice = iso20_ac_AC_ChargeLoopReqType_Dynamic_AC_CLReqControlMode;
    RN(&d->EVTargetEnergyRequest, energy);
    RN(&d->EVMaximumEnergyRequest, energy);
    RN(&d->EVMinimumEnergyRequest, 0.0f);
    RN(&d->EVMaximumChargePower, max_w);
    RN(&d->EVMinimumChargePower, 0.0f);
    RN(&d->EVPresentActivePower, present_w);
    RN(&d->EVPresentReactivePower, 0.0f);
}

void iso20ac_pev_dc_out(sess_pev *p, const sess_dc *m)
{
    struct sess_iso20_doc *d = doc_of(p->docs, 0);
    if (d->payload_type != V2GTP_ISO20_AC) {   /* PowerDeliveryReq */
        iso20_pev_dc_out(p, m);
        return;
    }
    if (d->ac.root == ISO20_AC_ROOT_AC_ChargeParameterDiscoveryReq) {
        struct iso20_ac_AC_CPDReqEnergyTransferModeType *c = &d->ac.AC_ChargeParameterDiscoveryReq.AC_CPDReqEnergyTransferMode;
        d->ac.AC_ChargeParameterDiscoveryReq.AC_CPDReqEnergyTransferMode_choice =
            iso20_ac_AC_ChargeParameterDiscoveryReqType_AC_CPDReqEnergyTransferMode;
        RN(&c->EVMaximumChargePower, p->cfg.ac_max_a * iso20_ac_pev_w_per_a(p));
        RN(&c->EVMinimumChargePower, p->cfg.ac_min_a * iso20_ac_pev_w_per_a(p));
        iso20_bpt_ac_cpd_req(p, &d->ac.AC_ChargeParameterDiscoveryReq);
    } else if (d->ac.root == ISO20_AC_ROOT_AC_ChargeLoopReq) {
        charge_loop_req_out(p, &d->ac.AC_ChargeLoopReq, m);
        iso20_bpt_ac_loop_req(p, &d->ac.AC_ChargeLoopReq, m);
    }
}

/* AC_ChargeLoopRes: the power we may draw as a current limit per phase (Dynamic: always said, Scheduled: when
 * said), a Terminate notification. */
static void charge_loop_res_in(const sess_pev *p, const struct iso20_ac_AC_ChargeLoopResType *r, sess_dc *m)
{
    const struct iso20_ac_RationalNumberType *target = iso20_bpt_ac_target(r);
    m->has_limit = target != NULL;
    if (target) m->limits.max_a = RG(target) / iso20_ac_pev_w_per_a(p);
    m->has_status = r->has_EVSEStatus;
    m->status.stop_notice = r->has_EVSEStatus && r->EVSEStatus.EVSENotification == iso20_ac_evseNotificationType_Terminate;
}

void iso20ac_pev_dc_in(sess_pev *p, sess_dc *m)
{
    const struct sess_iso20_doc *d = doc_of(p->docs, 1);
    if (d->payload_type != V2GTP_ISO20_AC) {   /* PowerDeliveryRes */
        iso20_pev_dc_in(p, m);
        return;
    }
    m->code = (uint8_t)iso20_code_class(iso20ac_get_code(d));
    m->ac = 1;
    if (d->ac.root == ISO20_AC_ROOT_AC_ChargeParameterDiscoveryRes) {
        const struct iso20_ac_AC_CPDResEnergyTransferModeType *c = &d->ac.AC_ChargeParameterDiscoveryRes.AC_CPDResEnergyTransferMode;
        float nominal_v = p->evse_max_v > 0.0f ? p->evse_max_v : ISO20_AC_ASSUMED_V;
        m->right_kind = (uint8_t)iso20_bpt_ac_cpd_res(p, &d->ac.AC_ChargeParameterDiscoveryRes);
        m->limits = (sess_evse_limits){ .max_v = nominal_v,
                                        .max_w = RG(&c->EVSEMaximumChargePower),
                                        .min_w = RG(&c->EVSEMinimumChargePower),
                                        .max_a = RG(&c->EVSEMaximumChargePower) / iso20_ac_pev_w_per_a(p) };
        m->incompatible = nominal_v > p->cfg.ac_max_v;
    } else if (d->ac.root == ISO20_AC_ROOT_AC_ChargeLoopRes) {
        charge_loop_res_in(p, &d->ac.AC_ChargeLoopRes, m);
    }
}
#endif
