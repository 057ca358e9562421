/* The charger's contract checks beyond the chain (ISO 15118-2 Plug & Charge, issue 13 items 3 and 5): revocation
 * from CRLs and text lists (src/platform/pnc_revoke.c) and the authorization backend (the engine's Ongoing/FAILED
 * answers, src/platform/auth_backend.c's allow-list and command), in whole sessions between our charger and car
 * with certificates made here, each refusal with its response code and both sides safe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/auth_backend.h"
#include "ccsplc/linux/pnc_openssl.h"
#include "iso2_world.h"
#include "pki_mem.h"
#include "pnc_check.h"
#include "sess_checks.h"

#define EMAID "DEABCC12345678"

static sw_world W;
static char leaf_serial[64], sub_fp[65];

/* A CRL of the CA (issuer, key) revoking the certificates of these serials; PEM or DER to path. */
static void write_crl(const char *path, X509 *issuer, EVP_PKEY *key, X509 **revoked, int n, int der)
{
    X509_CRL *crl = X509_CRL_new();
    X509_CRL_set_version(crl, 1);
    X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer));
    ASN1_TIME *t = ASN1_TIME_adj(NULL, time(NULL), 0, -60);
    X509_CRL_set1_lastUpdate(crl, t);
    ASN1_TIME_adj(t, time(NULL), 1, 0);
    X509_CRL_set1_nextUpdate(crl, t);
    ASN1_TIME_free(t);
    for (int i = 0; i < n; i++) {
        X509_REVOKED *r = X509_REVOKED_new();
        X509_REVOKED_set_serialNumber(r, X509_get_serialNumber(revoked[i]));
        ASN1_TIME *at = ASN1_TIME_adj(NULL, time(NULL), 0, -30);
        X509_REVOKED_set_revocationDate(r, at);
        ASN1_TIME_free(at);
        X509_CRL_add0_revoked(crl, r);
    }
    X509_CRL_sort(crl);
    assert_true(X509_CRL_sign(crl, key, EVP_sha256()) > 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(der ? i2d_X509_CRL_fp(f, crl) : PEM_write_X509_CRL(f, crl), 1);
    fclose(f);
    X509_CRL_free(crl);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void hex_of(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02X", b[i]);
}

/* MO root -> Sub-CA -> contract (CN = the eMAID) and a second contract of the same Sub-CA; CRLs: the Sub-CA's
 * revoking the contract (PEM and DER), revoking the second contract only, the root's revoking the Sub-CA, and one
 * in the Sub-CA's name signed by another key; text lists by serial, by the Sub-CA's fingerprint, by eMAID. */
static int setup(void **state)
{
    (void)state;
    pki_dir_make("pncchk");
    EVP_PKEY *k[5];
    X509 *x[3];
    pki_mo_contract(EMAID, 86400, k, x);
    X509 *root = x[0], *sub = x[1], *leaf = x[2];
    for (int i = 3; i < 5; i++) assert_non_null(k[i] = EVP_EC_gen("P-256"));
    X509 *second = pki_cert("DEABCC87654321", k[3], sub, k[1], 0, -60, 86400, "SHA256");
    assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(leaf), X509_get0_serialNumber(second)), 0);
    write_crl(pki_path("crl.pem"), sub, k[1], &leaf, 1, 0);
    write_crl(pki_path("crl.der"), sub, k[1], &leaf, 1, 1);
    write_crl(pki_path("crl_second.pem"), sub, k[1], &second, 1, 0);
    write_crl(pki_path("crl_root.pem"), root, k[0], &sub, 1, 0);
    write_crl(pki_path("crl_forged.pem"), sub, k[4], &leaf, 1, 0);
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf), NULL);
    char *hex = BN_bn2hex(bn);
    snprintf(leaf_serial, sizeof leaf_serial, "%s", hex);
    OPENSSL_free(hex);
    BN_free(bn);
    uint8_t md[32];
    unsigned mdlen;
    assert_int_equal(X509_digest(sub, EVP_sha256(), md, &mdlen), 1);
    hex_of(md, 32, sub_fp);
    char text[256];
    snprintf(text, sizeof text, "# revoked contracts\n\nserial %s\n", leaf_serial);
    write_text(pki_path("serial.txt"), text);
    snprintf(text, sizeof text, "sha256 %s\n", sub_fp);
    write_text(pki_path("subca.txt"), text);
    write_text(pki_path("emaid.txt"), "emaid DE-ABC-C12345678\n");
    write_text(pki_path("other.txt"), "serial 01:02:03\nemaid DEABCC87654321\n");
    write_text(pki_path("bad.txt"), "serial 0102\nrevoke DEABCC12345678\n");
    X509 *all[] = { root, sub, leaf, second };
    for (int i = 0; i < 4; i++) X509_free(all[i]);
    for (int i = 0; i < 5; i++) EVP_PKEY_free(k[i]);
    return 0;
}

