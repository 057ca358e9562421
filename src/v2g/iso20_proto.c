/* ISO 15118-20 DC with external identification as data: the charger's table (V2G_SECC_Sequence_Timeout per
 * state), the car's table with the V2G_EVCC_Msg_Timeout of each request and its repeat limit. Values: ISO
 * 15118-20 Table 215 (V2G_EVCC_Msg_Timeout 2 s, V2G_SECC_Sequence_Timeout 60 s), Table 217 (DC_ChargeLoop:
 * 0.5 s both ways), Ongoing 60 s, CableCheck 40 s, PreCharge 10 s (sources: docs/sessions.md). */
#include "iso20_internal.h"

#define SEQ SESS_SECC_SEQUENCE_TIMEOUT_MS

#if CCS_ROLE_EVSE
static const sess_state_info evse_states[ISO20_EVSE_NSTATES] = {
    ISO20_EVSE_STATES("DC"), [ISO20_EVSE_CABLE_CHECK] = { "WaitDC_CableCheck", SEQ },
    [ISO20_EVSE_PRECHARGE] = { "WaitDC_PreCharge", SEQ }, [ISO20_EVSE_WELDING] = { "WaitDC_WeldingDetection", SEQ },
};

#define R(state, req, next, fn) { ISO20_EVSE_##state, ISO20_ROOT_##req, ISO20_EVSE_##next, iso20_evse_##fn }
#define D(state, req, next, fn) { ISO20_EVSE_##state, ISO20_DC(req), ISO20_EVSE_##next, sess_dc_evse_##fn }
#define PSTOP(state) { ISO20_EVSE_##state, ISO20_MSG_POWER_DELIVERY_STOP, ISO20_EVSE_WELDING, sess_dc_evse_power_stop }
#define STOP(state) { ISO20_EVSE_##state, ISO20_ROOT_SessionStopReq, ISO20_EVSE_##state, iso20_evse_session_stop }
/* PowerDelivery(Stop) is accepted from PreCharge on (a car may end without charging), SessionStop from
 * Authorization on; Standby and schedule renegotiation from the charge loop (ISO20_EVSE_NOTICE_ROWS). */
static const sess_evse_row evse_rows[] = {
    R(SESSION_SETUP, SessionSetupReq, AUTH_SETUP, session_setup),
    R(AUTH_SETUP, AuthorizationSetupReq, AUTH, auth_setup),
    R(AUTH, AuthorizationReq, SERVICE_DISCOVERY, auth),
    ISO20_EVSE_CERT_ROWS
    R(SERVICE_DISCOVERY, ServiceDiscoveryReq, SERVICE_SELECTION, service_discovery),
    R(SERVICE_SELECTION, ServiceDetailReq, SERVICE_SELECTION, service_detail),
    R(SERVICE_SELECTION, ServiceSelectionReq, CHARGE_PARAMETER, service_selection),
    D(CHARGE_PARAMETER, DC_ChargeParameterDiscoveryReq, SCHEDULE, charge_parameter),
    R(SCHEDULE, ScheduleExchangeReq, CABLE_CHECK, schedule),
    D(CABLE_CHECK, DC_CableCheckReq, PRECHARGE, cable_check),
    D(PRECHARGE, DC_PreChargeReq, PRECHARGE, precharge),
    { ISO20_EVSE_PRECHARGE, ISO20_ROOT_PowerDeliveryReq, ISO20_EVSE_CHARGE_START, sess_dc_evse_power_start },
    { ISO20_EVSE_CHARGE_START, ISO20_DC(DC_ChargeLoopReq), ISO20_EVSE_CHARGE, iso20_evse_dc_loop },
    { ISO20_EVSE_CHARGE, ISO20_DC(DC_ChargeLoopReq), ISO20_EVSE_CHARGE, iso20_evse_dc_loop },
    D(WELDING, DC_WeldingDetectionReq, WELDING, welding),
    PSTOP(PRECHARGE), PSTOP(CHARGE_START), PSTOP(CHARGE),
    STOP(AUTH), STOP(SERVICE_DISCOVERY), STOP(SERVICE_SELECTION), STOP(CHARGE_PARAMETER), STOP(SCHEDULE),
    STOP(CABLE_CHECK), STOP(PRECHARGE), STOP(WELDING), STOP(SESSION_STOP),
    ISO20_EVSE_NOTICE_ROWS(ISO20_DC(DC_ChargeLoopReq), iso20_evse_dc_loop, ISO20_EVSE_WELDING),
};
#endif

#define MSG SESS_EVCC_MSG_TIMEOUT_MS
#define ONGOING SESS_EVCC_ONGOING_TIMEOUT_MS
#define P(state, req, next, build, handle, msg_to, state_to, name)                                              \
    { ISO20_PEV_##state, req, ISO20_PEV_##next, iso20_pev_build_##build, iso20_pev_on_##handle, msg_to, state_to, \
      name }
