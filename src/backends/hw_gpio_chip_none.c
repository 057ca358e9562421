/* The GPIO chip in a build without libgpiod: refused by name, with the package that brings it (the file chip,
 * gpio_chip = file:DIR, still works). */
#include "ccsplc/linux/hw_backends.h"
#include "ccsplc/linux/hw_gpio.h"
#include "ccsplc/linux/log.h"

const int hw_gpio_built = 0;

int hw_gpio_chip_gpiod(hw_gpio_chip *chip, const char *name)
{
    (void)chip;
    LOG_E("hw: gpio_chip = %s: this ccsplc was built without libgpiod (Debian: libgpiod-dev; configure and build "
          "again)", name);
    return -1;
}
