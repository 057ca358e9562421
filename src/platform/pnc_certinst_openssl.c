/* CertificateInstallation / CertificateUpdate crypto on OpenSSL 3 (ccsplc/linux/pnc_certinst_openssl.h): chains
 * against roots, the car's contract files, the charger's test-bench CPS handing out one pre-made contract, in the
 * suite of the keys given (P-256: ISO 15118-2, P-521: ISO 15118-20). The contract key's encryption (ECDH with the
 * car's static key: the OEM provisioning key, or the old contract key for an update; the CPS's ephemeral key, sent
 * as DHpublickey / DHPublicKey; the KDF; AES) is pnc_keywrap_openssl.c's. */
#include "ccsplc/linux/pnc_certinst_openssl.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "ccsplc/core/errors.h"
#include "pnc_openssl_int.h"

struct pnc_ci {
    ccs_pnc_suite suite;                /* the own key's (provisioning or CPS key): every key and chain is of it */
    X509_STORE *trust;                  /* car: its V2G roots; charger: the OEM roots and Sub-CAs */
    pnc_keys *own;                      /* car: the provisioning certificate and key; charger: the CPS's */
    ccs_pnc_contract own_c;             /* ... as pnc_contract_open loaded them (chain DER, sign) */
    ccs_pnc_root_id roots[CCS_PNC_ROOTS_MAX];
    /* car */
    pnc_ci_car_files f;
    ccs_pnc_contract *contract;         /* the contract the session pays with (the caller's) */
    pnc_keys **contract_keys;
    /* charger: the contract handed out */
    pnc_keys *give;
    ccs_pnc_contract give_c;
    uint8_t give_priv[PNC_PRIV_MAX];
    int have_give;
};

static int fail(char *err, size_t cap, const char *what, const char *file)
{
    unsigned long e = ERR_get_error();
    snprintf(err, cap, "%s %s%s%s", what, file ? file : "", e ? ": " : "", e ? ERR_reason_error_string(e) : "");
    ERR_clear_error();
    return CCS_EINVAL;
}

void pnc_ci_free(pnc_ci *ci)
{
    if (!ci) return;
    X509_STORE_free(ci->trust);
    pnc_keys_free(ci->own);
    pnc_keys_free(ci->give);
    OPENSSL_cleanse(ci->give_priv, sizeof ci->give_priv);
    free(ci);
}

/* A certificate's public key of the suite as 04 || X || Y. */
static int point_of(ccs_pnc_suite suite, X509 *x, uint8_t key[CCS_PNC_KEY_MAX])
{
    EVP_PKEY *pk = X509_get0_pubkey(x);
    size_t n = 0, want = CCS_PNC_KEY_LEN_OF(suite);
    return pk && pnc_openssl_suite_of(pk) == (int)suite &&
           EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, key, want, &n) == 1 && n == want &&
           key[0] == 0x04;
}

static X509 *der_cert(const ccs_pnc_cert *c)
{
    const unsigned char *p = c->der;
    X509 *x = d2i_X509(NULL, &p, (long)c->len);
    if (x && p != c->der + c->len) {
        X509_free(x);
        x = NULL;
    }
    return x;
}

/* chain[0] through chain[1..n) to a certificate of trust at now_s; its key. */
static ccs_pnc_verdict verify_chain(ccs_pnc_suite suite, X509_STORE *trust, const ccs_pnc_cert *chain, size_t n,
                                    uint64_t now_s, uint8_t key[CCS_PNC_KEY_MAX])
{
    X509 *leaf = n ? der_cert(&chain[0]) : NULL;
    STACK_OF(X509) *subs = sk_X509_new_null();
    ccs_pnc_verdict v = leaf && subs ? CCS_PNC_CHAIN_OK : CCS_PNC_CHAIN_ERROR;
    for (size_t i = 1; i < n && v == CCS_PNC_CHAIN_OK; i++) {
        X509 *x = der_cert(&chain[i]);
        if (!x || !sk_X509_push(subs, x)) {
            X509_free(x);
            v = CCS_PNC_CHAIN_ERROR;
        }
    }
    X509_STORE_CTX *sc = v == CCS_PNC_CHAIN_OK ? X509_STORE_CTX_new() : NULL;
    if (sc && X509_STORE_CTX_init(sc, trust, leaf, subs) == 1) {
        X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(sc), (time_t)now_s);
        if (X509_verify_cert(sc) != 1) {
            int e = X509_STORE_CTX_get_error(sc);
            v = e == X509_V_ERR_CERT_HAS_EXPIRED || e == X509_V_ERR_CERT_NOT_YET_VALID ? CCS_PNC_CHAIN_EXPIRED
                                                                                        : CCS_PNC_CHAIN_ERROR;
        }
    } else {
        v = CCS_PNC_CHAIN_ERROR;
    }
    if (v == CCS_PNC_CHAIN_OK && !point_of(suite, leaf, key)) v = CCS_PNC_CHAIN_ERROR;
    X509_STORE_CTX_free(sc);
    X509_free(leaf);
    sk_X509_pop_free(subs, X509_free);
    ERR_clear_error();
    return v;
}

