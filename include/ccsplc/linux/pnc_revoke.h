/* The charger's revocation sources for contract chains (docs/pnc.md#revocation): CRL files (PEM or DER, each
 * checked against the issuing CA in the chain) and plain lists of revoked serial numbers, fingerprints and eMAIDs. */
#ifndef CCSPLC_PNC_REVOKE_H
#define CCSPLC_PNC_REVOKE_H

#include <stddef.h>

#include <openssl/x509.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pnc_revoked pnc_revoked;

pnc_revoked *pnc_revoked_new(void);
void pnc_revoked_free(pnc_revoked *r);
/* Adds the sources in file: one or more PEM CRLs, one DER CRL, or a text list (docs/pnc.md). 0, or CCS_EINVAL /
 * CCS_ESYNTAX with the reason (and the line of a text list) in err. */
int pnc_revoked_load(pnc_revoked *r, const char *file, char *err, size_t errcap);
/* Whether a certificate of the verified chain (path[0] the contract certificate, up to its root) or the eMAID
 * (emaid_len characters) is revoked: 1 with what in why, else 0. */
int pnc_revoked_check(const pnc_revoked *r, STACK_OF(X509) *path, const char *emaid, size_t emaid_len, char *why,
                      size_t whycap);

#ifdef __cplusplus
}
#endif

#endif
