/* Unit tests for mininet: our address and the neighbour discovery, SDP over UDP and the TCP client, first
 * against the real car of a real capture (its frames as the reference), then against a scripted server with
 * lost, reordered, duplicated and refused segments, windows, resets and timeouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccsplc/core/mininet.h"
#include "ccsplc/core/errors.h"
#include "pcap_frames.h"

static const uint8_t car_mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t srv_mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
#define SRV_PORT 51110
#define CAR_PORT 54191
#define CAR_ISS 0xfffffff0u /* wraps during the tests */
#define SRV_ISS 7000u

/* One frame from mininet, parsed; asserts its upper-layer checksum is right. 0 when none is due. */
typedef struct {
    ipv6_frame f;
    const uint8_t *l4, *data;
    size_t l4_len, len, frame_len;
    const uint8_t *frame;
} out_frame;

static int pull(mininet *n, uint32_t now, out_frame *o)
{
    memset(o, 0, sizeof *o);
    if (!mininet_output(n, now, &o->frame, &o->frame_len)) return 0;
    assert_int_equal(ipv6_packet_parse(o->frame, o->frame_len, &o->f, &o->l4, &o->l4_len), 0);
    assert_true(ipv6_l4_verify(o->f.src, o->f.dst, o->f.proto, o->l4, o->l4_len));
    if (o->f.proto != IPV6_PROTO_ICMPV6) assert_int_equal(ipv6_l4_parse(o->l4, o->l4_len, &o->f, &o->data, &o->len), 0);
    return 1;
}

static void no_output(mininet *n, uint32_t now)
{
    out_frame o;
    assert_int_equal(pull(n, now, &o), 0);
}

/* ---- against the real car of the SPI capture (Hyundai Ioniq at an Alpitronic HYC150) ---- */

#define SPI_CAPTURE "spi_ioniq_alpiHYC150_makerspace_landsberg_left_small_2024-04-03_ok.csv.pcap"

static const uint8_t *fr(const pf_list *l, size_t no, size_t *len)
{
    const uint8_t *p = pf_frame(l, no, len);
    assert_non_null(p);
    return p;
}