static EVP_PKEY *read_key(ccs_pnc_suite suite, const char *path)
{
    FILE *f = fopen(path, "r");
    EVP_PKEY *k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
    if (f) fclose(f);
    if (k && pnc_openssl_suite_of(k) != (int)suite) {
        EVP_PKEY_free(k);
        k = NULL;
    }
    return k;
}

/* ------------------------------------------------------------------------------------------------ the car */

static ccs_pnc_verdict car_check_cps(void *ctx, const ccs_pnc_cert *chain, size_t n, uint64_t now_s,
                                     uint8_t key[CCS_PNC_KEY_MAX])
{
    pnc_ci *ci = ctx;
    return verify_chain(ci->suite, ci->trust, chain, n, now_s, key);
}

static int car_sign(void *ctx, const uint8_t *data, size_t len, uint8_t sig[CCS_PNC_SIG_MAX])
{
    pnc_ci *ci = ctx;
    return pnc_openssl_sign(ci->own, data, len, sig);
}

static int car_verify(void *ctx, const uint8_t key[CCS_PNC_KEY_MAX], const uint8_t *data, size_t len,
                      const uint8_t sig[CCS_PNC_SIG_MAX])
{
    pnc_ci *ci = ctx;
    return pnc_openssl_verify(NULL, ci->suite, key, data, len, sig);
}

/* Install a usable contract; update one that expires within renew_s. */
static int car_need(void *ctx, uint64_t now_s)
{
    pnc_ci *ci = ctx;
    if (!ci->contract->nchain) return CCS_PNC_NEED_INSTALL;
    X509 *x = der_cert(&ci->contract->chain[0]);
    time_t now = (time_t)now_s, soon = (time_t)(now_s + ci->f.renew_s);
    int need = !x || X509_cmp_time(X509_get0_notBefore(x), &now) > 0 || X509_cmp_time(X509_get0_notAfter(x), &now) < 0
                   ? CCS_PNC_NEED_INSTALL
               : X509_cmp_time(X509_get0_notAfter(x), &soon) < 0 ? CCS_PNC_NEED_UPDATE
                                                                  : CCS_PNC_NEED_NONE;
    X509_free(x);
    return need;
}

/* The private value d (the suite's length) as a key pair of the suite (its public point computed), or NULL: a value
 * of zero or not below the group order ([V2G20-2507]) is none. */
static EVP_PKEY *key_of(ccs_pnc_suite suite, const uint8_t *d, uint8_t pub[CCS_PNC_KEY_MAX])
{
    int s20 = suite == CCS_PNC_P521_SHA512;
    size_t plen = PNC_PRIV_LEN_OF(suite), klen = CCS_PNC_KEY_LEN_OF(suite);
    EC_GROUP *g = EC_GROUP_new_by_curve_name(s20 ? NID_secp521r1 : NID_X9_62_prime256v1);
    BIGNUM *bn = BN_bin2bn(d, (int)plen, NULL);
    EC_POINT *pt = g ? EC_POINT_new(g) : NULL;
    int ok = bn && pt && !BN_is_zero(bn) && BN_cmp(bn, EC_GROUP_get0_order(g)) < 0 &&
             EC_POINT_mul(g, pt, bn, NULL, NULL, NULL) == 1 &&
             EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, pub, klen, NULL) == klen;
    EVP_PKEY *k = NULL;
    uint8_t native[PNC_PRIV_MAX];   /* OSSL_PARAM BIGNUMs are native-endian */
    if (ok && BN_bn2nativepad(bn, native, (int)plen) == (int)plen) {
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)(s20 ? "secp521r1" : "prime256v1"), 0),
            OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, native, plen),
            OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub, klen),
            OSSL_PARAM_construct_end(),
        };
        EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        if (!pc || EVP_PKEY_fromdata_init(pc) != 1 || EVP_PKEY_fromdata(pc, &k, EVP_PKEY_KEYPAIR, params) != 1)
            k = NULL;
        EVP_PKEY_CTX_free(pc);
    }
    OPENSSL_cleanse(native, sizeof native);
    EC_POINT_free(pt);
    BN_clear_free(bn);
    EC_GROUP_free(g);
    return k;
}

