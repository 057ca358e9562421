/* The bytes of a message of the EXI corpus (../shared/corpus/<name>.tsv), for the benchmarks. Header only:
 * each bench/bench_<name>.c is one program, and bench_codec.c is also compiled against another commit's codec. */
#ifndef CCSPLC_BENCH_CORPUS_VECTOR_H
#define CCSPLC_BENCH_CORPUS_VECTOR_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static inline int bench_hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The bytes of the first line "proto<TAB>message<TAB>hex..." of <dir>/<file>.tsv; returns the length or -1. */
static inline long bench_corpus_vector(const char *dir, const char *file, const char *proto, const char *message,
                                       uint8_t *out, size_t cap)
{
    static char line[65536];
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.tsv", dir, file);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t plen = strlen(proto), mlen = strlen(message);
    long n = -1;
    while (n < 0 && fgets(line, sizeof line, f)) {
        if (strncmp(line, proto, plen) || line[plen] != '\t' || strncmp(line + plen + 1, message, mlen) ||
            line[plen + 1 + mlen] != '\t')
            continue;
        const char *h = line + plen + mlen + 2;
        for (n = 0; bench_hexval(h[0]) >= 0 && bench_hexval(h[1]) >= 0 && (size_t)n < cap; h += 2)
            out[n++] = (uint8_t)(bench_hexval(h[0]) << 4 | bench_hexval(h[1]));
    }
    fclose(f);
    return n;
}

#endif
