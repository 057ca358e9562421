/* IPv6 for V2G: link-local address rules, text form without libc networking, and Ethernet/IPv6/UDP/TCP
 * frames (build with correct checksums, parse hostile input) for captures and synthetic traffic. */
#ifndef CCSPLC_IPV6_H
#define CCSPLC_IPV6_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IPV6_ADDR_LEN 16
#define IPV6_TEXT_MAX 40 /* longest text ipv6_format writes (8 groups of 4 digits, 7 colons) + NUL */

/* ff02::1, the link-local all-nodes multicast group the SDP request goes to (RFC 4291 §2.7.1). */
extern const uint8_t ipv6_all_nodes[IPV6_ADDR_LEN];

/* Nonzero for a unicast link-local address, fe80::/10 (RFC 4291 §2.5.6). */
int ipv6_is_link_local(const uint8_t addr[IPV6_ADDR_LEN]);
/* fe80::/64 with the modified EUI-64 interface identifier of a 48-bit MAC (RFC 4291 §2.5.1, Appendix A):
 * the MAC's universal/local bit flipped and ff:fe inserted in the middle. */
void ipv6_link_local_from_mac(const uint8_t mac[6], uint8_t out[IPV6_ADDR_LEN]);
/* The reverse: the MAC of a link-local address with a modified EUI-64 identifier (ff:fe in its middle). 0, or
 * CCS_ENOTFOUND for any other address (privacy or stable identifiers, RFC 8981 / RFC 7217, carry no MAC). */
int ipv6_mac_from_link_local(const uint8_t addr[IPV6_ADDR_LEN], uint8_t mac[6]);
/* Canonical text (RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as "::",
 * the first one on a tie). Returns the text length, or CCS_ENOSPC when cap is too small for text + NUL. */
int ipv6_format(const uint8_t addr[IPV6_ADDR_LEN], char *buf, size_t cap);
/* Parses len characters of text (RFC 4291 §2.2 forms 1 and 2: hex groups, one "::"; no embedded IPv4 and no
 * "%zone": strip it first). 0 or CCS_ESYNTAX. */
int ipv6_parse(const char *text, size_t len, uint8_t out[IPV6_ADDR_LEN]);

/* ---- Ethernet II / IPv6 / UDP or TCP frames ---- */
#define ETH_HDR_LEN 14
#define ETH_TYPE_IPV6 0x86DD
#define ETH_TYPE_VLAN 0x8100     /* 802.1Q tag, skipped by ipv6_frame_parse */
#define ETH_TYPE_HOMEPLUG 0x88E1 /* HomePlug AV / Green PHY management */
#define IPV6_HDR_LEN 40
#define IPV6_PROTO_TCP 6
#define IPV6_PROTO_UDP 17
#define IPV6_PROTO_ICMPV6 58
#define UDP_HDR_LEN 8
#define TCP_HDR_LEN 20 /* without options; ipv6_frame_build writes none */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

/* One frame's headers. Build reads every field but checksum (computed); parse fills them all. */
typedef struct {
    uint8_t dst_mac[6], src_mac[6];
    uint16_t ethertype; /* the one after an 802.1Q tag, if any */
    uint8_t traffic_class;
    uint32_t flow_label; /* 20 bits */
    uint8_t hop_limit;
    uint8_t src[IPV6_ADDR_LEN], dst[IPV6_ADDR_LEN];
    uint8_t proto; /* IPV6_PROTO_UDP or IPV6_PROTO_TCP */
    uint16_t src_port, dst_port;
    uint32_t seq, ack;  /* TCP only */
    uint8_t tcp_flags;  /* TCP only: TCP_FIN ... */
    uint16_t window;    /* TCP only */
    uint16_t checksum;  /* UDP or TCP checksum as found in the frame */
} ipv6_frame;

/* The UDP/TCP checksum (RFC 8200 §8.1 pseudo-header, RFC 1071 sum) of the upper-layer packet l4 (header
 * with its checksum field zeroed, then payload). For UDP a result of 0 is returned as 0xFFFF (RFC 768). */
uint16_t ipv6_l4_checksum(const uint8_t src[IPV6_ADDR_LEN], const uint8_t dst[IPV6_ADDR_LEN], uint8_t proto,
                          const uint8_t *l4, size_t len);
/* Nonzero when the upper-layer packet l4 (checksum field included) carries a correct checksum; a UDP checksum
 * of 0 (none) is wrong over IPv6 (RFC 8200 §8.1). */
int ipv6_l4_verify(const uint8_t src[IPV6_ADDR_LEN], const uint8_t dst[IPV6_ADDR_LEN], uint8_t proto,
                   const uint8_t *l4, size_t len);
/* Writes the Ethernet and IPv6 headers (f's MACs, addresses, proto, hop limit, class, flow label) for an
 * upper-layer packet of l4_len bytes; buf holds at least ETH_HDR_LEN + IPV6_HDR_LEN. Returns that length. */
size_t ipv6_header_build(const ipv6_frame *f, size_t l4_len, uint8_t *buf);
/* Writes Ethernet + IPv6 + UDP/TCP headers with correct lengths and checksum, then the payload.
 * 0, CCS_ENOSPC, or CCS_EINVAL (proto neither UDP nor TCP, or payload too long for IPv6/UDP). */
int ipv6_frame_build(const ipv6_frame *f, const uint8_t *payload, size_t len, uint8_t *buf, size_t cap,
                     size_t *out_len);
/* Parses an Ethernet frame (hostile input; Ethernet padding is cut by the IPv6 length). Returns 0 for
 * IPv6 UDP/TCP with payload and payload_len set inside frame; CCS_EUNSUPP for other well-formed traffic
 * (another ethertype, ICMPv6, fragments, ...; f->ethertype is set whenever the Ethernet header is there);
 * CCS_ETRUNC or CCS_EHEADER for malformed frames. Checksums are not verified (captures of our own
 * transmissions often carry offloaded, unfilled ones). */
int ipv6_frame_parse(const uint8_t *frame, size_t len, ipv6_frame *f, const uint8_t **payload,
                     size_t *payload_len);
/* The first half of ipv6_frame_parse for any upper layer (ICMPv6 too): Ethernet and IPv6 headers into f (the
 * upper-layer protocol in f->proto), the upper-layer packet at *l4 (*l4_len bytes, inside frame). 0 for IPv6,
 * CCS_EUNSUPP for another ethertype, CCS_ETRUNC or CCS_EHEADER for malformed frames. */
int ipv6_packet_parse(const uint8_t *frame, size_t len, ipv6_frame *f, const uint8_t **l4, size_t *l4_len);
/* The second half for UDP or TCP (f->proto): ports, TCP fields and checksum into f, the payload at *payload.
 * 0, CCS_ETRUNC or CCS_EHEADER. */
int ipv6_l4_parse(const uint8_t *l4, size_t len, ipv6_frame *f, const uint8_t **payload, size_t *payload_len);

#ifdef __cplusplus
}
#endif

#endif
