/* ISO 15118-20 CertificateInstallation between our charger (as CPS) and car on the session harness, with the
 * OpenSSL hooks and a secp521r1 PKI made here: a car with only its provisioning certificate installs a contract
 * after AuthorizationSetup and identifies by PnC with it, the next session uses the stored contract; both
 * Signatures checked without our code (libcrypto's SHA-512 of each fragment, `openssl dgst -sha512 -verify` on the
 * exact SignedInfo bytes); the contract key decrypted here (ECDH, the concatenation KDF written out, AES-256-GCM
 * with the PCID and SKI as associated data) and the stored key matching the certificate; refusals with ISO
 * 15118-20's codes and both sides safe, nothing stored. */
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

#include "ccsplc/core/v2gtp.h"
#include "ccsplc/linux/random.h"
#include "iso20_ac_world.h"
#include "pki_mem.h"
#include "certinst_check.h"
#include "sess_checks.h"

#define PCID "WCCSPLC00000000001"   /* the provisioning certificate's CN: 18 capitals and digits */

static sw_world W;
static struct iso20_exiDocument req_seen, res_seen, setup_seen, auth_seen;

/* secp521r1 / SHA-512: V2G root -> CPS Sub-CA -> CPS; OEM root -> OEM Sub-CA -> provisioning (and an expired
 * one); MO root -> Sub-CA -> contract; a P-256 CPS (ISO 15118-2's suite); another root. */
static int setup(void **state)
{
    (void)state;
    pki_dir_make("certinst20");
    enum { V2G, CPS_SUB, CPS, OEM, OEM_SUB, PROV, PROV_OLD, MO, MO_SUB, CON, OTHER, CPS256, NK };
    EVP_PKEY *k[NK];
    for (int i = 0; i < NK; i++) assert_non_null(k[i] = EVP_EC_gen(i == CPS256 ? "P-256" : "P-521"));
    X509 *x[NK];
    long d = 86400 * 30;
    x[V2G] = pki_cert("V2G root", k[V2G], NULL, NULL, 1, -60, d, "SHA512");
    x[CPS_SUB] = pki_cert("CPS Sub-CA", k[CPS_SUB], x[V2G], k[V2G], 1, -60, d, "SHA512");
    x[CPS] = pki_cert("CPS", k[CPS], x[CPS_SUB], k[CPS_SUB], 0, -60, d, "SHA512");
    x[CPS256] = pki_cert("CPS P-256", k[CPS256], x[CPS_SUB], k[CPS_SUB], 0, -60, d, "SHA512");
    x[OEM] = pki_cert("OEM root", k[OEM], NULL, NULL, 1, -60, d, "SHA512");
    x[OEM_SUB] = pki_cert("OEM Sub-CA", k[OEM_SUB], x[OEM], k[OEM], 1, -60, d, "SHA512");
    x[PROV] = pki_cert(PCID, k[PROV], x[OEM_SUB], k[OEM_SUB], 0, -60, d, "SHA512");
    x[PROV_OLD] = pki_cert("WCCSPLC00000000002", k[PROV_OLD], x[OEM_SUB], k[OEM_SUB], 0, -7200, -3600, "SHA512");
    x[MO] = pki_cert("MO root", k[MO], NULL, NULL, 1, -60, d, "SHA512");
    x[MO_SUB] = pki_cert("MO Sub-CA", k[MO_SUB], x[MO], k[MO], 1, -60, d, "SHA512");
    x[CON] = pki_cert("DEABCC12345678", k[CON], x[MO_SUB], k[MO_SUB], 0, -60, d, "SHA512");
    x[OTHER] = pki_cert("other root", k[OTHER], NULL, NULL, 1, -60, d, "SHA512");
    pki_write_cert(pki_path("v2g_root.pem"), "w", x[V2G]);
    pki_write_cert(pki_path("cps_chain.pem"), "w", x[CPS]);
    pki_write_cert(pki_path("cps_chain.pem"), "a", x[CPS_SUB]);
    pki_write_key(pki_path("cps.key"), k[CPS]);
    ci_write_pub("cps_pub.pem", k[CPS]);
    pki_write_cert(pki_path("cps256_chain.pem"), "w", x[CPS256]);
    pki_write_key(pki_path("cps256.key"), k[CPS256]);
    pki_write_cert(pki_path("oem_root.pem"), "w", x[OEM]);
    const char *provs[] = { "prov.pem", "prov_old.pem" };
    for (int i = 0; i < 2; i++) {
        pki_write_cert(pki_path(provs[i]), "w", x[i ? PROV_OLD : PROV]);
        pki_write_cert(pki_path(provs[i]), "a", x[OEM_SUB]);   /* the chain: ISO-20 sends the Sub-CA too */
    }
    pki_write_key(pki_path("prov.key"), k[PROV]);
    ci_write_pub("prov_pub.pem", k[PROV]);
    pki_write_key(pki_path("prov_old.key"), k[PROV_OLD]);
    pki_write_cert(pki_path("mo_root.pem"), "w", x[MO]);
    pki_write_cert(pki_path("contract_chain.pem"), "w", x[CON]);
    pki_write_cert(pki_path("contract_chain.pem"), "a", x[MO_SUB]);
    pki_write_cert(pki_path("contract.pem"), "w", x[CON]);
    pki_write_key(pki_path("contract.key"), k[CON]);
    pki_write_cert(pki_path("other_root.pem"), "w", x[OTHER]);
    for (int i = 0; i < NK; i++) X509_free(x[i]), EVP_PKEY_free(k[i]);
    return 0;
}

