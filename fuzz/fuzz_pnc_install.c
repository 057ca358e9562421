/* libFuzzer target: ISO 15118-20 CertificateInstallation on OpenSSL (src/platform/pnc_certinst_openssl.c,
 * pnc_keywrap_openssl.c) with a secp521r1 test PKI made in memory (V2G root -> CPS, OEM root -> provisioning, MO
 * root -> Sub-CA -> contract) and one ISO-20 DC session between our engines in which the car installs its contract;
 * the charger is kept just before the CertificateInstallationReq, the car just before the CertificateInstallationRes.
 * Byte 0 even: the rest is a CertificateInstallationReq (EXI) to that charger (the provisioning chain inside reaches
 * X509_verify_cert, its Signature the fragment codecs and ECDSA, a good one the CPS's encryption and signature);
 * odd: a CertificateInstallationRes to that car (the CPS chain, the Signature over SignedInstallationData; the PKI's
 * files are gone, so even the real response ends in a refused install). After each message the invariants of
 * rel_check.h. CCS_FUZZ_SEED_OUT=DIR writes the two messages (the seeds) there and exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccsplc/core/v2gtp.h"
#include "ccsplc/linux/pnc_certinst_openssl.h"
#include "fuzz_pnc_world.h"

/* tests/unit/pki_mem.h's checks are cmocka's; here they are the fuzzer's. */
#define assert_non_null(x) FUZZ_CHECK((x) != NULL)
#define assert_true(x) FUZZ_CHECK(x)
#include "pki_mem.h"

static sess_evse evse_snap;
static sess_pev pev_snap;
static uint8_t req[SESS_TX_CAP], res[SESS_TX_CAP];
static size_t req_len, res_len;
static ccs_pnc_contract contract;
static ccs_pnc_checker checker;
static ccs_pnc_cps cps;
static ccs_pnc_installer installer;
static pnc_keys *car_keys, *evse_keys;
static pnc_ci *car_ci, *cps_ci;
static sw_world world;

static int hook(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    static struct iso20_exiDocument doc;
    if (*len <= V2GTP_HEADER_LEN || iso20_decode(buf + V2GTP_HEADER_LEN, *len - V2GTP_HEADER_LEN, &doc)) return 1;
    size_t n = *len - V2GTP_HEADER_LEN;
    if (dir == SW_TO_EVSE && doc.root == ISO20_ROOT_CertificateInstallationReq && !req_len) {
        evse_snap = w->evse;
        memcpy(req, buf + V2GTP_HEADER_LEN, req_len = n);
    } else if (dir == SW_TO_PEV && doc.root == ISO20_ROOT_CertificateInstallationRes && !res_len) {
        pev_snap = w->pev;
        memcpy(res, buf + V2GTP_HEADER_LEN, res_len = n);
    }
    return 1;
}

