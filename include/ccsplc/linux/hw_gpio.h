/* GPIO lines as a hardware backend (docs/hardware.md): outputs for the car's CP switch (state C), the contactor
 * relay, the connector lock and a charger's power-stage enable; inputs for the contactor and lock feedback, an
 * emergency-stop button, the plug and an insulation monitor's alarm; the CCS->CHAdeMO adapter's d1, d2 and
 * CHAdeMO lock (outputs) and the car's charge permit k (input). Pin numbers (line offsets) from the INI. The chip behind a seam: libgpiod
 * (gpio_chip = gpiochip0), or a directory of files (gpio_chip = file:DIR: a dry run, and the tests' fake). */
#ifndef CCSPLC_LINUX_HW_GPIO_H
#define CCSPLC_LINUX_HW_GPIO_H

#include <stdint.h>

#include "ccsplc/core/hw.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    HW_GPIO_LOCK, HW_GPIO_CP, HW_GPIO_CONTACTOR, HW_GPIO_POWER,   /* outputs, written in this order */
    HW_GPIO_CDM_LOCK, HW_GPIO_CDM_D1, HW_GPIO_CDM_D2,             /* the CHAdeMO adapter's: its lock (unlocked
                                                                   * before d1 goes off), d1, d2 */
    HW_GPIO_OUTPUTS,
    HW_GPIO_CONTACTOR_FB = HW_GPIO_OUTPUTS, HW_GPIO_LOCK_FB, HW_GPIO_ESTOP, HW_GPIO_PLUGGED, /* inputs */
    HW_GPIO_ISOLATION_FAULT,       /* an insulation monitor's alarm (charger: CableCheck; the adapter: CHAdeMO's) */
    HW_GPIO_CDM_K,                 /* the CHAdeMO car's charge permit k */
    HW_GPIO_LINES
} hw_gpio_line;

typedef struct {
    char chip[128];                    /* gpio_chip: gpiochip0, /dev/gpiochip0, a label, or file:DIR */
    int pin[HW_GPIO_LINES];            /* gpio_cp, gpio_contactor, ...: line offsets, -1: not wired */
    uint32_t active_low;               /* bit per line: gpio_active_low lists them */
} hw_gpio_config;

/* The seam between the backend and a chip. */
typedef struct {
    void *ctx;
    int (*request)(void *ctx, unsigned pin, int output, int active_low);   /* 0 or -1 */
    int (*set)(void *ctx, unsigned pin, int value);                        /* 0 or -1 */
    int (*get)(void *ctx, unsigned pin);                                   /* 0, 1 or -1 */
    void (*close)(void *ctx);
} hw_gpio_chip;

typedef struct {
    hw_gpio_config cfg;
    hw_gpio_chip chip;
    hw_role role;
    int level[HW_GPIO_OUTPUTS];        /* written last; -1 before */
    int dead;                          /* a line failed: the hardware link is lost */
    hw_meas m;
} hw_gpio;

/* The INI key of a line ("gpio_cp", ...), and the line of a key (-1: not one). */
const char *hw_gpio_key(hw_gpio_line l);
int hw_gpio_line_of(const char *key);
void hw_gpio_config_default(hw_gpio_config *c);
/* digital_output_device = rpi_gpio: hwthomas/ccs-chademo's Raspberry Pi board (CP, d1, d2, k active low) on the
 * lines the INI leaves unset. */
void hw_gpio_board_ccs_chademo(hw_gpio_config *c);
/* Request the configured lines on the chip (every output starts inactive). 0 or -1 (logged; the chip closed). */
int hw_gpio_open(hw_gpio *g, const hw_gpio_config *c, hw_role role, const hw_gpio_chip *chip);
void hw_gpio_backend(hw_gpio *g, hw_backend *b);
void hw_gpio_close(hw_gpio *g);

/* The chips: by name (file:DIR here, else libgpiod's). 0 or -1 (logged). */
int hw_gpio_chip_open(hw_gpio_chip *chip, const char *name);
/* libgpiod's chip (src/backends/hw_gpio_chip.c; the stub refuses when the build has no libgpiod). */
int hw_gpio_chip_gpiod(hw_gpio_chip *chip, const char *name);
/* The file chip: output changes appended to DIR/outputs as "<pin> <0|1>" lines; an input read from DIR/in<pin>
 * ("1": active; absent: inactive). */
int hw_gpio_chip_files(hw_gpio_chip *chip, const char *dir);

#ifdef __cplusplus
}
#endif

#endif
