/* The charger's CP read-back from an ADC file (hw_adc: read again every step, no number for HW_ADC_GRACE_MS: a
 * lost link, so the supervisor goes safe), scaled to volts and classified (hw_cp_of_volts). */
#include "ccsplc/linux/hw_cp_adc.h"
#include "ccsplc/linux/log.h"

int hw_cp_adc_open(hw_cp_adc *a, const hw_cp_adc_config *c)
{
    a->volts = 0.0f;
    a->cp = HW_CP_UNKNOWN;
    if (hw_adc_open(&a->in, c, "cp_adc")) return -1;
    LOG_I("hw: CP read back from %s (%g V per count, %+g V)", c->path, (double)c->scale, (double)c->offset_v);
    return 0;
}

static void apply(void *ctx, const hw_cmd *cmd, uint32_t now)
{
    (void)ctx, (void)cmd, (void)now;   /* it only measures */
}

static void sense(void *ctx, hw_meas *m, uint32_t now)
{
    hw_cp_adc *a = ctx;
    if (hw_adc_read(&a->in, now) > 0) {
        a->volts = a->in.value;
        hw_cp cp = hw_cp_of_volts(a->volts);
        if (cp != a->cp) LOG_I("hw: CP %c (%.1f V)", hw_cp_letter(cp), (double)a->volts);
        a->cp = cp;
    }
    if (!a->in.dead) m->cp = a->cp;   /* the last good level (UNKNOWN before the first) */
    m->link_ok = !a->in.dead;
}

void hw_cp_adc_backend(hw_cp_adc *a, hw_backend *b) { *b = (hw_backend){ "cp_adc", a, apply, sense }; }

void hw_cp_adc_close(hw_cp_adc *a) { hw_adc_close(&a->in); }
