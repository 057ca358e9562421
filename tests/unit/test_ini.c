/* Unit tests for the INI parser: pyPLC's pyPlc.ini forms (comments, [general], "key = value" with URLs and
 * Windows paths in values), key/section rules, every refusal, hostile input (prefixes, byte mutations, sizes),
 * and the number/boolean helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/ini.h"

typedef struct {
    unsigned n;
    char last[3][INI_MAX_LINE + 1];   /* section, key, value of the last key */
    unsigned last_line;
    int fail_at;                      /* return an error at this key number (1-based), 0: never */
} seen;

static int on_key(void *ctx, const char *section, const char *key, const char *value, unsigned line)
{
    seen *s = ctx;
    s->n++;
    strcpy(s->last[0], section);
    strcpy(s->last[1], key);
    strcpy(s->last[2], value);
    s->last_line = line;
    return s->fail_at && (int)s->n == s->fail_at ? CCS_ERANGE : 0;
}

/* Lines in the forms of pyPLC's doc/pyPlc.ini.template. */
static const char pyplc[] = "# This is the template file pyPlc.ini.template.\n"
                            "\n"
                            "[general]\n"
                            "# mode can be either PevMode to use as car, or EvseMode to use as charger.\n"
                            "mode = PevMode\n"
                            "is_simulation_without_modems = false\n"
                            "eth_interface = eth0\n"
                            "eth_windows_interface_name = \\Device\\NPF_{E4B8176C-8516-4D48-88BC-85225ABCF259}\n"
                            "u_delta_max_for_end_of_precharge = 10\n"
                            "charge_target_voltage = 270\n"
                            "logging_url = http://enteryourhosthere.org/pyPlcLogging/addLog.php\n"
                            "#analog_input_device = dieter\n";

static void reads_pyplc_template_forms(void **state)
{
    (void)state;
    seen s = { 0 };
    unsigned bad = 99;
    assert_int_equal(ini_parse(pyplc, strlen(pyplc), on_key, &s, &bad), 0);
    assert_int_equal(bad, 0);
    assert_int_equal(s.n, 7);
    assert_string_equal(s.last[0], "general");
    assert_string_equal(s.last[1], "logging_url");
    assert_string_equal(s.last[2], "http://enteryourhosthere.org/pyPlcLogging/addLog.php");
    assert_int_equal(s.last_line, 11);
    s = (seen){ .fail_at = 4 };   /* stop at the 4th key: eth_windows_interface_name, its Windows path intact */
    assert_int_equal(ini_parse(pyplc, strlen(pyplc), on_key, &s, &bad), CCS_ERANGE);
    assert_int_equal(bad, 8);
    assert_string_equal(s.last[2], "\\Device\\NPF_{E4B8176C-8516-4D48-88BC-85225ABCF259}");
}

static void names_values_and_line_ends(void **state)
{
    (void)state;
    const char *t = "top=1\r\n  [ PEV ]  \r\n\tTarget_SoC :  80 % \r\n; comment\nempty =\nlast=x";
    seen s = { 0 };
    s.fail_at = 1;
    assert_int_equal(ini_parse(t, strlen(t), on_key, &s, NULL), CCS_ERANGE);
    assert_string_equal(s.last[0], "");   /* before any section */
    s = (seen){ .fail_at = 2 };
    assert_int_equal(ini_parse(t, strlen(t), on_key, &s, NULL), CCS_ERANGE);
    assert_string_equal(s.last[0], "pev");
    assert_string_equal(s.last[1], "target_soc");
    assert_string_equal(s.last[2], "80 %");
    s = (seen){ .fail_at = 3 };
    assert_int_equal(ini_parse(t, strlen(t), on_key, &s, NULL), CCS_ERANGE);
    assert_string_equal(s.last[1], "empty");
    assert_string_equal(s.last[2], "");
    s = (seen){ 0 };
    assert_int_equal(ini_parse(t, strlen(t), on_key, &s, NULL), 0);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.last[2], "x");
    assert_int_equal(s.last_line, 6);
    assert_int_equal(ini_parse("", 0, on_key, &s, NULL), 0);
}

