/* ISO 15118-20 Plug & Charge, the charger: PnC offered in AuthorizationSetupRes (with a fresh GenChallenge and the
 * supported providers) on TLS when it has MO roots, and the check of the car's signed AuthorizationReq (challenge,
 * contract chain, the digest of PnC_AReqAuthorizationMode, the contract key's signature) through ccs_pnc_checker. */
#include <string.h>

#include "iso20_internal.h"
#include "pnc_sig.h"

#if CCS_PNC && CCS_PROTO_ISO20

static struct iso20_exiDocument *req(sess_evse *s) { return ISO20_COMMON(&s->docs->rx); }
static struct iso20_exiDocument *res(sess_evse *s) { return ISO20_COMMON(&s->docs->tx); }

/* Configured, a random source, TLS (PnC needs the TLS session, ISO 15118-20 [V2G20-2458]'s TLS 1.3). */
int iso20_evse_pnc_offered(const sess_evse *s) { return s->cfg.pnc && s->cfg.rng && s->tls; }

/* PnC beside EIM: its mode with the challenge to sign and the providers. */
int iso20_evse_pnc_offer(sess_evse *s)
{
    s->pnc = s->pnc_signed = 0;
    if (!iso20_evse_pnc_offered(s)) return SESS_H_NEXT;
    struct iso20_AuthorizationSetupResType *r = &res(s)->AuthorizationSetupRes;
    if (s->cfg.rng(s->cfg.rng_ctx, s->challenge, CCS_PNC_CHALLENGE_LEN)) {
        s->rng_failed = 1;   /* no challenge nobody can guess: no response, the safe state */
        return SESS_H_FAIL;
    }
    r->AuthorizationServices.array[r->AuthorizationServices.count++] = iso20_authorizationType_PnC;
    r->choice = iso20_AuthorizationSetupResType_PnC_ASResAuthorizationMode;
    struct iso20_PnC_ASResAuthorizationModeType *m = &r->PnC_ASResAuthorizationMode;
    memcpy(m->GenChallenge.bytes, s->challenge, CCS_PNC_CHALLENGE_LEN);
    m->GenChallenge.len = CCS_PNC_CHALLENGE_LEN;
    struct iso20_SupportedProvidersListType *l = &m->SupportedProviders;
    for (uint8_t i = 0; s->cfg.providers && i < s->cfg.nproviders &&
                        l->ProviderID.count < ISO20_CAP_SupportedProvidersListType_ProviderID; i++) {
        size_t n = strlen(s->cfg.providers[i]);
        if (!n || n > ISO20_LEN_nameType) continue;   /* the schema's nameType: at most 80 characters */
        memcpy(l->ProviderID.array[l->ProviderID.count].chars, s->cfg.providers[i], n + 1);
        l->ProviderID.array[l->ProviderID.count++].len = (uint16_t)n;
    }
    m->has_SupportedProviders = l->ProviderID.count > 0;
    return SESS_H_NEXT;
}

/* The verdicts of the chain check as ISO 15118-20's response codes (WARNING_: the car may identify otherwise). */
static int chain_code(ccs_pnc_verdict v)
{
    switch (v) {
    case CCS_PNC_CHAIN_OK: return iso20_responseCodeType_OK;
    case CCS_PNC_CHAIN_EXPIRED: return iso20_responseCodeType_WARNING_CertificateExpired;
    case CCS_PNC_CHAIN_REVOKED: return iso20_responseCodeType_WARNING_CertificateRevoked;
    default: return iso20_responseCodeType_WARNING_CertificateValidationError;
    }
}

int iso20_evse_signed_by(sess_evse *s, const struct iso20_MessageHeaderType *h, const char *id, size_t id_len,
                         const uint8_t key[CCS_PNC_KEY_MAX])
{
    const ccs_pnc_checker *k = s->cfg.pnc;
    size_t len;
    return h->has_Signature && iso20_pnc_sig_prepare(s->docs, &h->Signature, id, id_len, k->sha512, &len) &&
                   k->verify(k->ctx, CCS_PNC_P521_SHA512, key, s->docs->sig.bytes, len,
                             h->Signature.SignatureValue.CONTENT.bytes) == 1
               ? iso20_responseCodeType_OK
               : iso20_responseCodeType_FAILED_SignatureError;
}

/* WARNING_ChallengeInvalid for another GenChallenge than ours; the chain's code; FAILED_SignatureError for a
 * missing or unexpected Signature (one Reference to the mode's Id), a DigestValue that is not the SHA-512 of the
 * mode's fragment, or a SignatureValue the contract key did not make; else OK. */
static int check(sess_evse *s, uint32_t now)
{
    const struct iso20_AuthorizationReqType *q = &req(s)->AuthorizationReq;
    const struct iso20_PnC_AReqAuthorizationModeType *m = &q->PnC_AReqAuthorizationMode;
    if (q->choice != iso20_AuthorizationReqType_PnC_AReqAuthorizationMode)
        return iso20_responseCodeType_WARNING_AuthorizationSelectionInvalid;
    if (m->GenChallenge.len != CCS_PNC_CHALLENGE_LEN ||
        memcmp(m->GenChallenge.bytes, s->challenge, CCS_PNC_CHALLENGE_LEN))
        return iso20_responseCodeType_WARNING_ChallengeInvalid;
    ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX];
    size_t n;
    PNC_CHAIN_READ(&m->ContractCertificateChain, 1, chain, &n);
    const ccs_pnc_checker *k = s->cfg.pnc;
    uint64_t unix_s = s->cfg.clock_unix_s + now / 1000u;
    int code = chain_code(k->check_chain(k->ctx, CCS_PNC_P521_SHA512, chain, n, NULL, 0, unix_s, s->contract_key));
    if (code != iso20_responseCodeType_OK) return code;
    s->docs->sig.frag20.root = ISO20_FRAG_PnC_AReqAuthorizationMode;
    s->docs->sig.frag20.PnC_AReqAuthorizationMode = *m;
    return iso20_evse_signed_by(s, &q->Header, m->Id.chars, m->Id.len, s->contract_key);
}

/* A PnC AuthorizationReq where PnC was offered: checked once, Finished; any refusal ends the session (safe). */
int iso20_evse_pnc_auth(sess_evse *s, uint32_t now)
{
    struct iso20_AuthorizationResType *r = &res(s)->AuthorizationRes;
    r->EVSEProcessing = iso20_processingType_Finished;
    if (!iso20_evse_pnc_offered(s)) {
        r->ResponseCode = iso20_responseCodeType_WARNING_AuthorizationSelectionInvalid;
        return SESS_H_FAIL;
    }
    int code = check(s, now);
    if (code != iso20_responseCodeType_OK) {
        r->ResponseCode = (enum iso20_responseCodeType)code;
        return SESS_H_FAIL;
    }
    s->pnc = s->pnc_signed = 1;
    return SESS_H_NEXT;
}

#endif
