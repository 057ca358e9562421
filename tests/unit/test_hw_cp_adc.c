/* The charger's CP read-back backend (src/backends/hw_cp_adc.c) on a temporary file standing for an IIO channel:
 * counts scaled to volts and classified, a new value read on every step, and a file that stops holding a number
 * for HW_CP_ADC_GRACE_MS (or was never there) as a lost link, a shorter gap bridged by the last level; and the
 * CHAdeMO adapter's analog inputs on the same reader (src/backends/hw_adc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/linux/hw_cp_adc.h"

typedef struct {
    char path[64];
    hw_cp_adc a;
    hw_backend b;
} rig;

static void put(const rig *r, const char *text)
{
    FILE *f = fopen(r->path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static hw_meas sense_at(rig *r, uint32_t now)
{
    hw_meas m = { .link_ok = 1 };
    r->b.sense(r->b.ctx, &m, now);
    return m;
}
static hw_meas sense(rig *r) { return sense_at(r, 0); }

static void open_rig(rig *r, float scale, float offset, const char *first)
{
    snprintf(r->path, sizeof r->path, "/tmp/ccs_cp_adc_XXXXXX");
    int fd = mkstemp(r->path);
    assert_true(fd >= 0);
    close(fd);
    put(r, first);
    hw_cp_adc_config c = { .scale = scale, .offset_v = offset };
    snprintf(c.path, sizeof c.path, "%s", r->path);
    assert_int_equal(hw_cp_adc_open(&r->a, &c), 0);
    hw_cp_adc_backend(&r->a, &r->b);
}

static void close_rig(rig *r)
{
    hw_cp_adc_close(&r->a);
    unlink(r->path);
}

static void counts_scaled_and_read_every_step(void **state)
{
    (void)state;
    rig r;
    open_rig(&r, 0.01f, -15.0f, "2400\n");   /* 2400 * 0.01 - 15 = 9 V */
    hw_meas m = sense(&r);
    assert_int_equal(m.cp, HW_CP_B);
    assert_true(m.link_ok);
    assert_float_equal(r.a.volts, 9.0, 1e-3);
    put(&r, "2100\n");                       /* 6 V: the car closed S2 */
    assert_int_equal(sense(&r).cp, HW_CP_C);
    put(&r, "1500");                         /* 0 V: CP shorted to PE */
    assert_int_equal(sense(&r).cp, HW_CP_E);
    close_rig(&r);
}

static void no_number_for_the_grace_time_is_a_lost_link(void **state)
{
    (void)state;
    rig r;
    open_rig(&r, 1.0f, 0.0f, "6.0");
    assert_int_equal(sense_at(&r, 1000).cp, HW_CP_C);
    put(&r, "");                             /* a writer between truncating and writing */
    hw_meas m = sense_at(&r, 1010);
    assert_true(m.link_ok);
    assert_int_equal(m.cp, HW_CP_C);         /* the last level bridges the gap */
    put(&r, "12.0");
    m = sense_at(&r, 1010 + HW_CP_ADC_GRACE_MS);
    assert_true(m.link_ok);
    assert_int_equal(m.cp, HW_CP_A);         /* a number again: no failure counted */
    put(&r, "volts?");
    assert_true(sense_at(&r, 2000).link_ok);
    assert_true(sense_at(&r, 2000 + HW_CP_ADC_GRACE_MS - 1).link_ok);
    m = sense_at(&r, 2000 + HW_CP_ADC_GRACE_MS);
    assert_false(m.link_ok);
    assert_int_equal(m.cp, HW_CP_UNKNOWN);   /* no level claimed once lost */
    put(&r, "6.0");
    assert_false(sense_at(&r, 3000).link_ok); /* latched: the supervisor's fault is latched too */
    close_rig(&r);
    hw_cp_adc_config c = { .scale = 1.0f };
    snprintf(c.path, sizeof c.path, "/nonexistent/in_voltage0_raw");
    assert_int_equal(hw_cp_adc_open(&r.a, &c), -1);
}

/* The adapter's analog inputs on the same reader (hw_analog): the CHAdeMO connector's voltage scaled into
 * has_cdm_v / cdm_v, and an insulation monitor's resistance against its threshold (valid at or above, a fault
 * below); nothing claimed before the first number. */
static void adapter_analog_inputs(void **state)
{
    (void)state;
    rig r;
    hw_analog v, iso;
    hw_backend bv, bi;
    hw_adc_config c = { .scale = 0.5f, .offset_v = 0.0f };
    open_rig(&r, 1.0f, 0.0f, "");
    snprintf(c.path, sizeof c.path, "%s", r.path);
    assert_int_equal(hw_analog_open(&v, HW_ANALOG_CDM_V, &c, 0.0f), 0);
    c.scale = 1.0f;
    assert_int_equal(hw_analog_open(&iso, HW_ANALOG_ISOLATION, &c, 50.0f), 0);
    hw_analog_backend(&v, &bv);
    hw_analog_backend(&iso, &bi);
    hw_meas m = { .link_ok = 1 };
    bv.sense(bv.ctx, &m, 0);
    bi.sense(bi.ctx, &m, 0);
    assert_true(m.link_ok && !m.has_cdm_v && m.isolation == HW_ISO_UNKNOWN);   /* empty: nothing yet */
    put(&r, "760\n");
    bv.sense(bv.ctx, &m, 10);
    bi.sense(bi.ctx, &m, 10);
    assert_true(m.has_cdm_v);
    assert_float_equal(m.cdm_v, 380.0, 1e-3);   /* 760 counts * 0.5 V */
    assert_int_equal(m.isolation, HW_ISO_VALID);   /* 760 kOhm */
    put(&r, "49.9");
    bi.sense(bi.ctx, &m, 20);
    assert_int_equal(m.isolation, HW_ISO_FAULT);
    put(&r, "50");
    bi.sense(bi.ctx, &m, 30);
    assert_int_equal(m.isolation, HW_ISO_VALID);
    hw_analog_close(&v);
    hw_analog_close(&iso);
    close_rig(&r);
    snprintf(c.path, sizeof c.path, "/nonexistent/in_voltage1_raw");
    assert_int_equal(hw_analog_open(&v, HW_ANALOG_CDM_V, &c, 0.0f), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_scaled_and_read_every_step),
        cmocka_unit_test(no_number_for_the_grace_time_is_a_lost_link),
        cmocka_unit_test(adapter_analog_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
