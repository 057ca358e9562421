/* The car's session-part builders DIN 70121 and ISO 15118-2 share (SessionSetup, ServiceDiscovery, the payment
 * and service selection): din_pev.c and iso2_pev.c each include this once with PV(x) naming their symbol x,
 * PV_PAYMENT their ServicePaymentSelection/PaymentServiceSelection member, PV_PAYMENT_TYPE its type and PV_CHARGE_SERVICE(p) the charge
 * service's ServiceID from the response just received. */
#ifndef PV
#error "define PV(x) before including pv_pev_setup.h"
#endif

/* EVCCID = the car's MAC, as real cars send it (Ioniq, Model Y captures). SessionID all zero, or the paused
 * session's to resume it (only ISO 15118-2 pauses). */
int PV(pev_build_session_setup)(sess_pev *p, uint32_t now)
{
    (void)now;
    struct PV(exiDocument) *tx = (struct PV(exiDocument) *)&p->docs->tx;
    struct PV(SessionSetupReqType) *q = &tx->V2G_Message.Body.SessionSetupReq;
    tx->V2G_Message.Header.SessionID.len = p->resume_id_len ? p->resume_id_len : 8;
    memcpy(tx->V2G_Message.Header.SessionID.bytes, p->resume_id, p->resume_id_len);
    memcpy(q->EVCCID.bytes, p->cfg.mac, 6);
    q->EVCCID.len = 6;
    return SESS_H_NEXT;
}

int PV(pev_build_service_discovery)(sess_pev *p, uint32_t now)
{
    (void)now;
    struct PV(ServiceDiscoveryReqType) *q = &req_body(p)->ServiceDiscoveryReq;
    q->has_ServiceCategory = true;
    q->ServiceCategory = PV(serviceCategoryType_EVCharging);
    return SESS_H_NEXT;
}

#ifndef PV_PAYMENT_OPTION
#define PV_PAYMENT_OPTION(p) PV(paymentOptionType_ExternalPayment)
#endif

/* External payment (EIM; PV_PAYMENT_OPTION(p) the includer's choice) and the charge service. */
int PV(pev_build_payment)(sess_pev *p, uint32_t now)
{
    (void)now;
    PV_PAYMENT_TYPE *q = &req_body(p)->PV_PAYMENT;
    q->SelectedPaymentOption = PV_PAYMENT_OPTION(p);
    q->SelectedServiceList.SelectedService.count = 1;
    q->SelectedServiceList.SelectedService.array[0].ServiceID = PV_CHARGE_SERVICE(p);
#ifdef PV_PAYMENT_MORE
    PV_PAYMENT_MORE(p, q);   /* the includer's other services */
#endif
    return SESS_H_NEXT;
}
