/* The optional hardware backends from the INI (MQTT, GPIO, the charger's CP read-back, the SoC callback): their
 * keys, opening them once per run, stacking them behind the supervisor, and the session's status for them
 * (docs/hardware.md). */
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/ini.h"
#include "ccsplc/linux/log.h"
#include "live_ext.h"

void live_ext_defaults(live_ext_options *o, hw_role role)
{
    memset(o, 0, sizeof *o);
    o->role = role;
    snprintf(o->mqtt_broker, sizeof o->mqtt_broker, "localhost");   /* pyPLC's template */
    snprintf(o->mqtt_topic, sizeof o->mqtt_topic, "pyPlc");
    o->mqtt_port = HW_MQTT_PORT;
    hw_gpio_config_default(&o->gpio_cfg);
    o->soc.fallback_capacity_wh = 27000.0f;   /* pyPLC's template: 2700 (its unit: 10 Wh) */
    o->cp_adc.scale = o->cdm_v_adc.scale = 1.0f;   /* the file holds volts */
    o->iso_adc.scale = 1.0f;                  /* the file holds kOhm */
    /* IEC 61851-23: an insulation resistance below 100 Ohm/V is a fault; at CHAdeMO's 500 V, 50 kOhm */
    o->iso_min_kohm = 50.0f;
}

static int text(char *dst, size_t cap, const char *v)
{
    if (!*v || strlen(v) >= cap) return CCS_ERANGE;
    memcpy(dst, v, strlen(v) + 1);
    return 1;
}

static int number(const char *v, double lo, double hi, double *x)
{
    int rc = ini_number(v, lo, hi, x);
    return rc ? rc : 1;
}

/* gpio_active_low = gpio_emergency_stop, gpio_lock_feedback */
static int active_low(live_ext_options *o, const char *v)
{
    char list[256], *save = NULL;
    if (text(list, sizeof list, v) < 0) return CCS_ERANGE;
    o->gpio_cfg.active_low = 0;
    for (char *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        int l = hw_gpio_line_of(t);
        if (l < 0) return CCS_ESYNTAX;
        o->gpio_cfg.active_low |= 1u << l;
    }
    return 1;
}

/* An analog input's keys: NAME (the file), NAME_scale, NAME_offset. 1, 0 (not its key) or a CCS_E* code. */
static int adc_key(hw_adc_config *c, const char *name, const char *key, const char *v)
{
    size_t n = strlen(name);
    double x;
    int rc;
    if (strncmp(key, name, n)) return 0;
    if (!key[n]) return text(c->path, sizeof c->path, v);
    if (strcmp(key + n, "_scale") && strcmp(key + n, "_offset")) return 0;
    if ((rc = number(v, -1e6, 1e6, &x)) < 0) return rc;
    if (!strcmp(key + n, "_scale")) c->scale = (float)x;
    else c->offset_v = (float)x;
    return 1;
}

int live_ext_key(live_ext_options *o, const char *key, const char *v)
{
    double x;
    int b, rc, line;
    if (!strcmp(key, "digital_output_device")) {   /* pyPLC's; its serial boards stay live_config's */
        o->mqtt = !strcmp(v, "mqtt");
        o->rpi_gpio = !strcmp(v, "rpi_gpio");
        o->gpio = !strcmp(v, "gpio") || o->rpi_gpio;
        return o->mqtt || o->gpio;
    }
    if (!strcmp(key, "analog_input_device") && !strcmp(v, "mqtt")) {
        LOG_W("config: analog_input_device = mqtt: not read (MQTT is kept off the precharge check)");
        return 1;
    }
    if (!strcmp(key, "charge_parameter_backend")) {
        o->mqtt_params = !strcmp(v, "mqtt");
        return o->mqtt_params || !strcmp(v, "none");
    }
    if (!strcmp(key, "mqtt_broker")) return text(o->mqtt_broker, sizeof o->mqtt_broker, v);
    if (!strcmp(key, "mqtt_topic")) return text(o->mqtt_topic, sizeof o->mqtt_topic, v);
    if (!strcmp(key, "mqtt_port")) {
        if ((rc = number(v, 1, 65535, &x)) < 0) return rc;
        o->mqtt_port = (unsigned)x;
        return 1;
    }
    if (!strcmp(key, "gpio_chip")) return text(o->gpio_cfg.chip, sizeof o->gpio_cfg.chip, v);
    if (!strcmp(key, "gpio_active_low")) return active_low(o, v);
    if ((line = hw_gpio_line_of(key)) >= 0) {
        if ((rc = number(v, -1, 1023, &x)) < 0) return rc;
        o->gpio_cfg.pin[line] = (int)x;
        return 1;
    }
    if ((rc = adc_key(&o->cp_adc, "cp_adc", key, v)) || (rc = adc_key(&o->cdm_v_adc, "chademo_voltage_adc", key, v)) ||
        (rc = adc_key(&o->iso_adc, "isolation_adc", key, v)))
        return rc;
    if (!strcmp(key, "isolation_min_kohm")) {
        if ((rc = number(v, 0, 1e6, &x)) < 0) return rc;
        o->iso_min_kohm = (float)x;
        return 1;
    }
    if (!strcmp(key, "soc_callback_enabled")) {
        if (ini_bool(v, &b)) return CCS_ESYNTAX;
        o->soc_callback = b;
        return 1;
    }
    if (!strcmp(key, "soc_callback_endpoint")) {
        if ((rc = text(o->soc.endpoint, sizeof o->soc.endpoint, v)) < 0) return rc;
        size_t n = strlen(o->soc.endpoint);
        while (n > 1 && o->soc.endpoint[n - 1] == '/') o->soc.endpoint[--n] = 0;   /* pyPLC: no trailing slash */
        return 1;
    }
    if (!strcmp(key, "soc_fallback_energy_capacity")) {
        if ((rc = number(v, 0, 1e6, &x)) < 0) return rc;
        o->soc.fallback_capacity_wh = (float)(x * 10.0);   /* pyPLC multiplies it by 10 to Wh */
        return 1;
    }
    return 0;
}