/* A request with no body to fill. */
#define N(state, req, next, handle, msg_to, state_to, name)                                                     \
    { ISO20_PEV_##state, req, ISO20_PEV_##next, sess_pev_build_empty, iso20_pev_on_##handle, msg_to, state_to, name }
/* The car always asks ServiceDetail: it learns the parameter set (control mode) it selects from it. */
/* A DC step of the session model (sess_dc_pev.c): builder and handler of the same name. */
#define D_PEV(state, req, next, fn, msg_to, state_to, name)                                                    \
    { ISO20_PEV_##state, req, ISO20_PEV_##next, sess_dc_pev_build_##fn, sess_dc_pev_on_##fn, msg_to, state_to, name }
#if CCS_ROLE_PEV
static const sess_pev_row pev_rows[] = {
    P(SESSION_SETUP, ISO20_ROOT_SessionSetupReq, AUTH_SETUP, session_setup, simple, MSG, 0, "SessionSetup"),
    N(AUTH_SETUP, ISO20_ROOT_AuthorizationSetupReq, AUTH, auth_setup, MSG, 0, "AuthorizationSetup"),
    P(AUTH, ISO20_ROOT_AuthorizationReq, SERVICE_DISCOVERY, auth, auth, MSG, ONGOING, "Authorization"),
    N(SERVICE_DISCOVERY, ISO20_ROOT_ServiceDiscoveryReq, SERVICE_DETAIL, service_discovery, MSG, 0,
      "ServiceDiscovery"),
    P(SERVICE_DETAIL, ISO20_ROOT_ServiceDetailReq, SERVICE_SELECTION, service_detail, service_detail, MSG, 0,
      "ServiceDetail"),
    P(SERVICE_SELECTION, ISO20_ROOT_ServiceSelectionReq, CHARGE_PARAMETER, service_selection, simple, MSG, 0,
      "ServiceSelection"),
    D_PEV(CHARGE_PARAMETER, ISO20_DC(DC_ChargeParameterDiscoveryReq), SCHEDULE, charge_parameter, MSG,
      0, "DC_ChargeParameterDiscovery"),
    P(SCHEDULE, ISO20_ROOT_ScheduleExchangeReq, CABLE_CHECK, schedule, schedule, MSG, ONGOING, "ScheduleExchange"),
    D_PEV(CABLE_CHECK, ISO20_DC(DC_CableCheckReq), PRECHARGE, cable_check, MSG, SESS_EVCC_CABLE_CHECK_TIMEOUT_MS,
      "DC_CableCheck"),
    D_PEV(PRECHARGE, ISO20_DC(DC_PreChargeReq), POWER_START, precharge, MSG, SESS_ISO20_PRECHARGE_TIMEOUT_MS,
      "DC_PreCharge"),
    D_PEV(POWER_START, ISO20_ROOT_PowerDeliveryReq, CHARGE_LOOP, power_start, MSG, 0,
      "PowerDelivery(start)"),
    { ISO20_PEV_CHARGE_LOOP, ISO20_DC(DC_ChargeLoopReq), ISO20_PEV_POWER_STOP, sess_dc_pev_build_current_demand,
      iso20_pev_on_dc_loop, SESS_ISO20_MSG_TIMEOUT_CHARGE_LOOP_MS, 0, "DC_ChargeLoop" },
    D_PEV(POWER_STOP, ISO20_MSG_POWER_DELIVERY_STOP, WELDING, power_stop, MSG, 0, "PowerDelivery(stop)"),
    D_PEV(WELDING, ISO20_DC(DC_WeldingDetectionReq), SESSION_STOP, welding, MSG, SESS_PEV_CURRENT_DROP_MS,
      "DC_WeldingDetection"),
    P(SESSION_STOP, ISO20_ROOT_SessionStopReq, SESSION_STOP, session_stop, session_stop, MSG, 0, "SessionStop"),
    ISO20_PEV_NOTICE_ROWS(ISO20_DC(DC_ChargeLoopReq), iso20_pev_on_dc_loop, "DC_ChargeLoop"),
    ISO20_PEV_VAS_ROWS,
    ISO20_PEV_CERT_ROWS
};
#endif

const sess_proto sess_proto_iso20 = {
    .name = "iso20", .codec = "iso20-common", .codec_dc = "iso20-dc", .msg_session_setup = ISO20_ROOT_SessionSetupReq,
    .ns = "urn:iso:std:iso:15118:-20:DC", .major = 1, .minor = 0,   /* SupportedAppProtocol */
    .decode_typed = iso20_glue_decode_typed, .payload_type = iso20_payload_type, .stamp = iso20_stamp, .can_pause = 1,
    .pev_next = iso20_pev_next,
    .service_payload = V2GTP_ISO20_DC,
    SESS_PROTO_GLUE(iso20) SESS_PROTO_TABLES(evse_states, evse_rows, pev_rows)
};
