/* What pnc_openssl.c shares with pnc_certinst_openssl.c and pnc_keywrap_openssl.c (Plug & Charge crypto on OpenSSL
 * 3, platform-internal). */
#ifndef CCSPLC_PNC_OPENSSL_INT_H
#define CCSPLC_PNC_OPENSSL_INT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ccsplc/core/pnc.h"

/* The suite of an EC key on one of the suites' curves (P-256: ISO 15118-2, P-521: ISO 15118-20), else -1. */
int pnc_openssl_suite_of(const EVP_PKEY *k);
/* A public key from its uncompressed point (04 || X || Y) on the suite's curve, or NULL. */
EVP_PKEY *pnc_openssl_public_key(ccs_pnc_suite suite, const uint8_t *point);

/* A private value of the suite (P-256: 32 bytes, P-521: 66) and the AES key its installation uses (128 / 256 bits). */
#define PNC_PRIV_MAX 66u
#define PNC_PRIV_LEN_OF(suite) ((suite) == CCS_PNC_P521_SHA512 ? 66u : 32u)
#define PNC_AES_KEY_LEN_OF(suite) ((suite) == CCS_PNC_P521_SHA512 ? 32u : 16u)

/* The contract's private value d (PNC_PRIV_LEN_OF(suite) bytes, big-endian) encrypted for the car whose ECDH point
 * is peer, with the CPS's ephemeral key eph, into out (CCS_PNC_ENC_KEY_LEN_OF(suite) bytes); aad: ISO 15118-20's
 * associated data (pnc_ci_aad). Unwrap: the other way, with the car's key mine and the CPS's DHPublicKey peer (a
 * GCM tag that does not match, or non-zero padding bits: an error). 0 or a negative CCS_E* code. */
int pnc_ci_wrap(ccs_pnc_suite suite, EVP_PKEY *eph, const uint8_t peer[CCS_PNC_KEY_MAX], const uint8_t *aad,
                size_t aad_len, const uint8_t *d, uint8_t *out);
int pnc_ci_unwrap(ccs_pnc_suite suite, EVP_PKEY *mine, const uint8_t peer[CCS_PNC_KEY_MAX], const uint8_t *aad,
                  size_t aad_len, const uint8_t *in, uint8_t *d);
/* ISO 15118-20 [V2G20-2492]'s AAD: prov's CN (its letters and digits, in capitals), then contract's subject key
 * identifier in upper-case hex. 0, or CCS_EINVAL (no CN, no identifier, more than cap bytes). */
#define PNC_AAD_MAX 128u
int pnc_ci_aad(X509 *prov, X509 *contract, uint8_t *aad, size_t cap, size_t *len);

#endif
