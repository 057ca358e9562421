/* ISO 15118-2 CertificateInstallation / CertificateUpdate, the car: whether it needs a contract (none usable, or
 * one about to expire), the signed request (OEM provisioning certificate or the old contract chain, the roots it
 * trusts), and the response checked (the CPS chain, its Signature) before the platform decrypts and stores the new
 * contract (ccs_pnc_installer); PaymentDetails then pays with it. */
#include <string.h>

#include "iso2_internal.h"
#include "pnc_sig.h"

#if CCS_PNC

#define REQ_ID "id1"   /* the request's Id, as Josev's car names it */

/* Contract payment when offered and: a contract needing nothing, or the certificate service offered for what it
 * needs. Without the service a car with no usable contract pays externally; one whose contract expires soon pays
 * with it. */
int iso2_pev_certinst_choose(sess_pev *p, const struct iso2_ServiceDiscoveryResType *r, uint32_t now)
{
    const ccs_pnc_installer *in = p->cfg.install;
    if (in && in->suite != CCS_PNC_P256_SHA256) in = NULL;   /* an ISO 15118-20 installer */
    int need = in ? in->need(in->ctx, p->cfg.clock_unix_s + now / 1000u)
                  : p->cfg.pnc->nchain ? CCS_PNC_NEED_NONE : CCS_PNC_NEED_INSTALL;
    int offered = 0;
    for (uint16_t i = 0; r->has_ServiceList && i < r->ServiceList.Service.count; i++)
        offered |= r->ServiceList.Service.array[i].ServiceID == ISO2_SERVICE_ID_CERTIFICATE;
    p->cert_op = (uint8_t)(in && offered ? need : CCS_PNC_NEED_NONE);
    return need != CCS_PNC_NEED_INSTALL || p->cert_op == CCS_PNC_NEED_INSTALL;
}

/* The certificate service with its parameter set (ISO 15118-2 Table 105: 1 Installation, 2 Update). */
void iso2_pev_certinst_select(sess_pev *p, struct iso2_SelectedServiceListType *l)
{
    if (!p->pnc || p->cert_op == CCS_PNC_NEED_NONE) return;
    struct iso2_SelectedServiceType *sv = &l->SelectedService.array[l->SelectedService.count++];
    sv->ServiceID = ISO2_SERVICE_ID_CERTIFICATE;
    sv->has_ParameterSetID = true;
    sv->ParameterSetID = p->cert_op == CCS_PNC_NEED_UPDATE ? 2 : 1;
}

static void root_ids(const ccs_pnc_installer *in, struct iso2_ListOfRootCertificateIDsType *l)
{
    PNC_ROOT_IDS(in, l, ISO2_CAP_ListOfRootCertificateIDsType_RootCertificateID, struct iso2_X509IssuerSerialType);
}

/* The header's Signature over the request in d->sig.frag (Id REQ_ID), by sign(ctx). */
static int sign_request(sess_pev *p, int (*sign)(void *, const uint8_t *, size_t, uint8_t *), void *ctx)
{
    return iso2_pnc_sign(p->docs, &p->docs->tx.iso2.V2G_Message.Header, REQ_ID, p->cfg.pnc->sha256, sign, ctx);
}

/* OEMProvisioningCert, ListOfRootCertificateIDs, signed with the provisioning key. */
int iso2_pev_build_cert_install(sess_pev *p, uint32_t now)
{
    (void)now;
    const ccs_pnc_installer *in = p->cfg.install;
    struct iso2_CertificateInstallationReqType *q = &p->docs->tx.iso2.V2G_Message.Body.CertificateInstallationReq;
    if (in->prov[0].len > sizeof q->OEMProvisioningCert.bytes) return SESS_H_FAIL;
    q->Id.len = sizeof REQ_ID - 1;
    memcpy(q->Id.chars, REQ_ID, sizeof REQ_ID);
    memcpy(q->OEMProvisioningCert.bytes, in->prov[0].der, in->prov[0].len);
    q->OEMProvisioningCert.len = (uint16_t)in->prov[0].len;
    root_ids(in, &q->ListOfRootCertificateIDs);
    p->docs->sig.frag.root = ISO2_FRAG_CertificateInstallationReq;
    p->docs->sig.frag.CertificateInstallationReq = *q;
    return sign_request(p, in->sign, in->ctx);
}

