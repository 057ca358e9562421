/* Unit tests for Ethernet/IPv6/UDP/TCP frames: every IPv6 UDP/TCP frame of the real captures parses to
 * the fields tshark shows, frames with a correct checksum rebuild byte for byte, and truncated or mutated
 * frames never read out of bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include "captures.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/core/ipv6.h"

/* One frame as tshark dissects it. */
typedef struct {
    unsigned no;
    int good_checksum;
    char src[64];
    unsigned sport, dport, seq, ack, flags, l4_len;
} expect;

typedef struct {
    expect *e;
    size_t n, next, checked, rebuilt;
} walk;

/* Frame-by-frame expectations for one capture (IPv6 UDP/TCP frames, ignoring ICMPv6 error quotes). */
static size_t load_expectations(const char *path, expect **out)
{
    FILE *f = tu_tshark(path, "-o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.relative_sequence_numbers:FALSE "
                              "-Y '(udp || tcp) && ipv6 && !icmpv6' -T fields -E separator=/t -e frame.number "
                              "-e ipv6.src -e udp.srcport -e udp.dstport -e udp.length -e tcp.srcport -e tcp.dstport "
                              "-e tcp.seq -e tcp.ack -e tcp.flags -e tcp.len -e udp.checksum.status -e tcp.checksum.status");
    assert_non_null(f);
    size_t n = 0, cap = 64;
    expect *e = malloc(cap * sizeof *e);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *fld[13] = {0};
        char *p = line;
        for (int i = 0; i < 13; i++) fld[i] = strsep(&p, "\t\n");
        if (n == cap) e = realloc(e, (cap *= 2) * sizeof *e);
        expect *x = &e[n++];
        memset(x, 0, sizeof *x);
        x->no = (unsigned)strtoul(fld[0], NULL, 10);
        snprintf(x->src, sizeof x->src, "%s", fld[1]);
        if (*fld[2]) {
            x->sport = (unsigned)strtoul(fld[2], NULL, 10);
            x->dport = (unsigned)strtoul(fld[3], NULL, 10);
            x->l4_len = (unsigned)strtoul(fld[4], NULL, 10) - 8;
            x->good_checksum = fld[11] && !strcmp(fld[11], "1");
        } else {
            x->sport = (unsigned)strtoul(fld[5], NULL, 10);
            x->dport = (unsigned)strtoul(fld[6], NULL, 10);
            x->seq = (unsigned)strtoul(fld[7], NULL, 10);
            x->ack = (unsigned)strtoul(fld[8], NULL, 10);
            x->flags = (unsigned)strtoul(fld[9], NULL, 16);
            x->l4_len = (unsigned)strtoul(fld[10], NULL, 10);
            x->good_checksum = fld[12] && !strcmp(fld[12], "1");
        }
    }
    pclose(f);
    *out = e;
    return n;
}

static int check_frame(void *ctx, unsigned no, const struct pcap_pkthdr *h, const uint8_t *d)
{
    walk *w = ctx;
    ipv6_frame f;
    const uint8_t *pl;
    size_t plen;
    int rc = ipv6_frame_parse(d, h->caplen, &f, &pl, &plen);
    if (w->next < w->n && w->e[w->next].no == no) {
        const expect *x = &w->e[w->next++];
        assert_int_equal(rc, 0);
        char src[IPV6_TEXT_MAX];
        ipv6_format(f.src, src, sizeof src);
        assert_string_equal(src, x->src);
        assert_int_equal(f.src_port, x->sport);
        assert_int_equal(f.dst_port, x->dport);
        assert_int_equal(plen, x->l4_len);
        if (f.proto == IPV6_PROTO_TCP) {
            assert_int_equal(f.seq, x->seq);
            assert_int_equal(f.ack, x->ack);
            assert_int_equal(f.tcp_flags, x->flags & 0xff);
        }
        w->checked++;
        /* A frame whose checksum tshark verified and that has no options rebuilds to the same bytes. */
        size_t hdrs = ETH_HDR_LEN + IPV6_HDR_LEN + (f.proto == IPV6_PROTO_TCP ? TCP_HDR_LEN : UDP_HDR_LEN);
        if (x->good_checksum && (size_t)(pl - d) == hdrs) {
            uint8_t out[2048];
            size_t out_len;
            assert_int_equal(ipv6_frame_build(&f, pl, plen, out, sizeof out, &out_len), 0);
            assert_int_equal(out_len, hdrs + plen);
            assert_memory_equal(out, d, out_len);
            w->rebuilt++;
        }
    } else {
        assert_int_not_equal(rc, 0); /* tshark saw no IPv6 UDP/TCP here */
    }
    return 0;
}

