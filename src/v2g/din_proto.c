/* DIN 70121 DC as data: the charger's table (state, allowed request, handler, next state; per-state timeout)
 * and the car's table (request, response handler, next state, V2G_EVCC_Msg_Timeout, repeat limit), which are
 * ISO 15118-2's DC tables but for its additions (pv_table.h). */
#include "din_internal.h"

#define PFX(x) DIN_##x
#define OWN(x) din_##x
#define ID(m) din_BodyType_##m
#define PV_PAYMENT ServicePaymentSelection
#define PV_AUTH ContractAuthentication
#include "pv_table.h"

#if CCS_ROLE_EVSE
static const sess_state_info evse_states[DIN_EVSE_NSTATES] = { PV_EVSE_STATES };
static const sess_evse_row evse_rows[] = { PV_EVSE_ROWS };
#endif

#if CCS_ROLE_PEV
enum {
    DIN_PEV_SESSION_SETUP, DIN_PEV_SERVICE_DISCOVERY, DIN_PEV_PAYMENT, DIN_PEV_AUTH, DIN_PEV_CHARGE_PARAMETER,
    DIN_PEV_CABLE_CHECK, DIN_PEV_PRECHARGE, DIN_PEV_POWER_START, DIN_PEV_CURRENT_DEMAND, DIN_PEV_POWER_STOP,
    DIN_PEV_WELDING, DIN_PEV_SESSION_STOP
};
static const sess_pev_row pev_rows[] = {
    PV_PEV_ROWS(MSG, sess_pev_build_empty), N(SESSION_STOP, SessionStop, SESSION_STOP, session_stop, MSG, 0),
};
#endif

const sess_proto sess_proto_din = {
    .name = "din", .codec = "din", .msg_session_setup = din_BodyType_SessionSetupReq,
    .ns = "urn:din:70121:2012:MsgDef", .major = 2, .minor = 0,   /* SupportedAppProtocol */
    SESS_PROTO_GLUE(din) SESS_PROTO_TABLES(evse_states, evse_rows, pev_rows)
};
