/* The contract key's encryption for CertificateInstallation on OpenSSL 3, both suites: ECDH (the car's static key,
 * the CPS's ephemeral key), a concatenation KDF, then
 * - ISO 15118-2 ([V2G2-818], as Josev's iso15118/shared/security.py applies it): SP 800-56A concatenation KDF with
 *   SHA-256, 16 bytes, OtherInfo = AlgorithmID 0x01 || PartyUInfo 0x55 || PartyVInfo 0x56; IV (16 random bytes) ||
 *   AES-128-CBC(the 32-byte private value), no padding;
 * - ISO 15118-20 ([V2G20-2497]..[V2G20-2499], [V2G20-2492]): the same KDF with SHA-512, 32 bytes (our reading: the
 *   KDF requirement of its 7.9.2.5.4 was not among the texts we could read); IV (12 random bytes) ||
 *   AES-256-GCM(the 521-bit private value padded to 66 bytes) || the 16-byte tag, the AAD the PCID (the
 *   provisioning certificate's CN, capitals and digits) followed by the contract certificate's subject key
 *   identifier as upper-case hex. */
#include <ctype.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/pnc_certinst_openssl.h"
#include "pnc_openssl_int.h"

#define IV_LEN2 16u
#define IV_LEN20 12u
#define TAG_LEN 16u

int pnc_ci_kdf(ccs_pnc_suite suite, const uint8_t *z, size_t zlen, uint8_t *key)
{
    static const uint8_t other[] = { 0x01, 0x55, 0x56 };   /* AlgorithmID, PartyUInfo, PartyVInfo ([V2G2-818]) */
    int s20 = suite == CCS_PNC_P521_SHA512;
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "SSKDF", NULL);     /* SP 800-56A single-step = concatenation KDF */
    EVP_KDF_CTX *kc = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)(s20 ? "SHA512" : "SHA256"), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)z, zlen),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)other, sizeof other),
        OSSL_PARAM_construct_end(),
    };
    int ok = kc && EVP_KDF_derive(kc, key, PNC_AES_KEY_LEN_OF(suite), params) == 1;
    EVP_KDF_CTX_free(kc);
    EVP_KDF_free(kdf);
    return ok ? 0 : CCS_EIO;
}

int pnc_ci_aad(X509 *prov, X509 *contract, uint8_t *aad, size_t cap, size_t *len)
{
    char cn[64];
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(prov), NID_commonName, cn, sizeof cn);
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(contract);
    *len = 0;
    if (n <= 0 || !ski) return CCS_EINVAL;
    for (int i = 0; i < n; i++)
        if (isalnum((unsigned char)cn[i])) {
            if (*len >= cap) return CCS_EINVAL;
            aad[(*len)++] = (uint8_t)toupper((unsigned char)cn[i]);
        }
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *b = ASN1_STRING_get0_data(ski);
    for (int i = 0; i < ASN1_STRING_length(ski); i++) {
        if (*len + 2 > cap) return CCS_EINVAL;
        aad[(*len)++] = (uint8_t)hex[b[i] >> 4];
        aad[(*len)++] = (uint8_t)hex[b[i] & 15];
    }
    return 0;
}

/* The AES key of ECDH(priv, the peer's point) through the suite's KDF. */
static int session_key(ccs_pnc_suite suite, EVP_PKEY *priv, const uint8_t peer_point[CCS_PNC_KEY_MAX], uint8_t *key)
{
    EVP_PKEY *peer = pnc_openssl_public_key(suite, peer_point);
    EVP_PKEY_CTX *dc = peer ? EVP_PKEY_CTX_new(priv, NULL) : NULL;
    uint8_t z[PNC_PRIV_MAX];
    size_t zlen = sizeof z;
    int ok = dc && EVP_PKEY_derive_init(dc) == 1 && EVP_PKEY_derive_set_peer(dc, peer) == 1 &&
             EVP_PKEY_derive(dc, z, &zlen) == 1 && zlen == PNC_PRIV_LEN_OF(suite) && !pnc_ci_kdf(suite, z, zlen, key);
    OPENSSL_cleanse(z, sizeof z);
    EVP_PKEY_CTX_free(dc);
    EVP_PKEY_free(peer);
    return ok ? 0 : CCS_EIO;
}

/* One pass of the suite's cipher over len bytes, either way: AES-128-CBC without padding (iv 16 bytes), or
 * AES-256-GCM (iv 12 bytes) with aad, the tag written (enc) or checked. */
static int cipher(ccs_pnc_suite suite, int enc, const uint8_t *key, const uint8_t *iv, const uint8_t *aad,
                  size_t aad_len, const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[TAG_LEN])
{
    int s20 = suite == CCS_PNC_P521_SHA512;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0, m = 0, a = 0;
    int ok = c && EVP_CipherInit_ex(c, s20 ? EVP_aes_256_gcm() : EVP_aes_128_cbc(), NULL, NULL, NULL, enc) == 1 &&
             (!s20 || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, IV_LEN20, NULL) == 1) &&
             EVP_CipherInit_ex(c, NULL, NULL, key, iv, enc) == 1 && EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
             (!s20 || EVP_CipherUpdate(c, NULL, &a, aad, (int)aad_len) == 1) &&
             EVP_CipherUpdate(c, out, &n, in, (int)len) == 1 &&
             (!s20 || enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) == 1) &&
             EVP_CipherFinal_ex(c, out + n, &m) == 1 && n + m == (int)len &&
             (!s20 || !enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) == 1);
    EVP_CIPHER_CTX_free(c);
    return ok ? 0 : CCS_EIO;
}

int pnc_ci_wrap(ccs_pnc_suite suite, EVP_PKEY *eph, const uint8_t peer[CCS_PNC_KEY_MAX], const uint8_t *aad,
                size_t aad_len, const uint8_t *d, uint8_t *out)
{
    size_t iv = suite == CCS_PNC_P521_SHA512 ? IV_LEN20 : IV_LEN2, len = PNC_PRIV_LEN_OF(suite);
    uint8_t key[32];
    int rc = session_key(suite, eph, peer, key) || RAND_bytes(out, (int)iv) != 1 ||
                     cipher(suite, 1, key, out, aad, aad_len, d, len, out + iv, out + iv + len)
                 ? CCS_EIO
                 : 0;
    OPENSSL_cleanse(key, sizeof key);
    return rc;
}

int pnc_ci_unwrap(ccs_pnc_suite suite, EVP_PKEY *mine, const uint8_t peer[CCS_PNC_KEY_MAX], const uint8_t *aad,
                  size_t aad_len, const uint8_t *in, uint8_t *d)
{
    size_t iv = suite == CCS_PNC_P521_SHA512 ? IV_LEN20 : IV_LEN2, len = PNC_PRIV_LEN_OF(suite);
    uint8_t key[32], tag[TAG_LEN];
    memcpy(tag, in + iv + len, suite == CCS_PNC_P521_SHA512 ? TAG_LEN : 0);
    int rc = session_key(suite, mine, peer, key) || cipher(suite, 0, key, in, aad, aad_len, in + iv, len, d, tag)
                 ? CCS_EIO
                 : 0;
    /* [V2G20-2678]: the 7 bits above the 521-bit value are zero */
    if (!rc && suite == CCS_PNC_P521_SHA512 && (d[0] & 0xFE)) rc = CCS_EINVAL;
    OPENSSL_cleanse(key, sizeof key);
    ERR_clear_error();
    return rc;
}
