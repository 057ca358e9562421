/* EXI fragments, the encoding XML signatures digest: signed ISO-2 elements as fragments of the ISO-2 schema set
 * (8-bit first event) and SignedInfo as a fragment of the xmldsig schema (6-bit). Expected bytes are the
 * published test vectors of EVerest's libcbv2g (its SignedInfo fragment test, and the fragment vectors other
 * projects check against it); each is also decoded back and re-encoded. ISO-2's eMAID, declared with two types,
 * takes EXI's relaxed element fragment grammar (EXI 1.0 section 8.5.3): a published vector, streams built bit by
 * bit from the grammar's event counts, and the eMAID of every CertificateInstallationRes of the corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/gen/iso2.h"
#include "corpus.h"
#include "testutil.h"

#define SET_STR(field, text) ((field).len = (uint16_t)strlen(text), memcpy((field).chars, (text), strlen(text) + 1))

static const char C14N[] = "http://www.w3.org/TR/canonical-exi/";

/* Encode with fn, compare with hex, decode back with dec and re-encode: same bytes. */
#define CHECK_VECTOR(enc, dec, type, doc, hex)                                                               \
    do {                                                                                                   \
        uint8_t want_[1024], got_[1024];                                                                   \
        long n_ = tu_hex2bin((hex), want_, sizeof want_);                                                   \
        size_t len_;                                                                                       \
        assert_int_equal(enc((doc), got_, sizeof got_, &len_), 0);                                          \
        assert_int_equal(len_, (size_t)n_);                                                                \
        assert_memory_equal(got_, want_, len_);                                                            \
        type *back_ = calloc(1, sizeof *back_);                                                            \
        assert_int_equal(dec(want_, (size_t)n_, back_), 0);                                                 \
        assert_int_equal(enc(back_, got_, sizeof got_, &len_), 0);                                          \
        assert_memory_equal(got_, want_, (size_t)n_);                                                      \
        free(back_);                                                                                       \
    } while (0)

static void authorization_req(void **state)
{
    (void)state;
    struct iso2_exiFragment *f = calloc(1, sizeof *f);
    f->root = ISO2_FRAG_AuthorizationReq;
    f->AuthorizationReq.has_GenChallenge = true;
    f->AuthorizationReq.GenChallenge.len = 16;
    for (int i = 0; i < 16; i++)
        f->AuthorizationReq.GenChallenge.bytes[i] = (uint8_t)(i + 1);
    CHECK_VECTOR(iso2_encode_fragment, iso2_decode_fragment, struct iso2_exiFragment, f,
                 "80 04 42 00 20 40 60 80 a0 c0 e1 01 21 41 61 81 a1 c1 e2 07 a0");
    free(f);
}

static void metering_receipt_req(void **state)
{
    (void)state;
    struct iso2_exiFragment *f = calloc(1, sizeof *f);
    f->root = ISO2_FRAG_MeteringReceiptReq;
    f->MeteringReceiptReq.SessionID.len = 8;
    f->MeteringReceiptReq.has_SAScheduleTupleID = true;
    f->MeteringReceiptReq.SAScheduleTupleID = 1;
    SET_STR(f->MeteringReceiptReq.MeterInfo.MeterID, "M1");
    CHECK_VECTOR(iso2_encode_fragment, iso2_decode_fragment, struct iso2_exiFragment, f,
                 "80 79 41 00 00 00 00 00 00 00 00 00 00 00 89 a6 28 f4");
    free(f);
}

static void sales_tariff(void **state)
{
    (void)state;
    struct iso2_exiFragment *f = calloc(1, sizeof *f);
    f->root = ISO2_FRAG_SalesTariff;
    f->SalesTariff.SalesTariffID = 1;
    f->SalesTariff.SalesTariffEntry.count = 1;
    f->SalesTariff.SalesTariffEntry.array[0].TimeInterval_choice = iso2_SalesTariffEntryType_RelativeTimeInterval;
    CHECK_VECTOR(iso2_encode_fragment, iso2_decode_fragment, struct iso2_exiFragment, f, "80 ae 40 08 00 0c fa 00");
    free(f);
}

