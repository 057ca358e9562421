/* ISO 15118-2 CertificateInstallation / CertificateUpdate between our charger (as CPS) and car on the session
 * harness, with the OpenSSL hooks (src/platform/pnc_certinst_openssl.c) and certificates made here: a car with only
 * its provisioning certificate installs a contract and pays with it, the next session uses the stored contract,
 * a contract about to expire is updated; both Signatures checked without our code (libcrypto and
 * `openssl dgst -verify` on the exact fragment bytes); the contract key decrypted independently (SP 800-56A's
 * concatenation KDF written out here) and the stored key matching the certificate; refusals with their codes. */
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
#include "ccsplc/core/v2gtp.h"
#include "ccsplc/linux/random.h"
#include "iso2_world.h"
#include "pki_mem.h"
#include "certinst_check.h"
#include "sess_checks.h"

#define EMAID "DEABCC12345678"

static sw_world W;
static struct iso2_exiDocument req_seen, res_seen, edit_doc;

/* V2G root -> CPS Sub-CA -> CPS; OEM root -> OEM Sub-CA -> provisioning (and an expired one); MO root -> MO Sub-CA
 * -> contract (and one expiring in an hour); another root. */
static int setup(void **state)
{
    (void)state;
    pki_dir_make("certinst");
    enum { V2G, CPS_SUB, CPS, OEM, OEM_SUB, PROV, PROV_OLD, MO, MO_SUB, CON, SOON, OTHER, NK };
    EVP_PKEY *k[NK];
    for (int i = 0; i < NK; i++) assert_non_null(k[i] = EVP_EC_gen("P-256"));
    X509 *x[NK];
    x[V2G] = pki_cert("V2G root", k[V2G], NULL, NULL, 1, -60, 86400 * 30, "SHA256");
    x[CPS_SUB] = pki_cert("CPS Sub-CA", k[CPS_SUB], x[V2G], k[V2G], 1, -60, 86400 * 30, "SHA256");
    x[CPS] = pki_cert("CPS", k[CPS], x[CPS_SUB], k[CPS_SUB], 0, -60, 86400 * 30, "SHA256");
    x[OEM] = pki_cert("OEM root", k[OEM], NULL, NULL, 1, -60, 86400 * 30, "SHA256");
    x[OEM_SUB] = pki_cert("OEM Sub-CA", k[OEM_SUB], x[OEM], k[OEM], 1, -60, 86400 * 30, "SHA256");
    x[PROV] = pki_cert("WCCSPLC0000000001", k[PROV], x[OEM_SUB], k[OEM_SUB], 0, -60, 86400 * 30, "SHA256");
    x[PROV_OLD] = pki_cert("WCCSPLC0000000002", k[PROV_OLD], x[OEM_SUB], k[OEM_SUB], 0, -7200, -3600, "SHA256");
    x[MO] = pki_cert("MO root", k[MO], NULL, NULL, 1, -60, 86400 * 30, "SHA256");
    x[MO_SUB] = pki_cert("MO Sub-CA", k[MO_SUB], x[MO], k[MO], 1, -60, 86400 * 30, "SHA256");
    x[CON] = pki_cert(EMAID, k[CON], x[MO_SUB], k[MO_SUB], 0, -60, 86400 * 30, "SHA256");
    x[SOON] = pki_cert(EMAID, k[SOON], x[MO_SUB], k[MO_SUB], 0, -60, 3600, "SHA256");
    x[OTHER] = pki_cert("other root", k[OTHER], NULL, NULL, 1, -60, 86400 * 30, "SHA256");
    pki_write_cert(pki_path("v2g_root.pem"), "w", x[V2G]);
    pki_write_cert(pki_path("cps_chain.pem"), "w", x[CPS]);
    pki_write_cert(pki_path("cps_chain.pem"), "a", x[CPS_SUB]);
    pki_write_key(pki_path("cps.key"), k[CPS]);
    ci_write_pub("cps_pub.pem", k[CPS]);
    pki_write_cert(pki_path("oem_trust.pem"), "w", x[OEM_SUB]);
    pki_write_cert(pki_path("oem_trust.pem"), "a", x[OEM]);
    pki_write_cert(pki_path("prov.pem"), "w", x[PROV]);
    pki_write_key(pki_path("prov.key"), k[PROV]);
    ci_write_pub("prov_pub.pem", k[PROV]);
    pki_write_cert(pki_path("prov_old.pem"), "w", x[PROV_OLD]);
    pki_write_key(pki_path("prov_old.key"), k[PROV_OLD]);
    pki_write_cert(pki_path("mo_root.pem"), "w", x[MO]);
    pki_write_cert(pki_path("contract_chain.pem"), "w", x[CON]);
    pki_write_cert(pki_path("contract_chain.pem"), "a", x[MO_SUB]);
    pki_write_key(pki_path("contract.key"), k[CON]);
    pki_write_cert(pki_path("soon_chain.pem"), "w", x[SOON]);
    pki_write_cert(pki_path("soon_chain.pem"), "a", x[MO_SUB]);
    pki_write_key(pki_path("soon.key"), k[SOON]);
    pki_write_cert(pki_path("other_root.pem"), "w", x[OTHER]);
    for (int i = 0; i < NK; i++) X509_free(x[i]), EVP_PKEY_free(k[i]);
    return 0;
}

