/* ISO 15118-2 CertificateInstallation / CertificateUpdate, what both roles share: the signed elements of a
 * response (four References, as Josev's CPS signs them), the digest of an element's EXI fragment, and a Signature
 * made or checked over SignedInfo's xmldsig fragment (the one-Reference profile of iso2_pnc.c, n times). */
#include <string.h>

#include "iso2_internal.h"

#if CCS_PNC

size_t iso2_pnc_chain_of(const struct iso2_CertificateChainType *c, ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX])
{
    chain[0] = (ccs_pnc_cert){ c->Certificate.bytes, c->Certificate.len };
    size_t n = 1;
    for (uint16_t i = 0; c->has_SubCertificates && i < c->SubCertificates.Certificate.count && n < CCS_PNC_CHAIN_MAX; i++)
        chain[n++] = (ccs_pnc_cert){ c->SubCertificates.Certificate.array[i].bytes,
                                     c->SubCertificates.Certificate.array[i].len };
    return n;
}

void iso2_ci_put_chain(struct iso2_CertificateChainType *ch, const ccs_pnc_cert *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint16_t *len = i ? &ch->SubCertificates.Certificate.array[i - 1].len : &ch->Certificate.len;
        uint8_t *bytes = i ? ch->SubCertificates.Certificate.array[i - 1].bytes : ch->Certificate.bytes;
        memcpy(bytes, c[i].der, c[i].len);
        *len = (uint16_t)c[i].len;
    }
    ch->has_SubCertificates = n > 1;
    ch->SubCertificates.Certificate.count = (uint16_t)(n > 1 ? n - 1 : 0);
}

int iso2_ci_digest(sess_docs *d, ccs_sha256_fn sha256, uint8_t out[CCS_SHA256_LEN])
{
    size_t n;
    int rc = iso2_encode_fragment(&d->sig.frag, d->sig.bytes, sizeof d->sig.bytes, &n);
    if (rc) return rc;
    sha256(d->sig.bytes, n, out);
    return 0;
}

/* Put the signed element i of a CertificateInstallationRes/-UpdateRes into d->sig.frag (order: the contract
 * chain, the encrypted key, DHpublickey, eMAID); its Id into *id. */
static void res_element(sess_docs *d, const iso2_ci_res *r, unsigned i, const char **id, size_t *id_len)
{
    struct iso2_exiFragment *f = &d->sig.frag;
    memset(f, 0, sizeof *f);
    switch (i) {
    case 0:
        f->root = ISO2_FRAG_ContractSignatureCertChain;
        f->ContractSignatureCertChain = *r->chain;
        *id = r->chain->Id.chars, *id_len = r->chain->Id.len;
        break;
    case 1:
        f->root = ISO2_FRAG_ContractSignatureEncryptedPrivateKey;
        f->ContractSignatureEncryptedPrivateKey = *r->key;
        *id = r->key->Id.chars, *id_len = r->key->Id.len;
        break;
    case 2:
        f->root = ISO2_FRAG_DHpublickey;
        f->DHpublickey = *r->dh;
        *id = r->dh->Id.chars, *id_len = r->dh->Id.len;
        break;
    default:
        f->root = ISO2_FRAG_eMAID;
        f->eMAID.has_Id = true;
        memcpy(&f->eMAID.Id, &r->emaid->Id, sizeof f->eMAID.Id);
        f->eMAID.has_CONTENT = true;
        f->eMAID.CONTENT.len = r->emaid->CONTENT.len;
        memcpy(f->eMAID.CONTENT.chars, r->emaid->CONTENT.chars, r->emaid->CONTENT.len);
        *id = r->emaid->Id.chars, *id_len = r->emaid->Id.len;
        break;
    }
}

int iso2_ci_sign_res(sess_docs *d, const iso2_ci_res *r, struct iso2_SignatureType *sg, ccs_sha256_fn sha256,
                     int (*sign)(void *, const uint8_t *, size_t, uint8_t *), void *ctx)
{
    const char *id;
    size_t id_len, n;
    struct iso2_SignedInfoType *si = &sg->SignedInfo;
    iso2_pnc_signed_info(si, r->chain->Id.chars);
    for (unsigned i = 0; i < ISO2_CI_REFS; i++) {
        struct iso2_ReferenceType *ref = &si->Reference.array[i];
        if (i) *ref = si->Reference.array[0];
        res_element(d, r, i, &id, &id_len);
        ref->URI.chars[0] = '#';
        memcpy(ref->URI.chars + 1, id, id_len);
        ref->URI.chars[id_len + 1] = 0;
        ref->URI.len = (uint16_t)(id_len + 1);
        int rc = iso2_ci_digest(d, sha256, ref->DigestValue.bytes);
        if (rc) return rc;
    }
    si->Reference.count = ISO2_CI_REFS;
    int rc = iso2_pnc_signed_info_bytes(d, si, &n);
    if (!rc) rc = sign(ctx, d->sig.bytes, n, sg->SignatureValue.CONTENT.bytes);
    sg->SignatureValue.CONTENT.len = CCS_PNC_SIG_LEN;
    return rc;
}

/* Reference i of si, alone, as iso2_pnc_signed_info_ok's one-Reference profile sees it (scratch: d->sig.dsig). */
static int ref_ok(sess_docs *d, const struct iso2_SignedInfoType *si, unsigned i, const char *id, size_t id_len)
{
    struct iso2_SignedInfoType *one = &d->sig.dsig.SignedInfo;
    one->CanonicalizationMethod = si->CanonicalizationMethod;
    one->SignatureMethod = si->SignatureMethod;
    one->Reference.array[0] = si->Reference.array[i];
    one->Reference.count = 1;
    return iso2_pnc_signed_info_ok(one, id, id_len);
}

int iso2_ci_check_res(sess_docs *d, const iso2_ci_res *r, const struct iso2_SignatureType *sg,
                      ccs_sha256_fn sha256, const ccs_pnc_installer *in, const uint8_t key[CCS_PNC_KEY_MAX])
{
    const struct iso2_SignedInfoType *si = &sg->SignedInfo;
    if (si->Reference.count != ISO2_CI_REFS || sg->SignatureValue.CONTENT.len != CCS_PNC_SIG_LEN) return 0;
    /* every signed element has a Reference of its own (in any order), its DigestValue the element's digest */
    for (unsigned i = 0; i < ISO2_CI_REFS; i++) {
        const char *id;
        size_t id_len;
        res_element(d, r, i, &id, &id_len);
        uint8_t digest[CCS_SHA256_LEN];
        if (!id_len || iso2_ci_digest(d, sha256, digest)) return 0;
        unsigned j = 0;
        while (j < ISO2_CI_REFS && !ref_ok(d, si, j, id, id_len)) j++;
        if (j == ISO2_CI_REFS || memcmp(digest, si->Reference.array[j].DigestValue.bytes, CCS_SHA256_LEN)) return 0;
    }
    size_t n;
    return !iso2_pnc_signed_info_bytes(d, si, &n) &&
           in->verify(in->ctx, key, d->sig.bytes, n, sg->SignatureValue.CONTENT.bytes) == 1;
}

#endif
