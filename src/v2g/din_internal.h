/* DIN 70121 session internals: message ids, PhysicalValue conversion, the DC status helpers and the handlers
 * both role tables (din_proto.c) refer to. */
#ifndef CCSPLC_DIN_INTERNAL_H
#define CCSPLC_DIN_INTERNAL_H

#include "sess_internal.h"

/* Message ids are the BodyElement choice values (din_BodyType_*), plus one pseudo id: a PowerDeliveryReq with
 * ReadyToChargeState false is a different step of the sequence. */
#define DIN_MSG_POWER_DELIVERY_STOP 64

/* Charger states (rows of the EVSE table): each named by the request it waits for. */
enum {
    DIN_EVSE_SESSION_SETUP, DIN_EVSE_SERVICE_DISCOVERY, DIN_EVSE_PAYMENT, DIN_EVSE_AUTH, DIN_EVSE_CHARGE_PARAMETER,
    DIN_EVSE_CABLE_CHECK, DIN_EVSE_PRECHARGE, DIN_EVSE_CHARGE, DIN_EVSE_WELDING, DIN_EVSE_NSTATES
};

/* The body of a DIN document held in a sess_docs union. */
#define DIN_BODY(doc) (&((struct din_exiDocument *)(doc))->V2G_Message.Body)

/* PhysicalValue <-> float: the smallest multiplier (>= -1) that keeps Value in int16 range. */
void din_pv_set(struct din_PhysicalValueType *pv, float x, enum din_unitSymbolType unit);
float din_pv_get(const struct din_PhysicalValueType *pv);

/* Glue, error response fields, DC mapper (sess_internal.h). */
SESS_PROTO_DECLS(din)
/* The DC_EVSEStatus of a response that has one, else NULL. */
struct din_DC_EVSEStatusType *din_dc_status_of(struct din_BodyType *b);

/* EVSE handlers (din_evse.c; the DC steps are the session model's, sess_dc_evse.c). */
void din_evse_dc_status(const sess_evse *s, struct din_DC_EVSEStatusType *st);
/* The charger's present values in PreChargeRes, CurrentDemandRes, WeldingDetectionRes (pv_dc_map.h). */
void din_evse_present(const sess_evse *s, struct din_BodyType *b);
sess_evse_step din_evse_session_setup, din_evse_service_discovery, din_evse_payment, din_evse_auth,
    din_evse_session_stop;

/* PEV builders and response handlers (din_pev.c; the DC steps are the session model's, sess_dc_pev.c). */
int din_pev_check(sess_pev *p, int code, const struct din_DC_EVSEStatusType *st);
sess_pev_step din_pev_build_session_setup, din_pev_build_service_discovery, din_pev_build_payment,
    din_pev_on_session_setup, din_pev_on_service_discovery, din_pev_on_simple, din_pev_on_auth,
    din_pev_on_session_stop;

#endif
