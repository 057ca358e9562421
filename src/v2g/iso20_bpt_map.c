/* ISO 15118-20 DC_BPT's mapper: what BPT adds to the DC messages (iso20_map.c). Each BPT_* type of the DC schema
 * starts with the fields of its DC counterpart (the same union), so the DC mapper fills and reads those and this
 * adds the choice and the discharge fields: limits, the discharge target (a negative current, a negative energy
 * request), the returned energy's meter reading, PowerDelivery's channel. */
#include "iso20_internal.h"

#define RN iso20_dc_rn_set
#define RG iso20_dc_rn_get

int iso20_bpt_loop_mode(int choice, int bpt)
{
    if (choice == (bpt ? iso20_dc_DC_ChargeLoopReqType_BPT_Dynamic_DC_CLReqControlMode
                       : iso20_dc_DC_ChargeLoopReqType_Dynamic_DC_CLReqControlMode))
        return ISO20_CONTROL_DYNAMIC;
    if (choice == (bpt ? iso20_dc_DC_ChargeLoopReqType_BPT_Scheduled_DC_CLReqControlMode
                       : iso20_dc_DC_ChargeLoopReqType_Scheduled_DC_CLReqControlMode))
        return ISO20_CONTROL_SCHEDULED;
    return 0;
}

/* ---- charger ---- */

int iso20_bpt_dc_cpd_in(const sess_evse *s, const struct iso20_dc_DC_ChargeParameterDiscoveryReqType *q, sess_dc *m)
{
    if (!s->bpt)
        return q->DC_CPDReqEnergyTransferMode_choice ==
               iso20_dc_DC_ChargeParameterDiscoveryReqType_DC_CPDReqEnergyTransferMode;
    if (q->DC_CPDReqEnergyTransferMode_choice != iso20_dc_DC_ChargeParameterDiscoveryReqType_BPT_DC_CPDReqEnergyTransferMode)
        return 0;
    m->discharge_max_a = RG(&q->BPT_DC_CPDReqEnergyTransferMode.EVMaximumDischargeCurrent);
    return 1;
}

void iso20_bpt_dc_cpd_out(const sess_evse *s, struct iso20_dc_DC_ChargeParameterDiscoveryResType *r)
{
    if (!s->bpt) return;
    struct iso20_dc_BPT_DC_CPDResEnergyTransferModeType *c = &r->BPT_DC_CPDResEnergyTransferMode;
    r->DC_CPDResEnergyTransferMode_choice = iso20_dc_DC_ChargeParameterDiscoveryResType_BPT_DC_CPDResEnergyTransferMode;
    RN(&c->EVSEMaximumDischargePower, s->cfg.discharge_max_w);
    RN(&c->EVSEMinimumDischargePower, 0.0f);
    RN(&c->EVSEMaximumDischargeCurrent, s->cfg.discharge_max_a);
    RN(&c->EVSEMinimumDischargeCurrent, 0.0f);
}

/* Dynamic: the car asks for energy; a negative target energy (down to its discharge SoC) is a discharge at its
 * maximum discharge current. Scheduled: its target current, negative to discharge. */
void iso20_bpt_dc_loop_in(const sess_evse *s, const struct iso20_dc_DC_ChargeLoopReqType *q, sess_dc *m)
{
    if (!s->bpt) return;
    if (q->CLReqControlMode_choice == iso20_dc_DC_ChargeLoopReqType_BPT_Dynamic_DC_CLReqControlMode) {
        const struct iso20_dc_BPT_Dynamic_DC_CLReqControlModeType *d = &q->BPT_Dynamic_DC_CLReqControlMode;
        m->discharge_max_a = RG(&d->EVMaximumDischargeCurrent);
        if (RG(&d->EVTargetEnergyRequest) < 0.0f) m->target_a = -m->discharge_max_a;
    } else if (q->CLReqControlMode_choice == iso20_dc_DC_ChargeLoopReqType_BPT_Scheduled_DC_CLReqControlMode) {
        const struct iso20_dc_BPT_Scheduled_DC_CLReqControlModeType *c = &q->BPT_Scheduled_DC_CLReqControlMode;
        if (c->has_EVMaximumDischargeCurrent) m->discharge_max_a = RG(&c->EVMaximumDischargeCurrent);
    }
}

