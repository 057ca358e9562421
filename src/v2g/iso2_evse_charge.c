/* ISO 15118-2 charger handlers around the energy transfer, DC and AC: MeteringReceipt and the MeterInfo the loop
 * responses carry (ChargeParameterDiscovery and PowerDelivery are the session model's steps, iso2_map.c). */
#include <string.h>

#include "iso2_internal.h"

void iso2_evse_meter(const sess_evse *s, struct iso2_MeterInfoType *m)
{
    memcpy(m->MeterID.chars, s->cfg.evse_id, s->cfg.evse_id_len);
    m->MeterID.len = s->cfg.evse_id_len;
    m->has_MeterReading = true;
    m->MeterReading = s->in.meter_wh;
}

/* The receipt: under Contract payment signed by the contract key (iso2_pnc_evse.c); the next one asked for
 * receipt_interval_ms later. */
int iso2_evse_metering(sess_evse *s, uint32_t now)
{
#if CCS_PNC
    if (iso2_evse_pnc_metering(s) == SESS_H_FAIL) return SESS_H_FAIL;
#endif
    s->receipt_at_ms = now + s->cfg.receipt_interval_ms;
    return iso2_evse_check_status(s, ISO2_BODY(&s->docs->tx));
}
