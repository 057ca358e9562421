/* ISO 15118-2 (EIM, DC and AC) as data: the charger's table, the car's table with the V2G_EVCC_Msg_Timeout of
 * each request (ISO 15118-2 Table 109) and its repeat limit, and where AC, ServiceDetail and MeteringReceipt
 * take another way than the DC rows. */
#include "iso2_internal.h"

#define SEQ SESS_SECC_SEQUENCE_TIMEOUT_MS

#if CCS_ROLE_EVSE
static const sess_state_info evse_states[ISO2_EVSE_NSTATES] = {
    [ISO2_EVSE_SESSION_SETUP] = { "WaitSessionSetup", SEQ },
    [ISO2_EVSE_SERVICE_DISCOVERY] = { "WaitServiceDiscovery", SEQ },
    [ISO2_EVSE_PAYMENT] = { "WaitPaymentServiceSelection", SEQ },
    [ISO2_EVSE_AUTH] = { "WaitAuthorization", SEQ },
    [ISO2_EVSE_CHARGE_PARAMETER] = { "WaitChargeParameterDiscovery", SEQ },
    [ISO2_EVSE_CABLE_CHECK] = { "WaitCableCheck", SEQ },
    [ISO2_EVSE_PRECHARGE] = { "WaitPreCharge", SEQ },
    [ISO2_EVSE_POWER_DELIVERY] = { "WaitPowerDelivery", SEQ },
    [ISO2_EVSE_CHARGE] = { "WaitCurrentDemand", SEQ },
    [ISO2_EVSE_CHARGING] = { "WaitChargingStatus", SEQ },
    [ISO2_EVSE_WELDING] = { "WaitWeldingDetection", SEQ },
    [ISO2_EVSE_SESSION_STOP] = { "WaitSessionStop", SEQ },
};

#define R(state, req, next, fn) { ISO2_EVSE_##state, iso2_BodyType_##req, ISO2_EVSE_##next, iso2_evse_##fn }
#define DC(state, req, next, fn) { ISO2_EVSE_##state, iso2_BodyType_##req, ISO2_EVSE_##next, sess_dc_evse_##fn }
#define PD(state, msg, next, fn) { ISO2_EVSE_##state, ISO2_MSG_##msg, ISO2_EVSE_##next, sess_dc_evse_##fn }
#define STOP(state) { ISO2_EVSE_##state, iso2_BodyType_SessionStopReq, ISO2_EVSE_##state, iso2_evse_session_stop }
/* The rows are the DC way; iso2_evse_next turns CableCheck, CurrentDemand and WeldingDetection into their AC
 * counterparts. As in DIN: repeats of a finished Authorization/CableCheck are answered again, PowerDelivery(stop)
 * is accepted right after CableCheck/PreCharge, SessionStop from PaymentServiceSelection on. PowerDelivery
 * Renegotiate has no row (no schedule renegotiation): FAILED_SequenceError. */
