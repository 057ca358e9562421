/* A GPIO chip made of files, behind the GPIO backend's chip seam: a dry run of the wiring without a board, and
 * the fake chip of tests/integration/gpio_session.sh. Outputs: "<pin> <0|1>" lines appended to DIR/outputs;
 * inputs: DIR/in<pin> holds "1" while the input is active (absent or anything else: inactive). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/linux/hw_gpio.h"
#include "ccsplc/linux/log.h"

typedef struct {
    char dir[128];
    int out;                  /* DIR/outputs, append */
} files;

static int request(void *ctx, unsigned pin, int output, int active_low)
{
    (void)ctx, (void)pin, (void)output, (void)active_low;   /* the files are the logical levels */
    return 0;
}

static int set(void *ctx, unsigned pin, int value)
{
    files *f = ctx;
    char line[32];
    int n = snprintf(line, sizeof line, "%u %d\n", pin, value ? 1 : 0);
    return write(f->out, line, (size_t)n) == n ? 0 : -1;
}

static int get(void *ctx, unsigned pin)
{
    files *f = ctx;
    char path[160], ch = 0;
    snprintf(path, sizeof path, "%s/in%u", f->dir, pin);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, &ch, 1);
    close(fd);
    return n == 1 && ch == '1';
}

static void done(void *ctx)
{
    files *f = ctx;
    close(f->out);
    free(f);
}

int hw_gpio_chip_files(hw_gpio_chip *chip, const char *dir)
{
    char path[160];
    files *f = calloc(1, sizeof *f);
    if (!f) return -1;
    snprintf(f->dir, sizeof f->dir, "%s", dir);
    snprintf(path, sizeof path, "%s/outputs", dir);
    f->out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (f->out < 0) {
        LOG_E("hw: gpio: file chip %s: cannot write %s", dir, path);
        free(f);
        return -1;
    }
    *chip = (hw_gpio_chip){ f, request, set, get, done };
    return 0;
}
