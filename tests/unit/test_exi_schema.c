/* exi_schema: the codec of a namespace and of an ISO-20 payload type, and a connection's handshake followed message
 * by message (the choice the Wireshark plugin makes, as `ccsplc decode` does): the response's SchemaID picks the
 * codec, handshake messages count only in their direction, without a handshake din and iso2 messages are detected
 * (the codec that worked last first); real corpus messages throughout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/tools/exi_schema.h"
#include "ccsplc/core/v2gtp.h"
#include "corpus.h"
#include "testutil.h"

static uint8_t *doc;

/* The bytes of the first corpus line of file with this proto and message. */
static size_t corpus_msg(const char *file, const char *proto, const char *msg, uint8_t *out, size_t cap)
{
    struct corpus_line *lines;
    size_t n;
    char *buf = corpus_load(tu_shared(file), &lines, &n);
    assert_non_null(buf);
    long len = -1;
    for (size_t i = 0; i < n && len < 0; i++)
        if (!strcmp(lines[i].proto, proto) && !strcmp(lines[i].message, msg))
            len = tu_hex2bin(lines[i].hex, out, cap);
    free(lines);
    free(buf);
    assert_true(len > 0);
    return (size_t)len;
}

static int setup(void **state)
{
    (void)state;
    doc = malloc(exi_doc_max_size());
    return doc ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(doc);
    return 0;
}

/* Decode one message that must decode (ok) or fail (!ok); checks the codec used (NULL: none), returns its class
 * and, when err is not NULL, the decoder's error. */
static exi_msg_class try_step(exi_hs *h, uint16_t type, const uint8_t *p, size_t len, int from_client,
                              const char *want_codec, int ok, struct exi_error *err)
{
    const struct exi_proto *used;
    exi_msg_class cls;
    struct exi_error e = {0};
    int rc = exi_hs_decode(h, type, p, len, from_client, doc, &used, &cls, &e);
    if (ok)
        assert_int_equal(rc, 0);
    else
        assert_true(rc < 0);
    if (want_codec)
        assert_string_equal(used->name, want_codec);
    else
        assert_null(used);
    if (err)
        *err = e;
    return cls;
}

static exi_msg_class step(exi_hs *h, uint16_t type, const uint8_t *p, size_t len, int from_client,
                          const char *want_codec)
{
    return try_step(h, type, p, len, from_client, want_codec, 1, NULL);
}

static void handshake(void **state)
{
    (void)state;
    uint8_t req[256], res[16], din[256];
    size_t nreq = corpus_msg("corpus/app.tsv", "app", "supportedAppProtocolReq", req, sizeof req);
    size_t nres = corpus_msg("corpus/app.tsv", "app", "supportedAppProtocolRes", res, sizeof res);
    size_t ndin = corpus_msg("corpus/din.tsv", "din", "SessionSetupReq", din, sizeof din);
    exi_hs h;
    exi_hs_init(&h);
    assert_int_equal(step(&h, V2GTP_EXI, req, nreq, 1, "app"), EXI_MSG_HS_REQ);
    assert_int_equal(h.noffer, 1);
    assert_string_equal(h.offer[0].ns, EXI_NS_DIN);
    assert_int_equal(step(&h, V2GTP_EXI, res, nres, 0, "app"), EXI_MSG_HS_RES);
    assert_int_equal(h.state, EXI_HS_DONE);
    assert_int_equal(h.chosen, 0);
    assert_string_equal(h.proto->name, "din");
    assert_int_equal(step(&h, V2GTP_EXI, din, ndin, 1, "din"), EXI_MSG_AGREED);
    /* after the handshake a handshake response is decoded as DIN, and refused */
    assert_int_equal(try_step(&h, V2GTP_EXI, res, nres, 0, "din", 0, NULL), EXI_MSG_AGREED);
}

static void detection(void **state)
{
    (void)state;
    uint8_t req[256], din[256], iso2[512];
    size_t nreq = corpus_msg("corpus/app.tsv", "app", "supportedAppProtocolReq", req, sizeof req);
    size_t ndin = corpus_msg("corpus/din.tsv", "din", "SessionSetupReq", din, sizeof din);
    size_t niso2 = corpus_msg("corpus/iso2.tsv", "iso2", "SessionSetupReq", iso2, sizeof iso2);
    exi_hs h;
    exi_hs_init(&h);
    /* a supportedAppProtocolReq from the server is no handshake: detection, which fails */
    assert_int_equal(try_step(&h, V2GTP_EXI, req, nreq, 0, "din", 0, NULL), EXI_MSG_DETECTED); /* din tried first */
    assert_int_equal(h.state, EXI_HS_DETECT);
    assert_int_equal(step(&h, V2GTP_EXI, din, ndin, 1, "din"), EXI_MSG_DETECTED);
    assert_int_equal(step(&h, V2GTP_EXI, iso2, niso2, 1, "iso2"), EXI_MSG_DETECTED);
    assert_string_equal(h.proto->name, "iso2"); /* tried first from now on */
    static const uint8_t junk[] = {0x80, 0xff, 0xff};
    struct exi_error err;
    try_step(&h, V2GTP_EXI, junk, sizeof junk, 1, "iso2", 0, &err); /* the first codec tried and its error */
    assert_true(err.bit_offset > 0);
}

static void iso20(void **state)
{
    (void)state;
    uint8_t common[512], dc[512], ac[512];
    size_t nc = corpus_msg("corpus/iso20.tsv", "iso20-common", "SessionSetupReq", common, sizeof common);
    size_t nd = corpus_msg("corpus/iso20.tsv", "iso20-dc", "DC_ChargeLoopReq", dc, sizeof dc);
    size_t na = corpus_msg("corpus/iso20.tsv", "iso20-ac", "AC_ChargeLoopReq", ac, sizeof ac);
    int is20;
    assert_null(exi_proto_of_namespace("urn:iso:std:iso:15118:-20:DC", &is20));
    assert_int_equal(is20, 1);
    assert_string_equal(exi_proto_of_namespace(EXI_NS_ISO2, &is20)->name, "iso2");
    assert_int_equal(is20, 0);
    exi_hs h;
    exi_hs_init(&h);
    assert_int_equal(step(&h, V2GTP_ISO20_MAIN, common, nc, 1, "iso20-common"), EXI_MSG_AGREED);
    assert_int_equal(step(&h, V2GTP_ISO20_DC, dc, nd, 1, "iso20-dc"), EXI_MSG_AGREED);
    assert_int_equal(step(&h, V2GTP_ISO20_AC, ac, na, 1, "iso20-ac"), EXI_MSG_AGREED);
    assert_string_equal(exi_proto_of_payload_type(V2GTP_ISO20_ACDP)->name, "iso20-acdp");
    assert_string_equal(exi_proto_of_payload_type(V2GTP_ISO20_WPT)->name, "iso20-wpt");
    assert_int_equal(step(&h, V2GTP_ISO20_SCHED_RENEG, common, nc, 1, NULL), EXI_MSG_NO_CODEC);
    assert_int_equal(h.state, EXI_HS_NONE); /* none of these touched the handshake */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(handshake),
        cmocka_unit_test(detection),
        cmocka_unit_test(iso20),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
