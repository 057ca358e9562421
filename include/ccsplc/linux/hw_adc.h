/* Analog inputs from files holding a number (a Linux IIO channel, /sys/bus/iio/devices/iio:deviceN/in_voltageM_raw,
 * or a file another program keeps up to date), read again every step and scaled: the reader the charger's CP
 * read-back shares with the backend of the CCS->CHAdeMO adapter's analog inputs here (the voltage at the CHAdeMO
 * connector; an insulation monitor's resistance against a threshold). docs/hardware.md. */
#ifndef CCSPLC_LINUX_HW_ADC_H
#define CCSPLC_LINUX_HW_ADC_H

#include <stdint.h>

#include "ccsplc/core/hw.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A read that gives no number (a file being rewritten is empty for a moment) keeps the last value this long, then
 * it is a lost link (the supervisor's fault: current 0, contactors open). */
#define HW_ADC_GRACE_MS 100u

typedef struct {
    char path[192];                /* the file */
    float scale;                   /* units per count (the divider included) */
    float offset_v;                /* added after scaling (a level-shifted input) */
} hw_adc_config;

typedef struct {
    hw_adc_config cfg;
    const char *key;               /* its INI key, for the log */
    int fd;
    int dead;                      /* no number for HW_ADC_GRACE_MS: the hardware link is lost */
    int failing;                   /* the last read gave no number, since failing_ms */
    uint32_t failing_ms;
    int have;                      /* value holds a reading */
    float value;                   /* the last reading, scaled */
} hw_adc;

/* 0, or -1 when the file cannot be opened (logged with key). */
int hw_adc_open(hw_adc *a, const hw_adc_config *c, const char *key);
/* Read the file at now: 1 a fresh value in a->value, 0 none this time (the last stands: a->have), -1 dead. */
int hw_adc_read(hw_adc *a, uint32_t now);
void hw_adc_close(hw_adc *a);

/* The CCS->CHAdeMO adapter's analog inputs as a hardware backend: the voltage at the CHAdeMO connector (has_cdm_v,
 * cdm_v: volts), or an insulation monitor's resistance in kΩ (isolation: FAULT below min_kohm, else VALID). */
typedef enum { HW_ANALOG_CDM_V, HW_ANALOG_ISOLATION } hw_analog_kind;
typedef struct {
    hw_adc in;
    hw_analog_kind kind;
    float min_kohm;                /* HW_ANALOG_ISOLATION: below this a fault */
    hw_iso iso;                    /* its last result (logged on change) */
} hw_analog;

int hw_analog_open(hw_analog *a, hw_analog_kind kind, const hw_adc_config *c, float min_kohm);
void hw_analog_backend(hw_analog *a, hw_backend *b);
void hw_analog_close(hw_analog *a);

#ifdef __cplusplus
}
#endif

#endif
