/* libFuzzer target: mininet as a car's network layer against a hostile link. Records (fuzz_util.h) are steps:
 * byte 0 the operation (raw frame in, well-formed TCP segment from the peer with fuzzed fields, ND message,
 * time passing, application send/read/close/abort), the rest its bytes. After every step each frame mininet
 * sends must parse with a right checksum and fit MININET_FRAME_MAX, and its buffers stay within bounds. */
#include <string.h>

#include "ccsplc/core/mininet.h"
#include "fuzz_util.h"

static const uint8_t car_mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t srv_mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
static uint8_t srv_ip[IPV6_ADDR_LEN];
static uint8_t frame[MININET_FRAME_MAX + MININET_RCVBUF];

static void drain(mininet *n, uint32_t now)
{
    const uint8_t *out, *l4;
    size_t len, l4_len;
    ipv6_frame f;
    for (int i = 0; i < 64 && mininet_output(n, now, &out, &len); i++) {
        FUZZ_CHECK(len <= MININET_FRAME_MAX);
        FUZZ_CHECK(ipv6_packet_parse(out, len, &f, &l4, &l4_len) == 0);
        FUZZ_CHECK(ipv6_l4_verify(f.src, f.dst, f.proto, l4, l4_len));
        FUZZ_CHECK(!memcmp(f.src_mac, car_mac, 6) && !memcmp(f.src, n->ip, IPV6_ADDR_LEN));
    }
    FUZZ_CHECK(n->snd_len <= MININET_SNDBUF && n->rcv_len <= MININET_RCVBUF);
    FUZZ_CHECK(n->state <= MININET_TCP_LAST_ACK);
}

static void peer_frame(mininet *n, uint8_t proto, const ipv6_frame *tmpl, const uint8_t *data, size_t len,
                       uint32_t now)
{
    ipv6_frame f = *tmpl;
    size_t out;
    memcpy(f.dst_mac, car_mac, 6);
    memcpy(f.src_mac, srv_mac, 6);
    memcpy(f.src, srv_ip, IPV6_ADDR_LEN);
    memcpy(f.dst, n->ip, IPV6_ADDR_LEN);
    f.proto = proto;
    f.hop_limit = 255;
    if (proto == IPV6_PROTO_ICMPV6) { /* ICMPv6: the fuzzed body with its checksum filled in */
        if (len < 4 || len > 200) return;
        size_t hdr = ipv6_header_build(&f, len, frame);
        memcpy(frame + hdr, data, len);
        frame[hdr + 2] = frame[hdr + 3] = 0;
        uint16_t c = ipv6_l4_checksum(f.src, f.dst, IPV6_PROTO_ICMPV6, frame + hdr, len);
        frame[hdr + 2] = (uint8_t)(c >> 8);
        frame[hdr + 3] = (uint8_t)c;
        mininet_input(n, frame, hdr + len, now);
        return;
    }
    if (ipv6_frame_build(&f, data, len, frame, sizeof frame, &out) == 0) mininet_input(n, frame, out, now);
}

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mininet n;
    static uint8_t buf[MININET_RCVBUF];
    uint32_t now = 0;
    ipv6_link_local_from_mac(srv_mac, srv_ip);
    mininet_init(&n, car_mac);
    mininet_tcp_connect(&n, srv_ip, 15118, 50000, 1000, now);
    drain(&n, now);
    uint8_t na[32] = {136, 0, 0, 0, 0x60}; /* the peer's neighbour advertisement: the fuzzing starts at the SYN */
    memcpy(na + 8, srv_ip, IPV6_ADDR_LEN);
    na[24] = 2;
    na[25] = 1;
    memcpy(na + 26, srv_mac, 6);
    ipv6_frame nf;
    memset(&nf, 0, sizeof nf);
    peer_frame(&n, IPV6_PROTO_ICMPV6, &nf, na, sizeof na, now);
    drain(&n, now);
    const uint8_t *rec;
    size_t len;
    while (fuzz_record(&data, &size, &rec, &len)) {
        if (!len) continue;
        uint8_t op = rec[0];
        rec++;
        len--;
        ipv6_frame f;
        memset(&f, 0, sizeof f);
        switch (op % 9) {
        case 0: mininet_input(&n, rec, len, now); break;
        case 1: /* a TCP segment of the peer: seq and ack relative to ours, flags, window, payload */
            if (len < 11) break;
            f.src_port = 15118;
            f.dst_port = 50000;
            f.seq = n.rcv_nxt + get32(rec);
            f.ack = n.snd_una + get32(rec + 4);
            f.tcp_flags = rec[8];
            f.window = (uint16_t)(rec[9] << 8 | rec[10]);
            if (rec[8] & 0x40) f.seq = n.rcv_nxt; /* often exactly in order */
            if (rec[8] & 0x80) f.ack = n.snd_nxt;
            f.tcp_flags &= 0x3f;
            peer_frame(&n, IPV6_PROTO_TCP, &f, rec + 11, len - 11, now);
            break;
        case 2: peer_frame(&n, IPV6_PROTO_ICMPV6, &f, rec, len, now); break;
        case 3: /* a UDP datagram of the peer to the SDP port */
            f.src_port = 15118;
            f.dst_port = n.udp_port;
            peer_frame(&n, IPV6_PROTO_UDP, &f, rec, len, now);
            break;
        case 4:
            now += len ? (uint32_t)rec[0] * 64u : 1000u;
            mininet_poll(&n, now);
            break;
        case 5: mininet_tcp_send(&n, rec, len); break;
        case 6: mininet_tcp_read(&n, buf, len ? rec[0] * 16u : sizeof buf); break;
        case 7: mininet_udp_send(&n, ipv6_all_nodes, 15118, 50001, rec, len); break;
        default:
            if (len && rec[0] & 1) mininet_tcp_abort(&n);
            else mininet_tcp_close(&n);
        }
        mininet_events(&n);
        drain(&n, now);
    }
    return 0;
}