/* The car's hooks, of ISO 15118-20's suite. */
static void car20(const char *prov, const char *prov_key, const char *roots)
{
    ci_open_car(prov, prov_key, roots);
    assert_int_equal(installer.suite, CCS_PNC_P521_SHA512);
}

static void configs(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    aw_dc_car(e, p, c, b);
    e->pnc = &checker;
    e->cps = &cps;
    e->rng = ccs_random_getrandom;
    e->clock_unix_s = p->clock_unix_s = (uint64_t)time(NULL);   /* the certificates' validity is wall-clock time */
    p->pnc = &contract;
    p->install = &installer;
}

/* What the hook changes: the request's SignatureValue, the response's, its encrypted key. */
enum { E_NONE, E_REQ_SIG, E_RES_SIG, E_RES_KEY };
static int edit;

static int hook(sw_world *w, int dir_, uint8_t *buf, size_t *len)
{
    static struct sess_iso20_doc ed;
    (void)w;
    if (aw_msg_of(buf, *len, &ed) < 0 || ed.payload_type != V2GTP_ISO20_MAIN) return 1;
    struct iso20_exiDocument *x = &ed.common;
    if (x->root == ISO20_ROOT_AuthorizationSetupRes) setup_seen = *x;
    if (x->root == ISO20_ROOT_AuthorizationReq) auth_seen = *x;
    if (dir_ == SW_TO_EVSE && x->root == ISO20_ROOT_CertificateInstallationReq) {
        req_seen = *x;
        if (edit != E_REQ_SIG) return 1;
        x->CertificateInstallationReq.Header.Signature.SignatureValue.CONTENT.bytes[7] ^= 0x01;
    } else if (dir_ == SW_TO_PEV && x->root == ISO20_ROOT_CertificateInstallationRes) {
        res_seen = *x;
        struct iso20_CertificateInstallationResType *r = &x->CertificateInstallationRes;
        if (edit == E_RES_SIG) r->Header.Signature.SignatureValue.CONTENT.bytes[3] ^= 0x10;
        else if (edit == E_RES_KEY) r->SignedInstallationData.SECP521_EncryptedPrivateKey.bytes[20] ^= 1;
        else return 1;
    } else {
        return 1;
    }
    assert_int_equal(aw_encode(&ed, buf, len), 0);
    return 1;
}

static int done(const sw_world *w) { return sw_both_ended(w); }

static void run(int tls, int how)
{
    edit = how;
    memset(&req_seen, 0, sizeof req_seen);
    memset(&res_seen, 0, sizeof res_seen);
    memset(&auth_seen, 0, sizeof auth_seen);
    aw_setup(&W, 3, configs);
    W.evse.tls = (uint8_t)tls;
    W.hook = hook;
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    sc_plant_safe(&W.plant, 1);
}

/* The Signature sg over the fragment of element frag (Id id): ISO 15118-20's URIs, the DigestValue libcrypto's
 * SHA-512 of the fragment, the SignatureValue pub's over SignedInfo's fragment (libcrypto, openssl dgst). */
static void check_signed(const struct iso20_SignatureType *sg, const struct iso20_exiFragment *frag, const char *id,
                         const char *pub)
{
    static struct iso20_xmldsigFragment dsig;
    static uint8_t fb[8192];
    uint8_t sb[1024];
    size_t fn, sn;
    PNC_CHECK_SIGNED_INFO(&sg->SignedInfo, id, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
                          "http://www.w3.org/2001/04/xmlenc#sha512");
    assert_int_equal(iso20_encode_fragment(frag, fb, sizeof fb, &fn), 0);
    const struct iso20_ReferenceType *r = &sg->SignedInfo.Reference.array[0];
    pnc_check_digest(fb, fn, "sha512", r->DigestValue.bytes, r->DigestValue.len);
    dsig.root = ISO20_DSIG_SignedInfo;
    dsig.SignedInfo = sg->SignedInfo;
    assert_int_equal(iso20_encode_xmldsig_fragment(&dsig, sb, sizeof sb, &sn), 0);
    assert_int_equal(sg->SignatureValue.CONTENT.len, 132);
    pnc_verify_independently(pub, "sha512", sb, sn, sg->SignatureValue.CONTENT.bytes, 66);
}

