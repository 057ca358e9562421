/* pyPLC's SoC callback query (src/backends/soc_callback_url.c): the car's values in Wh, -1 where it said nothing,
 * the fallback capacity, a URL that does not fit refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/soc_callback.h"

static void query(void **state)
{
    (void)state;
    soc_callback_config c = { .endpoint = "http://10.0.0.2/api", .fallback_capacity_wh = 27000.0f };
    hw_report r = { .soc = 42, .full_soc = 95, .capacity_wh = 64000.0f, .energy_request_wh = 30000.0f,
                    .evccid = "0200ABCDEF01" };
    char url[256];
    assert_int_equal(soc_callback_url(&c, &r, url, sizeof url), 0);
    assert_string_equal(url, "http://10.0.0.2/api?current_soc=42&full_soc=95&energy_capacity=64000"
                             "&energy_request=30000&evccid=0200ABCDEF01");
    hw_report none = { .soc = 7, .full_soc = -1 };
    assert_int_equal(soc_callback_url(&c, &none, url, sizeof url), 0);
    assert_string_equal(url, "http://10.0.0.2/api?current_soc=7&full_soc=-1&energy_capacity=27000"
                             "&energy_request=-1&evccid=");
    c.fallback_capacity_wh = 0.0f;
    assert_int_equal(soc_callback_url(&c, &none, url, sizeof url), 0);
    assert_non_null(strstr(url, "energy_capacity=-1&"));
    assert_int_equal(soc_callback_url(&c, &r, url, 40), CCS_ERANGE);
}

static void changes(void **state)
{
    (void)state;
    hw_report a = { .soc = 42, .full_soc = -1, .evccid = "02" }, b = a;
    assert_false(soc_callback_changed(&a, &b));
    b.target_a = 10.0f;   /* not carried by the callback */
    assert_false(soc_callback_changed(&a, &b));
    b.soc = 43;
    assert_true(soc_callback_changed(&a, &b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(query),
        cmocka_unit_test(changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
