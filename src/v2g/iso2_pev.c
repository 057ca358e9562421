/* ISO 15118-2 car side, session part: SessionSetup (resuming a paused session), ServiceDiscovery,
 * ServiceDetail, PaymentServiceSelection (external payment, or Contract: iso2_pnc_pev.c), Authorization,
 * SessionStop (Terminate/Pause). */
#include <string.h>

#include "iso2_internal.h"

static struct iso2_BodyType *req_body(sess_pev *p) { return ISO2_BODY(&p->docs->tx); }
static struct iso2_BodyType *res_body(sess_pev *p) { return ISO2_BODY(&p->docs->rx); }

/* The charge service's ServiceID: from the response just received (ServiceDiscoveryRes or ServiceDetailRes). */
static uint16_t charge_service(sess_pev *p)
{
    const struct iso2_BodyType *r = res_body(p);
    return r->BodyElement_choice == iso2_BodyType_ServiceDetailRes ? r->ServiceDetailRes.ServiceID
                                                                    : r->ServiceDiscoveryRes.ChargeService.ServiceID;
}

int iso2_pev_build_service_detail(sess_pev *p, uint32_t now)
{
    (void)now;
    req_body(p)->ServiceDetailReq.ServiceID = charge_service(p);
    return SESS_H_NEXT;
}

#define PV(x) iso2_##x
#define PV_PAYMENT PaymentServiceSelectionReq
#define PV_PAYMENT_TYPE struct iso2_PaymentServiceSelectionReqType
#define PV_CHARGE_SERVICE(p) charge_service(p)
#define PV_PAYMENT_OPTION(p) ((p)->pnc ? iso2_paymentOptionType_Contract : iso2_paymentOptionType_ExternalPayment)
#if CCS_PNC
#define PV_PAYMENT_MORE(p, q) iso2_pev_certinst_select(p, &(q)->SelectedServiceList)   /* iso2_certinst_pev.c */
#endif
#include "pv_pev_setup.h"

int iso2_pev_build_session_stop(sess_pev *p, uint32_t now)
{
    (void)now;
    req_body(p)->SessionStopReq.ChargingSession =
        p->stop == SESS_STOP_PAUSED ? iso2_chargingSessionType_Pause : iso2_chargingSessionType_Terminate;
    return SESS_H_NEXT;
}

/* Either answer to a resume attempt is fine (OK_OldSessionJoined, or a new session); the engine keeps the
 * SessionID it got. */
int iso2_pev_on_session_setup(sess_pev *p, uint32_t now)
{
    (void)now;
    p->resume_id_len = 0;
    p->receipt_due = 0;
    p->pnc = 0;
    return iso2_pev_on_simple(p, now);
}

/* Our energy transfer mode and a payment option must be on offer: Contract when we have a contract (Plug &
 * Charge), else external payment. */
int iso2_pev_on_service_discovery(sess_pev *p, uint32_t now)
{
    (void)now;
    const struct iso2_ServiceDiscoveryResType *r = &res_body(p)->ServiceDiscoveryRes;
    if (iso2_pev_check(p, r->ResponseCode, NULL, NULL) == SESS_H_FAIL) return SESS_H_FAIL;
    int pay = 0, mode = 0, contract = 0;
    for (uint16_t i = 0; i < r->PaymentOptionList.PaymentOption.count; i++) {
        pay |= r->PaymentOptionList.PaymentOption.array[i] == iso2_paymentOptionType_ExternalPayment;
        contract |= r->PaymentOptionList.PaymentOption.array[i] == iso2_paymentOptionType_Contract;
    }
    /* ISO-2's contracts are P-256 (one not installed yet: suite 0, P-256) */
    p->pnc = CCS_PNC && p->cfg.pnc && p->cfg.pnc->suite == CCS_PNC_P256_SHA256 && contract;
#if CCS_PNC
    if (p->pnc) p->pnc = iso2_pev_certinst_choose(p, r, now);   /* a contract to install or update first? */
#endif
    pay |= p->pnc;
    const struct iso2_SupportedEnergyTransferModeType *m = &r->ChargeService.SupportedEnergyTransferMode;
    enum iso2_EnergyTransferModeType want = !p->cfg.ac ? iso2_EnergyTransferModeType_DC_extended
                                            : p->cfg.ac_phases == 1 ? iso2_EnergyTransferModeType_AC_single_phase_core
                                                                    : iso2_EnergyTransferModeType_AC_three_phase_core;
    for (uint16_t i = 0; i < m->EnergyTransferMode.count; i++) mode |= m->EnergyTransferMode.array[i] == want;
    if (pay && mode) return SESS_H_NEXT;
    sess_pev_safe(p, SESS_STOP_NO_OFFER);
    return SESS_H_FAIL;
}

/* Responses with nothing to look at but the code. */
int iso2_pev_on_simple(sess_pev *p, uint32_t now)
{
    (void)now;
    return iso2_pev_check(p, iso2_get_code(&p->docs->rx), NULL, NULL) == SESS_H_FAIL ? SESS_H_FAIL : SESS_H_NEXT;
}

/* Authorization loops while the charger says Ongoing (bounded by V2G_EVCC_Ongoing_Timeout). */
int iso2_pev_on_auth(sess_pev *p, uint32_t now)
{
    const struct iso2_AuthorizationResType *r = &res_body(p)->AuthorizationRes;
    if (iso2_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    return r->EVSEProcessing == iso2_EVSEProcessingType_Finished ? SESS_H_NEXT : SESS_H_STAY;
}

/* Pause: keep the SessionID for the next SessionSetupReq. */
int iso2_pev_on_session_stop(sess_pev *p, uint32_t now)
{
    if (iso2_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    sess_pev_keep_paused(p);
    return SESS_H_END;
}
