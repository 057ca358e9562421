/* Plug & Charge (ISO 15118-2 and -20) crypto as hooks of the session engines: the core gives bytes (the EXI fragments a
 * signature covers) and takes verdicts, signatures and keys; the platform signs, checks chains and verifies
 * (OpenSSL on Linux: ccsplc/linux/pnc_openssl.h). No crypto library below this line. */
#ifndef CCSPLC_PNC_H
#define CCSPLC_PNC_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/sha256.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CCS_PNC_CHALLENGE_LEN 16u /* GenChallenge: 16 random bytes (the schema's genChallengeType) */
#define CCS_PNC_KEY_LEN 65u       /* a P-256 public key as an uncompressed point: 04 || X || Y */
#define CCS_PNC_SIG_LEN 64u       /* an ECDSA P-256 signature as the SignatureValue carries it: r || s, 32 bytes each */
#define CCS_PNC_KEY_MAX 133u      /* the largest key: P-521, 04 || X || Y (66 bytes each) */
#define CCS_PNC_SIG_MAX 132u      /* the largest signature: P-521, r || s, 66 bytes each */
#define CCS_SHA512_LEN 64u
#define CCS_PNC_CHAIN_MAX 5u      /* the contract certificate and at most 4 sub-CA certificates (SubCertificates) */

/* The signature suite of a protocol's contracts: ISO 15118-2 ECDSA on secp256r1 with SHA-256; ISO 15118-20 ECDSA on
 * secp521r1 with SHA-512 (its Ed448 alternative is not supported). Keys and signatures have the suite's length. */
typedef enum {
    CCS_PNC_P256_SHA256,
    CCS_PNC_P521_SHA512,
} ccs_pnc_suite;
#define CCS_PNC_KEY_LEN_OF(suite) ((suite) == CCS_PNC_P521_SHA512 ? CCS_PNC_KEY_MAX : CCS_PNC_KEY_LEN)
#define CCS_PNC_SIG_LEN_OF(suite) ((suite) == CCS_PNC_P521_SHA512 ? CCS_PNC_SIG_MAX : CCS_PNC_SIG_LEN)

typedef void (*ccs_sha512_fn)(const uint8_t *data, size_t len, uint8_t out[CCS_SHA512_LEN]);

/* A certificate, DER. */
typedef struct {
    const uint8_t *der;
    size_t len;
} ccs_pnc_cert;

/* What a chain check found; the charger answers PaymentDetailsReq with the response code of the same name. */
typedef enum {
    CCS_PNC_CHAIN_OK,
    CCS_PNC_CHAIN_ERROR,   /* FAILED_CertChainError: no path to a trusted MO root, a bad certificate, the eMAID is
                            * not the contract certificate's CN, not a P-256 key */
    CCS_PNC_CHAIN_EXPIRED, /* FAILED_CertificateExpired: a certificate of the chain is not valid at this time */
    CCS_PNC_CHAIN_REVOKED, /* FAILED_CertificateRevoked */
} ccs_pnc_verdict;

/* The operator's decision on a contract whose chain is good (the charger's authorization backend). */
typedef enum {
    CCS_PNC_AUTH_ACCEPT,
    CCS_PNC_AUTH_REJECT,   /* AuthorizationRes FAILED */
    CCS_PNC_AUTH_PENDING,  /* not decided yet: AuthorizationRes EVSEProcessing Ongoing, asked again at the next one */
} ccs_pnc_auth;

/* The car's contract: its certificate chain, eMAID and the signing hook. */
typedef struct {
    ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX]; /* [0] the contract certificate, then its Sub-CAs (issuer first) */
    uint8_t nchain;
    const char *emaid;                     /* its eMAID (the contract certificate's CN), at most 15 characters */
    ccs_pnc_suite suite;                   /* its key's: a protocol uses only a contract of its own suite */
    /* ECDSA of the suite over data (the SignedInfo fragment) with the contract key: sig = r || s
     * (CCS_PNC_SIG_LEN_OF(suite) bytes). 0 or a negative CCS_E* code. */
    int (*sign)(void *ctx, const uint8_t *data, size_t len, uint8_t sig[CCS_PNC_SIG_MAX]);
    void *ctx;
    ccs_sha256_fn sha256;                  /* the digest of the signed element's fragment (ISO 15118-2) */
    ccs_sha512_fn sha512;                  /* ... ISO 15118-20 */
} ccs_pnc_contract;

/* The charger's checks of a contract. */
typedef struct {
    /* The chain (chain[0] the contract certificate) against the charger's MO root(s) at Unix time now_s, the
     * contract key of the suite's curve, and emaid (emaid_len characters, not terminated; NULL: none to compare,
     * ISO 15118-20) against the contract certificate's CN. CCS_PNC_CHAIN_OK fills key with the contract
     * certificate's public key (CCS_PNC_KEY_LEN_OF(suite) bytes). */
    ccs_pnc_verdict (*check_chain)(void *ctx, ccs_pnc_suite suite, const ccs_pnc_cert *chain, size_t n,
                                   const char *emaid, size_t emaid_len, uint64_t now_s, uint8_t key[CCS_PNC_KEY_MAX]);
    /* 1 when sig (r || s) is an ECDSA signature of the suite of data by key, else 0. */
    int (*verify)(void *ctx, ccs_pnc_suite suite, const uint8_t key[CCS_PNC_KEY_MAX], const uint8_t *data,
                  size_t len, const uint8_t sig[CCS_PNC_SIG_MAX]);
    void *ctx;
    ccs_sha256_fn sha256;
    ccs_sha512_fn sha512;
    /* The authorization backend (optional; NULL: every contract with a good chain is accepted). authorize: asked
     * once at PaymentDetailsReq, after the chain check, with the chain the car sent (chain[0] the contract
     * certificate, then its Sub-CAs: n certificates) and the eMAID (emaid_len characters, not terminated);
     * authorize_poll: asked at each AuthorizationReq while the answer is PENDING.
     * Neither may block: a decision that takes time answers PENDING until it is there. ctx: auth_ctx. */
    ccs_pnc_auth (*authorize)(void *ctx, const ccs_pnc_cert *chain, size_t n, const char *emaid, size_t emaid_len);
    ccs_pnc_auth (*authorize_poll)(void *ctx);
    void *auth_ctx;
} ccs_pnc_checker;

#ifdef __cplusplus
}
#endif

#endif
