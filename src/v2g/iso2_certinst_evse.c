/* ISO 15118-2 CertificateInstallation / CertificateUpdate, the charger as certificate provisioning service (CPS):
 * the car's certificate (OEM provisioning, or the contract to renew) and its signed request checked, a contract
 * encrypted for the car and signed by the CPS, through the platform's ccs_pnc_cps; FAILED_ codes for refusals. */
#include <string.h>

#include "iso2_internal.h"

#if CCS_PNC

static const char *const res_ids[ISO2_CI_REFS] = { "id1", "id2", "id3", "id4" };   /* as Josev's CPS names them */

/* The ServiceDiscoveryRes entry and the selection of the certificate service (ServiceID 2, ISO 15118-2 Table 105:
 * parameter set 1 Installation, 2 Update), offered with Plug & Charge when a CPS is configured. */
int iso2_evse_certinst_offered(const sess_evse *s)
{
    return s->cfg.cps && s->cfg.cps->suite == CCS_PNC_P256_SHA256 && iso2_evse_pnc_offered(s);
}

void iso2_evse_certinst_offer(const sess_evse *s, struct iso2_ServiceDiscoveryResType *r)
{
    if (!iso2_evse_certinst_offered(s)) return;
    struct iso2_ServiceType *sv = &r->ServiceList.Service.array[r->ServiceList.Service.count++];
    r->has_ServiceList = true;
    memset(sv, 0, sizeof *sv);
    sv->ServiceID = ISO2_SERVICE_ID_CERTIFICATE;
    sv->ServiceCategory = iso2_serviceCategoryType_ContractCertificate;
    sv->FreeService = true;
}

static void set_id(char *chars, uint16_t *len, const char *id)
{
    *len = (uint16_t)strlen(id);
    memcpy(chars, id, *len + 1u);
}

/* ServiceDetail of the certificate service: parameter set 1 Service = "Installation", 2 Service = "Update"
 * (ISO 15118-2 Table 105; Josev's car asks for them before selecting the service). 0: not offered. */
int iso2_evse_certinst_detail(const sess_evse *s, struct iso2_ServiceDetailResType *r)
{
    static const char *const sets[] = { "Installation", "Update" };
    if (!iso2_evse_certinst_offered(s)) return 0;
    r->has_ServiceParameterList = true;
    r->ServiceParameterList.ParameterSet.count = 2;
    for (unsigned i = 0; i < 2; i++) {
        struct iso2_ParameterSetType *ps = &r->ServiceParameterList.ParameterSet.array[i];
        ps->ParameterSetID = (int16_t)(i + 1);
        ps->Parameter.count = 1;
        struct iso2_ParameterType *pa = &ps->Parameter.array[0];
        set_id(pa->Name.chars, &pa->Name.len, "Service");
        pa->choice = iso2_ParameterType_stringValue;
        set_id(pa->stringValue.chars, &pa->stringValue.len, sets[i]);
    }
    return 1;
}

static int verdict_code(ccs_pnc_verdict v)
{
    switch (v) {
    case CCS_PNC_CHAIN_OK: return iso2_responseCodeType_OK;
    case CCS_PNC_CHAIN_EXPIRED: return iso2_responseCodeType_FAILED_CertificateExpired;
    case CCS_PNC_CHAIN_REVOKED: return iso2_responseCodeType_FAILED_CertificateRevoked;
    default: return iso2_responseCodeType_FAILED_CertChainError;
    }
}

/* The contract for the car whose ECDH key is key into the response's members (sa: SAProvisioningCertificateChain,
 * el: the signed elements), signed by the CPS. An ISO 15118-2 response code. */
static int answer(sess_evse *s, const uint8_t key[CCS_PNC_KEY_MAX], struct iso2_CertificateChainType *sa,
                  const iso2_ci_res *el)
{
    const ccs_pnc_cps *cps = s->cfg.cps;
    ccs_pnc_new_contract nc;
    memset(&nc, 0, sizeof nc);
    int rc = cps->make(cps->ctx, key, NULL, &nc);
    if (rc || !nc.nchain || nc.nchain > CCS_PNC_CHAIN_MAX || !cps->nchain || cps->nchain > CCS_PNC_CHAIN_MAX ||
        nc.emaid_len > ISO2_LEN_eMAIDType)
        return iso2_responseCodeType_FAILED_NoCertificateAvailable;
    for (unsigned i = 0; i < nc.nchain; i++)
        if (nc.chain[i].len > ISO2_LEN_certificateType) return iso2_responseCodeType_FAILED_NoCertificateAvailable;
    for (unsigned i = 0; i < cps->nchain; i++)
        if (cps->chain[i].len > ISO2_LEN_certificateType) return iso2_responseCodeType_FAILED_NoCertificateAvailable;
    iso2_ci_put_chain(sa, cps->chain, cps->nchain);
    iso2_ci_put_chain(el->chain, nc.chain, nc.nchain);
    el->chain->has_Id = true;
    set_id(el->chain->Id.chars, &el->chain->Id.len, res_ids[0]);
    set_id(el->key->Id.chars, &el->key->Id.len, res_ids[1]);
    memcpy(el->key->CONTENT.bytes, nc.enc_key, CCS_PNC_ENC_KEY_LEN);
    el->key->CONTENT.len = CCS_PNC_ENC_KEY_LEN;
    set_id(el->dh->Id.chars, &el->dh->Id.len, res_ids[2]);
    memcpy(el->dh->CONTENT.bytes, nc.dh_pub, CCS_PNC_KEY_LEN);
    el->dh->CONTENT.len = CCS_PNC_KEY_LEN;
    set_id(el->emaid->Id.chars, &el->emaid->Id.len, res_ids[3]);
    memcpy(el->emaid->CONTENT.chars, nc.emaid, nc.emaid_len);
    el->emaid->CONTENT.chars[nc.emaid_len] = 0;
    el->emaid->CONTENT.len = (uint16_t)nc.emaid_len;
    struct iso2_MessageHeaderType *h = &s->docs->tx.iso2.V2G_Message.Header;
    h->has_Signature = true;
    if (iso2_ci_sign_res(s->docs, el, &h->Signature, s->cfg.pnc->sha256, cps->sign, cps->ctx))
        return iso2_responseCodeType_FAILED_NoCertificateAvailable;
    return iso2_responseCodeType_OK;
}

