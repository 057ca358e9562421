/* ISO 15118-20 Plug & Charge between our charger and car on the session harness, with the OpenSSL hooks and a
 * secp521r1 PKI made here: a whole DC session identified by PnC, the AuthorizationReq's signature checked
 * independently (libcrypto's SHA-512 of the PnC_AReqAuthorizationMode fragment, `openssl dgst -sha512 -verify` on the
 * exact SignedInfo fragment bytes); the refusals with ISO 15118-20's response codes and both sides safe: another MO
 * root, an expired contract, a changed GenChallenge, a changed signature or digest, no signature; EIM where PnC is
 * not offered (no TLS) or the contract is not of ISO 15118-20's suite (P-256). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccsplc/core/v2gtp.h"
#include "iso20_ac_world.h"
#include "pki_mem.h"
#include "pnc_check.h"
#include "sess_checks.h"

static sw_world W;
static struct iso20_exiDocument seen;       /* the last AuthorizationReq the car sent */
static struct iso20_exiDocument setup_res;  /* the last AuthorizationSetupRes the charger sent */
static struct iso20_exiDocument edit_doc;
static const char *const providers[] = { "DE-ABC", "DE-XYZ" };

/* MO root -> Sub-CA 1 -> Sub-CA 2 -> contract on secp521r1 with ECDSA-SHA512 (ISO 15118-20), the same contract
 * expired, an unrelated root, and a P-256 contract (ISO 15118-2's suite) under the same root. */
static int setup(void **state)
{
    (void)state;
    pki_dir_make("pnc20");
    EVP_PKEY *k[3], *ko[4];
    X509 *x[3];
    pnc_make_pki("P-521", "SHA512", "DEABCC12345678", k, x);   /* MO root -> Sub-CA 1 -> contract */
    for (int i = 0; i < 3; i++) assert_non_null(ko[i] = EVP_EC_gen("P-521"));
    assert_non_null(ko[3] = EVP_EC_gen("P-256"));
    /* a second Sub-CA below Sub-CA 1 (the chain of 3 as scripts/pki.sh makes it), the contracts below it */
    X509 *sub2 = pki_cert("MO Sub-CA 2", ko[0], x[1], k[1], 1, -60, 86400, "SHA512");
    X509 *leaf = pki_cert("DEABCC12345678", k[2], sub2, ko[0], 0, -60, 86400, "SHA512");
    X509 *old = pki_cert("DEABCC12345678", ko[1], sub2, ko[0], 0, -7200, -3600, "SHA512");
    X509 *other = pki_cert("other root", ko[2], NULL, NULL, 1, -60, 86400, "SHA512");
    X509 *p256 = pki_cert("DEABCC12345678", ko[3], sub2, ko[0], 0, -60, 86400, "SHA512");
    pki_write_cert(pki_path("other_root.pem"), "w", other);
    X509 *leaves[] = { leaf, old, p256 };
    const char *chains[] = { "chain.pem", "old_chain.pem", "p256_chain.pem" };
    for (int i = 0; i < 3; i++) {
        pki_write_cert(pki_path(chains[i]), "w", leaves[i]);
        pki_write_cert(pki_path(chains[i]), "a", sub2);
        pki_write_cert(pki_path(chains[i]), "a", x[1]);
    }
    pki_write_key(pki_path("old.key"), ko[1]);
    pki_write_key(pki_path("p256.key"), ko[3]);
    X509 *all[] = { sub2, leaf, old, other, p256 };
    for (int i = 0; i < 5; i++) X509_free(all[i]);
    for (int i = 0; i < 4; i++) EVP_PKEY_free(ko[i]);
    pnc_free_pki(k, x);
    return 0;
}

/* ISO-20 DC on both sides, the charger with the MO roots and providers, the car with the contract. */
static void pnc_dc(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    aw_dc_car(e, p, c, b);
    pnc_configs(e, p, c, b);
    e->providers = providers;
    e->nproviders = 2;
}

/* The common-messages document of a V2GTP message in flight (decoded into doc): 1 when it is one. */
static int decode(const uint8_t *buf, size_t len, struct iso20_exiDocument *doc)
{
    v2gtp_msg m;
    return v2gtp_parse(buf, len, SESS_TX_CAP, &m) == 0 && m.payload_type == V2GTP_ISO20_MAIN &&
           iso20_decode(m.payload, m.payload_len, doc) == 0;
}

static void encode(const struct iso20_exiDocument *doc, uint8_t *buf, size_t *len)
{
    size_t n;
    assert_int_equal(iso20_encode(doc, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN, &n), 0);
    assert_int_equal(v2gtp_pack_header(V2GTP_ISO20_MAIN, (uint32_t)n, buf, SESS_TX_CAP), 0);
    *len = V2GTP_HEADER_LEN + n;
}

/* How the hook edits: keeps the car's AuthorizationReq and the charger's AuthorizationSetupRes; changes one thing. */
enum { E_NONE, E_CHALLENGE, E_SIGNATURE, E_DIGEST, E_NO_SIGNATURE };
static int edit;

