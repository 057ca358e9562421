/* Unit tests for the capture reader on every real capture: the V2GTP streams it reassembles equal tshark's
 * "follow tcp" streams byte for byte (so the EXI message counts agree), SDP and HomePlug counts agree, and
 * re-segmented, reordered and retransmitted copies of the captures give the same messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include "captures.h"
#include "ccsplc/linux/capture.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/core/v2gtp.h"

#define MAX_STREAMS 64

/* A growable byte buffer. */
typedef struct {
    uint8_t *p;
    size_t n, cap;
} buf;

static void buf_add(buf *b, const uint8_t *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

/* The byte stream of each (connection, sender port), and how many EXI messages it holds. */
typedef struct {
    buf data[MAX_STREAMS][2];
    uint16_t port[MAX_STREAMS][2];
    size_t exi, messages, sdp, homeplug;
    int first_dir[MAX_STREAMS]; /* direction of each connection's first message, -1 before */
} streams;

static void streams_free(streams *s)
{
    for (int i = 0; i < MAX_STREAMS; i++)
        for (int k = 0; k < 2; k++) free(s->data[i][k].p);
}

/* Slot k of stream i for sender port, claiming a free one. */
static buf *slot(streams *s, uint32_t i, uint16_t port)
{
    assert_true(i < MAX_STREAMS);
    for (int k = 0; k < 2; k++)
        if (s->port[i][k] == port || s->port[i][k] == 0) {
            s->port[i][k] = port;
            return &s->data[i][k];
        }
    fail_msg("stream %u has a third port %u", i, port);
    return NULL;
}

static void on_v2gtp(void *ctx, const cap_v2gtp *m)
{
    streams *s = ctx;
    uint8_t hdr[V2GTP_HEADER_LEN];
    v2gtp_pack_header(m->payload_type, m->payload_len, hdr, sizeof hdr);
    buf *b = slot(s, m->conn, m->src_port);
    buf_add(b, hdr, sizeof hdr);
    buf_add(b, m->payload, m->payload_len);
    s->messages++;
    s->exi += m->payload_type == V2GTP_EXI;
    if (s->first_dir[m->conn] < 0) s->first_dir[m->conn] = (int)m->dir;
}

static void on_sdp(void *ctx, const cap_sdp *d)
{
    (void)d;
    ((streams *)ctx)->sdp++;
}

static void on_homeplug(void *ctx, uint64_t ts, const uint8_t *f, size_t len)
{
    (void)ts;
    assert_true(len >= ETH_HDR_LEN && f[12] == 0x88 && f[13] == 0xe1);
    ((streams *)ctx)->homeplug++;
}

static cap_callbacks callbacks(streams *s)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < MAX_STREAMS; i++) s->first_dir[i] = -1;
    return (cap_callbacks){.homeplug = on_homeplug, .sdp = on_sdp, .v2gtp = on_v2gtp, .ctx = s};
}

/* Whether tshark's comma-separated field list has the value. */
static int field_has(const char *list, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = list; (p = strstr(p, value)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\t' || p[n] == '\n' || !p[n])) return 1;
    return 0;
}

/* tshark's view in two runs (each tshark start costs seconds on a loaded machine): per frame its TCP stream,
 * whether it is SDP ("ipv6 && udp.port==15118") and HomePlug ("eth.type==0x88e1"); then "follow,tcp,raw" for
 * every stream. */
static void tshark_streams(const char *path, streams *s)
{
    memset(s, 0, sizeof *s);
    FILE *f = tu_tshark(path, "-T fields -E separator=/t -e tcp.stream -e ipv6.version -e udp.port -e eth.type");
    assert_non_null(f);
    int max = -1, v;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        char *col[4] = {line, NULL, NULL, NULL};
        for (int i = 1; i < 4 && col[i - 1]; i++)
            if ((col[i] = strchr(col[i - 1], '\t')) != NULL) *col[i]++ = 0;
        if (sscanf(col[0], "%d", &v) == 1) max = v > max ? v : max;
        s->sdp += col[1] && *col[1] && col[2] && field_has(col[2], "15118");
        s->homeplug += col[3] && field_has(col[3], "0x88e1");
    }
    pclose(f);
    assert_true(max < MAX_STREAMS);
    char args[4096] = "-q";
    for (int i = 0; i <= max; i++) snprintf(args + strlen(args), sizeof args - strlen(args), " -z follow,tcp,raw,%d", i);
    f = tu_tshark(path, args);
    assert_non_null(f);
    int stream = -1;
    uint16_t node_port[2] = {0};
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (sscanf(line, "Filter: tcp.stream eq %d", &v) == 1) stream = v;
        if (!strncmp(line, "Node ", 5)) node_port[line[5] == '1'] = (uint16_t)atoi(strrchr(line, ':') + 1);
        if (!strchr("0123456789abcdef\t", line[0]) || stream < 0 || !strncmp(line, "Filter", 6)) continue;
        int node = line[0] == '\t';
        uint8_t *bytes = malloc((size_t)n / 2 + 1);
        long len = tu_hex2bin(line + node, bytes, (size_t)n / 2 + 1);
        assert_true(len >= 0);
        buf_add(slot(s, (uint32_t)stream, node_port[node]), bytes, (size_t)len);
        free(bytes);
    }
    free(line);
    pclose(f);
    /* Count the EXI messages in each stream by walking its V2GTP headers. */
    for (int i = 0; i < MAX_STREAMS; i++)
        for (int k = 0; k < 2; k++) {
            const buf *b = &s->data[i][k];
            for (size_t off = 0; off + V2GTP_HEADER_LEN <= b->n;) {
                v2gtp_header h;
                assert_int_equal(v2gtp_parse_header(b->p + off, b->n - off, UINT32_MAX, &h), 0);
                s->messages++;
                s->exi += h.payload_type == V2GTP_EXI;
                off += V2GTP_HEADER_LEN + h.payload_len;
            }
        }
}

