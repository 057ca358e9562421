/* pyPLC's MQTT topics and payloads (facts from pyPLC's hardwareInterface.py) and our command topic: what to
 * publish for a command or a status, what a received message means. No I/O here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/hw_mqtt.h"

size_t hw_mqtt_subscriptions(const hw_mqtt_config *c, const char **out, size_t cap)
{
    static const char *const common[] = { "command", "enabled" };
    /* pyPLC subscribes, as a charger, to what its power supply says; as a car, to its BMS's values */
    static const char *const charger[] = { "charger_max_voltage", "charger_max_current", "charger_voltage",
                                           "charger_current" };
    static const char *const car[] = { "battery_voltage", "target_voltage", "target_current", "soc", "inlet_voltage" };
    size_t n = 0;
    for (size_t i = 0; i < 2 && n < cap; i++) out[n++] = common[i];
    if (c->params) {
        const char *const *p = c->role == HW_CHARGER ? charger : car;
        size_t k = c->role == HW_CHARGER ? 4 : 5;
        for (size_t i = 0; i < k && n < cap; i++) out[n++] = p[i];
    }
    return n;
}

static size_t add(const hw_mqtt_config *c, hw_mqtt_msg *out, size_t n, size_t cap, const char *suffix,
                  const char *payload)
{
    if (n >= cap) return n;
    snprintf(out[n].topic, sizeof out[n].topic, "%s/%s", c->topic, suffix);
    snprintf(out[n].payload, sizeof out[n].payload, "%s", payload);
    return n + 1;
}

static size_t add_num(const hw_mqtt_config *c, hw_mqtt_msg *out, size_t n, size_t cap, const char *suffix, double v)
{
    char text[24];
    snprintf(text, sizeof text, "%.0f", v);   /* pyPLC sends whole volts, amperes, percent */
    return add(c, out, n, cap, suffix, text);
}

size_t hw_mqtt_levels(const hw_mqtt_config *c, const hw_cmd *cmd, const hw_cmd *sent, int all, hw_mqtt_msg *out,
                      size_t cap)
{
    size_t n = 0;
    if (!c->levels || c->role != HW_CAR) return 0;
    /* in the order of the supervisor's sequence: lock before CP C before the relay; relay off before CP B before
     * unlock come a step apart */
    if (all || cmd->lock != sent->lock) n = add(c, out, n, cap, "lock_request", cmd->lock ? "lock" : "unlock");
    if (all || cmd->cp_c != sent->cp_c) n = add(c, out, n, cap, "cpstate", cmd->cp_c ? "C" : "B");
    if (all || cmd->contactors != sent->contactors)
        n = add(c, out, n, cap, "relay_request", cmd->contactors ? "on" : "off");
    return n;
}

size_t hw_mqtt_status(const hw_mqtt_config *c, const hw_report *r, const hw_report *sent, int periodic, int all,
                      hw_mqtt_msg *out, size_t cap)
{
    size_t n = 0;
    if (periodic || all) {
        n = add(c, out, n, cap, "fsm_state", r->state ? r->state : "idle");
        if (r->soc > 0) n = add_num(c, out, n, cap, "soc", r->soc);   /* pyPLC: only a SoC above 0 */
    }
    if (*r->evccid && (all || strcmp(r->evccid, sent->evccid))) n = add(c, out, n, cap, "evccid", r->evccid);
    if (r->capacity_wh > 0 && (all || r->capacity_wh != sent->capacity_wh))
        n = add_num(c, out, n, cap, "battery_capacity", r->capacity_wh);
    if (!c->params) return n;
    if (c->role == HW_CAR) {   /* what the charger said: its limits, its present values */
        if (r->max_v > 0 && (all || r->max_v != sent->max_v || r->max_a != sent->max_a)) {
            n = add_num(c, out, n, cap, "charger_max_voltage", r->max_v);
            n = add_num(c, out, n, cap, "charger_max_current", r->max_a);
        }
        if (periodic || all) {
            n = add_num(c, out, n, cap, "charger_voltage", r->present_v);
            n = add_num(c, out, n, cap, "charger_current", r->present_a);
        }
    } else if (periodic || all) {   /* what the car asks the power supply for */
        n = add_num(c, out, n, cap, "target_voltage", r->target_v);
        n = add_num(c, out, n, cap, "target_current", r->target_a);
    }
    return n;
}

/* A number payload: digits, sign, point; finite, within [0, 10000]. */
static int number(const char *text, float *v)
{
    char *end;
    double x = strtod(text, &end);
    if (end == text || *end || !isfinite(x) || x < 0.0 || x > 10000.0) return CCS_ESYNTAX;
    *v = (float)x;
    return 0;
}

static int command(hw_mqtt_in *in, const char *p)
{
    float v;
    if (!strcmp(p, "stop")) return in->stop = 1, 0;
    if (!strcmp(p, "emergency_stop")) return in->estop = 1, 0;
    if (!strncmp(p, "max_current=", 12) && !number(p + 12, &v)) return in->max_a = v, 0;
    return CCS_ESYNTAX;
}

static int input(const hw_mqtt_config *c, hw_mqtt_in *in, const char *suffix, const char *p)
{
    float v;
    if (!strcmp(suffix, "command")) return command(in, p);
    if (!strcmp(suffix, "enabled")) {   /* pyPLC: "0" stops, "1" allows */
        if (strcmp(p, "0") && strcmp(p, "1")) return CCS_ESYNTAX;
        if (*p == '0') in->stop = 1;
        return 0;
    }
    if (!c->params) return CCS_ENOTFOUND;
    if (number(p, &v)) return CCS_ESYNTAX;
    if (c->role == HW_CHARGER) {
        if (!strcmp(suffix, "charger_max_current")) return in->max_a = v, 0;
        if (!strcmp(suffix, "charger_voltage")) return in->has_present = 1, in->present_v = v, 0;
        if (!strcmp(suffix, "charger_current")) return in->has_present = 1, in->present_a = v, 0;
        if (!strcmp(suffix, "charger_max_voltage")) return 0;   /* the engine's limits stay the INI's */
        return CCS_ENOTFOUND;
    }
    if (!strcmp(suffix, "target_current")) return in->max_a = v, 0;   /* the BMS's current limit */
    /* battery_voltage, target_voltage, soc, inlet_voltage: accepted; the battery stays the plant's (and an inlet
     * voltage over MQTT would put the broker on the precharge check) */
    return 0;
}

int hw_mqtt_input(const hw_mqtt_config *c, hw_mqtt_in *in, const char *topic, const void *payload, size_t len)
{
    char p[HW_MQTT_PAYLOAD_MAX];
    size_t base = strlen(c->topic);
    if (strncmp(topic, c->topic, base) || topic[base] != '/') return CCS_ENOTFOUND;
    const char *subs[12];
    size_t n = hw_mqtt_subscriptions(c, subs, 12), i;
    for (i = 0; i < n && strcmp(topic + base + 1, subs[i]); i++) {}
    if (i == n) return CCS_ENOTFOUND;
    if (len >= sizeof p || memchr(payload, 0, len)) {
        in->ignored++;
        return CCS_ESYNTAX;
    }
    memcpy(p, payload, len);
    p[len] = 0;
    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r' || p[len - 1] == ' ')) p[--len] = 0;
    int rc = input(c, in, subs[i], p);
    if (rc) in->ignored++;
    else in->messages++;
    return rc;
}
