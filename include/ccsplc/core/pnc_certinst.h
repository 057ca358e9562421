/* CertificateInstallation (ISO 15118-2 and -20) and CertificateUpdate (ISO 15118-2) as hooks of the session engines:
 * the car's provisioning credentials and the install of a new contract, the charger's certificate provisioning
 * service (CPS). The core gives bytes and takes verdicts, keys and signatures (OpenSSL on Linux:
 * ccsplc/linux/pnc_certinst_openssl.h). Each side works in one suite, its keys' (ccs_pnc_suite): P-256 for
 * ISO 15118-2, P-521 for ISO 15118-20. */
#ifndef CCSPLC_PNC_CERTINST_H
#define CCSPLC_PNC_CERTINST_H

#include "ccsplc/core/pnc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ContractSignatureEncryptedPrivateKey: the IV (16 bytes), then the contract's P-256 private key (32 bytes)
 * encrypted with AES-128-CBC without padding (ISO 15118-2 [V2G2-818]..; privateKeyType is 48 bytes). */
#define CCS_PNC_ENC_KEY_LEN 48u
/* SECP521_EncryptedPrivateKey (ISO 15118-20 [V2G20-2499]): the IV (12 bytes), the 521-bit private key padded to 66
 * bytes encrypted with AES-256-GCM, the tag (16 bytes). */
#define CCS_PNC_ENC_KEY_LEN20 94u
#define CCS_PNC_ENC_KEY_LEN_OF(suite) ((suite) == CCS_PNC_P521_SHA512 ? CCS_PNC_ENC_KEY_LEN20 : CCS_PNC_ENC_KEY_LEN)
#define CCS_PNC_ROOTS_MAX 8u      /* RootCertificateIDs the car sends (the schema allows 20) */
#define CCS_PNC_ISSUER_MAX 64u    /* X509IssuerName characters (our codec's string capacity) */
#define CCS_PNC_SERIAL_MAX 20u    /* X509SerialNumber bytes (RFC 5280: at most 20 octets) */

/* What the car needs (ccs_pnc_installer.need): nothing, a new contract, or a renewed one. */
enum { CCS_PNC_NEED_NONE, CCS_PNC_NEED_INSTALL, CCS_PNC_NEED_UPDATE };

/* A root the car trusts, as X509IssuerSerial: its issuer name (RFC 4514 text) and serial (big-endian magnitude). */
typedef struct {
    char issuer[CCS_PNC_ISSUER_MAX + 1];
    uint8_t serial[CCS_PNC_SERIAL_MAX];
    uint8_t serial_len;
} ccs_pnc_root_id;

/* The new contract of a CertificateInstallationRes / CertificateUpdateRes. */
typedef struct {
    ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX]; /* [0] the contract certificate, then its Sub-CAs */
    uint8_t nchain;
    const char *emaid;
    size_t emaid_len;
    uint8_t enc_key[CCS_PNC_ENC_KEY_LEN20]; /* IV || AES-128-CBC(private key); ISO 15118-20: IV || AES-256-GCM || tag
                                            * (CCS_PNC_ENC_KEY_LEN_OF(suite) bytes) */
    uint8_t dh_pub[CCS_PNC_KEY_MAX];       /* the CPS's ephemeral ECDH public key (DHpublickey), 04 || X || Y */
} ccs_pnc_new_contract;

/* The car: its OEM provisioning certificate and key, the roots it trusts, and where a new contract goes. */
typedef struct {
    /* What to ask for at Unix time now_s: CCS_PNC_NEED_INSTALL without a usable contract (none, or expired),
     * CCS_PNC_NEED_UPDATE when it expires soon, else CCS_PNC_NEED_NONE. */
    int (*need)(void *ctx, uint64_t now_s);
    ccs_pnc_suite suite;                   /* its provisioning key's: the protocol whose installation it asks */
    ccs_pnc_cert prov[CCS_PNC_CHAIN_MAX];  /* the OEM provisioning certificate ([0], OEMProvisioningCert), then its
                                            * Sub-CAs (ISO 15118-20's OEMProvisioningCertificateChain) */
    uint8_t nprov;
    const ccs_pnc_root_id *roots;          /* ListOfRootCertificateIDs: the V2G roots the response must reach */
    uint8_t nroots;
    /* ECDSA of the suite with the provisioning key (CertificateInstallationReq; an update is signed with the
     * contract's own key, ccs_pnc_contract.sign): sig = r || s. 0 or a negative CCS_E* code. */
    int (*sign)(void *ctx, const uint8_t *data, size_t len, uint8_t sig[CCS_PNC_SIG_MAX]);
    /* The SAProvisioningCertificateChain (chain[0] the CPS certificate) against the car's V2G roots at now_s;
     * CCS_PNC_CHAIN_OK fills key with the CPS certificate's public key. */
    ccs_pnc_verdict (*check_cps)(void *ctx, const ccs_pnc_cert *chain, size_t n, uint64_t now_s,
                                 uint8_t key[CCS_PNC_KEY_MAX]);
    /* Decrypt the key (ECDH of the provisioning key, or of the old contract key when update, with dh_pub; the KDF;
     * AES-128-CBC, ISO 15118-20: AES-256-GCM), check it is the contract certificate's, store chain and key, and
     * make them the contract the session pays with (the ccs_pnc_contract the car's configuration points at). 0 or a
     * negative CCS_E* code. */
    int (*install)(void *ctx, int update, const ccs_pnc_new_contract *c);
    /* 1 when sig (r || s) is an ECDSA signature of the suite of data by key, else 0 (the CPS's SignedInfo). */
    int (*verify)(void *ctx, const uint8_t key[CCS_PNC_KEY_MAX], const uint8_t *data, size_t len,
                  const uint8_t sig[CCS_PNC_SIG_MAX]);
    void *ctx;
} ccs_pnc_installer;

/* The charger as certificate provisioning service: it checks the car's provisioning certificate and hands out
 * a contract, encrypted for the car, signed by the CPS. */
typedef struct {
    ccs_pnc_suite suite;                   /* its keys' and the contract's: the protocol it serves */
    ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX]; /* SAProvisioningCertificateChain / CPSCertificateChain: [0] the CPS
                                            * certificate, its Sub-CAs */
    uint8_t nchain;
    /* The OEM provisioning certificate (chain[0], its Sub-CAs after it) against the charger's OEM trust at now_s;
     * OK fills key with its public key. */
    ccs_pnc_verdict (*check_prov)(void *ctx, const ccs_pnc_cert *chain, size_t n, uint64_t now_s,
                                  uint8_t key[CCS_PNC_KEY_MAX]);
    /* The contract for a car whose ECDH key is peer (the provisioning key, or the old contract key): chain, eMAID,
     * its private key encrypted for peer and the ephemeral DH key. prov: the car's provisioning certificate (ISO
     * 15118-20: its CN, the PCID, is in the encryption's associated data; NULL for an ISO 15118-2 update). 0,
     * CCS_ENOTFOUND (no contract to give: FAILED_NoCertificateAvailable) or another negative CCS_E* code. */
    int (*make)(void *ctx, const uint8_t peer[CCS_PNC_KEY_MAX], const ccs_pnc_cert *prov, ccs_pnc_new_contract *out);
    /* ECDSA of the suite with the CPS key: sig = r || s. */
    int (*sign)(void *ctx, const uint8_t *data, size_t len, uint8_t sig[CCS_PNC_SIG_MAX]);
    void *ctx;
} ccs_pnc_cps;

#ifdef __cplusplus
}
#endif

#endif