static void assert_same_streams(const streams *want, const streams *got)
{
    for (int i = 0; i < MAX_STREAMS; i++)
        for (int k = 0; k < 2; k++) {
            const buf *w = &want->data[i][k];
            if (!w->n) continue;
            int g = got->port[i][0] == want->port[i][k] ? 0 : 1;
            assert_int_equal(got->port[i][g], want->port[i][k]);
            assert_int_equal(got->data[i][g].n, w->n);
            assert_memory_equal(got->data[i][g].p, w->p, w->n);
        }
    assert_int_equal(got->messages, want->messages);
    assert_int_equal(got->exi, want->exi);
}

static void every_capture_matches_tshark(void **state)
{
    (void)state;
    if (!tu_have_tshark()) skip();
    glob_t g;
    assert_int_equal(tu_captures(&g), 0);
    size_t total = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *path = g.gl_pathv[i];
        static streams want, got;
        tshark_streams(path, &want);
        cap_callbacks cb = callbacks(&got);
        cap_stats st;
        char err[256];
        assert_int_equal(cap_read_file(path, &cb, CAP_DEFAULT_MAX_PAYLOAD, &st, err, sizeof err), 0);
        print_message("%s: %zu EXI messages (tshark %zu), %zu SDP, %zu HomePlug, %llu other, %llu retransmitted\n",
                      tu_basename(path), got.exi, want.exi, got.sdp, got.homeplug, (unsigned long long)st.other,
                      (unsigned long long)st.retransmissions);
        assert_same_streams(&want, &got);
        assert_int_equal(got.sdp, want.sdp);
        assert_int_equal(got.homeplug, want.homeplug);
        assert_int_equal(st.frames, st.homeplug + st.sdp + st.tcp_segments + st.other + st.malformed);
        assert_int_equal(st.gaps, 0);
        assert_int_equal(st.bad_v2gtp, 0);
        total += got.exi;
        streams_free(&want);
        streams_free(&got);
    }
    assert_true(total > 0);
    globfree(&g);
}

/* ---- the same captures, re-cut: segments split, shuffled and repeated ---- */

typedef struct {
    cap_reader *r;
    unsigned seed, mode;
    unsigned drop; /* RECUT_DROP: the frame number left out */
    uint8_t dropped[2048];
    size_t dropped_len;
} recut;

static unsigned rnd(unsigned *seed, unsigned n)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) % n;
}

enum { RECUT_BYTES, RECUT_SHUFFLE, RECUT_DROP };

/* Feeds payload bytes [from, to) of segment f as a segment of their own, with the given flags. */
static void feed_piece(recut *rc, uint64_t ts, const ipv6_frame *f, const uint8_t *pl, size_t from, size_t to,
                       uint8_t flags)
{
    ipv6_frame p = *f;
    p.seq = f->seq + (uint32_t)from;
    p.tcp_flags = flags;
    uint8_t out[2048];
    size_t len;
    assert_int_equal(ipv6_frame_build(&p, pl + from, to - from, out, sizeof out, &len), 0);
    cap_frame(rc->r, ts, out, len);
}

/* Feeds one frame; a TCP frame with data is first cut into pieces: single bytes (RECUT_BYTES) or up to
 * four pieces in random order, some sent twice (RECUT_SHUFFLE). FIN/RST follow on an empty segment; ACK
 * numbers stay as they were. */
