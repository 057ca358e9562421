/* The GPIO backend (src/backends/hw_gpio.c) over an in-memory chip behind its seam: the lines it requests (with
 * their direction and active-low flag), the order of its writes, its inputs (the CHAdeMO adapter's too), and a
 * failing line as a lost link. */
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

/* The backend on a fresh in-memory chip with config c, as role; its backend in b. */
static void open_on(hw_gpio *g, mem *m, const hw_gpio_config *c, hw_role role, hw_backend *b)
{
    memset(m, 0, sizeof *m);
    hw_gpio_chip chip = { m, request, set, get, done };
    assert_int_equal(hw_gpio_open(g, c, role, &chip), 0);
    hw_gpio_backend(g, b);
}

static void open_gpio(hw_gpio *g, mem *m)
{
    hw_gpio_config c;
    hw_backend b;
    hw_gpio_config_default(&c);
    c.pin[HW_GPIO_CP] = 17, c.pin[HW_GPIO_CONTACTOR] = 27, c.pin[HW_GPIO_LOCK] = 22;
    c.pin[HW_GPIO_ESTOP] = 13, c.pin[HW_GPIO_CONTACTOR_FB] = 5;
    c.active_low = 1u << HW_GPIO_ESTOP;
    open_on(g, m, &c, HW_CAR, &b);
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

/* The CHAdeMO adapter's wires: d1, d2 and its lock follow the command's cdm_* levels, k and an insulation
 * monitor's alarm come in (k active low as hwthomas/ccs-chademo wires it); unwired, they stay out of the
 * measurement (the simulation frames or the default stand). */
static void chademo_lines(void **state)
{
    (void)state;
    hw_gpio g;
    mem m;
    hw_backend b;
    hw_gpio_config c;
    hw_gpio_config_default(&c);
    hw_meas meas = { .link_ok = 1 };
    open_on(&g, &m, &c, HW_CAR, &b);
    b.sense(b.ctx, &meas, 0);
    assert_false(meas.has_cdm_k);
    assert_int_equal(meas.isolation, HW_ISO_UNKNOWN);
    hw_gpio_close(&g);

    c.pin[HW_GPIO_CDM_D1] = 24, c.pin[HW_GPIO_CDM_D2] = 25, c.pin[HW_GPIO_CDM_LOCK] = 26;
    c.pin[HW_GPIO_CDM_K] = 16, c.pin[HW_GPIO_ISOLATION_FAULT] = 20;
    c.active_low = 1u << HW_GPIO_CDM_K;
    open_on(&g, &m, &c, HW_CAR, &b);
    assert_true(m.output[24] && m.output[25] && m.output[26] && !m.output[16] && !m.output[20]);
    assert_true(m.active_low[16] && !m.active_low[20]);
    hw_cmd cmd = { .cdm_d1 = 1 };
    b.apply(b.ctx, &cmd, 0);
    assert_int_equal(m.nwrites, 3);   /* every output's first level: the lock off, d1 on, d2 off */
    assert_true(m.writes[0][0] == 26 && m.writes[0][1] == 0);
    assert_true(m.writes[1][0] == 24 && m.writes[1][1] == 1 && m.writes[2][0] == 25 && m.writes[2][1] == 0);
    cmd.cdm_lock = 1, cmd.cdm_d2 = 1;
    b.apply(b.ctx, &cmd, 10);
    assert_int_equal(m.nwrites, 5);
    assert_true(m.writes[3][0] == 26 && m.writes[3][1] == 1 && m.writes[4][0] == 25 && m.writes[4][1] == 1);
    cmd = (hw_cmd){ 0 };   /* the end: unlocked before d1 goes off */
    b.apply(b.ctx, &cmd, 20);
    assert_int_equal(m.nwrites, 8);
    assert_true(m.writes[5][0] == 26 && m.writes[6][0] == 24 && m.writes[7][0] == 25);
    m.in[16] = 1, m.in[20] = 0;
    b.sense(b.ctx, &meas, 20);
    assert_true(meas.has_cdm_k && meas.cdm_k == 1);
    assert_int_equal(meas.isolation, HW_ISO_VALID);
    m.in[16] = 0, m.in[20] = 1;
    b.sense(b.ctx, &meas, 30);
    assert_true(meas.has_cdm_k && meas.cdm_k == 0);
    assert_int_equal(meas.isolation, HW_ISO_FAULT);
    hw_gpio_close(&g);
}

/* The charger's gpio_cp: its PWM generator on at 5 % (digital communication), off at 100 % (steady +12 V). */
static void charger_cp_is_the_pwm(void **state)
{
    (void)state;
    hw_gpio g;
    mem m;
    hw_backend b;
    hw_gpio_config c;
    hw_gpio_config_default(&c);
    c.pin[HW_GPIO_CP] = 17;
    open_on(&g, &m, &c, HW_CHARGER, &b);
    hw_cmd cmd = { .cp_pwm_pct = 5 };
    b.apply(b.ctx, &cmd, 0);
    cmd.cp_pwm_pct = 100;
    b.apply(b.ctx, &cmd, 10);
    assert_int_equal(m.nwrites, 2);
    assert_true(m.writes[0][0] == 17 && m.writes[0][1] == 1 && m.writes[1][1] == 0);
    hw_gpio_close(&g);
}

static void keys(void **state)
{
    (void)state;
    assert_int_equal(hw_gpio_line_of("gpio_emergency_stop"), HW_GPIO_ESTOP);
    assert_int_equal(hw_gpio_line_of("gpio_nothing"), -1);
    assert_string_equal(hw_gpio_key(HW_GPIO_CONTACTOR_FB), "gpio_contactor_feedback");
    assert_int_equal(hw_gpio_line_of("gpio_chademo_k"), HW_GPIO_CDM_K);
    assert_int_equal(hw_gpio_line_of("gpio_isolation_fault"), HW_GPIO_ISOLATION_FAULT);
    assert_string_equal(hw_gpio_key(HW_GPIO_CDM_D2), "gpio_chademo_d2");
}

/* digital_output_device = rpi_gpio: hwthomas/ccs-chademo's header pins (GPIO.BOARD in its hardwareInterface.py:
 * CP 40, SS1 13, SS2 29, k 10 active low) as gpiochip0 lines, through the Pi's 40-pin header map. */
static void rpi_gpio_board(void **state)
{
    (void)state;
    static const int bcm_of_pin[41] = {   /* physical pin -> BCM GPIO; -1: power or ground */
        -1, -1, -1, 2,  -1, 3,  -1, 4,  14, -1, 15, 17, 18, 27, -1, 22, 23, -1, 24, 10, -1,
        9,  25, 11, 8,  -1, 7,  0,  1,  5,  -1, 6,  12, 13, -1, 19, 16, 26, 20, -1, 21,
    };
    hw_gpio_config c;
    hw_gpio_config_default(&c);
    c.pin[HW_GPIO_CDM_D2] = 6;   /* the INI's own pin stays */
    hw_gpio_board_ccs_chademo(&c);
    assert_int_equal(c.pin[HW_GPIO_CP], bcm_of_pin[40]);
    assert_int_equal(c.pin[HW_GPIO_CDM_D1], bcm_of_pin[13]);
    assert_int_equal(c.pin[HW_GPIO_CDM_D2], 6);
    assert_int_equal(c.pin[HW_GPIO_CDM_K], bcm_of_pin[10]);
    assert_int_equal(c.active_low, 1u << HW_GPIO_CDM_K);
    assert_int_equal(c.pin[HW_GPIO_CONTACTOR], -1);   /* its board has no other lines */
    hw_gpio_config_default(&c);
    hw_gpio_board_ccs_chademo(&c);
    assert_int_equal(c.pin[HW_GPIO_CDM_D2], bcm_of_pin[29]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_writes_and_inputs),
        cmocka_unit_test(chademo_lines),
        cmocka_unit_test(charger_cp_is_the_pwm),
        cmocka_unit_test(keys),
        cmocka_unit_test(rpi_gpio_board),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
