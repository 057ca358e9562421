/* Plug & Charge crypto on OpenSSL 3 (ccsplc/linux/pnc_openssl.h): the car's contract from PEM files and its
 * ECDSA signatures as r || s (P-256 with SHA-256, P-521 with SHA-512), the charger's chain check against its MO
 * roots and signature check. */
#include "ccsplc/linux/pnc_openssl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/pnc_revoke.h"
#include "pnc_openssl_int.h"


struct pnc_keys {
    EVP_PKEY *key;                         /* the car's contract key */
    X509_STORE *roots;                     /* the charger's MO roots */
    pnc_revoked *revoked;                  /* ... and its revocation sources (NULL: none) */
    uint8_t *der[CCS_PNC_CHAIN_MAX];       /* the car's chain, DER */
    char emaid[64];
};

static int fail(char *err, size_t cap, const char *what, const char *file)
{
    unsigned long e = ERR_get_error();
    snprintf(err, cap, "%s %s%s%s", what, file, e ? ": " : "", e ? ERR_reason_error_string(e) : "");
    ERR_clear_error();
    return CCS_EINVAL;
}

/* A suite's curve and digest; the bytes of a coordinate (of r and of s). */
static const char *curve_of(ccs_pnc_suite suite) { return suite == CCS_PNC_P521_SHA512 ? "secp521r1" : "prime256v1"; }
static const EVP_MD *md_of(ccs_pnc_suite suite) { return suite == CCS_PNC_P521_SHA512 ? EVP_sha512() : EVP_sha256(); }
static size_t coord_of(ccs_pnc_suite suite) { return CCS_PNC_SIG_LEN_OF(suite) / 2u; }

int pnc_openssl_suite_of(const EVP_PKEY *k)
{
    char group[32];
    if (!EVP_PKEY_is_a(k, "EC") || !EVP_PKEY_get_group_name(k, group, sizeof group, NULL)) return -1;
    return !strcmp(group, "prime256v1") ? CCS_PNC_P256_SHA256 : !strcmp(group, "secp521r1") ? CCS_PNC_P521_SHA512 : -1;
}

void pnc_openssl_sha512(const uint8_t *data, size_t len, uint8_t out[CCS_SHA512_LEN])
{
    unsigned n = 0;
    if (EVP_Digest(data, len, out, &n, EVP_sha512(), NULL) != 1) memset(out, 0, CCS_SHA512_LEN);
}

void pnc_keys_free(pnc_keys *keys)
{
    if (!keys) return;
    EVP_PKEY_free(keys->key);
    X509_STORE_free(keys->roots);
    pnc_revoked_free(keys->revoked);
    for (unsigned i = 0; i < CCS_PNC_CHAIN_MAX; i++) OPENSSL_free(keys->der[i]);
    free(keys);
}

int pnc_contract_open(const char *chain_pem, const char *key_pem, ccs_pnc_contract *c, pnc_keys **out, char *err,
                      size_t errcap)
{
    pnc_keys *k = calloc(1, sizeof *k);
    if (!k) return CCS_ENOSPC;
    memset(c, 0, sizeof *c);
    int rc = 0;
    FILE *f = fopen(chain_pem, "r");
    X509 *x;
    while (f && (x = PEM_read_X509(f, NULL, NULL, NULL))) {
        int len = c->nchain < CCS_PNC_CHAIN_MAX ? i2d_X509(x, &k->der[c->nchain]) : -1;
        if (len > 0 && c->nchain == 0 &&
            X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, k->emaid, sizeof k->emaid) <= 0)
            len = -1;
        X509_free(x);
        if (len <= 0) {
            rc = fail(err, errcap, c->nchain ? "more than 5 certificates in" : "no contract certificate CN in",
                      chain_pem);
            break;
        }
        c->chain[c->nchain].der = k->der[c->nchain];
        c->chain[c->nchain++].len = (size_t)len;
    }
    ERR_clear_error();   /* the end of the file */
    if (f) fclose(f);
    if (!rc && !c->nchain) rc = fail(err, errcap, "no certificate in", chain_pem);
    f = rc ? NULL : fopen(key_pem, "r");
    if (!rc && f) k->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    if (f) fclose(f);
    int suite = !rc && k->key ? pnc_openssl_suite_of(k->key) : -1;
    if (!rc && suite < 0) rc = fail(err, errcap, "no P-256 or P-521 private key in", key_pem);
    if (rc) {
        pnc_keys_free(k);
        return rc;
    }
    c->emaid = k->emaid;
    c->suite = (ccs_pnc_suite)suite;
    c->sign = pnc_openssl_sign;
    c->sha256 = ccs_sha256_openssl;
    c->sha512 = pnc_openssl_sha512;
    c->ctx = k;
    *out = k;
    return 0;
}