static int recut_frame(void *ctx, unsigned no, const struct pcap_pkthdr *h, const uint8_t *d)
{
    recut *rc = ctx;
    ipv6_frame f;
    const uint8_t *pl;
    size_t plen;
    uint64_t ts = tu_ts_ns(h);
    int parsed = ipv6_frame_parse(d, h->caplen, &f, &pl, &plen) == 0;
    if (rc->mode == RECUT_DROP && no == rc->drop) {
        assert_true(parsed && plen <= sizeof rc->dropped);
        memcpy(rc->dropped, pl, plen);
        rc->dropped_len = plen;
        return 0;
    }
    if (!parsed || f.proto != IPV6_PROTO_TCP || plen < 2 || rc->mode == RECUT_DROP) {
        cap_frame(rc->r, ts, d, h->caplen);
        return 0;
    }
    uint8_t data_flags = (uint8_t)(f.tcp_flags & ~(TCP_FIN | TCP_RST));
    if (rc->mode == RECUT_BYTES) {
        for (size_t k = 0; k < plen; k++) feed_piece(rc, ts, &f, pl, k, k + 1, data_flags);
    } else {
        size_t n = 1 + rnd(&rc->seed, plen < 4 ? (unsigned)plen : 4), order[4] = {0, 1, 2, 3};
        for (size_t k = n; k > 1; k--) {
            size_t j = rnd(&rc->seed, (unsigned)k), t = order[k - 1];
            order[k - 1] = order[j];
            order[j] = t;
        }
        for (size_t k = 0; k < n; k++) {
            size_t from = plen * order[k] / n, to = plen * (order[k] + 1) / n;
            feed_piece(rc, ts, &f, pl, from, to, data_flags);
            if (!rnd(&rc->seed, 3)) feed_piece(rc, ts, &f, pl, from, to, data_flags);
        }
    }
    if (f.tcp_flags & (TCP_FIN | TCP_RST)) feed_piece(rc, ts, &f, pl, plen, plen, f.tcp_flags);
    return 0;
}

static void recut_captures_give_same_messages(void **state)
{
    (void)state;
    static const char *const names[] = {
        "captures/2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng",
        "captures/2022-12-20_alpi_currentDemandSequenceErrorShutdown.pcapng",
        "captures/2023-03-02_SuperCharger_CableCheck_error.pcapng",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        static streams want, got;
        char path[1024];
        snprintf(path, sizeof path, "%s", tu_shared(names[i]));
        cap_callbacks cb = callbacks(&want);
        char err[256];
        assert_int_equal(cap_read_file(path, &cb, CAP_DEFAULT_MAX_PAYLOAD, NULL, err, sizeof err), 0);
        assert_true(want.exi > 100);
        for (unsigned mode = RECUT_BYTES; mode <= RECUT_SHUFFLE; mode++) {
            cb = callbacks(&got);
            static recut rc;
            rc = (recut){.r = cap_new(&cb, CAP_DEFAULT_MAX_PAYLOAD), .seed = 12345u + mode, .mode = mode};
            assert_non_null(rc.r);
            assert_int_equal(tu_each_frame(path, recut_frame, &rc), 0);
            cap_finish(rc.r);
            const cap_stats *st = cap_get_stats(rc.r);
            assert_int_equal(st->gaps, 0);
            if (mode == RECUT_SHUFFLE) {
                assert_true(st->out_of_order > 0);
                assert_true(st->retransmissions > 0);
            }
            assert_same_streams(&want, &got);
            cap_free(rc.r);
            streams_free(&got);
        }
        streams_free(&want);
    }
}

/* A segment the capture missed (Model X frame 73, the car's third message): the charger's ACK shows the
 * loss, the reader reports one gap, loses exactly that message and finds the next one. */
static void lost_segment_costs_one_message(void **state)
{
    (void)state;
    const char *path = tu_shared("captures/2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng");
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", path);
    static streams want, got;
    cap_callbacks cb = callbacks(&want);
    char err[256];
    assert_int_equal(cap_read_file(copy, &cb, CAP_DEFAULT_MAX_PAYLOAD, NULL, err, sizeof err), 0);
    cb = callbacks(&got);
    static recut rc;
    rc = (recut){.r = cap_new(&cb, CAP_DEFAULT_MAX_PAYLOAD), .mode = RECUT_DROP, .drop = 73};
    assert_int_equal(tu_each_frame(copy, recut_frame, &rc), 0);
    cap_finish(rc.r);
    const cap_stats *st = cap_get_stats(rc.r);
    assert_int_equal(st->gaps, 1);
    assert_int_equal(st->gap_bytes, rc.dropped_len);
    assert_int_equal(got.exi, want.exi - 1);
    /* The car's stream is the full one without the dropped bytes. */
    buf *w = slot(&want, 0, 49154), *g = slot(&got, 0, 49154);
    uint8_t *at = memmem(w->p, w->n, rc.dropped, rc.dropped_len);
    assert_non_null(at);
    size_t off = (size_t)(at - w->p);
    assert_int_equal(g->n, w->n - rc.dropped_len);
    assert_memory_equal(g->p, w->p, off);
    assert_memory_equal(g->p + off, at + rc.dropped_len, g->n - off);
    cap_free(rc.r);
    streams_free(&want);
    streams_free(&got);
}

