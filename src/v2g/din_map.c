/* DIN 70121's DC mapper (sess_model.h): ChargeParameterDiscovery's mode and one schedule, PowerDelivery's
 * ReadyToChargeState and the EVSE status's place here, the messages it shares with ISO 15118-2 in pv_dc_map.h. */
#include "din_internal.h"

#define PV(x) din_##x
#define PV_CONDITIONING
#include "pv_dc_map.h"

void din_evse_dc_in(sess_evse *s, sess_dc *m)
{
    const struct din_BodyType *b = DIN_BODY(&s->docs->rx);
    const struct din_ChargeParameterDiscoveryReqType *q = &b->ChargeParameterDiscoveryReq;
    m->wait_state = DIN_EVSE_CHARGE_PARAMETER;
    if (b->BodyElement_choice != din_BodyType_ChargeParameterDiscoveryReq) {
        pv_evse_in(b, m);
    } else if (q->EVChargeParameter_choice != din_ChargeParameterDiscoveryReqType_DC_EVChargeParameter) {
        m->code = SESS_RC_WRONG_CHARGE_PARAMETER;
    } else {
        m->soc = q->DC_EVChargeParameter.DC_EVStatus.EVRESSSOC;
        m->max_v = din_pv_get(&q->DC_EVChargeParameter.EVMaximumVoltageLimit);
    }
}

/* One schedule without a limit (PMax 32767, as the Tesla Supercharger sends). */
static void schedule(struct din_ChargeParameterDiscoveryResType *r)
{
    struct din_SAScheduleTupleType *t = &r->SAScheduleList.SAScheduleTuple.array[0];
    r->SASchedules_choice = din_ChargeParameterDiscoveryResType_SAScheduleList;
    r->SAScheduleList.SAScheduleTuple.count = 1;
    t->SAScheduleTupleID = 1;
    t->PMaxSchedule.PMaxScheduleID = 1;
    t->PMaxSchedule.PMaxScheduleEntry.count = 1;
    t->PMaxSchedule.PMaxScheduleEntry.array[0].TimeInterval_choice = din_PMaxScheduleEntryType_RelativeTimeInterval;
    t->PMaxSchedule.PMaxScheduleEntry.array[0].PMax = 32767;
}

void din_evse_dc_out(sess_evse *s, const sess_dc *m)
{
    struct din_BodyType *b = DIN_BODY(&s->docs->tx);
    struct din_ChargeParameterDiscoveryResType *r = &b->ChargeParameterDiscoveryRes;
    if (b->BodyElement_choice == din_BodyType_ChargeParameterDiscoveryRes) {
        r->EVSEChargeParameter_choice = din_ChargeParameterDiscoveryResType_DC_EVSEChargeParameter;
        if (m->code != SESS_RC_WRONG_CHARGE_PARAMETER) {
            schedule(r);
            pv_evse_limits(s, &r->DC_EVSEChargeParameter);
            r->DC_EVSEChargeParameter.has_EVSEMaximumPowerLimit = true;
        }
    }
    if (b->BodyElement_choice == din_BodyType_PowerDeliveryRes)
        b->PowerDeliveryRes.EVSEStatus_choice = din_PowerDeliveryResType_DC_EVSEStatus;
    struct din_DC_EVSEStatusType *st = din_dc_status_of(b);
    if (st) din_evse_dc_status(s, st);
    pv_evse_out(s, b, m);
    if (m->code != SESS_RC_OK) din_set_code(&s->docs->tx, m->code);
}

void din_pev_dc_out(sess_pev *p, const sess_dc *m)
{
    struct din_BodyType *b = DIN_BODY(&p->docs->tx);
    if (b->BodyElement_choice == din_BodyType_ChargeParameterDiscoveryReq) {
        b->ChargeParameterDiscoveryReq.EVRequestedEnergyTransferType = din_EVRequestedEnergyTransferType_DC_extended;
        b->ChargeParameterDiscoveryReq.EVChargeParameter_choice = din_ChargeParameterDiscoveryReqType_DC_EVChargeParameter;
    }
    if (b->BodyElement_choice == din_BodyType_PowerDeliveryReq) {
        b->PowerDeliveryReq.ReadyToChargeState = !m->stop;
        b->PowerDeliveryReq.EVPowerDeliveryParameter_choice = din_PowerDeliveryReqType_DC_EVPowerDeliveryParameter;
    }
    pv_pev_out(p, b, m);
}

/* An EVSEMaximumPowerLimit not sent: ours. */
void din_pev_dc_in(sess_pev *p, sess_dc *m)
{
    struct din_BodyType *b = DIN_BODY(&p->docs->rx);
    pv_pev_answer(din_get_code(&p->docs->rx), din_dc_status_of(b), m);
    pv_pev_in(b, m);
    if (b->BodyElement_choice == din_BodyType_ChargeParameterDiscoveryRes &&
        !b->ChargeParameterDiscoveryRes.DC_EVSEChargeParameter.has_EVSEMaximumPowerLimit)
        m->limits.max_w = p->cfg.max_w;
}

int din_pev_check(sess_pev *p, int code, const struct din_DC_EVSEStatusType *st)
{
    sess_dc m = { .soc = -1 };
    pv_pev_answer(code, st, &m);
    return sess_pev_dc_check(p, &m, 1);
}
