/* Test certificates made in memory with OpenSSL (X.509 v3, CA or leaf key usage, validity relative to now), written
 * as PEM files into a test's own temporary directory (pki_dir_*). Header-only: include after cmocka.h. */
#ifndef CCSPLC_TEST_PKI_MEM_H
#define CCSPLC_TEST_PKI_MEM_H
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static char pki_dir[64];

/* A fresh directory /tmp/ccsplc-test-NAME-XXXXXX for the test's files. */
static inline void pki_dir_make(const char *name)
{
    snprintf(pki_dir, sizeof pki_dir, "/tmp/ccsplc-test-%s-XXXXXX", name);
    assert_non_null(mkdtemp(pki_dir));
}

/* NAME in that directory (8 results live at a time). */
static inline const char *pki_path(const char *name)
{
    static char p[8][128];
    static int i;
    char *s = p[i++ % 8];
    snprintf(s, 128, "%s/%s", pki_dir, name);
    return s;
}

/* Removes the directory (ours only: made by pki_dir_make). 0 or the shell's status. */
static inline int pki_dir_remove(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", pki_dir);
    return system(cmd);
}

/* A certificate of key with subject CN=name, signed by issuer_key (NULL: self-signed), valid from now + from_s to
 * now + to_s, a CA or a leaf, with the digest md ("SHA256"), and its subject key identifier. */
static inline X509 *pki_cert(const char *name, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, int ca, long from_s,
                             long to_s, const char *md)
{
    X509 *x = X509_new();
    assert_non_null(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(random() & 0x7fffffff));
    X509_gmtime_adj(X509_getm_notBefore(x), from_s);
    X509_gmtime_adj(X509_getm_notAfter(x), to_s);
    X509_set_pubkey(x, key);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)name, -1, -1, 0);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
    X509V3_CTX v;
    X509V3_set_ctx_nodb(&v);
    X509V3_set_ctx(&v, issuer ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *e1 = X509V3_EXT_conf_nid(NULL, &v, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    X509_EXTENSION *e2 = X509V3_EXT_conf_nid(NULL, &v, NID_key_usage,
                                             ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyAgreement");
    /* a subject key identifier (ISO 15118-20's key encryption puts the contract's in its associated data) */
    X509_EXTENSION *e3 = X509V3_EXT_conf_nid(NULL, &v, NID_subject_key_identifier, "hash");
    X509_add_ext(x, e1, -1);
    X509_add_ext(x, e2, -1);
    X509_add_ext(x, e3, -1);
    X509_EXTENSION_free(e1);
    X509_EXTENSION_free(e2);
    X509_EXTENSION_free(e3);
    assert_true(X509_sign(x, issuer_key ? issuer_key : key, EVP_get_digestbyname(md)) > 0);
    return x;
}

/* Appends x as PEM to file `path` (mode "w" or "a"). */
static inline void pki_write_cert(const char *path, const char *mode, X509 *x)
{
    FILE *f = fopen(path, mode);
    assert_non_null(f);
    PEM_write_X509(f, x);
    fclose(f);
}

static inline void pki_write_key(const char *path, EVP_PKEY *key)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    fclose(f);
}

/* A mobility operator's hierarchy for Plug & Charge: root -> Sub-CA -> contract (CN = emaid), P-256 and SHA-256,
 * valid from a minute ago for valid_s; writes mo_root.pem, chain.pem (the contract, then the Sub-CA) and
 * contract.key. x[0..2] the certificates, k[0..2] their keys (the caller frees both). */
static inline void pki_mo_contract(const char *emaid, long valid_s, EVP_PKEY *k[3], X509 *x[3])
{
    for (int i = 0; i < 3; i++) assert_non_null(k[i] = EVP_EC_gen("P-256"));
    x[0] = pki_cert("MO root", k[0], NULL, NULL, 1, -60, valid_s, "SHA256");
    x[1] = pki_cert("MO Sub-CA", k[1], x[0], k[0], 1, -60, valid_s, "SHA256");
    x[2] = pki_cert(emaid, k[2], x[1], k[1], 0, -60, valid_s, "SHA256");
    pki_write_cert(pki_path("mo_root.pem"), "w", x[0]);
    pki_write_cert(pki_path("chain.pem"), "w", x[2]);
    pki_write_cert(pki_path("chain.pem"), "a", x[1]);
    pki_write_key(pki_path("contract.key"), k[2]);
}

#endif
