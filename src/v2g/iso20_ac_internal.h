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
/* RationalNumber <-> float; W per A of phase current: the charger's nominal voltage x the selected set's phases
 * (charger), x the car's phases (car, the nominal voltage from ServiceDetail) (iso20_ac_map.c). */
void iso20_ac_rn_set(struct iso20_ac_RationalNumberType *rn, float x);
float iso20_ac_rn_get(const struct iso20_ac_RationalNumberType *rn);
float iso20_ac_evse_w_per_a(const sess_evse *s);
float iso20_ac_pev_w_per_a(const sess_pev *p);
/* AC_BPT's part of the AC mapper (iso20_bpt_ac_map.c), each a no-op outside BPT (the control mode of a choice:
 * iso20_bpt_loop_mode): whether a ChargeParameterDiscovery request's / response's choice is the service's; the
 * discharge fields, and a discharge asked for (a negative energy request) as a negative target current per phase. */
int iso20_bpt_ac_cpd_in(const sess_evse *s, const struct iso20_ac_AC_ChargeParameterDiscoveryReqType *q, sess_dc *m);
void iso20_bpt_ac_cpd_out(const sess_evse *s, struct iso20_ac_AC_ChargeParameterDiscoveryResType *r);
void iso20_bpt_ac_loop_in(const sess_evse *s, const struct iso20_ac_AC_ChargeLoopReqType *q, sess_dc *m);
void iso20_bpt_ac_loop_out(const sess_evse *s, struct iso20_ac_AC_ChargeLoopResType *r);
void iso20_bpt_ac_cpd_req(const sess_pev *p, struct iso20_ac_AC_ChargeParameterDiscoveryReqType *q);
int iso20_bpt_ac_cpd_res(const sess_pev *p, const struct iso20_ac_AC_ChargeParameterDiscoveryResType *r);
void iso20_bpt_ac_loop_req(const sess_pev *p, struct iso20_ac_AC_ChargeLoopReqType *q, const sess_dc *m);
/* The charger's target power in an AC_ChargeLoopRes of any control mode, NULL when it has none. */
const struct iso20_ac_RationalNumberType *iso20_bpt_ac_target(const struct iso20_ac_AC_ChargeLoopResType *r);
int iso20ac_decode_typed(uint16_t payload_type, const uint8_t *buf, size_t len, void *doc, struct exi_error *err);
void iso20ac_stamp(void *doc, uint64_t unix_s);
#endif

#endif