/* The adapter's CHAdeMO connector voltage (the car only) and an insulation monitor's reading. 0 or -1 (logged). */
static int analog(live_ext *x, const live_ext_options *o)
{
    if (*o->cdm_v_adc.path && o->role == HW_CAR) {
        if (hw_analog_open(&x->cdm_v, HW_ANALOG_CDM_V, &o->cdm_v_adc, 0.0f)) return -1;
        x->have_cdm_v = 1;
    } else if (*o->cdm_v_adc.path) {
        LOG_W("config: chademo_voltage_adc: the CCS->CHAdeMO adapter (pev --bridge chademo) reads it; the charger does not");
    }
    if (*o->iso_adc.path) {
        if (hw_analog_open(&x->iso, HW_ANALOG_ISOLATION, &o->iso_adc, o->iso_min_kohm)) return -1;
        x->have_iso = 1;
    }
    return 0;
}

int live_ext_open(live_ext *x, const live_ext_options *o)
{
    memset(x, 0, sizeof *x);
    if (o->mqtt || o->mqtt_params) {
        hw_mqtt_config c = { .port = o->mqtt_port, .role = o->role, .levels = o->mqtt, .params = o->mqtt_params };
        snprintf(c.broker, sizeof c.broker, "%s", o->mqtt_broker);
        snprintf(c.topic, sizeof c.topic, "%s", o->mqtt_topic);
        if (!(x->mqtt = hw_mqtt_open(&c))) return -1;
    }
    if (o->gpio) {
        hw_gpio_chip chip;
        hw_gpio_config cfg = o->gpio_cfg;
        if (o->rpi_gpio) {
            hw_gpio_board_ccs_chademo(&cfg);
            LOG_I("hw: digital_output_device = rpi_gpio: hwthomas/ccs-chademo's pins where the INI sets none: "
                  "gpio_cp = %d, gpio_chademo_d1 = %d, gpio_chademo_d2 = %d, gpio_chademo_k = %d", cfg.pin[HW_GPIO_CP],
                  cfg.pin[HW_GPIO_CDM_D1], cfg.pin[HW_GPIO_CDM_D2], cfg.pin[HW_GPIO_CDM_K]);
        }
        if (hw_gpio_chip_open(&chip, cfg.chip) || hw_gpio_open(&x->gpio, &cfg, o->role, &chip)) {
            live_ext_close(x);
            return -1;
        }
        x->have_gpio = 1;
    }
    if (*o->cp_adc.path && o->role == HW_CHARGER) {
        if (hw_cp_adc_open(&x->cp_adc, &o->cp_adc)) {
            live_ext_close(x);
            return -1;
        }
        x->have_cp_adc = 1;
    } else if (*o->cp_adc.path) {
        LOG_W("config: cp_adc: the charger reads its CP back; the car does not");
    }
    if (analog(x, o)) {
        live_ext_close(x);
        return -1;
    }
    if (o->soc_callback && o->role == HW_CHARGER) {
        if (!*o->soc.endpoint) {
            LOG_E("config: soc_callback_enabled without soc_callback_endpoint");
            live_ext_close(x);
            return -1;
        }
        if (!(x->soc = soc_callback_open(&o->soc))) {
            live_ext_close(x);
            return -1;
        }
    } else if (o->soc_callback) {
        LOG_W("config: soc_callback_enabled: the charger posts it (pyPLC: EvseMode); the car does not");
    }
    return 0;
}