/* The car's MAC, address, SDP request, NA and TCP stream; mininet in its place must send what it sent. */
static void test_real_car(void **state)
{
    (void)state;
    pf_list l;
    assert_int_equal(pf_load(SPI_CAPTURE, &l), 0);
    size_t len;
    ipv6_frame f;
    const uint8_t *l4, *data;
    size_t l4_len, dlen;
    /* frame 46: the car's SDP request; its source MAC and address (the address is the MAC's EUI-64) */
    const uint8_t *req = fr(&l, 46, &len);
    assert_int_equal(ipv6_frame_parse(req, len, &f, &data, &dlen), 0);
    static mininet n;
    mininet_init(&n, f.src_mac);
    assert_memory_equal(n.ip, f.src, IPV6_ADDR_LEN);
    assert_int_equal(mininet_udp_send(&n, f.dst, f.dst_port, f.src_port, data, dlen), 0);
    out_frame o;
    assert_true(pull(&n, 0, &o));
    assert_int_equal(ipv6_packet_parse(req, len, &f, &l4, &l4_len), 0);
    assert_memory_equal(o.f.dst_mac, f.dst_mac, 6);
    assert_memory_equal(o.f.dst, f.dst, IPV6_ADDR_LEN);
    assert_int_equal(o.l4_len, l4_len);
    assert_memory_equal(o.l4, l4, l4_len); /* ports, length, checksum, payload */
    no_output(&n, 0);
    /* frame 47: the charger asks for the car's MAC; the answer is the car's frame 48 */
    const uint8_t *ns = fr(&l, 47, &len);
    mininet_input(&n, ns, len, 0);
    assert_true(pull(&n, 0, &o));
    assert_int_equal(ipv6_packet_parse(fr(&l, 48, &len), len, &f, &l4, &l4_len), 0);
    assert_int_equal(o.f.proto, IPV6_PROTO_ICMPV6);
    assert_int_equal(o.f.hop_limit, f.hop_limit);
    assert_memory_equal(o.f.dst_mac, f.dst_mac, 6);
    assert_memory_equal(o.f.dst, f.dst, IPV6_ADDR_LEN);
    assert_int_equal(o.l4_len, l4_len);
    assert_memory_equal(o.l4, l4, l4_len);
    assert_int_equal(n.stats.ns_answered, 1);
    /* frame 49: the SDP response comes up as a datagram */
    const uint8_t *res = fr(&l, 49, &len);
    mininet_input(&n, res, len, 0);
    assert_int_equal(mininet_events(&n), MININET_EV_UDP);
    assert_int_equal(ipv6_frame_parse(res, len, &f, &data, &dlen), 0);
    uint8_t sdp[64], src[IPV6_ADDR_LEN];
    uint16_t sport;
    assert_int_equal(mininet_udp_read(&n, sdp, sizeof sdp, src, &sport), dlen);
    assert_memory_equal(sdp, data, dlen);
    assert_int_equal(sport, 15118);
    /* connect where the SDP response points; the charger's MAC came with its solicitation: SYN at once */
    const uint8_t *syn = fr(&l, 50, &len);
    assert_int_equal(ipv6_frame_parse(syn, len, &f, &data, &dlen), 0);
    uint16_t port = (uint16_t)(sdp[8 + 16] << 8 | sdp[8 + 17]); /* after the V2GTP header: address, port */
    assert_int_equal(mininet_tcp_connect(&n, sdp + 8, port, f.src_port, f.seq, 0), 0);
    assert_true(pull(&n, 0, &o));
    assert_int_equal(o.f.tcp_flags, TCP_SYN);
    assert_int_equal(o.f.seq, f.seq);
    assert_int_equal(o.f.dst_port, f.dst_port);
    assert_memory_equal(o.f.dst_mac, f.dst_mac, 6);
    /* the rest: the charger's frames go in; the car's data and FIN are handed to mininet, which must send them
     * with the car's sequence and acknowledgement numbers; the charger's stream must come out whole */
    uint8_t *rx = malloc(65536), *want = malloc(65536);
    size_t rx_len = 0, want_len = 0, segs = 0;
    uint32_t want_next = 0;
    int connected = 0, closed = 0;
    for (size_t no = 51; no <= l.n; no++) {
        const uint8_t *p = fr(&l, no, &len);
        if (ipv6_frame_parse(p, len, &f, &data, &dlen) || f.proto != IPV6_PROTO_TCP) continue;
        if (!memcmp(f.src_mac, n.mac, 6)) { /* the car */
            if (dlen) {
                assert_int_equal(mininet_tcp_send(&n, data, dlen), dlen);
            } else if (f.tcp_flags & TCP_FIN) {
                mininet_tcp_close(&n);
            } else {
                continue; /* its pure ACKs: ours went out already */
            }
            assert_true(pull(&n, l.ms[no - 1], &o));
            assert_int_equal(o.f.seq, f.seq);
            assert_int_equal(o.f.ack, f.ack);
            assert_int_equal(o.f.tcp_flags & (TCP_FIN | TCP_SYN | TCP_RST | TCP_ACK), f.tcp_flags & (TCP_FIN | TCP_SYN | TCP_RST | TCP_ACK));
            assert_int_equal(o.len, dlen);
            if (dlen) assert_memory_equal(o.data, data, dlen);
            segs++;
        } else {
            if (dlen && (!want_len || f.seq == want_next)) {
                memcpy(want + want_len, data, dlen);
                want_len += dlen;
                want_next = f.seq + (uint32_t)dlen;
            }
            mininet_input(&n, p, len, l.ms[no - 1]);
            unsigned ev = mininet_events(&n);
            connected |= (ev & MININET_EV_CONNECTED) != 0;
            if (ev & MININET_EV_CLOSED) {
                closed = 1;
                assert_int_equal(n.close_reason, 0);
            }
            rx_len += mininet_tcp_read(&n, rx + rx_len, 65536 - rx_len);
            while (pull(&n, l.ms[no - 1], &o)) {
                assert_int_equal(o.f.tcp_flags, TCP_ACK);
                assert_int_equal(o.f.ack, f.seq + dlen + ((f.tcp_flags & (TCP_FIN | TCP_SYN)) ? 1 : 0));
            }
        }
    }
    assert_true(connected);
    assert_true(closed);
    assert_true(segs > 100);
    assert_int_equal(rx_len, want_len);
    assert_memory_equal(rx, want, want_len);
    assert_int_equal(n.stats.retransmits, 0);
    free(rx);
    free(want);
    pf_free(&l);
}

/* ipv6_l4_verify on the car's real frames (tshark: checksums good): right, one bit off, UDP without one. */
static void test_checksum_verify(void **state)
{
    (void)state;
    pf_list l;
    assert_int_equal(pf_load(SPI_CAPTURE, &l), 0);
    static const size_t frames[] = {46, 48, 53}; /* UDP (SDP request), ICMPv6 (NA), TCP (data) */
    for (size_t i = 0; i < 3; i++) {
        size_t len;
        const uint8_t *p = fr(&l, frames[i], &len), *l4;
        uint8_t copy[200];
        ipv6_frame f;
        size_t l4_len;
        assert_true(len <= sizeof copy);
        memcpy(copy, p, len);
        assert_int_equal(ipv6_packet_parse(copy, len, &f, &l4, &l4_len), 0);
        assert_true(ipv6_l4_verify(f.src, f.dst, f.proto, l4, l4_len));
        copy[len - 1] ^= 0x01;
        assert_false(ipv6_l4_verify(f.src, f.dst, f.proto, l4, l4_len));
        copy[len - 1] ^= 0x01;
        if (f.proto == IPV6_PROTO_UDP) {
            copy[(size_t)(l4 - copy) + 6] = copy[(size_t)(l4 - copy) + 7] = 0; /* "no checksum": not on IPv6 */
            assert_false(ipv6_l4_verify(f.src, f.dst, f.proto, l4, l4_len));
        }
    }
    pf_free(&l);
}

