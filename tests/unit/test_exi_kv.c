/* The key=value reader (exi_text_from_kv): every corpus vector decoded, written as --kv text, read back and
 * re-encoded to the same bytes; hostile key=value text gives a clear error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/tools/exi_text.h"
#include "corpus.h"
#include "testutil.h"

static size_t checked;

/* hex -> doc -> "schema=P\nmessage=NAME\n" + kv -> doc -> EXI: the corpus bytes again. */
static const char *roundtrip(const struct corpus_line *l, const char **note)
{
    (void)note;
    static char why[1200];
    const struct exi_proto *p = exi_proto_find(l->proto);
    uint8_t in[8192], out[8192];
    long n = tu_hex2bin(l->hex, in, sizeof in);
    void *doc = calloc(1, p ? p->doc_size : 1), *back = calloc(1, p ? p->doc_size : 1);
    char *text = NULL;
    const char *res = NULL;
    size_t olen = 0;
    checked++;
    if (!p || n <= 0 || !doc || !back || exi_decode(p->codec, in, (size_t)n, doc)) {
        res = "does not decode";
        goto done;
    }
    char head[256];
    size_t hl = (size_t)snprintf(head, sizeof head, "schema=%s\nmessage=%s\n", p->name, exi_text_message_name(p, doc));
    size_t kl = 0, cap = 0;
    do { /* as exi_text_kv_buf asks: again with more room until the whole text fits */
        cap = kl + 1 > 2 * cap ? kl + 1 : 2 * cap;
        free(text);
        text = malloc(hl + cap);
        memcpy(text, head, hl);
        kl = exi_text_kv_buf(p, doc, '\n', text + hl, cap);
    } while (kl >= cap);
    if (exi_text_kv_schema(text, hl + kl) != p) {
        res = "schema= not recognised";
    } else if (exi_text_from_kv(p, text, hl + kl, back, why, sizeof why)) {
        res = why;
    } else if (exi_encode(p->codec, back, out, sizeof out, &olen)) {
        res = "does not encode";
    } else {
        res = corpus_same_encoding(in, (size_t)n, out, olen);
    }
done:
    free(text);
    free(doc);
    free(back);
    return res;
}

/* Lines of the corpus file that hold a vector (proto TAB message TAB hex ...), counted on their own. */
static size_t vectors(const char *file)
{
    FILE *f = fopen(tu_shared(file), "r");
    char line[65536];
    size_t n = 0;
    while (f && fgets(line, sizeof line, f))
        n += strchr(line, '\t') != NULL;
    if (f)
        fclose(f);
    return n;
}

