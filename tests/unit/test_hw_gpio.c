/* The GPIO backend (src/backends/hw_gpio.c) over an in-memory chip behind its seam: the lines it requests (with
 * their direction and active-low flag), the order of its writes, its inputs, and a failing line as a lost link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/linux/hw_gpio.h"

typedef struct {
    int requested[64], output[64], active_low[64];
    int in[64];
    int writes[32][2], nwrites;
    int fail_set;
    int closed;
} mem;

static int request(void *ctx, unsigned pin, int output, int al)
{
    mem *m = ctx;
    m->requested[pin] = 1, m->output[pin] = output, m->active_low[pin] = al;
    return 0;
}
static int set(void *ctx, unsigned pin, int v)
{
    mem *m = ctx;
    if (m->fail_set) return -1;
    if (m->nwrites < 32) m->writes[m->nwrites][0] = (int)pin, m->writes[m->nwrites++][1] = v;
    return 0;
}
static int get(void *ctx, unsigned pin) { return ((mem *)ctx)->in[pin]; }
static void done(void *ctx) { ((mem *)ctx)->closed = 1; }

static void open_gpio(hw_gpio *g, mem *m)
{
    hw_gpio_config c;
    hw_gpio_config_default(&c);
    c.pin[HW_GPIO_CP] = 17, c.pin[HW_GPIO_CONTACTOR] = 27, c.pin[HW_GPIO_LOCK] = 22;
    c.pin[HW_GPIO_ESTOP] = 13, c.pin[HW_GPIO_CONTACTOR_FB] = 5;
    c.active_low = 1u << HW_GPIO_ESTOP;
    memset(m, 0, sizeof *m);
    hw_gpio_chip chip = { m, request, set, get, done };
    assert_int_equal(hw_gpio_open(g, &c, HW_CAR, &chip), 0);
}

static void lines_writes_and_inputs(void **state)
{
    (void)state;
    hw_gpio g;
    mem m;
    hw_backend b;
    open_gpio(&g, &m);
    assert_true(m.requested[17] && m.output[17] && m.requested[13] && !m.output[13] && m.active_low[13]);
    assert_false(m.requested[23]);   /* gpio_power not wired: never touched */
    hw_gpio_backend(&g, &b);
    hw_cmd c = { .lock = 1, .cp_c = 1, .contactors = 1 };
    b.apply(b.ctx, &c, 0);
    assert_int_equal(m.nwrites, 3);   /* lock first, then CP, then the contactor */
    assert_int_equal(m.writes[0][0], 22);
    assert_int_equal(m.writes[1][0], 17);
    assert_int_equal(m.writes[2][0], 27);
    b.apply(b.ctx, &c, 10);
    assert_int_equal(m.nwrites, 3);   /* only changes are written */
    m.in[5] = 1, m.in[13] = 1;
    hw_meas meas = { .link_ok = 1 };
    b.sense(b.ctx, &meas, 20);
    assert_true(meas.link_ok && meas.estop && meas.contactors == HW_FB_CLOSED && meas.lock == HW_FB_NONE);
    m.fail_set = 1;
    c.contactors = 0;
    b.apply(b.ctx, &c, 30);
    b.sense(b.ctx, &meas, 40);
    assert_false(meas.link_ok);   /* a line that fails: the hardware link is lost (a fault) */
    hw_gpio_close(&g);
    assert_true(m.closed);
}

static void keys(void **state)
{
    (void)state;
    assert_int_equal(hw_gpio_line_of("gpio_emergency_stop"), HW_GPIO_ESTOP);
    assert_int_equal(hw_gpio_line_of("gpio_nothing"), -1);
    assert_string_equal(hw_gpio_key(HW_GPIO_CONTACTOR_FB), "gpio_contactor_feedback");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_writes_and_inputs),
        cmocka_unit_test(keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