/* ---- against a scripted server ---- */

typedef struct {
    mininet n;
    uint8_t srv_ip[IPV6_ADDR_LEN];
    uint32_t now;
} world;

static void srv_send(world *w, const ipv6_frame *f, const void *data, size_t len)
{
    static uint8_t buf[ETH_HDR_LEN + IPV6_HDR_LEN + TCP_HDR_LEN + MININET_RCVBUF + 200];
    size_t n;
    assert_int_equal(ipv6_frame_build(f, data, len, buf, sizeof buf, &n), 0);
    mininet_input(&w->n, buf, n, w->now);
}

static void srv_tcp(world *w, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, const void *data, size_t len)
{
    ipv6_frame f;
    memset(&f, 0, sizeof f);
    memcpy(f.dst_mac, car_mac, 6);
    memcpy(f.src_mac, srv_mac, 6);
    memcpy(f.src, w->srv_ip, IPV6_ADDR_LEN);
    memcpy(f.dst, w->n.ip, IPV6_ADDR_LEN);
    f.proto = IPV6_PROTO_TCP;
    f.hop_limit = 64;
    f.src_port = SRV_PORT;
    f.dst_port = CAR_PORT;
    f.seq = seq;
    f.ack = ack;
    f.tcp_flags = flags;
    f.window = win;
    srv_send(w, &f, data, len);
}

/* An ICMPv6 neighbour message of the server (type 135 NS or 136 NA) with the target and a link-layer option. */
static void srv_nd(world *w, uint8_t type, const uint8_t target[IPV6_ADDR_LEN], const uint8_t dst[IPV6_ADDR_LEN],
                   uint8_t hop_limit, int corrupt)
{
    ipv6_frame f;
    uint8_t buf[200];
    memset(&f, 0, sizeof f);
    memcpy(f.dst_mac, car_mac, 6);
    memcpy(f.src_mac, srv_mac, 6);
    memcpy(f.src, w->srv_ip, IPV6_ADDR_LEN);
    memcpy(f.dst, dst, IPV6_ADDR_LEN);
    f.proto = IPV6_PROTO_ICMPV6;
    f.hop_limit = hop_limit;
    uint8_t *icmp = buf + ipv6_header_build(&f, 32, buf);
    memset(icmp, 0, 32);
    icmp[0] = type;
    if (type == 136) icmp[4] = 0x60; /* solicited, override */
    memcpy(icmp + 8, target, IPV6_ADDR_LEN);
    icmp[24] = type == 135 ? 1 : 2;
    icmp[25] = corrupt == 2 ? 0 : 1; /* 2: an option of length 0 (invalid, RFC 4861 §7.1.1) */
    memcpy(icmp + 26, srv_mac, 6);
    uint16_t c = ipv6_l4_checksum(f.src, f.dst, IPV6_PROTO_ICMPV6, icmp, 32);
    icmp[2] = (uint8_t)(c >> 8);
    icmp[3] = (uint8_t)(corrupt == 1 ? c + 1 : c);
    mininet_input(&w->n, buf, ETH_HDR_LEN + IPV6_HDR_LEN + 32, w->now);
}

static void world_init(world *w)
{
    memset(w, 0, sizeof *w);
    mininet_init(&w->n, car_mac);
    ipv6_link_local_from_mac(srv_mac, w->srv_ip);
    w->now = 1000;
}