/* Who is the client: frame 61 of the Model X capture (the car's supportedAppProtocolReq after its SYN) goes
 * client to server; in the listen-mode capture, joined mid-connection, the one message comes from the
 * charger's port 15118, so server to client. */
static void directions(void **state)
{
    (void)state;
    static streams s;
    cap_callbacks cb = callbacks(&s);
    char err[256];
    cap_stats st;
    assert_int_equal(cap_read_file(tu_shared("captures/2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng"),
                                   &cb, CAP_DEFAULT_MAX_PAYLOAD, &st, err, sizeof err),
                     0);
    assert_int_equal(s.first_dir[0], CAP_DIR_C2S);
    streams_free(&s);
    cb = callbacks(&s);
    assert_int_equal(cap_read_file(tu_shared("captures/2025-01-21_listenMode_02_mac_spoofing_some_frames_visible.pcapng"),
                                   &cb, CAP_DEFAULT_MAX_PAYLOAD, &st, err, sizeof err),
                     0);
    assert_int_equal(s.messages, 1);
    assert_int_equal(s.first_dir[0], CAP_DIR_S2C);
    assert_int_equal(st.retransmissions, 6); /* the same segment 7 times: frames 534 ... 797 */
    streams_free(&s);
}

/* Frames picked by number from a capture, fed to a fresh reader. */
typedef struct {
    const unsigned *want;
    size_t n;
    cap_reader *r;
} pick;

static int pick_frames(void *ctx, unsigned no, const struct pcap_pkthdr *h, const uint8_t *d)
{
    pick *p = ctx;
    for (size_t i = 0; i < p->n; i++)
        if (p->want[i] == no) cap_frame(p->r, tu_ts_ns(h), d, h->caplen);
    return 0;
}

/* Direction of the one message that the given frames of the Alpitronic capture carry. */
static int first_dir_of(const unsigned *frames, size_t n)
{
    static streams s;
    cap_callbacks cb = callbacks(&s);
    pick p = {frames, n, cap_new(&cb, CAP_DEFAULT_MAX_PAYLOAD)};
    assert_int_equal(tu_each_frame(tu_shared("captures/2022-12-20_alpi_currentDemandSequenceErrorShutdown.pcapng"),
                                   pick_frames, &p), 0);
    cap_free(p.r);
    assert_int_equal(s.messages, 1);
    int dir = s.first_dir[0];
    streams_free(&s);
    return dir;
}

/* Without the handshake: the Alpitronic's first response (frame 583, from port 51110 to the car's 49979)
 * is recognised as server to client when the SDP response announcing [fe80::6879:9cff:fe3a:1358]:51110
 * (frame 518) was seen; alone, the first sender counts as the client. */
static void direction_from_sdp_response(void **state)
{
    (void)state;
    const unsigned with_sdp[] = {518, 583}, alone[] = {583};
    assert_int_equal(first_dir_of(with_sdp, 2), CAP_DIR_S2C);
    assert_int_equal(first_dir_of(alone, 1), CAP_DIR_C2S);
}

static void open_errors(void **state)
{
    (void)state;
    cap_source *s;
    char err[256] = "";
    assert_int_equal(cap_open_file("/nonexistent.pcap", &s, err, sizeof err), CCS_EIO);
    assert_true(strlen(err) > 0);
    /* A raw-IP capture (no Ethernet header) is refused with a clear message. */
    char path[] = "/tmp/ccsplc_rawip_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    pcap_t *p = pcap_open_dead(DLT_RAW, 65535);
    pcap_dumper_t *dmp = pcap_dump_open(p, path);
    assert_non_null(dmp);
    pcap_dump_close(dmp);
    pcap_close(p);
    assert_int_equal(cap_open_file(path, &s, err, sizeof err), CCS_EUNSUPP);
    assert_non_null(strstr(err, "Ethernet only"));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_capture_matches_tshark),
        cmocka_unit_test(recut_captures_give_same_messages),
        cmocka_unit_test(lost_segment_costs_one_message),
        cmocka_unit_test(directions),
        cmocka_unit_test(direction_from_sdp_response),
        cmocka_unit_test(open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
