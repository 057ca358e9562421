/* DIN 70121 DC as data: the charger's table (state, allowed request, handler, next state; per-state timeout)
 * and the car's table (request, response handler, next state, V2G_EVCC_Msg_Timeout, repeat limit). The DC part
 * is ISO 15118-2's too (sess_table.h). */
#include "din_internal.h"

#define PFX(x) DIN_##x
#define OWN(x) din_##x
#define ID(m) din_BodyType_##m
#include "sess_table.h"

#if CCS_ROLE_EVSE
/* Each state waits at most V2G_SECC_Sequence_Timeout for the car's next request. */
static const sess_state_info evse_states[DIN_EVSE_NSTATES] = {
    PV_DC_EVSE_STATES,
    [DIN_EVSE_PAYMENT] = { "WaitServicePaymentSelection", SEQ },
    [DIN_EVSE_AUTH] = { "WaitContractAuthentication", SEQ },
};

/* A repeated ContractAuthentication is answered again. SessionStop is accepted from ServicePaymentSelection on
 * (the Model Y stops in PreCharge). */
static const sess_evse_row evse_rows[] = {
    R(SESSION_SETUP, SessionSetupReq, SERVICE_DISCOVERY, session_setup),
    R(SERVICE_DISCOVERY, ServiceDiscoveryReq, PAYMENT, service_discovery),
    R(PAYMENT, ServicePaymentSelectionReq, AUTH, payment),
    R(AUTH, ContractAuthenticationReq, CHARGE_PARAMETER, auth),
    R(CHARGE_PARAMETER, ContractAuthenticationReq, CHARGE_PARAMETER, auth),
    PV_DC_EVSE_ROWS,
    STOP(PAYMENT), STOP(AUTH), STOP(CHARGE_PARAMETER), STOP(CABLE_CHECK), STOP(PRECHARGE), STOP(CHARGE),
    STOP(WELDING),
};
#endif

#if CCS_ROLE_PEV
enum {
    DIN_PEV_SESSION_SETUP, DIN_PEV_SERVICE_DISCOVERY, DIN_PEV_PAYMENT, DIN_PEV_AUTH, DIN_PEV_CHARGE_PARAMETER,
    DIN_PEV_CABLE_CHECK, DIN_PEV_PRECHARGE, DIN_PEV_POWER_START, DIN_PEV_CURRENT_DEMAND, DIN_PEV_POWER_STOP,
    DIN_PEV_WELDING, DIN_PEV_SESSION_STOP
};

static const sess_pev_row pev_rows[] = {
    P(SESSION_SETUP, SessionSetupReq, SERVICE_DISCOVERY, session_setup, session_setup, MSG, 0, "SessionSetup"),
    P(SERVICE_DISCOVERY, ServiceDiscoveryReq, PAYMENT, service_discovery, service_discovery, MSG, 0,
      "ServiceDiscovery"),
    P(PAYMENT, ServicePaymentSelectionReq, AUTH, payment, simple, MSG, 0, "ServicePaymentSelection"),
    N(AUTH, ContractAuthenticationReq, CHARGE_PARAMETER, auth, MSG, ONGOING, "ContractAuthentication"),
    PV_DC_PEV_ROWS(MSG),
    N(SESSION_STOP, SessionStopReq, SESSION_STOP, session_stop, MSG, 0, "SessionStop"),
};
#endif

const sess_proto sess_proto_din = {
    .name = "din",
    .ns = "urn:din:70121:2012:MsgDef",
    .major = 2,
    .minor = 0,
    .msg_session_setup = din_BodyType_SessionSetupReq,
    .codec = "din",
    SESS_PROTO_GLUE(din)
    SESS_PROTO_TABLES(evse_states, evse_rows, pev_rows)
};
