/* The macros the DIN 70121 and ISO 15118-2 tables (din_proto.c, iso2_proto.c) are written with, and the DC rows
 * they share. The file defines PFX(x) its upper-case prefix (DIN_x: states DIN_EVSE_* and DIN_PEV_*, the pseudo id
 * DIN_MSG_POWER_DELIVERY_STOP), OWN(x) its own steps (din_x) and ID(m) the id of message m, then includes this. */
#ifndef CCSPLC_SESS_TABLE_H
#define CCSPLC_SESS_TABLE_H

#include "sess_internal.h"

#define ES(state) PFX(EVSE_##state)
#define PS(state) PFX(PEV_##state)
#define PD_STOP PFX(MSG_POWER_DELIVERY_STOP)
#define MSG SESS_EVCC_MSG_TIMEOUT_MS
#define ONGOING SESS_EVCC_ONGOING_TIMEOUT_MS

/* Charger rows: in `state` request `req` goes to the protocol's own step (R) or the DC model's (DC), then to
 * `next`; SessionStop is answered in `state` (STOP). */
#define R(state, req, next, fn) { ES(state), ID(req), ES(next), OWN(evse_##fn) }
#define DC(state, req, next, fn) { ES(state), ID(req), ES(next), sess_dc_evse_##fn }
#define STOP(state) { ES(state), ID(SessionStopReq), ES(state), OWN(evse_session_stop) }
/* Car rows (sess_pev_row): the protocol's own builder and handler (P), a request with no body to fill (N), a DC
 * step of the model, builder and handler of the same name (D). */
#define P(state, req, next, build, handle, msg_to, state_to, name)                                              \
    { PS(state), ID(req), PS(next), OWN(pev_build_##build), OWN(pev_on_##handle), msg_to, state_to, name }
#define N(state, req, next, handle, msg_to, state_to, name)                                                     \
    { PS(state), ID(req), PS(next), sess_pev_build_empty, OWN(pev_on_##handle), msg_to, state_to, name }
#define D(state, msg, next, fn, msg_to, state_to, name)                                                        \
    { PS(state), msg, PS(next), sess_dc_pev_build_##fn, sess_dc_pev_on_##fn, msg_to, state_to, name }

/* The DC states and rows DIN 70121 and ISO 15118-2 share (the same messages, the model's steps). Repeats of a
 * finished CableCheck are answered again, not refused: the Model Y capture repeats CableCheck after "Finished";
 * PowerDelivery(stop) is accepted right after CableCheck/PreCharge (Audi Q4). */
#define SEQ SESS_SECC_SEQUENCE_TIMEOUT_MS
#define PV_DC_EVSE_STATES                                                                                      \
    [ES(SESSION_SETUP)] = { "WaitSessionSetup", SEQ }, [ES(SERVICE_DISCOVERY)] = { "WaitServiceDiscovery", SEQ }, \
    [ES(CHARGE_PARAMETER)] = { "WaitChargeParameterDiscovery", SEQ }, [ES(CABLE_CHECK)] = { "WaitCableCheck", SEQ }, \
    [ES(PRECHARGE)] = { "WaitPreCharge", SEQ }, [ES(CHARGE)] = { "WaitCurrentDemand", SEQ },                   \
    [ES(WELDING)] = { "WaitWeldingDetection", SEQ }
#define PV_DC_EVSE_ROWS                                                                                        \
    DC(CHARGE_PARAMETER, ChargeParameterDiscoveryReq, CABLE_CHECK, charge_parameter),                          \
    DC(CABLE_CHECK, ChargeParameterDiscoveryReq, CABLE_CHECK, charge_parameter),                               \
    DC(CABLE_CHECK, CableCheckReq, PRECHARGE, cable_check), DC(PRECHARGE, CableCheckReq, PRECHARGE, cable_check), \
    DC(PRECHARGE, PreChargeReq, PRECHARGE, precharge), DC(PRECHARGE, PowerDeliveryReq, CHARGE, power_start),  \
    DC(CHARGE, CurrentDemandReq, CHARGE, current_demand), DC(WELDING, WeldingDetectionReq, WELDING, welding),   \
    { ES(PRECHARGE), PD_STOP, ES(WELDING), sess_dc_evse_power_stop },                                          \
    { ES(CHARGE), PD_STOP, ES(WELDING), sess_dc_evse_power_stop }
/* The car's: pd_to is PowerDelivery's V2G_EVCC_Msg_Timeout (DIN 70121 2 s, ISO 15118-2 Table 109 5 s). */
#define PV_DC_PEV_ROWS(pd_to)                                                                                  \
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
