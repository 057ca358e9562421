/* Logging to stderr with a level filter and a monotonic timestamp; each line goes out in one write (whole, also
 * when stderr is a queue that drops what does not fit, or a pipe other processes write to). */
#include "ccsplc/linux/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static enum ccs_log_level current = CCS_LOG_INFO;
static const char *const names[] = {"error", "warn", "info", "debug"};
static int status_line;   /* a live status line sits on the terminal: clear it before each log line */

void ccs_log_status_line(int on) { status_line = on; }

void ccs_log_set_level(enum ccs_log_level level) { current = level; }
enum ccs_log_level ccs_log_get_level(void) { return current; }

int ccs_log_parse_level(const char *name, enum ccs_log_level *out)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i])) {
            *out = (enum ccs_log_level)i;
            return 0;
        }
    return -1;
}

int ccs_log_prefix(char *buf, size_t cap, enum ccs_log_level level)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int n = snprintf(buf, cap, "%s%5ld.%03ld %-5s ", status_line ? "\r\033[K" : "", (long)ts.tv_sec % 100000,
                     ts.tv_nsec / 1000000L, names[level]);
    return n < 0 ? 0 : (size_t)n < cap ? n : (int)cap - 1;
}

void ccs_log(enum ccs_log_level level, const char *fmt, ...)
{
    if (level > current) return;
    char line[512], *p = line;
    int head = ccs_log_prefix(line, sizeof line, level);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line + head, sizeof line - (size_t)head, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    size_t len = (size_t)head + (size_t)n;
    if (len + 2 > sizeof line && (p = malloc(len + 2)) != NULL) {   /* a long line: formatted again, whole */
        memcpy(p, line, (size_t)head);
        va_start(ap, fmt);
        vsnprintf(p + head, (size_t)n + 1, fmt, ap);
        va_end(ap);
    } else if (len + 2 > sizeof line) {
        p = line;
        len = sizeof line - 2;
    }
    p[len++] = '\n';
    fwrite(p, 1, len, stderr);
    if (p != line) free(p);
}
