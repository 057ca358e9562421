/* Test helper (header-only): load the frames of a real capture under ../shared/captures with libpcap,
 * numbered like tshark's frame.number, and write frames we produce to a pcap file. */
#ifndef CCSPLC_TEST_PCAP_FRAMES_H
#define CCSPLC_TEST_PCAP_FRAMES_H

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

typedef struct {
    size_t n;
    uint8_t **data;
    size_t *len;
    uint32_t *ms;  /* capture time relative to the first frame */
} pf_list;

/* Every frame of captures/<name>; returns 0 or -1. Frame number k (1-based) is index k - 1. */
static inline int pf_load(const char *name, pf_list *out)
{
    char rel[512];
    char err[PCAP_ERRBUF_SIZE];
    memset(out, 0, sizeof *out);
    strcpy(rel, "captures/");
    strncat(rel, name, sizeof rel - strlen(rel) - 1);
    pcap_t *p = pcap_open_offline(tu_shared(rel), err);
    if (!p) return -1;
    struct pcap_pkthdr *h;
    const u_char *d;
    size_t cap = 0;
    double t0 = 0;
    while (pcap_next_ex(p, &h, &d) == 1) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 256;
            out->data = realloc(out->data, cap * sizeof *out->data);
            out->len = realloc(out->len, cap * sizeof *out->len);
            out->ms = realloc(out->ms, cap * sizeof *out->ms);
        }
        double t = (double)h->ts.tv_sec * 1000.0 + (double)h->ts.tv_usec / 1000.0;
        if (out->n == 0) t0 = t;
        out->data[out->n] = malloc(h->caplen);
        memcpy(out->data[out->n], d, h->caplen);
        out->len[out->n] = h->caplen;
        out->ms[out->n] = (uint32_t)(t - t0);
        out->n++;
    }
    pcap_close(p);
    return 0;
}

static inline void pf_free(pf_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->data[i]);
    free(l->data);
    free(l->len);
    free(l->ms);
    memset(l, 0, sizeof *l);
}

static inline int pf_is_homeplug(const pf_list *l, size_t i)
{
    return l->len[i] >= 14 && l->data[i][12] == 0x88 && l->data[i][13] == 0xE1;
}

/* Frame by tshark frame number (1-based), or NULL. */
static inline const uint8_t *pf_frame(const pf_list *l, size_t number, size_t *len)
{
    *len = 0; /* also for a frame that is not there: callers may read it after a failed assertion */
    if (number == 0 || number > l->n) return NULL;
    *len = l->len[number - 1];
    return l->data[number - 1];
}

/* A pcap (Ethernet) writer for frames we produce. */
typedef struct {
    pcap_t *p;
    pcap_dumper_t *d;
} pf_writer;

static inline int pf_writer_open(pf_writer *w, const char *path)
{
    w->p = pcap_open_dead(DLT_EN10MB, 65535);
    w->d = w->p ? pcap_dump_open(w->p, path) : NULL;
    return w->d ? 0 : -1;
}

static inline void pf_writer_put(pf_writer *w, const uint8_t *frame, size_t len, uint32_t ms)
{
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.ts.tv_sec = ms / 1000;
    h.ts.tv_usec = (ms % 1000) * 1000;
    h.caplen = h.len = (bpf_u_int32)len;
    pcap_dump((u_char *)w->d, &h, frame);
}

static inline void pf_writer_close(pf_writer *w)
{
    if (w->d) pcap_dump_close(w->d);
    if (w->p) pcap_close(w->p);
}

#endif
