/* EXI codec speed: ns per decode and per encode of typical messages (first corpus line of each), median of
 * several timed runs, as a markdown table. Usage: bench_exi [runs [proto:message filter]]; env CCS_CORPUS. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccsplc/tools/exi_text.h"
#include "corpus_vector.h"

struct bench_case {
    const char *file, *proto, *message;
};

static const struct bench_case cases[] = {
    {"din", "din", "CurrentDemandReq"},
    {"din", "din", "CurrentDemandRes"},
    {"din", "din", "SessionSetupReq"},
    {"din", "din", "ChargeParameterDiscoveryRes"},
    {"iso2", "iso2", "CurrentDemandReq"},
    {"iso2", "iso2", "CurrentDemandRes"},
    {"iso2", "iso2", "ChargeParameterDiscoveryRes"},
    {"iso20", "iso20-dc", "DC_ChargeLoopReq"},
    {"iso20", "iso20-dc", "DC_ChargeLoopRes"},
    {"iso20", "iso20-common", "SessionSetupReq"},
    {"app", "app", "supportedAppProtocolReq"},
    {"app", "app", "supportedAppProtocolRes"},
};

#define RUN_NS 40000000.0 /* target length of one timed run */

static volatile size_t sink;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One operation on the case's data; returns nonzero on a codec error. */
struct op {
    const struct exi_proto *p;
    const uint8_t *in;
    size_t len;
    void *doc;
    uint8_t *out;
    size_t cap;
    int encode;
};

static int op_once(const struct op *o)
{
    if (!o->encode)
        return exi_decode(o->p->codec, o->in, o->len, o->doc);
    size_t n = 0;
    int rc = exi_encode(o->p->codec, o->doc, o->out, o->cap, &n);
    sink += n;
    return rc;
}

/* Median over runs of the mean ns per operation; iterations per run calibrated to about RUN_NS. */
static double time_op(const struct op *o, int runs)
{
    long iters = 1;
    for (;;) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++)
            op_once(o);
        double dt = now_ns() - t0;
        if (dt > RUN_NS / 10 || iters > (1L << 28))
            break;
        iters *= 2;
    }
    iters = (long)((double)iters * 10); /* ~RUN_NS per run */
    double res[64];
    if (runs > 64)
        runs = 64;
    for (int r = 0; r < runs; r++) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++)
            op_once(o);
        res[r] = (now_ns() - t0) / (double)iters;
    }
    qsort(res, (size_t)runs, sizeof res[0], cmp_double);
    return res[runs / 2];
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 7;
    const char *filter = argc > 2 ? argv[2] : "";
    const char *dir = getenv("CCS_CORPUS") ? getenv("CCS_CORPUS") : CCS_SHARED_DIR "/corpus";
    if (runs < 1)
        runs = 1;
    static uint8_t in[16384], out[16384];
    int failed = 0;
    printf("| message | proto | bytes | decode ns | encode ns |\n| --- | --- | ---: | ---: | ---: |\n");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bench_case *bc = &cases[i];
        char name[128];
        snprintf(name, sizeof name, "%s:%s", bc->proto, bc->message);
        if (!strstr(name, filter))
            continue;
        const struct exi_proto *p = exi_proto_find(bc->proto);
        long n = bench_corpus_vector(dir, bc->file, bc->proto, bc->message, in, sizeof in);
        if (!p || n <= 0) {
            fprintf(stderr, "bench_exi: no %s %s in %s/%s.tsv\n", bc->proto, bc->message, dir, bc->file);
            failed = 1;
            continue;
        }
        struct op o = {p, in, (size_t)n, calloc(1, p->doc_size), out, sizeof out, 0};
        size_t outlen = 0;
        if (!o.doc || op_once(&o) || exi_encode(p->codec, o.doc, out, sizeof out, &outlen) ||
            outlen > (size_t)n || memcmp(in, out, outlen)) {
            fprintf(stderr, "bench_exi: %s %s does not decode and re-encode\n", bc->proto, bc->message);
            failed = 1;
            free(o.doc);
            continue;
        }
        double dec = time_op(&o, runs);
        o.encode = 1;
        double enc = time_op(&o, runs);
        printf("| %s | %s | %ld | %.0f | %.0f |\n", bc->message, bc->proto, n, dec, enc);
        fflush(stdout);
        free(o.doc);
    }
    return failed;
}