static const sess_evse_row evse_rows[] = {
    R(SESSION_SETUP, SessionSetupReq, SERVICE_DISCOVERY, session_setup),
    R(SERVICE_DISCOVERY, ServiceDiscoveryReq, PAYMENT, service_discovery),
    R(PAYMENT, ServiceDetailReq, PAYMENT, service_detail),
    R(PAYMENT, PaymentServiceSelectionReq, AUTH, payment),
    R(AUTH, AuthorizationReq, CHARGE_PARAMETER, auth),
    R(CHARGE_PARAMETER, AuthorizationReq, CHARGE_PARAMETER, auth),
    DC(CHARGE_PARAMETER, ChargeParameterDiscoveryReq, CABLE_CHECK, charge_parameter),
    DC(CABLE_CHECK, ChargeParameterDiscoveryReq, CABLE_CHECK, charge_parameter),
    DC(CABLE_CHECK, CableCheckReq, PRECHARGE, cable_check),
    DC(PRECHARGE, CableCheckReq, PRECHARGE, cable_check),
    DC(PRECHARGE, PreChargeReq, PRECHARGE, precharge),
    DC(PRECHARGE, PowerDeliveryReq, CHARGE, power_start),
    PD(PRECHARGE, POWER_DELIVERY_STOP, WELDING, power_stop),
    DC(POWER_DELIVERY, ChargeParameterDiscoveryReq, CABLE_CHECK, charge_parameter),
    DC(POWER_DELIVERY, PowerDeliveryReq, CHARGE, power_start),
    DC(CHARGE, CurrentDemandReq, CHARGE, current_demand),
    R(CHARGE, MeteringReceiptReq, CHARGE, metering),
    PD(CHARGE, POWER_DELIVERY_STOP, WELDING, power_stop),
    { ISO2_EVSE_CHARGING, iso2_BodyType_ChargingStatusReq, ISO2_EVSE_CHARGING, sess_ac_evse_charge_loop },
    R(CHARGING, MeteringReceiptReq, CHARGING, metering),
    PD(CHARGING, POWER_DELIVERY_STOP, WELDING, power_stop),
    DC(WELDING, WeldingDetectionReq, WELDING, welding),
    STOP(PAYMENT), STOP(AUTH), STOP(CHARGE_PARAMETER), STOP(CABLE_CHECK), STOP(PRECHARGE), STOP(POWER_DELIVERY),
    STOP(CHARGE), STOP(CHARGING), STOP(WELDING), STOP(SESSION_STOP),
};

uint8_t iso2_evse_next(const sess_evse *s, const sess_evse_row *row)
{
    if (!s->ac) return row->next;
    switch (row->next) {
    case ISO2_EVSE_CABLE_CHECK: return ISO2_EVSE_POWER_DELIVERY;
    case ISO2_EVSE_CHARGE: return ISO2_EVSE_CHARGING;
    case ISO2_EVSE_WELDING: return ISO2_EVSE_SESSION_STOP;
    default: return row->next;
    }
}
#endif

#define MSG SESS_EVCC_MSG_TIMEOUT_MS
#define LONG SESS_EVCC_MSG_TIMEOUT_LONG_MS
#define P(state, req, next, build, handle, msg_to, state_to, name)                                              \
    { ISO2_PEV_##state, iso2_BodyType_##req, ISO2_PEV_##next, iso2_pev_build_##build, iso2_pev_on_##handle,    \
      msg_to, state_to, name }
/* A request with no body to fill. */
#define N(state, req, next, handle, msg_to, state_to, name)                                                     \
    { ISO2_PEV_##state, iso2_BodyType_##req, ISO2_PEV_##next, sess_pev_build_empty, iso2_pev_on_##handle,       \
      msg_to, state_to, name }