static int hook(sw_world *w, int dir_, uint8_t *buf, size_t *len)
{
    (void)w;
    if (!decode(buf, *len, &edit_doc)) return 1;
    struct iso20_SignatureType *sg = &edit_doc.AuthorizationReq.Header.Signature;
    if (dir_ == SW_TO_EVSE && edit_doc.root == ISO20_ROOT_AuthorizationReq) {
        seen = edit_doc;
        if (edit == E_SIGNATURE) sg->SignatureValue.CONTENT.bytes[7] ^= 0x01;
        else if (edit == E_DIGEST) sg->SignedInfo.Reference.array[0].DigestValue.bytes[0] ^= 0x80;
        else if (edit == E_NO_SIGNATURE) edit_doc.AuthorizationReq.Header.has_Signature = false;
        else return 1;
    } else if (dir_ == SW_TO_PEV && edit_doc.root == ISO20_ROOT_AuthorizationSetupRes) {
        setup_res = edit_doc;
        if (edit != E_CHALLENGE) return 1;
        /* the car signs another challenge than ours */
        edit_doc.AuthorizationSetupRes.PnC_ASResAuthorizationMode.GenChallenge.bytes[15] ^= 0x55;
    } else {
        return 1;
    }
    encode(&edit_doc, buf, len);
    return 1;
}

static void run(int tls, int how)
{
    edit = how;
    memset(&seen, 0, sizeof seen);
    memset(&setup_res, 0, sizeof setup_res);
    aw_setup(&W, 3, pnc_dc);
    pnc_session(&W, tls, hook);
}

/* The car's AuthorizationReq, checked without our hooks: PnC with the charger's challenge and our chain, the
 * Signature's algorithms ISO 15118-20's for secp521r1, the DigestValue libcrypto's SHA-512 of the
 * PnC_AReqAuthorizationMode fragment, the SignatureValue the contract key's over SignedInfo's xmldsig fragment
 * (libcrypto and `openssl dgst -sha512 -verify`). */
static void check_signature(void)
{
    const struct iso20_AuthorizationReqType *q = &seen.AuthorizationReq;
    const struct iso20_SignatureType *sg = &q->Header.Signature;
    const struct iso20_PnC_AReqAuthorizationModeType *m = &q->PnC_AReqAuthorizationMode;
    assert_int_equal(q->SelectedAuthorizationService, iso20_authorizationType_PnC);
    assert_int_equal(q->choice, iso20_AuthorizationReqType_PnC_AReqAuthorizationMode);
    assert_int_equal(m->GenChallenge.len, 16);
    assert_memory_equal(m->GenChallenge.bytes, W.evse.challenge, 16);
    assert_int_equal(m->ContractCertificateChain.Certificate.len, contract.chain[0].len);
    assert_memory_equal(m->ContractCertificateChain.Certificate.bytes, contract.chain[0].der, contract.chain[0].len);
    assert_int_equal(m->ContractCertificateChain.SubCertificates.Certificate.count, 2);
    assert_true(q->Header.has_Signature);
    PNC_CHECK_SIGNED_INFO(&sg->SignedInfo, m->Id.chars, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
                          "http://www.w3.org/2001/04/xmlenc#sha512");

    static struct iso20_exiFragment frag;
    static struct iso20_xmldsigFragment dsig;
    static uint8_t fb[8192];
    uint8_t sb[1024];
    size_t fn, sn;
    frag.root = ISO20_FRAG_PnC_AReqAuthorizationMode;
    frag.PnC_AReqAuthorizationMode = *m;
    assert_int_equal(iso20_encode_fragment(&frag, fb, sizeof fb, &fn), 0);
    const struct iso20_ReferenceType *r = &sg->SignedInfo.Reference.array[0];
    pnc_check_digest(fb, fn, "sha512", r->DigestValue.bytes, r->DigestValue.len);
    dsig.root = ISO20_DSIG_SignedInfo;
    dsig.SignedInfo = sg->SignedInfo;
    assert_int_equal(iso20_encode_xmldsig_fragment(&dsig, sb, sizeof sb, &sn), 0);
    assert_int_equal(sg->SignatureValue.CONTENT.len, 132);   /* r || s, 66 bytes each on secp521r1 */
    pnc_verify_independently("contract_pub.pem", "sha512", sb, sn, sg->SignatureValue.CONTENT.bytes, 66);
}