static void fill_reference(struct iso2_ReferenceType *r, const char *uri, const char *digest_alg, int transforms,
                           const uint8_t *digest, size_t dlen)
{
    r->has_URI = true;
    SET_STR(r->URI, uri);
    if (transforms) {
        r->has_Transforms = true;
        SET_STR(r->Transforms.Transform.Algorithm, C14N);
    }
    SET_STR(r->DigestMethod.Algorithm, digest_alg);
    r->DigestValue.len = (uint16_t)dlen;
    memcpy(r->DigestValue.bytes, digest, dlen);
}

/* SignedInfo as ISO 15118-2 signs it: EXI canonicalization, ECDSA-SHA256, one Reference, in the 8-bit grammar of
 * the whole ISO-2 schema set. */
static void signed_info_iso2_grammar(void **state)
{
    (void)state;
    struct iso2_exiFragment *f = calloc(1, sizeof *f);
    f->root = ISO2_FRAG_SignedInfo;
    struct iso2_SignedInfoType *si = &f->SignedInfo;
    SET_STR(si->CanonicalizationMethod.Algorithm, C14N);
    SET_STR(si->SignatureMethod.Algorithm, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
    uint8_t digest[32];
    for (int i = 0; i < 32; i++)
        digest[i] = (uint8_t)(i + 1);
    si->Reference.count = 1;
    fill_reference(&si->Reference.array[0], "#ID1", "http://www.w3.org/2001/04/xmlenc#sha256", 0, digest, 32);
    CHECK_VECTOR(iso2_encode_fragment, iso2_decode_fragment, struct iso2_exiFragment, f,
                 "80 d0 44 ad 0e 8e 8e 07 45 e5 ee ee ee e5 ce e6 65 cd ee 4c e5 ea 8a 45 ec 6c 2d cd ed "
                 "cd 2c 6c 2d 85 ac af 0d 25 e8 6a d0 e8 e8 e0 74 5e 5e ee ee ee 5c ee 66 5c de e4 ce 5e "
                 "64 60 60 62 5e 60 68 5e f0 da d8 c8 e6 d2 ce 5a da de e4 ca 46 ca c6 c8 e6 c2 5a e6 d0 "
                 "c2 64 6a 6c 88 18 8d 25 10 c5 14 b4 3a 3a 38 1d 17 97 bb bb bb 97 3b 99 97 37 b9 33 97 "
                 "99 18 18 18 97 98 1a 17 bc 36 b6 32 b7 31 91 b9 b4 30 99 1a 9b 21 00 08 10 18 20 28 30 "
                 "38 40 48 50 58 60 68 70 78 80 88 90 98 a0 a8 b0 b8 c0 c8 d0 d8 e0 e8 f0 f9 00 fa 00");
    free(f);
}

/* SignedInfo with two References, each with a Transform, in the 6-bit grammar of the xmldsig schema. */
static void signed_info_xmldsig_grammar(void **state)
{
    (void)state;
    struct iso2_xmldsigFragment *f = calloc(1, sizeof *f);
    f->root = ISO2_DSIG_SignedInfo;
    struct iso2_SignedInfoType *si = &f->SignedInfo;
    const char *sha512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";
    SET_STR(si->CanonicalizationMethod.Algorithm, C14N);
    SET_STR(si->SignatureMethod.Algorithm, sha512);
    static const uint8_t digest[] = {1, 2, 3, 4, 5, 6, 7};
    si->Reference.count = 2;
    fill_reference(&si->Reference.array[0], "id1", sha512, 1, digest, sizeof digest);
    fill_reference(&si->Reference.array[1], "id2", sha512, 1, digest, sizeof digest);
    CHECK_VECTOR(iso2_encode_xmldsig_fragment, iso2_decode_xmldsig_fragment, struct iso2_xmldsigFragment, f,
                 "808112b43a3a381d1797bbbbbb973b999737b93397aa2917b1b0b737b734b1b0b616b2bc3497a1ab43a3a381d1797bbbbbb9"
                 "73b999737b933979918181897981a17bc36b63239b4b396b6b7b93291b2b1b239b096b9b4309a98992205696431025687474"
                 "703a2f2f7777772e77332e6f72672f54522f63616e6f6e6963616c2d6578692f486ad0e8e8e0745e5eeeeeee5cee665cdee4"
                 "ce5e646060625e60685ef0dad8c8e6d2ce5adadee4ca46cac6c8e6c25ae6d0c26a626480e020406080a0c0e0815a590c8095"
                 "a1d1d1c0e8bcbddddddcb9dcccb9bdc99cbd5148bd8d85b9bdb9a58d85b0b595e1a4bd21ab43a3a381d1797bbbbbb973b999"
                 "737b933979918181897981a17bc36b63239b4b396b6b7b93291b2b1b239b096b9b4309a9899203808101820283038dc0");
    free(f);
}

/* A second element in a fragment, or a wrong first event, is refused. */
static void fragment_refuses_garbage(void **state)
{
    (void)state;
    struct iso2_exiFragment *f = calloc(1, sizeof *f);
    uint8_t bytes[64];
    long n = tu_hex2bin("80 ae 40 08 00 0c fa 00", bytes, sizeof bytes);
    for (long k = 0; k < n; k++) /* every truncation */
        assert_true(iso2_decode_fragment(bytes, (size_t)k, f) < 0);
    bytes[1] = 0xFF; /* code 255: beyond the 245 productions */
    assert_true(iso2_decode_fragment(bytes, (size_t)n, f) < 0);
    free(f);
}

/* eMAID in the ISO-2 schema set: eMAIDType (a string, PaymentDetailsReq, CertificateUpdateReq) and EMAIDType (the
 * same string with an Id attribute, CertificateInstallationRes/CertificateUpdateRes, where it is signed). The
 * fragment grammar cannot tell them apart, so the element's content takes the relaxed grammar of EXI 8.5.3:
 *   ElementFragment0: AT(A_0..A_9) AT(*) SE(F_0..F_242) SE(*) EE CH   (attributes allowed, then -> 1)
 *   ElementFragment1: SE(F_0..F_242) SE(*) EE CH
 * A = the 10 attribute qnames of the schema set sorted by local name then namespace: Algorithm, Encoding, Id,
 * {MsgBody}Id, {MsgDataTypes}Id (EMAIDType's, attributeFormDefault="qualified"), MimeType, {MsgDataTypes}Name,
 * Target, Type, URI; F = the 243 element qnames the fragment grammar numbers. Values: the Id as its type xs:ID, the
 * characters untyped; both are strings (length + 2, then the code points). Non-strict (8.5.4.4) adds only
 * second-level events, which keep one more code: widths ceil(log2(257 + 1)) = 9 and ceil(log2(246 + 1)) = 8. */
enum {
    N_ATTR = 10,
    N_ELEM = 243,
    SE_EMAID = 236,                         /* eMAID's rank among the 243 qnames (lowercase sorts last) */
    AT_ID = 4,                              /* {MsgDataTypes}Id in A */
    EF0_EE = N_ATTR + 1 + N_ELEM + 1,       /* 255, after AT(*) and SE(*) */
    EF0_CH = EF0_EE + 1,                    /* 256 */
    EF0_BITS = 9,
    EF1_EE = N_ELEM + 1,                    /* 244 */
    EF1_CH = EF1_EE + 1,                    /* 245 */
    EF1_BITS = 8,
    FRAG_ED = N_ELEM + 1,                   /* FragmentContent: SE(F_0..F_242) SE(*) ED, 8 bits */
    FRAG_BITS = 8,
};

/* A stream built bit by bit, most significant bit first. */
struct bits {
    uint8_t b[128];
    size_t n; /* bits written */
};

static void put(struct bits *s, unsigned width, uint32_t v)
{
    while (width--) {
        if (v >> width & 1u)
            s->b[s->n / 8] |= (uint8_t)(0x80u >> (s->n % 8));
        s->n++;
    }
}

/* An ASCII string as EXI writes a literal: length + 2, then each code point (all below 128: one byte each). */
static void put_string(struct bits *s, const char *text)
{
    put(s, 8, (uint32_t)strlen(text) + 2);
    for (const char *c = text; *c; c++)
        put(s, 8, (uint8_t)*c);
}

static void put_emaid_start(struct bits *s)
{
    memset(s, 0, sizeof *s);
    put(s, 8, 0x80);             /* header */
    put(s, FRAG_BITS, SE_EMAID); /* SE(eMAID) */
}

static void set_emaid(struct iso2_exiFragment *f, const char *id, const char *value)
{
    memset(f, 0, sizeof *f);
    f->root = ISO2_FRAG_eMAID;
    if (id) {
        f->eMAID.has_Id = true;
        SET_STR(f->eMAID.Id, id);
    }
    if (value) {
        f->eMAID.has_CONTENT = true;
        SET_STR(f->eMAID.CONTENT, value);
    }
}

/* The vector of EVerest/cbexigen issue #60 ("fragment encoding of EMAIDType(15118-2)",
 * https://github.com/EVerest/cbexigen/issues/60): eMAID Id="id4" "DEABCC123ABC56", as encoded by OpenV2G (since its
 * fix of the same issue) and SwitchEV's RISE-V2G; the EMAIDType grammar gives other bytes. The same stream is then
 * built from the grammar above: header, SE(eMAID) 236, AT(Id) 4 (9 bits), "id4", CH 256 (9 bits), the value,
 * EE 244 (8 bits), ED 244. */
static void emaid_relaxed_vector(void **state)
{
    (void)state;
    assert_int_equal(ISO2_FRAG_eMAID, SE_EMAID + 1);
    struct iso2_exiFragment *f = calloc(1, sizeof *f);
    set_emaid(f, "id4", "DEABCC123ABC56");
    CHECK_VECTOR(iso2_encode_fragment, iso2_decode_fragment, struct iso2_exiFragment, f,
                 "80 EC 02 02 B4 B2 1A 40 04 11 11 50 50 90 D0 CC 4C 8C D0 50 90 CD 4D BD 3D 00");
    struct bits s;
    put_emaid_start(&s);
    put(&s, EF0_BITS, AT_ID);
    put_string(&s, "id4");
    put(&s, EF0_BITS, EF0_CH);
    put_string(&s, "DEABCC123ABC56");
    put(&s, EF1_BITS, EF1_EE);
    put(&s, FRAG_BITS, FRAG_ED);
    uint8_t out[64];
    size_t len;
    assert_int_equal(iso2_encode_fragment(f, out, sizeof out, &len), 0);
    assert_int_equal(len, (s.n + 7) / 8);
    assert_memory_equal(out, s.b, len);
    free(f);
}

/* The other paths of the grammar: no Id (the characters straight from ElementFragment0), an Id and no characters
 * (EE in ElementFragment0, 9 bits), an empty element. Each built bit by bit, encoded, decoded back. */
static void emaid_relaxed_paths(void **state)
{
    (void)state;
    struct iso2_exiFragment *f = calloc(1, sizeof *f), *back = calloc(1, sizeof *back);
    static const struct {
        const char *id, *value;
    } cases[] = {{NULL, "DE8AAA1B2C3D4E5"}, {"emaid-7", NULL}, {NULL, NULL}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct bits s;
        put_emaid_start(&s);
        if (cases[i].id) {
            put(&s, EF0_BITS, AT_ID);
            put_string(&s, cases[i].id);
        }
        if (cases[i].value) {
            put(&s, EF0_BITS, EF0_CH);
            put_string(&s, cases[i].value);
            put(&s, EF1_BITS, EF1_EE);
        } else {
            put(&s, EF0_BITS, EF0_EE);
        }
        put(&s, FRAG_BITS, FRAG_ED);
        set_emaid(f, cases[i].id, cases[i].value);
        uint8_t out[64];
        size_t len;
        assert_int_equal(iso2_encode_fragment(f, out, sizeof out, &len), 0);
        assert_int_equal(len, (s.n + 7) / 8);
        assert_memory_equal(out, s.b, len);
        assert_int_equal(iso2_decode_fragment(s.b, len, back), 0);
        assert_int_equal(back->root, ISO2_FRAG_eMAID);
        assert_int_equal(back->eMAID.has_Id, cases[i].id != NULL);
        assert_int_equal(back->eMAID.has_CONTENT, cases[i].value != NULL);
        if (cases[i].id)
            assert_string_equal(back->eMAID.Id.chars, cases[i].id);
        if (cases[i].value)
            assert_string_equal(back->eMAID.CONTENT.chars, cases[i].value);
    }
    free(f);
    free(back);
}

/* What the relaxed grammar allows but the struct cannot hold is refused, not dropped: another attribute (Algorithm,
 * code 0), a child element (F_0, code N_ATTR + 1), the Id twice, a second run of characters (CH in
 * ElementFragment1); an attribute after the characters is not in ElementFragment1 at all (its code 4 is an SE). */
static void emaid_relaxed_refusals(void **state)
{
    (void)state;
    struct iso2_exiFragment *f = calloc(1, sizeof *f);
    struct bits s;
    put_emaid_start(&s);
    put(&s, EF0_BITS, 0);
    put_string(&s, "http://x/");
    assert_int_equal(iso2_decode_fragment(s.b, sizeof s.b, f), CCS_EUNSUPP);
    put_emaid_start(&s);
    put(&s, EF0_BITS, N_ATTR + 1);
    assert_int_equal(iso2_decode_fragment(s.b, sizeof s.b, f), CCS_EUNSUPP);
    put_emaid_start(&s);
    put(&s, EF0_BITS, AT_ID);
    put_string(&s, "a");
    put(&s, EF0_BITS, AT_ID);
    put_string(&s, "b");
    assert_int_equal(iso2_decode_fragment(s.b, sizeof s.b, f), CCS_EUNSUPP);
    put_emaid_start(&s);
    put(&s, EF0_BITS, EF0_CH);
    put_string(&s, "DE8AAA1B2C3D4E5");
    put(&s, EF1_BITS, EF1_CH);
    put_string(&s, "X");
    assert_int_equal(iso2_decode_fragment(s.b, sizeof s.b, f), CCS_ECAP);
    put_emaid_start(&s);
    put(&s, EF0_BITS, EF0_CH);
    put_string(&s, "DE8AAA1B2C3D4E5");
    put(&s, EF1_BITS, AT_ID);
    assert_int_equal(iso2_decode_fragment(s.b, sizeof s.b, f), CCS_EUNSUPP);
    free(f);
}

/* The eMAID of every CertificateInstallationRes of the corpus (what a car digests to check the signature):
 * encoded as a fragment, it decodes back to the same Id and value. */
static void emaid_from_corpus(void **state)
{
    (void)state;
    struct corpus_line *lines;
    size_t n, seen = 0;
    char *buf = corpus_load(tu_shared("corpus/iso2.tsv"), &lines, &n);
    assert_non_null(buf);
    struct iso2_exiDocument *doc = calloc(1, sizeof *doc);
    struct iso2_exiFragment *f = calloc(1, sizeof *f), *back = calloc(1, sizeof *back);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(lines[i].message, "CertificateInstallationRes") != 0)
            continue;
        uint8_t in[8192], out[128];
        long len = tu_hex2bin(lines[i].hex, in, sizeof in);
        assert_true(len > 0);
        assert_int_equal(iso2_decode(in, (size_t)len, doc), 0);
        assert_int_equal(doc->V2G_Message.Body.BodyElement_choice, iso2_BodyType_CertificateInstallationRes);
        const struct iso2_EMAIDType *e = &doc->V2G_Message.Body.CertificateInstallationRes.eMAID;
        set_emaid(f, e->Id.chars, e->CONTENT.chars);
        size_t flen;
        assert_int_equal(iso2_encode_fragment(f, out, sizeof out, &flen), 0);
        assert_int_equal(out[1], SE_EMAID); /* header, then the 8-bit SE(eMAID) */
        assert_int_equal(iso2_decode_fragment(out, flen, back), 0);
        assert_int_equal(back->root, ISO2_FRAG_eMAID);
        assert_true(back->eMAID.has_Id && back->eMAID.has_CONTENT);
        assert_int_equal(back->eMAID.Id.len, e->Id.len);
        assert_memory_equal(back->eMAID.Id.chars, e->Id.chars, e->Id.len);
        assert_int_equal(back->eMAID.CONTENT.len, e->CONTENT.len);
        assert_memory_equal(back->eMAID.CONTENT.chars, e->CONTENT.chars, e->CONTENT.len);
        seen++;
    }
    assert_true(seen >= 3);
    free(doc);
    free(f);
    free(back);
    free(lines);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(authorization_req),        cmocka_unit_test(metering_receipt_req),
        cmocka_unit_test(sales_tariff),             cmocka_unit_test(signed_info_iso2_grammar),
        cmocka_unit_test(signed_info_xmldsig_grammar), cmocka_unit_test(fragment_refuses_garbage),
        cmocka_unit_test(emaid_relaxed_vector),     cmocka_unit_test(emaid_relaxed_paths),
        cmocka_unit_test(emaid_relaxed_refusals),   cmocka_unit_test(emaid_from_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
