/* Unit tests for the pcapng writer: a file made of real frames and of socket payloads wrapped as synthetic
 * TCP segments reads back through libpcap with the same bytes and times. With a path argument it only
 * writes that file (used by tests/integration/pcapng_tshark.sh to check it with tshark). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include "captures.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/linux/pcapng.h"

/* From 2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng, recorded on the charger:
 * SDP request (in) and response (out), then the first four V2GTP messages: car, charger, car, charger. */
#define MODEL_X "captures/2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng"
static const unsigned sdp_frames[] = {56, 57};
static const unsigned tcp_frames[] = {61, 71, 73, 79};
#define N_TCP 4

typedef struct {
    uint8_t frame[6][2048];
    size_t len[6];
    uint64_t ts[6];
} sample;

static int grab(void *ctx, unsigned no, const struct pcap_pkthdr *h, const uint8_t *d)
{
    sample *s = ctx;
    const unsigned want[6] = {sdp_frames[0], sdp_frames[1], tcp_frames[0], tcp_frames[1], tcp_frames[2],
                              tcp_frames[3]};
    for (int i = 0; i < 6; i++)
        if (no == want[i] && h->caplen <= sizeof s->frame[i]) {
            memcpy(s->frame[i], d, h->caplen);
            s->len[i] = h->caplen;
            s->ts[i] = tu_ts_ns(h);
        }
    return 0;
}

/* Writes the sample: the two SDP frames as they are, then a TCP flow (the car connects to us) carrying
 * the four V2GTP payloads. 0 or an error. */
static int write_sample(const char *path, sample *s)
{
    memset(s, 0, sizeof *s);
    if (tu_each_frame(tu_shared(MODEL_X), grab, s)) return -1;
    pcapng_writer w;
    int rc = pcapng_open(&w, path);
    if (rc) return rc;
    for (int i = 0; !rc && i < 2; i++)
        rc = pcapng_write(&w, s->ts[i], i ? PCAPNG_DIR_OUT : PCAPNG_DIR_IN, s->frame[i], s->len[i]);
    ipv6_frame car, us;
    const uint8_t *pl;
    size_t plen;
    if (!rc) rc = ipv6_frame_parse(s->frame[2], s->len[2], &car, &pl, &plen);
    if (!rc) rc = ipv6_frame_parse(s->frame[3], s->len[3], &us, &pl, &plen);
    pcapng_tcp_flow fl;
    if (!rc)
        rc = pcapng_tcp_flow_open(&w, &fl, s->ts[2] - 1000000, 0, us.src_mac, us.src, us.src_port, car.src_mac,
                                  car.src, car.src_port);
    for (int i = 0; !rc && i < N_TCP; i++) {
        ipv6_frame f;
        rc = ipv6_frame_parse(s->frame[2 + i], s->len[2 + i], &f, &pl, &plen);
        if (!rc) rc = pcapng_tcp_flow_data(&w, &fl, s->ts[2 + i], i % 2 ? PCAPNG_DIR_OUT : PCAPNG_DIR_IN, pl, plen);
    }
    int rc2 = pcapng_close(&w);
    return rc ? rc : rc2;
}

typedef struct {
    const sample *s;
    unsigned n;
    uint32_t next_seq[2];
} readback;

static int check(void *ctx, unsigned no, const struct pcap_pkthdr *h, const uint8_t *d)
{
    readback *r = ctx;
    const sample *s = r->s;
    r->n = no;
    uint64_t ts = tu_ts_ns(h);
    assert_int_equal(h->caplen, h->len);
    if (no <= 2) { /* the real SDP frames, unchanged */
        assert_int_equal(h->caplen, s->len[no - 1]);
        assert_memory_equal(d, s->frame[no - 1], h->caplen);
        assert_int_equal(ts, s->ts[no - 1]);
        return 0;
    }
    ipv6_frame f;
    const uint8_t *pl;
    size_t plen;
    assert_int_equal(ipv6_frame_parse(d, h->caplen, &f, &pl, &plen), 0);
    assert_int_equal(f.proto, IPV6_PROTO_TCP);
    /* The checksum over the segment including its checksum field sums to zero. */
    assert_int_equal(ipv6_l4_checksum(f.src, f.dst, f.proto, d + ETH_HDR_LEN + IPV6_HDR_LEN,
                                      TCP_HDR_LEN + plen), 0);
    int from_car = f.src_port != 15118;
    if (no <= 5) { /* SYN, SYN/ACK, ACK */
        static const uint8_t flags[3] = {TCP_SYN, TCP_SYN | TCP_ACK, TCP_ACK};
        assert_int_equal(f.tcp_flags, flags[no - 3]);
        assert_int_equal(plen, 0);
        if (no < 5) r->next_seq[from_car] = f.seq + 1;
        return 0;
    }
    size_t k = no - 6;
    ipv6_frame orig;
    const uint8_t *opl;
    size_t olen;
    assert_int_equal(ipv6_frame_parse(s->frame[2 + k], s->len[2 + k], &orig, &opl, &olen), 0);
    assert_memory_equal(f.src, orig.src, 16);
    assert_memory_equal(f.dst, orig.dst, 16);
    assert_int_equal(f.src_port, orig.src_port);
    assert_int_equal(f.dst_port, orig.dst_port);
    assert_int_equal(plen, olen);
    assert_memory_equal(pl, opl, plen);
    assert_int_equal(ts, s->ts[2 + k]);
    assert_int_equal(f.seq, r->next_seq[from_car]);
    assert_int_equal(f.ack, r->next_seq[!from_car]);
    r->next_seq[from_car] += (uint32_t)plen;
    return 0;
}

static void reads_back_through_libpcap(void **state)
{
    (void)state;
    char path[] = "/tmp/ccsplc_pcapng_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    static sample s;
    assert_int_equal(write_sample(path, &s), 0);
    assert_true(s.len[5] > 0);
    readback r = {.s = &s};
    assert_int_equal(tu_each_frame(path, check, &r), 0);
    assert_int_equal(r.n, 2 + 3 + N_TCP);
    unlink(path);
}

static void reports_io_errors(void **state)
{
    (void)state;
    pcapng_writer w;
    assert_int_equal(pcapng_open(&w, "/nonexistent-dir/x.pcapng"), CCS_EIO);
    assert_int_equal(pcapng_open(&w, "/dev/null"), 0);
    static uint8_t big[PCAPNG_SNAPLEN + 1];
    assert_int_equal(pcapng_write(&w, 0, PCAPNG_DIR_IN, big, sizeof big), CCS_EINVAL);
    assert_int_equal(pcapng_write(&w, 0, PCAPNG_DIR_IN, big, 60), 0);
    pcapng_tcp_flow fl = {0};
    assert_int_equal(pcapng_tcp_flow_data(&w, &fl, 0, PCAPNG_DIR_UNKNOWN, big, 1), CCS_EINVAL);
    assert_int_equal(pcapng_close(&w), 0);
}

int main(int argc, char **argv)
{
    if (argc == 2) {
        static sample s;
        return write_sample(argv[1], &s) ? 1 : 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_back_through_libpcap),
        cmocka_unit_test(reports_io_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
