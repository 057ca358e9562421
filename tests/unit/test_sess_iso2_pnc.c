/* ISO 15118-2 Plug & Charge between our charger and car on the session harness, with the OpenSSL hooks
 * (src/platform/pnc_openssl.c) and certificates made here: whole DC and AC sessions with Contract payment, the
 * AuthorizationReq's signature checked independently (libcrypto directly, and `openssl dgst -verify` on the
 * exact fragment bytes), and the refusals with the schema's response codes and a safe end: another MO root, an
 * expired contract, an eMAID that is not the certificate's, a wrong GenChallenge, a changed signature or digest,
 * a missing signature; no Contract offered without TLS. The MeteringReceiptReq the charger asks for under
 * Contract payment: signed with the contract key (checked the same independent way), refused with
 * FAILED_MeteringSignatureNotValid when its signature is changed or missing; unsigned and accepted under EIM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/v2gtp.h"
#include "ccsplc/linux/pnc_openssl.h"
#include "ccsplc/linux/random.h"
#include "iso2_world.h"
#include "pki_mem.h"
#include "pnc_check.h"
#include "sess_checks.h"

#define EMAID "DEABCC12345678"

static sw_world W;
static struct iso2_exiDocument seen;           /* the last AuthorizationReq the car sent */
static struct iso2_exiDocument seen_receipt;   /* the last MeteringReceiptReq the car sent */
static uint32_t receipt_ms;                    /* the charger's receipt interval in the next run (0: none) */
static struct iso2_exiDocument edit_doc;

/* MO root -> Sub-CA -> contract (CN = the eMAID), the same contract expired, and an unrelated root. */
static int setup(void **state)
{
    (void)state;
    pki_dir_make("pnc");
    EVP_PKEY *k[3], *ko[2];
    X509 *x[3];
    pnc_make_pki("P-256", "SHA256", EMAID, k, x);
    for (int i = 0; i < 2; i++) assert_non_null(ko[i] = EVP_EC_gen("P-256"));
    X509 *old = pki_cert(EMAID, ko[0], x[1], k[1], 0, -7200, -3600, "SHA256");
    X509 *other = pki_cert("other root", ko[1], NULL, NULL, 1, -60, 86400, "SHA256");
    pki_write_cert(pki_path("other_root.pem"), "w", other);
    pki_write_cert(pki_path("old_chain.pem"), "w", old);
    pki_write_cert(pki_path("old_chain.pem"), "a", x[1]);
    pki_write_key(pki_path("old.key"), ko[0]);
    X509_free(old), X509_free(other), EVP_PKEY_free(ko[0]), EVP_PKEY_free(ko[1]);
    pnc_free_pki(k, x);
    return 0;
}

static void pnc_configs(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)c, (void)b;
    e->pnc = &checker;
    e->receipt_interval_ms = receipt_ms;
    e->rng = ccs_random_getrandom;
    e->clock_unix_s = p->clock_unix_s = (uint64_t)time(NULL);   /* the certificates' validity is wall-clock time */
    p->pnc = &contract;
}

/* How a hook edits: keeps the car's AuthorizationReq; changes one thing. */
enum { E_NONE, E_CHALLENGE, E_SIGNATURE, E_DIGEST, E_NO_SIGNATURE, E_RECEIPT_SIGNATURE, E_RECEIPT_UNSIGNED,
       E_RECEIPT_METER };
static int edit;

static int hook(sw_world *w, int dir_, uint8_t *buf, size_t *len)
{
    (void)w;
    if (!iw_decode(buf, *len, &edit_doc)) return 1;
    struct iso2_BodyType *b = &edit_doc.V2G_Message.Body;
    struct iso2_SignatureType *sg = &edit_doc.V2G_Message.Header.Signature;
    if (dir_ == SW_TO_EVSE && b->BodyElement_choice == iso2_BodyType_AuthorizationReq) {
        seen = edit_doc;
        if (edit == E_SIGNATURE) sg->SignatureValue.CONTENT.bytes[5] ^= 0x01;
        else if (edit == E_DIGEST) sg->SignedInfo.Reference.array[0].DigestValue.bytes[0] ^= 0x80;
        else if (edit == E_NO_SIGNATURE) edit_doc.V2G_Message.Header.has_Signature = false;
        else return 1;
    } else if (dir_ == SW_TO_EVSE && b->BodyElement_choice == iso2_BodyType_MeteringReceiptReq) {
        seen_receipt = edit_doc;
        if (edit == E_RECEIPT_SIGNATURE) sg->SignatureValue.CONTENT.bytes[9] ^= 0x10;
        else if (edit == E_RECEIPT_UNSIGNED) edit_doc.V2G_Message.Header.has_Signature = false;
        else return 1;
    } else if (dir_ == SW_TO_PEV && b->BodyElement_choice == iso2_BodyType_CurrentDemandRes &&
               b->CurrentDemandRes.ReceiptRequired && edit == E_RECEIPT_METER) {
        b->CurrentDemandRes.MeterInfo.MeterReading++;   /* the car signs another reading than the charger's */
    } else if (dir_ == SW_TO_PEV && b->BodyElement_choice == iso2_BodyType_PaymentDetailsRes && edit == E_CHALLENGE) {
        b->PaymentDetailsRes.GenChallenge.bytes[15] ^= 0x55;   /* the car signs another challenge than ours */
    } else {
        return 1;
    }
    assert_int_equal(iw_encode(&edit_doc, buf, len), 0);
    return 1;
}