static void check_signatures(void)
{
    static struct iso20_exiFragment frag;
    const struct iso20_CertificateInstallationReqType *q = &req_seen.CertificateInstallationReq;
    const struct iso20_CertificateInstallationResType *r = &res_seen.CertificateInstallationRes;
    assert_true(q->Header.has_Signature && r->Header.has_Signature);
    assert_int_equal(q->OEMProvisioningCertificateChain.SubCertificates.Certificate.count, 1);
    assert_int_equal(q->ListOfRootCertificateIDs.RootCertificateID.count, 1);
    frag.root = ISO20_FRAG_OEMProvisioningCertificateChain;
    frag.OEMProvisioningCertificateChain = q->OEMProvisioningCertificateChain;
    check_signed(&q->Header.Signature, &frag, q->OEMProvisioningCertificateChain.Id.chars, "prov_pub.pem");
    frag.root = ISO20_FRAG_SignedInstallationData;
    frag.SignedInstallationData = r->SignedInstallationData;
    check_signed(&r->Header.Signature, &frag, r->SignedInstallationData.Id.chars, "cps_pub.pem");
}

/* The key the response carries, opened here: Z = ECDH(the provisioning key, DHPublicKey) (66 bytes); the AES key =
 * SHA-512(counter 00000001 || Z || OtherInfo 01 55 56), its first 32 bytes (SP 800-56A's concatenation KDF, one
 * round); AES-256-GCM with IV = the first 12 bytes, the tag the last 16, AAD = the PCID || the contract's SKI in
 * upper-case hex: the contract's private value, 66 bytes. */
static void check_decrypts(void)
{
    const struct iso20_SignedInstallationDataType *d = &res_seen.CertificateInstallationRes.SignedInstallationData;
    assert_int_equal(d->ECDHCurve, iso20_ecdhCurveType_SECP521);
    assert_int_equal(d->choice, iso20_SignedInstallationDataType_SECP521_EncryptedPrivateKey);
    assert_int_equal(d->SECP521_EncryptedPrivateKey.len, 94);
    assert_int_equal(d->DHPublicKey.len, 133);
    uint8_t md[32], priv[66], want[66];
    ci_session_key("prov.key", "secp521r1", d->DHPublicKey.bytes, 133, CCS_PNC_P521_SHA512, md);
    /* the AAD from the certificates as made here */
    X509 *con = ci_read_cert("contract.pem");
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(con);
    assert_non_null(ski);
    char aad[18 + 2 * 64 + 1] = PCID;
    for (int i = 0; i < ASN1_STRING_length(ski); i++)
        snprintf(aad + 18 + 2 * i, 3, "%02X", ASN1_STRING_get0_data(ski)[i]);
    const uint8_t *enc = d->SECP521_EncryptedPrivateKey.bytes;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0, m = 0;
    assert_int_equal(EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL), 1);
    assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL), 1);
    assert_int_equal(EVP_DecryptInit_ex(c, NULL, NULL, md, enc), 1);
    assert_int_equal(EVP_DecryptUpdate(c, NULL, &n, (const uint8_t *)aad, (int)strlen(aad)), 1);
    assert_int_equal(EVP_DecryptUpdate(c, priv, &n, enc + 12, 66), 1);
    assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, (void *)(enc + 78)), 1);
    assert_int_equal(EVP_DecryptFinal_ex(c, priv + n, &m), 1);   /* the tag verifies */
    assert_int_equal(n + m, 66);
    EVP_CIPHER_CTX_free(c);
    ci_private_value("contract.key", want, 66);
    assert_memory_equal(priv, want, 66);   /* the contract's private value */
    X509_free(con);
}

/* A car with no contract: installation offered and asked after AuthorizationSetup, the response opened, the
 * contract stored, then PnC with it and a charge; the next session loads the files and installs nothing. */
static void test_install_then_pnc(void **state)
{
    (void)state;
    ci_no_car_contract();
    ci_open_charger("cps_chain.pem", "cps.key", "oem_root.pem", "mo_root.pem", 1);
    car20("prov.pem", "prov.key", "v2g_root.pem");
    assert_int_equal(contract.nchain, 0);
    run(1, E_NONE);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_true(setup_seen.AuthorizationSetupRes.CertificateInstallationService);
    assert_int_equal(res_seen.CertificateInstallationRes.ResponseCode, iso20_responseCodeType_OK);
    assert_int_equal(res_seen.CertificateInstallationRes.EVSEProcessing, iso20_processingType_Finished);
    assert_true(W.evse.pnc && W.pev.pnc && W.evse.pnc_signed);
    assert_int_equal(auth_seen.AuthorizationReq.SelectedAuthorizationService, iso20_authorizationType_PnC);
    assert_true(sw_count(&W, "DC_ChargeLoopReq") > 0);
    check_signatures();
    check_decrypts();
    ci_check_stored();
    /* the next plug-in: the stored contract, PnC at once */
    car20("prov.pem", "prov.key", "v2g_root.pem");
    assert_int_equal(contract.nchain, 2);
    run(1, E_NONE);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_int_equal(sw_count(&W, "CertificateInstallationReq"), 0);
    assert_true(W.evse.pnc && W.pev.pnc);
    ci_close_all();
}

