/* ISO 15118-2 Plug & Charge, what both roles share: the xmldsig Signature of an AuthorizationReq as the standard
 * profiles it (one Reference to the element's Id, Canonical EXI, SHA-256, ECDSA P-256), the digest over the
 * element's EXI fragment and the bytes of SignedInfo as an xmldsig fragment (the scratch space of sess_docs). */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "iso2_internal.h"
#include "pnc_sig.h"

#if CCS_PNC

/* The algorithm URIs of ISO 15118-2's signatures (its xmldsig profile, as Josev and libcbv2g users send them). */
#define ECDSA_SHA256 "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
#define SHA256_URI "http://www.w3.org/2001/04/xmlenc#sha256"

int iso2_pnc_auth_digest(sess_docs *d, const struct iso2_AuthorizationReqType *q, ccs_sha256_fn sha256,
                         uint8_t out[CCS_SHA256_LEN])
{
    size_t n;
    int rc = PNC_FRAGMENT_BYTES(d->sig.frag, ISO2_FRAG_AuthorizationReq, AuthorizationReq, q, iso2_encode_fragment, d,
                                &n);
    if (!rc) sha256(d->sig.bytes, n, out);
    return rc;
}

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

#endif