/* path.tmp written (mode 0600) by write(f), then renamed over path. */
static int write_file(const char *path, int (*write)(FILE *, const void *), const void *arg)
{
    char tmp[300];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) return CCS_EINVAL;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0) close(fd);
        return CCS_EIO;
    }
    int ok = write(f, arg);
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path)) {
        unlink(tmp);
        return CCS_EIO;
    }
    return 0;
}

static int write_chain(FILE *f, const void *arg)
{
    const ccs_pnc_new_contract *nc = arg;
    int ok = 1;
    for (unsigned i = 0; i < nc->nchain && ok; i++) {
        X509 *x = der_cert(&nc->chain[i]);
        ok = x && PEM_write_X509(f, x) == 1;
        X509_free(x);
    }
    return ok;
}

static int write_key(FILE *f, const void *arg)
{
    return PEM_write_PrivateKey(f, (EVP_PKEY *)arg, NULL, NULL, 0, NULL, NULL) == 1;
}

/* ISO 15118-20's associated data for the contract certificate leaf and our provisioning certificate (none for
 * ISO 15118-2: *len 0). 0 or CCS_EINVAL. */
static int aad_of(const pnc_ci *ci, X509 *leaf, uint8_t aad[PNC_AAD_MAX], size_t *len)
{
    *len = 0;
    if (ci->suite != CCS_PNC_P521_SHA512) return 0;
    X509 *prov = der_cert(&ci->own_c.chain[0]);
    int rc = prov ? pnc_ci_aad(prov, leaf, aad, PNC_AAD_MAX, len) : CCS_EINVAL;
    X509_free(prov);
    return rc;
}

static int car_install(void *ctx, int update, const ccs_pnc_new_contract *nc)
{
    pnc_ci *ci = ctx;
    X509 *leaf = nc->nchain ? der_cert(&nc->chain[0]) : NULL;
    uint8_t leaf_pub[CCS_PNC_KEY_MAX], pub[CCS_PNC_KEY_MAX], d[PNC_PRIV_MAX], aad[PNC_AAD_MAX];
    size_t aad_len = 0;
    char cn[64];
    int cn_len = leaf ? X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName, cn, sizeof cn) : -1;
    /* the static key: the provisioning key, or the contract key being updated */
    EVP_PKEY *mine = read_key(ci->suite, update ? ci->f.contract_key : ci->f.prov_key);
    /* ISO 15118-20's response has no eMAID: the certificate's CN is the contract's */
    int ok = leaf && point_of(ci->suite, leaf, leaf_pub) && cn_len > 0 &&
             (ci->suite == CCS_PNC_P521_SHA512 || pnc_emaid_equal(cn, (size_t)cn_len, nc->emaid, nc->emaid_len)) &&
             mine && !aad_of(ci, leaf, aad, &aad_len) &&
             !pnc_ci_unwrap(ci->suite, mine, nc->dh_pub, aad, aad_len, nc->enc_key, d);
    EVP_PKEY *k = ok ? key_of(ci->suite, d, pub) : NULL;
    ok = k && !memcmp(pub, leaf_pub, CCS_PNC_KEY_LEN_OF(ci->suite));   /* the key is the new certificate's */
    ok = ok && !write_file(ci->f.contract_cert, write_chain, nc) && !write_file(ci->f.contract_key, write_key, k);
    OPENSSL_cleanse(d, sizeof d);
    EVP_PKEY_free(k);
    EVP_PKEY_free(mine);
    X509_free(leaf);
    ERR_clear_error();
    if (!ok) return CCS_EINVAL;
    /* the new contract is the one this session pays with */
    pnc_keys *keys = NULL;
    char err[256];
    ccs_pnc_contract c;
    if (pnc_contract_open(ci->f.contract_cert, ci->f.contract_key, &c, &keys, err, sizeof err)) return CCS_EIO;
    pnc_keys_free(*ci->contract_keys);
    *ci->contract_keys = keys;
    *ci->contract = c;
    return 0;
}