/* Connects: NS, the scripted NA, SYN, SYN-ACK with window win, our ACK. */
static void connect_to(world *w, uint16_t win)
{
    out_frame o;
    assert_int_equal(mininet_tcp_connect(&w->n, w->srv_ip, SRV_PORT, CAR_PORT, CAR_ISS, w->now), 0);
    assert_true(pull(&w->n, w->now, &o));
    assert_int_equal(o.f.proto, IPV6_PROTO_ICMPV6);
    assert_int_equal(o.l4[0], 135);
    assert_int_equal(o.f.hop_limit, 255);
    uint8_t sn[IPV6_ADDR_LEN] = {0xff, 0x02, [11] = 0x01, 0xff, w->srv_ip[13], w->srv_ip[14], w->srv_ip[15]};
    assert_memory_equal(o.f.dst, sn, IPV6_ADDR_LEN);
    assert_memory_equal(o.f.dst_mac, ((uint8_t[]){0x33, 0x33, 0xff, w->srv_ip[13], w->srv_ip[14], w->srv_ip[15]}), 6);
    assert_memory_equal(o.l4 + 8, w->srv_ip, IPV6_ADDR_LEN);
    assert_memory_equal(o.l4 + 26, car_mac, 6);
    no_output(&w->n, w->now);
    srv_nd(w, 136, w->srv_ip, w->n.ip, 255, 0);
    assert_true(pull(&w->n, w->now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_SYN);
    assert_int_equal(o.f.seq, CAR_ISS);
    assert_memory_equal(o.f.dst_mac, srv_mac, 6);
    srv_tcp(w, SRV_ISS, CAR_ISS + 1, TCP_SYN | TCP_ACK, win, NULL, 0);
    assert_int_equal(mininet_events(&w->n), MININET_EV_CONNECTED);
    assert_true(pull(&w->n, w->now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_ACK);
    assert_int_equal(o.f.seq, CAR_ISS + 1);
    assert_int_equal(o.f.ack, SRV_ISS + 1);
    assert_int_equal(o.f.window, MININET_RCVBUF);
    no_output(&w->n, w->now);
}

static void test_address_and_ns(void **state)
{
    (void)state;
    static world w;
    world_init(&w);
    uint8_t sn[IPV6_ADDR_LEN] = {0xff, 0x02, [11] = 0x01, 0xff, w.n.ip[13], w.n.ip[14], w.n.ip[15]};
    /* a solicitation for our address, to our solicited-node group: answered to the asker */
    srv_nd(&w, 135, w.n.ip, sn, 255, 0);
    out_frame o;
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.l4[0], 136);
    assert_int_equal(o.l4[4], 0x60);
    assert_memory_equal(o.l4 + 8, w.n.ip, IPV6_ADDR_LEN);
    assert_int_equal(o.l4[24], 2);
    assert_memory_equal(o.l4 + 26, car_mac, 6);
    assert_memory_equal(o.f.dst, w.srv_ip, IPV6_ADDR_LEN);
    assert_memory_equal(o.f.dst_mac, srv_mac, 6);
    assert_int_equal(o.f.hop_limit, 255);
    no_output(&w.n, w.now);
    /* not answered: routed (hop limit not 255), bad checksum, zero-length option, another target */
    srv_nd(&w, 135, w.n.ip, sn, 64, 0);
    srv_nd(&w, 135, w.n.ip, sn, 255, 1);
    srv_nd(&w, 135, w.n.ip, sn, 255, 2);
    srv_nd(&w, 135, w.srv_ip, sn, 255, 0);
    no_output(&w.n, w.now);
    assert_int_equal(w.n.stats.rx_bad_checksum, 1);
    assert_int_equal(w.n.stats.ns_answered, 1);
    /* the asker went into the neighbour cache: a connection to it needs no solicitation */
    assert_int_equal(mininet_tcp_connect(&w.n, w.srv_ip, SRV_PORT, CAR_PORT, CAR_ISS, w.now), 0);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_SYN);
}

static void test_sdp_udp(void **state)
{
    (void)state;
    static world w;
    world_init(&w);
    static const uint8_t req[10] = {0x01, 0xfe, 0x90, 0x00, 0, 0, 0, 2, 0x10, 0x00};
    assert_int_equal(mininet_udp_send(&w.n, ipv6_all_nodes, 15118, 50000, req, sizeof req), 0);
    assert_int_equal(mininet_udp_send(&w.n, ipv6_all_nodes, 15118, 50000, req, sizeof req), CCS_ESTATE);
    assert_int_equal(mininet_udp_send(&w.n, w.srv_ip, 15118, 50000, req, sizeof req), CCS_ESTATE); /* unresolved */
    out_frame o;
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.proto, IPV6_PROTO_UDP);
    assert_memory_equal(o.f.dst_mac, ((uint8_t[]){0x33, 0x33, 0, 0, 0, 1}), 6);
    assert_memory_equal(o.f.dst, ipv6_all_nodes, IPV6_ADDR_LEN);
    assert_int_equal(o.f.src_port, 50000);
    assert_int_equal(o.f.dst_port, 15118);
    assert_int_equal(o.len, sizeof req);
    assert_memory_equal(o.data, req, sizeof req);
    no_output(&w.n, w.now);
    ipv6_frame f;
    memset(&f, 0, sizeof f);
    memcpy(f.dst_mac, car_mac, 6);
    memcpy(f.src_mac, srv_mac, 6);
    memcpy(f.src, w.srv_ip, IPV6_ADDR_LEN);
    memcpy(f.dst, w.n.ip, IPV6_ADDR_LEN);
    f.proto = IPV6_PROTO_UDP;
    f.hop_limit = 255;
    f.src_port = 15118;
    f.dst_port = 50001; /* not our port */
    static const uint8_t res[28] = {0x01, 0xfe, 0x90, 0x01, 0, 0, 0, 20, 0xfe, 0x80};
    srv_send(&w, &f, res, sizeof res);
    assert_int_equal(mininet_events(&w.n), 0);
    f.dst_port = 50000;
    srv_send(&w, &f, res, sizeof res);
    assert_int_equal(mininet_events(&w.n), MININET_EV_UDP);
    uint8_t got[64], src[IPV6_ADDR_LEN];
    uint16_t sport;
    assert_int_equal(mininet_udp_read(&w.n, got, sizeof got, src, &sport), sizeof res);
    assert_memory_equal(got, res, sizeof res);
    assert_memory_equal(src, w.srv_ip, IPV6_ADDR_LEN);
    assert_int_equal(mininet_udp_read(&w.n, got, sizeof got, src, &sport), 0);
}

