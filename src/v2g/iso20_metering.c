/* ISO 15118-20 metering confirmation, both sides, DC and AC: the charger asks for it (EVSENotification
 * MeteringConfirmation with its MeterInfo in a charge-loop response, every cfg.receipt_interval_ms of charging) and
 * checks the car's MeteringConfirmationReq; the car answers with the MeterInfo (and Receipt) it was given. */
#include <string.h>

#include "iso20_ac_internal.h"

/* The three codecs' MeterInfoType and ReceiptType are one XSD type each (V2G_CI_CommonTypes.xsd), generated alike:
 * a DC or AC one is the CommonMessages one. */
#define SAME_TYPE(dst, src)                                                                                    \
    do {                                                                                                       \
        _Static_assert(sizeof(dst) == sizeof(src), "one XSD type, one layout");                               \
        memcpy(&(dst), &(src), sizeof(dst));                                                                   \
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
    if (d->payload_type == V2GTP_ISO20_DC) {
        SAME_TYPE(q->MeterInfo, d->dc.DC_ChargeLoopRes.MeterInfo);
        SAME_TYPE(q->Receipt, d->dc.DC_ChargeLoopRes.Receipt);
        q->has_Receipt = d->dc.DC_ChargeLoopRes.has_Receipt;
    }
#if CCS_PROTO_ISO20_AC
    if (d->payload_type == V2GTP_ISO20_AC) {
        SAME_TYPE(q->MeterInfo, d->ac.AC_ChargeLoopRes.MeterInfo);
        SAME_TYPE(q->Receipt, d->ac.AC_ChargeLoopRes.Receipt);
        q->has_Receipt = d->ac.AC_ChargeLoopRes.has_Receipt;
    }
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