/* The roots as X509IssuerSerial (issuer RFC 4514 text, serial): those that fit. */
static void load_root_ids(pnc_ci *ci, const char *path, uint8_t *n)
{
    FILE *f = fopen(path, "r");
    X509 *x;
    *n = 0;
    while (f && *n < CCS_PNC_ROOTS_MAX && (x = PEM_read_X509(f, NULL, NULL, NULL))) {
        ccs_pnc_root_id *r = &ci->roots[*n];
        BIO *b = BIO_new(BIO_s_mem());
        BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
        int len = b && X509_NAME_print_ex(b, X509_get_issuer_name(x), 0, XN_FLAG_RFC2253) >= 0
                      ? BIO_read(b, r->issuer, CCS_PNC_ISSUER_MAX + 1) : -1;
        if (len > 0 && len <= (int)CCS_PNC_ISSUER_MAX && bn && BN_num_bytes(bn) <= (int)CCS_PNC_SERIAL_MAX) {
            r->issuer[len] = 0;
            r->serial_len = (uint8_t)BN_bn2bin(bn, r->serial);
            (*n)++;
        }
        BN_free(bn);
        BIO_free(b);
        X509_free(x);
    }
    ERR_clear_error();
    if (f) fclose(f);
}

static int store_of(const char *path, X509_STORE **out)
{
    *out = X509_STORE_new();
    return *out && X509_STORE_load_file(*out, path) == 1 ? 0 : CCS_EINVAL;
}

int pnc_ci_car_open(const pnc_ci_car_files *f, ccs_pnc_contract *contract, pnc_keys **contract_keys,
                    ccs_pnc_installer *in, pnc_ci **out, char *err, size_t errcap)
{
    pnc_ci *ci = calloc(1, sizeof *ci);
    if (!ci) return CCS_ENOSPC;
    ci->f = *f;
    ci->contract = contract;
    ci->contract_keys = contract_keys;
    int rc = 0;
    if (pnc_contract_open(f->prov_cert, f->prov_key, &ci->own_c, &ci->own, err, errcap))
        rc = CCS_EINVAL;
    else if ((ci->suite = ci->own_c.suite), store_of(f->roots, &ci->trust))
        rc = fail(err, errcap, "no V2G root certificates in", f->roots);
    memset(in, 0, sizeof *in);
    if (!rc) load_root_ids(ci, f->roots, &in->nroots);
    /* the contract, when there is one */
    if (!rc && !access(f->contract_cert, R_OK) && !access(f->contract_key, R_OK))
        rc = pnc_contract_open(f->contract_cert, f->contract_key, contract, contract_keys, err, errcap);
    else if (!rc)
        *contract = (ccs_pnc_contract){ .emaid = "", .sha256 = ccs_sha256_openssl, .sha512 = pnc_openssl_sha512 };
    if (rc) {
        pnc_ci_free(ci);
        return rc;
    }
    *in = (ccs_pnc_installer){ .need = car_need, .suite = ci->suite, .nprov = ci->own_c.nchain, .roots = ci->roots,
                               .nroots = in->nroots, .sign = car_sign, .check_cps = car_check_cps,
                               .install = car_install, .verify = car_verify, .ctx = ci };
    memcpy(in->prov, ci->own_c.chain, sizeof in->prov);
    *out = ci;
    return 0;
}

/* ------------------------------------------------------------------------------------------------ the charger */

static ccs_pnc_verdict cps_check_prov(void *ctx, const ccs_pnc_cert *chain, size_t n, uint64_t now_s,
                                      uint8_t key[CCS_PNC_KEY_MAX])
{
    pnc_ci *ci = ctx;
    return verify_chain(ci->suite, ci->trust, chain, n, now_s, key);
}

