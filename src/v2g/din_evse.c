/* DIN 70121 charger handlers, session part: SessionSetup, ServiceDiscovery, ServicePaymentSelection,
 * ContractAuthentication, SessionStop, and the fields of an error response. */
#include <string.h>

#include "din_internal.h"

#define DIN_SERVICE_ID_CHARGING 1   /* the ChargeService's ServiceID every capture shows */

static struct din_BodyType *req_body(sess_evse *s) { return DIN_BODY(&s->docs->rx); }
static struct din_BodyType *res_body(sess_evse *s) { return DIN_BODY(&s->docs->tx); }

/* What the charger offers: external payment and the DC charge service. */
static void service_offer(struct din_ServiceDiscoveryResType *r)
{
    r->PaymentOptions.PaymentOption.array[0] = din_paymentOptionType_ExternalPayment;
    r->PaymentOptions.PaymentOption.count = 1;
    r->ChargeService.ServiceTag.ServiceID = DIN_SERVICE_ID_CHARGING;
    r->ChargeService.ServiceTag.ServiceCategory = din_serviceCategoryType_EVCharging;
    r->ChargeService.FreeService = false;
    r->ChargeService.EnergyTransferType = din_EVSESupportedEnergyTransferType_DC_extended;
}

void din_evse_safe_fields(sess_evse *s, void *doc)
{
    struct din_BodyType *b = DIN_BODY(doc);
    struct din_DC_EVSEStatusType *st = NULL;
    switch (b->BodyElement_choice) {
    case din_BodyType_ServiceDiscoveryRes: /* its required members, so the FAILED answer is valid EXI */
        if (!b->ServiceDiscoveryRes.PaymentOptions.PaymentOption.count)
            service_offer(&b->ServiceDiscoveryRes);
        break;
    case din_BodyType_ChargeParameterDiscoveryRes: /* both choices are required; an empty SASchedules is what
                                                      * a real charger sends (corpus/din.tsv) */
        if (!b->ChargeParameterDiscoveryRes.SASchedules_choice)
            b->ChargeParameterDiscoveryRes.SASchedules_choice = din_ChargeParameterDiscoveryResType_SASchedules;
        b->ChargeParameterDiscoveryRes.EVSEChargeParameter_choice =
            din_ChargeParameterDiscoveryResType_DC_EVSEChargeParameter;
        break;
    case din_BodyType_PowerDeliveryRes:
        b->PowerDeliveryRes.EVSEStatus_choice = din_PowerDeliveryResType_DC_EVSEStatus;
        break;
    default:
        break;
    }
    din_evse_present(s, b);
    st = din_dc_status_of(b);
    if (st) {
        din_evse_dc_status(s, st);
        if (st->EVSEStatusCode == din_DC_EVSEStatusCodeType_EVSE_Ready)
            st->EVSEStatusCode = din_DC_EVSEStatusCodeType_EVSE_Shutdown;
        st->EVSENotification = din_EVSENotificationType_StopCharging;
    }
}

int din_evse_session_setup(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct din_SessionSetupReqType *q = &req_body(s)->SessionSetupReq;
    struct din_exiDocument *tx = &s->docs->tx.din;
    s->evccid_len = (uint8_t)(q->EVCCID.len < sizeof s->evccid ? q->EVCCID.len : sizeof s->evccid);
    memcpy(s->evccid, q->EVCCID.bytes, s->evccid_len);
    sess_evse_new_session_id(s);
    memcpy(tx->V2G_Message.Header.SessionID.bytes, s->session_id, s->session_id_len);
    tx->V2G_Message.Header.SessionID.len = s->session_id_len;
    struct din_SessionSetupResType *r = &res_body(s)->SessionSetupRes;
    r->ResponseCode = din_responseCodeType_OK_NewSessionEstablished;
    memcpy(r->EVSEID.bytes, s->cfg.evse_id, s->cfg.evse_id_len);
    r->EVSEID.len = s->cfg.evse_id_len;
    return SESS_H_NEXT;
}

int din_evse_service_discovery(sess_evse *s, uint32_t now)
{
    (void)now;
    service_offer(&res_body(s)->ServiceDiscoveryRes);
    return SESS_H_NEXT;
}

int din_evse_payment(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct din_ServicePaymentSelectionReqType *q = &req_body(s)->ServicePaymentSelectionReq;
    if (q->SelectedPaymentOption != din_paymentOptionType_ExternalPayment) {
        res_body(s)->ServicePaymentSelectionRes.ResponseCode = din_responseCodeType_FAILED_PaymentSelectionInvalid;
        return SESS_H_FAIL;
    }
    return SESS_H_NEXT;
}

#define PV(x) din_##x
#define PV_AUTH ContractAuthenticationRes
#define PV_AUTH_STATE DIN_EVSE_AUTH
#include "pv_evse_setup.h"

int din_evse_session_stop(sess_evse *s, uint32_t now)
{
    (void)now;
    (void)s;
    return SESS_H_END;
}
