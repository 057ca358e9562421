/* DIN 70121 DC as data: the charger's table (state, allowed request, handler, next state; per-state timeout)
 * and the car's table (request, response handler, next state, V2G_EVCC_Msg_Timeout, repeat limit). */
#include "din_internal.h"

#define SEQ SESS_SECC_SEQUENCE_TIMEOUT_MS

#if CCS_ROLE_EVSE
/* Each state waits at most V2G_SECC_Sequence_Timeout for the car's next request. */
static const sess_state_info evse_states[DIN_EVSE_NSTATES] = {
    [DIN_EVSE_SESSION_SETUP] = { "WaitSessionSetup", SEQ },
    [DIN_EVSE_SERVICE_DISCOVERY] = { "WaitServiceDiscovery", SEQ },
    [DIN_EVSE_PAYMENT] = { "WaitServicePaymentSelection", SEQ },
    [DIN_EVSE_AUTH] = { "WaitContractAuthentication", SEQ },
    [DIN_EVSE_CHARGE_PARAMETER] = { "WaitChargeParameterDiscovery", SEQ },
    [DIN_EVSE_CABLE_CHECK] = { "WaitCableCheck", SEQ },
    [DIN_EVSE_PRECHARGE] = { "WaitPreCharge", SEQ },
    [DIN_EVSE_CHARGE] = { "WaitCurrentDemand", SEQ },
    [DIN_EVSE_WELDING] = { "WaitWeldingDetection", SEQ },
};

#define R(state, req, next, fn) { DIN_EVSE_##state, din_BodyType_##req, DIN_EVSE_##next, din_evse_##fn }
#define DC(state, req, next, fn) { DIN_EVSE_##state, din_BodyType_##req, DIN_EVSE_##next, sess_dc_evse_##fn }
#define STOP(state) { DIN_EVSE_##state, din_BodyType_SessionStopReq, DIN_EVSE_##state, din_evse_session_stop }
/* Repeats of a finished step (CableCheck, ContractAuthentication) are answered again, not refused: the Model Y
 * capture repeats CableCheck after "Finished". SessionStop is accepted from ServicePaymentSelection on (the
 * Model Y stops in PreCharge); PowerDelivery(stop) right after CableCheck/PreCharge (Audi Q4). */
static const sess_evse_row evse_rows[] = {
    R(SESSION_SETUP, SessionSetupReq, SERVICE_DISCOVERY, session_setup),
    R(SERVICE_DISCOVERY, ServiceDiscoveryReq, PAYMENT, service_discovery),
    R(PAYMENT, ServicePaymentSelectionReq, AUTH, payment),
    R(AUTH, ContractAuthenticationReq, CHARGE_PARAMETER, auth),
    R(CHARGE_PARAMETER, ContractAuthenticationReq, CHARGE_PARAMETER, auth),
    DC(CHARGE_PARAMETER, ChargeParameterDiscoveryReq, CABLE_CHECK, charge_parameter),
    DC(CABLE_CHECK, ChargeParameterDiscoveryReq, CABLE_CHECK, charge_parameter),
    DC(CABLE_CHECK, CableCheckReq, PRECHARGE, cable_check),
    DC(PRECHARGE, CableCheckReq, PRECHARGE, cable_check),
    DC(PRECHARGE, PreChargeReq, PRECHARGE, precharge),
    DC(PRECHARGE, PowerDeliveryReq, CHARGE, power_start),
    { DIN_EVSE_PRECHARGE, DIN_MSG_POWER_DELIVERY_STOP, DIN_EVSE_WELDING, sess_dc_evse_power_stop },
    DC(CHARGE, CurrentDemandReq, CHARGE, current_demand),
    { DIN_EVSE_CHARGE, DIN_MSG_POWER_DELIVERY_STOP, DIN_EVSE_WELDING, sess_dc_evse_power_stop },
    DC(WELDING, WeldingDetectionReq, WELDING, welding),
    STOP(PAYMENT), STOP(AUTH), STOP(CHARGE_PARAMETER), STOP(CABLE_CHECK), STOP(PRECHARGE), STOP(CHARGE),
    STOP(WELDING),
};
#endif

enum {
    PEV_SESSION_SETUP, PEV_SERVICE_DISCOVERY, PEV_PAYMENT, PEV_AUTH, PEV_CHARGE_PARAMETER, PEV_CABLE_CHECK,
    PEV_PRECHARGE, PEV_POWER_START, PEV_CHARGE, PEV_POWER_STOP, PEV_WELDING, PEV_SESSION_STOP
};