/* A refusal: the code, no Signature, the safe state (the engine ends the session). */
static int refuse(sess_evse *s, int code, enum iso2_responseCodeType *res_code)
{
    *res_code = (enum iso2_responseCodeType)code;
    s->docs->tx.iso2.V2G_Message.Header.has_Signature = false;
    return SESS_H_FAIL;
}

uint64_t iso2_evse_unix_s(const sess_evse *s, uint32_t now) { return s->cfg.clock_unix_s + now / 1000u; }

/* After the certificate check (code): the request (in s->docs->sig.frag, Id id) signed by key, then the answer
 * into the response's members (sa, el; *res_code its ResponseCode). */
static int signed_answer(sess_evse *s, int code, const char *id, size_t id_len, const uint8_t key[CCS_PNC_KEY_MAX],
                         struct iso2_CertificateChainType *sa, const iso2_ci_res *el, enum iso2_responseCodeType *res_code)
{
    const struct iso2_MessageHeaderType *h = &s->docs->rx.iso2.V2G_Message.Header;
    if (code == iso2_responseCodeType_OK && !iso2_pnc_signed_by(s->docs, h, id, id_len, s->cfg.pnc, key))
        code = iso2_responseCodeType_FAILED_SignatureError;
    if (code == iso2_responseCodeType_OK) code = answer(s, key, sa, el);
    return code == iso2_responseCodeType_OK ? SESS_H_NEXT : refuse(s, code, res_code);
}

/* CertificateInstallationReq: the OEM provisioning certificate against the OEM trust (FAILED_CertChainError,
 * _CertificateExpired), the request signed by its key (FAILED_SignatureError), a contract to give
 * (FAILED_NoCertificateAvailable). */
int iso2_evse_cert_install(sess_evse *s, uint32_t now)
{
    const struct iso2_CertificateInstallationReqType *q = &s->docs->rx.iso2.V2G_Message.Body.CertificateInstallationReq;
    struct iso2_CertificateInstallationResType *r = &s->docs->tx.iso2.V2G_Message.Body.CertificateInstallationRes;
    if (!iso2_evse_certinst_offered(s)) return refuse(s, iso2_responseCodeType_FAILED_NoCertificateAvailable, &r->ResponseCode);
    const ccs_pnc_cps *cps = s->cfg.cps;
    uint8_t key[CCS_PNC_KEY_MAX];
    ccs_pnc_cert prov = { q->OEMProvisioningCert.bytes, q->OEMProvisioningCert.len };
    int code = verdict_code(cps->check_prov(cps->ctx, &prov, 1, iso2_evse_unix_s(s, now), key));
    s->docs->sig.frag.root = ISO2_FRAG_CertificateInstallationReq;
    s->docs->sig.frag.CertificateInstallationReq = *q;
    iso2_ci_res el = ISO2_CI_RES(r);
    return signed_answer(s, code, q->Id.chars, q->Id.len, key, &r->SAProvisioningCertificateChain, &el, &r->ResponseCode);
}

/* CertificateUpdateReq: the contract chain against the MO roots and its eMAID (FAILED_CertChainError,
 * _CertificateExpired, _CertificateRevoked), signed by the contract key (FAILED_SignatureError); the new contract is
 * encrypted for the old contract's key. */
int iso2_evse_cert_update(sess_evse *s, uint32_t now)
{
    const struct iso2_CertificateUpdateReqType *q = &s->docs->rx.iso2.V2G_Message.Body.CertificateUpdateReq;
    struct iso2_CertificateUpdateResType *r = &s->docs->tx.iso2.V2G_Message.Body.CertificateUpdateRes;
    if (!iso2_evse_certinst_offered(s)) return refuse(s, iso2_responseCodeType_FAILED_NoCertificateAvailable, &r->ResponseCode);
    const ccs_pnc_checker *k = s->cfg.pnc;
    ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX];
    size_t n = iso2_pnc_chain_of(&q->ContractSignatureCertChain, chain);
    int code = verdict_code(k->check_chain(k->ctx, CCS_PNC_P256_SHA256, chain, n, q->eMAID.chars, q->eMAID.len, iso2_evse_unix_s(s, now),
                                           s->contract_key));
    s->docs->sig.frag.root = ISO2_FRAG_CertificateUpdateReq;
    s->docs->sig.frag.CertificateUpdateReq = *q;
    iso2_ci_res el = ISO2_CI_RES(r);
    return signed_answer(s, code, q->Id.chars, q->Id.len, s->contract_key, &r->SAProvisioningCertificateChain, &el,
                         &r->ResponseCode);
}

#endif
