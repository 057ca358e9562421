/* Socket-level TCP traffic recorded as synthetic segments: handshake, then data with running sequence numbers. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/pcapng.h"

#define ISN_CLIENT 0x10000000u /* arbitrary initial sequence numbers, fixed so files are reproducible */
#define ISN_SERVER 0x20000000u
#define WINDOW 65535
#define MSS 1440 /* 1500-byte MTU minus IPv6 and TCP headers */

/* Headers of a segment in direction dir: ours as they are, the peer's with source and destination swapped. */
static ipv6_frame headers(const pcapng_tcp_flow *fl, pcapng_dir dir, uint8_t flags)
{
    ipv6_frame h = fl->out;
    if (dir == PCAPNG_DIR_IN) {
        memcpy(h.src_mac, fl->out.dst_mac, 6);
        memcpy(h.dst_mac, fl->out.src_mac, 6);
        memcpy(h.src, fl->out.dst, IPV6_ADDR_LEN);
        memcpy(h.dst, fl->out.src, IPV6_ADDR_LEN);
        h.src_port = fl->out.dst_port;
        h.dst_port = fl->out.src_port;
    }
    h.seq = dir == PCAPNG_DIR_IN ? fl->seq_in : fl->seq_out;
    h.ack = dir == PCAPNG_DIR_IN ? fl->seq_out : fl->seq_in;
    h.tcp_flags = flags;
    return h;
}

/* Writes one segment and advances the sender's sequence number by what it occupies. */
static int segment(pcapng_writer *w, pcapng_tcp_flow *fl, uint64_t ts_ns, pcapng_dir dir, uint8_t flags,
                   const uint8_t *data, size_t len)
{
    ipv6_frame h = headers(fl, dir, flags);
    if (!(flags & TCP_ACK)) h.ack = 0;
    int rc = pcapng_write_ipv6(w, ts_ns, dir, &h, data, len);
    uint32_t used = (uint32_t)len + (flags & TCP_SYN ? 1u : 0u);
    if (dir == PCAPNG_DIR_IN) fl->seq_in += used;
    else fl->seq_out += used;
    return rc;
}

int pcapng_tcp_flow_open(pcapng_writer *w, pcapng_tcp_flow *fl, uint64_t ts_ns, int we_connect,
                         const uint8_t our_mac[6], const uint8_t our_ip[IPV6_ADDR_LEN], uint16_t our_port,
                         const uint8_t peer_mac[6], const uint8_t peer_ip[IPV6_ADDR_LEN], uint16_t peer_port)
{
    memset(fl, 0, sizeof *fl);
    memcpy(fl->out.src_mac, our_mac, 6);
    memcpy(fl->out.dst_mac, peer_mac, 6);
    memcpy(fl->out.src, our_ip, IPV6_ADDR_LEN);
    memcpy(fl->out.dst, peer_ip, IPV6_ADDR_LEN);
    fl->out.src_port = our_port;
    fl->out.dst_port = peer_port;
    fl->out.ethertype = ETH_TYPE_IPV6;
    fl->out.hop_limit = 64;
    fl->out.proto = IPV6_PROTO_TCP;
    fl->out.window = WINDOW;
    fl->seq_out = we_connect ? ISN_CLIENT : ISN_SERVER;
    fl->seq_in = we_connect ? ISN_SERVER : ISN_CLIENT;
    pcapng_dir c = we_connect ? PCAPNG_DIR_OUT : PCAPNG_DIR_IN, s = we_connect ? PCAPNG_DIR_IN : PCAPNG_DIR_OUT;
    int rc = segment(w, fl, ts_ns, c, TCP_SYN, NULL, 0);
    if (!rc) rc = segment(w, fl, ts_ns, s, TCP_SYN | TCP_ACK, NULL, 0);
    if (!rc) rc = segment(w, fl, ts_ns, c, TCP_ACK, NULL, 0);
    return rc;
}

int pcapng_tcp_flow_data(pcapng_writer *w, pcapng_tcp_flow *fl, uint64_t ts_ns, pcapng_dir dir, const uint8_t *data,
                         size_t len)
{
    if (dir != PCAPNG_DIR_IN && dir != PCAPNG_DIR_OUT) return CCS_EINVAL;
    int rc = 0;
    for (size_t off = 0; !rc && off < len; off += MSS) {
        size_t n = len - off < MSS ? len - off : MSS;
        rc = segment(w, fl, ts_ns, dir, TCP_PSH | TCP_ACK, data + off, n);
    }
    return rc;
}