static void test_tcp_loopback(void **state)
{
    (void)state;
    static world w;
    world_init(&w);
    connect_to(&w, 4096);
    out_frame o;
    uint8_t req[100], res[50], got[100];
    for (int i = 0; i < 100; i++) req[i] = (uint8_t)i;
    for (int i = 0; i < 50; i++) res[i] = (uint8_t)(200 + i);
    assert_int_equal(mininet_tcp_send(&w.n, req, sizeof req), 100);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_ACK | TCP_PSH);
    assert_int_equal(o.f.seq, CAR_ISS + 1);
    assert_int_equal(o.len, 100);
    assert_memory_equal(o.data, req, 100);
    assert_int_equal(mininet_tcp_unacked(&w.n), 100);
    srv_tcp(&w, SRV_ISS + 1, CAR_ISS + 101, TCP_ACK | TCP_PSH, 4096, res, sizeof res);
    assert_int_equal(mininet_tcp_unacked(&w.n), 0);
    assert_int_equal(mininet_events(&w.n), MININET_EV_DATA);
    assert_int_equal(mininet_tcp_read(&w.n, got, sizeof got), 50);
    assert_memory_equal(got, res, 50);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_ACK);
    assert_int_equal(o.f.ack, SRV_ISS + 51);
    no_output(&w.n, w.now);
    /* the server closes; we close too */
    srv_tcp(&w, SRV_ISS + 51, CAR_ISS + 101, TCP_ACK | TCP_FIN, 4096, NULL, 0);
    assert_int_equal(mininet_events(&w.n), MININET_EV_PEER_CLOSED);
    assert_int_equal(w.n.state, MININET_TCP_CLOSE_WAIT);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.ack, SRV_ISS + 52);
    assert_int_equal(mininet_tcp_send(&w.n, req, 1), 1); /* half-closed: we may still send */
    mininet_tcp_close(&w.n);
    assert_int_equal(mininet_tcp_send(&w.n, req, 1), CCS_ESTATE);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.len, 1);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_ACK | TCP_FIN);
    assert_int_equal(o.f.seq, CAR_ISS + 102);
    assert_int_equal(w.n.state, MININET_TCP_LAST_ACK);
    srv_tcp(&w, SRV_ISS + 52, CAR_ISS + 103, TCP_ACK, 4096, NULL, 0);
    assert_int_equal(mininet_events(&w.n), MININET_EV_CLOSED);
    assert_int_equal(w.n.close_reason, 0);
    assert_int_equal(w.n.state, MININET_TCP_CLOSED);
    no_output(&w.n, w.now);
}

static void test_tcp_we_close_first(void **state)
{
    (void)state;
    static world w;
    world_init(&w);
    connect_to(&w, 4096);
    out_frame o;
    mininet_tcp_close(&w.n);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_ACK | TCP_FIN);
    assert_int_equal(w.n.state, MININET_TCP_FIN_WAIT_1);
    /* the server's FIN crosses ours: CLOSING, then its ACK of our FIN ends it */
    srv_tcp(&w, SRV_ISS + 1, CAR_ISS + 1, TCP_ACK | TCP_FIN, 4096, NULL, 0);
    assert_int_equal(w.n.state, MININET_TCP_CLOSING);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.ack, SRV_ISS + 2);
    srv_tcp(&w, SRV_ISS + 2, CAR_ISS + 2, TCP_ACK, 4096, NULL, 0);
    assert_int_equal(w.n.state, MININET_TCP_CLOSED);
    assert_int_equal(mininet_events(&w.n), MININET_EV_PEER_CLOSED | MININET_EV_CLOSED);
}

