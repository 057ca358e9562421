/* ISO 15118-20 metering confirmation, both sides, DC and AC: the charger asks for it (EVSENotification
 * MeteringConfirmation with its MeterInfo in a charge-loop response, every cfg.receipt_interval_ms of charging) and
 * checks the car's MeteringConfirmationReq; the car answers with the MeterInfo (and Receipt) it was given. */
#include <string.h>

#include "iso20_ac_internal.h"

/* The three codecs' MeterInfoType and ReceiptType are one XSD type each (V2G_CI_CommonTypes.xsd) with the same
 * fields, but each sized by the profile's capacities: copied field by field, arrays to the smaller capacity. */
#define MIN_(a, b) ((a) < (b) ? (a) : (b))
#define COPY_ARRAY_(d, s, arr, n)                                                                              \
    do {                                                                                                       \
        (d).n = (uint16_t)MIN_((size_t)(s).n, sizeof(d).arr / sizeof(d).arr[0]);                              \
        memcpy((d).arr, (s).arr, (d).n * sizeof(d).arr[0]);                                                    \
    } while (0)
#define OPT_(d, s, f) ((d).has_##f = (s).has_##f, (d).f = (s).f)
#define COPY_RN_(d, s) ((d).Exponent = (s).Exponent, (d).Value = (s).Value)
#define COPY_COST_(d, s, f)                                                                                    \
    ((d).has_##f = (s).has_##f, COPY_RN_((d).f.Amount, (s).f.Amount), COPY_RN_((d).f.CostPerUnit, (s).f.CostPerUnit))
#define COPY_METER_RECEIPT(q, r)                                                                               \
    do {                                                                                                       \
        COPY_ARRAY_((q)->MeterInfo.MeterID, (r)->MeterInfo.MeterID, chars, len);                              \
        (q)->MeterInfo.ChargedEnergyReadingWh = (r)->MeterInfo.ChargedEnergyReadingWh;                          \
        OPT_((q)->MeterInfo, (r)->MeterInfo, BPT_DischargedEnergyReadingWh);                                    \
        OPT_((q)->MeterInfo, (r)->MeterInfo, CapacitiveEnergyReadingVARh);                                      \
        OPT_((q)->MeterInfo, (r)->MeterInfo, BPT_InductiveEnergyReadingVARh);                                   \
        (q)->MeterInfo.has_MeterSignature = (r)->MeterInfo.has_MeterSignature;                                  \
        COPY_ARRAY_((q)->MeterInfo.MeterSignature, (r)->MeterInfo.MeterSignature, bytes, len);                \
        OPT_((q)->MeterInfo, (r)->MeterInfo, MeterStatus);                                                      \
        OPT_((q)->MeterInfo, (r)->MeterInfo, MeterTimestamp);                                                   \
        (q)->has_Receipt = (r)->has_Receipt;                                                                    \
        if ((r)->has_Receipt) { /* an absent element's members are not written by the decoder */              \
            (q)->Receipt.TimeAnchor = (r)->Receipt.TimeAnchor;                                                 \
            COPY_COST_((q)->Receipt, (r)->Receipt, EnergyCosts);                                               \
            COPY_COST_((q)->Receipt, (r)->Receipt, OccupancyCosts);                                            \
            COPY_COST_((q)->Receipt, (r)->Receipt, AdditionalServicesCosts);                                   \
            COPY_COST_((q)->Receipt, (r)->Receipt, OverstayCosts);                                             \
            (q)->Receipt.TaxCosts.count =                                                                      \
                (uint16_t)MIN_((size_t)(r)->Receipt.TaxCosts.count,                                            \
                               sizeof(q)->Receipt.TaxCosts.array / sizeof(q)->Receipt.TaxCosts.array[0]);      \
            for (uint16_t t_ = 0; t_ < (q)->Receipt.TaxCosts.count; t_++) {                                    \
                (q)->Receipt.TaxCosts.array[t_].TaxRuleID = (r)->Receipt.TaxCosts.array[t_].TaxRuleID;         \
                COPY_RN_((q)->Receipt.TaxCosts.array[t_].Amount, (r)->Receipt.TaxCosts.array[t_].Amount);      \
            }                                                                                                  \
        }                                                                                                       \
    } while (0)

int iso20_evse_loop_notice(const sess_evse *s, int receipt)
{
    int n = iso20_evse_notice(s);
    if (n < 0 && receipt && (s->state == ISO20_EVSE_CHARGE || s->state == ISO20_EVSE_CHARGE_START))
        return iso20_evseNotificationType_MeteringConfirmation;
    return n;
}

/* The car's confirmation: of this session, of our meter, of no more energy than it has counted; the next one
 * receipt_interval_ms later. A signature is not asked for (EIM: the car has no contract key, the Header's Signature
 * is optional in the schema). */
int iso20_evse_metering(sess_evse *s, uint32_t now)
{
    const struct iso20_SignedMeteringDataType *d = &ISO20_COMMON(&s->docs->rx)->MeteringConfirmationReq.SignedMeteringData;
    int h = iso20_evse_fault(s);
    if (h != SESS_H_NEXT) return h;
    s->receipt_at_ms = now + s->cfg.receipt_interval_ms;
    if (d->SessionID.len == s->session_id_len && !memcmp(d->SessionID.bytes, s->session_id, s->session_id_len) &&
        d->MeterInfo.MeterID.len == s->cfg.evse_id_len &&
        !memcmp(d->MeterInfo.MeterID.chars, s->cfg.evse_id, s->cfg.evse_id_len) &&
        d->MeterInfo.ChargedEnergyReadingWh <= s->in.meter_wh)
        return SESS_H_NEXT;
    ISO20_COMMON(&s->docs->tx)->MeteringConfirmationRes.ResponseCode =
        iso20_responseCodeType_FAILED_MeteringSignatureNotValid;
    return SESS_H_FAIL;
}

/* After a charge-loop response: a MeteringConfirmation notification with MeterInfo asks for a confirmation (one
 * without MeterInfo has nothing to confirm). */
void iso20_pev_take_receipt(sess_pev *p)
{
    const struct sess_iso20_doc *d = &p->docs->rx.iso20;
    const struct iso20_dc_DC_ChargeLoopResType *r = &d->dc.DC_ChargeLoopRes;
    int ask = 0;
    if (d->payload_type == V2GTP_ISO20_DC)
        ask = r->has_EVSEStatus && r->has_MeterInfo &&
              r->EVSEStatus.EVSENotification == iso20_dc_evseNotificationType_MeteringConfirmation;
#if CCS_PROTO_ISO20_AC
    const struct iso20_ac_AC_ChargeLoopResType *a = &d->ac.AC_ChargeLoopRes;
    if (d->payload_type == V2GTP_ISO20_AC)
        ask = a->has_EVSEStatus && a->has_MeterInfo &&
              a->EVSEStatus.EVSENotification == iso20_ac_evseNotificationType_MeteringConfirmation;
#endif
    if (ask && p->state == ISO20_PEV_CHARGE_LOOP) p->receipt_due = 1;
}

/* MeteringConfirmationReq (sent on the main stream, 0x8002: no multiplexed side stream): SignedMeteringData with
 * our SessionID, the MeterInfo and Receipt of the charge-loop response that asked, the control mode (Scheduled:
 * the schedule tuple in use). Unsigned (EIM, as iso20_evse_metering). */
int iso20_pev_build_metering(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso20_SignedMeteringDataType *q = &ISO20_COMMON(&p->docs->tx)->MeteringConfirmationReq.SignedMeteringData;
    const struct sess_iso20_doc *d = &p->docs->rx.iso20;
    static const char id[] = "SignedMeteringData";
    memcpy(q->Id.chars, id, sizeof id - 1);
    q->Id.len = sizeof id - 1;
    memcpy(q->SessionID.bytes, p->session_id, p->session_id_len);
    q->SessionID.len = p->session_id_len;
    if (d->payload_type == V2GTP_ISO20_DC) COPY_METER_RECEIPT(q, &d->dc.DC_ChargeLoopRes);
#if CCS_PROTO_ISO20_AC
    if (d->payload_type == V2GTP_ISO20_AC) COPY_METER_RECEIPT(q, &d->ac.AC_ChargeLoopRes);
#endif
    if (p->dynamic) {
        q->choice = iso20_SignedMeteringDataType_Dynamic_SMDTControlMode;
    } else {
        q->choice = iso20_SignedMeteringDataType_Scheduled_SMDTControlMode;
        q->Scheduled_SMDTControlMode.SelectedScheduleTupleID = p->sa_tuple_id;
    }
    p->receipt_due = 0;
    return SESS_H_NEXT;
}

int iso20_pev_on_metering(sess_pev *p, uint32_t now) { return iso20_pev_on_simple(p, now); }
