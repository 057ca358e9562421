/* ISO 15118-2 Plug & Charge, what both roles share: the xmldsig Signature of a signed request (AuthorizationReq,
 * MeteringReceiptReq, CertificateInstallationReq/-UpdateReq) as the standard profiles it (one Reference to the
 * element's Id, Canonical EXI, SHA-256, ECDSA P-256), made or checked over the element's EXI fragment and the
 * bytes of SignedInfo as an xmldsig fragment (the scratch space of sess_docs). */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "iso2_internal.h"
#include "pnc_sig.h"

#if CCS_PNC

/* The algorithm URIs of ISO 15118-2's signatures (its xmldsig profile, as Josev and libcbv2g users send them). */
#define ECDSA_SHA256 "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
#define SHA256_URI "http://www.w3.org/2001/04/xmlenc#sha256"

int iso2_pnc_signed_info_bytes(sess_docs *d, const struct iso2_SignedInfoType *si, size_t *len)
{
    return PNC_FRAGMENT_BYTES(d->sig.dsig, ISO2_DSIG_SignedInfo, SignedInfo, si, iso2_encode_xmldsig_fragment, d, len);
}

void iso2_pnc_signed_info(struct iso2_SignedInfoType *si, const char *id)
{
    PNC_SIGNED_INFO_SET(si, id, ECDSA_SHA256, SHA256_URI, CCS_SHA256_LEN);
}

int iso2_pnc_signed_info_ok(const struct iso2_SignedInfoType *si, const char *id, size_t id_len)
{
    return PNC_SIGNED_INFO_OK(si, id, id_len, ECDSA_SHA256, SHA256_URI, CCS_SHA256_LEN);
}

int iso2_pnc_sign(sess_docs *d, struct iso2_MessageHeaderType *h, const char *id, ccs_sha256_fn sha256,
                  int (*sign)(void *, const uint8_t *, size_t, uint8_t *), void *ctx)
{
    struct iso2_SignatureType *sg = &h->Signature;
    size_t n;
    h->has_Signature = true;
    iso2_pnc_signed_info(&sg->SignedInfo, id);
    if (iso2_ci_digest(d, sha256, sg->SignedInfo.Reference.array[0].DigestValue.bytes) ||
        iso2_pnc_signed_info_bytes(d, &sg->SignedInfo, &n) || sign(ctx, d->sig.bytes, n, sg->SignatureValue.CONTENT.bytes))
        return SESS_H_FAIL;
    sg->SignatureValue.CONTENT.len = CCS_PNC_SIG_LEN;
    return SESS_H_NEXT;
}

int iso2_pnc_signed_by(sess_docs *d, const struct iso2_MessageHeaderType *h, const char *id, size_t id_len,
                       const ccs_pnc_checker *k, const uint8_t key[CCS_PNC_KEY_MAX])
{
    const struct iso2_SignatureType *sg = &h->Signature;
    uint8_t digest[CCS_SHA256_LEN];
    size_t n;
    return h->has_Signature && iso2_pnc_signed_info_ok(&sg->SignedInfo, id, id_len) &&
           sg->SignatureValue.CONTENT.len == CCS_PNC_SIG_LEN && !iso2_ci_digest(d, k->sha256, digest) &&
           !memcmp(digest, sg->SignedInfo.Reference.array[0].DigestValue.bytes, CCS_SHA256_LEN) &&
           !iso2_pnc_signed_info_bytes(d, &sg->SignedInfo, &n) &&
           k->verify(k->ctx, CCS_PNC_P256_SHA256, key, d->sig.bytes, n, sg->SignatureValue.CONTENT.bytes) == 1;
}

#endif