static void copy_file(const char *from, const char *to)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", pki_path(from), pki_path(to));
    assert_int_equal(system(cmd), 0);
}

static void configs(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)c, (void)b;
    e->pnc = &checker;
    e->cps = &cps;
    e->rng = ccs_random_getrandom;
    e->clock_unix_s = p->clock_unix_s = (uint64_t)time(NULL);   /* the certificates' validity is wall-clock time */
    p->pnc = &contract;
    p->install = &installer;
}

/* What the hook changes: the request's SignatureValue, the response's, or the response's encrypted key; the
 * car's ServiceDetailReq asks for the certificate service. */
enum { E_NONE, E_REQ_SIG, E_RES_SIG, E_RES_KEY, E_DETAIL };
static struct iso2_ServiceDetailResType detail_seen;
static struct iso2_PaymentServiceSelectionReqType pss_seen;
static int edit;

static int is_ci(int m, int req)
{
    return req ? m == iso2_BodyType_CertificateInstallationReq || m == iso2_BodyType_CertificateUpdateReq
               : m == iso2_BodyType_CertificateInstallationRes || m == iso2_BodyType_CertificateUpdateRes;
}

static int hook(sw_world *w, int dir_, uint8_t *buf, size_t *len)
{
    (void)w;
    if (!iw_decode(buf, *len, &edit_doc)) return 1;
    struct iso2_BodyType *b = &edit_doc.V2G_Message.Body;
    struct iso2_SignatureType *sg = &edit_doc.V2G_Message.Header.Signature;
    if (edit == E_DETAIL && dir_ == SW_TO_EVSE && b->BodyElement_choice == iso2_BodyType_ServiceDetailReq) {
        b->ServiceDetailReq.ServiceID = 2;
    } else if (dir_ == SW_TO_EVSE && b->BodyElement_choice == iso2_BodyType_PaymentServiceSelectionReq) {
        pss_seen = b->PaymentServiceSelectionReq;
        return 1;
    } else if (dir_ == SW_TO_PEV && b->BodyElement_choice == iso2_BodyType_ServiceDetailRes) {
        detail_seen = b->ServiceDetailRes;
        return 1;
    } else if (dir_ == SW_TO_EVSE && is_ci(b->BodyElement_choice, 1)) {
        req_seen = edit_doc;
        if (edit != E_REQ_SIG) return 1;
        sg->SignatureValue.CONTENT.bytes[7] ^= 0x01;
    } else if (dir_ == SW_TO_PEV && is_ci(b->BodyElement_choice, 0)) {
        res_seen = edit_doc;
        if (edit == E_RES_SIG) sg->SignatureValue.CONTENT.bytes[3] ^= 0x10;
        else if (edit == E_RES_KEY) b->CertificateInstallationRes.ContractSignatureEncryptedPrivateKey.CONTENT.bytes[20] ^= 1;
        else return 1;
    } else {
        return 1;
    }
    assert_int_equal(iw_encode(&edit_doc, buf, len), 0);
    return 1;
}

static int done(const sw_world *w) { return sw_both_ended(w); }

static void run(int how)
{
    edit = how;
    memset(&req_seen, 0, sizeof req_seen);
    memset(&res_seen, 0, sizeof res_seen);
    iw_setup(&W, 0, configs);
    W.evse.tls = 1;
    W.hook = hook;
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    sc_plant_safe(&W.plant, 1);
}