/* The whole DC session identified by PnC: offered beside EIM with the challenge and providers, checked, charged. */
static void test_pnc_dc_session(void **state)
{
    (void)state;
    pnc_open("mo_root.pem", "chain.pem", "contract.key");
    run(1, E_NONE);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
    assert_true(W.evse.pnc && W.pev.pnc && W.evse.pnc_signed);
    const struct iso20_AuthorizationSetupResType *a = &setup_res.AuthorizationSetupRes;
    assert_int_equal(a->AuthorizationServices.count, 2);
    assert_int_equal(a->AuthorizationServices.array[0], iso20_authorizationType_EIM);
    assert_int_equal(a->AuthorizationServices.array[1], iso20_authorizationType_PnC);
    assert_int_equal(a->choice, iso20_AuthorizationSetupResType_PnC_ASResAuthorizationMode);
    assert_true(a->PnC_ASResAuthorizationMode.has_SupportedProviders);
    assert_int_equal(a->PnC_ASResAuthorizationMode.SupportedProviders.ProviderID.count, 2);
    assert_string_equal(a->PnC_ASResAuthorizationMode.SupportedProviders.ProviderID.array[1].chars, "DE-XYZ");
    assert_int_equal(sw_count(&W, "AuthorizationRes"), 1);
    assert_true(sw_count(&W, "DC_ChargeLoopReq") > 0);
    sc_dc_energy(&W.plant, 20.0, 30.0);
    check_signature();
}

/* EIM where PnC is not on offer (plain TCP: only EIM) or the contract is of the other suite (P-256: the car takes
 * EIM from a charger offering both). */
static void test_eim_otherwise(void **state)
{
    (void)state;
    static const struct { int tls; const char *chain, *key; } cases[] = {
        { 0, "chain.pem", "contract.key" },
        { 1, "p256_chain.pem", "p256.key" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pnc_open("mo_root.pem", cases[i].chain, cases[i].key);
        run(cases[i].tls, E_NONE);
        assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
        assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
        assert_false(W.evse.pnc || W.pev.pnc);
        assert_int_equal(seen.AuthorizationReq.SelectedAuthorizationService, iso20_authorizationType_EIM);
        assert_false(seen.AuthorizationReq.Header.has_Signature);
        assert_int_equal(setup_res.AuthorizationSetupRes.AuthorizationServices.count, cases[i].tls ? 2 : 1);
    }
}

/* A refusal: the PKI files and the hook's edit; the charger answered AuthorizationRes with `code` (Finished), both
 * sessions ended FAILED in the safe state before any service was discovered. */
static void refused(const char *roots, const char *chain, const char *key, int how, int code)
{
    pnc_open(roots, chain, key);
    run(1, how);
    pnc_assert_refused(&W, "AuthorizationRes", code, "ServiceDiscoveryReq");
    assert_false(W.evse.pnc_signed);
}

/* The contract: from another MO root, expired. */
static void test_contract_refused(void **state)
{
    (void)state;
    refused("other_root.pem", "chain.pem", "contract.key", E_NONE,
            iso20_responseCodeType_WARNING_CertificateValidationError);
    refused("mo_root.pem", "old_chain.pem", "old.key", E_NONE, iso20_responseCodeType_WARNING_CertificateExpired);
}

/* The signed request changed on its way, or signed by the car over another challenge than the charger's. */
static void test_wrong_authorization(void **state)
{
    (void)state;
    static const struct { int edit, code; } cases[] = {
        { E_CHALLENGE, iso20_responseCodeType_WARNING_ChallengeInvalid },
        { E_SIGNATURE, iso20_responseCodeType_FAILED_SignatureError },
        { E_DIGEST, iso20_responseCodeType_FAILED_SignatureError },
        { E_NO_SIGNATURE, iso20_responseCodeType_FAILED_SignatureError },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        refused("mo_root.pem", "chain.pem", "contract.key", cases[i].edit, cases[i].code);
}

/* The hooks on secp521r1: a signature of 132 bytes verifies over its data only; the chain gives a P-521 key for
 * ISO 15118-20's suite and is refused for ISO 15118-2's. */
static void test_hooks(void **state)
{
    (void)state;
    pnc_open("mo_root.pem", "chain.pem", "contract.key");
    assert_int_equal(contract.suite, CCS_PNC_P521_SHA512);
    uint8_t data[] = "signed info", sig[CCS_PNC_SIG_MAX], key[CCS_PNC_KEY_MAX];
    assert_int_equal(contract.sign(contract.ctx, data, sizeof data, sig), 0);
    uint64_t now = (uint64_t)time(NULL);
    assert_int_equal(checker.check_chain(checker.ctx, CCS_PNC_P521_SHA512, contract.chain, contract.nchain, NULL, 0,
                                         now, key), CCS_PNC_CHAIN_OK);
    assert_int_equal(key[0], 0x04);
    assert_int_equal(checker.verify(checker.ctx, CCS_PNC_P521_SHA512, key, data, sizeof data, sig), 1);
    data[0] ^= 1;
    assert_int_equal(checker.verify(checker.ctx, CCS_PNC_P521_SHA512, key, data, sizeof data, sig), 0);
    assert_int_equal(checker.check_chain(checker.ctx, CCS_PNC_P256_SHA256, contract.chain, contract.nchain, NULL, 0,
                                         now, key), CCS_PNC_CHAIN_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pnc_dc_session),
        cmocka_unit_test(test_eim_otherwise),
        cmocka_unit_test(test_contract_refused),
        cmocka_unit_test(test_wrong_authorization),
        cmocka_unit_test(test_hooks),
    };
    return cmocka_run_group_tests(tests, setup, pnc_teardown);
}