/* The car's contract, the charger's MO root and the revocation sources (comma-separated names, NULL: none). */
static void open_pki(const char *revoked)
{
    char err[256], list[256];
    pnc_open("mo_root.pem", "chain.pem", "contract.key");
    snprintf(list, sizeof list, "%s", revoked ? revoked : "");
    char *save = NULL;
    for (char *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save))
        assert_int_equal(pnc_checker_revoked(evse_keys, pki_path(f), err, sizeof err), 0);
}

/* One DC session on TLS, both sides ended, the plant safe. */
static void run(void)
{
    iw_setup(&W, 0, pnc_configs);
    pnc_session(&W, 1, NULL);
}

static void assert_normal(void)
{
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_true(sw_count(&W, "CurrentDemandReq") > 0);
}

/* The charger answered `res` with `code` and ended FAILED (safe), the car stopped, nothing charged. */
static void assert_refused(const char *res, int code)
{
    pnc_assert_refused(&W, res, code, "ChargeParameterDiscoveryReq");
}

/* A revoked contract or Sub-CA, by CRL (PEM, DER) or text list: PaymentDetailsRes FAILED_CertificateRevoked. */
static void test_revoked(void **state)
{
    (void)state;
    static const char *const sources[] = {
        "crl.pem", "crl.der", "crl_root.pem", "serial.txt", "subca.txt", "emaid.txt", "crl_second.pem,crl.pem",
    };
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        open_pki(sources[i]);
        run();
        assert_refused("PaymentDetailsRes", iso2_responseCodeType_FAILED_CertificateRevoked);
    }
}

/* Sources that do not name this contract: another contract's CRL, a CRL in the Sub-CA's name that its key did not
 * sign, a list of other serials and eMAIDs: the session charges. */
static void test_not_revoked(void **state)
{
    (void)state;
    static const char *const sources[] = { "crl_second.pem", "crl_forged.pem", "other.txt" };
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        open_pki(sources[i]);
        run();
        assert_normal();
    }
}