static int cps_sign(void *ctx, const uint8_t *data, size_t len, uint8_t sig[CCS_PNC_SIG_MAX])
{
    pnc_ci *ci = ctx;
    return pnc_openssl_sign(ci->own, data, len, sig);
}

/* A fresh ephemeral key, ECDH with the car's key, the KDF, a random IV: the contract key encrypted (ISO 15118-20:
 * with the associated data of the car's provisioning certificate prov and the contract). */
static int cps_make(void *ctx, const uint8_t peer[CCS_PNC_KEY_MAX], const ccs_pnc_cert *prov,
                    ccs_pnc_new_contract *out)
{
    pnc_ci *ci = ctx;
    if (!ci->have_give) return CCS_ENOTFOUND;
    EVP_PKEY *eph = EVP_EC_gen(ci->suite == CCS_PNC_P521_SHA512 ? "P-521" : "P-256");
    X509 *px = prov ? der_cert(prov) : NULL, *leaf = der_cert(&ci->give_c.chain[0]);
    uint8_t aad[PNC_AAD_MAX];
    size_t n = 0, aad_len = 0, klen = CCS_PNC_KEY_LEN_OF(ci->suite);
    int ok = eph && leaf &&
             (ci->suite != CCS_PNC_P521_SHA512 || (px && !pnc_ci_aad(px, leaf, aad, sizeof aad, &aad_len))) &&
             EVP_PKEY_get_octet_string_param(eph, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out->dh_pub, klen, &n) == 1 &&
             n == klen && !pnc_ci_wrap(ci->suite, eph, peer, aad, aad_len, ci->give_priv, out->enc_key);
    EVP_PKEY_free(eph);
    X509_free(px);
    X509_free(leaf);
    ERR_clear_error();
    if (!ok) return CCS_EIO;
    memcpy(out->chain, ci->give_c.chain, sizeof out->chain);
    out->nchain = ci->give_c.nchain;
    out->emaid = ci->give_c.emaid;
    out->emaid_len = strlen(ci->give_c.emaid);
    return 0;
}

int pnc_ci_cps_open(const pnc_ci_cps_files *f, ccs_pnc_cps *cps, pnc_ci **out, char *err, size_t errcap)
{
    pnc_ci *ci = calloc(1, sizeof *ci);
    if (!ci) return CCS_ENOSPC;
    int rc = 0;
    if (pnc_contract_open(f->cps_chain, f->cps_key, &ci->own_c, &ci->own, err, errcap))
        rc = CCS_EINVAL;
    else if ((ci->suite = ci->own_c.suite), store_of(f->oem_trust, &ci->trust))
        rc = fail(err, errcap, "no OEM certificates in", f->oem_trust);
    if (!rc && f->contract_chain && f->contract_chain[0]) {
        EVP_PKEY *k = read_key(ci->suite, f->contract_key);
        int plen = (int)PNC_PRIV_LEN_OF(ci->suite);
        BIGNUM *d = NULL;
        if (pnc_contract_open(f->contract_chain, f->contract_key, &ci->give_c, &ci->give, err, errcap))
            rc = CCS_EINVAL;
        else if (!k || EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1 ||
                 BN_bn2binpad(d, ci->give_priv, plen) != plen)
            rc = fail(err, errcap, ci->suite == CCS_PNC_P521_SHA512 ? "no P-521 private key (the CPS key's curve) in"
                                                                   : "no P-256 private key (the CPS key's curve) in",
                      f->contract_key);
        ci->have_give = !rc;
        BN_clear_free(d);
        EVP_PKEY_free(k);
    }
    if (rc) {
        pnc_ci_free(ci);
        return rc;
    }
    memset(cps, 0, sizeof *cps);
    cps->suite = ci->suite;
    memcpy(cps->chain, ci->own_c.chain, sizeof cps->chain);
    cps->nchain = ci->own_c.nchain;
    cps->check_prov = cps_check_prov;
    cps->make = cps_make;
    cps->sign = cps_sign;
    cps->ctx = ci;
    *out = ci;
    return 0;
}