/* The contract chain and eMAID to renew, the roots, signed with the contract key. */
int iso2_pev_build_cert_update(sess_pev *p, uint32_t now)
{
    (void)now;
    const ccs_pnc_contract *c = p->cfg.pnc;
    struct iso2_CertificateUpdateReqType *q = &p->docs->tx.iso2.V2G_Message.Body.CertificateUpdateReq;
    size_t emaid = strlen(c->emaid);
    if (!c->nchain || c->nchain > CCS_PNC_CHAIN_MAX || emaid >= sizeof q->eMAID.chars) return SESS_H_FAIL;
    for (uint8_t i = 0; i < c->nchain; i++)
        if (c->chain[i].len > ISO2_LEN_certificateType) return SESS_H_FAIL;
    iso2_ci_put_chain(&q->ContractSignatureCertChain, c->chain, c->nchain);
    memcpy(q->eMAID.chars, c->emaid, emaid + 1);
    q->eMAID.len = (uint16_t)emaid;
    q->Id.len = sizeof REQ_ID - 1;
    memcpy(q->Id.chars, REQ_ID, sizeof REQ_ID);
    root_ids(p->cfg.install, &q->ListOfRootCertificateIDs);
    p->docs->sig.frag.root = ISO2_FRAG_CertificateUpdateReq;
    p->docs->sig.frag.CertificateUpdateReq = *q;
    return sign_request(p, c->sign, c->ctx);
}

/* The response (either: CertificateUpdateRes begins with CertificateInstallationRes's members): OK, the CPS chain
 * reaching the car's V2G roots, the Signature of the four elements by the CPS key, then the install. Anything else:
 * the safe state. */
static int on_response(sess_pev *p, uint32_t now, struct iso2_CertificateChainType *sa, const iso2_ci_res *el,
                       int update)
{
    const ccs_pnc_installer *in = p->cfg.install;
    const struct iso2_MessageHeaderType *h = &p->docs->rx.iso2.V2G_Message.Header;
    ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX];
    size_t n = iso2_pnc_chain_of(sa, chain);
    uint8_t key[CCS_PNC_KEY_MAX];
    uint64_t now_s = p->cfg.clock_unix_s + now / 1000u;
    ccs_pnc_new_contract nc;
    memset(&nc, 0, sizeof nc);
    nc.nchain = (uint8_t)iso2_pnc_chain_of(el->chain, nc.chain);
    nc.emaid = el->emaid->CONTENT.chars;
    nc.emaid_len = el->emaid->CONTENT.len;
    int ok = h->has_Signature && in->check_cps(in->ctx, chain, n, now_s, key) == CCS_PNC_CHAIN_OK &&
             iso2_ci_check_res(p->docs, el, &h->Signature, p->cfg.pnc->sha256, in, key) &&
             el->key->CONTENT.len == CCS_PNC_ENC_KEY_LEN && el->dh->CONTENT.len == CCS_PNC_KEY_LEN;
    if (ok) {
        memcpy(nc.enc_key, el->key->CONTENT.bytes, CCS_PNC_ENC_KEY_LEN);
        memcpy(nc.dh_pub, el->dh->CONTENT.bytes, CCS_PNC_KEY_LEN);
        ok = !in->install(in->ctx, update, &nc);
    }
    if (ok) return SESS_H_NEXT;
    sess_pev_safe(p, SESS_STOP_FAILED);
    return SESS_H_FAIL;
}

int iso2_pev_on_cert_install(sess_pev *p, uint32_t now)
{
    if (iso2_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    struct iso2_BodyType *b = &p->docs->rx.iso2.V2G_Message.Body;
    if (b->BodyElement_choice == iso2_BodyType_CertificateUpdateRes) {
        iso2_ci_res el = ISO2_CI_RES(&b->CertificateUpdateRes);
        return on_response(p, now, &b->CertificateUpdateRes.SAProvisioningCertificateChain, &el, 1);
    }
    iso2_ci_res el = ISO2_CI_RES(&b->CertificateInstallationRes);
    return on_response(p, now, &b->CertificateInstallationRes.SAProvisioningCertificateChain, &el, 0);
}

#endif