static int done(const sw_world *w) { return sw_both_ended(w); }

static int ac;   /* the next run charges AC */

static void run(int tls, int how)
{
    edit = how;
    memset(&seen, 0, sizeof seen);
    memset(&seen_receipt, 0, sizeof seen_receipt);
    iw_setup(&W, ac, pnc_configs);
    W.evse.tls = (uint8_t)tls;
    W.hook = hook;
    sw_connect(&W);
    assert_true(sw_run(&W, 30 * 60 * 1000, done));
    sc_plant_safe(&W.plant, 1);
}

/* A refusal: the charger answered `res` with `code`, ended FAILED (safe), and so did the car. */
static void assert_refused(const char *res, int code)
{
    assert_string_equal(W.log[W.nlog - 1], res);
    assert_int_equal(W.evse.last_code, code);
    assert_int_equal(W.evse.stop, SESS_STOP_FAILED);
    assert_int_equal(W.evse.phase, SESS_SAFE);
    assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
    assert_int_equal(sw_count(&W, "ChargeParameterDiscoveryReq"), 0);
}

/* A request the car signed (the header of doc, the element's Id, the element as fragment f), checked without our
 * hooks: the Signature's algorithms are ISO 15118-2's, the DigestValue is libcrypto's SHA-256 of the element's EXI
 * fragment, the SignatureValue verifies with the contract's public key over SignedInfo's xmldsig fragment, in
 * libcrypto and with `openssl dgst -sha256 -verify`. */
static void check_signed(const struct iso2_exiDocument *doc, const char *id, const struct iso2_exiFragment *f)
{
    const struct iso2_SignatureType *sg = &doc->V2G_Message.Header.Signature;
    assert_true(doc->V2G_Message.Header.has_Signature);
    PNC_CHECK_SIGNED_INFO(&sg->SignedInfo, id, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
                          "http://www.w3.org/2001/04/xmlenc#sha256");
    static struct iso2_xmldsigFragment dsig;
    uint8_t fb[512], sb[1024];
    size_t fn, sn;
    assert_int_equal(iso2_encode_fragment(f, fb, sizeof fb, &fn), 0);
    const struct iso2_ReferenceType *r = &sg->SignedInfo.Reference.array[0];
    pnc_check_digest(fb, fn, "sha256", r->DigestValue.bytes, r->DigestValue.len);
    dsig.root = ISO2_DSIG_SignedInfo;
    dsig.SignedInfo = sg->SignedInfo;
    assert_int_equal(iso2_encode_xmldsig_fragment(&dsig, sb, sizeof sb, &sn), 0);
    assert_int_equal(sg->SignatureValue.CONTENT.len, 64);
    pnc_verify_independently("contract_pub.pem", "sha256", sb, sn, sg->SignatureValue.CONTENT.bytes, 32);
}

static struct iso2_exiFragment frag;

/* The car's AuthorizationReq: signed, over the charger's challenge. */
static void check_signature(void)
{
    const struct iso2_AuthorizationReqType *q = &seen.V2G_Message.Body.AuthorizationReq;
    assert_true(q->has_Id);
    assert_int_equal(q->GenChallenge.len, 16);
    assert_memory_equal(q->GenChallenge.bytes, W.evse.challenge, 16);
    frag.root = ISO2_FRAG_AuthorizationReq;
    frag.AuthorizationReq = *q;
    check_signed(&seen, q->Id.chars, &frag);
}

/* The car's last MeteringReceiptReq: signed, of this session and the charger's meter. */
static void check_receipt(void)
{
    const struct iso2_MeteringReceiptReqType *q = &seen_receipt.V2G_Message.Body.MeteringReceiptReq;
    assert_int_equal(seen_receipt.V2G_Message.Body.BodyElement_choice, iso2_BodyType_MeteringReceiptReq);
    assert_true(q->has_Id);
    assert_memory_equal(q->SessionID.bytes, W.evse.session_id, W.evse.session_id_len);
    assert_true(q->MeterInfo.has_MeterReading && q->MeterInfo.MeterReading > 0);
    frag.root = ISO2_FRAG_MeteringReceiptReq;
    frag.MeteringReceiptReq = *q;
    check_signed(&seen_receipt, q->Id.chars, &frag);
}

