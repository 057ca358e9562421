/* ISO 15118-20 DC session internals (external identification, Dynamic and Scheduled control modes): message
 * ids over the two codecs (CommonMessages, DC), the states of both tables, RationalNumber helpers and the
 * handlers the tables (iso20_proto.c) refer to. */
#ifndef CCSPLC_ISO20_INTERNAL_H
#define CCSPLC_ISO20_INTERNAL_H

#include "ccsplc/core/v2gtp.h"
#include "sess_internal.h"

/* Message ids: CommonMessages roots as they are (ISO20_ROOT_*), DC roots moved up by ISO20_DC_BASE (the two
 * codecs number their roots independently), and pseudo ids for PowerDeliveryReq with ChargeProgress Stop, Standby
 * and ScheduleRenegotiation (Start is the root's own) and for SessionStopReq with ChargingSession
 * ServiceRenegotiation (Terminate and Pause are the root's own); ISO20_PSEUDO_ROOT: a pseudo id's root. */
#define ISO20_DC_BASE 64
#define ISO20_DC(root) (ISO20_DC_BASE + ISO20_DC_ROOT_##root)
#define ISO20_MSG_POWER_DELIVERY_STOP 120
#define ISO20_MSG_POWER_DELIVERY_STANDBY 121
#define ISO20_MSG_POWER_DELIVERY_RENEGOTIATE 122
#define ISO20_MSG_SESSION_STOP_RENEGOTIATE 123
#define ISO20_IS_POWER_DELIVERY_PSEUDO(msg) \
    ((msg) >= ISO20_MSG_POWER_DELIVERY_STOP && (msg) <= ISO20_MSG_POWER_DELIVERY_RENEGOTIATE)
#define ISO20_IS_PSEUDO(msg) ((msg) >= ISO20_MSG_POWER_DELIVERY_STOP && (msg) <= ISO20_MSG_SESSION_STOP_RENEGOTIATE)
#define ISO20_PSEUDO_ROOT(msg) \
    ((msg) == ISO20_MSG_SESSION_STOP_RENEGOTIATE ? ISO20_ROOT_SessionStopReq : ISO20_ROOT_PowerDeliveryReq)

#define ISO20_SERVICE_DC 2          /* ServiceID of DC charging (ISO 15118-20: 1 AC, 2 DC, 5 AC_BPT, 6 DC_BPT) */
#define ISO20_SERVICE_AC 1
/* The energy service of a protocol: AC for sess_proto_iso20_ac (iso20_ac_*.c), else DC. */
#if CCS_PROTO_ISO20_AC
#define ISO20_IS_AC(proto) ((proto) == &sess_proto_iso20_ac)
#else
#define ISO20_IS_AC(proto) ((void)(proto), 0)
#endif
#define ISO20_SERVICE_OF(proto) (ISO20_IS_AC(proto) ? ISO20_SERVICE_AC : ISO20_SERVICE_DC)
/* The bidirectional services (iso20_bpt*.c): the same protocol (SupportedAppProtocol namespace) and codec as DC
 * and AC, chosen in ServiceSelection; a session's service by its bpt flag. */
#define ISO20_SERVICE_AC_BPT 5
#define ISO20_SERVICE_DC_BPT 6
#define ISO20_SERVICE(proto, bpt)                                                                            \
    ((bpt) ? (ISO20_IS_AC(proto) ? ISO20_SERVICE_AC_BPT : ISO20_SERVICE_DC_BPT) : ISO20_SERVICE_OF(proto))
/* ServiceDetail parameters of the BPT services (ISO 15118-20 Tables 206/207, names as Josev and libiso15118 send
 * them): BPTChannel 1 Unified, GeneratorMode 1 GridFollowing; AC_BPT: GridCodeIslandingDetectionMethod 2 Passive. */
