/* The optional hardware backends of `ccsplc evse` / `ccsplc pev` beside pyPLC's serial boards: MQTT (pyPLC's
 * topics), GPIO (libgpiod or a file chip), the charger's CP read-back (an ADC file) and its SoC callback (HTTP),
 * from the INI (docs/hardware.md), stacked behind the supervisor; and the session's status they publish. */
#ifndef CCSPLC_APP_LIVE_EXT_H
#define CCSPLC_APP_LIVE_EXT_H

#include <stdint.h>

#include "ccsplc/core/hw.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/linux/hw_adc.h"
#include "ccsplc/linux/hw_cp_adc.h"
#include "ccsplc/linux/hw_gpio.h"
#include "ccsplc/linux/hw_mqtt.h"
#include "ccsplc/linux/soc_callback.h"

typedef struct {
    hw_role role;
    int mqtt;                      /* digital_output_device = mqtt: the car's levels on MQTT */
    int mqtt_params;               /* charge_parameter_backend = mqtt */
    char mqtt_broker[128];         /* mqtt_broker */
    unsigned mqtt_port;            /* mqtt_port (ours) */
    char mqtt_topic[HW_MQTT_TOPIC_MAX]; /* mqtt_topic */
    int gpio;                      /* digital_output_device = gpio (or rpi_gpio) */
    int rpi_gpio;                  /* digital_output_device = rpi_gpio: hwthomas/ccs-chademo's pins as defaults */
    hw_gpio_config gpio_cfg;       /* gpio_chip, gpio_<line> pins, gpio_active_low */
    int soc_callback;              /* soc_callback_enabled */
    soc_callback_config soc;       /* soc_callback_endpoint, soc_fallback_energy_capacity */
    hw_cp_adc_config cp_adc;       /* cp_adc (a path: the charger reads its CP back), cp_adc_scale, cp_adc_offset */
    hw_adc_config cdm_v_adc;       /* chademo_voltage_adc(_scale, _offset): the adapter's CHAdeMO connector, volts */
    hw_adc_config iso_adc;         /* isolation_adc(_scale, _offset): an insulation monitor's resistance, kOhm */
    float iso_min_kohm;            /* isolation_min_kohm: below it an insulation fault */
} live_ext_options;

typedef struct {
    hw_mqtt *mqtt;
    hw_gpio gpio;
    int have_gpio;
    soc_callback *soc;
    hw_cp_adc cp_adc;
    int have_cp_adc;
    hw_analog cdm_v, iso;
    int have_cdm_v, have_iso;
} live_ext;

void live_ext_defaults(live_ext_options *o, hw_role role);
/* An INI key of [general] that is ours here: 1 (taken), 0 (not ours: the caller's table decides), or a negative
 * CCS_E* code (a bad value). */
int live_ext_key(live_ext_options *o, const char *key, const char *value);
/* Once per run (before SLAC): 0, or -1 when a backend the INI asks for cannot start (logged). */
int live_ext_open(live_ext *x, const live_ext_options *o);
/* Each plug-in: the backends into the stack (after the plant and a board), the last plug-in's commands forgotten. */
void live_ext_attach(live_ext *x, hw_stack *st);
int live_ext_any(const live_ext *x);
/* Every step: the session's status to MQTT and the SoC callback. */
void live_ext_report_pev(live_ext *x, const sess_pev *p, uint32_t now);
void live_ext_report_evse(live_ext *x, const sess_evse *e, uint32_t now);
void live_ext_close(live_ext *x);

#endif