/* A refusal: the charger answered CertificateInstallationRes with code (a refusal of the charger's: it ends FAILED
 * and safe; OK: the car refused the response, the charger then sees it leave), the car ended FAILED and safe
 * before Authorization, nothing stored. */
static void refused(int how, int code)
{
    run(1, how);
    assert_int_equal(sw_count(&W, "CertificateInstallationRes"), 1);
    assert_int_equal(res_seen.CertificateInstallationRes.ResponseCode, code);
    if (code != iso20_responseCodeType_OK) {
        assert_int_equal(W.evse.last_code, code);
        assert_int_equal(W.evse.stop, SESS_STOP_FAILED);
    }
    assert_true(W.evse.phase == SESS_SAFE || W.evse.phase == SESS_DONE);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    assert_true(W.pev.out.safe);
    assert_int_equal(sw_count(&W, "AuthorizationReq"), 0);
    assert_int_not_equal(access(pki_path("car_contract.pem"), F_OK), 0);
    assert_int_not_equal(access(pki_path("car_contract.key"), F_OK), 0);
}

static void test_charger_refuses(void **state)
{
    (void)state;
    ci_no_car_contract();
    ci_open_charger("cps_chain.pem", "cps.key", "other_root.pem", "mo_root.pem", 1);   /* another OEM root */
    car20("prov.pem", "prov.key", "v2g_root.pem");
    refused(E_NONE, iso20_responseCodeType_WARNING_CertificateValidationError);
    ci_open_charger("cps_chain.pem", "cps.key", "oem_root.pem", "mo_root.pem", 1);
    car20("prov_old.pem", "prov_old.key", "v2g_root.pem");        /* an expired provisioning certificate */
    refused(E_NONE, iso20_responseCodeType_WARNING_CertificateExpired);
    car20("prov.pem", "prov.key", "v2g_root.pem");
    refused(E_REQ_SIG, iso20_responseCodeType_FAILED_SignatureError);
    ci_open_charger("cps_chain.pem", "cps.key", "oem_root.pem", "mo_root.pem", 0);     /* no contract to hand out */
    refused(E_NONE, iso20_responseCodeType_WARNING_NoCertificateAvailable);
    ci_close_all();
}

/* The car refuses a changed response signature, a changed encrypted key (the GCM tag), a CPS chain reaching none
 * of its roots. */
static void test_car_refuses(void **state)
{
    (void)state;
    ci_no_car_contract();
    ci_open_charger("cps_chain.pem", "cps.key", "oem_root.pem", "mo_root.pem", 1);
    car20("prov.pem", "prov.key", "v2g_root.pem");
    refused(E_RES_SIG, iso20_responseCodeType_OK);
    refused(E_RES_KEY, iso20_responseCodeType_OK);
    car20("prov.pem", "prov.key", "other_root.pem");
    refused(E_NONE, iso20_responseCodeType_OK);
    ci_close_all();
}

/* Not offered: without TLS, or by a CPS of ISO 15118-2's suite; the car without a contract identifies by EIM. */
static void test_not_offered(void **state)
{
    (void)state;
    static const struct { int tls; const char *chain, *key; } cases[] = {
        { 0, "cps_chain.pem", "cps.key" },
        { 1, "cps256_chain.pem", "cps256.key" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ci_no_car_contract();
        ci_open_charger(cases[i].chain, cases[i].key, "oem_root.pem", "mo_root.pem", 0);
        car20("prov.pem", "prov.key", "v2g_root.pem");
        run(cases[i].tls, E_NONE);
        assert_false(setup_seen.AuthorizationSetupRes.CertificateInstallationService);
        assert_int_equal(sw_count(&W, "CertificateInstallationReq"), 0);
        assert_int_equal(auth_seen.AuthorizationReq.SelectedAuthorizationService, iso20_authorizationType_EIM);
        assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    }
    ci_close_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install_then_pnc),
        cmocka_unit_test(test_charger_refuses),
        cmocka_unit_test(test_car_refuses),
        cmocka_unit_test(test_not_offered),
    };
    return cmocka_run_group_tests(tests, setup, ci_teardown);
}
