/* ISO 15118-20 AC_BPT's mapper: what BPT adds to the AC messages (iso20_ac_map.c). The BPT_* types of the AC schema
 * start with the fields of their AC counterparts (but BPT_Scheduled_AC_CLResControlMode), so the AC mapper fills
 * and reads those and this adds the choice and the discharge powers; a discharge is a negative energy request of
 * the car and a negative target power of the charger (a negative current per phase in the model). */
#include "iso20_ac_internal.h"

#if CCS_PROTO_ISO20_AC
#define RN iso20_ac_rn_set
#define RG iso20_ac_rn_get

/* The control modes of both codecs' charge loops are numbered alike (iso20_bpt_loop_mode reads either). */
_Static_assert((int)iso20_ac_AC_ChargeLoopReqType_BPT_Dynamic_AC_CLReqControlMode ==
                       (int)iso20_dc_DC_ChargeLoopReqType_BPT_Dynamic_DC_CLReqControlMode &&
                   (int)iso20_ac_AC_ChargeLoopReqType_BPT_Scheduled_AC_CLReqControlMode ==
                       (int)iso20_dc_DC_ChargeLoopReqType_BPT_Scheduled_DC_CLReqControlMode &&
                   (int)iso20_ac_AC_ChargeLoopReqType_Dynamic_AC_CLReqControlMode ==
                       (int)iso20_dc_DC_ChargeLoopReqType_Dynamic_DC_CLReqControlMode &&
                   (int)iso20_ac_AC_ChargeLoopReqType_Scheduled_AC_CLReqControlMode ==
                       (int)iso20_dc_DC_ChargeLoopReqType_Scheduled_DC_CLReqControlMode,
               "AC and DC charge-loop control modes numbered alike");

/* ---- charger ---- */

int iso20_bpt_ac_cpd_in(const sess_evse *s, const struct iso20_ac_AC_ChargeParameterDiscoveryReqType *q, sess_dc *m)
{
    if (!s->bpt)
        return q->AC_CPDReqEnergyTransferMode_choice ==
               iso20_ac_AC_ChargeParameterDiscoveryReqType_AC_CPDReqEnergyTransferMode;
    m->discharge_max_a = RG(&q->BPT_AC_CPDReqEnergyTransferMode.EVMaximumDischargePower) / iso20_ac_evse_w_per_a(s);
    return q->AC_CPDReqEnergyTransferMode_choice ==
           iso20_ac_AC_ChargeParameterDiscoveryReqType_BPT_AC_CPDReqEnergyTransferMode;
}

void iso20_bpt_ac_cpd_out(const sess_evse *s, struct iso20_ac_AC_ChargeParameterDiscoveryResType *r)
{
    if (!s->bpt) return;
    r->AC_CPDResEnergyTransferMode_choice = iso20_ac_AC_ChargeParameterDiscoveryResType_BPT_AC_CPDResEnergyTransferMode;
    RN(&r->BPT_AC_CPDResEnergyTransferMode.EVSEMaximumDischargePower, s->cfg.ac_max_a * iso20_ac_evse_w_per_a(s));
    RN(&r->BPT_AC_CPDResEnergyTransferMode.EVSEMinimumDischargePower, 0.0f);
}

/* A negative target energy (down to the car's discharge SoC): a discharge at the car's maximum discharge power. */
void iso20_bpt_ac_loop_in(const sess_evse *s, const struct iso20_ac_AC_ChargeLoopReqType *q, sess_dc *m)
{
    const struct iso20_ac_RationalNumberType *energy = NULL, *power = NULL;
    if (!s->bpt) return;
    if (q->CLReqControlMode_choice == iso20_ac_AC_ChargeLoopReqType_BPT_Dynamic_AC_CLReqControlMode) {
        energy = &q->BPT_Dynamic_AC_CLReqControlMode.EVTargetEnergyRequest;
        power = &q->BPT_Dynamic_AC_CLReqControlMode.EVMaximumDischargePower;
    } else if (q->CLReqControlMode_choice == iso20_ac_AC_ChargeLoopReqType_BPT_Scheduled_AC_CLReqControlMode) {
        const struct iso20_ac_BPT_Scheduled_AC_CLReqControlModeType *c = &q->BPT_Scheduled_AC_CLReqControlMode;
        energy = c->has_EVTargetEnergyRequest ? &c->EVTargetEnergyRequest : NULL;
        power = c->has_EVMaximumDischargePower ? &c->EVMaximumDischargePower : NULL;
    }
    if (energy && power && RG(energy) < 0.0f) m->target_a = -RG(power) / iso20_ac_evse_w_per_a(s);
}

