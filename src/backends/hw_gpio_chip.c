/* libgpiod (v1) behind the GPIO backend's chip seam: the chip by name, number, path or label; one request per
 * line (consumer "ccsplc"), outputs start inactive. */
#include <gpiod.h>
#include <stdlib.h>

#include "ccsplc/linux/hw_backends.h"
#include "ccsplc/linux/hw_gpio.h"
#include "ccsplc/linux/log.h"

const int hw_gpio_built = 1;

#define MAX_PINS 512u

typedef struct {
    struct gpiod_chip *chip;
    struct gpiod_line *line[MAX_PINS];
} gchip;

static int request(void *ctx, unsigned pin, int output, int active_low)
{
    gchip *g = ctx;
    if (pin >= MAX_PINS) return -1;
    struct gpiod_line *l = gpiod_chip_get_line(g->chip, pin);
    if (!l) return -1;
    int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    int rc = output ? gpiod_line_request_output_flags(l, "ccsplc", flags, 0)
                    : gpiod_line_request_input_flags(l, "ccsplc", flags);
    if (rc) return -1;
    g->line[pin] = l;
    return 0;
}

static int set(void *ctx, unsigned pin, int value)
{
    gchip *g = ctx;
    return pin < MAX_PINS && g->line[pin] && gpiod_line_set_value(g->line[pin], value) == 0 ? 0 : -1;
}

static int get(void *ctx, unsigned pin)
{
    gchip *g = ctx;
    return pin < MAX_PINS && g->line[pin] ? gpiod_line_get_value(g->line[pin]) : -1;
}

static void done(void *ctx)
{
    gchip *g = ctx;
    gpiod_chip_close(g->chip);   /* releases the lines */
    free(g);
}

int hw_gpio_chip_gpiod(hw_gpio_chip *chip, const char *name)
{
    gchip *g = calloc(1, sizeof *g);
    if (!g) return -1;
    g->chip = gpiod_chip_open_lookup(name);
    if (!g->chip) {
        LOG_E("hw: gpio_chip = %s: no such GPIO chip (gpiodetect lists them)", name);
        free(g);
        return -1;
    }
    *chip = (hw_gpio_chip){ g, request, set, get, done };
    return 0;
}
