/* Unit tests for the shared error-code table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/errors.h"

static void every_code_has_its_own_message(void **state)
{
    (void)state;
    const char *unknown = ccs_strerror(-9999);
    for (int e = CCS_OK; e >= CCS_ELENGTH; e--) {
        const char *m = ccs_strerror(e);
        assert_non_null(m);
        assert_string_not_equal(m, unknown);
        for (int f = e - 1; f >= CCS_ELENGTH; f--)
            assert_string_not_equal(m, ccs_strerror(f));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_code_has_its_own_message)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
