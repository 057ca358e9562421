/* A serial board as a hardware backend: the tty (raw 8N1 at the board's baud rate, non-blocking), the command
 * written when it changes (and refreshed for dieter), the received lines parsed on every sense. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/hw_serial.h"
#include "ccsplc/linux/log.h"

static int speed_of(unsigned baud, speed_t *sp)
{
    static const struct { unsigned baud; speed_t sp; } t[] = {
        { 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 }, { 19200, B19200 },
        { 38400, B38400 }, { 57600, B57600 }, { 115200, B115200 }, { 230400, B230400 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].baud == baud) return *sp = t[i].sp, 0;
    return CCS_ERANGE;
}

int hw_serial_open(hw_serial *s, hw_board_kind kind, int analog, const char *path, unsigned baud)
{
    struct termios tio;
    speed_t sp;
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->kind = kind;
    s->analog = analog;
    snprintf(s->path, sizeof s->path, "%s", path);
    if (speed_of(baud, &sp)) {
        LOG_E("hw: serial_baud = %u: not a baud rate of this system", baud);
        return CCS_ERANGE;
    }
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        LOG_E("hw: %s: cannot open %s: %s", hw_board_name(kind), path, strerror(errno));
        return CCS_EIO;
    }
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        tio.c_cflag |= CLOCAL | CREAD;
        tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB);
        cfsetispeed(&tio, sp);
        cfsetospeed(&tio, sp);
        tcsetattr(fd, TCSANOW, &tio);
    }
    s->fd = fd;
    LOG_I("hw: %s on %s at %u baud", hw_board_name(kind), path, baud);
    return 0;
}

int hw_serial_find_port(char *out, size_t cap)
{
    static const char *const prefixes[] = { "ttyUSB", "ttyACM" };
    for (size_t p = 0; p < 2; p++) {
        DIR *d = opendir("/dev");
        if (!d) return CCS_ENOTFOUND;
        struct dirent *e;
        char best[256] = "";
        while ((e = readdir(d)) != NULL)
            if (!strncmp(e->d_name, prefixes[p], strlen(prefixes[p])) && (!*best || strcmp(e->d_name, best) < 0))
                snprintf(best, sizeof best, "%.200s", e->d_name);
        closedir(d);
        if (*best) {
            snprintf(out, cap, "/dev/%.200s", best);
            return 0;
        }
    }
    return CCS_ENOTFOUND;
}

static void lost(hw_serial *s, const char *why)
{
    if (!s->dead) LOG_E("hw: %s on %s: %s", hw_board_name(s->kind), s->path, why);
    s->dead = 1;
}

static void apply(void *ctx, const hw_cmd *cmd, uint32_t now)
{
    hw_serial *s = ctx;
    char buf[128];
    if (s->dead) return;
    int refresh = s->kind == HW_BOARD_DIETER && now - s->last_tx_ms >= HW_DIETER_REFRESH_MS;
    size_t n = hw_board_encode(s->kind, cmd, &s->sent, s->sent_any, refresh, buf, sizeof buf);
    if (!n) return;
    ssize_t w = write(s->fd, buf, n);
    if (w != (ssize_t)n) {   /* a few bytes at 19200 baud never fill the tty's buffer: the board is gone */
        lost(s, w < 0 ? strerror(errno) : "short write");
        return;
    }
    s->sent = *cmd;
    s->sent_any = 1;
    s->last_tx_ms = now;
}

static void take(hw_serial *s, const char *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = data[i];
        if (ch == '\n' || ch == '\r') {
            s->rx[s->rx_len] = 0;
            if (s->rx_len) hw_board_line(s, s->rx);
            s->rx_len = 0;
        } else if (s->rx_len + 1 < sizeof s->rx) {
            s->rx[s->rx_len++] = ch;
        } else {
            s->rx_len = 0;   /* a line longer than any of the protocol's: dropped */
        }
    }
}

static void sense(void *ctx, hw_meas *m, uint32_t now)
{
    hw_serial *s = ctx;
    char buf[256];
    while (!s->dead) {
        ssize_t n = read(s->fd, buf, sizeof buf);
        if (n > 0) {
            if (!s->heard) LOG_I("hw: %s answered", hw_board_name(s->kind));
            s->heard = 1;
            s->last_rx_ms = now;
            take(s, buf, (size_t)n);
            continue;
        }
        if (n == 0 || errno == EIO) lost(s, "closed");
        else if (errno != EAGAIN && errno != EINTR) lost(s, strerror(errno));
        break;
    }
    if (s->heard && !s->dead && now - s->last_rx_ms > HW_SERIAL_SILENT_MS) lost(s, "silent");
    uint8_t link = !s->dead;
    *m = s->m;
    m->link_ok = link;
}

void hw_serial_backend(hw_serial *s, hw_backend *b) { *b = (hw_backend){ hw_board_name(s->kind), s, apply, sense }; }

void hw_serial_close(hw_serial *s)
{
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
}
