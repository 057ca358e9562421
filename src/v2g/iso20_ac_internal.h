/* ISO 15118-20 AC session internals (sess_proto_iso20_ac): message ids of the AC codec next to the CommonMessages
 * ones, the state of the charger waiting for PowerDelivery, the glue (iso20_ac_glue.c) and the AC mapper
 * (iso20_ac_map.c); the session handlers are ISO-20 DC's (iso20_evse.c, iso20_pev.c), the steps the model's. */
#ifndef CCSPLC_ISO20_AC_INTERNAL_H
#define CCSPLC_ISO20_AC_INTERNAL_H

#include "iso20_internal.h"

#if CCS_PROTO_ISO20_AC
/* AC roots moved up by ISO20_AC_BASE (below ISO20_MSG_POWER_DELIVERY_STOP). */
#define ISO20_AC_BASE 96
#define ISO20_AC(root) (ISO20_AC_BASE + ISO20_AC_ROOT_##root)
#define ISO20_ACDOC(doc) (&((struct sess_iso20_doc *)(doc))->ac)
/* AC has no CableCheck: after ScheduleExchange the charger waits for PowerDelivery in this state. */
#define ISO20_EVSE_POWER_DELIVERY ISO20_EVSE_CABLE_CHECK
#define ISO20_AC_NOMINAL_HZ 50.0f   /* EVSENominalFrequency: the European grid's */

SESS_PROTO_DECLS(iso20ac)
int iso20ac_decode_typed(uint16_t payload_type, const uint8_t *buf, size_t len, void *doc, struct exi_error *err);
void iso20ac_stamp(void *doc, uint64_t unix_s);
#endif

#endif