/* Files that are neither: the line of a list that does not parse, a missing file, a PEM without a CRL. */
static void test_revoked_files(void **state)
{
    (void)state;
    open_pki(NULL);
    char err[256];
    assert_int_equal(pnc_checker_revoked(evse_keys, pki_path("bad.txt"), err, sizeof err), CCS_ESYNTAX);
    assert_non_null(strstr(err, "bad.txt:2:"));
    assert_int_equal(pnc_checker_revoked(evse_keys, pki_path("none"), err, sizeof err), CCS_EINVAL);
    write_text(pki_path("empty_crl.pem"), "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
    assert_int_equal(pnc_checker_revoked(evse_keys, pki_path("empty_crl.pem"), err, sizeof err), CCS_EINVAL);
}

/* A scripted backend: PENDING `pending` times (at PaymentDetails, then at each AuthorizationReq), then `final`. */
static int pending, polls;
static ccs_pnc_auth final;
static char asked[32];

static ccs_pnc_auth fake_poll(void *ctx)
{
    (void)ctx;
    polls++;
    return pending-- > 0 ? CCS_PNC_AUTH_PENDING : final;
}

static ccs_pnc_auth fake_authorize(void *ctx, const ccs_pnc_cert *c, size_t n, const char *emaid, size_t len)
{
    assert_int_equal(n, contract.nchain);
    for (size_t i = 0; i < n; i++)
        assert_true(c[i].len == contract.chain[i].len && !memcmp(c[i].der, contract.chain[i].der, c[i].len));
    snprintf(asked, sizeof asked, "%.*s", (int)len, emaid);
    polls = -1;   /* this call is not a poll */
    return fake_poll(ctx);
}

static void run_fake(int n, ccs_pnc_auth answer)
{
    open_pki(NULL);
    checker.authorize = fake_authorize;
    checker.authorize_poll = fake_poll;
    pending = n, final = answer;
    run();
    assert_string_equal(asked, EMAID);
}

/* The engine: Ongoing while the backend decides (each AuthorizationReq asks again), then on; FAILED when it
 * rejects, at once or after a while. */
static void test_backend_engine(void **state)
{
    (void)state;
    run_fake(0, CCS_PNC_AUTH_ACCEPT);
    assert_normal();
    assert_int_equal(sw_count(&W, "AuthorizationReq"), 1);
    run_fake(3, CCS_PNC_AUTH_ACCEPT);   /* PENDING at PaymentDetails, then at two requests (Ongoing): the third on */
    assert_normal();
    assert_int_equal(polls, 3);
    assert_int_equal(sw_count(&W, "AuthorizationReq"), 3);
    run_fake(0, CCS_PNC_AUTH_REJECT);
    assert_refused("AuthorizationRes", iso2_responseCodeType_FAILED);
    assert_int_equal(sw_count(&W, "AuthorizationReq"), 1);
    run_fake(2, CCS_PNC_AUTH_REJECT);
    assert_refused("AuthorizationRes", iso2_responseCodeType_FAILED);
    assert_int_equal(sw_count(&W, "AuthorizationReq"), 2);   /* one Ongoing, then FAILED */
    run_fake(0, (ccs_pnc_auth)7);   /* an answer the hook may not give: a refusal */
    assert_refused("AuthorizationRes", iso2_responseCodeType_FAILED);
}

/* The real backend's poll, paced for the virtual clock: while the command runs, wait a little real time. */
static auth_backend *backend;

static ccs_pnc_auth paced_poll(void *ctx)
{
    ccs_pnc_auth a = auth_backend_poll(ctx);
    if (a == CCS_PNC_AUTH_PENDING) usleep(50 * 1000);
    return a;
}

/* A session with auth_backend (allow-list file, command; NULL: none). */
static void run_backend(const char *allow, const char *cmd, uint32_t timeout_ms)
{
    char err[256];
    open_pki(NULL);
    auth_backend_free(backend);
    backend = NULL;
    assert_int_equal(auth_backend_open(allow ? pki_path(allow) : NULL, cmd, timeout_ms, &backend, err, sizeof err), 0);
    auth_backend_attach(backend, &checker);
    checker.authorize_poll = paced_poll;
    run();
}

/* The allow-list: its eMAID (written with separators, another case) charges; another list refuses; "*" takes all. */
static void test_allow_list(void **state)
{
    (void)state;
    write_text(pki_path("allow.txt"), "# contracts of our customers\nDEABCC00000001\nde-abc-c12345678\n");
    write_text(pki_path("deny.txt"), "DEABCC00000001\n");
    write_text(pki_path("all.txt"), "*\n");
    write_text(pki_path("none.txt"), "# nobody\n");
    run_backend("allow.txt", NULL, 1000);
    assert_normal();
    run_backend("all.txt", NULL, 1000);
    assert_normal();
    run_backend("deny.txt", NULL, 1000);
    assert_refused("AuthorizationRes", iso2_responseCodeType_FAILED);
    run_backend("none.txt", NULL, 1000);
    assert_refused("AuthorizationRes", iso2_responseCodeType_FAILED);
    char err[256];
    auth_backend *b = NULL;
    write_text(pki_path("two.txt"), "DEABCC00000001 DEABCC00000002\n");
    assert_int_equal(auth_backend_open(pki_path("two.txt"), NULL, 1000, &b, err, sizeof err), CCS_EINVAL);
    assert_non_null(strstr(err, "two.txt:1:"));
    assert_int_equal(auth_backend_open(pki_path("missing.txt"), NULL, 1000, &b, err, sizeof err), CCS_EINVAL);
    assert_null(b);
}

/* The command: gets the eMAID, the serial and the fingerprint (arguments and environment) and accepts with exit 0;
 * exit 1 or another code rejects; one that does not end within its time is killed and rejects; on the
 * allow-list's side, an eMAID not listed never reaches the command. */
static void test_command(void **state)
{
    (void)state;
    char cmd[512], fp[65];
    uint8_t md[32];
    open_pki(NULL);
    unsigned mdlen;
    assert_int_equal(EVP_Digest(contract.chain[0].der, contract.chain[0].len, md, &mdlen, EVP_sha256(), NULL), 1);
    hex_of(md, 32, fp);
    snprintf(cmd, sizeof cmd,
             "[ \"$1\" = %s ] && [ \"$2\" = %s ] && [ \"$3\" = %s ] && [ \"$CCSPLC_EMAID\" = \"$1\" ] && "
             "[ \"$CCSPLC_CONTRACT_SERIAL\" = \"$2\" ] && [ \"$CCSPLC_CONTRACT_SHA256\" = \"$3\" ] && touch %s",
             EMAID, leaf_serial, fp, pki_path("asked"));
    run_backend(NULL, cmd, 20000);
    assert_normal();
    assert_int_equal(access(pki_path("asked"), F_OK), 0);
    run_backend(NULL, "exit 1", 20000);
    assert_refused("AuthorizationRes", iso2_responseCodeType_FAILED);
    run_backend(NULL, "exit 3", 20000);
    assert_refused("AuthorizationRes", iso2_responseCodeType_FAILED);
    snprintf(cmd, sizeof cmd, "sleep 30; touch %s", pki_path("late"));
    run_backend(NULL, cmd, 200);
    assert_refused("AuthorizationRes", iso2_responseCodeType_FAILED);
    usleep(100 * 1000);
    assert_int_not_equal(access(pki_path("late"), F_OK), 0);   /* killed with its process group */
    write_text(pki_path("deny.txt"), "DEABCC00000001\n");
    snprintf(cmd, sizeof cmd, "touch %s", pki_path("listed"));
    run_backend("deny.txt", cmd, 20000);
    assert_refused("AuthorizationRes", iso2_responseCodeType_FAILED);
    assert_int_not_equal(access(pki_path("listed"), F_OK), 0);
    auth_backend_free(backend);
    backend = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revoked),       cmocka_unit_test(test_not_revoked),
        cmocka_unit_test(test_revoked_files), cmocka_unit_test(test_backend_engine),
        cmocka_unit_test(test_allow_list),    cmocka_unit_test(test_command),
    };
    return cmocka_run_group_tests(tests, setup, pnc_teardown);
}
