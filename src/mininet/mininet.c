/* mininet core: our link-local address, frame demultiplexing (hostile input, checksums verified), the pull of
 * outgoing frames, events, and UDP for SDP. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "mininet/mininet_int.h"

static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

void mininet_init(mininet *n, const uint8_t mac[6])
{
    memset(n, 0, sizeof *n);
    memcpy(n->mac, mac, 6);
    ipv6_link_local_from_mac(mac, n->ip);
    n->rto = MININET_RTO_MS;
}

void mn_multicast_mac(const uint8_t ip[IPV6_ADDR_LEN], uint8_t mac[6])
{
    mac[0] = mac[1] = 0x33;
    memcpy(mac + 2, ip + 12, 4);
}

void mn_solicited_node(const uint8_t ip[IPV6_ADDR_LEN], uint8_t out[IPV6_ADDR_LEN])
{
    static const uint8_t prefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};
    memcpy(out, prefix, sizeof prefix);
    memcpy(out + 13, ip + 13, 3);
}

void mn_header(const mininet *n, ipv6_frame *f, const uint8_t dst_mac[6], const uint8_t dst_ip[IPV6_ADDR_LEN],
               uint8_t proto, uint8_t hop_limit)
{
    memset(f, 0, sizeof *f);
    memcpy(f->dst_mac, dst_mac, 6);
    memcpy(f->src_mac, n->mac, 6);
    f->ethertype = ETH_TYPE_IPV6;
    memcpy(f->src, n->ip, IPV6_ADDR_LEN);
    memcpy(f->dst, dst_ip, IPV6_ADDR_LEN);
    f->proto = proto;
    f->hop_limit = hop_limit;
}

/* Addressed to us: our MAC, an IPv6 multicast MAC or broadcast; our address, all-nodes or our solicited-node
 * group. */
static int for_us(const mininet *n, const ipv6_frame *f)
{
    uint8_t sn[IPV6_ADDR_LEN];
    if (memcmp(f->dst_mac, n->mac, 6) && memcmp(f->dst_mac, bcast_mac, 6) &&
        !(f->dst_mac[0] == 0x33 && f->dst_mac[1] == 0x33))
        return 0;
    mn_solicited_node(n->ip, sn);
    return !memcmp(f->dst, n->ip, IPV6_ADDR_LEN) || !memcmp(f->dst, ipv6_all_nodes, IPV6_ADDR_LEN) ||
           !memcmp(f->dst, sn, IPV6_ADDR_LEN);
}

static void udp_input(mininet *n, const ipv6_frame *f, const uint8_t *data, size_t len)
{
    if (!n->udp_port || f->dst_port != n->udp_port || len > MININET_UDP_MAX) {
        n->stats.rx_dropped++;
        return;
    }
    memcpy(n->udp_rx, data, len);
    n->udp_rx_len = (uint16_t)len;
    memcpy(n->udp_rx_src, f->src, IPV6_ADDR_LEN);
    n->udp_rx_sport = f->src_port;
    n->udp_rx_full = 1;
    n->events |= MININET_EV_UDP;
}

void mininet_input(mininet *n, const uint8_t *frame, size_t len, uint32_t now_ms)
{
    ipv6_frame f;
    const uint8_t *l4, *payload;
    size_t l4_len, payload_len;
    n->stats.rx_frames++;
    if (ipv6_packet_parse(frame, len, &f, &l4, &l4_len) || !for_us(n, &f)) {
        n->stats.rx_dropped++;
        return;
    }
    if (f.proto == IPV6_PROTO_UDP || f.proto == IPV6_PROTO_TCP) {
        if (ipv6_l4_parse(l4, l4_len, &f, &payload, &payload_len)) {
            n->stats.rx_dropped++;
            return;
        }
        l4_len = (size_t)(payload - l4) + payload_len; /* UDP: its own length, not the IPv6 payload's */
    } else if (f.proto != IPV6_PROTO_ICMPV6) {
        n->stats.rx_dropped++;
        return;
    }
    if (!ipv6_l4_verify(f.src, f.dst, f.proto, l4, l4_len)) {
        n->stats.rx_bad_checksum++;
        return;
    }
    if (f.proto == IPV6_PROTO_ICMPV6)
        mn_nd_input(n, &f, l4, l4_len);
    else if (f.proto == IPV6_PROTO_UDP)
        udp_input(n, &f, payload, payload_len);
    else
        mn_tcp_input(n, &f, payload, payload_len, now_ms);
}

void mininet_poll(mininet *n, uint32_t now_ms)
{
    mn_nd_poll(n, now_ms);
    mn_tcp_poll(n, now_ms);
}

static size_t udp_output(mininet *n)
{
    ipv6_frame f;
    uint8_t mac[6];
    size_t len;
    if (n->udp_tx_dst[0] == 0xff)
        mn_multicast_mac(n->udp_tx_dst, mac);
    else
        memcpy(mac, n->peer_mac, 6);
    mn_header(n, &f, mac, n->udp_tx_dst, IPV6_PROTO_UDP, MININET_HOP_LIMIT);
    f.src_port = n->udp_port;
    f.dst_port = n->udp_tx_dport;
    n->udp_tx_due = 0;
    return ipv6_frame_build(&f, n->udp_tx, n->udp_tx_len, n->frame, sizeof n->frame, &len) ? 0 : len;
}

int mininet_output(mininet *n, uint32_t now_ms, const uint8_t **frame, size_t *len)
{
    size_t k = mn_nd_output(n);
    if (!k && n->udp_tx_due) k = udp_output(n);
    if (!k) k = mn_tcp_output(n, now_ms);
    if (!k) return 0;
    n->stats.tx_frames++;
    *frame = n->frame;
    *len = k;
    return 1;
}

unsigned mininet_events(mininet *n)
{
    unsigned e = n->events;
    n->events = 0;
    return e;
}

int mininet_udp_send(mininet *n, const uint8_t dst[IPV6_ADDR_LEN], uint16_t dport, uint16_t sport,
                     const uint8_t *data, size_t len)
{
    if (len > MININET_UDP_MAX) return CCS_ELENGTH;
    if (n->udp_tx_due) return CCS_ESTATE;
    if (dst[0] != 0xff && (!n->peer_mac_known || memcmp(dst, n->peer_ip, IPV6_ADDR_LEN))) return CCS_ESTATE;
    if (len) memcpy(n->udp_tx, data, len);
    n->udp_tx_len = (uint16_t)len;
    memcpy(n->udp_tx_dst, dst, IPV6_ADDR_LEN);
    n->udp_tx_dport = dport;
    n->udp_port = sport;
    n->udp_tx_due = 1;
    return 0;
}

size_t mininet_udp_read(mininet *n, uint8_t *buf, size_t cap, uint8_t src[IPV6_ADDR_LEN], uint16_t *sport)
{
    if (!n->udp_rx_full) return 0;
    size_t k = n->udp_rx_len < cap ? n->udp_rx_len : cap;
    if (k) memcpy(buf, n->udp_rx, k);
    memcpy(src, n->udp_rx_src, IPV6_ADDR_LEN);
    *sport = n->udp_rx_sport;
    n->udp_rx_full = 0;
    return n->udp_rx_len;
}
