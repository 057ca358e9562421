/* EXI codec cost per message on the bare codec (src/exi + its tables only, no other library), so the same file
 * builds against another commit's codec: bench/compare.sh times it (or counts its instructions under callgrind) on
 * this tree and on 055c9ef.
 * Usage: bench_codec CORPUS_DIR proto:message decode|encode ITERS  (or `list` for the messages it knows); prints
 * the loop's wall-clock ns per operation last (CLOCK_MONOTONIC around the loop only, not the corpus loading). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccsplc/core/gen/app.h"
#include "ccsplc/core/gen/din.h"
#include "ccsplc/core/gen/iso2.h"
#include "ccsplc/core/gen/iso20.h"
#include "ccsplc/core/gen/iso20_dc.h"
#include "corpus_vector.h"

struct bench_proto {
    const char *name, *file; /* corpus column 1, corpus file */
    const struct exi_codec *codec;
    size_t doc_size;
};

static const struct bench_proto protos[] = {
    {"din", "din", &din_codec, sizeof(struct din_exiDocument)},
    {"iso2", "iso2", &iso2_codec, sizeof(struct iso2_exiDocument)},
    {"iso20-common", "iso20", &iso20_codec, sizeof(struct iso20_exiDocument)},
    {"iso20-dc", "iso20", &iso20_dc_codec, sizeof(struct iso20_dc_exiDocument)},
    {"app", "app", &app_codec, sizeof(struct app_exiDocument)},
};

/* The messages of issue 15's table first, then others. */
static const char *const messages[] = {
    "din:CurrentDemandReq", "din:CurrentDemandRes", "din:SessionSetupReq", "iso2:CurrentDemandRes",
    "app:supportedAppProtocolReq", "din:ChargeParameterDiscoveryRes", "iso2:CurrentDemandReq",
    "iso20-dc:DC_ChargeLoopReq", "iso20-common:SessionSetupReq",
};

static volatile size_t sink;

/* The measured loop: callgrind counts only this function (--toggle-collect=bench_loop). */
__attribute__((noinline)) static int bench_loop(const struct bench_proto *p, int encode, long iters,
                                                const uint8_t *in, size_t len, void *doc, uint8_t *out, size_t cap)
{
    int rc = 0;
    for (long i = 0; i < iters; i++) {
        size_t n = 0;
        rc |= encode ? exi_encode(p->codec, doc, out, cap, &n) : exi_decode(p->codec, in, len, doc);
        sink += n;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "list")) {
        for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
            puts(messages[i]);
        return 0;
    }
    if (argc != 5) {
        fprintf(stderr, "usage: bench_codec CORPUS_DIR proto:message decode|encode ITERS | bench_codec list\n");
        return 2;
    }
    const char *colon = strchr(argv[2], ':');
    const struct bench_proto *p = NULL;
    for (size_t i = 0; colon && i < sizeof protos / sizeof protos[0]; i++)
        if (strlen(protos[i].name) == (size_t)(colon - argv[2]) && !strncmp(argv[2], protos[i].name, strlen(protos[i].name)))
            p = &protos[i];
    int encode = !strcmp(argv[3], "encode");
    long iters = atol(argv[4]);
    static uint8_t in[16384], out[16384];
    long n = p ? bench_corpus_vector(argv[1], p->file, p->name, colon + 1, in, sizeof in) : -1;
    void *doc = p ? calloc(1, p->doc_size) : NULL;
    size_t outlen = 0;
    if (n <= 0 || !doc || (!encode && strcmp(argv[3], "decode")) || iters < 0) {
        fprintf(stderr, "bench_codec: no message %s in %s, or bad arguments\n", argv[2], argv[1]);
        free(doc);
        return 2;
    }
    /* checked first: decodes and re-encodes to the same bytes */
    if (exi_decode(p->codec, in, (size_t)n, doc) || exi_encode(p->codec, doc, out, sizeof out, &outlen) ||
        outlen > (size_t)n || memcmp(in, out, outlen)) {
        fprintf(stderr, "bench_codec: %s does not decode and re-encode\n", argv[2]);
        free(doc);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = bench_loop(p, encode, iters, in, (size_t)n, doc, out, sizeof out);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / (iters ? iters : 1);
    printf("%s %s %ld bytes %ld iterations rc %d %.3f ns/op\n", argv[2], argv[3], n, iters, rc, ns);
    free(doc);
    return rc ? 1 : 0;
}