#define ISO20_BPT_CHANNEL_UNIFIED 1
#define ISO20_BPT_GRID_FOLLOWING 1
#define ISO20_BPT_ISLANDING_PASSIVE 2
#define ISO20_PARAMETER_SET_ID 1    /* our one parameter set of the DC service */
#define ISO20_SCHEDULE_TUPLE_ID 1   /* our one schedule tuple (Scheduled control mode) */
#define ISO20_SCHEDULE_S 86400u     /* it covers 24 h */
/* ServiceDetail parameter values of the DC service (ISO 15118-20; as in corpus/iso20.tsv's ServiceDetailRes):
 * connector 2 = extended (CCS), control mode 1 = Scheduled / 2 = Dynamic, mobility needs provided by the car,
 * no pricing. */
#define ISO20_CONNECTOR_EXTENDED 2
#define ISO20_CONTROL_SCHEDULED 1
#define ISO20_CONTROL_DYNAMIC 2
#define ISO20_MOBILITY_NEEDS_EVCC 1
#define ISO20_PRICING_NONE 0
/* AC service parameters (ISO 15118-20 Table 205): Connector 1 = single-phase, 2 = three-phase; the charger's
 * EVSENominalVoltage in V. */
#define ISO20_AC_SINGLE_PHASE 1
#define ISO20_AC_THREE_PHASE 2
#define ISO20_AC_THREE_PHASE_ALT 3   /* EVerest's libiso15118 sends 3 (its phase count) for three-phase: the car takes it */
#define ISO20_AC_ASSUMED_V 230.0f   /* the car's nominal voltage when a charger gave none (IEC 60038) */

/* Charger states, each named by the request it waits for; CHARGE_START waits for the first DC_ChargeLoopReq
 * (60 s after PowerDeliveryRes), CHARGE for the next (0.5 s after DC_ChargeLoopRes); STANDBY_START and STANDBY the
 * same for the car's charge loop in Standby; RESCHEDULE: ScheduleExchange of a renegotiation, RESUME: then
 * PowerDelivery Start (iso20_notice_*.c). */
enum {
    ISO20_EVSE_SESSION_SETUP, ISO20_EVSE_AUTH_SETUP, ISO20_EVSE_AUTH, ISO20_EVSE_SERVICE_DISCOVERY,
    ISO20_EVSE_SERVICE_SELECTION, ISO20_EVSE_CHARGE_PARAMETER, ISO20_EVSE_SCHEDULE, ISO20_EVSE_CABLE_CHECK,
    ISO20_EVSE_PRECHARGE, ISO20_EVSE_CHARGE_START, ISO20_EVSE_CHARGE, ISO20_EVSE_WELDING, ISO20_EVSE_SESSION_STOP,
    ISO20_EVSE_STANDBY_START, ISO20_EVSE_STANDBY, ISO20_EVSE_RESCHEDULE, ISO20_EVSE_RESUME, ISO20_EVSE_NSTATES
};
/* The charger's states both ISO-20 services have, each waiting at most V2G_SECC_Sequence_Timeout (the charge loop
 * its own); mode ("AC" / "DC") names the service's messages. The service adds its other states. */
