/* ISO 15118-2 (EIM, DC and AC) as data: the charger's table, the car's table with the V2G_EVCC_Msg_Timeout of
 * each request (ISO 15118-2 Table 109) and its repeat limit, and where AC, ServiceDetail and MeteringReceipt
 * take another way than the DC rows (which are DIN 70121's too, sess_table.h). */
#include "iso2_internal.h"

#define PFX(x) ISO2_##x
#define OWN(x) iso2_##x
#define ID(m) iso2_BodyType_##m
#include "sess_table.h"

#define LONG SESS_EVCC_MSG_TIMEOUT_LONG_MS

#if CCS_ROLE_EVSE
static const sess_state_info evse_states[ISO2_EVSE_NSTATES] = {
    PV_DC_EVSE_STATES,
    [ISO2_EVSE_PAYMENT] = { "WaitPaymentServiceSelection", SEQ },
    [ISO2_EVSE_AUTH] = { "WaitAuthorization", SEQ },
    [ISO2_EVSE_POWER_DELIVERY] = { "WaitPowerDelivery", SEQ },
    [ISO2_EVSE_CHARGING] = { "WaitChargingStatus", SEQ },
    [ISO2_EVSE_SESSION_STOP] = { "WaitSessionStop", SEQ },
};

/* The rows are the DC way; iso2_evse_next turns CableCheck, CurrentDemand and WeldingDetection into their AC
 * counterparts. As in DIN: a repeated Authorization is answered again, SessionStop is accepted from
 * PaymentServiceSelection on. PowerDelivery Renegotiate has no row (no schedule renegotiation):
 * FAILED_SequenceError. */
static const sess_evse_row evse_rows[] = {
    R(SESSION_SETUP, SessionSetupReq, SERVICE_DISCOVERY, session_setup),
    R(SERVICE_DISCOVERY, ServiceDiscoveryReq, PAYMENT, service_discovery),
    R(PAYMENT, ServiceDetailReq, PAYMENT, service_detail),
    R(PAYMENT, PaymentServiceSelectionReq, AUTH, payment),
    R(AUTH, AuthorizationReq, CHARGE_PARAMETER, auth),
    PV_DC_EVSE_ROWS,
    R(CHARGE_PARAMETER, AuthorizationReq, CHARGE_PARAMETER, auth),
    DC(POWER_DELIVERY, ChargeParameterDiscoveryReq, CABLE_CHECK, charge_parameter),
    DC(POWER_DELIVERY, PowerDeliveryReq, CHARGE, power_start),
    R(CHARGE, MeteringReceiptReq, CHARGE, metering),
    R(CHARGING, ChargingStatusReq, CHARGING, charging_status),
    R(CHARGING, MeteringReceiptReq, CHARGING, metering),
    { ES(CHARGING), PD_STOP, ES(WELDING), sess_dc_evse_power_stop },
    STOP(PAYMENT), STOP(AUTH), STOP(CHARGE_PARAMETER), STOP(CABLE_CHECK), STOP(PRECHARGE), STOP(POWER_DELIVERY),
    STOP(CHARGE), STOP(CHARGING), STOP(WELDING), STOP(SESSION_STOP),
};

/* AC: no CableCheck/PreCharge (PowerDelivery after ChargeParameterDiscovery), ChargingStatus for CurrentDemand,
 * no WeldingDetection. */
uint8_t iso2_evse_next(const sess_evse *s, const sess_evse_row *row)
{
    static const uint8_t ac[][2] = { { ISO2_EVSE_CABLE_CHECK, ISO2_EVSE_POWER_DELIVERY },
                                     { ISO2_EVSE_CHARGE, ISO2_EVSE_CHARGING },
                                     { ISO2_EVSE_WELDING, ISO2_EVSE_SESSION_STOP } };
    return s->ac ? sess_state_map(ac, SESS_N(ac), row->next) : row->next;
}
#endif

#if CCS_ROLE_PEV
static const sess_pev_row pev_rows[] = {
    P(SESSION_SETUP, SessionSetupReq, SERVICE_DISCOVERY, session_setup, session_setup, MSG, 0, "SessionSetup"),
    P(SERVICE_DISCOVERY, ServiceDiscoveryReq, PAYMENT, service_discovery, service_discovery, MSG, 0,
      "ServiceDiscovery"),
    P(SERVICE_DETAIL, ServiceDetailReq, PAYMENT, service_detail, simple, LONG, 0, "ServiceDetail"),
    P(PAYMENT, PaymentServiceSelectionReq, AUTH, payment, simple, MSG, 0, "PaymentServiceSelection"),
    N(AUTH, AuthorizationReq, CHARGE_PARAMETER, auth, MSG, ONGOING, "Authorization"),
    PV_DC_PEV_ROWS(LONG),
    N(CHARGING_STATUS, ChargingStatusReq, POWER_STOP, charging_status, MSG, 0, "ChargingStatus"),
    P(METERING, MeteringReceiptReq, CURRENT_DEMAND, metering, metering, MSG, 0, "MeteringReceipt"),
    P(SESSION_STOP, SessionStopReq, SESSION_STOP, session_stop, session_stop, MSG, 0, "SessionStop"),
};

/* ServiceDetail only when the car asks for it; a MeteringReceipt before anything else the loop leads to; AC:
 * no CableCheck/PreCharge, ChargingStatus for CurrentDemand, no WeldingDetection. */
uint8_t iso2_pev_next(const sess_pev *p, const sess_pev_row *row)
{
    static const uint8_t ac[][2] = { { ISO2_PEV_CABLE_CHECK, ISO2_PEV_POWER_START },
                                     { ISO2_PEV_CURRENT_DEMAND, ISO2_PEV_CHARGING_STATUS },
                                     { ISO2_PEV_WELDING, ISO2_PEV_SESSION_STOP } };
    if (row->state == ISO2_PEV_SERVICE_DISCOVERY && p->cfg.service_detail) return ISO2_PEV_SERVICE_DETAIL;
    if (row->next == ISO2_PEV_POWER_STOP && p->receipt_due) return ISO2_PEV_METERING;
    return p->cfg.ac ? sess_state_map(ac, SESS_N(ac), row->next) : row->next;
}
#endif

const sess_proto sess_proto_iso2 = {
    .name = "iso2",
    .ns = "urn:iso:15118:2:2013:MsgDef",
    .major = 2,
    .minor = 0,
    .can_pause = 1,
    .msg_session_setup = iso2_BodyType_SessionSetupReq,
    .codec = "iso2",
#if CCS_ROLE_EVSE
    .evse_next = iso2_evse_next,
#endif
#if CCS_ROLE_PEV
    .pev_next = iso2_pev_next,
#endif
    SESS_PROTO_GLUE(iso2)
    SESS_PROTO_TABLES(evse_states, evse_rows, pev_rows)
};
