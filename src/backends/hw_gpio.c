/* GPIO lines as a hardware backend: the supervisor's levels onto output lines (written when they change, the
 * lock first when locking), the input lines into the measurement. A line that fails is a lost link. */
#include <stdio.h>
#include <string.h>

#include "ccsplc/linux/hw_gpio.h"
#include "ccsplc/linux/log.h"

static const char *const keys[HW_GPIO_LINES] = {
    [HW_GPIO_LOCK] = "gpio_lock", [HW_GPIO_CP] = "gpio_cp", [HW_GPIO_CONTACTOR] = "gpio_contactor",
    [HW_GPIO_POWER] = "gpio_power", [HW_GPIO_CONTACTOR_FB] = "gpio_contactor_feedback",
    [HW_GPIO_LOCK_FB] = "gpio_lock_feedback", [HW_GPIO_ESTOP] = "gpio_emergency_stop", [HW_GPIO_PLUGGED] = "gpio_plugged",
    [HW_GPIO_CDM_D1] = "gpio_chademo_d1", [HW_GPIO_CDM_D2] = "gpio_chademo_d2", [HW_GPIO_CDM_LOCK] = "gpio_chademo_lock",
    [HW_GPIO_ISOLATION_FAULT] = "gpio_isolation_fault", [HW_GPIO_CDM_K] = "gpio_chademo_k",
};

const char *hw_gpio_key(hw_gpio_line l) { return (unsigned)l < HW_GPIO_LINES ? keys[l] : "?"; }

int hw_gpio_line_of(const char *key)
{
    for (int i = 0; i < HW_GPIO_LINES; i++)
        if (!strcmp(keys[i], key)) return i;
    return -1;
}

void hw_gpio_config_default(hw_gpio_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->chip, sizeof c->chip, "gpiochip0");
    for (int i = 0; i < HW_GPIO_LINES; i++) c->pin[i] = -1;
}

void hw_gpio_board_ccs_chademo(hw_gpio_config *c)
{
    /* hwthomas/ccs-chademo's chademoPlc/hardwareInterface.py (digital_output_device = rpi_gpio) numbers the Pi's
     * header pins (GPIO.BOARD): CP 40, SS1 (d1) 13, SS2 (d2) 29, the permit k 10, active low. On gpiochip0 the
     * lines are the BCM numbers of those pins. Its watchdog pin 33 has no line here (its code never drives it). */
    static const struct { hw_gpio_line line; int bcm; } board[] = {
        { HW_GPIO_CP, 21 }, { HW_GPIO_CDM_D1, 27 }, { HW_GPIO_CDM_D2, 5 }, { HW_GPIO_CDM_K, 15 },
    };
    for (size_t i = 0; i < sizeof board / sizeof board[0]; i++) {
        if (c->pin[board[i].line] >= 0) continue;   /* the INI's own pin wins */
        c->pin[board[i].line] = board[i].bcm;
        if (board[i].line == HW_GPIO_CDM_K) c->active_low |= 1u << HW_GPIO_CDM_K;
    }
}

int hw_gpio_open(hw_gpio *g, const hw_gpio_config *c, hw_role role, const hw_gpio_chip *chip)
{
    memset(g, 0, sizeof *g);
    g->cfg = *c;
    g->chip = *chip;
    g->role = role;
    for (int i = 0; i < HW_GPIO_LINES; i++) {
        if (i < HW_GPIO_OUTPUTS) g->level[i] = -1;
        if (c->pin[i] < 0) continue;
        if (g->chip.request(g->chip.ctx, (unsigned)c->pin[i], i < HW_GPIO_OUTPUTS, (int)(c->active_low >> i & 1u))) {
            LOG_E("hw: gpio: %s = %d on %s: cannot request the line", keys[i], c->pin[i], c->chip);
            g->chip.close(g->chip.ctx);
            return -1;
        }
    }
    LOG_I("hw: gpio on %s", c->chip);
    return 0;
}

static void lost(hw_gpio *g, hw_gpio_line l)
{
    if (!g->dead) LOG_E("hw: gpio: %s = %d: the line failed", keys[l], g->cfg.pin[l]);
    g->dead = 1;
}

static void apply(void *ctx, const hw_cmd *cmd, uint32_t now)
{
    (void)now;
    hw_gpio *g = ctx;
    int cp = g->role == HW_CHARGER ? cmd->cp_pwm_pct == 5 : cmd->cp_c;   /* charger: the 5 % PWM generator on */
    int want[HW_GPIO_OUTPUTS] = { [HW_GPIO_LOCK] = cmd->lock, [HW_GPIO_CP] = cp,
                                  [HW_GPIO_CONTACTOR] = cmd->contactors, [HW_GPIO_POWER] = cmd->output_on,
                                  [HW_GPIO_CDM_D1] = cmd->cdm_d1, [HW_GPIO_CDM_D2] = cmd->cdm_d2,
                                  [HW_GPIO_CDM_LOCK] = cmd->cdm_lock };
    for (int i = 0; i < HW_GPIO_OUTPUTS && !g->dead; i++) {
        if (g->cfg.pin[i] < 0 || want[i] == g->level[i]) continue;
        if (g->chip.set(g->chip.ctx, (unsigned)g->cfg.pin[i], want[i])) lost(g, (hw_gpio_line)i);
        g->level[i] = want[i];
    }
}

/* An input line: -1 not wired (or failed), else 0/1. */
static int input(hw_gpio *g, hw_gpio_line l)
{
    if (g->cfg.pin[l] < 0 || g->dead) return -1;
    int v = g->chip.get(g->chip.ctx, (unsigned)g->cfg.pin[l]);
    if (v < 0) lost(g, l);
    return v;
}

static void sense(void *ctx, hw_meas *m, uint32_t now)
{
    (void)now;
    hw_gpio *g = ctx;
    int v;
    if ((v = input(g, HW_GPIO_CONTACTOR_FB)) >= 0) m->contactors = v ? HW_FB_CLOSED : HW_FB_OPEN;
    if ((v = input(g, HW_GPIO_LOCK_FB)) >= 0) m->lock = v ? HW_FB_CLOSED : HW_FB_OPEN;
    if ((v = input(g, HW_GPIO_ESTOP)) >= 0) m->estop = (uint8_t)v;
    if ((v = input(g, HW_GPIO_PLUGGED)) >= 0) m->has_plugged = 1, m->plugged = (uint8_t)v;
    if ((v = input(g, HW_GPIO_ISOLATION_FAULT)) >= 0) m->isolation = v ? HW_ISO_FAULT : HW_ISO_VALID;
    if ((v = input(g, HW_GPIO_CDM_K)) >= 0) m->has_cdm_k = 1, m->cdm_k = (uint8_t)v;
    m->link_ok = !g->dead;
}

void hw_gpio_backend(hw_gpio *g, hw_backend *b) { *b = (hw_backend){ "gpio", g, apply, sense }; }

void hw_gpio_close(hw_gpio *g)
{
    if (g->chip.close) g->chip.close(g->chip.ctx);
    g->chip.close = NULL;
}

int hw_gpio_chip_open(hw_gpio_chip *chip, const char *name)
{
    if (!strncmp(name, "file:", 5)) return hw_gpio_chip_files(chip, name + 5);
    return hw_gpio_chip_gpiod(chip, name);
}