#define ISO20_EVSE_STATES(mode)                                                                                \
    [ISO20_EVSE_SESSION_SETUP] = { "WaitSessionSetup", SESS_SECC_SEQUENCE_TIMEOUT_MS },                        \
    [ISO20_EVSE_AUTH_SETUP] = { "WaitAuthorizationSetup", SESS_SECC_SEQUENCE_TIMEOUT_MS },                     \
    [ISO20_EVSE_AUTH] = { "WaitAuthorization", SESS_SECC_SEQUENCE_TIMEOUT_MS },                                \
    [ISO20_EVSE_SERVICE_DISCOVERY] = { "WaitServiceDiscovery", SESS_SECC_SEQUENCE_TIMEOUT_MS },                \
    [ISO20_EVSE_SERVICE_SELECTION] = { "WaitServiceSelection", SESS_SECC_SEQUENCE_TIMEOUT_MS },                \
    [ISO20_EVSE_CHARGE_PARAMETER] = { "Wait" mode "_ChargeParameterDiscovery", SESS_SECC_SEQUENCE_TIMEOUT_MS }, \
    [ISO20_EVSE_SCHEDULE] = { "WaitScheduleExchange", SESS_SECC_SEQUENCE_TIMEOUT_MS },                         \
    [ISO20_EVSE_CHARGE_START] = { "Wait" mode "_ChargeLoop", SESS_SECC_SEQUENCE_TIMEOUT_MS },                  \
    [ISO20_EVSE_CHARGE] = { "Wait" mode "_ChargeLoop", SESS_ISO20_SEQUENCE_TIMEOUT_CHARGE_LOOP_MS },          \
    [ISO20_EVSE_SESSION_STOP] = { "WaitSessionStop", SESS_SECC_SEQUENCE_TIMEOUT_MS },                          \
    [ISO20_EVSE_STANDBY_START] = { "Wait" mode "_ChargeLoop(standby)", SESS_SECC_SEQUENCE_TIMEOUT_MS },        \
    [ISO20_EVSE_STANDBY] = { "Wait" mode "_ChargeLoop(standby)", SESS_ISO20_SEQUENCE_TIMEOUT_CHARGE_LOOP_MS }, \
    [ISO20_EVSE_RESCHEDULE] = { "WaitScheduleExchange(renegotiation)", SESS_SECC_SEQUENCE_TIMEOUT_MS },        \
    [ISO20_EVSE_RESUME] = { "WaitPowerDelivery(renegotiated)", SESS_SECC_SEQUENCE_TIMEOUT_MS }

/* The charger's rows of Standby, schedule and service renegotiation and metering confirmation, which both services
 * share (iso20_notice_evse.c, iso20_metering.c; MeteringConfirmation from the charge loop, back to it, its next
 * request waited for V2G_SECC_Sequence_Timeout as after PowerDelivery, the 0.5 s being the loop's own): from
 * the charge loop PowerDelivery Standby -> STANDBY_START, STANDBY (the loop goes on without energy; PowerDelivery
 * Start back, Stop to stop_next) and PowerDelivery ScheduleRenegotiation -> RESCHEDULE -> ScheduleExchange ->
 * RESUME -> PowerDelivery Start -> the charge loop; in stop_next (the state after PowerDelivery Stop) SessionStop
 * ServiceRenegotiation -> SERVICE_DISCOVERY. loop_req, loop_fn: the service's charge-loop request and step. */
