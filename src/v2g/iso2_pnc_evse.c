/* ISO 15118-2 Plug & Charge, the charger: PaymentDetails (the contract chain against the MO roots, a fresh
 * GenChallenge) and the check of the signed AuthorizationReq (its challenge, the digest of its fragment, the
 * contract key's signature of SignedInfo) and of the signed MeteringReceiptReq, through the platform's
 * ccs_pnc_checker. */
#include <string.h>

#include "iso2_internal.h"
#include "pnc_sig.h"

#if CCS_PNC

static struct iso2_BodyType *req_body(sess_evse *s) { return ISO2_BODY(&s->docs->rx); }
static struct iso2_BodyType *res_body(sess_evse *s) { return ISO2_BODY(&s->docs->tx); }

int iso2_evse_pnc_offered(const sess_evse *s) { return s->cfg.pnc && s->cfg.rng && s->tls; }

/* A hook's answer, anything unknown taken as a refusal. */
static uint8_t auth_answer(ccs_pnc_auth a) { return (uint8_t)(a <= CCS_PNC_AUTH_PENDING ? a : CCS_PNC_AUTH_REJECT); }

/* The chain (contract certificate, its Sub-CAs) and eMAID; then 16 random bytes to sign and the charger's time. */
int iso2_evse_payment_details(sess_evse *s, uint32_t now)
{
    static const uint8_t code[] = {
        [CCS_PNC_CHAIN_ERROR] = iso2_responseCodeType_FAILED_CertChainError,
        [CCS_PNC_CHAIN_EXPIRED] = iso2_responseCodeType_FAILED_CertificateExpired,
        [CCS_PNC_CHAIN_REVOKED] = iso2_responseCodeType_FAILED_CertificateRevoked,
    };
    const struct iso2_PaymentDetailsReqType *q = &req_body(s)->PaymentDetailsReq;
    struct iso2_PaymentDetailsResType *r = &res_body(s)->PaymentDetailsRes;
    uint64_t unix_s = s->cfg.clock_unix_s + now / 1000u;
    r->EVSETimeStamp = (int64_t)unix_s;
    const struct iso2_CertificateChainType *c = &q->ContractSignatureCertChain;
    ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX];
    size_t n;
    PNC_CHAIN_READ(c, c->has_SubCertificates, chain, &n);
    const ccs_pnc_checker *k = s->cfg.pnc;
    ccs_pnc_verdict v = k->check_chain(k->ctx, CCS_PNC_P256_SHA256, chain, n, q->eMAID.chars, q->eMAID.len, unix_s,
                                       s->contract_key);
    if (v != CCS_PNC_CHAIN_OK) {
        r->ResponseCode = v < sizeof code ? code[v] : iso2_responseCodeType_FAILED_CertChainError;
        return SESS_H_FAIL;
    }
    if (s->cfg.rng(s->cfg.rng_ctx, s->challenge, CCS_PNC_CHALLENGE_LEN)) {
        s->rng_failed = 1;   /* no challenge nobody can guess: no response, the safe state */
        return SESS_H_FAIL;
    }
    memcpy(r->GenChallenge.bytes, s->challenge, CCS_PNC_CHALLENGE_LEN);
    r->GenChallenge.len = CCS_PNC_CHALLENGE_LEN;
    s->pnc_signed = 0;
    /* the operator's backend starts deciding now; AuthorizationReq takes its answer (backend_decision) */
    s->pnc_auth = k->authorize ? auth_answer(k->authorize(k->auth_ctx, &chain[0], q->eMAID.chars, q->eMAID.len))
                               : CCS_PNC_AUTH_ACCEPT;
    return SESS_H_NEXT;
}

/* The backend's answer so far: Ongoing while it decides (ISO 15118-2's EVSEProcessing; the car gives up after
 * V2G_EVCC_Ongoing_Timeout, the backend rejects after its own time), FAILED for a rejected contract (the code
 * ISO 15118-2's Table 112 allows in AuthorizationRes besides FAILED_ChallengeInvalid and
 * FAILED_CertificateRevoked, as Josev reads it). */
