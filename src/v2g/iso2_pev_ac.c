/* ISO 15118-2 car side, AC part: the ChargingStatus loop (the charger's current limit, its meter, a receipt
 * request; the on-board charger draws the current itself, so the charger's only value to check is its limit). */
#include <math.h>

#include "iso2_internal.h"

int iso2_pev_on_charging_status(sess_pev *p, uint32_t now)
{
    (void)now;
    const struct iso2_ChargingStatusResType *r = &ISO2_BODY(&p->docs->rx)->ChargingStatusRes;
    float max_a = r->has_EVSEMaxCurrent ? iso2_pv_get(&r->EVSEMaxCurrent) : p->evse_max_a;
    int plausible = isfinite(max_a) && max_a >= 0.0f;
    if (plausible) p->evse_max_a = max_a;
    p->evse_a = p->in.present_a;
    int h = iso2_pev_check(p, r->ResponseCode, NULL, &r->AC_EVSEStatus);
    return sess_pev_loop_end(p, h, r->has_ReceiptRequired && r->ReceiptRequired,
                             plausible ? SESS_STOP_NONE : SESS_STOP_IMPLAUSIBLE);
}