static void write_file(const char *name, const uint8_t *b, size_t n)
{
    FILE *f = fopen(pki_path(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

/* SignedInfo's fragment bytes verified with `openssl dgst -sha256 -verify PUB` (r || s as DER), and refused when a
 * byte changes. */
static void openssl_verify(const struct iso2_SignatureType *sg, const char *pub)
{
    static struct iso2_xmldsigFragment dsig;
    static uint8_t sb[2048];
    size_t sn;
    dsig.root = ISO2_DSIG_SignedInfo;
    dsig.SignedInfo = sg->SignedInfo;
    assert_int_equal(iso2_encode_xmldsig_fragment(&dsig, sb, sizeof sb, &sn), 0);
    assert_int_equal(sg->SignatureValue.CONTENT.len, 64);
    ECDSA_SIG *s = ECDSA_SIG_new();
    const uint8_t *rs = sg->SignatureValue.CONTENT.bytes;
    assert_int_equal(ECDSA_SIG_set0(s, BN_bin2bn(rs, 32, NULL), BN_bin2bn(rs + 32, 32, NULL)), 1);
    uint8_t *der = NULL;
    int dn = i2d_ECDSA_SIG(s, &der);
    ECDSA_SIG_free(s);
    assert_true(dn > 0);
    write_file("si.exi", sb, sn);
    write_file("si.sig", der, (size_t)dn);
    OPENSSL_free(der);
    if (system("command -v openssl >/dev/null") != 0) return;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "openssl dgst -sha256 -verify '%s' -signature '%s' '%s' >/dev/null", pki_path(pub),
             pki_path("si.sig"), pki_path("si.exi"));
    assert_int_equal(system(cmd), 0);
    sb[sn / 2] ^= 1;
    write_file("si.exi", sb, sn);
    assert_int_not_equal(system(cmd), 0);
}

static struct iso2_exiFragment F;   /* the element whose digest is checked */

static struct iso2_exiFragment *frag(uint16_t root)
{
    memset(&F, 0, sizeof F);
    F.root = root;
    return &F;
}

/* A Reference of sg names `id` and carries libcrypto's SHA-256 of F's fragment. */
static void digest_of(const struct iso2_SignatureType *sg, const char *id)
{
    static uint8_t fb[6000];
    size_t fn;
    uint8_t md[32];
    unsigned mdlen = 0;
    assert_int_equal(iso2_encode_fragment(&F, fb, sizeof fb, &fn), 0);
    assert_int_equal(EVP_Digest(fb, fn, md, &mdlen, EVP_sha256(), NULL), 1);
    char uri[80];
    snprintf(uri, sizeof uri, "#%s", id);
    for (unsigned i = 0; i < sg->SignedInfo.Reference.count; i++)
        if (!strcmp(sg->SignedInfo.Reference.array[i].URI.chars, uri)) {
            assert_memory_equal(sg->SignedInfo.Reference.array[i].DigestValue.bytes, md, 32);
            return;
        }
    fail_msg("no Reference to %s", uri);
}

/* Both Signatures (request by the provisioning key; response's four elements by the CPS key), checked here. */
static void check_signatures(void)
{
    const struct iso2_CertificateInstallationReqType *q = &req_seen.V2G_Message.Body.CertificateInstallationReq;
    const struct iso2_CertificateInstallationResType *r = &res_seen.V2G_Message.Body.CertificateInstallationRes;
    assert_true(req_seen.V2G_Message.Header.has_Signature && res_seen.V2G_Message.Header.has_Signature);
    frag(ISO2_FRAG_CertificateInstallationReq)->CertificateInstallationReq = *q;
    digest_of(&req_seen.V2G_Message.Header.Signature, q->Id.chars);
    openssl_verify(&req_seen.V2G_Message.Header.Signature, "prov_pub.pem");
    const struct iso2_SignatureType *sg = &res_seen.V2G_Message.Header.Signature;
    assert_int_equal(sg->SignedInfo.Reference.count, 4);
    frag(ISO2_FRAG_ContractSignatureCertChain)->ContractSignatureCertChain = r->ContractSignatureCertChain;
    digest_of(sg, r->ContractSignatureCertChain.Id.chars);
    frag(ISO2_FRAG_ContractSignatureEncryptedPrivateKey)->ContractSignatureEncryptedPrivateKey =
        r->ContractSignatureEncryptedPrivateKey;
    digest_of(sg, r->ContractSignatureEncryptedPrivateKey.Id.chars);
    frag(ISO2_FRAG_DHpublickey)->DHpublickey = r->DHpublickey;
    digest_of(sg, r->DHpublickey.Id.chars);
    struct iso2_eMAIDFragmentType *e = &frag(ISO2_FRAG_eMAID)->eMAID;
    e->has_Id = e->has_CONTENT = true;
    memcpy(&e->Id, &r->eMAID.Id, sizeof e->Id);
    e->CONTENT.len = r->eMAID.CONTENT.len;
    memcpy(e->CONTENT.chars, r->eMAID.CONTENT.chars, r->eMAID.CONTENT.len);
    digest_of(sg, r->eMAID.Id.chars);
    openssl_verify(sg, "cps_pub.pem");
    assert_string_equal(r->eMAID.CONTENT.chars, EMAID);
}

/* The key the response carries, opened here: ECDH(the car's key, DHpublickey), SP 800-56A's concatenation KDF as
 * its definition reads (SHA-256(counter 00000001 || Z || OtherInfo 01 55 56), the first 16 bytes), AES-128-CBC
 * with the first 16 bytes as IV: the contract key's private value. */
static void check_decrypts(const char *car_key, const char *contract_key)
{
    const struct iso2_CertificateInstallationResType *r = &res_seen.V2G_Message.Body.CertificateInstallationRes;
    assert_int_equal(r->ContractSignatureEncryptedPrivateKey.CONTENT.len, 48);
    assert_int_equal(r->DHpublickey.CONTENT.len, 65);
    uint8_t md[16], d[48], want[32];
    ci_session_key(car_key, "prime256v1", r->DHpublickey.CONTENT.bytes, 65, CCS_PNC_P256_SHA256, md);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    const uint8_t *enc = r->ContractSignatureEncryptedPrivateKey.CONTENT.bytes;
    int n = 0, m = 0;
    assert_int_equal(EVP_DecryptInit_ex(c, EVP_aes_128_cbc(), NULL, md, enc), 1);
    EVP_CIPHER_CTX_set_padding(c, 0);
    assert_int_equal(EVP_DecryptUpdate(c, d, &n, enc + 16, 32), 1);
    assert_int_equal(EVP_DecryptFinal_ex(c, d + n, &m), 1);
    assert_int_equal(n + m, 32);
    EVP_CIPHER_CTX_free(c);
    ci_private_value(contract_key, want, 32);
    assert_memory_equal(d, want, 32);
}

/* No contract: CertificateInstallation, then PaymentDetails and a signed Authorization with the installed one; the
 * next session (the car opened again from its files) pays with it without installing. */
static void test_install_then_pay(void **state)
{
    (void)state;
    ci_no_car_contract();
    ci_open_charger("cps_chain.pem", "cps.key", "oem_trust.pem", "mo_root.pem", 1);
    ci_open_car("prov.pem", "prov.key", "v2g_root.pem");
    assert_int_equal(contract.nchain, 0);
    run(E_NONE);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(sw_count(&W, "CertificateInstallationReq"), 1);
    assert_int_equal(sw_count(&W, "PaymentDetailsReq"), 1);
    assert_true(W.evse.pnc && W.evse.pnc_signed && sw_count(&W, "CurrentDemandReq") > 0);
    assert_int_equal(contract.nchain, 2);
    assert_string_equal(contract.emaid, EMAID);
    /* Contract payment, the charge service and the certificate service's Installation (Table 105) */
    assert_int_equal(pss_seen.SelectedPaymentOption, iso2_paymentOptionType_Contract);
    assert_int_equal(pss_seen.SelectedServiceList.SelectedService.count, 2);
    assert_int_equal(pss_seen.SelectedServiceList.SelectedService.array[1].ServiceID, 2);
    assert_int_equal(pss_seen.SelectedServiceList.SelectedService.array[1].ParameterSetID, 1);
    check_signatures();
    check_decrypts("prov.key", "contract.key");
    ci_check_stored();
    const struct iso2_ListOfRootCertificateIDsType *l =
        &req_seen.V2G_Message.Body.CertificateInstallationReq.ListOfRootCertificateIDs;
    assert_int_equal(l->RootCertificateID.count, 1);
    assert_string_equal(l->RootCertificateID.array[0].X509IssuerName.chars, "CN=V2G root");

    ci_open_car("prov.pem", "prov.key", "v2g_root.pem");
    assert_int_equal(contract.nchain, 2);
    run(E_NONE);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(sw_count(&W, "CertificateInstallationReq"), 0);
    assert_int_equal(sw_count(&W, "PaymentDetailsReq"), 1);
    assert_true(W.evse.pnc_signed);
}

/* A contract expiring within the car's renewal time: CertificateUpdate (signed with it, the new key encrypted for
 * it), then PaymentDetails with the new one. */
static void test_update(void **state)
{
    (void)state;
    copy_file("soon_chain.pem", "car_contract.pem");
    copy_file("soon.key", "car_contract.key");
    ci_open_charger("cps_chain.pem", "cps.key", "oem_trust.pem", "mo_root.pem", 1);
    ci_open_car("prov.pem", "prov.key", "v2g_root.pem");
    assert_int_equal(installer.need(installer.ctx, (uint64_t)time(NULL)), CCS_PNC_NEED_UPDATE);
    EVP_PKEY *old = ci_read_key("car_contract.key");
    FILE *f = fopen(pki_path("soon_copy.key"), "w");
    PEM_write_PrivateKey(f, old, NULL, NULL, 0, NULL, NULL);
    fclose(f);
    EVP_PKEY_free(old);
    run(E_NONE);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(sw_count(&W, "CertificateUpdateReq"), 1);
    assert_int_equal(pss_seen.SelectedServiceList.SelectedService.array[1].ParameterSetID, 2);
    assert_int_equal(sw_count(&W, "PaymentDetailsReq"), 1);
    assert_true(W.evse.pnc_signed);
    check_decrypts("soon_copy.key", "contract.key");
    ci_check_stored();
    assert_int_equal(installer.need(installer.ctx, (uint64_t)time(NULL)), CCS_PNC_NEED_NONE);
}

/* The charger refuses: the code, both sides FAILED and safe, no PaymentDetails. */
static void assert_refused(const char *res, int code)
{
    assert_string_equal(W.log[W.nlog - 1], res);
    assert_int_equal(W.evse.last_code, code);
    assert_int_equal(W.evse.stop, SESS_STOP_FAILED);
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    assert_int_equal(sw_count(&W, "PaymentDetailsReq"), 0);
    assert_int_equal(access(pki_path("car_contract.pem"), F_OK), -1);   /* nothing stored */
}

static void test_install_refused(void **state)
{
    (void)state;
    static const struct {
        const char *oem, *prov, *prov_key;
        int contract, edit, code;
    } cases[] = {
        { "other_root.pem", "prov.pem", "prov.key", 1, E_NONE, iso2_responseCodeType_FAILED_CertChainError },
        { "oem_trust.pem", "prov_old.pem", "prov_old.key", 1, E_NONE, iso2_responseCodeType_FAILED_CertificateExpired },
        { "oem_trust.pem", "prov.pem", "prov.key", 1, E_REQ_SIG, iso2_responseCodeType_FAILED_SignatureError },
        { "oem_trust.pem", "prov.pem", "prov.key", 0, E_NONE, iso2_responseCodeType_FAILED_NoCertificateAvailable },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ci_no_car_contract();
        ci_open_charger("cps_chain.pem", "cps.key", cases[i].oem, "mo_root.pem", cases[i].contract);
        ci_open_car(cases[i].prov, cases[i].prov_key, "v2g_root.pem");
        run(cases[i].edit);
        assert_refused("CertificateInstallationRes", cases[i].code);
    }
    /* an update of a contract from another MO root */
    copy_file("soon_chain.pem", "car_contract.pem");
    copy_file("soon.key", "car_contract.key");
    ci_open_charger("cps_chain.pem", "cps.key", "oem_trust.pem", "other_root.pem", 1);
    ci_open_car("prov.pem", "prov.key", "v2g_root.pem");
    run(E_NONE);
    assert_string_equal(W.log[W.nlog - 1], "CertificateUpdateRes");
    assert_int_equal(W.evse.last_code, iso2_responseCodeType_FAILED_CertChainError);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    assert_int_equal(W.evse.phase, SESS_SAFE);
}

/* The car refuses a response whose Signature or encrypted key changed, or whose CPS chain reaches none of its
 * roots: safe, nothing stored, no PaymentDetails (the charger then sees the car leave). */
static void test_car_refuses(void **state)
{
    (void)state;
    static const struct {
        const char *roots;
        int edit;
    } cases[] = { { "v2g_root.pem", E_RES_SIG }, { "v2g_root.pem", E_RES_KEY }, { "other_root.pem", E_NONE } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ci_no_car_contract();
        ci_open_charger("cps_chain.pem", "cps.key", "oem_trust.pem", "mo_root.pem", 1);
        ci_open_car("prov.pem", "prov.key", cases[i].roots);
        run(cases[i].edit);
        assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
        assert_int_equal(W.pev.phase, SESS_SAFE);
        assert_true(W.pev.out.safe);
        assert_int_equal(sw_count(&W, "CertificateInstallationRes"), 1);
        assert_int_equal(sw_count(&W, "PaymentDetailsReq"), 0);
        assert_int_equal(access(pki_path("car_contract.pem"), F_OK), -1);
        assert_true(W.evse.phase == SESS_SAFE || W.evse.phase == SESS_DONE);
    }
}

/* Without the certificate service a car with no contract pays externally. */
static void test_no_service(void **state)
{
    (void)state;
    ci_no_car_contract();
    ci_open_charger("cps_chain.pem", "cps.key", "oem_trust.pem", "mo_root.pem", 1);
    ci_open_car("prov.pem", "prov.key", "v2g_root.pem");
    edit = E_NONE;
    iw_setup(&W, 0, configs);
    W.evse.cfg.cps = NULL;
    W.evse.tls = 1;
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_false(W.pev.pnc);
    assert_int_equal(sw_count(&W, "CertificateInstallationReq"), 0);
    /* the CPS makes no contract for a car key that is not a point */
    ccs_pnc_new_contract nc;
    uint8_t peer[65] = { 0x04 };
    memset(&nc, 0, sizeof nc);
    assert_int_equal(cps.make(cps.ctx, peer, NULL, &nc), CCS_EIO);
}

/* ServiceDetail of ServiceID 2 (ISO 15118-2 Table 105): Installation and Update with a CPS; without one the
 * service was not offered: FAILED_ServiceIDInvalid. */
static void test_service_detail(void **state)
{
    (void)state;
    ci_no_car_contract();
    ci_open_charger("cps_chain.pem", "cps.key", "oem_trust.pem", "mo_root.pem", 1);
    ci_open_car("prov.pem", "prov.key", "v2g_root.pem");
    for (int cps_on = 1; cps_on >= 0; cps_on--) {
        edit = E_DETAIL;
        memset(&detail_seen, 0, sizeof detail_seen);
        iw_setup(&W, 0, configs);
        W.pev.cfg.service_detail = 1;
        if (!cps_on) W.evse.cfg.cps = NULL;
        W.evse.tls = 1;
        W.hook = hook;
        sw_connect(&W);
        assert_true(sw_run(&W, 30 * 60 * 1000, done));
        assert_int_equal(detail_seen.ServiceID, 2);
        if (!cps_on) {
            assert_int_equal(detail_seen.ResponseCode, iso2_responseCodeType_FAILED_ServiceIDInvalid);
            break;
        }
        assert_int_equal(detail_seen.ResponseCode, iso2_responseCodeType_OK);
        const struct iso2_ServiceParameterListType *l = &detail_seen.ServiceParameterList;
        assert_int_equal(l->ParameterSet.count, 2);
        assert_int_equal(l->ParameterSet.array[0].ParameterSetID, 1);
        assert_string_equal(l->ParameterSet.array[0].Parameter.array[0].Name.chars, "Service");
        assert_string_equal(l->ParameterSet.array[0].Parameter.array[0].stringValue.chars, "Installation");
        assert_int_equal(l->ParameterSet.array[1].ParameterSetID, 2);
        assert_string_equal(l->ParameterSet.array[1].Parameter.array[0].stringValue.chars, "Update");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install_then_pay), cmocka_unit_test(test_update),
        cmocka_unit_test(test_install_refused), cmocka_unit_test(test_car_refuses),
        cmocka_unit_test(test_no_service), cmocka_unit_test(test_service_detail),
    };
    return cmocka_run_group_tests(tests, setup, ci_teardown);
}
