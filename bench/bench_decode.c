/* Capture decoding speed (`ccsplc decode`): MB/s and messages/s over the largest shared capture, for the
 * analysis alone and with the text / JSON Lines output written to /dev/null; median of several runs by wall
 * clock, and by the process's CPU time (median and fastest run: preemption on a loaded machine does not count
 * there, cache contention still does).
 * Usage: bench_decode [runs [capture [none|text|json]]] (one output form only: for callgrind). */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ccsplc/tools/decode.h"

enum form { FORM_NONE, FORM_TEXT, FORM_JSON };

struct ctx {
    enum form form;
    FILE *out;
    dec_analyzer *a;
};

static double now_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_record(void *p, const dec_record *r)
{
    struct ctx *c = p;
    if (c->form == FORM_TEXT)
        dec_text_record(c->out, r, dec_stats(c->a)->first_ns);
    else if (c->form == FORM_JSON)
        dec_json_record(c->out, r, dec_stats(c->a)->first_ns);
}

/* One pass over the file; returns wall-clock seconds, *cpu the CPU seconds, *records and *exi the counts. */
static double run(const char *path, enum form form, FILE *out, double *cpu, unsigned *records, unsigned *exi)
{
    struct ctx c = {form, out, NULL};
    double t0 = now_s(CLOCK_MONOTONIC), c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    c.a = dec_new(on_record, &c);
    cap_callbacks cb = dec_callbacks(c.a);
    cap_stats st;
    char err[256];
    if (!c.a || cap_read_file(path, &cb, CAP_DEFAULT_MAX_PAYLOAD, &st, err, sizeof err)) {
        fprintf(stderr, "bench_decode: %s: %s\n", path, c.a ? err : "out of memory");
        exit(1);
    }
    dec_finish(c.a, &st);
    if (form == FORM_TEXT)
        dec_text_summary(out, c.a);
    double t = now_s(CLOCK_MONOTONIC) - t0;
    *cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    *records = dec_stats(c.a)->records;
    *exi = dec_stats(c.a)->exi;
    dec_free(c.a);
    return t;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The largest *.pcap / *.pcapng of the shared captures. */
static const char *largest(char *buf, size_t cap)
{
    glob_t g;
    off_t best = -1;
    if (glob(CCS_SHARED_DIR "/captures/*.pcap*", 0, NULL, &g))
        return NULL;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        struct stat st;
        const char *p = g.gl_pathv[i];
        if (strstr(p, ".txt") || stat(p, &st) || st.st_size <= best)
            continue;
        best = st.st_size;
        snprintf(buf, cap, "%s", p);
    }
    globfree(&g);
    return best >= 0 ? buf : NULL;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 15;
    char buf[4096];
    const char *path = argc > 2 ? argv[2] : largest(buf, sizeof buf);
    struct stat st;
    if (runs < 1 || runs > 1000 || !path || stat(path, &st)) {
        fprintf(stderr, "usage: bench_decode [runs [capture]]\n");
        return 2;
    }
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        return 1;
    static const char *const names[] = {"analysis only (no output)", "text timeline + summary", "JSON Lines"};
    printf("%s: %.1f KB\n\n| output | MB/s | records/s | EXI messages/s | ms per file | CPU MB/s | CPU MB/s best |\n"
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
           strrchr(path, '/') ? strrchr(path, '/') + 1 : path, (double)st.st_size / 1e3);
    static const char *const forms[] = {"none", "text", "json"};
    for (int f = FORM_NONE; f <= FORM_JSON; f++) {
        if (argc > 3 && strcmp(argv[3], forms[f]))
            continue;
        double t[1000], cpu[1000];
        unsigned records = 0, exi = 0;
        for (int i = 0; i < runs; i++)
            t[i] = run(path, (enum form)f, null, &cpu[i], &records, &exi);
        qsort(t, (size_t)runs, sizeof t[0], cmp);
        qsort(cpu, (size_t)runs, sizeof cpu[0], cmp);
        double med = t[runs / 2], cmed = cpu[runs / 2];
        printf("| %s | %.1f | %.0f | %.0f | %.2f | %.1f | %.1f |\n", names[f], (double)st.st_size / 1e6 / med,
               records / med, exi / med, med * 1e3, (double)st.st_size / 1e6 / cmed, (double)st.st_size / 1e6 / cpu[0]);
    }
    fclose(null);
    return 0;
}
