/* ISO 15118-2 charger handler, AC part: ChargingStatus (our current limit, the meter, a receipt request when
 * one is due, the AC status). The current itself is the car's: its on-board charger draws up to the limit. */
#include "iso2_internal.h"

int iso2_evse_charging_status(sess_evse *s, uint32_t now)
{
    struct iso2_BodyType *b = ISO2_BODY(&s->docs->tx);
    struct iso2_ChargingStatusResType *r = &b->ChargingStatusRes;
    iso2_evse_id(s, b);
    r->has_EVSEMaxCurrent = r->has_MeterInfo = r->has_ReceiptRequired = true;
    iso2_evse_meter(s, &r->MeterInfo);
    r->ReceiptRequired = sess_evse_receipt_due(s, now);
    int h = iso2_evse_check_status(s, b);   /* a shutdown takes the limit to 0 */
    iso2_pv_set(&r->EVSEMaxCurrent, s->out.target_a, iso2_unitSymbolType_A);
    return h;
}
