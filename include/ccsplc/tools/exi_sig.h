/* Digests of the XML signatures in V2G messages (host side): each Reference of the header's SignedInfo names an
 * element of the message by its Id; that element encoded as an EXI fragment of the codec's schema set (EXI 1.0
 * section 8.5.2, the ISO 15118-2 / -20 signature profile) and hashed with the Reference's DigestMethod (SHA-256 in
 * ISO 15118-2, SHA-512 in -20) must be its DigestValue. The signature value itself needs the signer's certificate
 * and is not checked here: exi_sig_fragments gives the signed bytes to a check outside (`ccsplc exi fragment`). */
#ifndef CCSPLC_EXI_SIG_H
#define CCSPLC_EXI_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/tools/exi_text.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EXI_SIG_DIGEST_MAX 64u

/* The digest of data by the algorithm's XML Signature URI ("http://www.w3.org/2001/04/xmlenc#sha256"): its length,
 * 0 for an algorithm the caller does not have. */
typedef size_t (*exi_sig_digest_fn)(const char *algorithm, const uint8_t *data, size_t len,
                                    uint8_t out[EXI_SIG_DIGEST_MAX]);

typedef struct {
    char uri[132];                      /* the Reference's URI ("#ID1") */
    char algorithm[132];                /* its DigestMethod */
    const char *element;                /* name of the element with that Id, NULL when the message has none */
    int encoded;                        /* the element encoded as a fragment */
    int ok;                             /* its digest is the DigestValue */
    uint8_t digest[EXI_SIG_DIGEST_MAX]; /* the digest of the fragment (digest_len bytes, 0: algorithm unknown) */
    size_t digest_len, fragment_len;
} exi_sig_ref;

/* Checks every Reference of the message's signature (codecs with a fragment grammar: iso2, iso20-*). Returns the
 * number of References (0: no signature), fills at most max of refs, or a negative CCS_E* code. */
int exi_sig_check(const struct exi_proto *p, const void *doc, exi_sig_digest_fn digest, exi_sig_ref *refs, int max);

/* The bytes a signature covers, for a check outside (openssl): fn gets SignedInfo encoded as an EXI fragment of the
 * xmldsig schema (uri NULL, element "SignedInfo": what the SignatureValue signs), then each Reference's element as a
 * fragment of the schema set (what its DigestValue digests: uri "#ID1", element its name; element NULL when the
 * message has no element with that Id, fragment NULL when it does not encode). Returns the number of References
 * (0: no signature, and fn is not called) or a negative CCS_E* code. */
typedef void (*exi_sig_fragment_fn)(void *ctx, const char *uri, const char *element, const uint8_t *fragment,
                                    size_t len);
int exi_sig_fragments(const struct exi_proto *p, const void *doc, exi_sig_fragment_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
