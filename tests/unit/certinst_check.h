/* Shared by the CertificateInstallation tests (test_sess_iso2_certinst, test_sess_iso20_certinst): the hooks of
 * both sides opened on files of the test's PKI in pki_dir (the car's contract in car_contract.pem / .key), and the
 * PEM helpers. Header-only: include after cmocka.h and pki_mem.h. */
#ifndef CCSPLC_TEST_CERTINST_CHECK_H
#define CCSPLC_TEST_CERTINST_CHECK_H

#include <unistd.h>

#include <openssl/core_names.h>

#include "ccsplc/linux/pnc_certinst_openssl.h"
#include "pnc_check.h"   /* contract (the car's, replaced by an install), checker, car_keys, evse_keys */

static ccs_pnc_installer installer;
static pnc_ci *car_ci, *cps_ci;
static ccs_pnc_cps cps;

static inline FILE *ci_fopen(const char *name, const char *mode)
{
    FILE *f = fopen(pki_path(name), mode);
    assert_non_null(f);
    return f;
}

static inline void ci_write_pub(const char *name, EVP_PKEY *k)
{
    FILE *f = ci_fopen(name, "w");
    PEM_write_PUBKEY(f, k);
    fclose(f);
}

static inline EVP_PKEY *ci_read_key(const char *name)
{
    FILE *f = ci_fopen(name, "r");
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(k);
    return k;
}

static inline X509 *ci_read_cert(const char *name)
{
    FILE *f = ci_fopen(name, "r");
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(x);
    return x;
}

/* The stored contract: its key is the certificate's (libcrypto), and the CPS's contract key. */
static inline void ci_check_stored(void)
{
    X509 *x = ci_read_cert("car_contract.pem");
    EVP_PKEY *k = ci_read_key("car_contract.key"), *want = ci_read_key("contract.key");
    assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(x), k), 1);
    assert_int_equal(EVP_PKEY_eq(want, k), 1);
    EVP_PKEY_free(k);
    EVP_PKEY_free(want);
    X509_free(x);
}

/* The AES key of a response, derived here: Z = ECDH(the car's key in car_key, the CPS's point dh[dh_len] on curve
 * group), then SP 800-56A's concatenation KDF as its definition reads: the suite's hash of counter 00000001 || Z ||
 * OtherInfo 01 55 56, its first 16 (P-256) or 32 (P-521) bytes, which must be pnc_ci_kdf's too. */
static inline void ci_session_key(const char *car_key, const char *group, const uint8_t *dh, size_t dh_len,
                                  ccs_pnc_suite suite, uint8_t *key)
{
    EVP_PKEY *mine = ci_read_key(car_key), *peer = NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)dh, dh_len),
        OSSL_PARAM_construct_end(),
    };
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    assert_int_equal(EVP_PKEY_fromdata_init(pc), 1);
    assert_int_equal(EVP_PKEY_fromdata(pc, &peer, EVP_PKEY_PUBLIC_KEY, params), 1);
    EVP_PKEY_CTX_free(pc);
    EVP_PKEY_CTX *dc = EVP_PKEY_CTX_new(mine, NULL);
    uint8_t in[4 + 66 + 3] = { 0, 0, 0, 1 }, md[64], kdf[32];
    size_t zlen = 66, klen = suite == CCS_PNC_P521_SHA512 ? 32 : 16;
    assert_int_equal(EVP_PKEY_derive_init(dc), 1);
    assert_int_equal(EVP_PKEY_derive_set_peer(dc, peer), 1);
    assert_int_equal(EVP_PKEY_derive(dc, in + 4, &zlen), 1);
    assert_int_equal(zlen, suite == CCS_PNC_P521_SHA512 ? 66 : 32);
    EVP_PKEY_CTX_free(dc);
    memcpy(in + 4 + zlen, "\x01\x55\x56", 3);
    unsigned mdlen = 0;
    assert_int_equal(EVP_Digest(in, 4 + zlen + 3, md, &mdlen,
                                suite == CCS_PNC_P521_SHA512 ? EVP_sha512() : EVP_sha256(), NULL), 1);
    assert_int_equal(pnc_ci_kdf(suite, in + 4, zlen, kdf), 0);
    assert_memory_equal(kdf, md, klen);   /* our KDF is the definition's */
    memcpy(key, md, klen);
    EVP_PKEY_free(peer);
    EVP_PKEY_free(mine);
}

/* The private value of the key in key_file, big-endian, len bytes. */
static inline void ci_private_value(const char *key_file, uint8_t *out, int len)
{
    EVP_PKEY *k = ci_read_key(key_file);
    BIGNUM *bn = NULL;
    assert_int_equal(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &bn), 1);
    assert_int_equal(BN_bn2binpad(bn, out, len), len);
    BN_clear_free(bn);
    EVP_PKEY_free(k);
}

static inline void ci_close_all(void)
{
    pnc_ci_free(car_ci);
    pnc_ci_free(cps_ci);
    pnc_keys_free(car_keys);
    pnc_keys_free(evse_keys);
    car_ci = cps_ci = NULL;
    car_keys = evse_keys = NULL;
}

static inline int ci_teardown(void **state)
{
    (void)state;
    ci_close_all();
    return pki_dir_remove();
}

/* The car: its provisioning certificate (chain) and key, the V2G roots; its contract in car_contract.pem / .key
 * (absent: none), renewed within a day. */
static inline void ci_open_car(const char *prov, const char *prov_key, const char *roots)
{
    char err[256];
    pnc_ci_free(car_ci);
    pnc_keys_free(car_keys);
    car_keys = NULL;
    pnc_ci_car_files f = { pki_path(prov), pki_path(prov_key), pki_path(roots), pki_path("car_contract.pem"),
                           pki_path("car_contract.key"), 86400 };
    assert_int_equal(pnc_ci_car_open(&f, &contract, &car_keys, &installer, &car_ci, err, sizeof err), 0);
}

/* The charger: the CPS (its chain and key), the OEM trust, the contract handed out (contract_chain.pem /
 * contract.key, or none), the MO root(s). */
static inline void ci_open_charger(const char *cps_chain, const char *cps_key, const char *oem_trust,
                                   const char *mo_root, int with_contract)
{
    char err[256];
    pnc_ci_free(cps_ci);
    pnc_keys_free(evse_keys);
    pnc_ci_cps_files f = { pki_path(cps_chain), pki_path(cps_key), pki_path(oem_trust),
                           with_contract ? pki_path("contract_chain.pem") : NULL, pki_path("contract.key") };
    assert_int_equal(pnc_ci_cps_open(&f, &cps, &cps_ci, err, sizeof err), 0);
    assert_int_equal(pnc_checker_open(pki_path(mo_root), &checker, &evse_keys, err, sizeof err), 0);
}

static inline void ci_no_car_contract(void)
{
    unlink(pki_path("car_contract.pem"));
    unlink(pki_path("car_contract.key"));
}

#endif
