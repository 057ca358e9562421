/* What the Plug & Charge session tests share: the contract and MO roots loaded with the OpenSSL hooks from the
 * test's PKI files (pki_mem.h), the sessions' configuration, a refusal's checks, and a signature checked without our
 * hooks: libcrypto and `openssl dgst -verify` on the exact signed bytes. Header-only: include after cmocka.h,
 * pki_mem.h and a session world (sess_world.h). */
#ifndef CCSPLC_TEST_PNC_CHECK_H
#define CCSPLC_TEST_PNC_CHECK_H
#include <openssl/ecdsa.h>
#include <time.h>

#include "ccsplc/linux/pnc_openssl.h"
#include "ccsplc/linux/random.h"
#include "sess_checks.h"

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

/* A group teardown: the hooks' keys freed, the test's PKI directory removed. */
static inline int pnc_teardown(void **state)
{
    (void)state;
    pnc_keys_free(car_keys);
    pnc_keys_free(evse_keys);
    car_keys = evse_keys = NULL;
    return pki_dir_remove();
}

/* The sessions' configuration (a world's setup hook): the charger checks contracts with `checker` and draws its
 * challenges from getrandom, the car pays with `contract`, both at wall-clock time (the certificates' validity). */
static inline void pnc_configs(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c,
                               phys_battery_config *b)
{
    (void)c, (void)b;
    e->pnc = &checker;
    e->rng = ccs_random_getrandom;
    e->clock_unix_s = p->clock_unix_s = (uint64_t)time(NULL);
    p->pnc = &contract;
}

/* A refusal: the charger answered `res` (the last message) with `code` and ended FAILED in the safe state (no
 * current, contactors open, output off), the car ended FAILED with its contactors open, and `next` (the message
 * the session would have gone on with) was never sent. */
static inline void pnc_assert_refused(const sw_world *w, const char *res, int code, const char *next)
{
    assert_string_equal(w->log[w->nlog - 1], res);
    assert_int_equal(w->evse.last_code, code);
    assert_int_equal(w->evse.stop, SESS_STOP_FAILED);
    assert_int_equal(w->evse.phase, SESS_SAFE);
    assert_true(w->evse.out.safe && !w->evse.out.contactors_closed && !w->evse.out.output_on);
    assert_int_equal(w->pev.stop, SESS_STOP_FAILED);
    assert_true(w->pev.out.safe && !w->pev.out.contactors_closed);
    assert_int_equal(sw_count(w, next), 0);
}

/* A session of world w (set up) run until both sides ended (30 min at most), over TLS or not, with hook (NULL:
 * none) on the messages; the plant ends safe. */
static inline void pnc_session(sw_world *w, int tls, sw_hook hook)
{
    w->evse.tls = (uint8_t)tls;
    w->hook = hook;
    sw_connect(w);
    assert_true(sw_run(w, 30 * 60 * 1000, sw_both_ended));
    sc_plant_safe(&w->plant, 1);
}

static inline void pnc_write_file(const char *name, const uint8_t *b, size_t n)
{
    FILE *f = fopen(pki_path(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

/* SignedInfo si (either codec's type) names the algorithms sig_uri and digest_uri, Canonical EXI, and one Reference
 * to "#id" with a Transform. */
#define PNC_CHECK_SIGNED_INFO(si, id, sig_uri, digest_uri)                                                      \
    do {                                                                                                       \
        char uri_[80];                                                                                         \
        assert_string_equal((si)->CanonicalizationMethod.Algorithm.chars, "http://www.w3.org/TR/canonical-exi/"); \
        assert_string_equal((si)->SignatureMethod.Algorithm.chars, sig_uri);                                   \
        assert_int_equal((si)->Reference.count, 1);                                                            \
        assert_string_equal((si)->Reference.array[0].DigestMethod.Algorithm.chars, digest_uri);                \
        assert_string_equal((si)->Reference.array[0].Transforms.Transform.Algorithm.chars,                     \
                            "http://www.w3.org/TR/canonical-exi/");                                            \
        snprintf(uri_, sizeof uri_, "#%s", id);                                                                \
        assert_string_equal((si)->Reference.array[0].URI.chars, uri_);                                         \
    } while (0)

/* digest[dlen] is libcrypto's md ("sha256", "sha512") of frag[n]. */
static inline void pnc_check_digest(const uint8_t *frag, size_t n, const char *md, const uint8_t *digest, size_t dlen)
{
    uint8_t want[EVP_MAX_MD_SIZE];
    unsigned wlen = 0;
    assert_int_equal(EVP_Digest(frag, n, want, &wlen, EVP_get_digestbyname(md), NULL), 1);
    assert_int_equal(dlen, wlen);
    assert_memory_equal(digest, want, wlen);
}

/* In pki_dir: an MO root (root.pem, its key k[0]) -> Sub-CA (k[1]) -> contract CN=emaid (k[2]) on curve ("P-256",
 * "P-521") signed with md ("SHA256", "SHA512"): chain.pem (contract, Sub-CA), contract.key, contract_pub.pem. The
 * keys and certificates are returned (the caller frees them) for more certificates of the same hierarchy. */
static inline void pnc_make_pki(const char *curve, const char *md, const char *emaid, EVP_PKEY *k[3], X509 *x[3])
{
    for (int i = 0; i < 3; i++) assert_non_null(k[i] = EVP_EC_gen(curve));
    x[0] = pki_cert("MO root", k[0], NULL, NULL, 1, -60, 86400, md);
    x[1] = pki_cert("MO Sub-CA", k[1], x[0], k[0], 1, -60, 86400, md);
    x[2] = pki_cert(emaid, k[2], x[1], k[1], 0, -60, 86400, md);
    pki_write_cert(pki_path("mo_root.pem"), "w", x[0]);
    pki_write_cert(pki_path("chain.pem"), "w", x[2]);
    pki_write_cert(pki_path("chain.pem"), "a", x[1]);
    pki_write_key(pki_path("contract.key"), k[2]);
    FILE *f = fopen(pki_path("contract_pub.pem"), "w");
    assert_non_null(f);
    PEM_write_PUBKEY(f, k[2]);
    fclose(f);
}

static inline void pnc_free_pki(EVP_PKEY *k[3], X509 *x[3])
{
    for (int i = 0; i < 3; i++) X509_free(x[i]), EVP_PKEY_free(k[i]);
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
