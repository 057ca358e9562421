/* NSS key-log files (the SSLKEYLOGFILE format Wireshark reads): "LABEL <client random hex> <secret hex>" lines,
 * read for `ccsplc decode --keylog` (include/ccsplc/linux/tls_decrypt.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/tls_decrypt.h"

#define KEYLOG_SECRET_MAX 64 /* SHA-384 secrets are 48 bytes; master secrets 48 */
#define KEYLOG_MAX_BYTES (16u << 20)

typedef struct {
    char label[40];
    uint8_t cr[32];
    uint8_t secret[KEYLOG_SECRET_MAX];
    size_t secret_len;
} keylog_entry;

struct tls_keylog {
    keylog_entry *e;
    size_t n, cap;
};

/* Hex digits of s[0..len) into out (exactly len / 2 bytes). 0 or -1. */
static int unhex(const char *s, size_t len, uint8_t *out)
{
    if (len % 2) return -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0) return -1;
        if (i % 2) out[i / 2] = (uint8_t)(out[i / 2] | v);
        else out[i / 2] = (uint8_t)(v << 4);
    }
    return 0;
}

/* The next space-separated word of [*p, end) on this line: its start and length (0 at the end). */
static size_t word(const char **p, const char *end, const char **start)
{
    while (*p < end && **p == ' ') (*p)++;
    *start = *p;
    while (*p < end && **p != ' ') (*p)++;
    return (size_t)(*p - *start);
}

static int add_line(tls_keylog *k, const char *s, const char *end)
{
    const char *label, *cr, *secret;
    size_t nl = word(&s, end, &label), nc = word(&s, end, &cr), ns = word(&s, end, &secret);
    const char *rest;
    if (!nl || label[0] == '#') return 0;
    if (!nc || !ns || word(&s, end, &rest) || nl >= sizeof k->e->label || nc != 64 || ns > 2 * KEYLOG_SECRET_MAX)
        return CCS_ESYNTAX;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 16;
        keylog_entry *e = realloc(k->e, cap * sizeof *e);
        if (!e) return CCS_EIO;
        k->e = e;
        k->cap = cap;
    }
    keylog_entry *e = &k->e[k->n];
    memcpy(e->label, label, nl);
    e->label[nl] = 0;
    e->secret_len = ns / 2;
    if (unhex(cr, nc, e->cr) || unhex(secret, ns, e->secret)) return CCS_ESYNTAX;
    k->n++;
    return 0;
}

int tls_keylog_parse(const char *text, size_t len, tls_keylog **out, char *err, size_t errcap)
{
    tls_keylog *k = calloc(1, sizeof *k);
    *out = NULL;
    if (!k) return snprintf(err, errcap, "out of memory"), CCS_EIO;
    const char *p = text, *end = text + len;
    for (unsigned line = 1; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        const char *stop = e > p && e[-1] == '\r' ? e - 1 : e;
        int rc = add_line(k, p, stop);
        if (rc) {
            snprintf(err, errcap, "line %u: %s", line,
                     rc == CCS_EIO ? "out of memory" : "not \"LABEL <64 hex digits> <hex secret>\"");
            tls_keylog_free(k);
            return rc;
        }
        p = nl ? nl + 1 : end;
    }
    *out = k;
    return 0;
}

int tls_keylog_load(const char *path, tls_keylog **out, char *err, size_t errcap)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return snprintf(err, errcap, "cannot open %s", path), CCS_EIO;
    char *buf = malloc(KEYLOG_MAX_BYTES);
    size_t n = buf ? fread(buf, 1, KEYLOG_MAX_BYTES, f) : 0;
    int bad = !buf || ferror(f) || !feof(f);
    fclose(f);
    if (bad) {
        free(buf);
        return snprintf(err, errcap, "cannot read %s (at most %u MB)", path, KEYLOG_MAX_BYTES >> 20), CCS_EIO;
    }
    char why[200];
    int rc = tls_keylog_parse(buf, n, out, why, sizeof why);
    if (rc) snprintf(err, errcap, "%s: %s", path, why);
    free(buf);
    return rc;
}

void tls_keylog_free(tls_keylog *k)
{
    if (!k) return;
    free(k->e);
    free(k);
}

size_t tls_keylog_count(const tls_keylog *k) { return k ? k->n : 0; }

size_t tls_keylog_find(const tls_keylog *k, const char *label, const uint8_t client_random[32], uint8_t *out,
                       size_t cap)
{
    for (size_t i = k ? k->n : 0; i-- > 0;) {   /* the newest line wins */
        const keylog_entry *e = &k->e[i];
        if (strcmp(e->label, label) || memcmp(e->cr, client_random, 32) || e->secret_len > cap) continue;
        memcpy(out, e->secret, e->secret_len);
        return e->secret_len;
    }
    return 0;
}