int pnc_checker_open(const char *roots_pem, ccs_pnc_checker *c, pnc_keys **out, char *err, size_t errcap)
{
    pnc_keys *k = calloc(1, sizeof *k);
    if (!k) return CCS_ENOSPC;
    k->roots = X509_STORE_new();
    if (!k->roots || X509_STORE_load_file(k->roots, roots_pem) != 1) {
        pnc_keys_free(k);
        return fail(err, errcap, "no MO root certificates in", roots_pem);
    }
    *c = (ccs_pnc_checker){ .check_chain = pnc_openssl_check_chain, .verify = pnc_openssl_verify, .ctx = k,
                            .sha256 = ccs_sha256_openssl, .sha512 = pnc_openssl_sha512 };
    *out = k;
    return 0;
}

int pnc_checker_revoked(pnc_keys *keys, const char *file, char *err, size_t errcap)
{
    if (!keys->revoked && !(keys->revoked = pnc_revoked_new())) return CCS_ENOSPC;
    return pnc_revoked_load(keys->revoked, file, err, errcap);
}

int pnc_openssl_sign(void *ctx, const uint8_t *data, size_t len, uint8_t sig[CCS_PNC_SIG_MAX])
{
    pnc_keys *k = ctx;
    int suite = pnc_openssl_suite_of(k->key);
    uint8_t der[160];
    size_t n = sizeof der;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = suite >= 0 && md && EVP_DigestSignInit(md, NULL, md_of((ccs_pnc_suite)suite), NULL, k->key) == 1 &&
             EVP_DigestSign(md, der, &n, data, len) == 1;
    EVP_MD_CTX_free(md);
    const uint8_t *p = der;
    ECDSA_SIG *s = ok ? d2i_ECDSA_SIG(NULL, &p, (long)n) : NULL;
    int c = ok ? (int)coord_of((ccs_pnc_suite)suite) : 0;
    ok = s && BN_bn2binpad(ECDSA_SIG_get0_r(s), sig, c) == c && BN_bn2binpad(ECDSA_SIG_get0_s(s), sig + c, c) == c;
    ECDSA_SIG_free(s);
    ERR_clear_error();
    return ok ? 0 : CCS_EIO;
}

EVP_PKEY *pnc_openssl_public_key(ccs_pnc_suite suite, const uint8_t *point)
{
    EVP_PKEY *key = NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)curve_of(suite), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point, CCS_PNC_KEY_LEN_OF(suite)),
        OSSL_PARAM_construct_end(),
    };
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (!pc || EVP_PKEY_fromdata_init(pc) != 1 || EVP_PKEY_fromdata(pc, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
        key = NULL;
    EVP_PKEY_CTX_free(pc);
    return key;
}

int pnc_openssl_verify(void *ctx, ccs_pnc_suite suite, const uint8_t point[CCS_PNC_KEY_MAX], const uint8_t *data,
                       size_t len, const uint8_t sig[CCS_PNC_SIG_MAX])
{
    (void)ctx;
    EVP_PKEY *key = pnc_openssl_public_key(suite, point);
    ECDSA_SIG *s = ECDSA_SIG_new();
    int c = (int)coord_of(suite);
    BIGNUM *r = BN_bin2bn(sig, c, NULL), *sv = BN_bin2bn(sig + c, c, NULL);
    uint8_t *der = NULL;
    int n = -1;
    if (s && r && sv && ECDSA_SIG_set0(s, r, sv) == 1) {
        r = sv = NULL;   /* owned by s */
        n = i2d_ECDSA_SIG(s, &der);
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = key && n > 0 && md && EVP_DigestVerifyInit(md, NULL, md_of(suite), NULL, key) == 1 &&
             EVP_DigestVerify(md, der, (size_t)n, data, len) == 1;
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    BN_free(r);
    BN_free(sv);
    ECDSA_SIG_free(s);
    EVP_PKEY_free(key);
    ERR_clear_error();
    return ok;
}

/* Two eMAIDs (the CN, the car's, a list's): equal but for case and the '-' separators an eMAID may be written with. */
int pnc_emaid_equal(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < na && a[i] == '-') i++;
        while (j < nb && b[j] == '-') j++;
        if (i == na || j == nb) return i == na && j == nb;
        if (toupper((unsigned char)a[i++]) != toupper((unsigned char)b[j++])) return 0;
    }
}