void iso20_bpt_ac_loop_out(const sess_evse *s, struct iso20_ac_AC_ChargeLoopResType *r)
{
    if (!s->bpt) return;
    r->MeterInfo.has_BPT_DischargedEnergyReadingWh = true;
    r->MeterInfo.BPT_DischargedEnergyReadingWh = s->in.meter_returned_wh;
    if (r->CLResControlMode_choice == iso20_ac_AC_ChargeLoopResType_Dynamic_AC_CLResControlMode) {
        r->CLResControlMode_choice = iso20_ac_AC_ChargeLoopResType_BPT_Dynamic_AC_CLResControlMode;
        return;
    }
    struct iso20_ac_Scheduled_AC_CLResControlModeType c = r->Scheduled_AC_CLResControlMode;
    struct iso20_ac_BPT_Scheduled_AC_CLResControlModeType *b = &r->BPT_Scheduled_AC_CLResControlMode;
    *b = (struct iso20_ac_BPT_Scheduled_AC_CLResControlModeType){
        .has_EVSETargetActivePower = c.has_EVSETargetActivePower, .EVSETargetActivePower = c.EVSETargetActivePower,
        .has_EVSEPresentActivePower = c.has_EVSEPresentActivePower, .EVSEPresentActivePower = c.EVSEPresentActivePower,
    };
    r->CLResControlMode_choice = iso20_ac_AC_ChargeLoopResType_BPT_Scheduled_AC_CLResControlMode;
}

/* ---- car ---- */

void iso20_bpt_ac_cpd_req(const sess_pev *p, struct iso20_ac_AC_ChargeParameterDiscoveryReqType *q)
{
    if (!p->bpt) return;
    q->AC_CPDReqEnergyTransferMode_choice = iso20_ac_AC_ChargeParameterDiscoveryReqType_BPT_AC_CPDReqEnergyTransferMode;
    RN(&q->BPT_AC_CPDReqEnergyTransferMode.EVMaximumDischargePower, p->cfg.ac_max_a * iso20_ac_pev_w_per_a(p));
    RN(&q->BPT_AC_CPDReqEnergyTransferMode.EVMinimumDischargePower, 0.0f);
}

int iso20_bpt_ac_cpd_res(const sess_pev *p, const struct iso20_ac_AC_ChargeParameterDiscoveryResType *r)
{
    return r->AC_CPDResEnergyTransferMode_choice ==
           (p->bpt ? iso20_ac_AC_ChargeParameterDiscoveryResType_BPT_AC_CPDResEnergyTransferMode
                   : iso20_ac_AC_ChargeParameterDiscoveryResType_AC_CPDResEnergyTransferMode);
}

/* The energy to the discharge SoC (negative) while discharging, our discharge power (the on-board charger's). */
void iso20_bpt_ac_loop_req(const sess_pev *p, struct iso20_ac_AC_ChargeLoopReqType *q, const sess_dc *m)
{
    if (!p->bpt) return;
    float energy = m->stop ? 0.0f : sess_pev_bpt_energy_wh(p), max_w = p->cfg.ac_max_a * iso20_ac_pev_w_per_a(p);
    if (p->dynamic) {
        struct iso20_ac_BPT_Dynamic_AC_CLReqControlModeType *d = &q->BPT_Dynamic_AC_CLReqControlMode;
        q->CLReqControlMode_choice = iso20_ac_AC_ChargeLoopReqType_BPT_Dynamic_AC_CLReqControlMode;
        RN(&d->EVTargetEnergyRequest, energy);
        RN(&d->EVMinimumEnergyRequest, energy < 0.0f ? energy : 0.0f);
        RN(&d->EVMaximumDischargePower, max_w);
        RN(&d->EVMinimumDischargePower, 0.0f);
        return;
    }
    struct iso20_ac_BPT_Scheduled_AC_CLReqControlModeType *c = &q->BPT_Scheduled_AC_CLReqControlMode;
    q->CLReqControlMode_choice = iso20_ac_AC_ChargeLoopReqType_BPT_Scheduled_AC_CLReqControlMode;
    c->has_EVTargetEnergyRequest = c->has_EVMaximumDischargePower = c->has_EVMinimumDischargePower = true;
    RN(&c->EVTargetEnergyRequest, energy);
    RN(&c->EVMaximumDischargePower, max_w);
    RN(&c->EVMinimumDischargePower, 0.0f);
}

/* Dynamic: always said; Scheduled: when said (BPT's has it elsewhere). */
const struct iso20_ac_RationalNumberType *iso20_bpt_ac_target(const struct iso20_ac_AC_ChargeLoopResType *r)
{
    if (r->CLResControlMode_choice == iso20_ac_AC_ChargeLoopResType_Dynamic_AC_CLResControlMode ||
        r->CLResControlMode_choice == iso20_ac_AC_ChargeLoopResType_BPT_Dynamic_AC_CLResControlMode)
        return &r->Dynamic_AC_CLResControlMode.EVSETargetActivePower;
    if (r->CLResControlMode_choice == iso20_ac_AC_ChargeLoopResType_Scheduled_AC_CLResControlMode &&
        r->Scheduled_AC_CLResControlMode.has_EVSETargetActivePower)
        return &r->Scheduled_AC_CLResControlMode.EVSETargetActivePower;
    if (r->CLResControlMode_choice == iso20_ac_AC_ChargeLoopResType_BPT_Scheduled_AC_CLResControlMode &&
        r->BPT_Scheduled_AC_CLResControlMode.has_EVSETargetActivePower)
        return &r->BPT_Scheduled_AC_CLResControlMode.EVSETargetActivePower;
    return NULL;
}
#endif
