/* ISO 15118-20 Plug & Charge, the car: PnC chosen when the charger offers it and the car has a secp521r1 contract,
 * then the AuthorizationReq with PnC_AReqAuthorizationMode (the challenge, the contract chain) signed with the
 * contract key through the platform's ccs_pnc_contract. */
#include <string.h>

#include "iso20_internal.h"
#include "pnc_sig.h"

#if CCS_PNC && CCS_PROTO_ISO20

#define MODE_ID "ID1"   /* PnC_AReqAuthorizationMode's Id, which the Signature's Reference names */

/* PnC when it is on offer with a challenge and our contract fits ISO 15118-20 (its suite; a Sub-CA at least:
 * the schema's SubCertificates holds one or more), or a contract is installed first (iso20_certinst_pev.c); else
 * EIM (0). */
int iso20_pev_pnc_choose(sess_pev *p, const struct iso20_AuthorizationSetupResType *r, uint32_t now)
{
    const ccs_pnc_contract *c = p->cfg.pnc;
    p->pnc = 0;
    int install = iso20_pev_certinst_choose(p, r, now);
    int fits = c && c->suite == CCS_PNC_P521_SHA512 && c->nchain >= 2 && c->nchain <= CCS_PNC_CHAIN_MAX;
    int usable = c && (install || fits) && r->choice == iso20_AuthorizationSetupResType_PnC_ASResAuthorizationMode &&
                 r->PnC_ASResAuthorizationMode.GenChallenge.len == CCS_PNC_CHALLENGE_LEN;
    for (uint16_t i = 0; usable && i < r->AuthorizationServices.count; i++)
        p->pnc |= r->AuthorizationServices.array[i] == iso20_authorizationType_PnC;
    if (p->pnc) memcpy(p->challenge, r->PnC_ASResAuthorizationMode.GenChallenge.bytes, CCS_PNC_CHALLENGE_LEN);
    else p->cert_op = CCS_PNC_NEED_NONE;
    return p->pnc;
}

/* The mode (Id, challenge, chain leaf first) and the header's Signature: DigestValue over the mode's fragment,
 * SignatureValue over SignedInfo's. */
int iso20_pev_pnc_build_auth(sess_pev *p)
{
    const ccs_pnc_contract *c = p->cfg.pnc;
    struct iso20_AuthorizationReqType *q = &ISO20_COMMON(&p->docs->tx)->AuthorizationReq;
    q->SelectedAuthorizationService = iso20_authorizationType_PnC;
    q->choice = iso20_AuthorizationReqType_PnC_AReqAuthorizationMode;
    struct iso20_PnC_AReqAuthorizationModeType *m = &q->PnC_AReqAuthorizationMode;
    m->Id.len = sizeof MODE_ID - 1;
    memcpy(m->Id.chars, MODE_ID, sizeof MODE_ID);
    m->GenChallenge.len = CCS_PNC_CHALLENGE_LEN;
    memcpy(m->GenChallenge.bytes, p->challenge, CCS_PNC_CHALLENGE_LEN);
    int rc;
    PNC_CHAIN_FILL(&m->ContractCertificateChain, c->chain, c->nchain, &rc);
    if (rc != SESS_H_NEXT) return rc;
    q->Header.has_Signature = true;
    p->docs->sig.frag20.root = ISO20_FRAG_PnC_AReqAuthorizationMode;
    p->docs->sig.frag20.PnC_AReqAuthorizationMode = *m;
    return iso20_pnc_sign(p->docs, &q->Header.Signature, MODE_ID, c->sha512, c->sign, c->ctx) ? SESS_H_FAIL
                                                                                             : SESS_H_NEXT;
}

#endif