/* The SYN is lost, then a data segment; the server's segments arrive out of order and twice. */
static void test_tcp_lost_and_reordered(void **state)
{
    (void)state;
    static world w;
    world_init(&w);
    out_frame o;
    assert_int_equal(mininet_tcp_connect(&w.n, w.srv_ip, SRV_PORT, CAR_PORT, CAR_ISS, w.now), 0);
    assert_true(pull(&w.n, w.now, &o)); /* NS */
    srv_nd(&w, 136, w.srv_ip, w.n.ip, 255, 0);
    assert_true(pull(&w.n, w.now, &o)); /* SYN, lost */
    uint32_t t0 = w.now;
    mininet_poll(&w.n, t0 + MININET_RTO_MS - 1);
    no_output(&w.n, t0 + MININET_RTO_MS - 1);
    w.now = t0 + MININET_RTO_MS;
    mininet_poll(&w.n, w.now);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_SYN);
    assert_int_equal(o.f.seq, CAR_ISS);
    assert_int_equal(w.n.stats.retransmits, 1);
    srv_tcp(&w, SRV_ISS, CAR_ISS + 1, TCP_SYN | TCP_ACK, 8192, NULL, 0);
    assert_int_equal(mininet_events(&w.n), MININET_EV_CONNECTED);
    assert_true(pull(&w.n, w.now, &o)); /* ACK */
    /* the server repeats its SYN-ACK (our ACK lost): we ACK again */
    srv_tcp(&w, SRV_ISS, CAR_ISS + 1, TCP_SYN | TCP_ACK, 8192, NULL, 0);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_ACK);
    assert_int_equal(o.f.ack, SRV_ISS + 1);
    /* 2000 bytes: two segments (MSS); the first is lost, the server acknowledges nothing */
    static uint8_t big[2000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 13);
    assert_int_equal(mininet_tcp_send(&w.n, big, sizeof big), 2000);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.len, MININET_MSS);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.seq, CAR_ISS + 1 + MININET_MSS);
    assert_int_equal(o.len, 2000 - MININET_MSS);
    no_output(&w.n, w.now);
    srv_tcp(&w, SRV_ISS + 1, CAR_ISS + 1, TCP_ACK, 8192, NULL, 0); /* duplicate ACK */
    no_output(&w.n, w.now);
    w.now += MININET_RTO_MS; /* the backoff was reset by the SYN-ACK */
    mininet_poll(&w.n, w.now);
    assert_true(pull(&w.n, w.now, &o)); /* go back: from the oldest unacknowledged byte */
    assert_int_equal(o.f.seq, CAR_ISS + 1);
    assert_int_equal(o.len, MININET_MSS);
    assert_memory_equal(o.data, big, MININET_MSS);
    srv_tcp(&w, SRV_ISS + 1, CAR_ISS + 1 + MININET_MSS, TCP_ACK, 8192, NULL, 0);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.seq, CAR_ISS + 1 + MININET_MSS);
    srv_tcp(&w, SRV_ISS + 1, CAR_ISS + 2001, TCP_ACK, 8192, NULL, 0);
    assert_int_equal(mininet_tcp_unacked(&w.n), 0);
    assert_false(w.n.rto_running);
    /* the server's segments A (10 bytes) and B (10 bytes) arrive B first, then A, then B again, then A again
     * and one overlapping A's tail with new bytes C */
    uint8_t abc[30], got[64];
    for (int i = 0; i < 30; i++) abc[i] = (uint8_t)('a' + i);
    uint32_t s = SRV_ISS + 1, a = CAR_ISS + 2001;
    srv_tcp(&w, s + 10, a, TCP_ACK, 8192, abc + 10, 10);
    assert_int_equal(mininet_events(&w.n), 0);
    assert_true(pull(&w.n, w.now, &o)); /* duplicate ACK: still waiting for s */
    assert_int_equal(o.f.ack, s);
    srv_tcp(&w, s, a, TCP_ACK, 8192, abc, 10);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.ack, s + 10);
    srv_tcp(&w, s + 10, a, TCP_ACK, 8192, abc + 10, 10);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.ack, s + 20);
    srv_tcp(&w, s, a, TCP_ACK, 8192, abc, 10); /* old: ACK only */
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.ack, s + 20);
    srv_tcp(&w, s + 15, a, TCP_ACK, 8192, abc + 15, 15); /* 5 old bytes, 10 new */
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.ack, s + 30);
    assert_int_equal(mininet_tcp_read(&w.n, got, sizeof got), 30);
    assert_memory_equal(got, abc, 30);
}

