/* pyPLC's serial board line protocols (src/platform/hw_board.c): the bytes for a command (dieter's output word and
 * its refresh, celeron55device's lines on change) and received lines, hostile ones included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/linux/hw_serial.h"

static const char *enc(hw_board_kind k, const hw_cmd *c, const hw_cmd *sent, int any, int refresh)
{
    static char out[128];
    size_t n = hw_board_encode(k, c, sent, any, refresh, out, sizeof out - 1);
    out[n] = 0;
    return out;
}

static void dieter_output_word(void **state)
{
    (void)state;
    hw_cmd none = { 0 }, cp = { .cp_c = 1 }, both = { .cp_c = 1, .contactors = 1, .lock = 1 };
    assert_string_equal(enc(HW_BOARD_DIETER, &none, &none, 0, 0), "do0000\n");   /* first: always */
    assert_string_equal(enc(HW_BOARD_DIETER, &cp, &none, 1, 0), "do0001\n");
    assert_string_equal(enc(HW_BOARD_DIETER, &both, &cp, 1, 0), "do0003\n");
    assert_string_equal(enc(HW_BOARD_DIETER, &both, &both, 1, 0), "");           /* unchanged ... */
    assert_string_equal(enc(HW_BOARD_DIETER, &both, &both, 1, 1), "do0003\n");   /* ... until the refresh */
}

static void celeron_lines_on_change(void **state)
{
    (void)state;
    hw_cmd none = { 0 }, locked = { .lock = 1, .cp_c = 1 }, closed = { .lock = 1, .cp_c = 1, .contactors = 1 };
    assert_string_equal(enc(HW_BOARD_CELERON55, &none, &none, 0, 0), "unlock\ncp=0\ncontactor=0\n");
    assert_string_equal(enc(HW_BOARD_CELERON55, &locked, &none, 1, 0), "lock\ncp=1\n");
    assert_string_equal(enc(HW_BOARD_CELERON55, &closed, &locked, 1, 1), "contactor=1\n");
    assert_string_equal(enc(HW_BOARD_CELERON55, &closed, &closed, 1, 1), "");
    char small[8];   /* a buffer too small for a line: nothing partial */
    assert_int_equal(hw_board_encode(HW_BOARD_CELERON55, &closed, &none, 1, 0, small, sizeof small), 5);
    assert_memory_equal(small, "lock\n", 5);
}

static void celeron_received_lines(void **state)
{
    (void)state;
    hw_serial s;
    memset(&s, 0, sizeof s);
    s.kind = HW_BOARD_CELERON55;
    hw_board_line(&s, "contactor_confirmed=1");
    hw_board_line(&s, "plugged_in=0");
    hw_board_line(&s, "emergency_stop=1");
    hw_board_line(&s, "inlet_v=350");
    assert_int_equal(s.m.contactors, HW_FB_CLOSED);
    assert_true(s.m.has_plugged && !s.m.plugged && s.m.estop);
    assert_false(s.m.has_inlet_v);   /* not the analog input device */
    s.analog = 1;
    hw_board_line(&s, "inlet_v=350");
    assert_true(s.m.has_inlet_v && s.m.inlet_v == 350.0f);
    /* hostile: no number, trailing junk, huge, empty name: nothing changes */
    hw_board_line(&s, "inlet_v=");
    hw_board_line(&s, "inlet_v=12x");
    hw_board_line(&s, "inlet_v=99999999999999999999");
    hw_board_line(&s, "contactor_confirmed");
    hw_board_line(&s, "=1");
    hw_board_line(&s, "");
    assert_true(s.m.inlet_v == 350.0f && s.m.contactors == HW_FB_CLOSED);
    hw_board_line(&s, "soc_percent=55");
    assert_int_equal(s.soc_percent, 55);
}

static void dieter_inlet_voltage(void **state)
{
    (void)state;
    hw_serial s;
    memset(&s, 0, sizeof s);
    s.kind = HW_BOARD_DIETER;
    s.analog = 1;
    hw_board_line(&s, "A0=0512 A1=0256");
    /* pyPLC's scale: raw / 1024 * 1.08 * 6250 / (4.7 + 4.7) */
    assert_true(s.m.has_inlet_v);
    assert_float_equal(s.m.inlet_v, 512.0 / 1024.0 * 1.08 * 6250.0 / 9.4, 0.01);
    s.m.has_inlet_v = 0;
    hw_board_line(&s, "A0=05");     /* short */
    hw_board_line(&s, "A0=-512");   /* negative */
    hw_board_line(&s, "A0=5x12");
    assert_false(s.m.has_inlet_v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dieter_output_word),
        cmocka_unit_test(celeron_lines_on_change),
        cmocka_unit_test(celeron_received_lines),
        cmocka_unit_test(dieter_inlet_voltage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
