/* Shared by fuzz_pnc_chain and fuzz_pnc_sig: a test PKI made in memory (MO root -> Sub-CA -> contract, a CRL of the
 * Sub-CA and a text list revoking other contracts), the charger's real checks on it (src/platform/pnc_openssl.c
 * with the revocation sources, auth_backend.c's allow-list), and one ISO-2 DC session with Plug & Charge between
 * our engines on TLS whose charger is kept just before its PaymentDetailsReq and its first AuthorizationReq, with
 * those requests (the seeds: CCS_FUZZ_SEED_OUT=DIR writes them there and exits). */
#ifndef CCSPLC_FUZZ_PNC_H
#define CCSPLC_FUZZ_PNC_H

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccsplc/core/v2gtp.h"
#include "ccsplc/linux/auth_backend.h"
#include "ccsplc/linux/pnc_openssl.h"
#include "fuzz_pnc_world.h"

/* tests/unit/pki_mem.h's checks are cmocka's; here they are the fuzzer's. */
#define assert_non_null(x) FUZZ_CHECK((x) != NULL)
#define assert_true(x) FUZZ_CHECK(x)
#include "pki_mem.h"

#define FP_EMAID "DEABCC12345678"

typedef struct {
    sess_evse evse;            /* the charger before the request */
    uint8_t req[SESS_TX_CAP];  /* the request as our car sent it (the V2GTP payload) */
    size_t len;
} fp_snap;

static fp_snap fp_details, fp_auth;
static ccs_pnc_contract fp_contract;
static ccs_pnc_checker fp_checker;
static pnc_keys *fp_car, *fp_evse;
static auth_backend *fp_auth_backend;
static sw_world fp_world;

static int fp_hook(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    fp_snap *s = NULL;
    static struct iso2_exiDocument doc;
    if (dir == SW_TO_EVSE && *len > V2GTP_HEADER_LEN &&
        iso2_decode(buf + V2GTP_HEADER_LEN, *len - V2GTP_HEADER_LEN, &doc) == 0) {
        int b = doc.V2G_Message.Body.BodyElement_choice;
        if (b == iso2_BodyType_PaymentDetailsReq) s = &fp_details;
        if (b == iso2_BodyType_AuthorizationReq && !fp_auth.len) s = &fp_auth;
    }
    if (s) {
        s->evse = w->evse;
        s->len = *len - V2GTP_HEADER_LEN;
        memcpy(s->req, buf + V2GTP_HEADER_LEN, s->len);
    }
    return 1;
}

