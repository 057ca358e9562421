/* ISO 15118-2 Plug & Charge, the car: PaymentDetailsReq with the contract chain and eMAID, the GenChallenge of the
 * response, and the AuthorizationReq and MeteringReceiptReq signed with the contract key through the platform's
 * ccs_pnc_contract. */
#include <string.h>

#include "iso2_internal.h"
#include "pnc_sig.h"

#if CCS_PNC

#define AUTH_ID "ID1"      /* the AuthorizationReq's Id, which the Signature's Reference names */
#define RECEIPT_ID "id1"   /* the MeteringReceiptReq's (as Josev's car names it) */

static struct iso2_BodyType *req_body(sess_pev *p) { return ISO2_BODY(&p->docs->tx); }
static struct iso2_BodyType *res_body(sess_pev *p) { return ISO2_BODY(&p->docs->rx); }

/* The chain, leaf first: Certificate, then SubCertificates. */
int iso2_pev_build_payment_details(sess_pev *p, uint32_t now)
{
    (void)now;
    const ccs_pnc_contract *c = p->cfg.pnc;
    struct iso2_PaymentDetailsReqType *q = &req_body(p)->PaymentDetailsReq;
    size_t emaid = strlen(c->emaid);
    if (!c->nchain || c->nchain > CCS_PNC_CHAIN_MAX || emaid >= sizeof q->eMAID.chars) return SESS_H_FAIL;
    memcpy(q->eMAID.chars, c->emaid, emaid + 1);
    q->eMAID.len = (uint16_t)emaid;
    struct iso2_CertificateChainType *ch = &q->ContractSignatureCertChain;
    int rc;
    PNC_CHAIN_FILL(ch, c->chain, c->nchain, &rc);
    ch->has_SubCertificates = c->nchain > 1;
    return rc;
}

/* OK: the challenge to sign (16 bytes). */
int iso2_pev_on_payment_details(sess_pev *p, uint32_t now)
{
    if (iso2_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    const struct iso2_PaymentDetailsResType *r = &res_body(p)->PaymentDetailsRes;
    if (r->GenChallenge.len != CCS_PNC_CHALLENGE_LEN) {
        sess_pev_safe(p, SESS_STOP_FAILED);
        return SESS_H_FAIL;
    }
    memcpy(p->challenge, r->GenChallenge.bytes, CCS_PNC_CHALLENGE_LEN);
    return SESS_H_NEXT;
}

/* Under Contract payment: Id and GenChallenge, the Signature in the header (DigestValue over the request's
 * fragment, SignatureValue over SignedInfo's); under external payment an empty request. */
int iso2_pev_build_auth(sess_pev *p, uint32_t now)
{
    (void)now;
    if (!p->pnc) return SESS_H_NEXT;
    const ccs_pnc_contract *c = p->cfg.pnc;
    struct iso2_MessageHeaderType *h = &p->docs->tx.iso2.V2G_Message.Header;
    struct iso2_AuthorizationReqType *q = &req_body(p)->AuthorizationReq;
    q->has_Id = true;
    q->Id.len = sizeof AUTH_ID - 1;
    memcpy(q->Id.chars, AUTH_ID, sizeof AUTH_ID);
    q->has_GenChallenge = true;
    q->GenChallenge.len = CCS_PNC_CHALLENGE_LEN;
    memcpy(q->GenChallenge.bytes, p->challenge, CCS_PNC_CHALLENGE_LEN);
    p->docs->sig.frag.root = ISO2_FRAG_AuthorizationReq;
    p->docs->sig.frag.AuthorizationReq = *q;
    return iso2_pnc_sign(p->docs, h, AUTH_ID, c->sha256, c->sign, c->ctx);
}

int iso2_pev_pnc_metering(sess_pev *p)
{
    if (!p->pnc) return SESS_H_NEXT;
    const ccs_pnc_contract *c = p->cfg.pnc;
    struct iso2_MeteringReceiptReqType *q = &req_body(p)->MeteringReceiptReq;
    q->has_Id = true;
    q->Id.len = sizeof RECEIPT_ID - 1;
    memcpy(q->Id.chars, RECEIPT_ID, sizeof RECEIPT_ID);
    p->docs->sig.frag.root = ISO2_FRAG_MeteringReceiptReq;
    p->docs->sig.frag.MeteringReceiptReq = *q;
    return iso2_pnc_sign(p->docs, &p->docs->tx.iso2.V2G_Message.Header, RECEIPT_ID, c->sha256, c->sign, c->ctx);
}

#endif
