/* The tables DIN 70121 and ISO 15118-2 share (EIM, DC): the same sequence of states and requests, the setup
 * steps of pv_evse_setup.h / pv_pev_setup.h and the DC model's steps; din_proto.c is this, iso2_proto.c adds
 * ServiceDetail, AC and MeteringReceipt. The file defines PFX(x) its upper-case prefix (DIN_x: states DIN_EVSE_*,
 * DIN_PEV_*, the pseudo id DIN_MSG_POWER_DELIVERY_STOP), OWN(x) its own steps (din_x), ID(m) the id of message m,
 * PV_PAYMENT and PV_AUTH the names of its payment and authorization messages (without Req), then includes this. */
#ifndef CCSPLC_PV_TABLE_H
#define CCSPLC_PV_TABLE_H

#include "sess_internal.h"

#define ES(state) PFX(EVSE_##state)
#define PS(state) PFX(PEV_##state)
#define PD_STOP PFX(MSG_POWER_DELIVERY_STOP)
#define PV_STR_(x) #x
#define PV_STR(x) PV_STR_(x)
#define PV_REQ_(m) ID(m##Req)
#define PV_REQ(m) PV_REQ_(m)
#define SEQ SESS_SECC_SEQUENCE_TIMEOUT_MS
#define MSG SESS_EVCC_MSG_TIMEOUT_MS
#define ONGOING SESS_EVCC_ONGOING_TIMEOUT_MS

/* Charger rows: in `state` the request of message m (mReq) goes to the protocol's own step (R) or the DC model's
 * (DC), then to `next`; SessionStop is answered in `state` (STOP); PowerDelivery(stop) leads to WeldingDetection
 * (PSTOP). */
#define R(state, m, next, fn) { ES(state), PV_REQ(m), ES(next), OWN(evse_##fn) }
#define DC(state, m, next, fn) { ES(state), PV_REQ(m), ES(next), sess_dc_evse_##fn }
#define STOP(state) { ES(state), ID(SessionStopReq), ES(state), OWN(evse_session_stop) }
#define PSTOP(state) { ES(state), PD_STOP, ES(WELDING), sess_dc_evse_power_stop }
/* Car rows (sess_pev_row) of message m: the protocol's own builder and handler (P), a request with no body to
 * fill (N); a DC step of the model, builder and handler of the same name (D, request id req). */
