/* ISO 15118-20 Plug & Charge, what both roles share: the Signature of one element (an AuthorizationReq's
 * PnC_AReqAuthorizationMode, CertificateInstallation's OEMProvisioningCertificateChain and SignedInstallationData:
 * one Reference to its Id, Canonical EXI, SHA-512, ECDSA on secp521r1: the standard's suite for secp521r1
 * certificates), the digest over the element's EXI fragment and the bytes of SignedInfo as an xmldsig fragment. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "iso20_internal.h"
#include "pnc_sig.h"

#if CCS_PNC && CCS_PROTO_ISO20

/* The algorithm URIs of the signature (RFC 6931's names for ECDSA with SHA-512 and SHA-512). */
#define ECDSA_SHA512 "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
#define SHA512_URI "http://www.w3.org/2001/04/xmlenc#sha512"

int iso20_pnc_frag_digest(sess_docs *d, ccs_sha512_fn sha512, uint8_t out[CCS_SHA512_LEN])
{
    size_t n;
    int rc = iso20_encode_fragment(&d->sig.frag20, d->sig.bytes, sizeof d->sig.bytes, &n);
    if (!rc) sha512(d->sig.bytes, n, out);
    return rc;
}

int iso20_pnc_signed_info_bytes(sess_docs *d, const struct iso20_SignedInfoType *si, size_t *len)
{
    return PNC_FRAGMENT_BYTES(d->sig.dsig20, ISO20_DSIG_SignedInfo, SignedInfo, si, iso20_encode_xmldsig_fragment, d,
                              len);
}

void iso20_pnc_signed_info(struct iso20_SignedInfoType *si, const char *id)
{
    PNC_SIGNED_INFO_SET(si, id, ECDSA_SHA512, SHA512_URI, CCS_SHA512_LEN);
}

int iso20_pnc_signed_info_ok(const struct iso20_SignedInfoType *si, const char *id, size_t id_len)
{
    return PNC_SIGNED_INFO_OK(si, id, id_len, ECDSA_SHA512, SHA512_URI, CCS_SHA512_LEN);
}

int iso20_pnc_sign(sess_docs *d, struct iso20_SignatureType *sg, const char *id, ccs_sha512_fn sha512,
                   int (*sign)(void *, const uint8_t *, size_t, uint8_t *), void *ctx)
{
    size_t n;
    iso20_pnc_signed_info(&sg->SignedInfo, id);
    if (iso20_pnc_frag_digest(d, sha512, sg->SignedInfo.Reference.array[0].DigestValue.bytes) ||
        iso20_pnc_signed_info_bytes(d, &sg->SignedInfo, &n) ||
        sign(ctx, d->sig.bytes, n, sg->SignatureValue.CONTENT.bytes))
        return CCS_EINVAL;
    sg->SignatureValue.CONTENT.len = CCS_PNC_SIG_MAX;
    return 0;
}

int iso20_pnc_sig_prepare(sess_docs *d, const struct iso20_SignatureType *sg, const char *id, size_t id_len,
                          ccs_sha512_fn sha512, size_t *len)
{
    uint8_t digest[CCS_SHA512_LEN];
    return iso20_pnc_signed_info_ok(&sg->SignedInfo, id, id_len) && sg->SignatureValue.CONTENT.len == CCS_PNC_SIG_MAX &&
           !iso20_pnc_frag_digest(d, sha512, digest) &&
           !memcmp(digest, sg->SignedInfo.Reference.array[0].DigestValue.bytes, CCS_SHA512_LEN) &&
           !iso20_pnc_signed_info_bytes(d, &sg->SignedInfo, len);
}

#endif