static void refusals_name_the_line(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned line;
    } bad[] = {
        { "a=1\nno separator here\n", 2 },
        { "[general\n", 1 },
        { "[]\n", 1 },
        { "[a]b]\n", 1 },
        { "= value without key\n", 1 },
        { "ke/y = 1\n", 1 },
        { "k\"ey = 1\n", 1 },
        { "a=1\nb=2\n[sec tion!]\n", 3 },
        { "0123456789012345678901234567890123456789012345678901234567890123456789 = 1\n", 1 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        seen s = { 0 };
        unsigned line = 0;
        assert_int_equal(ini_parse(bad[i].text, strlen(bad[i].text), on_key, &s, &line), CCS_ESYNTAX);
        assert_int_equal(line, bad[i].line);
    }
    /* a NUL byte inside a line, and a line longer than INI_MAX_LINE */
    static const char nul[] = "a=1\nb=x\0y\n";
    seen s = { 0 };
    unsigned line = 0;
    assert_int_equal(ini_parse(nul, sizeof nul - 1, on_key, &s, &line), CCS_ESYNTAX);
    assert_int_equal(line, 2);
    char *longline = malloc(INI_MAX_LINE + 8);
    memset(longline, 'v', INI_MAX_LINE + 8);
    memcpy(longline, "k=", 2);
    assert_int_equal(ini_parse(longline, INI_MAX_LINE, on_key, &s, &line), 0);   /* exactly the limit: fine */
    assert_int_equal(ini_parse(longline, INI_MAX_LINE + 1, on_key, &s, &line), CCS_ESYNTAX);
    free(longline);
    assert_int_equal(ini_parse("x", INI_MAX_FILE + 1, on_key, &s, &line), CCS_ERANGE);   /* refused unread */
    assert_int_equal(ini_parse(NULL, 3, on_key, &s, &line), CCS_EINVAL);
    assert_int_equal(ini_parse_file("/nonexistent/ccsplc.ini", on_key, &s, &line), CCS_EIO);
}

/* Every prefix and every single-byte change of the template: no crash, no read past the end (ASan in CI),
 * and only 0, a syntax error, or the callback's error. */
static void hostile_prefixes_and_mutations(void **state)
{
    (void)state;
    size_t n = strlen(pyplc);
    char *buf = malloc(n);
    for (size_t len = 0; len <= n; len++) {
        memcpy(buf, pyplc, len);   /* exactly len bytes: no terminator to lean on */
        seen s = { 0 };
        int rc = ini_parse(buf, len, on_key, &s, NULL);
        assert_true(rc == 0 || rc == CCS_ESYNTAX);
    }
    static const char bytes[] = { 0, '\n', '\r', '[', ']', '=', ':', '#', ' ', '\xff' };
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < sizeof bytes; b++) {
            memcpy(buf, pyplc, n);
            buf[i] = bytes[b];
            seen s = { 0 };
            int rc = ini_parse(buf, n, on_key, &s, NULL);
            assert_true(rc == 0 || rc == CCS_ESYNTAX);
        }
    free(buf);
}

static void numbers_and_booleans(void **state)
{
    (void)state;
    double v = -1;
    assert_int_equal(ini_number("270", 1, 1500, &v), 0);
    assert_true(v == 270.0);
    assert_int_equal(ini_number("12.5", 0, 100, &v), 0);
    assert_true(v == 12.5);
    assert_int_equal(ini_number("1500.5", 1, 1500, &v), CCS_ERANGE);
    assert_int_equal(ini_number("-1", 0, 100, &v), CCS_ERANGE);
    static const char *const junk[] = { "", " 5", "5 V", "abc", "nan", "1e999", "0x", "--1" };
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) assert_int_equal(ini_number(junk[i], -1e9, 1e9, &v), CCS_ESYNTAX);
    assert_true(v == 12.5);   /* untouched by refusals */
    int b = -1;
    static const char *const yes[] = { "1", "yes", "True", "ON" }, *const no[] = { "0", "No", "false", "off" };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(ini_bool(yes[i], &b), 0);
        assert_int_equal(b, 1);
        assert_int_equal(ini_bool(no[i], &b), 0);
        assert_int_equal(b, 0);
    }
    assert_int_equal(ini_bool("Yes please", &b), CCS_ESYNTAX);
    assert_int_equal(ini_bool("", &b), CCS_ESYNTAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_pyplc_template_forms),   cmocka_unit_test(names_values_and_line_ends),
        cmocka_unit_test(refusals_name_the_line),       cmocka_unit_test(hostile_prefixes_and_mutations),
        cmocka_unit_test(numbers_and_booleans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
