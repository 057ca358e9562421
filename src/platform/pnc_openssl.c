/* Plug & Charge crypto on OpenSSL 3 (ccsplc/linux/pnc_openssl.h): the car's contract from PEM files and its
 * ECDSA P-256 signatures as r || s, the charger's chain check against its MO roots and signature check. */
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
#include "pnc_openssl_int.h"

#define COORD 32u   /* bytes of a P-256 coordinate, of r and of s */

struct pnc_keys {
    EVP_PKEY *key;                         /* the car's contract key */
    X509_STORE *roots;                     /* the charger's MO roots */
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

int pnc_openssl_is_p256(const EVP_PKEY *k)
{
    char group[32];
    return EVP_PKEY_is_a(k, "EC") && EVP_PKEY_get_group_name(k, group, sizeof group, NULL) &&
           !strcmp(group, "prime256v1");
}

void pnc_keys_free(pnc_keys *keys)
{
    if (!keys) return;
    EVP_PKEY_free(keys->key);
    X509_STORE_free(keys->roots);
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
    if (!rc && (!k->key || !pnc_openssl_is_p256(k->key))) rc = fail(err, errcap, "no P-256 private key in", key_pem);
    if (rc) {
        pnc_keys_free(k);
        return rc;
    }
    c->emaid = k->emaid;
    c->sign = pnc_openssl_sign;
    c->sha256 = ccs_sha256_openssl;
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
                            .sha256 = ccs_sha256_openssl };
    *out = k;
    return 0;
}

int pnc_openssl_sign(void *ctx, const uint8_t *data, size_t len, uint8_t sig[CCS_PNC_SIG_LEN])
{
    pnc_keys *k = ctx;
    uint8_t der[80];
    size_t n = sizeof der;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k->key) == 1 &&
             EVP_DigestSign(md, der, &n, data, len) == 1;
    EVP_MD_CTX_free(md);
    const uint8_t *p = der;
    ECDSA_SIG *s = ok ? d2i_ECDSA_SIG(NULL, &p, (long)n) : NULL;
    ok = s && BN_bn2binpad(ECDSA_SIG_get0_r(s), sig, COORD) == COORD &&
         BN_bn2binpad(ECDSA_SIG_get0_s(s), sig + COORD, COORD) == COORD;
    ECDSA_SIG_free(s);
    ERR_clear_error();
    return ok ? 0 : CCS_EIO;
}

EVP_PKEY *pnc_openssl_p256_key(const uint8_t point[CCS_PNC_KEY_LEN])
{
    EVP_PKEY *key = NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"prime256v1", 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point, CCS_PNC_KEY_LEN),
        OSSL_PARAM_construct_end(),
    };
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (!pc || EVP_PKEY_fromdata_init(pc) != 1 || EVP_PKEY_fromdata(pc, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
        key = NULL;
    EVP_PKEY_CTX_free(pc);
    return key;
}

int pnc_openssl_verify(void *ctx, const uint8_t point[CCS_PNC_KEY_LEN], const uint8_t *data, size_t len,
                       const uint8_t sig[CCS_PNC_SIG_LEN])
{
    (void)ctx;
    EVP_PKEY *key = pnc_openssl_p256_key(point);
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, COORD, NULL), *sv = BN_bin2bn(sig + COORD, COORD, NULL);
    uint8_t *der = NULL;
    int n = -1;
    if (s && r && sv && ECDSA_SIG_set0(s, r, sv) == 1) {
        r = sv = NULL;   /* owned by s */
        n = i2d_ECDSA_SIG(s, &der);
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = key && n > 0 && md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
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

int pnc_openssl_same_emaid(const char *a, size_t na, const char *b, size_t nb)
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

ccs_pnc_verdict pnc_openssl_check_chain(void *ctx, const ccs_pnc_cert *chain, size_t n, const char *emaid,
                                        size_t emaid_len, uint64_t now_s, uint8_t key[CCS_PNC_KEY_LEN])
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
        if (X509_verify_cert(sc) != 1) v = verdict_of(X509_STORE_CTX_get_error(sc));
    } else {
        v = CCS_PNC_CHAIN_ERROR;
    }
    char cn[64];
    int cn_len = v == CCS_PNC_CHAIN_OK ? X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName,
                                                                    cn, sizeof cn) : -1;
    if (v == CCS_PNC_CHAIN_OK && (cn_len <= 0 || !pnc_openssl_same_emaid(cn, (size_t)cn_len, emaid, emaid_len)))
        v = CCS_PNC_CHAIN_ERROR;
    EVP_PKEY *pk = v == CCS_PNC_CHAIN_OK ? X509_get0_pubkey(leaf) : NULL;
    size_t klen = 0;
    if (v == CCS_PNC_CHAIN_OK &&
        (!pk || !pnc_openssl_is_p256(pk) ||
         EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, key, CCS_PNC_KEY_LEN, &klen) != 1 ||
         klen != CCS_PNC_KEY_LEN || key[0] != 0x04))
        v = CCS_PNC_CHAIN_ERROR;
    X509_STORE_CTX_free(sc);
    X509_free(leaf);
    sk_X509_pop_free(subs, X509_free);
    ERR_clear_error();
    return v;
}
