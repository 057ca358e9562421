/* ISO 15118-2 car side around the energy transfer, DC and AC: MeteringReceipt (ChargeParameterDiscovery and
 * PowerDelivery are the session model's steps, iso2_map.c). */
#include <string.h>

#include "iso2_internal.h"

static struct iso2_BodyType *req_body(sess_pev *p) { return ISO2_BODY(&p->docs->tx); }
static struct iso2_BodyType *res_body(sess_pev *p) { return ISO2_BODY(&p->docs->rx); }

/* The meter reading the charger last reported; under Contract payment signed with the contract key. */
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
#if CCS_PNC
    return iso2_pev_pnc_metering(p);
#else
    return SESS_H_NEXT;
#endif
}

int iso2_pev_on_metering(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso2_BodyType *b = res_body(p);
    int h = iso2_pev_check(p, b->MeteringReceiptRes.ResponseCode, iso2_dc_status_of(b), iso2_ac_status_of(b));
    return h == SESS_H_FAIL ? h : SESS_H_NEXT;
}