#define ISO20_EVSE_STANDBY_ROWS_(state, loop_req, loop_fn, stop_next)                                             \
    { ISO20_EVSE_##state, loop_req, ISO20_EVSE_STANDBY, loop_fn },                                                \
    { ISO20_EVSE_##state, ISO20_ROOT_PowerDeliveryReq, ISO20_EVSE_CHARGE_START, iso20_evse_exit_standby },        \
    { ISO20_EVSE_##state, ISO20_MSG_POWER_DELIVERY_STOP, stop_next, sess_dc_evse_power_stop }
#define ISO20_EVSE_NOTICE_ROWS(loop_req, loop_fn, stop_next)                                                      \
    { ISO20_EVSE_CHARGE_START, ISO20_MSG_POWER_DELIVERY_STANDBY, ISO20_EVSE_STANDBY_START, iso20_evse_standby },  \
    { ISO20_EVSE_CHARGE, ISO20_MSG_POWER_DELIVERY_STANDBY, ISO20_EVSE_STANDBY_START, iso20_evse_standby },        \
    { ISO20_EVSE_CHARGE_START, ISO20_MSG_POWER_DELIVERY_RENEGOTIATE, ISO20_EVSE_RESCHEDULE, iso20_evse_renegotiate }, \
    { ISO20_EVSE_CHARGE, ISO20_MSG_POWER_DELIVERY_RENEGOTIATE, ISO20_EVSE_RESCHEDULE, iso20_evse_renegotiate },   \
    ISO20_EVSE_STANDBY_ROWS_(STANDBY_START, loop_req, loop_fn, stop_next),                                        \
    ISO20_EVSE_STANDBY_ROWS_(STANDBY, loop_req, loop_fn, stop_next),                                              \
    { ISO20_EVSE_RESCHEDULE, ISO20_ROOT_ScheduleExchangeReq, ISO20_EVSE_RESUME, iso20_evse_schedule },            \
    { ISO20_EVSE_RESUME, ISO20_ROOT_PowerDeliveryReq, ISO20_EVSE_CHARGE_START, sess_dc_evse_power_start },        \
    { ISO20_EVSE_RESUME, ISO20_MSG_POWER_DELIVERY_STOP, stop_next, sess_dc_evse_power_stop },                   \
    { stop_next, ISO20_MSG_SESSION_STOP_RENEGOTIATE, ISO20_EVSE_SERVICE_DISCOVERY, iso20_evse_service_renegotiation }, \
    { ISO20_EVSE_CHARGE_START, ISO20_ROOT_MeteringConfirmationReq, ISO20_EVSE_CHARGE_START, iso20_evse_metering }, \
    { ISO20_EVSE_CHARGE, ISO20_ROOT_MeteringConfirmationReq, ISO20_EVSE_CHARGE_START, iso20_evse_metering }

/* Car states (rows of the PEV table). */
enum {
    ISO20_PEV_SESSION_SETUP, ISO20_PEV_AUTH_SETUP, ISO20_PEV_AUTH, ISO20_PEV_SERVICE_DISCOVERY,
    ISO20_PEV_SERVICE_DETAIL, ISO20_PEV_SERVICE_SELECTION, ISO20_PEV_CHARGE_PARAMETER, ISO20_PEV_SCHEDULE,
    ISO20_PEV_CABLE_CHECK, ISO20_PEV_PRECHARGE, ISO20_PEV_POWER_START, ISO20_PEV_CHARGE_LOOP, ISO20_PEV_POWER_STOP,
    ISO20_PEV_WELDING, ISO20_PEV_SESSION_STOP, ISO20_PEV_POWER_STANDBY, ISO20_PEV_STANDBY, ISO20_PEV_POWER_RENEGOTIATE,
    ISO20_PEV_RESCHEDULE, ISO20_PEV_METERING, ISO20_PEV_VAS_DETAIL, ISO20_PEV_SERVICE_RENEGOTIATE, ISO20_PEV_CERT_INSTALL
};
/* The car's rows of Standby, schedule and service renegotiation and metering confirmation, both services
 * (iso20_notice_pev.c, iso20_metering.c): which one follows the charge loop is iso20_pev_next's choice, as is
 * SessionStop ServiceRenegotiation (back to ServiceDiscovery) after PowerDelivery Stop [and DC_WeldingDetection] of
 * a renegotiation. loop_req, loop_handle, loop_name: the service's charge-loop request, its response handler (the
 * notification honoured) and name. */
#define ISO20_PEV_NOTICE_ROWS(loop_req, loop_handle, loop_name)                                                    \
    { ISO20_PEV_POWER_STANDBY, ISO20_MSG_POWER_DELIVERY_STANDBY, ISO20_PEV_STANDBY, iso20_pev_build_power_progress, \
      sess_dc_pev_on_power_start, SESS_EVCC_MSG_TIMEOUT_MS, 0, "PowerDelivery(standby)" },                         \
    { ISO20_PEV_STANDBY, loop_req, ISO20_PEV_POWER_START, iso20_pev_build_standby, loop_handle,                    \
      SESS_ISO20_MSG_TIMEOUT_CHARGE_LOOP_MS, 0, loop_name "(standby)" },                                            \
    { ISO20_PEV_POWER_RENEGOTIATE, ISO20_MSG_POWER_DELIVERY_RENEGOTIATE, ISO20_PEV_RESCHEDULE,                      \
      iso20_pev_build_power_progress, sess_dc_pev_on_power_start, SESS_EVCC_MSG_TIMEOUT_MS, 0,                      \
      "PowerDelivery(renegotiate)" },                                                                              \
    { ISO20_PEV_RESCHEDULE, ISO20_ROOT_ScheduleExchangeReq, ISO20_PEV_POWER_START, iso20_pev_build_schedule,        \
      iso20_pev_on_schedule, SESS_EVCC_MSG_TIMEOUT_MS, SESS_EVCC_ONGOING_TIMEOUT_MS, "ScheduleExchange(renegotiation)" }, \
    { ISO20_PEV_METERING, ISO20_ROOT_MeteringConfirmationReq, ISO20_PEV_CHARGE_LOOP, iso20_pev_build_metering,      \
      iso20_pev_on_metering, SESS_EVCC_MSG_TIMEOUT_MS, 0, "MeteringConfirmation" },                                 \
    { ISO20_PEV_SERVICE_RENEGOTIATE, ISO20_MSG_SESSION_STOP_RENEGOTIATE, ISO20_PEV_SERVICE_DISCOVERY,               \
      iso20_pev_build_session_stop, iso20_pev_on_service_renegotiation, SESS_EVCC_MSG_TIMEOUT_MS, 0,                 \
      "SessionStop(renegotiate)" }

/* The car's row of a value-added service's ServiceDetail (iso20_vas.c), after the energy service's, once per VAS
 * wanted and offered (iso20_vas_next), then ServiceSelection. */
#define ISO20_PEV_VAS_ROWS                                                                                       \
    { ISO20_PEV_VAS_DETAIL, ISO20_ROOT_ServiceDetailReq, ISO20_PEV_SERVICE_SELECTION, iso20_pev_build_vas_detail, \
      iso20_pev_on_vas_detail, SESS_EVCC_MSG_TIMEOUT_MS, 0, "ServiceDetail(VAS)" }

/* The two halves of a sess_docs member. */
#define ISO20_COMMON(doc) (&((struct sess_iso20_doc *)(doc))->common)
#define ISO20_DCDOC(doc) (&((struct sess_iso20_doc *)(doc))->dc)

/* The DisplayParameters of the car's charge-loop request q (the DC and AC codecs each have their own type of the
 * same fields): its SoC, target and whether it is complete. */
#define ISO20_DISPLAY(q, p)                                                                                   \
    do {                                                                                                     \
        (q)->has_DisplayParameters = true;                                                                   \
        (q)->DisplayParameters.has_PresentSOC = (q)->DisplayParameters.has_TargetSOC = true;                 \
        (q)->DisplayParameters.PresentSOC = (p)->in.soc;                                                     \
        (q)->DisplayParameters.TargetSOC = (p)->cfg.full_soc;                                                \
        (q)->DisplayParameters.has_ChargingComplete = true;                                                  \
        (q)->DisplayParameters.ChargingComplete = (p)->in.charge_complete;                                   \
    } while (0)

/* The EVSEStatus of a charger's response r (each codec has its own type of the same fields): notification n (an
 * evseNotificationType value; -1: no status) with our NotificationMaxDelay. */
#define ISO20_EVSE_STATUS(r, s, n)                                                                           \
    do {                                                                                                     \
        (r)->has_EVSEStatus = (n) >= 0;                                                                      \
        (r)->EVSEStatus.EVSENotification = (n) >= 0 ? (n) : 0;                                               \
        (r)->EVSEStatus.NotificationMaxDelay = (s)->cfg.notice_delay_s;                                      \
    } while (0)

/* RationalNumber (Value x 10^Exponent) <-> float, for both codecs' identical RationalNumberType
 * (iso20_values.c). */
void iso20_rn_set(struct iso20_RationalNumberType *rn, float x);
float iso20_rn_get(const struct iso20_RationalNumberType *rn);
void iso20_dc_rn_set(struct iso20_dc_RationalNumberType *rn, float x);
float iso20_dc_rn_get(const struct iso20_dc_RationalNumberType *rn);

/* A SESS_RC_* code as the responseCodeType value every ISO-20 codec shares (iso20_glue.c). */
int iso20_code_of(int generic_code);
/* An intValue parameter added to a ServiceDetail parameter set (iso20_evse.c; none when it is full). */
void iso20_param_int(struct iso20_ParameterSetType *set, const char *name, int32_t v);
/* An intValue parameter of a ServiceDetail parameter set, or -1 (iso20_pev_dc.c). */
int iso20_param(const struct iso20_ParameterSetType *set, const char *name);

/* Glue, error response fields, DC mapper (sess_internal.h). */
SESS_PROTO_DECLS(iso20)
int iso20_glue_decode_typed(uint16_t payload_type, const uint8_t *buf, size_t len, void *doc, struct exi_error *err);
uint16_t iso20_payload_type(const void *doc);
void iso20_stamp(void *doc, uint64_t unix_s);

/* BPT (iso20_bpt.c): the charger offers the BPT service where its power stage can discharge; whether a ServiceID
 * is one of ours; a BPT parameter set's own parameters; the car takes the BPT service when it wants to discharge
 * and the charger offers it. */
void iso20_bpt_offer(const sess_evse *s, struct iso20_ServiceListType *l);
int iso20_bpt_offered(const sess_evse *s, uint16_t service_id);
void iso20_bpt_params(const sess_evse *s, struct iso20_ParameterSetType *set);
void iso20_bpt_choose(sess_pev *p, const struct iso20_ServiceListType *l);

/* DC_BPT's part of the DC mapper (iso20_bpt_map.c), each a no-op outside BPT. loop_mode: the control mode
 * (ISO20_CONTROL_*) of a DC_ChargeLoopReq (or AC_ChargeLoopReq: numbered alike) choice in a session of the service
 * (bpt), 0 when not that service's. cpd_in / cpd_res: whether the request's / response's choice is the service's,
 * BPT's discharge limit into m. */
int iso20_bpt_loop_mode(int choice, int bpt);
int iso20_bpt_dc_cpd_in(const sess_evse *s, const struct iso20_dc_DC_ChargeParameterDiscoveryReqType *q, sess_dc *m);
void iso20_bpt_dc_cpd_out(const sess_evse *s, struct iso20_dc_DC_ChargeParameterDiscoveryResType *r);
void iso20_bpt_dc_loop_in(const sess_evse *s, const struct iso20_dc_DC_ChargeLoopReqType *q, sess_dc *m);
void iso20_bpt_dc_loop_out(const sess_evse *s, struct iso20_dc_DC_ChargeLoopResType *r);
void iso20_bpt_dc_cpd_req(const sess_pev *p, struct iso20_dc_DC_ChargeParameterDiscoveryReqType *q);
int iso20_bpt_dc_cpd_res(const sess_pev *p, const struct iso20_dc_DC_ChargeParameterDiscoveryResType *r, sess_dc *m);
void iso20_bpt_dc_loop_req(const sess_pev *p, struct iso20_dc_DC_ChargeLoopReqType *q, const sess_dc *m);
void iso20_bpt_power_delivery(const sess_pev *p, struct iso20_PowerDeliveryReqType *q);

/* Value-added services (iso20_vas.c). Charger: the VASList of ServiceDiscoveryRes; ServiceDetail of a VAS we
 * offer (1, the parameter sets filled; 0: not one of ours); a ServiceSelectionReq's VAS (0 ok and kept in
 * vas_selected, -1 not offered). Car: the offered VAS it wants; the state after `next` (a VAS's ServiceDetail
 * while one is left); the SelectedVASList. */
void iso20_vas_offer(sess_evse *s, struct iso20_ServiceDiscoveryResType *r);
int iso20_vas_detail(const sess_evse *s, uint16_t service_id, struct iso20_ServiceParameterListType *l);
int iso20_vas_select(sess_evse *s, const struct iso20_ServiceSelectionReqType *q);
void iso20_vas_choose(sess_pev *p, const struct iso20_ServiceDiscoveryResType *r);
uint8_t iso20_vas_next(const sess_pev *p, uint8_t next);
void iso20_vas_selection(const sess_pev *p, struct iso20_ServiceSelectionReqType *q);
sess_pev_step iso20_pev_build_vas_detail, iso20_pev_on_vas_detail;

/* EVSE (iso20_evse*.c). */
int iso20_evse_fault(sess_evse *s);
/* The EVSENotification (the codecs' shared evseNotificationType value) of the charger's charge-loop response now,
 * -1 for none (iso20_notice_evse.c). */
int iso20_evse_notice(const sess_evse *s);
/* The notification of a charge-loop response: iso20_evse_notice's, else MeteringConfirmation while charging when
 * a receipt is due (iso20_metering.c). */
int iso20_evse_loop_notice(const sess_evse *s, int receipt);
/* Standby, renegotiation and the charge loops with the NotificationMaxDelay watch (iso20_notice_evse.c); the
 * metering confirmation (iso20_metering.c). */
sess_evse_step iso20_evse_standby, iso20_evse_exit_standby, iso20_evse_renegotiate, iso20_evse_dc_loop,
    iso20_evse_ac_loop, iso20_evse_metering, iso20_evse_service_renegotiation;
sess_evse_step iso20_evse_session_setup, iso20_evse_auth_setup, iso20_evse_auth, iso20_evse_service_discovery,
    iso20_evse_service_detail, iso20_evse_service_selection, iso20_evse_schedule, iso20_evse_session_stop;

/* Plug & Charge (iso20_pnc*.c, CCS_PNC): the SHA-512 of the element in d->sig.frag20 as an EXI fragment; SignedInfo
 * as an xmldsig fragment into d->sig.bytes; SignedInfo of one Reference to element `id` with ISO 15118-20's
 * algorithms (DigestValue's length set, its bytes not); whether a SignedInfo is that. The charger: PnC added to
 * AuthorizationSetupRes where offered; the check of a PnC AuthorizationReq (SESS_H_NEXT, or SESS_H_FAIL with the
 * code set). The car: whether it takes PnC from an AuthorizationSetupRes (1, the challenge kept); the signed
 * AuthorizationReq. */
#if CCS_PNC && CCS_PROTO_ISO20
int iso20_pnc_frag_digest(sess_docs *d, ccs_sha512_fn sha512, uint8_t out[CCS_SHA512_LEN]);
int iso20_pnc_signed_info_bytes(sess_docs *d, const struct iso20_SignedInfoType *si, size_t *len);
void iso20_pnc_signed_info(struct iso20_SignedInfoType *si, const char *id);
int iso20_pnc_signed_info_ok(const struct iso20_SignedInfoType *si, const char *id, size_t id_len);
int iso20_evse_pnc_offer(sess_evse *s);
int iso20_evse_pnc_offered(const sess_evse *s);
/* OK when header h's Signature signs the element in s->docs->sig.frag20 (Id id) with the P-521 key, else
 * FAILED_SignatureError. */
int iso20_evse_signed_by(sess_evse *s, const struct iso20_MessageHeaderType *h, const char *id, size_t id_len,
                         const uint8_t key[CCS_PNC_KEY_MAX]);
int iso20_evse_pnc_auth(sess_evse *s, uint32_t now);
int iso20_pev_pnc_choose(sess_pev *p, const struct iso20_AuthorizationSetupResType *r, uint32_t now);
int iso20_pev_pnc_build_auth(sess_pev *p);
/* The Signature sg of the element in d->sig.frag20 (Id id): SignedInfo, DigestValue, SignatureValue by sign(ctx);
 * 0 or CCS_EINVAL. Prepare a check: 1 when sg is SignedInfo of one Reference to id with our algorithms, its
 * DigestValue the element's and a SignatureValue of the suite's length; SignedInfo's bytes then in d->sig.bytes
 * (*len) for the verify hook. */
int iso20_pnc_sign(sess_docs *d, struct iso20_SignatureType *sg, const char *id, ccs_sha512_fn sha512,
                   int (*sign)(void *, const uint8_t *, size_t, uint8_t *), void *ctx);
int iso20_pnc_sig_prepare(sess_docs *d, const struct iso20_SignatureType *sg, const char *id, size_t id_len,
                          ccs_sha512_fn sha512, size_t *len);
/* CertificateInstallation (iso20_certinst_*.c). The charger: whether AuthorizationSetupRes offers it (a P-521 CPS
 * beside PnC); the request checked and answered (ISO20_EVSE_AUTH, before Authorization). The car: whether it asks
 * (p->cert_op, from AuthorizationSetupRes r at now); the signed request; the response checked and installed. */
int iso20_evse_certinst_offered(const sess_evse *s);
sess_evse_step iso20_evse_cert_install;
int iso20_pev_certinst_choose(sess_pev *p, const struct iso20_AuthorizationSetupResType *r, uint32_t now);
sess_pev_step iso20_pev_build_cert_install, iso20_pev_on_cert_install;
#define ISO20_EVSE_CERT_ROWS                                                                                     \
    { ISO20_EVSE_AUTH, ISO20_ROOT_CertificateInstallationReq, ISO20_EVSE_AUTH, iso20_evse_cert_install },
/* ISO 15118-20 Table 215 gives no V2G_EVCC_Msg_Timeout of CertificateInstallationReq we could read: ISO-2's 5 s
 * (its Table 109); Ongoing while the CPS works: V2G_EVCC_Ongoing_Timeout. */
#define ISO20_PEV_CERT_ROWS                                                                                      \
    { ISO20_PEV_CERT_INSTALL, ISO20_ROOT_CertificateInstallationReq, ISO20_PEV_AUTH, iso20_pev_build_cert_install, \
      iso20_pev_on_cert_install, SESS_EVCC_MSG_TIMEOUT_LONG_MS, SESS_EVCC_ONGOING_TIMEOUT_MS,                     \
      "CertificateInstallation" },
#else
#define ISO20_EVSE_CERT_ROWS
#define ISO20_PEV_CERT_ROWS
#endif

/* PEV (iso20_pev*.c). The charge loops honouring the charger's notifications, Standby, schedule and service
 * renegotiation (iso20_notice_pev.c); iso20_pev_next: the state after the charge loop (and after a renegotiation's
 * PowerDelivery Stop / DC_WeldingDetection). */
sess_pev_step iso20_pev_on_dc_loop, iso20_pev_on_ac_loop, iso20_pev_build_standby, iso20_pev_build_power_progress,
    iso20_pev_on_service_renegotiation;
/* The metering confirmation (iso20_metering.c): asked for by the charge-loop response just received (receipt_due),
 * the request and its response. */
void iso20_pev_take_receipt(sess_pev *p);
sess_pev_step iso20_pev_build_metering, iso20_pev_on_metering;
uint8_t iso20_pev_next(const sess_pev *p, const sess_pev_row *row);
int iso20_pev_check(sess_pev *p, int code);
int iso20_code_class(int code);
uint32_t iso20_pev_time_to_full_s(const sess_pev *p);
float iso20_pev_max_w(const sess_pev *p);
sess_pev_step iso20_pev_build_session_setup, iso20_pev_build_auth, iso20_pev_build_service_detail,
    iso20_pev_build_service_selection, iso20_pev_build_schedule, iso20_pev_build_session_stop, iso20_pev_on_simple,
    iso20_pev_on_auth_setup, iso20_pev_on_auth, iso20_pev_on_service_detail, iso20_pev_on_service_discovery,
    iso20_pev_on_schedule, iso20_pev_on_session_stop;

#endif