/* Nothing is ever acknowledged: retransmissions with backoff, then the connection fails with a reset. */
static void test_tcp_retransmissions_exhausted(void **state)
{
    (void)state;
    static world w;
    world_init(&w);
    connect_to(&w, 4096);
    out_frame o;
    assert_int_equal(mininet_tcp_send(&w.n, (const uint8_t *)"hello", 5), 5);
    assert_true(pull(&w.n, w.now, &o));
    uint32_t rto = MININET_RTO_MS;
    for (int i = 1; i <= MININET_TCP_RETRIES; i++) {
        w.now += rto;
        mininet_poll(&w.n, w.now);
        assert_true(pull(&w.n, w.now, &o));
        assert_int_equal(o.f.seq, CAR_ISS + 1);
        assert_int_equal(o.len, 5);
        no_output(&w.n, w.now);
        rto = rto * 2 > MININET_RTO_MAX_MS ? MININET_RTO_MAX_MS : rto * 2;
        mininet_poll(&w.n, w.now + rto - 1);
        no_output(&w.n, w.now + rto - 1);
    }
    assert_int_equal(mininet_events(&w.n), 0);
    w.now += rto;
    mininet_poll(&w.n, w.now);
    assert_int_equal(mininet_events(&w.n), MININET_EV_CLOSED);
    assert_int_equal(w.n.close_reason, CCS_ETIMEOUT);
    assert_true(pull(&w.n, w.now, &o));
    assert_true(o.f.tcp_flags & TCP_RST);
    no_output(&w.n, w.now);
    assert_int_equal(mininet_tcp_send(&w.n, (const uint8_t *)"x", 1), CCS_ESTATE);
}

static void test_tcp_reset(void **state)
{
    (void)state;
    static world w;
    out_frame o;
    /* refused: RST+ACK to our SYN */
    world_init(&w);
    assert_int_equal(mininet_tcp_connect(&w.n, w.srv_ip, SRV_PORT, CAR_PORT, CAR_ISS, w.now), 0);
    assert_true(pull(&w.n, w.now, &o));
    srv_nd(&w, 136, w.srv_ip, w.n.ip, 255, 0);
    assert_true(pull(&w.n, w.now, &o));
    srv_tcp(&w, 0, CAR_ISS + 2, TCP_RST | TCP_ACK, 0, NULL, 0); /* wrong ACK: not for our SYN */
    assert_int_equal(mininet_events(&w.n), 0);
    srv_tcp(&w, 0, CAR_ISS + 1, TCP_RST | TCP_ACK, 0, NULL, 0);
    assert_int_equal(mininet_events(&w.n), MININET_EV_CLOSED);
    assert_int_equal(w.n.close_reason, CCS_EPROTO);
    /* established: a reset outside the window is ignored, inside it but not exact gets a challenge ACK, exact
     * ends the connection */
    world_init(&w);
    connect_to(&w, 4096);
    srv_tcp(&w, SRV_ISS + 1 + 100000, 0, TCP_RST, 0, NULL, 0);
    no_output(&w.n, w.now);
    srv_tcp(&w, SRV_ISS + 1 + 10, 0, TCP_RST, 0, NULL, 0);
    assert_int_equal(w.n.state, MININET_TCP_ESTABLISHED);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_ACK);
    assert_int_equal(o.f.ack, SRV_ISS + 1);
    srv_tcp(&w, SRV_ISS + 1, 0, TCP_RST, 0, NULL, 0);
    assert_int_equal(mininet_events(&w.n), MININET_EV_CLOSED);
    assert_int_equal(w.n.close_reason, CCS_EPROTO);
    no_output(&w.n, w.now);
    /* our abort: RST out */
    world_init(&w);
    connect_to(&w, 4096);
    mininet_tcp_abort(&w.n);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_RST | TCP_ACK);
    assert_int_equal(o.f.seq, CAR_ISS + 1);
    assert_int_equal(mininet_events(&w.n), MININET_EV_CLOSED);
}

/* Our receive window: more than the buffer holds is cut to it; reading opens it with an update. The peer's
 * window: nothing beyond it, and a probe while it is shut. */
