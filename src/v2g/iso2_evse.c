/* ISO 15118-2 charger handlers, session part: SessionSetup (new or resumed session), ServiceDiscovery,
 * ServiceDetail, PaymentServiceSelection (external payment, or Contract: iso2_pnc_evse.c), Authorization,
 * SessionStop (Terminate/Pause), and the DC or AC EVSE status every later response carries. */
#include <string.h>

#include "iso2_internal.h"

static struct iso2_BodyType *req_body(sess_evse *s) { return ISO2_BODY(&s->docs->rx); }
static struct iso2_BodyType *res_body(sess_evse *s) { return ISO2_BODY(&s->docs->tx); }

/* The status of this response, DC or AC as the car charges: any fault of ours asks the car to stop. */
void iso2_evse_status(const sess_evse *s, struct iso2_BodyType *b)
{
    if (b->BodyElement_choice == iso2_BodyType_PowerDeliveryRes && !b->PowerDeliveryRes.EVSEStatus_choice)
        b->PowerDeliveryRes.EVSEStatus_choice =
            s->ac ? iso2_PowerDeliveryResType_AC_EVSEStatus : iso2_PowerDeliveryResType_DC_EVSEStatus;
    if (b->BodyElement_choice == iso2_BodyType_MeteringReceiptRes && !b->MeteringReceiptRes.EVSEStatus_choice)
        b->MeteringReceiptRes.EVSEStatus_choice =
            s->ac ? iso2_MeteringReceiptResType_AC_EVSEStatus : iso2_MeteringReceiptResType_DC_EVSEStatus;
    enum iso2_EVSENotificationType n =
        s->in.status == SESS_EVSE_OK ? iso2_EVSENotificationType_None : iso2_EVSENotificationType_StopCharging;
    struct iso2_DC_EVSEStatusType *dc = iso2_dc_status_of(b);
    struct iso2_AC_EVSEStatusType *ac = iso2_ac_status_of(b);
    if (dc) iso2_evse_dc_status(s, dc);
    if (ac) {
        ac->NotificationMaxDelay = 0;
        ac->EVSENotification = n;
        ac->RCD = false;
    }
}

/* The charger's own faults: emergency and malfunction end the session at once (FAILED, safe); a shutdown asks
 * the car to stop (StopCharging) and delivers no more current. */
int iso2_evse_check_status(sess_evse *s, struct iso2_BodyType *res)
{
    iso2_evse_status(s, res);
    int h = sess_evse_fault(s);
    if (h == SESS_H_FAIL) iso2_set_code(&s->docs->tx, SESS_RC_FAILED);
    return h;
}

/* EVSEID and SAScheduleTupleID of the loop responses (CurrentDemandRes, ChargingStatusRes). */
void iso2_evse_id(const sess_evse *s, struct iso2_BodyType *b)
{
    char *id;
    uint16_t *len;
    uint8_t *tuple;
    if (b->BodyElement_choice == iso2_BodyType_CurrentDemandRes) {
        id = b->CurrentDemandRes.EVSEID.chars, len = &b->CurrentDemandRes.EVSEID.len;
        tuple = &b->CurrentDemandRes.SAScheduleTupleID;
    } else if (b->BodyElement_choice == iso2_BodyType_ChargingStatusRes) {
        id = b->ChargingStatusRes.EVSEID.chars, len = &b->ChargingStatusRes.EVSEID.len;
        tuple = &b->ChargingStatusRes.SAScheduleTupleID;
    } else {
        return;
    }
    memcpy(id, s->cfg.evse_id, s->cfg.evse_id_len);
    *len = s->cfg.evse_id_len;
    *tuple = ISO2_SA_TUPLE_ID;
}

/* An error response's mandatory fields: what the safe power stage shows now, a stop request in the status. */
static void service_offer(sess_evse *s, struct iso2_ServiceDiscoveryResType *r);

