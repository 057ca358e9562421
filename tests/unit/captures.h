/* Test helpers over the real captures in shared/captures: list them, walk their frames with libpcap, and
 * run tshark on them to get expected values. Header-only (static inline) so any test can include it. */
#ifndef CCSPLC_TEST_CAPTURES_H
#define CCSPLC_TEST_CAPTURES_H
#include <glob.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* The capture files (*.pcap, *.pcapng); free with globfree. 0 when at least one was found. */
static inline int tu_captures(glob_t *g)
{
    char pcapng[4096];
    snprintf(pcapng, sizeof pcapng, "%s", tu_shared("captures/*.pcapng"));
    int rc = glob(tu_shared("captures/*.pcap"), 0, NULL, g);
    rc = glob(pcapng, rc == 0 ? GLOB_APPEND : 0, NULL, g);
    return rc == 0 && g->gl_pathc ? 0 : -1;
}

static inline const char *tu_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Calls fn for every frame (numbered from 1 like tshark) until it returns nonzero; returns that, or -1 when
 * the file does not open. Timestamps have nanosecond precision: use tu_ts_ns. */
static inline int tu_each_frame(const char *path,
                                int (*fn)(void *ctx, unsigned no, const struct pcap_pkthdr *h, const uint8_t *d),
                                void *ctx)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p) return -1;
    struct pcap_pkthdr *h;
    const u_char *d;
    unsigned no = 0;
    int rc = 0;
    while (!rc && pcap_next_ex(p, &h, &d) == 1) rc = fn(ctx, ++no, h, d);
    pcap_close(p);
    return rc;
}

static inline uint64_t tu_ts_ns(const struct pcap_pkthdr *h)
{
    return (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec; /* tv_usec holds ns here */
}

static inline int tu_have_tshark(void) { return system("command -v tshark >/dev/null 2>&1") == 0; }

/* Output of "tshark -r path ARGS" (stderr dropped), to read with fgets; close with pclose. */
static inline FILE *tu_tshark(const char *path, const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "tshark -r '%s' %s 2>/dev/null", path, args);
    return popen(cmd, "r");
}

#endif