#define MSG SESS_EVCC_MSG_TIMEOUT_MS
#define P(state, req, next, build, handle, msg_to, state_to, name)                                              \
    { PEV_##state, din_BodyType_##req, PEV_##next, din_pev_build_##build, din_pev_on_##handle, msg_to, state_to, name }
/* A request with no body to fill. */
#define N(state, req, next, handle, msg_to, state_to, name)                                                     \
    { PEV_##state, din_BodyType_##req, PEV_##next, sess_pev_build_empty, din_pev_on_##handle, msg_to, state_to, name }
/* A DC step of the session model (sess_dc_pev.c): builder and handler of the same name. */
#define D(state, req, next, fn, msg_to, state_to, name)                                                        \
    { PEV_##state, din_BodyType_##req, PEV_##next, sess_dc_pev_build_##fn, sess_dc_pev_on_##fn, msg_to, state_to, name }
#if CCS_ROLE_PEV
static const sess_pev_row pev_rows[] = {
    P(SESSION_SETUP, SessionSetupReq, SERVICE_DISCOVERY, session_setup, session_setup, MSG, 0, "SessionSetup"),
    P(SERVICE_DISCOVERY, ServiceDiscoveryReq, PAYMENT, service_discovery, service_discovery, MSG, 0,
      "ServiceDiscovery"),
    P(PAYMENT, ServicePaymentSelectionReq, AUTH, payment, simple, MSG, 0, "ServicePaymentSelection"),
    N(AUTH, ContractAuthenticationReq, CHARGE_PARAMETER, auth, MSG, SESS_EVCC_ONGOING_TIMEOUT_MS,
      "ContractAuthentication"),
    D(CHARGE_PARAMETER, ChargeParameterDiscoveryReq, CABLE_CHECK, charge_parameter, MSG,
      SESS_EVCC_ONGOING_TIMEOUT_MS, "ChargeParameterDiscovery"),
    D(CABLE_CHECK, CableCheckReq, PRECHARGE, cable_check, MSG, SESS_EVCC_CABLE_CHECK_TIMEOUT_MS,
      "CableCheck"),
    D(PRECHARGE, PreChargeReq, POWER_START, precharge, MSG, SESS_EVCC_PRECHARGE_TIMEOUT_MS, "PreCharge"),
    D(POWER_START, PowerDeliveryReq, CHARGE, power_start, MSG, 0, "PowerDelivery(start)"),
    D(CHARGE, CurrentDemandReq, POWER_STOP, current_demand,
      SESS_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_MS, 0, "CurrentDemand"),
    { PEV_POWER_STOP, DIN_MSG_POWER_DELIVERY_STOP, PEV_WELDING, sess_dc_pev_build_power_stop, sess_dc_pev_on_power_stop,
      MSG, 0, "PowerDelivery(stop)" },
    D(WELDING, WeldingDetectionReq, SESSION_STOP, welding, MSG, SESS_PEV_CURRENT_DROP_MS, "WeldingDetection"),
    N(SESSION_STOP, SessionStopReq, SESSION_STOP, session_stop, MSG, 0, "SessionStop"),
};
#endif

const sess_proto sess_proto_din = {
    .name = "din",
    .ns = "urn:din:70121:2012:MsgDef",
    .major = 2,
    .minor = 0,
    .decode = din_glue_decode,
    .encode = din_glue_encode,
    .msg_of = din_msg_of,
    .msg_name = din_msg_name,
    .response_of = din_response_of,
    .session_id = din_session_id,
    .start = din_start,
    .set_code = din_set_code,
    .get_code = din_get_code,
    .msg_session_setup = din_BodyType_SessionSetupReq,
    .codec = "din",
#if CCS_ROLE_EVSE
    .evse_safe_fields = din_evse_safe_fields,
    .evse_dc_in = din_evse_dc_in,
    .evse_dc_out = din_evse_dc_out,
    .evse_first = DIN_EVSE_SESSION_SETUP,
    .evse_nstates = DIN_EVSE_NSTATES,
    .evse_nrows = sizeof evse_rows / sizeof evse_rows[0],
    .evse_states = evse_states,
    .evse_rows = evse_rows,
#endif
#if CCS_ROLE_PEV
    .pev_dc_out = din_pev_dc_out,
    .pev_dc_in = din_pev_dc_in,
    .pev_first = PEV_SESSION_SETUP,
    .pev_nrows = sizeof pev_rows / sizeof pev_rows[0],
    .pev_rows = pev_rows,
#endif
};