void iso2_evse_safe_fields(sess_evse *s, void *doc)
{
    struct iso2_BodyType *b = ISO2_BODY(doc);
    switch (b->BodyElement_choice) {
    case iso2_BodyType_ServiceDiscoveryRes: /* its required members, so the FAILED answer is valid EXI */
        if (!b->ServiceDiscoveryRes.PaymentOptionList.PaymentOption.count)
            service_offer(s, &b->ServiceDiscoveryRes);
        break;
    case iso2_BodyType_ChargeParameterDiscoveryRes:
        b->ChargeParameterDiscoveryRes.EVSEChargeParameter_choice =
            s->ac ? iso2_ChargeParameterDiscoveryResType_AC_EVSEChargeParameter
                  : iso2_ChargeParameterDiscoveryResType_DC_EVSEChargeParameter;
        break;
    default:
        break;
    }
    iso2_evse_present(s, b);
    iso2_evse_id(s, b);
    iso2_evse_status(s, b);
    struct iso2_DC_EVSEStatusType *dc = iso2_dc_status_of(b);
    struct iso2_AC_EVSEStatusType *ac = iso2_ac_status_of(b);
    if (dc && dc->EVSEStatusCode == iso2_DC_EVSEStatusCodeType_EVSE_Ready)
        dc->EVSEStatusCode = iso2_DC_EVSEStatusCodeType_EVSE_Shutdown;
    if (dc) dc->EVSENotification = iso2_EVSENotificationType_StopCharging;
    if (ac) ac->EVSENotification = iso2_EVSENotificationType_StopCharging;
}

/* A SessionID equal to the paused session's resumes it (OK_OldSessionJoined); anything else is a new one. */
int iso2_evse_session_setup(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct iso2_exiDocument *rx = &s->docs->rx.iso2;
    struct iso2_exiDocument *tx = &s->docs->tx.iso2;
    const struct iso2_SessionSetupReqType *q = &rx->V2G_Message.Body.SessionSetupReq;
    struct iso2_SessionSetupResType *r = &tx->V2G_Message.Body.SessionSetupRes;
    s->evccid_len = (uint8_t)(q->EVCCID.len < sizeof s->evccid ? q->EVCCID.len : sizeof s->evccid);
    memcpy(s->evccid, q->EVCCID.bytes, s->evccid_len);
    s->ac = 0;
    s->pnc = s->pnc_signed = 0;
    const struct iso2_MessageHeaderType *h = &rx->V2G_Message.Header;
    r->ResponseCode = sess_evse_session_begin(s, h->SessionID.bytes, h->SessionID.len)
                          ? iso2_responseCodeType_OK_OldSessionJoined
                          : iso2_responseCodeType_OK_NewSessionEstablished;
    memcpy(tx->V2G_Message.Header.SessionID.bytes, s->session_id, s->session_id_len);
    tx->V2G_Message.Header.SessionID.len = s->session_id_len;
    memcpy(r->EVSEID.chars, s->cfg.evse_id, s->cfg.evse_id_len);
    r->EVSEID.len = s->cfg.evse_id_len;
    return SESS_H_NEXT;
}

/* Whether the car may choose Contract payment: Plug & Charge configured, on TLS (iso2_pnc_evse.c). */
static int contract_offered(const sess_evse *s)
{
#if CCS_PNC
    return iso2_evse_pnc_offered(s);
#else
    (void)s;
    return 0;
#endif
}

/* What the charger offers: Contract payment (Plug & Charge) where it can, external payment, and the charge service
 * with its energy transfer modes. */
static void service_offer(sess_evse *s, struct iso2_ServiceDiscoveryResType *r)
{
    uint16_t n = 0;
    if (contract_offered(s)) r->PaymentOptionList.PaymentOption.array[n++] = iso2_paymentOptionType_Contract;
    r->PaymentOptionList.PaymentOption.array[n++] = iso2_paymentOptionType_ExternalPayment;
    r->PaymentOptionList.PaymentOption.count = n;
#if CCS_PNC
    iso2_evse_certinst_offer(s, r);   /* the certificate service (iso2_certinst_evse.c) */
#endif
    struct iso2_ChargeServiceType *c = &r->ChargeService;
    c->ServiceID = ISO2_SERVICE_ID_CHARGING;
    c->ServiceCategory = iso2_serviceCategoryType_EVCharging;
    c->FreeService = false;
    struct iso2_SupportedEnergyTransferModeType *m = &c->SupportedEnergyTransferMode;
    if (s->cfg.offer_dc) m->EnergyTransferMode.array[m->EnergyTransferMode.count++] = iso2_EnergyTransferModeType_DC_extended;
    if (s->cfg.offer_ac) {
        m->EnergyTransferMode.array[m->EnergyTransferMode.count++] = iso2_EnergyTransferModeType_AC_single_phase_core;
        m->EnergyTransferMode.array[m->EnergyTransferMode.count++] = iso2_EnergyTransferModeType_AC_three_phase_core;
    }
}

