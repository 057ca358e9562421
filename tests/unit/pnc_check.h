/* What the Plug & Charge session tests share: the contract and MO roots loaded with the OpenSSL hooks from the
 * test's PKI files (pki_mem.h), and a signature checked without our hooks: libcrypto and `openssl dgst -verify` on
 * the exact signed bytes. Header-only: include after cmocka.h and pki_mem.h. */
#ifndef CCSPLC_TEST_PNC_CHECK_H
#define CCSPLC_TEST_PNC_CHECK_H
#include <openssl/ecdsa.h>

#include "ccsplc/linux/pnc_openssl.h"

static ccs_pnc_contract contract;
static ccs_pnc_checker checker;
static pnc_keys *car_keys, *evse_keys;

/* The charger's MO roots and the car's contract (chain, key) from the files in pki_dir. */
static inline void pnc_open(const char *roots, const char *chain, const char *key)
{
    char err[256];
    pnc_keys_free(car_keys);
    pnc_keys_free(evse_keys);
    assert_int_equal(pnc_contract_open(pki_path(chain), pki_path(key), &contract, &car_keys, err, sizeof err), 0);
    assert_int_equal(pnc_checker_open(pki_path(roots), &checker, &evse_keys, err, sizeof err), 0);
}

static inline void pnc_close(void)
{
    pnc_keys_free(car_keys);
    pnc_keys_free(evse_keys);
    car_keys = evse_keys = NULL;
}

static inline void pnc_write_file(const char *name, const uint8_t *b, size_t n)
{
    FILE *f = fopen(pki_path(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

/* rs (r || s, coord bytes each) verifies over data[n] with the public key in PEM file pub (in pki_dir) and digest md
 * ("sha256", "sha512"), in libcrypto and with `openssl dgst -<md> -verify`, which refuses the data with a byte
 * changed. */
static inline void pnc_verify_independently(const char *pub, const char *md, uint8_t *data, size_t n,
                                            const uint8_t *rs, int coord)
{
    ECDSA_SIG *s = ECDSA_SIG_new();
    assert_int_equal(ECDSA_SIG_set0(s, BN_bin2bn(rs, coord, NULL), BN_bin2bn(rs + coord, coord, NULL)), 1);
    uint8_t *der = NULL;
    int dn = i2d_ECDSA_SIG(s, &der);
    ECDSA_SIG_free(s);
    assert_true(dn > 0);
    FILE *f = fopen(pki_path(pub), "r");
    assert_non_null(f);
    EVP_PKEY *key = PEM_read_PUBKEY(f, NULL, NULL, NULL);
    fclose(f);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestVerifyInit(m, NULL, EVP_get_digestbyname(md), NULL, key), 1);
    assert_int_equal(EVP_DigestVerify(m, der, (size_t)dn, data, n), 1);
    EVP_MD_CTX_free(m);
    EVP_PKEY_free(key);
    pnc_write_file("signed_info.exi", data, n);
    pnc_write_file("signature.der", der, (size_t)dn);
    OPENSSL_free(der);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "openssl dgst -%s -verify '%s' -signature '%s' '%s' >/dev/null", md, pki_path(pub),
             pki_path("signature.der"), pki_path("signed_info.exi"));
    if (system("command -v openssl >/dev/null") != 0) return;
    assert_int_equal(system(cmd), 0);
    data[n - 1] ^= 1;   /* and openssl refuses other bytes */
    pnc_write_file("signed_info.exi", data, n);
    assert_int_not_equal(system(cmd), 0);
    data[n - 1] ^= 1;
}

#endif
