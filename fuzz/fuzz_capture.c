/* libFuzzer target: the capture reader. Byte 0 even: the rest is a pcap/pcapng file, read by libpcap from
 * memory (fmemopen) and fed frame by frame like cap_source_read does; odd: the rest is records
 * (fuzz_util.h), each one Ethernet frame for the demultiplexer (IPv6/UDP/TCP parsing, TCP reassembly of both
 * directions, V2GTP cutting). Bit 1 of byte 0 set: with a key log (empty), so TLS streams are collected record by
 * record for decryption. Every message handed out must respect the payload bound. */
#include <pcap/pcap.h>
#include <stdio.h>

#include "ccsplc/linux/capture.h"
#include "ccsplc/linux/tls_decrypt.h"
#include "fuzz_util.h"

#define MAX_PAYLOAD 4096

static void on_v2gtp(void *ctx, const cap_v2gtp *m)
{
    (void)ctx;
    FUZZ_CHECK(m->payload_len <= MAX_PAYLOAD && m->dir <= CAP_DIR_S2C);
    volatile uint8_t x = 0; /* touch every byte: ASan checks the pointer */
    for (uint32_t i = 0; i < m->payload_len; i++)
        x ^= m->payload[i];
    (void)x;
}

static void on_sdp(void *ctx, const cap_sdp *d)
{
    (void)ctx;
    volatile uint8_t x = 0;
    for (size_t i = 0; i < d->len; i++)
        x ^= d->payload[i];
    (void)x;
}

static void from_file(cap_reader *r, const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return;
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p) {
        fclose(f);
        return;
    }
    struct pcap_pkthdr *h;
    const u_char *frame;
    if (pcap_datalink(p) == DLT_EN10MB)
        while (pcap_next_ex(p, &h, &frame) == 1)
            cap_frame(r, (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec, frame, h->caplen);
    pcap_close(p); /* closes f */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    cap_callbacks cb = { .sdp = on_sdp, .v2gtp = on_v2gtp };
    cap_reader *r = cap_new(&cb, MAX_PAYLOAD);
    FUZZ_CHECK(r != NULL);
    static tls_keylog *keylog;
    char err[64];
    if (!keylog)
        FUZZ_CHECK(tls_keylog_parse("", 0, &keylog, err, sizeof err) == 0);
    if (data[0] & 2)
        cap_set_keylog(r, keylog);
    if (data[0] % 2 == 0) {
        from_file(r, data + 1, size - 1);
    } else {
        const uint8_t *rec;
        size_t len;
        data++;
        size--;
        for (uint64_t ts = 0; fuzz_record(&data, &size, &rec, &len); ts += 1000000)
            cap_frame(r, ts, rec, len);
    }
    cap_finish(r);
    const cap_stats *st = cap_get_stats(r);
    FUZZ_CHECK(st->homeplug + st->sdp + st->other + st->malformed <= st->frames);
    cap_free(r);
    return 0;
}
