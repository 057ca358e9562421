/* Internal to src/mininet: what the IPv6/UDP core, neighbour discovery and TCP files share. */
#ifndef CCSPLC_MININET_INT_H
#define CCSPLC_MININET_INT_H
#include "ccsplc/core/mininet.h"

#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define TIME_DUE(now, t) ((int32_t)((uint32_t)(now) - (uint32_t)(t)) >= 0)

/* f's Ethernet and IPv6 header fields for a packet from us to dst_ip at dst_mac. */
void mn_header(const mininet *n, ipv6_frame *f, const uint8_t dst_mac[6], const uint8_t dst_ip[IPV6_ADDR_LEN],
               uint8_t proto, uint8_t hop_limit);
/* The Ethernet multicast address of an IPv6 multicast address (RFC 2464 §7). */
void mn_multicast_mac(const uint8_t ip[IPV6_ADDR_LEN], uint8_t mac[6]);
/* The solicited-node multicast address of ip, ff02::1:ffXX:XXXX (RFC 4291 §2.7.1). */
void mn_solicited_node(const uint8_t ip[IPV6_ADDR_LEN], uint8_t out[IPV6_ADDR_LEN]);

/* Neighbour discovery (mininet_nd.c). */
void mn_nd_input(mininet *n, const ipv6_frame *f, const uint8_t *icmp, size_t len);
size_t mn_nd_output(mininet *n); /* a due NA or NS into n->frame; its length, or 0 */
void mn_nd_poll(mininet *n, uint32_t now_ms);
void mn_nd_start(mininet *n, uint32_t now_ms);

/* TCP (mininet_tcp.c). */
void mn_tcp_input(mininet *n, const ipv6_frame *f, const uint8_t *payload, size_t len, uint32_t now_ms);
size_t mn_tcp_output(mininet *n, uint32_t now_ms);
void mn_tcp_poll(mininet *n, uint32_t now_ms);
void mn_tcp_resolved(mininet *n); /* the peer's MAC is known: SYN */
void mn_tcp_closed(mininet *n, int reason);

#endif
