/* Capture sources on libpcap: pcap/pcapng files and live interfaces (Ethernet link type only), nanosecond
 * timestamps, frames fed to a cap_reader. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#include "ccsplc/linux/capture.h"
#include "ccsplc/core/errors.h"

#define LIVE_SNAPLEN 65535
#define LIVE_TIMEOUT_MS 10

struct cap_source {
    pcap_t *p;
    int live;
    int nano;          /* timestamps in ns (else us: a live interface may not offer ns) */
    cap_reader *reader; /* the reader cap_source_read feeds */
};

/* Wraps an opened pcap handle after checking its link type; closes it on error. */
static int wrap(pcap_t *p, int live, cap_source **out, char *err, size_t errlen)
{
    int dlt = pcap_datalink(p);
    if (dlt != DLT_EN10MB) {
        snprintf(err, errlen, "link type %s (%d) not supported: Ethernet only",
                 pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?", dlt);
        pcap_close(p);
        return CCS_EUNSUPP;
    }
    cap_source *s = malloc(sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        pcap_close(p);
        return CCS_ENOSPC;
    }
    s->p = p;
    s->live = live;
    s->nano = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
    s->reader = NULL;
    *out = s;
    return 0;
}

int cap_open_file(const char *path, cap_source **out, char *err, size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
    if (!p) {
        snprintf(err, errlen, "%s", perr);
        return CCS_EIO;
    }
    return wrap(p, 0, out, err, errlen);
}

int cap_open_live(const char *ifname, cap_source **out, char *err, size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_create(ifname, perr);
    if (!p) {
        snprintf(err, errlen, "%s", perr);
        return CCS_EIO;
    }
    pcap_set_snaplen(p, LIVE_SNAPLEN);
    pcap_set_promisc(p, 1);
    pcap_set_immediate_mode(p, 1);
    pcap_set_timeout(p, LIVE_TIMEOUT_MS);
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO); /* falls back to microseconds if unsupported */
    if (pcap_activate(p) < 0 || pcap_setnonblock(p, 1, perr) < 0) {
        snprintf(err, errlen, "%s: %s", ifname, pcap_geterr(p));
        pcap_close(p);
        return CCS_EIO;
    }
    return wrap(p, 1, out, err, errlen);
}

int cap_source_fd(const cap_source *s) { return s->live ? pcap_get_selectable_fd(s->p) : -1; }

static uint64_t ts_ns(const cap_source *s, const struct pcap_pkthdr *h)
{
    uint64_t frac = (uint64_t)h->ts.tv_usec * (s->nano ? 1u : 1000u);
    return (uint64_t)h->ts.tv_sec * 1000000000u + frac;
}

static void feed(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    const cap_source *s = (const cap_source *)user;
    cap_frame(s->reader, ts_ns(s, h), data, h->caplen);
}

int cap_source_read(cap_source *s, cap_reader *r, int max_frames)
{
    s->reader = r;
    int n = pcap_dispatch(s->p, max_frames, feed, (u_char *)s);
    return n < 0 ? CCS_EIO : n;
}

int cap_source_next(cap_source *s, const uint8_t **frame, size_t *len, uint64_t *ts)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc = pcap_next_ex(s->p, &h, &data);
    if (rc == 0 || rc == PCAP_ERROR_BREAK) return 0; /* nothing ready (live), end of file */
    if (rc < 0) return CCS_EIO;
    *frame = data;
    *len = h->caplen;
    *ts = ts_ns(s, h);
    return 1;
}

int cap_source_drops(cap_source *s, uint64_t *dropped)
{
    struct pcap_stat st;
    if (!s->live || pcap_stats(s->p, &st) < 0) return CCS_EUNSUPP;
    *dropped = (uint64_t)st.ps_drop + st.ps_ifdrop;
    return 0;
}

void cap_source_close(cap_source *s)
{
    if (!s) return;
    pcap_close(s->p);
    free(s);
}

int cap_read_file(const char *path, const cap_callbacks *cb, uint32_t max_payload, cap_stats *stats, char *err,
                  size_t errlen)
{
    cap_source *s;
    int rc = cap_open_file(path, &s, err, errlen);
    if (rc) return rc;
    cap_reader *r = cap_new(cb, max_payload);
    if (!r) {
        cap_source_close(s);
        snprintf(err, errlen, "out of memory");
        return CCS_ENOSPC;
    }
    do rc = cap_source_read(s, r, -1);
    while (rc > 0);
    if (rc < 0) snprintf(err, errlen, "%s: %s", path, pcap_geterr(s->p));
    cap_finish(r);
    if (stats) *stats = *cap_get_stats(r);
    cap_free(r);
    cap_source_close(s);
    return rc < 0 ? rc : 0;
}
