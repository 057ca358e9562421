/* libFuzzer target: the INI parser of `-c FILE` and its value helpers on hostile text. Every key handed out has
 * lower-case names within INI_MAX_NAME, a value without line breaks, and line numbers that never go back; each
 * value also goes to the authorization socket's address parser (`[pnc] auth_socket`), which takes it or says why. */
#include <ctype.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/auth_backend.h"
#include "ccsplc/linux/ini.h"
#include "fuzz_util.h"

typedef struct {
    unsigned line, keys;
} seen;

static int on_key(void *ctx, const char *section, const char *key, const char *value, unsigned line)
{
    seen *s = ctx;
    FUZZ_CHECK(line >= 1 && line >= s->line);
    s->line = line;
    s->keys++;
    FUZZ_CHECK(strlen(section) <= INI_MAX_NAME && strlen(key) <= INI_MAX_NAME && *key);
    for (const char *p = key; *p; p++) FUZZ_CHECK(!isupper((unsigned char)*p));
    for (const char *p = section; *p; p++) FUZZ_CHECK(!isupper((unsigned char)*p));
    FUZZ_CHECK(strlen(value) <= INI_MAX_LINE && !strchr(value, '\n'));
    double d;
    int b;
    if (ini_number(value, -1e9, 1e9, &d) == 0) FUZZ_CHECK(d >= -1e9 && d <= 1e9);
    if (ini_bool(value, &b) == 0) FUZZ_CHECK(b == 0 || b == 1);
    auth_backend *ab;
    char err[256] = "";
    if (!auth_backend_open(NULL, NULL, 1000, &ab, err, sizeof err)) {
        int rc = auth_backend_socket(ab, value, err, sizeof err);
        FUZZ_CHECK(rc == 0 || (rc == CCS_EINVAL && strstr(err, "HOST:PORT")));
        auth_backend_free(ab);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    seen s = { 0, 0 };
    unsigned bad = 0;
    int rc = ini_parse((const char *)data, size, on_key, &s, &bad);
    FUZZ_CHECK(rc <= 0);
    if (rc == 0) FUZZ_CHECK(s.keys <= size / 2 + 1);
    return 0;
}