void iso20_bpt_dc_loop_out(const sess_evse *s, struct iso20_dc_DC_ChargeLoopResType *r)
{
    if (!s->bpt) return;
    r->MeterInfo.has_BPT_DischargedEnergyReadingWh = true;
    r->MeterInfo.BPT_DischargedEnergyReadingWh = s->in.meter_returned_wh;
    if (r->CLResControlMode_choice == iso20_dc_DC_ChargeLoopResType_Dynamic_DC_CLResControlMode) {
        struct iso20_dc_BPT_Dynamic_DC_CLResControlModeType *d = &r->BPT_Dynamic_DC_CLResControlMode;
        r->CLResControlMode_choice = iso20_dc_DC_ChargeLoopResType_BPT_Dynamic_DC_CLResControlMode;
        RN(&d->EVSEMaximumDischargePower, s->cfg.discharge_max_w);
        RN(&d->EVSEMinimumDischargePower, 0.0f);
        RN(&d->EVSEMaximumDischargeCurrent, s->cfg.discharge_max_a);
        RN(&d->EVSEMinimumVoltage, s->cfg.min_v);
        return;
    }
    struct iso20_dc_BPT_Scheduled_DC_CLResControlModeType *c = &r->BPT_Scheduled_DC_CLResControlMode;
    r->CLResControlMode_choice = iso20_dc_DC_ChargeLoopResType_BPT_Scheduled_DC_CLResControlMode;
    c->has_EVSEMaximumDischargePower = c->has_EVSEMaximumDischargeCurrent = true;
    RN(&c->EVSEMaximumDischargePower, s->cfg.discharge_max_w);
    RN(&c->EVSEMaximumDischargeCurrent, s->cfg.discharge_max_a);
}

/* ---- car ---- */

void iso20_bpt_dc_cpd_req(const sess_pev *p, struct iso20_dc_DC_ChargeParameterDiscoveryReqType *q)
{
    if (!p->bpt) return;
    struct iso20_dc_BPT_DC_CPDReqEnergyTransferModeType *c = &q->BPT_DC_CPDReqEnergyTransferMode;
    q->DC_CPDReqEnergyTransferMode_choice = iso20_dc_DC_ChargeParameterDiscoveryReqType_BPT_DC_CPDReqEnergyTransferMode;
    RN(&c->EVMaximumDischargePower, p->cfg.discharge_max_w);
    RN(&c->EVMinimumDischargePower, 0.0f);
    RN(&c->EVMaximumDischargeCurrent, p->cfg.discharge_max_a);
    RN(&c->EVMinimumDischargeCurrent, 0.0f);
}

int iso20_bpt_dc_cpd_res(const sess_pev *p, const struct iso20_dc_DC_ChargeParameterDiscoveryResType *r, sess_dc *m)
{
    if (!p->bpt)
        return r->DC_CPDResEnergyTransferMode_choice ==
               iso20_dc_DC_ChargeParameterDiscoveryResType_DC_CPDResEnergyTransferMode;
    m->discharge_max_a = RG(&r->BPT_DC_CPDResEnergyTransferMode.EVSEMaximumDischargeCurrent);
    return r->DC_CPDResEnergyTransferMode_choice ==
           iso20_dc_DC_ChargeParameterDiscoveryResType_BPT_DC_CPDResEnergyTransferMode;
}

/* Dynamic: the energy to the discharge SoC (negative) while discharging, at most down to it, at most up to full;
 * the discharge current asked as the maximum. Scheduled: the target current (negative) is the DC mapper's. */
void iso20_bpt_dc_loop_req(const sess_pev *p, struct iso20_dc_DC_ChargeLoopReqType *q, const sess_dc *m)
{
    if (!p->bpt) return;
    float dis_a = m->target_a < 0.0f ? -m->target_a : p->cfg.discharge_max_a;
    if (p->dynamic) {
        struct iso20_dc_BPT_Dynamic_DC_CLReqControlModeType *d = &q->BPT_Dynamic_DC_CLReqControlMode;
        float energy = m->stop ? 0.0f : sess_pev_bpt_energy_wh(p);
        q->CLReqControlMode_choice = iso20_dc_DC_ChargeLoopReqType_BPT_Dynamic_DC_CLReqControlMode;
        RN(&d->EVTargetEnergyRequest, energy);
        RN(&d->EVMinimumEnergyRequest, energy < 0.0f ? energy : 0.0f);
        RN(&d->EVMaximumChargeCurrent, m->target_a > 0.0f ? m->target_a : 0.0f);
        RN(&d->EVMaximumDischargePower, p->cfg.discharge_max_w);
        RN(&d->EVMinimumDischargePower, 0.0f);
        RN(&d->EVMaximumDischargeCurrent, dis_a);
        return;
    }
    struct iso20_dc_BPT_Scheduled_DC_CLReqControlModeType *c = &q->BPT_Scheduled_DC_CLReqControlMode;
    q->CLReqControlMode_choice = iso20_dc_DC_ChargeLoopReqType_BPT_Scheduled_DC_CLReqControlMode;
    c->has_EVMaximumDischargePower = c->has_EVMinimumDischargePower = c->has_EVMaximumDischargeCurrent = true;
    RN(&c->EVMaximumDischargePower, p->cfg.discharge_max_w);
    RN(&c->EVMinimumDischargePower, 0.0f);
    RN(&c->EVMaximumDischargeCurrent, p->cfg.discharge_max_a);
}

/* PowerDelivery(start) in BPT says which way the energy goes first. */
void iso20_bpt_power_delivery(const sess_pev *p, struct iso20_PowerDeliveryReqType *q)
{
    if (!p->bpt) return;
    q->has_BPT_ChannelSelection = true;
    q->BPT_ChannelSelection = sess_pev_bpt_discharging(p) ? iso20_channelSelectionType_Discharge
                                                          : iso20_channelSelectionType_Charge;
}
