/* The xmldsig SignedInfo of Plug & Charge as both standards profile it (one Reference to the signed element's Id,
 * Canonical EXI, the protocol's digest and ECDSA URIs), for the two codecs' identical SignedInfo types. */
#ifndef CCSPLC_PNC_SIG_H
#define CCSPLC_PNC_SIG_H

#include <string.h>

#define PNC_C14N_EXI "http://www.w3.org/TR/canonical-exi/"

#define PNC_SET_TEXT(f, text) ((f).len = (uint16_t)strlen(text), memcpy((f).chars, (text), strlen(text) + 1))
#define PNC_IS_TEXT(f, text) ((f).len == strlen(text) && !memcmp((f).chars, (text), (f).len))

/* The EXI fragment of *value as doc's member (root root_val) into d->sig.bytes with the codec's encode function,
 * its length into *len: 0 or a negative CCS_E* code. */
#define PNC_FRAGMENT_BYTES(doc, root_val, member, value, encode, d, len)                                        \
    ((doc).root = (root_val), (doc).member = *(value), encode(&(doc), (d)->sig.bytes, sizeof (d)->sig.bytes, (len)))

/* SignedInfo si: one Reference to "#id" with the algorithms sig_uri and digest_uri, DigestValue's length dlen (its
 * bytes not set). */
#define PNC_SIGNED_INFO_SET(si, id, sig_uri, digest_uri, dlen)                                                    \
    do {                                                                                                       \
        PNC_SET_TEXT((si)->CanonicalizationMethod.Algorithm, PNC_C14N_EXI);                                    \
        PNC_SET_TEXT((si)->SignatureMethod.Algorithm, sig_uri);                                                \
        (si)->Reference.count = 1;                                                                             \
        (si)->Reference.array[0].has_URI = true;                                                               \
        (si)->Reference.array[0].URI.chars[0] = '#';                                                           \
        memcpy((si)->Reference.array[0].URI.chars + 1, (id), strlen(id) + 1);                                  \
        (si)->Reference.array[0].URI.len = (uint16_t)(strlen(id) + 1);                                         \
        (si)->Reference.array[0].has_Transforms = true;                                                        \
        PNC_SET_TEXT((si)->Reference.array[0].Transforms.Transform.Algorithm, PNC_C14N_EXI);                   \
        PNC_SET_TEXT((si)->Reference.array[0].DigestMethod.Algorithm, digest_uri);                             \
        (si)->Reference.array[0].DigestValue.len = (dlen);                                                     \
    } while (0)

/* Whether SignedInfo si is that, for an id of id_len characters (a Transform, when present, Canonical EXI). */
#define PNC_SIGNED_INFO_OK(si, id, id_len, sig_uri, digest_uri, dlen)                                            \
    ((si)->Reference.count == 1 && PNC_IS_TEXT((si)->CanonicalizationMethod.Algorithm, PNC_C14N_EXI) &&       \
     PNC_IS_TEXT((si)->SignatureMethod.Algorithm, sig_uri) &&                                                 \
     PNC_IS_TEXT((si)->Reference.array[0].DigestMethod.Algorithm, digest_uri) &&                              \
     (!(si)->Reference.array[0].has_Transforms ||                                                             \
      PNC_IS_TEXT((si)->Reference.array[0].Transforms.Transform.Algorithm, PNC_C14N_EXI)) &&                  \
     (si)->Reference.array[0].has_URI && (si)->Reference.array[0].URI.len == (id_len) + 1 &&                  \
     (si)->Reference.array[0].URI.chars[0] == '#' &&                                                          \
     !memcmp((si)->Reference.array[0].URI.chars + 1, (id), (id_len)) &&                                       \
     (si)->Reference.array[0].DigestValue.len == (dlen))

/* A certificate chain element ch (Certificate, SubCertificates) <-> the hooks' ccs_pnc_cert array. READ: chain[]
 * (CCS_PNC_CHAIN_MAX) and *n from ch, its SubCertificates counted when has_subs. FILL: ch from contract c (leaf
 * first) from the n certificates certs, *rc = SESS_H_FAIL when a certificate does not fit, else the count of
 * SubCertificates is set. */
#define PNC_CHAIN_READ(ch, has_subs, chain, n)                                                                  \
    do {                                                                                                       \
        (chain)[0] = (ccs_pnc_cert){ (ch)->Certificate.bytes, (ch)->Certificate.len };                         \
        *(n) = 1;                                                                                              \
        for (uint16_t i_ = 0; (has_subs) && i_ < (ch)->SubCertificates.Certificate.count &&                    \
                              *(n) < CCS_PNC_CHAIN_MAX; i_++)                                                  \
            (chain)[(*(n))++] = (ccs_pnc_cert){ (ch)->SubCertificates.Certificate.array[i_].bytes,              \
                                                (ch)->SubCertificates.Certificate.array[i_].len };              \
    } while (0)
#define PNC_CHAIN_FILL(ch, certs, n, rc)                                                                               \
    do {                                                                                                       \
        *(rc) = SESS_H_NEXT;                                                                                   \
        for (uint8_t i_ = 0; i_ < (n) && *(rc) == SESS_H_NEXT; i_++) {                                        \
            uint16_t *len_ = i_ ? &(ch)->SubCertificates.Certificate.array[i_ - 1].len : &(ch)->Certificate.len; \
            uint8_t *bytes_ = i_ ? (ch)->SubCertificates.Certificate.array[i_ - 1].bytes                       \
                                 : (ch)->Certificate.bytes;                                                    \
            if ((certs)[i_].len > sizeof (ch)->Certificate.bytes) {                                             \
                *(rc) = SESS_H_FAIL;                                                                           \
            } else {                                                                                           \
                memcpy(bytes_, (certs)[i_].der, (certs)[i_].len);                                             \
                *len_ = (uint16_t)(certs)[i_].len;                                                             \
            }                                                                                                  \
        }                                                                                                      \
        (ch)->SubCertificates.Certificate.count = (uint16_t)((n) - 1);                                         \
    } while (0)

/* ListOfRootCertificateIDs l (its RootCertificateID array of capacity cap, element type T) from the installer
 * in's roots: the issuer (RFC 4514 text) and serial of each, those that fit. */
#define PNC_ROOT_IDS(in, l, cap, T)                                                                             \
    do {                                                                                                       \
        uint16_t n_ = 0;                                                                                       \
        for (uint8_t i_ = 0; i_ < (in)->nroots && n_ < (cap); i_++) {                                          \
            T *x_ = &(l)->RootCertificateID.array[n_++];                                                       \
            const char *end_ = memchr((in)->roots[i_].issuer, 0, CCS_PNC_ISSUER_MAX);                          \
            size_t len_ = end_ ? (size_t)(end_ - (in)->roots[i_].issuer) : CCS_PNC_ISSUER_MAX;                 \
            memcpy(x_->X509IssuerName.chars, (in)->roots[i_].issuer, len_);                                    \
            x_->X509IssuerName.chars[len_] = 0;                                                                \
            x_->X509IssuerName.len = (uint16_t)len_;                                                           \
            x_->X509SerialNumber.negative = 0;                                                                 \
            x_->X509SerialNumber.len = (in)->roots[i_].serial_len;                                             \
            memcpy(x_->X509SerialNumber.mag, (in)->roots[i_].serial, (in)->roots[i_].serial_len);             \
        }                                                                                                      \
        (l)->RootCertificateID.count = n_;                                                                     \
    } while (0)

#endif