#define KV_FILE_TEST(file)                                                                                        \
    static void kv_##file(void **state)                                                                           \
    {                                                                                                             \
        (void)state;                                                                                              \
        checked = 0;                                                                                              \
        assert_int_equal(corpus_check_file("corpus/" #file ".tsv", roundtrip), 0);                                \
        assert_true(checked > 0);                                                                                 \
        assert_int_equal(checked, vectors("corpus/" #file ".tsv"));                                               \
    }
KV_FILE_TEST(app)
KV_FILE_TEST(din)
KV_FILE_TEST(iso2)
KV_FILE_TEST(iso20)

/* text read with p: the code, and msg holding want. */
static void expect_error(const char *proto, const char *text, int code, const char *want)
{
    const struct exi_proto *p = exi_proto_find(proto);
    void *doc = calloc(1, p->doc_size);
    char msg[512];
    int rc = exi_text_from_kv(p, text, strlen(text), doc, msg, sizeof msg);
    free(doc);
    if (rc != code || !strstr(msg, want))
        fail_msg("'%s': got %d (%s), wanted %d with '%s'", text, rc, msg, code, want);
}

#define CDR "schema=din message=CurrentDemandReq SessionID=0011223344556677 "

static void kv_hostile(void **state)
{
    (void)state;
    /* a good message first, so that the errors below are the pairs' own */
    const struct exi_proto *p = exi_proto_find("din");
    void *doc = calloc(1, p->doc_size);
    char msg[512];
    const char *good = CDR "EVTargetCurrent=12.5 EVTargetCurrent.Multiplier=-1 EVTargetCurrent.Unit=A";
    assert_int_equal(exi_text_from_kv(p, good, strlen(good), doc, msg, sizeof msg), 0);
    free(doc);
    expect_error("din", CDR "Bogus=1", CCS_EPROTO, "pair 4 (Bogus): unknown key");
    expect_error("din", CDR "EVTargetCurrent.Bogus=1", CCS_EPROTO, "unknown key");
    expect_error("din", CDR "EVTargetCurrent=12x", CCS_ESYNTAX, "bad number '12x'");
    expect_error("din", CDR "EVTargetCurrent=", CCS_ESYNTAX, "bad number");
    expect_error("din", CDR "EVTargetCurrent=1000000", CCS_ERANGE, "out of range");   /* Value is a short */
    expect_error("din", CDR "EVTargetCurrent=1.25 EVTargetCurrent.Multiplier=-1", CCS_ERANGE, "not a multiple");
    expect_error("din", CDR "EVTargetCurrent=1 EVTargetCurrent.Multiplier=7", CCS_ERANGE, "bad exponent");
    expect_error("din", CDR "DC_EVStatus.EVRESSSOC=101", CCS_ERANGE, "bad value '101'"); /* 0..100 */
    expect_error("din", CDR "DC_EVStatus.EVErrorCode=NoSuchCode", CCS_ERANGE, "bad value");
    expect_error("din", CDR "SessionID=0011223", CCS_ESYNTAX, "bad value"); /* odd hex: cut short */
    expect_error("din", CDR "DC_EVStatus.EVRESSSOC", CCS_ESYNTAX, "not key=value"); /* cut before '=' */
    expect_error("din", CDR "EVTargetCurrent.Unit", CCS_ESYNTAX, "not key=value");
    expect_error("din", "schema=din", CCS_EPROTO, "second pair must be message=");
    expect_error("din", "", CCS_EPROTO, "first pair must be schema=");
    expect_error("din", "schema=iso2 message=SessionSetupReq", CCS_EPROTO, "schema=iso2, not din");
    expect_error("din", "schema=din message=NoSuchReq", CCS_EPROTO, "not a message of");
    expect_error("din", CDR "Unit[x]=A", CCS_ESYNTAX, "bad key segment");
    expect_error("din", CDR "EVMaximumVoltageLimit=1 EVMaximumVoltageLimit=2", CCS_ECAP, "given twice");
    expect_error("app", "schema=app message=supportedAppProtocolReq AppProtocol[1].SchemaID=1", CCS_ESYNTAX,
                 "out of order");
    expect_error("app", "schema=app message=supportedAppProtocolReq AppProtocol.SchemaID=1", CCS_ESYNTAX,
                 "needs an index");
    expect_error("din", CDR "SessionID[0]=00", CCS_ESYNTAX, "not a list");
    expect_error("din", CDR "EVTargetCurrent.Unit=Ohm", CCS_ERANGE, "bad value 'Ohm'");
    expect_error("iso2", "schema=iso2 message=SessionSetupRes EVSEID=DE%4", CCS_ESYNTAX, "bad %XX escape");
}

/* key=value text read, encoded, decoded and printed again: the text holds want, and reads back into the same
 * bytes. */
static void kv_again(const char *proto, const char *text, const char *want)
{
    const struct exi_proto *p = exi_proto_find(proto);
    void *doc = calloc(1, p->doc_size), *back = calloc(1, p->doc_size);
    char msg[512], again[4096], head[128];
    uint8_t e1[4096], e2[4096];
    size_t n1, n2;
    assert_non_null(doc);
    assert_non_null(back);
    if (exi_text_from_kv(p, text, strlen(text), doc, msg, sizeof msg))
        fail_msg("'%s' does not read: %s", text, msg);
    assert_int_equal(exi_encode(p->codec, doc, e1, sizeof e1, &n1), 0);
    memset(doc, 0, p->doc_size);
    assert_int_equal(exi_decode(p->codec, e1, n1, doc), 0);
    size_t hl = (size_t)snprintf(head, sizeof head, "schema=%s\nmessage=%s\n", p->name, exi_text_message_name(p, doc));
    memcpy(again, head, hl);
    size_t kl = exi_text_kv_buf(p, doc, '\n', again + hl, sizeof again - hl);
    assert_true(kl < sizeof again - hl);
    if (!strstr(again, want))
        fail_msg("printed without '%s':\n%s", want, again);
    if (exi_text_from_kv(p, again, hl + kl, back, msg, sizeof msg))
        fail_msg("printed text does not read back: %s\n%s", msg, again);
    assert_int_equal(exi_encode(p->codec, back, e2, sizeof e2, &n2), 0);
    assert_memory_equal(e1, e2, n1);
    assert_int_equal(n1, n2);
    free(doc);
    free(back);
}

/* Values the corpus has none of, found by fuzz_exi_text: an enumeration literal with a space (ISO-20 WPT's
 * "External confirmation", escaped as strings are: %20) and a RationalNumber whose decimal has more digits than
 * 64 bits hold (218 x 10^125: the trailing zeros are an exponent, not an overflow). */
static void kv_escaped_and_long(void **state)
{
    (void)state;
    kv_again("iso20-wpt",
             "schema=iso20-wpt message=WPT_FinePositioningSetupReq SessionID=0011223344556677 TimeStamp=1700000000 "
             "EVProcessing=Finished EVDeviceFinePositioningMethodList.WPT_FinePositioningMethod[0]=Manual "
             "EVDevicePairingMethodList.WPT_PairingMethod[0]=External%20confirmation "
             "EVDevicePairingMethodList.WPT_PairingMethod[1]=LPE "
             "EVDeviceAlignmentCheckMethodList.WPT_AlignmentCheckMethod[0]=PowerCheck NaturalOffset=5",
             "\nEVDevicePairingMethodList.WPT_PairingMethod[0]=External%20confirmation\n");
    char power[200] = "218";
    memset(power + 3, '0', 125);
    power[128] = 0;
    char text[1024], want[256];
    snprintf(text, sizeof text,
             "schema=iso20-common message=PowerDeliveryReq SessionID=9d7a2abfdab4bbb8 TimeStamp=1729821051 "
             "EVProcessing=Ongoing ChargeProgress=Start EVPowerProfile.TimeAnchor=1734785959 "
             "EVPowerProfile.Scheduled_EVPPTControlMode.SelectedScheduleTupleID=1 "
             "EVPowerProfile.EVPowerProfileEntries.EVPowerProfileEntry[0].Duration=1800 "
             "EVPowerProfile.EVPowerProfileEntries.EVPowerProfileEntry[0].Power=%s "
             "EVPowerProfile.EVPowerProfileEntries.EVPowerProfileEntry[0].Power.Exponent=125",
             power);
    snprintf(want, sizeof want, "EVPowerProfileEntry[0].Power=%s\n", power);
    kv_again("iso20-common", text, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(kv_app), cmocka_unit_test(kv_din), cmocka_unit_test(kv_iso2),
                                       cmocka_unit_test(kv_iso20), cmocka_unit_test(kv_hostile),
                                       cmocka_unit_test(kv_escaped_and_long)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
