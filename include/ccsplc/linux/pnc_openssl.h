/* Plug & Charge crypto for the session engines (ccsplc/core/pnc.h) on OpenSSL 3: the car's contract (chain and
 * key from PEM files, ECDSA P-256 / P-521 signatures), the charger's contract checks (MO roots from a PEM file). */
#ifndef CCSPLC_PNC_OPENSSL_H
#define CCSPLC_PNC_OPENSSL_H

#include <stddef.h>

#include "ccsplc/core/pnc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the hooks' ctx points at (the DER certificates, the key, the roots): owned, freed by pnc_keys_free. */
typedef struct pnc_keys pnc_keys;

/* The car: the contract chain (PEM, the contract certificate first, then its Sub-CAs; not the root) and its
 * private key (PEM, P-256 for ISO 15118-2, P-521 for ISO 15118-20). Fills *c (eMAID = the contract certificate's
 * CN; its suite; sign, sha256, sha512, ctx = *keys).
 * 0, or CCS_EINVAL with the reason in err. */
int pnc_contract_open(const char *chain_pem, const char *key_pem, ccs_pnc_contract *c, pnc_keys **keys, char *err,
                      size_t errcap);
/* The charger: the MO root(s) (PEM) contracts must reach. Fills *k (check_chain, verify, sha256, sha512,
 * ctx = *keys).
 * 0, or CCS_EINVAL with the reason in err. */
int pnc_checker_open(const char *roots_pem, ccs_pnc_checker *k, pnc_keys **keys, char *err, size_t errcap);
/* The charger: adds a revocation source (a CRL file, PEM or DER, or a text list: ccsplc/linux/pnc_revoke.h); a
 * revoked certificate of the chain or eMAID makes check_chain answer CCS_PNC_CHAIN_REVOKED. 0 or CCS_E* with the
 * reason in err. */
int pnc_checker_revoked(pnc_keys *keys, const char *file, char *err, size_t errcap);
void pnc_keys_free(pnc_keys *keys);
/* Two eMAIDs equal but for case and '-' separators. */
int pnc_emaid_equal(const char *a, size_t na, const char *b, size_t nb);

/* The hooks themselves (ctx: a pnc_keys). */
int pnc_openssl_sign(void *ctx, const uint8_t *data, size_t len, uint8_t sig[CCS_PNC_SIG_MAX]);
ccs_pnc_verdict pnc_openssl_check_chain(void *ctx, ccs_pnc_suite suite, const ccs_pnc_cert *chain, size_t n,
                                        const char *emaid, size_t emaid_len, uint64_t now_s,
                                        uint8_t key[CCS_PNC_KEY_MAX]);
int pnc_openssl_verify(void *ctx, ccs_pnc_suite suite, const uint8_t key[CCS_PNC_KEY_MAX], const uint8_t *data,
                       size_t len, const uint8_t sig[CCS_PNC_SIG_MAX]);
void pnc_openssl_sha512(const uint8_t *data, size_t len, uint8_t out[CCS_SHA512_LEN]);

#ifdef __cplusplus
}
#endif

#endif
