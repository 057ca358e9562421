/* Logging to stderr with a level filter and a monotonic timestamp. */
#include "ccsplc/log.h"

#include <stdarg.h>
#include <stdio.h>
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

void ccs_log(enum ccs_log_level level, const char *fmt, ...)
{
    if (level > current) return;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (status_line) fputs("\r\033[K", stderr);
    fprintf(stderr, "%5ld.%03ld %-5s ", (long)ts.tv_sec % 100000, ts.tv_nsec / 1000000L, names[level]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
