/* ISO 15118-2 (EIM or Plug & Charge, DC and AC) as data: the charger's table, the car's table with the
 * V2G_EVCC_Msg_Timeout of each request (ISO 15118-2 Table 109) and its repeat limit, and where AC, ServiceDetail,
 * PaymentDetails and MeteringReceipt take another way than the DC rows (DIN 70121's table, pv_table.h). */
#include "iso2_internal.h"

#define PFX(x) ISO2_##x
#define OWN(x) iso2_##x
#define ID(m) iso2_BodyType_##m
#define PV_PAYMENT PaymentServiceSelection
#define PV_AUTH Authorization
#include "pv_table.h"

#if CCS_ROLE_EVSE
/* DIN's table (pv_table.h) and: ServiceDetail; PaymentDetails after Contract payment (Plug & Charge); AC's PowerDelivery (after ChargeParameterDiscovery) and
 * ChargingStatus, which iso2_evse_next leads to; MeteringReceipt in either loop. PowerDelivery Renegotiate has no
 * row (no schedule renegotiation): FAILED_SequenceError. */
static const sess_state_info evse_states[ISO2_EVSE_NSTATES] = {
    PV_EVSE_STATES, [ISO2_EVSE_POWER_DELIVERY] = { "WaitPowerDelivery", SEQ },
    [ISO2_EVSE_CHARGING] = { "WaitChargingStatus", SEQ }, [ISO2_EVSE_SESSION_STOP] = { "WaitSessionStop", SEQ },
    [ISO2_EVSE_PAYMENT_DETAILS] = { "WaitPaymentDetails", SEQ },
};
static const sess_evse_row evse_rows[] = {
    PV_EVSE_ROWS, R(PAYMENT, ServiceDetail, PAYMENT, service_detail),
    DC(POWER_DELIVERY, ChargeParameterDiscovery, CABLE_CHECK, charge_parameter),
    DC(POWER_DELIVERY, PowerDelivery, CHARGE, power_start),
    { ES(CHARGING), PV_REQ(ChargingStatus), ES(CHARGING), sess_ac_evse_charge_loop },   /* the model's AC loop */
    R(CHARGE, MeteringReceipt, CHARGE, metering), R(CHARGING, MeteringReceipt, CHARGING, metering), PSTOP(CHARGING),
    STOP(POWER_DELIVERY), STOP(CHARGING), STOP(SESSION_STOP),
#if CCS_PNC
    R(PAYMENT_DETAILS, PaymentDetails, AUTH, payment_details), STOP(PAYMENT_DETAILS),
    /* CertificateInstallation / CertificateUpdate before PaymentDetails (iso2_certinst_evse.c) */
    R(PAYMENT_DETAILS, CertificateInstallation, PAYMENT_DETAILS, cert_install),
    R(PAYMENT_DETAILS, CertificateUpdate, PAYMENT_DETAILS, cert_update),
#endif
};

/* Contract payment: PaymentDetails before the authorization. AC: no CableCheck/PreCharge (PowerDelivery after
 * ChargeParameterDiscovery), ChargingStatus for CurrentDemand, no WeldingDetection. */
uint8_t iso2_evse_next(const sess_evse *s, const sess_evse_row *row)
{
    if (row->state == ISO2_EVSE_PAYMENT && row->next == ISO2_EVSE_AUTH && s->pnc) return ISO2_EVSE_PAYMENT_DETAILS;
    static const uint8_t ac[][2] = { { ISO2_EVSE_CABLE_CHECK, ISO2_EVSE_POWER_DELIVERY },
                                     { ISO2_EVSE_CHARGE, ISO2_EVSE_CHARGING },
                                     { ISO2_EVSE_WELDING, ISO2_EVSE_SESSION_STOP } };
    return s->ac ? sess_state_map(ac, SESS_N(ac), row->next) : row->next;
}
#endif

#if CCS_ROLE_PEV
#define LONG SESS_EVCC_MSG_TIMEOUT_LONG_MS
#if CCS_PNC
#define AUTH_BUILD iso2_pev_build_auth   /* signed under Contract payment */
#else
#define AUTH_BUILD sess_pev_build_empty
#endif
static const sess_pev_row pev_rows[] = {
    PV_PEV_ROWS(LONG, AUTH_BUILD), P(SERVICE_DETAIL, ServiceDetail, PAYMENT, service_detail, simple, LONG, 0),
    { PS(CHARGING_STATUS), PV_REQ(ChargingStatus), PS(POWER_STOP), sess_pev_build_empty, sess_ac_pev_on_charge_loop,
      MSG, 0, "ChargingStatus" },
    P(METERING, MeteringReceipt, CURRENT_DEMAND, metering, metering, MSG, 0),
    P(SESSION_STOP, SessionStop, SESSION_STOP, session_stop, session_stop, MSG, 0),
#if CCS_PNC
    P(PAYMENT_DETAILS, PaymentDetails, AUTH, payment_details, payment_details, LONG, 0),
    /* Table 109: V2G_EVCC_Msg_Timeout 5 s for both (iso2_certinst_pev.c) */
    P(CERT_INSTALL, CertificateInstallation, PAYMENT_DETAILS, cert_install, cert_install, LONG, 0),
    P(CERT_UPDATE, CertificateUpdate, PAYMENT_DETAILS, cert_update, cert_install, LONG, 0),
#endif
};

/* ServiceDetail only when the car asks for it; PaymentDetails after Contract payment; a MeteringReceipt before anything else the loop leads to; AC:
 * no CableCheck/PreCharge, ChargingStatus for CurrentDemand, no WeldingDetection. */
uint8_t iso2_pev_next(const sess_pev *p, const sess_pev_row *row)
{
    static const uint8_t ac[][2] = { { ISO2_PEV_CABLE_CHECK, ISO2_PEV_POWER_START },
                                     { ISO2_PEV_CURRENT_DEMAND, ISO2_PEV_CHARGING_STATUS },
                                     { ISO2_PEV_WELDING, ISO2_PEV_SESSION_STOP } };
    if (row->state == ISO2_PEV_SERVICE_DISCOVERY && p->cfg.service_detail) return ISO2_PEV_SERVICE_DETAIL;
    if (row->state == ISO2_PEV_PAYMENT && p->pnc)   /* a contract installed or updated first */
        return p->cert_op == CCS_PNC_NEED_INSTALL  ? ISO2_PEV_CERT_INSTALL
               : p->cert_op == CCS_PNC_NEED_UPDATE ? ISO2_PEV_CERT_UPDATE
                                                   : ISO2_PEV_PAYMENT_DETAILS;
    if (row->next == ISO2_PEV_POWER_STOP && p->receipt_due) return ISO2_PEV_METERING;
    return p->cfg.ac ? sess_state_map(ac, SESS_N(ac), row->next) : row->next;
}
#endif

const sess_proto sess_proto_iso2 = {
    .name = "iso2", .codec = "iso2", .msg_session_setup = iso2_BodyType_SessionSetupReq, .can_pause = 1,
    .ns = "urn:iso:15118:2:2013:MsgDef", .major = 2, .minor = 0,   /* SupportedAppProtocol */
#if CCS_ROLE_EVSE
    .evse_next = iso2_evse_next,
#endif
#if CCS_ROLE_PEV
    .pev_next = iso2_pev_next,
#endif
    SESS_PROTO_GLUE(iso2) SESS_PROTO_TABLES(evse_states, evse_rows, pev_rows)
};