static int backend_decision(sess_evse *s)
{
    const ccs_pnc_checker *k = s->cfg.pnc;
    struct iso2_AuthorizationResType *r = &res_body(s)->AuthorizationRes;
    if (s->pnc_auth == CCS_PNC_AUTH_PENDING)
        s->pnc_auth = k->authorize_poll ? auth_answer(k->authorize_poll(k->auth_ctx)) : CCS_PNC_AUTH_REJECT;
    if (s->pnc_auth == CCS_PNC_AUTH_ACCEPT) return SESS_H_NEXT;
    if (s->pnc_auth == CCS_PNC_AUTH_PENDING) {
        r->EVSEProcessing = iso2_EVSEProcessingType_Ongoing;
        return SESS_H_STAY;
    }
    r->ResponseCode = iso2_responseCodeType_FAILED;
    return SESS_H_FAIL;
}

/* The signed AuthorizationReq: FAILED_ChallengeInvalid for another GenChallenge than ours, FAILED_SignatureError
 * for a missing or unexpected Signature (ISO 15118-2's profile: one Reference to the request's Id), a DigestValue
 * that is not the SHA-256 of the request's fragment, or a SignatureValue the contract key did not make; else OK. */
static int check_auth(sess_evse *s)
{
    const struct iso2_exiDocument *rx = &s->docs->rx.iso2;
    const struct iso2_AuthorizationReqType *q = &rx->V2G_Message.Body.AuthorizationReq;
    if (!q->has_GenChallenge || q->GenChallenge.len != CCS_PNC_CHALLENGE_LEN ||
        memcmp(q->GenChallenge.bytes, s->challenge, CCS_PNC_CHALLENGE_LEN))
        return iso2_responseCodeType_FAILED_ChallengeInvalid;
    s->docs->sig.frag.root = ISO2_FRAG_AuthorizationReq;
    s->docs->sig.frag.AuthorizationReq = *q;
    if (!q->has_Id || !iso2_pnc_signed_by(s->docs, &rx->V2G_Message.Header, q->Id.chars, q->Id.len, s->cfg.pnc,
                                          s->contract_key))
        return iso2_responseCodeType_FAILED_SignatureError;
    return iso2_responseCodeType_OK;
}

/* Under Contract payment the first AuthorizationReq must be signed, and every signed one is checked; then the
 * authorization backend's answer. */
int iso2_evse_pnc_auth(sess_evse *s)
{
    if (!s->pnc) return SESS_H_NEXT;
    if (!s->pnc_signed || s->docs->rx.iso2.V2G_Message.Header.has_Signature) {
        int code = check_auth(s);
        if (code != iso2_responseCodeType_OK) {
            res_body(s)->AuthorizationRes.ResponseCode = (enum iso2_responseCodeType)code;
            return SESS_H_FAIL;
        }
        s->pnc_signed = 1;
    }
    return backend_decision(s);
}

/* ISO 15118-2: under Contract payment the MeteringReceiptReq is signed with the contract key (one Reference to its
 * Id) over the MeterReading the charger asked to confirm; a missing or wrong Signature, or another reading (as
 * RISE-V2G and Josev check it), is FAILED_MeteringSignatureNotValid. */
int iso2_evse_pnc_metering(sess_evse *s)
{
    if (!s->pnc) return SESS_H_NEXT;
    const struct iso2_exiDocument *rx = &s->docs->rx.iso2;
    const struct iso2_MeteringReceiptReqType *q = &rx->V2G_Message.Body.MeteringReceiptReq;
    s->docs->sig.frag.root = ISO2_FRAG_MeteringReceiptReq;
    s->docs->sig.frag.MeteringReceiptReq = *q;
    if (q->has_Id && q->MeterInfo.has_MeterReading && q->MeterInfo.MeterReading == s->receipt_meter_wh &&
        iso2_pnc_signed_by(s->docs, &rx->V2G_Message.Header, q->Id.chars, q->Id.len, s->cfg.pnc,
                                        s->contract_key))
        return SESS_H_NEXT;
    res_body(s)->MeteringReceiptRes.ResponseCode = iso2_responseCodeType_FAILED_MeteringSignatureNotValid;
    return SESS_H_FAIL;
}

#endif
