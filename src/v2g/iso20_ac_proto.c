/* ISO 15118-20 AC with external identification as data: the charger's and the car's tables. The session part is
 * ISO-20 DC's handlers (the AC service by the protocol), ChargeParameterDiscovery and PowerDelivery the model's DC
 * steps, the AC_ChargeLoop the model's AC loop (sess_model.h); no CableCheck, PreCharge, WeldingDetection.
 * Timeouts: ISO 15118-20 Table 215 (2 s, 60 s), Tables 216/217 (AC_ChargeLoop: 0.5 s both ways, as DC). */
#include "iso20_ac_internal.h"

#if CCS_PROTO_ISO20_AC
#define SEQ SESS_SECC_SEQUENCE_TIMEOUT_MS

#if CCS_ROLE_EVSE
static const sess_state_info evse_states[ISO20_EVSE_NSTATES] = {
    ISO20_EVSE_STATES("AC"), [ISO20_EVSE_POWER_DELIVERY] = { "WaitPowerDelivery", SEQ },
};

#define R(state, req, next, fn) { ISO20_EVSE_##state, ISO20_ROOT_##req, ISO20_EVSE_##next, iso20_evse_##fn }
#define PSTOP(state) { ISO20_EVSE_##state, ISO20_MSG_POWER_DELIVERY_STOP, ISO20_EVSE_SESSION_STOP, sess_dc_evse_power_stop }
#define STOP(state) { ISO20_EVSE_##state, ISO20_ROOT_SessionStopReq, ISO20_EVSE_##state, iso20_evse_session_stop }
#define LOOP(state) { ISO20_EVSE_##state, ISO20_AC(AC_ChargeLoopReq), ISO20_EVSE_CHARGE, iso20_evse_ac_loop }
/* PowerDelivery(Stop) is accepted from the wait for PowerDelivery on, SessionStop from Authorization on; Standby and
 * schedule renegotiation from the charge loop (ISO20_EVSE_NOTICE_ROWS). */
static const sess_evse_row evse_rows[] = {
    R(SESSION_SETUP, SessionSetupReq, AUTH_SETUP, session_setup),
    R(AUTH_SETUP, AuthorizationSetupReq, AUTH, auth_setup),
    R(AUTH, AuthorizationReq, SERVICE_DISCOVERY, auth),
    ISO20_EVSE_CERT_ROWS
    R(SERVICE_DISCOVERY, ServiceDiscoveryReq, SERVICE_SELECTION, service_discovery),
    R(SERVICE_SELECTION, ServiceDetailReq, SERVICE_SELECTION, service_detail),
    R(SERVICE_SELECTION, ServiceSelectionReq, CHARGE_PARAMETER, service_selection),
    { ISO20_EVSE_CHARGE_PARAMETER, ISO20_AC(AC_ChargeParameterDiscoveryReq), ISO20_EVSE_SCHEDULE,
      sess_dc_evse_charge_parameter },
    R(SCHEDULE, ScheduleExchangeReq, POWER_DELIVERY, schedule),
    { ISO20_EVSE_POWER_DELIVERY, ISO20_ROOT_PowerDeliveryReq, ISO20_EVSE_CHARGE_START, sess_dc_evse_power_start },
    LOOP(CHARGE_START), LOOP(CHARGE),
    PSTOP(POWER_DELIVERY), PSTOP(CHARGE_START), PSTOP(CHARGE),
    STOP(AUTH), STOP(SERVICE_DISCOVERY), STOP(SERVICE_SELECTION), STOP(CHARGE_PARAMETER), STOP(SCHEDULE),
    STOP(POWER_DELIVERY), STOP(SESSION_STOP),
    ISO20_EVSE_NOTICE_ROWS(ISO20_AC(AC_ChargeLoopReq), iso20_evse_ac_loop, ISO20_EVSE_SESSION_STOP),
};
#endif