int iso2_evse_service_discovery(sess_evse *s, uint32_t now)
{
    (void)now;
    service_offer(s, &res_body(s)->ServiceDiscoveryRes);
    return SESS_H_NEXT;
}

/* The charge service has no parameters to detail; other ServiceIDs were not offered. */
int iso2_evse_service_detail(sess_evse *s, uint32_t now)
{
    (void)now;
    struct iso2_ServiceDetailResType *r = &res_body(s)->ServiceDetailRes;
    r->ServiceID = req_body(s)->ServiceDetailReq.ServiceID;
    if (r->ServiceID == ISO2_SERVICE_ID_CHARGING) return SESS_H_NEXT;
#if CCS_PNC
    if (r->ServiceID == ISO2_SERVICE_ID_CERTIFICATE && iso2_evse_certinst_detail(s, r)) return SESS_H_NEXT;
#endif
    r->ResponseCode = iso2_responseCodeType_FAILED_ServiceIDInvalid;
    return SESS_H_FAIL;
}

int iso2_evse_payment(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct iso2_PaymentServiceSelectionReqType *q = &req_body(s)->PaymentServiceSelectionReq;
    struct iso2_PaymentServiceSelectionResType *r = &res_body(s)->PaymentServiceSelectionRes;
    int charge = 0;
    for (uint16_t i = 0; i < q->SelectedServiceList.SelectedService.count; i++) {
        uint16_t id = q->SelectedServiceList.SelectedService.array[i].ServiceID;
#if CCS_PNC
        if (id == ISO2_SERVICE_ID_CERTIFICATE && iso2_evse_certinst_offered(s)) continue;   /* iso2_certinst_evse.c */
#endif
        if (id != ISO2_SERVICE_ID_CHARGING) {
            r->ResponseCode = iso2_responseCodeType_FAILED_ServiceSelectionInvalid;
            return SESS_H_FAIL;
        }
        charge = 1;
    }
    s->pnc = q->SelectedPaymentOption == iso2_paymentOptionType_Contract && contract_offered(s);
    if (q->SelectedPaymentOption != iso2_paymentOptionType_ExternalPayment && !s->pnc)
        r->ResponseCode = iso2_responseCodeType_FAILED_PaymentSelectionInvalid;
    else if (!charge)
        r->ResponseCode = iso2_responseCodeType_FAILED_NoChargeServiceSelected;
    return r->ResponseCode == iso2_responseCodeType_OK ? SESS_H_NEXT : SESS_H_FAIL;
}

#define PV(x) iso2_##x
#define PV_AUTH AuthorizationRes
#define PV_AUTH_STATE ISO2_EVSE_AUTH
#define PV_AUTH_FN evse_auth_pending
static sess_evse_step evse_auth_pending;
#include "pv_evse_setup.h"

/* Under Contract payment the signed request and the backend's decision come first (iso2_pnc_evse.c). */
int iso2_evse_auth(sess_evse *s, uint32_t now)
{
#if CCS_PNC
    int h = iso2_evse_pnc_auth(s);   /* FAIL: refused; STAY: the backend still decides (Ongoing) */
    if (h != SESS_H_NEXT) return h;
#endif
    return evse_auth_pending(s, now);
}

/* Pause keeps the SessionID for the car's next SessionSetupReq. */
int iso2_evse_session_stop(sess_evse *s, uint32_t now)
{
    (void)now;
    if (req_body(s)->SessionStopReq.ChargingSession == iso2_chargingSessionType_Pause) sess_evse_pause(s);
    return SESS_H_END;
}