static void test_tcp_windows(void **state)
{
    (void)state;
    static world w;
    static uint8_t big[MININET_RCVBUF + 100], got[MININET_RCVBUF + 100];
    world_init(&w);
    connect_to(&w, 0);
    out_frame o;
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 7);
    uint32_t s = SRV_ISS + 1;
    size_t first = MININET_RCVBUF - 100;
    srv_tcp(&w, s, CAR_ISS + 1, TCP_ACK, 0, big, first);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.window, 100);
    srv_tcp(&w, s + (uint32_t)first, CAR_ISS + 1, TCP_ACK, 0, big + first, 200); /* 100 fit */
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.ack, s + MININET_RCVBUF);
    assert_int_equal(o.f.window, 0);
    no_output(&w.n, w.now);
    assert_int_equal(mininet_tcp_read(&w.n, got, sizeof got), MININET_RCVBUF);
    assert_memory_equal(got, big, MININET_RCVBUF);
    assert_true(pull(&w.n, w.now, &o)); /* window update */
    assert_int_equal(o.f.window, MININET_RCVBUF);
    /* the server's window is 0: data waits, then a one-byte probe on the timer */
    assert_int_equal(mininet_tcp_send(&w.n, (const uint8_t *)"abc", 3), 3);
    no_output(&w.n, w.now);
    w.now += MININET_RTO_MS;
    mininet_poll(&w.n, w.now);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.len, 1);
    assert_int_equal(o.data[0], 'a');
    no_output(&w.n, w.now);
    /* the window opens (the probe byte is taken): the rest goes */
    srv_tcp(&w, s + MININET_RCVBUF, CAR_ISS + 2, TCP_ACK, 2, NULL, 0);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.seq, CAR_ISS + 2);
    assert_int_equal(o.len, 2);
    assert_memory_equal(o.data, "bc", 2);
    /* an ACK for bytes never sent is answered, not believed */
    srv_tcp(&w, s + MININET_RCVBUF, CAR_ISS + 100, TCP_ACK, 2, NULL, 0);
    assert_int_equal(mininet_tcp_unacked(&w.n), 2);
    assert_true(pull(&w.n, w.now, &o));
    assert_int_equal(o.f.tcp_flags, TCP_ACK);
    /* the send buffer is bounded */
    static uint8_t fill[MININET_SNDBUF];
    assert_int_equal(mininet_tcp_send(&w.n, fill, sizeof fill), MININET_SNDBUF - 2);
    assert_int_equal(mininet_tcp_send(&w.n, fill, 1), 0);
}

static void test_nd_timeout(void **state)
{
    (void)state;
    static world w;
    world_init(&w);
    out_frame o;
    assert_int_equal(mininet_tcp_connect(&w.n, w.srv_ip, SRV_PORT, CAR_PORT, CAR_ISS, w.now), 0);
    assert_int_equal(mininet_tcp_connect(&w.n, w.srv_ip, SRV_PORT, CAR_PORT, CAR_ISS, w.now), CCS_ESTATE);
    for (int i = 0; i < MININET_ND_TRIES; i++) {
        assert_true(pull(&w.n, w.now, &o));
        assert_int_equal(o.l4[0], 135);
        no_output(&w.n, w.now);
        w.now += MININET_ND_RETRANS_MS;
        mininet_poll(&w.n, w.now);
    }
    assert_int_equal(mininet_events(&w.n), MININET_EV_CLOSED);
    assert_int_equal(w.n.close_reason, CCS_ETIMEOUT);
    no_output(&w.n, w.now);
}

/* Frames not for us are dropped without a trace. */
static void test_not_for_us(void **state)
{
    (void)state;
    static world w;
    world_init(&w);
    connect_to(&w, 4096);
    ipv6_frame f;
    memset(&f, 0, sizeof f);
    memcpy(f.dst_mac, srv_mac, 6); /* another station's MAC */
    memcpy(f.src_mac, srv_mac, 6);
    memcpy(f.src, w.srv_ip, IPV6_ADDR_LEN);
    memcpy(f.dst, w.n.ip, IPV6_ADDR_LEN);
    f.proto = IPV6_PROTO_TCP;
    f.src_port = SRV_PORT;
    f.dst_port = CAR_PORT;
    f.seq = SRV_ISS + 1;
    f.ack = CAR_ISS + 1;
    f.tcp_flags = TCP_ACK;
    srv_send(&w, &f, "x", 1);
    memcpy(f.dst_mac, car_mac, 6);
    f.dst_port = CAR_PORT + 1; /* another port */
    srv_send(&w, &f, "x", 1);
    uint8_t buf[200];
    size_t n;
    f.dst_port = CAR_PORT;
    assert_int_equal(ipv6_frame_build(&f, (const uint8_t *)"x", 1, buf, sizeof buf, &n), 0);
    buf[n - 1] ^= 1; /* bad checksum */
    mininet_input(&w.n, buf, n, w.now);
    assert_int_equal(w.n.stats.rx_bad_checksum, 1);
    assert_int_equal(w.n.stats.rx_dropped, 2);
    assert_int_equal(mininet_events(&w.n), 0);
    no_output(&w.n, w.now);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_car),
        cmocka_unit_test(test_checksum_verify),
        cmocka_unit_test(test_address_and_ns),
        cmocka_unit_test(test_sdp_udp),
        cmocka_unit_test(test_tcp_loopback),
        cmocka_unit_test(test_tcp_we_close_first),
        cmocka_unit_test(test_tcp_lost_and_reordered),
        cmocka_unit_test(test_tcp_retransmissions_exhausted),
        cmocka_unit_test(test_tcp_reset),
        cmocka_unit_test(test_tcp_windows),
        cmocka_unit_test(test_nd_timeout),
        cmocka_unit_test(test_not_for_us),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