/* The PKI's files (gone once loaded and the session has installed), the hooks on them, the session. */
static void init(void)
{
    pki_dir_make("fuzzci20");
    enum { V2G, CPS, OEM, PROV, MO, SUB, CON, NK };
    EVP_PKEY *k[NK];
    X509 *x[NK];
    long d = 86400L * 365;
    for (int i = 0; i < NK; i++) FUZZ_CHECK((k[i] = EVP_EC_gen("P-521")) != NULL);
    x[V2G] = pki_cert("V2G root", k[V2G], NULL, NULL, 1, -60, d, "SHA512");
    x[CPS] = pki_cert("CPS", k[CPS], x[V2G], k[V2G], 0, -60, d, "SHA512");
    x[OEM] = pki_cert("OEM root", k[OEM], NULL, NULL, 1, -60, d, "SHA512");
    x[PROV] = pki_cert("WCCSPLC00000000001", k[PROV], x[OEM], k[OEM], 0, -60, d, "SHA512");
    x[MO] = pki_cert("MO root", k[MO], NULL, NULL, 1, -60, d, "SHA512");
    x[SUB] = pki_cert("MO Sub-CA", k[SUB], x[MO], k[MO], 1, -60, d, "SHA512");
    x[CON] = pki_cert("DEABCC12345678", k[CON], x[SUB], k[SUB], 0, -60, d, "SHA512");
    static const struct { const char *name; int cert, more; } files[] = {
        { "v2g_root.pem", V2G, -1 }, { "cps.pem", CPS, -1 }, { "oem_root.pem", OEM, -1 }, { "prov.pem", PROV, -1 },
        { "mo_root.pem", MO, -1 }, { "contract.pem", CON, SUB },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        pki_write_cert(pki_path(files[i].name), "w", x[files[i].cert]);
        if (files[i].more >= 0) pki_write_cert(pki_path(files[i].name), "a", x[files[i].more]);
    }
    pki_write_key(pki_path("cps.key"), k[CPS]);
    pki_write_key(pki_path("prov.key"), k[PROV]);
    pki_write_key(pki_path("contract.key"), k[CON]);
    for (int i = 0; i < NK; i++) X509_free(x[i]), EVP_PKEY_free(k[i]);
    char err[256];
    pnc_ci_cps_files cf = { pki_path("cps.pem"), pki_path("cps.key"), pki_path("oem_root.pem"),
                            pki_path("contract.pem"), pki_path("contract.key") };
    FUZZ_CHECK(pnc_ci_cps_open(&cf, &cps, &cps_ci, err, sizeof err) == 0);
    FUZZ_CHECK(pnc_checker_open(pki_path("mo_root.pem"), &checker, &evse_keys, err, sizeof err) == 0);
    pnc_ci_car_files pf = { pki_path("prov.pem"), pki_path("prov.key"), pki_path("v2g_root.pem"),
                            pki_path("car.pem"), pki_path("car.key"), 86400 };
    FUZZ_CHECK(pnc_ci_car_open(&pf, &contract, &car_keys, &installer, &car_ci, err, sizeof err) == 0);
    /* the certificates' validity is wall-clock time; the car installs, then identifies by PnC */
    fuzz_pnc_session(&world, 3, "iso20-dc", &checker, &contract, fuzz_pnc_rng, (uint64_t)time(NULL), hook, &cps,
                     &installer);
    FUZZ_CHECK(req_len && res_len && world.pev.pnc && contract.nchain == 2);
    /* each message, delivered again to its snapshot, passes every check: OK and the next state (the car installs
     * the contract again while the files are there) */
    static sess_evse e;
    static sess_pev p;
    e = evse_snap;
    FUZZ_CHECK(sess_evse_on_message(&e, V2GTP_ISO20_MAIN, req, req_len, e.deadline_ms - 1000) == 0);
    FUZZ_CHECK(e.last_code == iso20_responseCodeType_OK && e.phase != SESS_SAFE);
    p = pev_snap;
    FUZZ_CHECK(sess_pev_on_message(&p, V2GTP_ISO20_MAIN, res, res_len, p.deadline_ms - 1000) == 0);
    FUZZ_CHECK(p.state != pev_snap.state && p.phase != SESS_SAFE);
    FUZZ_CHECK(pki_dir_remove() == 0);
    const char *out = getenv("CCS_FUZZ_SEED_OUT");
    if (out) {
        fuzz_pnc_write_seed(out, "cert-install-req", 0, req, req_len);
        fuzz_pnc_write_seed(out, "cert-install-res", 1, res, res_len);
        exit(0);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sess_evse e;
    static sess_pev p;
    static sess_docs scratch;
    if (size < 1) return 0;
    const char *bad;
    int rc;
    if (!(data[0] & 1)) {
        e = evse_snap;
        rc = sess_evse_on_message(&e, V2GTP_ISO20_MAIN, data + 1, size - 1, e.deadline_ms - 1000);
        bad = rel_evse_ok(&e, rc, &scratch);
    } else {
        p = pev_snap;
        rc = sess_pev_on_message(&p, V2GTP_ISO20_MAIN, data + 1, size - 1, p.deadline_ms - 1000);
        bad = rel_pev_ok(&p, rc, &scratch);
    }
    if (bad) {
        fprintf(stderr, "%s\n", bad);
        abort();
    }
    return 0;
}