static ccs_pnc_verdict verdict_of(int x509_error)
{
    switch (x509_error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID: return CCS_PNC_CHAIN_EXPIRED;
    case X509_V_ERR_CERT_REVOKED: return CCS_PNC_CHAIN_REVOKED;
    default: return CCS_PNC_CHAIN_ERROR;
    }
}

ccs_pnc_verdict pnc_openssl_check_chain(void *ctx, ccs_pnc_suite suite, const ccs_pnc_cert *chain, size_t n,
                                        const char *emaid, size_t emaid_len, uint64_t now_s,
                                        uint8_t key[CCS_PNC_KEY_MAX])
{
    pnc_keys *k = ctx;
    X509 *leaf = NULL;
    STACK_OF(X509) *subs = sk_X509_new_null();
    ccs_pnc_verdict v = subs && n ? CCS_PNC_CHAIN_OK : CCS_PNC_CHAIN_ERROR;
    for (size_t i = 0; i < n && v == CCS_PNC_CHAIN_OK; i++) {
        const unsigned char *p = chain[i].der;
        X509 *x = d2i_X509(NULL, &p, (long)chain[i].len);
        if (!x || p != chain[i].der + chain[i].len) v = CCS_PNC_CHAIN_ERROR;
        if (x && i == 0) {
            leaf = x;
        } else if (x && !sk_X509_push(subs, x)) {
            X509_free(x);
            v = CCS_PNC_CHAIN_ERROR;
        }
    }
    X509_STORE_CTX *sc = v == CCS_PNC_CHAIN_OK ? X509_STORE_CTX_new() : NULL;
    if (sc && X509_STORE_CTX_init(sc, k->roots, leaf, subs) == 1) {
        X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(sc), (time_t)now_s);
        char why[128];
        if (X509_verify_cert(sc) != 1) {
            v = verdict_of(X509_STORE_CTX_get_error(sc));
        } else if (pnc_revoked_check(k->revoked, X509_STORE_CTX_get0_chain(sc), emaid, emaid_len, why, sizeof why)) {
            LOG_W("pnc: the contract is revoked: %s", why);
            v = CCS_PNC_CHAIN_REVOKED;
        }
    } else {
        v = CCS_PNC_CHAIN_ERROR;
    }
    char cn[64];
    int cn_len = v == CCS_PNC_CHAIN_OK ? X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName,
                                                                    cn, sizeof cn) : -1;
    if (v == CCS_PNC_CHAIN_OK && (cn_len <= 0 || (emaid && !pnc_emaid_equal(cn, (size_t)cn_len, emaid, emaid_len))))
        v = CCS_PNC_CHAIN_ERROR;
    EVP_PKEY *pk = v == CCS_PNC_CHAIN_OK ? X509_get0_pubkey(leaf) : NULL;
    size_t klen = 0, want = CCS_PNC_KEY_LEN_OF(suite);
    if (v == CCS_PNC_CHAIN_OK &&
        (!pk || pnc_openssl_suite_of(pk) != (int)suite ||
         EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, key, want, &klen) != 1 ||
         klen != want || key[0] != 0x04))
        v = CCS_PNC_CHAIN_ERROR;
    X509_STORE_CTX_free(sc);
    X509_free(leaf);
    sk_X509_pop_free(subs, X509_free);
    ERR_clear_error();
    return v;
}
