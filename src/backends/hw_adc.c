/* The analog-input file reader (pread at 0 every step: a sysfs attribute gives a fresh conversion per read; no
 * number for HW_ADC_GRACE_MS: a lost link) and the CCS->CHAdeMO adapter's analog inputs as a backend. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/linux/hw_adc.h"
#include "ccsplc/linux/log.h"

int hw_adc_open(hw_adc *a, const hw_adc_config *c, const char *key)
{
    memset(a, 0, sizeof *a);
    a->cfg = *c;
    a->key = key;
    a->fd = open(c->path, O_RDONLY | O_CLOEXEC);
    if (a->fd < 0) {
        LOG_E("hw: %s = %s: %s", key, c->path, strerror(errno));
        return -1;
    }
    return 0;
}

/* A read without a number at now: the last value stands for HW_ADC_GRACE_MS, then the link is lost. */
static int failed(hw_adc *a, const char *why, uint32_t now)
{
    if (!a->failing) a->failing = 1, a->failing_ms = now;
    if (now - a->failing_ms < HW_ADC_GRACE_MS) return 0;
    LOG_E("hw: %s = %s: %s for %u ms", a->key, a->cfg.path, why, (unsigned)(now - a->failing_ms));
    a->dead = 1;
    return -1;
}

int hw_adc_read(hw_adc *a, uint32_t now)
{
    char buf[64], *end;
    if (a->dead) return -1;
    ssize_t n = pread(a->fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return failed(a, n < 0 ? strerror(errno) : "empty", now);
    buf[n] = 0;
    double x = strtod(buf, &end);
    if (end == buf) return failed(a, "not a number", now);
    a->failing = 0;
    a->have = 1;
    a->value = (float)x * a->cfg.scale + a->cfg.offset_v;
    return 1;
}

void hw_adc_close(hw_adc *a)
{
    if (a->fd >= 0) close(a->fd);
    a->fd = -1;
}

int hw_analog_open(hw_analog *a, hw_analog_kind kind, const hw_adc_config *c, float min_kohm)
{
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->min_kohm = min_kohm;
    const char *key = kind == HW_ANALOG_CDM_V ? "chademo_voltage_adc" : "isolation_adc";
    if (hw_adc_open(&a->in, c, key)) return -1;
    if (kind == HW_ANALOG_CDM_V)
        LOG_I("hw: the CHAdeMO connector's voltage from %s (%g V per count, %+g V)", c->path, (double)c->scale,
              (double)c->offset_v);
    else
        LOG_I("hw: insulation monitor from %s (%g kOhm per count, %+g; a fault below %g kOhm)", c->path,
              (double)c->scale, (double)c->offset_v, (double)min_kohm);
    return 0;
}

static void apply(void *ctx, const hw_cmd *cmd, uint32_t now)
{
    (void)ctx, (void)cmd, (void)now;   /* it only measures */
}

static void sense(void *ctx, hw_meas *m, uint32_t now)
{
    hw_analog *a = ctx;
    hw_adc_read(&a->in, now);
    m->link_ok = !a->in.dead;
    if (a->in.dead || !a->in.have) return;
    if (a->kind == HW_ANALOG_CDM_V) {
        m->has_cdm_v = 1;
        m->cdm_v = a->in.value;
        return;
    }
    hw_iso iso = a->in.value < a->min_kohm ? HW_ISO_FAULT : HW_ISO_VALID;
    if (iso != a->iso)
        ccs_log(iso == HW_ISO_FAULT ? CCS_LOG_WARN : CCS_LOG_INFO, "hw: insulation %s (%.0f kOhm)",
                iso == HW_ISO_FAULT ? "FAULT" : "valid", (double)a->in.value);
    a->iso = iso;
    m->isolation = iso;
}

void hw_analog_backend(hw_analog *a, hw_backend *b)
{
    *b = (hw_backend){ a->kind == HW_ANALOG_CDM_V ? "chademo_voltage_adc" : "isolation_adc", a, apply, sense };
}

void hw_analog_close(hw_analog *a) { hw_adc_close(&a->in); }
