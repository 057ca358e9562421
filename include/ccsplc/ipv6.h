/* IPv6 for V2G: link-local address rules, text form without libc networking, and Ethernet/IPv6/UDP/TCP
 * frames (build with correct checksums, parse hostile input) for captures and synthetic traffic. */
#ifndef CCSPLC_IPV6_H
#define CCSPLC_IPV6_H
#include <stddef.h>
#include <stdint.h>

#define IPV6_ADDR_LEN 16
#define IPV6_TEXT_MAX 40 /* longest text ipv6_format writes (8 groups of 4 digits, 7 colons) + NUL */

/* ff02::1, the link-local all-nodes multicast group the SDP request goes to (RFC 4291 §2.7.1). */
extern const uint8_t ipv6_all_nodes[IPV6_ADDR_LEN];

/* Nonzero for a unicast link-local address, fe80::/10 (RFC 4291 §2.5.6). */
int ipv6_is_link_local(const uint8_t addr[IPV6_ADDR_LEN]);
/* fe80::/64 with the modified EUI-64 interface identifier of a 48-bit MAC (RFC 4291 §2.5.1, Appendix A):
 * the MAC's universal/local bit flipped and ff:fe inserted in the middle. */
void ipv6_link_local_from_mac(const uint8_t mac[6], uint8_t out[IPV6_ADDR_LEN]);
/* Canonical text (RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as "::",
 * the first one on a tie). Returns the text length, or CCS_ENOSPC when cap is too small for text + NUL. */
int ipv6_format(const uint8_t addr[IPV6_ADDR_LEN], char *buf, size_t cap);
/* Parses len characters of text (RFC 4291 §2.2 forms 1 and 2: hex groups, one "::"; no embedded IPv4 and no
 * "%zone": strip it first). 0 or CCS_ESYNTAX. */
int ipv6_parse(const char *text, size_t len, uint8_t out[IPV6_ADDR_LEN]);

#endif
