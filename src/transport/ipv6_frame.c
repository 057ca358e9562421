/* Ethernet/IPv6/UDP/TCP frames: build with correct checksums (synthetic captures, simulation) and parse
 * hostile input (capture reader). */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/ipv6.h"
#include "common/wire.h"

#define IPV6_EXT_HOP_BY_HOP 0
#define IPV6_EXT_ROUTING 43
#define IPV6_EXT_DEST_OPTS 60

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
    for (; len >= 2; p += 2, len -= 2) sum += be16_get(p);
    if (len) sum += (uint32_t)p[0] << 8;
    return sum;
}

/* The RFC 1071 sum of the pseudo-header and the upper-layer packet, folded to 16 bits. */
static uint16_t l4_sum(const uint8_t src[IPV6_ADDR_LEN], const uint8_t dst[IPV6_ADDR_LEN], uint8_t proto,
                       const uint8_t *l4, size_t len)
{
    uint8_t pseudo[8];
    be32_put(pseudo, (uint32_t)len);
    be32_put(pseudo + 4, proto);
    uint32_t sum = sum16(sum16(sum16(sum16(0, src, IPV6_ADDR_LEN), dst, IPV6_ADDR_LEN), pseudo, 8), l4, len);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

uint16_t ipv6_l4_checksum(const uint8_t src[IPV6_ADDR_LEN], const uint8_t dst[IPV6_ADDR_LEN], uint8_t proto,
                          const uint8_t *l4, size_t len)
{
    uint16_t c = (uint16_t)~l4_sum(src, dst, proto, l4, len);
    return proto == IPV6_PROTO_UDP && c == 0 ? 0xffff : c;
}

int ipv6_l4_verify(const uint8_t src[IPV6_ADDR_LEN], const uint8_t dst[IPV6_ADDR_LEN], uint8_t proto,
                   const uint8_t *l4, size_t len)
{
    if (proto == IPV6_PROTO_UDP && len >= UDP_HDR_LEN && be16_get(l4 + 6) == 0) return 0; /* RFC 8200 §8.1 */
    return l4_sum(src, dst, proto, l4, len) == 0xffff;
}

size_t ipv6_header_build(const ipv6_frame *f, size_t l4_len, uint8_t *buf)
{
    memcpy(buf, f->dst_mac, 6);
    memcpy(buf + 6, f->src_mac, 6);
    be16_put(buf + 12, ETH_TYPE_IPV6);
    uint8_t *ip = buf + ETH_HDR_LEN;
    be32_put(ip, 6u << 28 | (uint32_t)f->traffic_class << 20 | (f->flow_label & 0xfffff));
    be16_put(ip + 4, (uint16_t)l4_len);
    ip[6] = f->proto;
    ip[7] = f->hop_limit;
    memcpy(ip + 8, f->src, IPV6_ADDR_LEN);
    memcpy(ip + 24, f->dst, IPV6_ADDR_LEN);
    return ETH_HDR_LEN + IPV6_HDR_LEN;
}

int ipv6_frame_build(const ipv6_frame *f, const uint8_t *payload, size_t len, uint8_t *buf, size_t cap,
                     size_t *out_len)
{
    size_t l4_hdr = f->proto == IPV6_PROTO_TCP ? TCP_HDR_LEN : UDP_HDR_LEN;
    if ((f->proto != IPV6_PROTO_TCP && f->proto != IPV6_PROTO_UDP) || len > 0xffff - l4_hdr) return CCS_EINVAL;
    size_t l4_len = l4_hdr + len, total = ETH_HDR_LEN + IPV6_HDR_LEN + l4_len;
    if (cap < total) return CCS_ENOSPC;
    uint8_t *l4 = buf + ipv6_header_build(f, l4_len, buf), *csum;
    be16_put(l4, f->src_port);
    be16_put(l4 + 2, f->dst_port);
    if (f->proto == IPV6_PROTO_UDP) {
        be16_put(l4 + 4, (uint16_t)l4_len);
        csum = l4 + 6;
    } else {
        be32_put(l4 + 4, f->seq);
        be32_put(l4 + 8, f->ack);
        l4[12] = (TCP_HDR_LEN / 4) << 4;
        l4[13] = f->tcp_flags;
        be16_put(l4 + 14, f->window);
        be16_put(l4 + 18, 0); /* urgent pointer */
        csum = l4 + 16;
    }
    be16_put(csum, 0);
    if (len) memcpy(l4 + l4_hdr, payload, len);
    be16_put(csum, ipv6_l4_checksum(f->src, f->dst, f->proto, l4, l4_len));
    *out_len = total;
    return 0;
}

/* Walks the extension headers a link-local V2G peer may send; proto and off end at the upper layer. */
static int skip_extensions(const uint8_t *ip, size_t len, uint8_t *proto, size_t *off)
{
    while (*proto == IPV6_EXT_HOP_BY_HOP || *proto == IPV6_EXT_ROUTING || *proto == IPV6_EXT_DEST_OPTS) {
        if (len - *off < 8) return CCS_ETRUNC;
        size_t ext_len = ((size_t)ip[*off + 1] + 1) * 8;
        if (len - *off < ext_len) return CCS_ETRUNC;
        *proto = ip[*off];
        *off += ext_len;
    }
    return 0;
}

int ipv6_l4_parse(const uint8_t *l4, size_t len, ipv6_frame *f, const uint8_t **payload, size_t *payload_len)
{
    size_t hdr;
    if (f->proto == IPV6_PROTO_UDP) {
        if (len < UDP_HDR_LEN) return CCS_ETRUNC;
        size_t udp_len = be16_get(l4 + 4);
        if (udp_len < UDP_HDR_LEN) return CCS_EHEADER;
        if (udp_len > len) return CCS_ETRUNC;
        len = udp_len;
        hdr = UDP_HDR_LEN;
        f->checksum = be16_get(l4 + 6);
    } else {
        if (len < TCP_HDR_LEN) return CCS_ETRUNC;
        hdr = (size_t)(l4[12] >> 4) * 4;
        if (hdr < TCP_HDR_LEN) return CCS_EHEADER;
        if (hdr > len) return CCS_ETRUNC;
        f->seq = be32_get(l4 + 4);
        f->ack = be32_get(l4 + 8);
        f->tcp_flags = l4[13];
        f->window = be16_get(l4 + 14);
        f->checksum = be16_get(l4 + 16);
    }
    f->src_port = be16_get(l4);
    f->dst_port = be16_get(l4 + 2);
    *payload = l4 + hdr;
    *payload_len = len - hdr;
    return 0;
}

int ipv6_packet_parse(const uint8_t *frame, size_t len, ipv6_frame *f, const uint8_t **l4, size_t *l4_len)
{
    memset(f, 0, sizeof *f);
    if (len < ETH_HDR_LEN) return CCS_ETRUNC;
    memcpy(f->dst_mac, frame, 6);
    memcpy(f->src_mac, frame + 6, 6);
    size_t off = 12;
    f->ethertype = be16_get(frame + off);
    if (f->ethertype == ETH_TYPE_VLAN) {
        if (len < ETH_HDR_LEN + 4) return CCS_ETRUNC;
        off += 4;
        f->ethertype = be16_get(frame + off);
    }
    if (f->ethertype != ETH_TYPE_IPV6) return CCS_EUNSUPP;
    const uint8_t *ip = frame + off + 2;
    size_t avail = len - off - 2;
    if (avail < IPV6_HDR_LEN) return CCS_ETRUNC;
    uint32_t w = be32_get(ip);
    if (w >> 28 != 6) return CCS_EHEADER;
    f->traffic_class = (uint8_t)(w >> 20);
    f->flow_label = w & 0xfffff;
    size_t ip_len = IPV6_HDR_LEN + be16_get(ip + 4);
    if (ip_len > avail) return CCS_ETRUNC;
    f->hop_limit = ip[7];
    memcpy(f->src, ip + 8, IPV6_ADDR_LEN);
    memcpy(f->dst, ip + 24, IPV6_ADDR_LEN);
    uint8_t proto = ip[6];
    size_t l4_off = IPV6_HDR_LEN;
    int rc = skip_extensions(ip, ip_len, &proto, &l4_off);
    if (rc) return rc;
    f->proto = proto;
    *l4 = ip + l4_off;
    *l4_len = ip_len - l4_off;
    return 0;
}

int ipv6_frame_parse(const uint8_t *frame, size_t len, ipv6_frame *f, const uint8_t **payload,
                     size_t *payload_len)
{
    const uint8_t *l4;
    size_t l4_len;
    int rc = ipv6_packet_parse(frame, len, f, &l4, &l4_len);
    if (rc) return rc;
    if (f->proto != IPV6_PROTO_UDP && f->proto != IPV6_PROTO_TCP) return CCS_EUNSUPP;
    return ipv6_l4_parse(l4, l4_len, f, payload, payload_len);
}