static void frames_match_tshark(void **state)
{
    (void)state;
    if (!tu_have_tshark()) skip();
    glob_t g;
    assert_int_equal(tu_captures(&g), 0);
    size_t total_rebuilt = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        walk w = {0};
        w.n = load_expectations(g.gl_pathv[i], &w.e);
        assert_int_equal(tu_each_frame(g.gl_pathv[i], check_frame, &w), 0);
        assert_int_equal(w.checked, w.n);
        total_rebuilt += w.rebuilt;
        print_message("%s: %zu IPv6 UDP/TCP frames, %zu rebuilt byte for byte\n", tu_basename(g.gl_pathv[i]), w.checked,
                      w.rebuilt);
        free(w.e);
    }
    assert_true(total_rebuilt > 1000);
    globfree(&g);
}

/* Every prefix and single-byte mutation of every frame: parse either fails or returns a payload inside. */
static int torture_frame(void *ctx, unsigned no, const struct pcap_pkthdr *h, const uint8_t *d)
{
    (void)ctx;
    if (no % 7) return 0; /* a sample keeps the run short */
    uint8_t buf[2048];
    size_t len = h->caplen < sizeof buf ? h->caplen : sizeof buf;
    for (size_t cut = 0; cut <= len; cut++) {
        memcpy(buf, d, cut);
        for (int mut = 0; mut < 3; mut++) {
            if (mut && cut) buf[(cut * 31 + (size_t)mut * 17) % cut] ^= (uint8_t)(0x5a * mut);
            ipv6_frame f;
            const uint8_t *pl = NULL;
            size_t plen = 0;
            if (ipv6_frame_parse(buf, cut, &f, &pl, &plen) == 0)
                assert_true(pl >= buf && pl + plen <= buf + cut);
        }
    }
    return 0;
}

static void hostile_frames_stay_in_bounds(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(tu_captures(&g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++) assert_int_equal(tu_each_frame(g.gl_pathv[i], torture_frame, NULL), 0);
    globfree(&g);
}

/* The SDP response of 2025-07-22 frame 57 (tshark -x), which tshark marks checksum-good. */
static void builds_sdp_response_frame(void **state)
{
    (void)state;
    uint8_t want[128];
    long n = tu_hex2bin("98ed5cb72a402ccf67bf762086dd600000000024110afe80000000000000d62b03a3a2e9cf32fe8000000000"
                        "00009aed5cfffeb72a403b0ec00200247335" "01fe900100000014fe80000000000000d62b03a3a2e9cf323b0e1000",
                        want, sizeof want);
    assert_int_equal(n, 90);
    ipv6_frame f = {.hop_limit = 10, .proto = IPV6_PROTO_UDP, .src_port = 15118, .dst_port = 49154};
    memcpy(f.dst_mac, want, 6);
    memcpy(f.src_mac, want + 6, 6);
    assert_int_equal(inet_pton(AF_INET6, "fe80::d62b:3a3:a2e9:cf32", f.src), 1);
    assert_int_equal(inet_pton(AF_INET6, "fe80::9aed:5cff:feb7:2a40", f.dst), 1);
    uint8_t out[128];
    size_t len;
    assert_int_equal(ipv6_frame_build(&f, want + 62, 28, out, sizeof out, &len), 0);
    assert_int_equal(len, 90);
    assert_memory_equal(out, want, 90); /* checksum 0x7335 included */
    assert_int_equal(ipv6_frame_build(&f, want + 62, 28, out, 89, &len), CCS_ENOSPC);
    f.proto = 58; /* ICMPv6 */
    assert_int_equal(ipv6_frame_build(&f, want + 62, 28, out, sizeof out, &len), CCS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builds_sdp_response_frame),
        cmocka_unit_test(frames_match_tshark),
        cmocka_unit_test(hostile_frames_stay_in_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