#define P(state, m, next, build, handle, msg_to, state_to)                                                     \
    { PS(state), PV_REQ(m), PS(next), OWN(pev_build_##build), OWN(pev_on_##handle), msg_to, state_to, PV_STR(m) }
#define N(state, m, next, handle, msg_to, state_to)                                                            \
    { PS(state), PV_REQ(m), PS(next), sess_pev_build_empty, OWN(pev_on_##handle), msg_to, state_to, PV_STR(m) }
#define D(state, req, next, fn, msg_to, state_to, name)                                                        \
    { PS(state), req, PS(next), sess_dc_pev_build_##fn, sess_dc_pev_on_##fn, msg_to, state_to, name }

/* Each state waits at most V2G_SECC_Sequence_Timeout for the car's next request. */
#define PV_EVSE_STATES                                                                                         \
    [ES(SESSION_SETUP)] = { "WaitSessionSetup", SEQ }, [ES(SERVICE_DISCOVERY)] = { "WaitServiceDiscovery", SEQ }, \
    [ES(PAYMENT)] = { "Wait" PV_STR(PV_PAYMENT), SEQ }, [ES(AUTH)] = { "Wait" PV_STR(PV_AUTH), SEQ },            \
    [ES(CHARGE_PARAMETER)] = { "WaitChargeParameterDiscovery", SEQ }, [ES(CABLE_CHECK)] = { "WaitCableCheck", SEQ }, \
    [ES(PRECHARGE)] = { "WaitPreCharge", SEQ }, [ES(CHARGE)] = { "WaitCurrentDemand", SEQ },                   \
    [ES(WELDING)] = { "WaitWeldingDetection", SEQ }
/* Repeats of a finished step (CableCheck, the authorization) are answered again, not refused: the Model Y capture
 * repeats CableCheck after "Finished". SessionStop is accepted from the payment selection on (the Model Y stops
 * in PreCharge); PowerDelivery(stop) right after CableCheck/PreCharge (Audi Q4). */
#define PV_EVSE_ROWS                                                                                           \
    R(SESSION_SETUP, SessionSetup, SERVICE_DISCOVERY, session_setup),                                          \
    R(SERVICE_DISCOVERY, ServiceDiscovery, PAYMENT, service_discovery), R(PAYMENT, PV_PAYMENT, AUTH, payment), \
    R(AUTH, PV_AUTH, CHARGE_PARAMETER, auth), R(CHARGE_PARAMETER, PV_AUTH, CHARGE_PARAMETER, auth),            \
    DC(CHARGE_PARAMETER, ChargeParameterDiscovery, CABLE_CHECK, charge_parameter),                             \
    DC(CABLE_CHECK, ChargeParameterDiscovery, CABLE_CHECK, charge_parameter),                                  \
    DC(CABLE_CHECK, CableCheck, PRECHARGE, cable_check), DC(PRECHARGE, CableCheck, PRECHARGE, cable_check),    \
    DC(PRECHARGE, PreCharge, PRECHARGE, precharge), DC(PRECHARGE, PowerDelivery, CHARGE, power_start),         \
    DC(CHARGE, CurrentDemand, CHARGE, current_demand), DC(WELDING, WeldingDetection, WELDING, welding),         \
    PSTOP(PRECHARGE), PSTOP(CHARGE), STOP(PAYMENT), STOP(AUTH), STOP(CHARGE_PARAMETER), STOP(CABLE_CHECK),      \
    STOP(PRECHARGE), STOP(CHARGE), STOP(WELDING)
/* The car's, but for SessionStop; pd_to is PowerDelivery's V2G_EVCC_Msg_Timeout (DIN 70121 2 s, ISO 15118-2
 * Table 109 5 s), auth the builder of the authorization request. */
#define PV_PEV_ROWS(pd_to, auth)                                                                               \
    P(SESSION_SETUP, SessionSetup, SERVICE_DISCOVERY, session_setup, session_setup, MSG, 0),                   \
    P(SERVICE_DISCOVERY, ServiceDiscovery, PAYMENT, service_discovery, service_discovery, MSG, 0),             \
    P(PAYMENT, PV_PAYMENT, AUTH, payment, simple, MSG, 0),                                                     \
    { PS(AUTH), PV_REQ(PV_AUTH), PS(CHARGE_PARAMETER), auth, OWN(pev_on_auth), MSG, ONGOING, PV_STR(PV_AUTH) }, \
    D(CHARGE_PARAMETER, ID(ChargeParameterDiscoveryReq), CABLE_CHECK, charge_parameter, MSG, ONGOING,          \
      "ChargeParameterDiscovery"),                                                                             \
    D(CABLE_CHECK, ID(CableCheckReq), PRECHARGE, cable_check, MSG, SESS_EVCC_CABLE_CHECK_TIMEOUT_MS, "CableCheck"), \
    D(PRECHARGE, ID(PreChargeReq), POWER_START, precharge, MSG, SESS_EVCC_PRECHARGE_TIMEOUT_MS, "PreCharge"),  \
    D(POWER_START, ID(PowerDeliveryReq), CURRENT_DEMAND, power_start, pd_to, 0, "PowerDelivery(start)"),       \
    D(CURRENT_DEMAND, ID(CurrentDemandReq), POWER_STOP, current_demand, SESS_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_MS, 0, \
      "CurrentDemand"),                                                                                        \
    D(POWER_STOP, PD_STOP, WELDING, power_stop, pd_to, 0, "PowerDelivery(stop)"),                              \
    D(WELDING, ID(WeldingDetectionReq), SESSION_STOP, welding, MSG, SESS_PEV_CURRENT_DROP_MS, "WeldingDetection")

#endif