void live_ext_attach(live_ext *x, hw_stack *st)
{
    hw_backend b;
    if (x->have_gpio) {
        hw_gpio_backend(&x->gpio, &b);
        hw_stack_add(st, &b);
    }
    if (x->have_cp_adc) {
        hw_cp_adc_backend(&x->cp_adc, &b);
        hw_stack_add(st, &b);
    }
    if (x->have_cdm_v) {
        hw_analog_backend(&x->cdm_v, &b);
        hw_stack_add(st, &b);
    }
    if (x->have_iso) {
        hw_analog_backend(&x->iso, &b);
        hw_stack_add(st, &b);
    }
    if (x->mqtt) {
        hw_mqtt_reset(x->mqtt);
        hw_mqtt_backend(x->mqtt, &b);
        hw_stack_add(st, &b);
    }
}

int live_ext_any(const live_ext *x)
{
    return x->mqtt || x->have_gpio || x->have_cp_adc || x->have_cdm_v || x->have_iso || x->soc;
}

static const char *state_name(sess_phase ph, const char *msg)
{
    switch (ph) {
    case SESS_IDLE: return "idle";
    case SESS_DONE: return "stopped";
    case SESS_SAFE: return "safe";
    default: return msg ? msg : "connecting";
    }
}

static void hex(const uint8_t *b, size_t n, char *out, size_t cap)
{
    *out = 0;
    for (size_t i = 0; i < n && 2 * i + 2 < cap; i++) snprintf(out + 2 * i, cap - 2 * i, "%02X", b[i]);
}

void live_ext_report_pev(live_ext *x, const sess_pev *p, uint32_t now)
{
    if (!x->mqtt) return;
    hw_report r = { .role = HW_CAR, .state = state_name(p->phase, p->tx_name), .soc = p->in.soc,
                    .full_soc = p->cfg.full_soc, .capacity_wh = p->cfg.capacity_wh,
                    .energy_request_wh = p->in.energy_request_wh, .target_v = p->in.battery_v,
                    .target_a = p->target_a, .present_v = p->evse_v, .present_a = p->evse_a,
                    .max_v = p->evse_max_v, .max_a = p->evse_max_a };
    hex(p->cfg.mac, 6, r.evccid, sizeof r.evccid);
    hw_mqtt_report(x->mqtt, &r, now);
}

void live_ext_report_evse(live_ext *x, const sess_evse *e, uint32_t now)
{
    if (!x->mqtt && !x->soc) return;
    hw_report r = { .role = HW_CHARGER, .state = state_name(e->phase, e->rx_name), .soc = e->ev_soc_said ? e->ev_soc : -1,
                    .full_soc = -1, .target_v = e->out.target_v, .target_a = e->out.target_a,
                    .present_v = e->in.present_v, .present_a = e->in.present_a, .max_v = e->cfg.max_v,
                    .max_a = e->cfg.max_a };
    if (e->evccid_text) {   /* ISO-20's identifier text as the car sent it (printable characters only) */
        size_t n = 0;
        for (size_t i = 0; i < e->evccid_len && n + 1 < sizeof r.evccid; i++)
            if (e->evccid[i] > 0x20 && e->evccid[i] < 0x7f) r.evccid[n++] = (char)e->evccid[i];
        r.evccid[n] = 0;
    } else {
        hex(e->evccid, e->evccid_len, r.evccid, sizeof r.evccid);
    }
    if (x->mqtt) hw_mqtt_report(x->mqtt, &r, now);
    if (x->soc) soc_callback_report(x->soc, &r, now);
}

void live_ext_close(live_ext *x)
{
    hw_mqtt_close(x->mqtt);
    x->mqtt = NULL;
    if (x->have_gpio) hw_gpio_close(&x->gpio);
    x->have_gpio = 0;
    if (x->have_cp_adc) hw_cp_adc_close(&x->cp_adc);
    x->have_cp_adc = 0;
    if (x->have_cdm_v) hw_analog_close(&x->cdm_v);
    if (x->have_iso) hw_analog_close(&x->iso);
    x->have_cdm_v = x->have_iso = 0;
    soc_callback_close(x->soc);
    x->soc = NULL;
}
