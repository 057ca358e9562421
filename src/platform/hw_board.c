/* The line protocols of pyPLC's serial boards (facts from pyPLC's hardwareInterface.py and doc/hardware.md):
 * what the car sends for a command, what a received line means. No I/O here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/linux/hw_serial.h"
#include "ccsplc/linux/log.h"

int hw_board_parse(const char *name, hw_board_kind *kind)
{
    if (!strcmp(name, "dieter")) return *kind = HW_BOARD_DIETER, 0;
    if (!strcmp(name, "celeron55device")) return *kind = HW_BOARD_CELERON55, 0;
    return -1;
}

const char *hw_board_name(hw_board_kind kind)
{
    return kind == HW_BOARD_DIETER ? "dieter" : kind == HW_BOARD_CELERON55 ? "celeron55device" : "none";
}

/* dieter: one output word, bit 0 CP state C (1.2 kOhm switched in), bit 1 the power relay, bit 2 relay 2
 * (unused), written as "do" and four decimal digits. */
static size_t dieter(const hw_cmd *c, const hw_cmd *sent, int sent_any, int refresh, char *out, size_t cap)
{
    unsigned word = (c->cp_c ? 1u : 0u) | (c->contactors ? 2u : 0u);
    unsigned was = (sent->cp_c ? 1u : 0u) | (sent->contactors ? 2u : 0u);
    if (sent_any && word == was && !refresh) return 0;
    int n = snprintf(out, cap, "do%04u\n", word);
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

static size_t put(char *out, size_t cap, size_t at, const char *line)
{
    size_t n = strlen(line);
    if (at + n > cap) return at;
    memcpy(out + at, line, n);
    return at + n;
}

/* celeron55device: a line per level that changed: CP first, then the contactor, the lock last when locking
 * (and the reverse order is the supervisor's: contactor open before unlock, each a step apart). */
static size_t celeron(const hw_cmd *c, const hw_cmd *s, int any, char *out, size_t cap)
{
    size_t n = 0;
    if (!any || c->lock != s->lock) n = put(out, cap, n, c->lock ? "lock\n" : "unlock\n");
    if (!any || c->cp_c != s->cp_c) n = put(out, cap, n, c->cp_c ? "cp=1\n" : "cp=0\n");
    if (!any || c->contactors != s->contactors) n = put(out, cap, n, c->contactors ? "contactor=1\n" : "contactor=0\n");
    return n;
}

size_t hw_board_encode(hw_board_kind kind, const hw_cmd *cmd, const hw_cmd *sent, int sent_any, int refresh,
                       char *out, size_t cap)
{
    if (kind == HW_BOARD_DIETER) return dieter(cmd, sent, sent_any, refresh, out, cap);
    if (kind == HW_BOARD_CELERON55) return celeron(cmd, sent, sent_any, out, cap);
    return 0;
}

/* "name=<int>" -> 1 and *v. */
static int int_value(const char *line, const char *name, int *v)
{
    size_t n = strlen(name);
    if (strncmp(line, name, n) || line[n] != '=') return 0;
    char *end;
    long x = strtol(line + n + 1, &end, 10);
    if (end == line + n + 1 || *end || x < -100000 || x > 100000) return 0;
    *v = (int)x;
    return 1;
}

void hw_board_line(hw_serial *s, const char *line)
{
    hw_meas *m = &s->m;
    int v;
    if (s->kind == HW_BOARD_DIETER) {
        /* DieterHV: the ADC of the divided inlet voltage, 0..1023: V = raw / 1024 * 1.08 * 6250 / (4.7 + 4.7) */
        const char *a0 = strstr(line, "A0=");
        if (a0 && s->analog && strlen(a0) >= 7) {
            char digits[5] = { a0[3], a0[4], a0[5], a0[6], 0 };
            char *end;
            long raw = strtol(digits, &end, 10);
            if (!*end && raw >= 0) {
                m->has_inlet_v = 1;
                m->inlet_v = (float)raw / 1024.0f * 1.08f * 6250.0f / 9.4f;
            }
        }
        return;
    }
    if (int_value(line, "inlet_v", &v)) {
        if (s->analog) m->has_inlet_v = 1, m->inlet_v = (float)v;
    } else if (int_value(line, "contactor_confirmed", &v)) {
        m->contactors = v ? HW_FB_CLOSED : HW_FB_OPEN;
    } else if (int_value(line, "plugged_in", &v)) {
        m->has_plugged = 1;
        m->plugged = (uint8_t)(v != 0);
    } else if (int_value(line, "emergency_stop", &v)) {   /* ours, not pyPLC's: an emergency-stop input */
        m->estop = (uint8_t)(v != 0);
    } else if (int_value(line, "dc_link_v", &s->dc_link_v) || int_value(line, "soc_percent", &s->soc_percent) ||
               int_value(line, "max_charge_a", &s->max_charge_a) || int_value(line, "cp_pwm", &s->cp_pwm) ||
               int_value(line, "cp_output_state", &v) || int_value(line, "ccs_contactor_wanted_closed", &v)) {
        return;
    } else {
        LOG_D("hw: %s: unknown line \"%s\"", hw_board_name(s->kind), line);
    }
}