/* A session with the good contract, on TLS or not, ended normally on both sides. */
static void normal_session(int tls)
{
    pnc_open("mo_root.pem", "chain.pem", "contract.key");
    run(tls, E_NONE);
    assert_int_equal(W.evse.stop, SESS_STOP_NORMAL);
    assert_int_equal(W.pev.stop, SESS_STOP_NORMAL);
}

static void test_pnc_dc_session(void **state)
{
    (void)state;
    normal_session(1);
    assert_true(W.evse.pnc && W.pev.pnc && W.evse.pnc_signed);
    assert_int_equal(sw_count(&W, "PaymentDetailsReq"), 1);
    assert_int_equal(sw_count(&W, "PaymentDetailsRes"), 1);
    assert_true(sw_count(&W, "CurrentDemandReq") > 0);
    sc_dc_energy(&W.plant, 20.0, 30.0);
    check_signature();
}

/* AC takes the same way to the authorization (PaymentDetails, the signed request), then ChargingStatus. */
static void test_pnc_ac_session(void **state)
{
    (void)state;
    ac = 1;
    normal_session(1);
    ac = 0;
    assert_true(W.evse.pnc && W.evse.pnc_signed && W.evse.ac);
    assert_int_equal(sw_count(&W, "PaymentDetailsRes"), 1);
    assert_true(sw_count(&W, "ChargingStatusReq") > 0);
    check_signature();
}

/* Without TLS the charger offers external payment only: the car with a contract takes it (no PaymentDetails). */
static void test_no_contract_without_tls(void **state)
{
    (void)state;
    normal_session(0);
    assert_false(W.evse.pnc || W.pev.pnc);
    assert_int_equal(sw_count(&W, "PaymentDetailsReq"), 0);
    assert_false(seen.V2G_Message.Header.has_Signature);
}

/* A refusal: the PKI files, the car's eMAID (NULL: its certificate's), the hook's edit; the response and code. */
typedef struct {
    const char *roots, *chain, *key, *emaid;
    int edit;
    const char *res;
    int code;
} refusal;

static void refused(const refusal *r)
{
    pnc_open(r->roots, r->chain, r->key);
    if (r->emaid) contract.emaid = r->emaid;
    run(1, r->edit);
    assert_refused(r->res, r->code);
}

/* PaymentDetails refused: a contract from another MO root, an expired one, an eMAID that is not its CN. */
static void test_contract_refused(void **state)
{
    (void)state;
    static const refusal cases[] = {
        { "other_root.pem", "chain.pem", "contract.key", NULL, E_NONE, "PaymentDetailsRes",
          iso2_responseCodeType_FAILED_CertChainError },
        { "mo_root.pem", "old_chain.pem", "old.key", NULL, E_NONE, "PaymentDetailsRes",
          iso2_responseCodeType_FAILED_CertificateExpired },
        { "mo_root.pem", "chain.pem", "contract.key", "DEABCC87654321", E_NONE, "PaymentDetailsRes",
          iso2_responseCodeType_FAILED_CertChainError },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) refused(&cases[i]);
}

/* The signed request changed on its way, or signed by the car over another challenge than the charger's. */
static void test_wrong_authorization(void **state)
{
    (void)state;
    static const struct { int edit, code; } cases[] = {
        { E_CHALLENGE, iso2_responseCodeType_FAILED_ChallengeInvalid },
        { E_SIGNATURE, iso2_responseCodeType_FAILED_SignatureError },
        { E_DIGEST, iso2_responseCodeType_FAILED_SignatureError },
        { E_NO_SIGNATURE, iso2_responseCodeType_FAILED_SignatureError },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        refused(&(refusal){ "mo_root.pem", "chain.pem", "contract.key", NULL, cases[i].edit, "AuthorizationRes",
                            cases[i].code });
}

/* Receipts under Contract payment, DC (CurrentDemand) and AC (ChargingStatus): every MeteringReceiptReq signed
 * by the contract key, accepted; the session ends normally. */
static void test_signed_receipt(void **state)
{
    (void)state;
    receipt_ms = 20000;
    for (ac = 0; ac < 2; ac++) {
        normal_session(1);
        assert_true(W.evse.pnc && W.pev.pnc);
        assert_true(sw_count(&W, "MeteringReceiptReq") >= 2);
        assert_int_equal(sw_count(&W, "MeteringReceiptRes"), sw_count(&W, "MeteringReceiptReq"));
        check_receipt();
    }
    ac = 0;
    receipt_ms = 0;
}

/* The signed receipt changed on its way, sent unsigned, or signed over another reading than the charger sent:
 * FAILED_MeteringSignatureNotValid, both sides safe (the car was charging: its contactors open at no current,
 * sc_plant_safe). */
static void test_receipt_refused(void **state)
{
    (void)state;
    receipt_ms = 20000;
    static const int edits[] = { E_RECEIPT_SIGNATURE, E_RECEIPT_UNSIGNED,
       E_RECEIPT_METER };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        pnc_open("mo_root.pem", "chain.pem", "contract.key");
        run(1, edits[i]);
        assert_string_equal(W.log[W.nlog - 1], "MeteringReceiptRes");
        assert_int_equal(W.evse.last_code, iso2_responseCodeType_FAILED_MeteringSignatureNotValid);
        assert_int_equal(W.evse.stop, SESS_STOP_FAILED);
        assert_int_equal(W.evse.phase, SESS_SAFE);
        assert_int_equal(W.pev.stop, SESS_STOP_FAILED);
        assert_int_equal(sw_count(&W, "MeteringReceiptReq"), 1);
    }
    receipt_ms = 0;
}