/* The PKI, the hooks on it, the session and its snapshots; the files are gone once loaded (LLVMFuzzerInitialize). */
static void fp_init(void)
{
    pki_dir_make("fuzzpnc");
    EVP_PKEY *k[4];
    X509 *x[3];
    pki_mo_contract(FP_EMAID, 86400L * 365, k, x);
    X509 *root = x[0], *sub = x[1], *leaf = x[2];
    FUZZ_CHECK((k[3] = EVP_EC_gen("P-256")) != NULL);
    X509 *other = pki_cert("DEABCC87654321", k[3], sub, k[1], 0, -60, 86400L * 365, "SHA256");
    X509_CRL *crl = X509_CRL_new();
    X509_CRL_set_version(crl, 1);
    X509_CRL_set_issuer_name(crl, X509_get_subject_name(sub));
    ASN1_TIME *t = ASN1_TIME_adj(NULL, time(NULL), 0, 0);
    X509_CRL_set1_lastUpdate(crl, t);
    X509_REVOKED *r = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(r, X509_get_serialNumber(other));
    X509_REVOKED_set_revocationDate(r, t);
    X509_CRL_add0_revoked(crl, r);
    FUZZ_CHECK(X509_CRL_sign(crl, k[1], EVP_sha256()) > 0);
    FILE *f = fopen(pki_path("crl.pem"), "w");
    FUZZ_CHECK(f && PEM_write_X509_CRL(f, crl) == 1);
    fclose(f);
    f = fopen(pki_path("list.txt"), "w");
    FUZZ_CHECK(f != NULL);
    fputs("serial 0102030405\nemaid DEABCC00000001\nsha256 " 
          "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF\n", f);
    fclose(f);
    f = fopen(pki_path("allow.txt"), "w");
    FUZZ_CHECK(f != NULL);
    fputs(FP_EMAID "\n", f);
    fclose(f);
    ASN1_TIME_free(t);
    X509_CRL_free(crl);
    X509 *all[] = { root, sub, leaf, other };
    for (int i = 0; i < 4; i++) X509_free(all[i]), EVP_PKEY_free(k[i]);
    char err[256];
    FUZZ_CHECK(pnc_contract_open(pki_path("chain.pem"), pki_path("contract.key"), &fp_contract, &fp_car, err,
                                 sizeof err) == 0);
    FUZZ_CHECK(pnc_checker_open(pki_path("mo_root.pem"), &fp_checker, &fp_evse, err, sizeof err) == 0);
    FUZZ_CHECK(pnc_checker_revoked(fp_evse, pki_path("crl.pem"), err, sizeof err) == 0);
    FUZZ_CHECK(pnc_checker_revoked(fp_evse, pki_path("list.txt"), err, sizeof err) == 0);
    FUZZ_CHECK(auth_backend_open(pki_path("allow.txt"), NULL, 1000, &fp_auth_backend, err, sizeof err) == 0);
    auth_backend_attach(fp_auth_backend, &fp_checker);
    FUZZ_CHECK(pki_dir_remove() == 0);

    /* the certificates' validity is wall-clock time */
    fuzz_pnc_session(&fp_world, 1, "iso2-dc", &fp_checker, &fp_contract, fuzz_pnc_rng, (uint64_t)time(NULL), fp_hook,
                     NULL, NULL);
    FUZZ_CHECK(fp_details.len && fp_auth.len && fp_auth.evse.pnc);
    static sess_evse e;   /* each request, delivered again to its snapshot, passes every check */
    const fp_snap *snaps[] = { &fp_details, &fp_auth };
    for (int i = 0; i < 2; i++) {
        e = snaps[i]->evse;
        FUZZ_CHECK(sess_evse_on_message(&e, V2GTP_EXI, snaps[i]->req, snaps[i]->len, e.deadline_ms - 1000) == 0);
        FUZZ_CHECK(e.last_code == iso2_responseCodeType_OK && e.state != snaps[i]->evse.state);
    }
    const char *out = getenv("CCS_FUZZ_SEED_OUT");
    if (out) {
        fuzz_pnc_write_seed(out, "payment-details", 0, fp_details.req, fp_details.len);
        fuzz_pnc_write_seed(out, "authorization", 0, fp_auth.req, fp_auth.len);
        static uint8_t recs[4096];   /* the chain as fuzz_pnc_chain's records: the eMAID, then the DER */
        size_t n = 0;
        const ccs_pnc_cert emaid = { (const uint8_t *)FP_EMAID, sizeof FP_EMAID - 1 };
        for (int i = -1; i < (int)fp_contract.nchain; i++) {
            const ccs_pnc_cert *c = i < 0 ? &emaid : &fp_contract.chain[i];
            FUZZ_CHECK(n + 2 + c->len <= sizeof recs);
            recs[n++] = (uint8_t)(c->len >> 8), recs[n++] = (uint8_t)c->len;
            memcpy(recs + n, c->der, c->len);
            n += c->len;
        }
        fuzz_pnc_write_seed(out, "chain-der", 1, recs, n);
        exit(0);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fp_init();
    return 0;
}

/* One request to the charger kept before it: the invariants of tests/unit/rel_check.h hold after it. */
static void fp_deliver(const fp_snap *s, const uint8_t *payload, size_t len)
{
    static sess_evse e;
    static sess_docs scratch;
    e = s->evse;
    uint32_t now = e.deadline_ms - 1000;
    int rc = sess_evse_on_message(&e, V2GTP_EXI, payload, len, now);
    const char *bad = rel_evse_ok(&e, rc, &scratch);
    if (bad) {
        fprintf(stderr, "%s in state %s\n", bad, sess_evse_state_name(&e));
        abort();
    }
}

#endif
