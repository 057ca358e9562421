/* pyPLC's MQTT topics (src/backends/hw_mqtt_map.c): what the car publishes for the supervisor's levels and the
 * session's status, and what a received message does — malformed and foreign ones ignored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/hw_mqtt.h"

static const hw_mqtt_config car = { .broker = "localhost", .port = 1883, .topic = "pyPlc", .role = HW_CAR,
                                    .levels = 1, .params = 1 };

static void levels_as_pyplc_publishes_them(void **state)
{
    (void)state;
    hw_mqtt_msg m[4];
    hw_cmd sent = { 0 }, c = { .lock = 1, .cp_c = 1 };
    size_t n = hw_mqtt_levels(&car, &c, &sent, 0, m, 4);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].topic, "pyPlc/lock_request");
    assert_string_equal(m[0].payload, "lock");
    assert_string_equal(m[1].topic, "pyPlc/cpstate");
    assert_string_equal(m[1].payload, "C");
    sent = c;
    c.contactors = 1;
    n = hw_mqtt_levels(&car, &c, &sent, 0, m, 4);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].topic, "pyPlc/relay_request");
    assert_string_equal(m[0].payload, "on");
    assert_int_equal(hw_mqtt_levels(&car, &c, &c, 0, m, 4), 0);
    assert_int_equal(hw_mqtt_levels(&car, &c, &c, 1, m, 4), 3);   /* after a reconnect: every level again */
    hw_mqtt_config charger = car;
    charger.role = HW_CHARGER;
    assert_int_equal(hw_mqtt_levels(&charger, &c, &sent, 1, m, 4), 0);
}

static int has(const hw_mqtt_msg *m, size_t n, const char *topic, const char *payload)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].topic, topic) && !strcmp(m[i].payload, payload)) return 1;
    return 0;
}

static void status_topics(void **state)
{
    (void)state;
    hw_mqtt_msg m[12];
    hw_report last = { .soc = -1 }, r = { .role = HW_CAR, .state = "CurrentDemandReq", .soc = 42,
                                          .capacity_wh = 60000, .evccid = "020000CA0002", .present_v = 380.4f,
                                          .present_a = 99.6f, .max_v = 500, .max_a = 125 };
    size_t n = hw_mqtt_status(&car, &r, &last, 1, 0, m, 12);
    assert_true(has(m, n, "pyPlc/fsm_state", "CurrentDemandReq"));
    assert_true(has(m, n, "pyPlc/soc", "42"));
    assert_true(has(m, n, "pyPlc/evccid", "020000CA0002"));
    assert_true(has(m, n, "pyPlc/battery_capacity", "60000"));
    assert_true(has(m, n, "pyPlc/charger_max_voltage", "500"));
    assert_true(has(m, n, "pyPlc/charger_voltage", "380"));
    assert_true(has(m, n, "pyPlc/charger_current", "100"));
    /* not due, nothing changed: nothing */
    assert_int_equal(hw_mqtt_status(&car, &r, &r, 0, 0, m, 12), 0);
    hw_mqtt_config charger = car;
    charger.role = HW_CHARGER;
    r.target_v = 400;
    r.target_a = 50;
    n = hw_mqtt_status(&charger, &r, &r, 1, 0, m, 12);
    assert_true(has(m, n, "pyPlc/target_voltage", "400") && has(m, n, "pyPlc/target_current", "50"));
}

static int in(const hw_mqtt_config *c, hw_mqtt_in *i, const char *topic, const char *payload)
{
    return hw_mqtt_input(c, i, topic, payload, strlen(payload));
}

static void commands_and_inputs(void **state)
{
    (void)state;
    hw_mqtt_in i;
    memset(&i, 0, sizeof i);
    assert_int_equal(in(&car, &i, "pyPlc/command", "max_current=32"), 0);
    assert_true(i.max_a == 32.0f && !i.stop);
    assert_int_equal(in(&car, &i, "pyPlc/command", "stop\n"), 0);
    assert_true(i.stop && !i.estop);
    assert_int_equal(in(&car, &i, "pyPlc/command", "emergency_stop"), 0);
    assert_true(i.estop);
    memset(&i, 0, sizeof i);
    assert_int_equal(in(&car, &i, "pyPlc/enabled", "0"), 0);   /* pyPLC's enable flag */
    assert_true(i.stop);
    assert_int_equal(in(&car, &i, "pyPlc/target_current", "20"), 0);   /* the BMS's limit */
    assert_true(i.max_a == 20.0f);
    hw_mqtt_config charger = car;
    charger.role = HW_CHARGER;
    memset(&i, 0, sizeof i);
    assert_int_equal(in(&charger, &i, "pyPlc/charger_voltage", "398.5"), 0);
    assert_int_equal(in(&charger, &i, "pyPlc/charger_current", "12"), 0);
    assert_true(i.has_present && i.present_v == 398.5f && i.present_a == 12.0f);
    /* hostile and foreign */
    assert_int_equal(in(&car, &i, "other/command", "stop"), CCS_ENOTFOUND);
    assert_int_equal(in(&car, &i, "pyPlcX/command", "stop"), CCS_ENOTFOUND);
    assert_int_equal(in(&car, &i, "pyPlc/cpstate", "C"), CCS_ENOTFOUND);   /* our own publication */
    assert_int_equal(in(&car, &i, "pyPlc/command", "max_current=-5"), CCS_ESYNTAX);
    assert_int_equal(in(&car, &i, "pyPlc/command", "max_current=nan"), CCS_ESYNTAX);
    assert_int_equal(in(&car, &i, "pyPlc/command", "max_current=1e9"), CCS_ESYNTAX);
    assert_int_equal(in(&car, &i, "pyPlc/command", "reboot"), CCS_ESYNTAX);
    assert_int_equal(in(&car, &i, "pyPlc/enabled", "yes"), CCS_ESYNTAX);
    char big[200];
    memset(big, '1', sizeof big);
    assert_int_equal(hw_mqtt_input(&car, &i, "pyPlc/target_current", big, sizeof big), CCS_ESYNTAX);
    assert_int_equal(hw_mqtt_input(&car, &i, "pyPlc/command", "st\0op", 5), CCS_ESYNTAX);
    hw_mqtt_config plain = car;
    plain.params = 0;   /* without charge_parameter_backend = mqtt: no charge-parameter input */
    assert_int_equal(in(&plain, &i, "pyPlc/target_current", "20"), CCS_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(levels_as_pyplc_publishes_them),
        cmocka_unit_test(status_topics),
        cmocka_unit_test(commands_and_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