/* Under external payment (no TLS: no Contract offered) the car's receipts are unsigned and accepted. */
static void test_receipt_eim(void **state)
{
    (void)state;
    receipt_ms = 20000;
    normal_session(0);
    receipt_ms = 0;
    assert_false(W.evse.pnc || W.pev.pnc);
    assert_true(sw_count(&W, "MeteringReceiptReq") >= 2);
    assert_false(seen_receipt.V2G_Message.Header.has_Signature);
    assert_false(seen_receipt.V2G_Message.Body.MeteringReceiptReq.has_Id);
}

/* The hooks alone: a signature verifies over its data only, with its key only; files that do not load say so. */
static void test_hooks(void **state)
{
    (void)state;
    pnc_open("mo_root.pem", "chain.pem", "contract.key");
    uint8_t data[] = "signed info", sig[CCS_PNC_SIG_MAX], key[CCS_PNC_KEY_MAX];
    assert_int_equal(contract.sign(contract.ctx, data, sizeof data, sig), 0);
    ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX];
    memcpy(chain, contract.chain, sizeof chain);
    uint64_t now = (uint64_t)time(NULL);
    assert_int_equal(checker.check_chain(checker.ctx, CCS_PNC_P256_SHA256, chain, contract.nchain, "de-abc-c12345678",
                                         16, now, key), CCS_PNC_CHAIN_OK);
    assert_int_equal(checker.verify(checker.ctx, CCS_PNC_P256_SHA256, key, data, sizeof data, sig), 1);
    data[0] ^= 1;
    assert_int_equal(checker.verify(checker.ctx, CCS_PNC_P256_SHA256, key, data, sizeof data, sig), 0);
    data[0] ^= 1;
    key[64] ^= 1;   /* another point (most likely not on the curve at all) */
    assert_int_equal(checker.verify(checker.ctx, CCS_PNC_P256_SHA256, key, data, sizeof data, sig), 0);
    assert_int_equal(checker.check_chain(checker.ctx, CCS_PNC_P256_SHA256, chain, 1, EMAID, strlen(EMAID), now, key),
                     CCS_PNC_CHAIN_ERROR);   /* without its Sub-CA the contract reaches no root */
    uint8_t bad[16] = { 0x30, 0x82 };
    chain[1] = (ccs_pnc_cert){ bad, sizeof bad };
    assert_int_equal(checker.check_chain(checker.ctx, CCS_PNC_P256_SHA256, chain, 2, EMAID, strlen(EMAID), now, key),
                     CCS_PNC_CHAIN_ERROR);
    char err[256];
    pnc_keys *k = NULL;
    ccs_pnc_contract c;
    assert_int_equal(pnc_contract_open(pki_path("chain.pem"), pki_path("mo_root.pem"), &c, &k, err, sizeof err), CCS_EINVAL);
    assert_non_null(strstr(err, "no P-256 or P-521 private key"));
    assert_int_equal(pnc_checker_open(pki_path("none.pem"), &checker, &k, err, sizeof err), CCS_EINVAL);
    assert_null(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pnc_dc_session),
        cmocka_unit_test(test_pnc_ac_session),
        cmocka_unit_test(test_no_contract_without_tls),
        cmocka_unit_test(test_contract_refused),
        cmocka_unit_test(test_wrong_authorization),
        cmocka_unit_test(test_hooks),
        cmocka_unit_test(test_signed_receipt),
        cmocka_unit_test(test_receipt_refused),
        cmocka_unit_test(test_receipt_eim),
    };
    return cmocka_run_group_tests(tests, setup, pnc_teardown);
}
