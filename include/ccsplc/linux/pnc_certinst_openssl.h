/* CertificateInstallation (ISO 15118-2 and -20) / CertificateUpdate (ISO 15118-2) crypto on OpenSSL 3
 * (ccsplc/core/pnc_certinst.h): the car's provisioning credentials and the install of a new contract into files,
 * the charger's test-bench CPS. */
#ifndef CCSPLC_PNC_CERTINST_OPENSSL_H
#define CCSPLC_PNC_CERTINST_OPENSSL_H

#include <stddef.h>

#include "ccsplc/core/pnc_certinst.h"
#include "ccsplc/linux/pnc_openssl.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the hooks' ctx points at: owned, freed by pnc_ci_free. */
typedef struct pnc_ci pnc_ci;

/* The car. prov_cert: the OEM provisioning certificate (PEM, first certificate; then its Sub-CAs, ISO 15118-20
 * sends them); prov_key its key (P-256: ISO 15118-2, P-521: ISO 15118-20: the installer's suite); roots: the V2G
 * root(s) (PEM) the CPS chain must reach, also sent as ListOfRootCertificateIDs; contract_cert /
 * contract_key: where the contract is (loaded into *contract and *contract_keys when both files exist, else
 * *contract is empty: nchain 0) and where a new one is written (then loaded in their place); renew_s: a contract
 * expiring within this many seconds is updated. Fills *in. 0, or CCS_EINVAL with the reason in err. */
typedef struct {
    const char *prov_cert, *prov_key, *roots, *contract_cert, *contract_key;
    uint64_t renew_s;
} pnc_ci_car_files;
int pnc_ci_car_open(const pnc_ci_car_files *f, ccs_pnc_contract *contract, pnc_keys **contract_keys,
                    ccs_pnc_installer *in, pnc_ci **out, char *err, size_t errcap);

/* The charger as a test-bench CPS. cps_chain / cps_key: the CPS certificate chain (PEM, leaf first) and key;
 * oem_trust: the OEM root(s) and the Sub-CAs provisioning certificates are issued by (PEM; the car sends its leaf
 * only); contract_chain / contract_key: the one pre-made contract handed out (PEM, e.g. scripts/pki.sh's
 * contract_chain.pem, contract.key), or NULL (every request: FAILED_NoCertificateAvailable). Fills *cps. */
typedef struct {
    const char *cps_chain, *cps_key, *oem_trust, *contract_chain, *contract_key;
} pnc_ci_cps_files;
int pnc_ci_cps_open(const pnc_ci_cps_files *f, ccs_pnc_cps *cps, pnc_ci **out, char *err, size_t errcap);
void pnc_ci_free(pnc_ci *ci);

/* The key derivation of the contract key's encryption, for tests: the AES key from the ECDH shared secret z (NIST
 * SP 800-56A concatenation KDF, OtherInfo 0x01 0x55 0x56; ISO 15118-2 [V2G2-818]: SHA-256, 16 bytes; ISO 15118-20:
 * SHA-512, 32 bytes); 0 or CCS_EIO. */
int pnc_ci_kdf(ccs_pnc_suite suite, const uint8_t *z, size_t zlen, uint8_t *key);

#ifdef __cplusplus
}
#endif

#endif
