/* EXI fragments, the encoding XML signatures digest: signed ISO-2 elements as fragments of the ISO-2 schema set
 * (8-bit first event) and SignedInfo as a fragment of the xmldsig schema (6-bit). Expected bytes are the
 * published test vectors of EVerest's libcbv2g (its SignedInfo fragment test, and the fragment vectors other
 * projects check against it); each is also decoded back and re-encoded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/errors.h"
#include "ccsplc/gen/iso2.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(authorization_req),        cmocka_unit_test(metering_receipt_req),
        cmocka_unit_test(sales_tariff),             cmocka_unit_test(signed_info_iso2_grammar),
        cmocka_unit_test(signed_info_xmldsig_grammar), cmocka_unit_test(fragment_refuses_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
