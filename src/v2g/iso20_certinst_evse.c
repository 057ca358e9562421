/* ISO 15118-20 CertificateInstallation, the charger as certificate provisioning service: offered in
 * AuthorizationSetupRes beside PnC when its CPS is of the P-521 suite; the request (after AuthorizationSetup,
 * before Authorization) checked — the OEMProvisioningCertificateChain against the OEM trust, its Signature by the
 * provisioning key — and answered with a contract encrypted for the car in SignedInstallationData, signed by the
 * CPS (ccs_pnc_cps). */
#include <string.h>

#include "iso20_internal.h"
#include "pnc_sig.h"

#if CCS_PNC && CCS_PROTO_ISO20

#define SID "ID1"   /* SignedInstallationData's Id, which the CPS's Reference names */

static struct iso20_exiDocument *req(sess_evse *s) { return ISO20_COMMON(&s->docs->rx); }
static struct iso20_exiDocument *res(sess_evse *s) { return ISO20_COMMON(&s->docs->tx); }

int iso20_evse_certinst_offered(const sess_evse *s)
{
    return s->cfg.cps && s->cfg.cps->suite == CCS_PNC_P521_SHA512 && iso20_evse_pnc_offered(s);
}

/* A provisioning chain's verdict as ISO 15118-20's code (its 8.3.x note: a failed OEM provisioning certificate
 * validation answers a WARNING_ code). */
static int prov_code(ccs_pnc_verdict v)
{
    switch (v) {
    case CCS_PNC_CHAIN_OK: return iso20_responseCodeType_OK;
    case CCS_PNC_CHAIN_EXPIRED: return iso20_responseCodeType_WARNING_CertificateExpired;
    case CCS_PNC_CHAIN_REVOKED: return iso20_responseCodeType_WARNING_CertificateRevoked;
    default: return iso20_responseCodeType_WARNING_CertificateValidationError;
    }
}

/* The contract for the car with key key into the response, SignedInstallationData signed by the CPS. A code. */
static int answer(sess_evse *s, const uint8_t key[CCS_PNC_KEY_MAX], const ccs_pnc_cert *prov)
{
    const ccs_pnc_cps *cps = s->cfg.cps;
    struct iso20_CertificateInstallationResType *r = &res(s)->CertificateInstallationRes;
    struct iso20_SignedInstallationDataType *d = &r->SignedInstallationData;
    ccs_pnc_new_contract nc;
    memset(&nc, 0, sizeof nc);
    if (cps->make(cps->ctx, key, prov, &nc) || nc.nchain < 2 || nc.nchain > CCS_PNC_CHAIN_MAX || !cps->nchain ||
        cps->nchain > CCS_PNC_CHAIN_MAX)
        return iso20_responseCodeType_WARNING_NoCertificateAvailable;
    int rc, rc2;
    PNC_CHAIN_FILL(&r->CPSCertificateChain, cps->chain, cps->nchain, &rc);
    r->CPSCertificateChain.has_SubCertificates = cps->nchain > 1;
    PNC_CHAIN_FILL(&d->ContractCertificateChain, nc.chain, nc.nchain, &rc2);
    if (rc != SESS_H_NEXT || rc2 != SESS_H_NEXT) return iso20_responseCodeType_WARNING_NoCertificateAvailable;
    d->Id.len = sizeof SID - 1;
    memcpy(d->Id.chars, SID, sizeof SID);
    d->ECDHCurve = iso20_ecdhCurveType_SECP521;
    d->DHPublicKey.len = CCS_PNC_KEY_MAX;
    memcpy(d->DHPublicKey.bytes, nc.dh_pub, CCS_PNC_KEY_MAX);
    d->choice = iso20_SignedInstallationDataType_SECP521_EncryptedPrivateKey;
    d->SECP521_EncryptedPrivateKey.len = CCS_PNC_ENC_KEY_LEN20;
    memcpy(d->SECP521_EncryptedPrivateKey.bytes, nc.enc_key, CCS_PNC_ENC_KEY_LEN20);
    r->RemainingContractCertificateChains = 0;
    r->Header.has_Signature = true;
    s->docs->sig.frag20.root = ISO20_FRAG_SignedInstallationData;
    s->docs->sig.frag20.SignedInstallationData = *d;
    return iso20_pnc_sign(s->docs, &r->Header.Signature, SID, s->cfg.pnc->sha512, cps->sign, cps->ctx)
               ? iso20_responseCodeType_WARNING_NoCertificateAvailable
               : iso20_responseCodeType_OK;
}

/* Not offered: FAILED; the provisioning chain (WARNING_CertificateValidationError, _CertificateExpired), the
 * request's Signature over OEMProvisioningCertificateChain by its key (FAILED_SignatureError), a contract to give
 * (WARNING_NoCertificateAvailable). Every refusal ends the session in the safe state; OK stays before
 * Authorization. */
int iso20_evse_cert_install(sess_evse *s, uint32_t now)
{
    const struct iso20_CertificateInstallationReqType *q = &req(s)->CertificateInstallationReq;
    struct iso20_CertificateInstallationResType *r = &res(s)->CertificateInstallationRes;
    r->EVSEProcessing = iso20_processingType_Finished;
    int code = iso20_responseCodeType_FAILED;
    if (iso20_evse_certinst_offered(s)) {
        const struct iso20_SignedCertificateChainType *pc = &q->OEMProvisioningCertificateChain;
        ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX];
        size_t n;
        uint8_t key[CCS_PNC_KEY_MAX];
        PNC_CHAIN_READ(pc, pc->has_SubCertificates, chain, &n);
        const ccs_pnc_cps *cps = s->cfg.cps;
        code = prov_code(cps->check_prov(cps->ctx, chain, n, s->cfg.clock_unix_s + now / 1000u, key));
        if (code == iso20_responseCodeType_OK) {
            s->docs->sig.frag20.root = ISO20_FRAG_OEMProvisioningCertificateChain;
            s->docs->sig.frag20.OEMProvisioningCertificateChain = *pc;
            code = iso20_evse_signed_by(s, &q->Header, pc->Id.chars, pc->Id.len, key);
        }
        if (code == iso20_responseCodeType_OK) code = answer(s, key, &chain[0]);
    }
    r->ResponseCode = (enum iso20_responseCodeType)code;
    if (code == iso20_responseCodeType_OK) return SESS_H_NEXT;
    r->Header.has_Signature = false;
    return SESS_H_FAIL;
}

#endif
