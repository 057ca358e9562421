/* Input and output helpers for the CLI: read a file or stdin whole, parse hex text, finish standard output. */
#include "app_io.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *app_read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    if (f != stdin)
        fclose(f);
    if (!buf)
        return NULL;
    buf[n] = 0;
    *len = n;
    return buf;
}

uint8_t *app_parse_hex(const char *text, size_t *len)
{
    while (isspace((unsigned char)*text))
        text++;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        text += 2;
    uint8_t *out = malloc(strlen(text) / 2 + 1);
    size_t n = 0;
    int hi = -1;
    for (; out && *text; text++) {
        unsigned char c = (unsigned char)*text;
        if (isspace(c) || c == ':')
            continue;
        if (!isxdigit(c)) {
            free(out);
            return NULL;
        }
        int v = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (out && (hi >= 0 || n == 0)) {
        free(out);
        return NULL;
    }
    *len = n;
    return out;
}

static int stdout_errno; /* the first failed write's, as app_stdout_failed noted it */

void app_stdout_failed(void)
{
    if (!stdout_errno)
        stdout_errno = errno ? errno : EIO;
}

int app_close_stdout(void)
{
    int err = fflush(stdout) ? errno : ferror(stdout) ? (stdout_errno ? stdout_errno : EIO) : 0;
    if (fclose(stdout) && !err)
        err = errno;
    return err;
}