#define MSG SESS_EVCC_MSG_TIMEOUT_MS
#define ONGOING SESS_EVCC_ONGOING_TIMEOUT_MS
#define P(state, req, next, build, handle, msg_to, state_to, name)                                              \
    { ISO20_PEV_##state, req, ISO20_PEV_##next, build, handle, msg_to, state_to, name }
#if CCS_ROLE_PEV
static const sess_pev_row pev_rows[] = {
    P(SESSION_SETUP, ISO20_ROOT_SessionSetupReq, AUTH_SETUP, iso20_pev_build_session_setup, iso20_pev_on_simple, MSG,
      0, "SessionSetup"),
    P(AUTH_SETUP, ISO20_ROOT_AuthorizationSetupReq, AUTH, sess_pev_build_empty, iso20_pev_on_auth_setup, MSG, 0,
      "AuthorizationSetup"),
    P(AUTH, ISO20_ROOT_AuthorizationReq, SERVICE_DISCOVERY, iso20_pev_build_auth, iso20_pev_on_auth, MSG, ONGOING,
      "Authorization"),
    P(SERVICE_DISCOVERY, ISO20_ROOT_ServiceDiscoveryReq, SERVICE_DETAIL, sess_pev_build_empty,
      iso20_pev_on_service_discovery, MSG, 0, "ServiceDiscovery"),
    P(SERVICE_DETAIL, ISO20_ROOT_ServiceDetailReq, SERVICE_SELECTION, iso20_pev_build_service_detail,
      iso20_pev_on_service_detail, MSG, 0, "ServiceDetail"),
    P(SERVICE_SELECTION, ISO20_ROOT_ServiceSelectionReq, CHARGE_PARAMETER, iso20_pev_build_service_selection,
      iso20_pev_on_simple, MSG, 0, "ServiceSelection"),
    P(CHARGE_PARAMETER, ISO20_AC(AC_ChargeParameterDiscoveryReq), SCHEDULE, sess_dc_pev_build_charge_parameter,
      sess_dc_pev_on_charge_parameter, MSG, 0, "AC_ChargeParameterDiscovery"),
    P(SCHEDULE, ISO20_ROOT_ScheduleExchangeReq, POWER_START, iso20_pev_build_schedule, iso20_pev_on_schedule, MSG,
      ONGOING, "ScheduleExchange"),
    P(POWER_START, ISO20_ROOT_PowerDeliveryReq, CHARGE_LOOP, sess_dc_pev_build_power_start, sess_dc_pev_on_power_start,
      MSG, 0, "PowerDelivery(start)"),
    P(CHARGE_LOOP, ISO20_AC(AC_ChargeLoopReq), POWER_STOP, sess_ac_pev_build_charge_loop, iso20_pev_on_ac_loop,
      SESS_ISO20_MSG_TIMEOUT_CHARGE_LOOP_MS, 0, "AC_ChargeLoop"),
    P(POWER_STOP, ISO20_MSG_POWER_DELIVERY_STOP, SESSION_STOP, sess_dc_pev_build_power_stop, sess_dc_pev_on_power_stop,
      MSG, 0, "PowerDelivery(stop)"),
    P(SESSION_STOP, ISO20_ROOT_SessionStopReq, SESSION_STOP, iso20_pev_build_session_stop, iso20_pev_on_session_stop,
      MSG, 0, "SessionStop"),
    ISO20_PEV_NOTICE_ROWS(ISO20_AC(AC_ChargeLoopReq), iso20_pev_on_ac_loop, "AC_ChargeLoop"),
    ISO20_PEV_VAS_ROWS,
    ISO20_PEV_CERT_ROWS
};
#endif

const sess_proto sess_proto_iso20_ac = {
    .name = "iso20-ac", .codec = "iso20-common", .codec_dc = "iso20-ac", .msg_session_setup = ISO20_ROOT_SessionSetupReq,
    .ns = "urn:iso:std:iso:15118:-20:AC", .major = 1, .minor = 0,   /* SupportedAppProtocol */
    .decode_typed = iso20ac_decode_typed, .payload_type = iso20_payload_type, .stamp = iso20ac_stamp, .can_pause = 1,
    .pev_next = iso20_pev_next,
    .service_payload = V2GTP_ISO20_AC,
    SESS_PROTO_GLUE(iso20ac) SESS_PROTO_TABLES(evse_states, evse_rows, pev_rows)
};
#endif
