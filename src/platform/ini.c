/* INI parser for configuration files: bounded line scanning over untrusted text, one callback per key, and
 * number/boolean value helpers. */
#include "ccsplc/linux/ini.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ccsplc/core/errors.h"

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Trim [*b, *e) in place. */
static void trim(const char **b, const char **e)
{
    while (*b < *e && is_space(**b)) (*b)++;
    while (*e > *b && is_space((*e)[-1])) (*e)--;
}

/* Copy a section or key name, lower-cased: letters, digits, '_', '-', '.', ' ' inside. 0 or CCS_ESYNTAX. */
static int copy_name(const char *b, const char *e, char out[INI_MAX_NAME + 1])
{
    size_t n = (size_t)(e - b);
    if (n == 0 || n > INI_MAX_NAME) return CCS_ESYNTAX;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b[i];
        if (!isalnum(c) && c != '_' && c != '-' && c != '.' && c != ' ') return CCS_ESYNTAX;
        out[i] = (char)tolower(c);
    }
    out[n] = '\0';
    return 0;
}

static int parse_line(const char *b, const char *e, char section[INI_MAX_NAME + 1], ini_key_fn fn, void *ctx,
                      unsigned line)
{
    trim(&b, &e);
    if (b == e || *b == '#' || *b == ';') return 0;
    if (*b == '[') {
        if (e[-1] != ']') return CCS_ESYNTAX;
        const char *nb = b + 1, *ne = e - 1;
        trim(&nb, &ne);
        return copy_name(nb, ne, section);
    }
    const char *sep = b;
    while (sep < e && *sep != '=' && *sep != ':') sep++;
    if (sep == e) return CCS_ESYNTAX;
    const char *kb = b, *ke = sep, *vb = sep + 1, *ve = e;
    trim(&kb, &ke);
    trim(&vb, &ve);
    char key[INI_MAX_NAME + 1], value[INI_MAX_LINE + 1];
    if (copy_name(kb, ke, key)) return CCS_ESYNTAX;
    memcpy(value, vb, (size_t)(ve - vb));
    value[ve - vb] = '\0';
    return fn(ctx, section, key, value, line);
}

int ini_parse(const char *text, size_t len, ini_key_fn fn, void *ctx, unsigned *bad_line)
{
    unsigned dummy;
    if (!bad_line) bad_line = &dummy;
    *bad_line = 0;
    if (!fn || (!text && len)) return CCS_EINVAL;
    if (len > INI_MAX_FILE) return CCS_ERANGE;
    char section[INI_MAX_NAME + 1] = "";
    const char *p = text, *end = text + len;
    for (unsigned line = 1; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        int rc = (size_t)(e - p) > INI_MAX_LINE || memchr(p, '\0', (size_t)(e - p)) ? CCS_ESYNTAX
                                                                                    : parse_line(p, e, section, fn, ctx, line);
        if (rc) {
            *bad_line = line;
            return rc;
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}

int ini_parse_file(const char *path, ini_key_fn fn, void *ctx, unsigned *bad_line)
{
    if (bad_line) *bad_line = 0;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) return CCS_EIO;
    char *buf = malloc(INI_MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, INI_MAX_FILE + 1, f) : 0;
    int rc = !buf || ferror(f) ? CCS_EIO : ini_parse(buf, n, fn, ctx, bad_line);
    free(buf);
    fclose(f);
    return rc;
}

int ini_number(const char *value, double lo, double hi, double *out)
{
    if (!value || !*value || is_space(*value)) return CCS_ESYNTAX;
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (end == value || *end || errno == ERANGE || isnan(v)) return CCS_ESYNTAX;
    if (v < lo || v > hi) return CCS_ERANGE;
    *out = v;
    return 0;
}

int ini_bool(const char *value, int *out)
{
    static const char *const yes[] = { "1", "yes", "true", "on" }, *const no[] = { "0", "no", "false", "off" };
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(value, yes[i])) return *out = 1, 0;
        if (!strcasecmp(value, no[i])) return *out = 0, 0;
    }
    return CCS_ESYNTAX;
}