/* A DC step of the session model (sess_dc_pev.c): builder and handler of the same name. */
#define D(state, req, next, fn, msg_to, state_to, name)                                                        \
    { ISO2_PEV_##state, iso2_BodyType_##req, ISO2_PEV_##next, sess_dc_pev_build_##fn, sess_dc_pev_on_##fn, msg_to, state_to, name }
#if CCS_ROLE_PEV
static const sess_pev_row pev_rows[] = {
    P(SESSION_SETUP, SessionSetupReq, SERVICE_DISCOVERY, session_setup, session_setup, MSG, 0, "SessionSetup"),
    P(SERVICE_DISCOVERY, ServiceDiscoveryReq, PAYMENT, service_discovery, service_discovery, MSG, 0,
      "ServiceDiscovery"),
    P(SERVICE_DETAIL, ServiceDetailReq, PAYMENT, service_detail, simple, LONG, 0, "ServiceDetail"),
    P(PAYMENT, PaymentServiceSelectionReq, AUTH, payment, simple, MSG, 0, "PaymentServiceSelection"),
    N(AUTH, AuthorizationReq, CHARGE_PARAMETER, auth, MSG, SESS_EVCC_ONGOING_TIMEOUT_MS, "Authorization"),
    D(CHARGE_PARAMETER, ChargeParameterDiscoveryReq, CABLE_CHECK, charge_parameter, MSG,
      SESS_EVCC_ONGOING_TIMEOUT_MS, "ChargeParameterDiscovery"),
    D(CABLE_CHECK, CableCheckReq, PRECHARGE, cable_check, MSG, SESS_EVCC_CABLE_CHECK_TIMEOUT_MS,
      "CableCheck"),
    D(PRECHARGE, PreChargeReq, POWER_START, precharge, MSG, SESS_EVCC_PRECHARGE_TIMEOUT_MS, "PreCharge"),
    D(POWER_START, PowerDeliveryReq, CURRENT_DEMAND, power_start, LONG, 0, "PowerDelivery(start)"),
    D(CURRENT_DEMAND, CurrentDemandReq, POWER_STOP, current_demand,
      SESS_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_MS, 0, "CurrentDemand"),
    { ISO2_PEV_CHARGING_STATUS, iso2_BodyType_ChargingStatusReq, ISO2_PEV_POWER_STOP, sess_pev_build_empty,
      sess_ac_pev_on_charge_loop, MSG, 0, "ChargingStatus" },
    P(METERING, MeteringReceiptReq, CURRENT_DEMAND, metering, metering, MSG, 0, "MeteringReceipt"),
    { ISO2_PEV_POWER_STOP, ISO2_MSG_POWER_DELIVERY_STOP, ISO2_PEV_WELDING, sess_dc_pev_build_power_stop,
      sess_dc_pev_on_power_stop, LONG, 0, "PowerDelivery(stop)" },
    D(WELDING, WeldingDetectionReq, SESSION_STOP, welding, MSG, SESS_PEV_CURRENT_DROP_MS, "WeldingDetection"),
    P(SESSION_STOP, SessionStopReq, SESSION_STOP, session_stop, session_stop, MSG, 0, "SessionStop"),
};

/* ServiceDetail only when the car asks for it; a MeteringReceipt before anything else the loop leads to; AC:
 * no CableCheck/PreCharge, ChargingStatus for CurrentDemand, no WeldingDetection. */
uint8_t iso2_pev_next(const sess_pev *p, const sess_pev_row *row)
{
    if (row->state == ISO2_PEV_SERVICE_DISCOVERY && p->cfg.service_detail) return ISO2_PEV_SERVICE_DETAIL;
    if (row->next == ISO2_PEV_POWER_STOP && p->receipt_due) return ISO2_PEV_METERING;
    if (!p->cfg.ac) return row->next;
    switch (row->next) {
    case ISO2_PEV_CABLE_CHECK: return ISO2_PEV_POWER_START;
    case ISO2_PEV_CURRENT_DEMAND: return ISO2_PEV_CHARGING_STATUS;
    case ISO2_PEV_WELDING: return ISO2_PEV_SESSION_STOP;
    default: return row->next;
    }
}
#endif

const sess_proto sess_proto_iso2 = {
    .name = "iso2",
    .ns = "urn:iso:15118:2:2013:MsgDef",
    .major = 2,
    .minor = 0,
    .decode = iso2_glue_decode,
    .encode = iso2_glue_encode,
    .msg_of = iso2_msg_of,
    .msg_name = iso2_msg_name,
    .response_of = iso2_response_of,
    .session_id = iso2_session_id,
    .start = iso2_start,
    .set_code = iso2_set_code,
    .get_code = iso2_get_code,
    .can_pause = 1,
    .msg_session_setup = iso2_BodyType_SessionSetupReq,
    .codec = "iso2",
#if CCS_ROLE_EVSE
    .evse_safe_fields = iso2_evse_safe_fields,
    .evse_dc_in = iso2_evse_dc_in,
    .evse_dc_out = iso2_evse_dc_out,
    .evse_next = iso2_evse_next,
    .evse_first = ISO2_EVSE_SESSION_SETUP,
    .evse_nstates = ISO2_EVSE_NSTATES,
    .evse_nrows = sizeof evse_rows / sizeof evse_rows[0],
    .evse_states = evse_states,
    .evse_rows = evse_rows,
#endif
#if CCS_ROLE_PEV
    .pev_dc_out = iso2_pev_dc_out,
    .pev_dc_in = iso2_pev_dc_in,
    .pev_next = iso2_pev_next,
    .pev_first = ISO2_PEV_SESSION_SETUP,
    .pev_nrows = sizeof pev_rows / sizeof pev_rows[0],
    .pev_rows = pev_rows,
#endif
};
