/* The charger's control-pilot read-back as a hardware backend (docs/hardware.md): an ADC reading from a file (a
 * Linux IIO channel, /sys/bus/iio/devices/iio:deviceN/in_voltageM_raw, or any file holding a number), scaled to
 * the CP line's volts and classified A-F; a file that gives no number for HW_CP_ADC_GRACE_MS is a lost link. */
#ifndef CCSPLC_LINUX_HW_CP_ADC_H
#define CCSPLC_LINUX_HW_CP_ADC_H

#include "ccsplc/core/hw.h"
#include "ccsplc/linux/hw_adc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HW_CP_ADC_GRACE_MS HW_ADC_GRACE_MS

/* cp_adc (path), cp_adc_scale (volts on the CP line per count, the divider included), cp_adc_offset (volts added
 * after scaling, for a level-shifted ±12 V input). */
typedef hw_adc_config hw_cp_adc_config;

typedef struct {
    hw_adc in;
    float volts;                   /* the last reading */
    hw_cp cp;                      /* and its level */
} hw_cp_adc;

/* 0, or -1 when the file cannot be opened (logged). */
int hw_cp_adc_open(hw_cp_adc *a, const hw_cp_adc_config *c);
void hw_cp_adc_backend(hw_cp_adc *a, hw_backend *b);
void hw_cp_adc_close(hw_cp_adc *a);

#ifdef __cplusplus
}
#endif

#endif
