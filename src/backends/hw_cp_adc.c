/* The charger's CP read-back from an ADC file: read it again every step (pread at 0: a sysfs attribute gives a
 * fresh conversion per read), scale to volts, classify (hw_cp_of_volts); reads that give no number for
 * HW_CP_ADC_GRACE_MS are a lost link, so the supervisor goes safe. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/linux/hw_cp_adc.h"
#include "ccsplc/linux/log.h"

int hw_cp_adc_open(hw_cp_adc *a, const hw_cp_adc_config *c)
{
    memset(a, 0, sizeof *a);
    a->cfg = *c;
    a->fd = open(c->path, O_RDONLY | O_CLOEXEC);
    if (a->fd < 0) {
        LOG_E("hw: cp_adc = %s: %s", c->path, strerror(errno));
        return -1;
    }
    LOG_I("hw: CP read back from %s (%g V per count, %+g V)", c->path, (double)c->scale, (double)c->offset_v);
    return 0;
}

/* A read without a number at now: the last level stands for HW_CP_ADC_GRACE_MS, then the link is lost. */
static void failed(hw_cp_adc *a, const char *why, uint32_t now)
{
    if (!a->failing) a->failing = 1, a->failing_ms = now;
    if (now - a->failing_ms < HW_CP_ADC_GRACE_MS) return;
    LOG_E("hw: cp_adc = %s: %s for %u ms", a->cfg.path, why, (unsigned)(now - a->failing_ms));
    a->dead = 1;
}

/* The number in the file, or -1 (not a number, or unreadable: failed). */
static int reading(hw_cp_adc *a, double *x, uint32_t now)
{
    char buf[64], *end;
    ssize_t n = pread(a->fd, buf, sizeof buf - 1, 0);
    if (n <= 0) {
        failed(a, n < 0 ? strerror(errno) : "empty", now);
        return -1;
    }
    buf[n] = 0;
    *x = strtod(buf, &end);
    if (end == buf) {
        failed(a, "not a number", now);
        return -1;
    }
    a->failing = 0;
    return 0;
}

static void apply(void *ctx, const hw_cmd *cmd, uint32_t now)
{
    (void)ctx, (void)cmd, (void)now;   /* it only measures */
}

static void sense(void *ctx, hw_meas *m, uint32_t now)
{
    hw_cp_adc *a = ctx;
    double x;
    if (!a->dead && !reading(a, &x, now)) {
        a->volts = (float)x * a->cfg.scale + a->cfg.offset_v;
        hw_cp cp = hw_cp_of_volts(a->volts);
        if (cp != a->cp) LOG_I("hw: CP %c (%.1f V)", hw_cp_letter(cp), (double)a->volts);
        a->cp = cp;
    }
    if (!a->dead) m->cp = a->cp;   /* the last good level (UNKNOWN before the first) */
    m->link_ok = !a->dead;
}

void hw_cp_adc_backend(hw_cp_adc *a, hw_backend *b) { *b = (hw_backend){ "cp_adc", a, apply, sense }; }

void hw_cp_adc_close(hw_cp_adc *a)
{
    if (a->fd >= 0) close(a->fd);
    a->fd = -1;
}
