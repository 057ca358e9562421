/* ISO 15118-20 CertificateInstallation, the car: asked after AuthorizationSetupRes when the charger offers it with
 * PnC and the car's contract is missing or expires soon; the request (OEMProvisioningCertificateChain signed with
 * the provisioning key, the V2G roots it trusts); the response checked (the CPS chain, its Signature over
 * SignedInstallationData) before the platform decrypts and stores the contract (ccs_pnc_installer), with which the
 * AuthorizationReq then identifies by PnC. */
#include <string.h>

#include "iso20_internal.h"
#include "pnc_sig.h"

#if CCS_PNC && CCS_PROTO_ISO20

#define PROV_ID "ID1"   /* OEMProvisioningCertificateChain's Id, which the request's Reference names */

static struct iso20_exiDocument *req(sess_pev *p) { return ISO20_COMMON(&p->docs->tx); }
static struct iso20_exiDocument *res(sess_pev *p) { return ISO20_COMMON(&p->docs->rx); }
static uint64_t unix_s(const sess_pev *p, uint32_t now) { return p->cfg.clock_unix_s + now / 1000u; }

/* Installation when offered, our installer is of ISO 15118-20's suite and the contract is missing, not valid or
 * expiring (ISO 15118-20 has no CertificateUpdate: a renewal is a new installation). */
int iso20_pev_certinst_choose(sess_pev *p, const struct iso20_AuthorizationSetupResType *r, uint32_t now)
{
    const ccs_pnc_installer *in = p->cfg.install;
    p->cert_op = CCS_PNC_NEED_NONE;
    if (in && in->suite == CCS_PNC_P521_SHA512 && r->CertificateInstallationService &&
        in->need(in->ctx, unix_s(p, now)) != CCS_PNC_NEED_NONE)
        p->cert_op = CCS_PNC_NEED_INSTALL;
    return p->cert_op;
}

/* The provisioning chain (leaf first) with its Id, the roots, one contract chain, signed with the provisioning key. */
int iso20_pev_build_cert_install(sess_pev *p, uint32_t now)
{
    (void)now;
    const ccs_pnc_installer *in = p->cfg.install;
    struct iso20_CertificateInstallationReqType *q = &req(p)->CertificateInstallationReq;
    struct iso20_SignedCertificateChainType *pc = &q->OEMProvisioningCertificateChain;
    int rc;
    if (!in->nprov || in->nprov > CCS_PNC_CHAIN_MAX) return SESS_H_FAIL;
    PNC_CHAIN_FILL(pc, in->prov, in->nprov, &rc);
    if (rc != SESS_H_NEXT) return rc;
    pc->has_SubCertificates = in->nprov > 1;
    pc->Id.len = sizeof PROV_ID - 1;
    memcpy(pc->Id.chars, PROV_ID, sizeof PROV_ID);
    PNC_ROOT_IDS(in, &q->ListOfRootCertificateIDs, ISO20_CAP_ListOfRootCertificateIDsType_RootCertificateID,
                 struct iso20_X509IssuerSerialType);
    q->MaximumContractCertificateChains = 1;
    q->has_PrioritizedEMAIDs = false;
    q->Header.has_Signature = true;
    p->docs->sig.frag20.root = ISO20_FRAG_OEMProvisioningCertificateChain;
    p->docs->sig.frag20.OEMProvisioningCertificateChain = *pc;
    return iso20_pnc_sign(p->docs, &q->Header.Signature, PROV_ID, p->cfg.pnc->sha512, in->sign, in->ctx)
               ? SESS_H_FAIL
               : SESS_H_NEXT;
}

/* OK (Ongoing: asked again), the CPS chain reaching our V2G roots, its Signature over SignedInstallationData, a
 * SECP521 key of the right length; then the install, and the new contract must suit PnC. Anything else: the safe
 * state, nothing stored. */
int iso20_pev_on_cert_install(sess_pev *p, uint32_t now)
{
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    const ccs_pnc_installer *in = p->cfg.install;
    const struct iso20_CertificateInstallationResType *r = &res(p)->CertificateInstallationRes;
    if (r->EVSEProcessing != iso20_processingType_Finished) return SESS_H_STAY;
    const struct iso20_SignedInstallationDataType *d = &r->SignedInstallationData;
    ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX];
    size_t n, len;
    uint8_t key[CCS_PNC_KEY_MAX];
    ccs_pnc_new_contract nc;
    memset(&nc, 0, sizeof nc);
    PNC_CHAIN_READ(&r->CPSCertificateChain, r->CPSCertificateChain.has_SubCertificates, chain, &n);
    size_t nn;
    PNC_CHAIN_READ(&d->ContractCertificateChain, 1, nc.chain, &nn);
    nc.nchain = (uint8_t)nn;
    p->docs->sig.frag20.root = ISO20_FRAG_SignedInstallationData;
    p->docs->sig.frag20.SignedInstallationData = *d;
    int ok = r->Header.has_Signature && in->check_cps(in->ctx, chain, n, unix_s(p, now), key) == CCS_PNC_CHAIN_OK &&
             iso20_pnc_sig_prepare(p->docs, &r->Header.Signature, d->Id.chars, d->Id.len, p->cfg.pnc->sha512, &len) &&
             in->verify(in->ctx, key, p->docs->sig.bytes, len, r->Header.Signature.SignatureValue.CONTENT.bytes) == 1 &&
             d->ECDHCurve == iso20_ecdhCurveType_SECP521 && d->DHPublicKey.len == CCS_PNC_KEY_MAX &&
             d->choice == iso20_SignedInstallationDataType_SECP521_EncryptedPrivateKey &&
             d->SECP521_EncryptedPrivateKey.len == CCS_PNC_ENC_KEY_LEN20;
    if (ok) {
        memcpy(nc.dh_pub, d->DHPublicKey.bytes, CCS_PNC_KEY_MAX);
        memcpy(nc.enc_key, d->SECP521_EncryptedPrivateKey.bytes, CCS_PNC_ENC_KEY_LEN20);
        ok = !in->install(in->ctx, 0, &nc);
    }
    const ccs_pnc_contract *c = p->cfg.pnc;
    if (ok && c->suite == CCS_PNC_P521_SHA512 && c->nchain >= 2 && c->nchain <= CCS_PNC_CHAIN_MAX) {
        p->cert_op = CCS_PNC_NEED_NONE;
        return SESS_H_NEXT;
    }
    sess_pev_safe(p, SESS_STOP_FAILED);
    return SESS_H_FAIL;
}

#endif
