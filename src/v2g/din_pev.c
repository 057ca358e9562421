/* DIN 70121 car side, session part: requests SessionSetup .. ContractAuthentication and SessionStop and their
 * responses (the DC steps are the session model's, sess_dc_pev.c). */
#include <string.h>

#include "din_internal.h"

static struct din_BodyType *req_body(sess_pev *p) { return DIN_BODY(&p->docs->tx); }
static struct din_BodyType *res_body(sess_pev *p) { return DIN_BODY(&p->docs->rx); }

#define PV(x) din_##x
#define PV_PAYMENT ServicePaymentSelectionReq
#define PV_PAYMENT_TYPE struct din_ServicePaymentSelectionReqType
#define PV_CHARGE_SERVICE(p) (res_body(p)->ServiceDiscoveryRes.ChargeService.ServiceTag.ServiceID)
#include "pv_pev_setup.h"

int din_pev_on_session_setup(sess_pev *p, uint32_t now)
{
    (void)now;
    return din_pev_check(p, res_body(p)->SessionSetupRes.ResponseCode, NULL) == SESS_H_FAIL ? SESS_H_FAIL : SESS_H_NEXT;
}

int din_pev_on_service_discovery(sess_pev *p, uint32_t now)
{
    (void)now;
    const struct din_ServiceDiscoveryResType *r = &res_body(p)->ServiceDiscoveryRes;
    if (din_pev_check(p, r->ResponseCode, NULL) == SESS_H_FAIL) return SESS_H_FAIL;
    for (uint16_t i = 0; i < r->PaymentOptions.PaymentOption.count; i++)
        if (r->PaymentOptions.PaymentOption.array[i] == din_paymentOptionType_ExternalPayment) return SESS_H_NEXT;
    sess_pev_safe(p, SESS_STOP_NO_OFFER);
    return SESS_H_FAIL;
}

/* Responses with nothing to look at but the code (ServicePaymentSelection). */
int din_pev_on_simple(sess_pev *p, uint32_t now)
{
    (void)now;
    return din_pev_check(p, din_get_code(&p->docs->rx), NULL) == SESS_H_FAIL ? SESS_H_FAIL : SESS_H_NEXT;
}

/* ContractAuthentication loops while the charger says Ongoing (bounded by V2G_EVCC_Ongoing_Timeout). */
int din_pev_on_auth(sess_pev *p, uint32_t now)
{
    (void)now;
    const struct din_ContractAuthenticationResType *r = &res_body(p)->ContractAuthenticationRes;
    if (din_pev_check(p, r->ResponseCode, NULL) == SESS_H_FAIL) return SESS_H_FAIL;
    return r->EVSEProcessing == din_EVSEProcessingType_Ongoing ? SESS_H_STAY : SESS_H_NEXT;
}

int din_pev_on_session_stop(sess_pev *p, uint32_t now)
{
    (void)now;
    return din_pev_check(p, res_body(p)->SessionStopRes.ResponseCode, NULL) == SESS_H_FAIL ? SESS_H_FAIL : SESS_H_END;
}
