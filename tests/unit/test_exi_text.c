/* The EXI text layer (src/tool/exi_text.c, exi_values_text.c): exact decimals of Value x 10^Exponent over the
 * whole schema range, and decoded documents through the key=value and XML forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/exi_text.h"
#include "ccsplc/gen/iso20_dc.h"
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
static void rational_extremes_in_kv(void **state)
{
    (void)state;
    struct corpus_line *lines;
    size_t n;
    char *buf = corpus_load(tu_shared("corpus/iso20.tsv"), &lines, &n);
    assert_non_null(buf);
    const struct corpus_line *cl = NULL;
    for (size_t i = 0; i < n && !cl; i++)
        if (!strcmp(lines[i].proto, "iso20-dc") && !strcmp(lines[i].message, "DC_ChargeLoopReq"))
            cl = &lines[i];
    assert_non_null(cl);
    const struct exi_proto *p = exi_proto_find("iso20-dc");
    struct iso20_dc_exiDocument *doc = calloc(1, sizeof *doc);
    uint8_t in[4096];
    long len = tu_hex2bin(cl->hex, in, sizeof in);
    assert_true(len > 0);
    assert_int_equal(exi_decode(p->codec, in, (size_t)len, doc), 0);
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
    free(lines);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scaled_exact_whole_range),
        cmocka_unit_test(rational_extremes_in_kv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
