/* The EXI text layer (src/tool/exi_text.c, exi_values_text.c, exi_xml_read.c): exact decimals of Value x
 * 10^Exponent over the whole schema range, and strings with every kind of character through the key=value and
 * XML forms and back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/tools/exi_text.h"
#include "ccsplc/core/gen/iso2.h"
#include "ccsplc/core/gen/iso20_dc.h"
#include "corpus.h"
#include "tool/exi_values_text.h"
#include "testutil.h"

/* A decimal in canonical form: sign, significant digits without leading or trailing zeros, and the power of
 * ten of the last digit ("0" is {0, "", 0}). */
typedef struct {
    int neg;
    char digits[64];
    long exp;
} canon;

/* Canonical form of value x 10^exp, from the value's own digits (the model the output is held to). */
static canon canon_of(int64_t value, long exp)
{
    canon c = {0};
    char d[32];
    snprintf(d, sizeof d, "%" PRId64, value);
    const char *s = d;
    if (*s == '-') {
        c.neg = 1;
        s++;
    }
    size_t n = strlen(s);
    while (n && s[n - 1] == '0') {
        n--;
        exp++;
    }
    if (!n)
        return (canon){0};
    memcpy(c.digits, s, n);
    c.exp = exp;
    return c;
}

/* Canonical form of a plain decimal text ("-0.0042", "37810"); -1 when it is not one. */
static int canon_parse(const char *t, canon *c)
{
    memset(c, 0, sizeof *c);
    if (*t == '-') {
        c->neg = 1;
        t++;
    }
    char all[512];
    size_t n = 0;
    long frac = -1;
    for (; *t; t++) {
        if (*t == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (*t < '0' || *t > '9' || n + 1 >= sizeof all)
            return -1;
        all[n++] = *t;
        if (frac >= 0)
            frac++;
    }
    if (!n || frac == 0)
        return -1;
    all[n] = 0;
    long exp = frac > 0 ? -frac : 0;
    size_t start = 0;
    while (start < n && all[start] == '0')
        start++;
    while (n > start && all[n - 1] == '0') {
        n--;
        exp++;
    }
    if (n == start) {
        int neg = c->neg;
        *c = (canon){0};
        return neg ? -1 : 0; /* "-0" is not how zero is written */
    }
    if (n - start >= sizeof c->digits)
        return -1;
    memcpy(c->digits, all + start, n - start);
    c->exp = exp;
    return 0;
}

static void assert_scaled(int64_t value, int exp)
{
    char out[EXI_TEXT_SCALED_CAP + 8];
    memset(out, 'x', sizeof out);
    size_t n = exi_text_scaled(value, exp, out, EXI_TEXT_SCALED_CAP);
    assert_int_equal(n, strlen(out));
    assert_true(out[EXI_TEXT_SCALED_CAP] == 'x'); /* nothing written past cap */
    canon want = canon_of(value, exp), got;
    if (canon_parse(out, &got) || got.neg != want.neg || strcmp(got.digits, want.digits) || got.exp != want.exp)
        fail_msg("%" PRId64 " x 10^%d printed as '%s'", value, exp, out);
    /* no trailing zeros after a decimal point, no point without a fraction */
    const char *dot = strchr(out, '.');
    if (dot)
        assert_true(out[strlen(out) - 1] != '0' && out[strlen(out) - 1] != '.');
}

/* Every Exponent an ISO-20 RationalNumber can carry (xs:byte) with values across int16 and int64: the exact
 * decimal, never a cut one (1 x 10^108 was printed as 10^94) and never beyond the buffer. */
static void scaled_exact_whole_range(void **state)
{
    (void)state;
    static const int64_t values[] = {0, 1, -1, 7, 10, -100, 4128, 32767, -32768, 1000000, 123456789012345678,
                                     INT64_MAX, INT64_MIN};
    for (int exp = -128; exp <= 127; exp++)
        for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
            assert_scaled(values[i], exp);
    char out[512], want[160] = "1";
    exi_text_scaled(1, 108, out, sizeof out);
    memset(want + 1, '0', 108);
    want[109] = 0;
    assert_string_equal(out, want);
    /* beyond what fits (no schema has such exponents): digits and the power of ten, still exact */
    exi_text_scaled(-32768, INT64_MIN, out, EXI_TEXT_SCALED_CAP);
    assert_string_equal(out, "-32768e-9223372036854775808");
    exi_text_scaled(1200, INT64_MAX - 1, out, EXI_TEXT_SCALED_CAP);
    assert_string_equal(out, "120e9223372036854775807"); /* 1200 x 10^(max-1): one zero fits */
    exi_text_scaled(7, 200, out, 16);
    assert_string_equal(out, "7e200");
}

/* A decoded ISO-20 DC_ChargeLoopReq of the corpus with EVPresentVoltage's Exponent set to the schema's limits:
 * the key=value form holds the exact value (decode, exi decode --kv and listen all print this form). */
/* The field walk into a caller buffer: the corpus's key=value text (here the ISO-2 MeteringReceiptReq whose body
 * SessionID clashes with the header's and gets the message name as prefix), the same text exi_text_kv writes,
 * and at every smaller capacity a NUL-terminated prefix of it with the whole length returned (as snprintf). */
static void kv_into_caller_buffer(void **state)
{
    (void)state;
    const struct exi_proto *p = exi_proto_find("iso2");
    struct iso2_exiDocument *doc = calloc(1, sizeof *doc);
    const char *want = "SessionID=e85bc7b30cc94fa0 MeteringReceiptReq.SessionID=e85bc7b30cc94fa0 MeterInfo.MeterID=";
    assert_int_equal(corpus_decode_first("iso2.tsv", "iso2", "MeteringReceiptReq", "MeteringReceiptReq.SessionID=",
                                         doc), 0);
    char full[4096];
    size_t n = exi_text_kv_buf(p, doc, ' ', full, sizeof full);
    assert_true(n < sizeof full);
    assert_int_equal(strlen(full), n);
    assert_memory_equal(full, want, strlen(want));
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    assert_int_equal(exi_text_kv(f, p, doc, ' '), 0);
    fclose(f);
    assert_string_equal(text, full);
    free(text);
    for (size_t cap = 0; cap <= n + 1; cap++) {
        char small[4096];
        memset(small, 'x', sizeof small);
        size_t got = exi_text_kv_buf(p, doc, ' ', small, cap);
        if (cap > n)
            assert_int_equal(got, n);
        else
            assert_true(got >= cap); /* "call again with more room" */
        if (cap) {
            assert_int_equal(strlen(small), cap - 1 < n ? cap - 1 : n);
            assert_memory_equal(small, full, strlen(small));
        }
        assert_int_equal(small[cap], 'x'); /* nothing written past cap */
    }
    free(doc);
}

static void rational_extremes_in_kv(void **state)
{
    (void)state;
    const struct exi_proto *p = exi_proto_find("iso20-dc");
    struct iso20_dc_exiDocument *doc = calloc(1, sizeof *doc);
    assert_int_equal(corpus_decode_first("iso20.tsv", "iso20-dc", "DC_ChargeLoopReq", NULL, doc), 0);
    static const int exps[] = {-128, -95, 94, 127};
    for (size_t k = 0; k < sizeof exps / sizeof exps[0]; k++) {
        struct iso20_dc_RationalNumberType *v = &doc->DC_ChargeLoopReq.EVPresentVoltage;
        v->Exponent = (int8_t)exps[k];
        v->Value = -32768;
        char *text = NULL;
        size_t tlen = 0;
        FILE *f = open_memstream(&text, &tlen);
        assert_int_equal(exi_text_kv(f, p, doc, '\n'), 0);
        fclose(f);
        const char *line = strstr(text, "\nEVPresentVoltage=");
        assert_non_null(line);
        char value[512];
        assert_int_equal(sscanf(line + strlen("\nEVPresentVoltage="), "%511[^\n]", value), 1);
        canon want = canon_of(-32768, exps[k]), got;
        assert_int_equal(canon_parse(value, &got), 0);
        assert_string_equal(got.digits, want.digits);
        assert_int_equal(got.exp, want.exp);
        assert_true(got.neg);
        char key[64];
        snprintf(key, sizeof key, "\nEVPresentVoltage.Exponent=%d\n", exps[k]);
        assert_non_null(strstr(text, key));
        free(text);
    }
    free(doc);
}

/* UTF-8 of code points (surrogates too, as EXI carries them): the test's own encoder. */
static size_t utf8(const uint32_t *cps, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cps[i];
        if (c < 0x80) {
            out[k++] = (char)c;
        } else if (c < 0x800) {
            out[k++] = (char)(0xC0 | c >> 6);
            out[k++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[k++] = (char)(0xE0 | c >> 12);
            out[k++] = (char)(0x80 | (c >> 6 & 0x3F));
            out[k++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[k++] = (char)(0xF0 | c >> 18);
            out[k++] = (char)(0x80 | (c >> 12 & 0x3F));
            out[k++] = (char)(0x80 | (c >> 6 & 0x3F));
            out[k++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[k] = 0;
    return k;
}

#define SET_STRING(field, cps, n)                                                                                \
    do {                                                                                                      \
        (field).len = (uint16_t)utf8(cps, n, (field).chars);                                                  \
    } while (0)

/* Text with no C0 control but line feeds, no DEL, no C1 control (U+0080..U+009F: C2 80..C2 9F in UTF-8). */
static void assert_no_controls(const char *text, size_t len, const char *what)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\n') || c == 0x7F || (c == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] < 0xA0))
            fail_msg("%s: raw control character 0x%02x at %zu:\n%s", what, c, i, text);
    }
}

static char *printed(const struct exi_proto *p, const void *doc, int xml, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    assert_int_equal(xml ? exi_text_xml(f, p, doc) : exi_text_kv(f, p, doc, '\n'), 0);
    fclose(f);
    return text;
}

/* decode -> XML -> exi encode gives the same bytes, and neither text form holds a raw control character. */
static void assert_xml_round_trip(const struct exi_proto *p, const void *doc, char **xml_out)
{
    uint8_t e1[8192], e2[8192];
    size_t n1, n2, len;
    assert_int_equal(exi_encode(p->codec, doc, e1, sizeof e1, &n1), 0);
    char *kv = printed(p, doc, 0, &len);
    assert_no_controls(kv, len, "key=value");
    free(kv);
    char *xml = printed(p, doc, 1, &len);
    assert_no_controls(xml, len, "XML");
    void *back = calloc(1, p->doc_size);
    char msg[256];
    if (exi_text_from_xml(p, xml, len, back, msg, sizeof msg))
        fail_msg("XML does not read back: %s\n%s", msg, xml);
    assert_int_equal(exi_encode(p->codec, back, e2, sizeof e2, &n2), 0);
    if (n1 != n2 || memcmp(e1, e2, n1))
        fail_msg("XML round trip changed the message:\n%s", xml);
    free(back);
    *xml_out = xml;
}

/* Every kind of character a string can carry (EXI 7.1.10: any code point) in element content, in an attribute
 * (ISO-2 Parameter Name) and in simple content with an attribute (ISO-2 EMAIDType: Id + characters): NUL, BEL,
 * ESC, tab, line feed, carriage return, DEL, a C1 control (CSI, U+009B), a surrogate, U+FFFE, U+FFFF, XML's
 * markup characters, a bidi override, a 4-byte character. */
static void xml_carries_every_string(void **state)
{
    (void)state;
    static const uint32_t evil[] = {'A', 0, 7, 0x1B, '[', '2', 'J', '\t', '\n', '\r', 0x7F, 0x9B, 0xD800, 0xFFFE,
                                    0xFFFF, '<', '&', '>', '"', 0x202E, 0x1F50C, 'Z'};
    static const uint32_t evil15[] = {'D', 'E', 0, '\r', 0x1B, '<', 0x9B, 0xFFFF, '1', '2', '3', '4', '5', '6', 'X'};
    static const uint32_t mixed15[] = {'D', 'E', '*', 0xD6, 0x20AC, 0xDF, '*', 0x1F50C, '1', '2', '3', '4', '5', '*',
                                       'X'};
    const size_t nevil = sizeof evil / sizeof evil[0];
    const struct exi_proto *p = exi_proto_find("iso2");
    struct iso2_exiDocument *doc = calloc(1, sizeof *doc);
    doc->root = ISO2_ROOT_V2G_Message;
    doc->V2G_Message.Header.SessionID.len = 8;
    doc->V2G_Message.Body.BodyElement_choice = iso2_BodyType_ServiceDetailRes;
    struct iso2_ServiceDetailResType *r = &doc->V2G_Message.Body.ServiceDetailRes;
    r->ServiceID = 1;
    r->has_ServiceParameterList = true;
    r->ServiceParameterList.ParameterSet.count = 1;
    struct iso2_ParameterSetType *ps = &r->ServiceParameterList.ParameterSet.array[0];
    ps->Parameter.count = 2;
    SET_STRING(ps->Parameter.array[0].Name, evil, nevil);
    ps->Parameter.array[0].choice = iso2_ParameterType_stringValue;
    SET_STRING(ps->Parameter.array[0].stringValue, evil + 1, nevil - 1);
    SET_STRING(ps->Parameter.array[1].Name, evil, 1);
    ps->Parameter.array[1].choice = iso2_ParameterType_stringValue;
    SET_STRING(ps->Parameter.array[1].stringValue, evil + 9, 1); /* a lone carriage return */
    char *xml;
    assert_xml_round_trip(p, doc, &xml);
    assert_non_null(strstr(xml, ">&#13;</")); /* a character reference: exact, no stand-in needed */
    assert_non_null(strstr(xml, "\xe2\x90\x80")); /* NUL shows as U+2400 SYMBOL FOR NULL */
    assert_non_null(strstr(xml, "<?ccsplc-string Name 41")); /* the attribute's exact bytes */
    free(xml);

    /* simple content with an attribute: a corpus CertificateInstallationRes with such an eMAID */
    assert_int_equal(corpus_decode_first("iso2.tsv", "iso2", "CertificateInstallationRes", NULL, doc), 0);
    struct iso2_EMAIDType *e = &doc->V2G_Message.Body.CertificateInstallationRes.eMAID;
    SET_STRING(e->Id, evil, nevil);
    SET_STRING(e->CONTENT, evil15, 15);
    assert_xml_round_trip(p, doc, &xml);
    free(xml);
    /* 15 characters in 21 bytes, plain text in XML: the reader counts characters against maxLength 15 */
    SET_STRING(e->Id, mixed15 + 7, 1); /* an Id of one 4-byte character */
    SET_STRING(e->CONTENT, mixed15, 15);
    assert_xml_round_trip(p, doc, &xml);
    assert_null(strstr(xml, "<?ccsplc-string"));
    free(xml);
    free(doc);
}

/* key=value escaping (%XX for bytes <= 0x20, >= 0x7f and '%') and integers, into every size of buffer: the text
 * snprintf would leave of the reference form built here byte by byte, and its whole length. */
static void kv_escape_and_int_every_cap(void **state)
{
    (void)state;
    static const char *const texts[] = {"", "A", "External confirmation", "100%", "a\001b\x7f\xc3\xa9 %z",
                                        "EVSE_Ready"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const uint8_t *s = (const uint8_t *)texts[i];
        size_t len = strlen(texts[i]);
        char ref[128] = "";
        for (size_t k = 0, n = 0; k < len; k++, n = strlen(ref)) {
            if (s[k] <= 0x20 || s[k] >= 0x7f || s[k] == '%')
                snprintf(ref + n, sizeof ref - n, "%%%02X", s[k]);
            else
                snprintf(ref + n, sizeof ref - n, "%c", s[k]);
        }
        for (size_t cap = 0; cap <= strlen(ref) + 2; cap++) {
            char out[128], want[128];
            memset(out, 'x', sizeof out);
            snprintf(want, sizeof want, "%.*s", (int)(cap ? cap - 1 : 0), ref);
            assert_int_equal(exi_text_kv_escape(s, len, cap ? out : NULL, cap), strlen(ref));
            if (cap)
                assert_string_equal(out, want);
            assert_true(out[cap] == 'x');
        }
    }
    for (int c = 0; c < 256; c++) /* every byte at every place of 19 (words of 8 are looked at at once) */
        for (size_t at = 0; at < 19; at++) {
            uint8_t in[19];
            char out[64], want[64];
            memset(in, 'a', sizeof in);
            in[at] = (uint8_t)c;
            int esc = c <= 0x20 || c >= 0x7f || c == '%';
            snprintf(want, sizeof want, esc ? "%.*s%%%02X%.*s" : "%.*s%c%.*s", (int)at, "aaaaaaaaaaaaaaaaaaa", c,
                     (int)(18 - at), "aaaaaaaaaaaaaaaaaaa");
            assert_int_equal(exi_text_kv_escape(in, sizeof in, out, sizeof out), strlen(want));
            assert_string_equal(out, want);
        }
    for (int64_t v = -25; v <= 25; v++) {
        char out[EXI_TEXT_INT_CAP], want[32];
        snprintf(want, sizeof want, "%" PRId64, v);
        assert_int_equal(exi_text_int(v, out), strlen(want));
        assert_string_equal(out, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kv_escape_and_int_every_cap),
        cmocka_unit_test(scaled_exact_whole_range),
        cmocka_unit_test(rational_extremes_in_kv),
        cmocka_unit_test(kv_into_caller_buffer),
        cmocka_unit_test(xml_carries_every_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
