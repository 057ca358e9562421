/* mininet neighbour discovery (RFC 4861): answer solicitations for our address, solicit the peer's MAC before
 * the TCP SYN, learn it from the advertisement. Messages are validated as RFC 4861 §7.1 requires. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "mininet/mininet_int.h"
#include "common/wire.h"

#define ND_NS 135
#define ND_NA 136
#define ND_HOP_LIMIT 255 /* sent with 255 and accepted only with 255: not routed (RFC 4861 §7.1.1) */
#define ND_MSG_LEN 24    /* type, code, checksum, 4 bytes flags/reserved, target address */
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2
#define ND_NA_SOLICITED 0x40
#define ND_NA_OVERRIDE 0x20
#define ND_LEN (ND_MSG_LEN + 8) /* with one link-layer address option */

/* The link-layer address option of the given type: 1 with mac set, 0 if absent, -1 if the options are
 * malformed (a zero length, or past the end). */
static int find_lla(const uint8_t *opt, size_t len, uint8_t type, uint8_t mac[6])
{
    int found = 0;
    while (len) {
        if (len < 2 || opt[1] == 0 || (size_t)opt[1] * 8 > len) return -1;
        size_t olen = (size_t)opt[1] * 8;
        if (opt[0] == type && olen == 8 && !found) {
            memcpy(mac, opt + 2, 6);
            found = 1;
        }
        opt += olen;
        len -= olen;
    }
    return found;
}

static int is_unspecified(const uint8_t ip[IPV6_ADDR_LEN])
{
    for (int i = 0; i < IPV6_ADDR_LEN; i++)
        if (ip[i]) return 0;
    return 1;
}

void mn_nd_input(mininet *n, const ipv6_frame *f, const uint8_t *icmp, size_t len)
{
    uint8_t mac[6];
    if (len < ND_MSG_LEN || (icmp[0] != ND_NS && icmp[0] != ND_NA) || icmp[1] != 0 || f->hop_limit != ND_HOP_LIMIT ||
        icmp[8] == 0xff) { /* not ND, or invalid; a multicast target is invalid too */
        n->stats.rx_dropped++;
        return;
    }
    const uint8_t *target = icmp + 8;
    int lla = find_lla(icmp + ND_MSG_LEN, len - ND_MSG_LEN, icmp[0] == ND_NS ? ND_OPT_SLLA : ND_OPT_TLLA, mac);
    if (lla < 0) {
        n->stats.rx_dropped++;
        return;
    }
    if (icmp[0] == ND_NS) {
        if (memcmp(target, n->ip, IPV6_ADDR_LEN)) return; /* not for our address */
        if (is_unspecified(f->src)) { /* duplicate address detection: answer all nodes (RFC 4861 §7.2.4) */
            memcpy(n->na_ip, ipv6_all_nodes, IPV6_ADDR_LEN);
            mn_multicast_mac(ipv6_all_nodes, n->na_mac);
            n->na_solicited = 0;
        } else {
            memcpy(n->na_ip, f->src, IPV6_ADDR_LEN);
            memcpy(n->na_mac, lla ? mac : f->src_mac, 6);
            n->na_solicited = 1;
        }
        n->na_due = 1;
        n->stats.ns_answered++;
        /* the asker's MAC from its option goes to our one-entry neighbour cache (§7.2.3): the charger that
         * answers SDP usually asks for us first, and then the connection needs no solicitation of its own */
        if (lla && !is_unspecified(f->src) &&
            (n->state == MININET_TCP_CLOSED || !memcmp(f->src, n->peer_ip, IPV6_ADDR_LEN))) {
            memcpy(n->peer_ip, f->src, IPV6_ADDR_LEN);
            memcpy(n->peer_mac, mac, 6);
            n->peer_mac_known = 1;
            n->ns_due = 0;
            mn_tcp_resolved(n);
        }
        return;
    }
    if (memcmp(target, n->peer_ip, IPV6_ADDR_LEN) || n->peer_mac_known || n->state != MININET_TCP_RESOLVING) return;
    memcpy(n->peer_mac, lla ? mac : f->src_mac, 6);
    n->peer_mac_known = 1;
    n->ns_due = 0;
    mn_tcp_resolved(n);
}

/* An NS (to the peer's solicited-node group) or NA (to who asked) with our MAC as the option. */
static size_t build(mininet *n, uint8_t type)
{
    ipv6_frame f;
    uint8_t dst[IPV6_ADDR_LEN], mac[6];
    if (type == ND_NS) {
        mn_solicited_node(n->peer_ip, dst);
        mn_multicast_mac(dst, mac);
    } else {
        memcpy(dst, n->na_ip, IPV6_ADDR_LEN);
        memcpy(mac, n->na_mac, 6);
    }
    mn_header(n, &f, mac, dst, IPV6_PROTO_ICMPV6, ND_HOP_LIMIT);
    uint8_t *icmp = n->frame + ipv6_header_build(&f, ND_LEN, n->frame);
    memset(icmp, 0, ND_LEN);
    icmp[0] = type;
    if (type == ND_NS) {
        memcpy(icmp + 8, n->peer_ip, IPV6_ADDR_LEN);
        icmp[ND_MSG_LEN] = ND_OPT_SLLA;
    } else {
        icmp[4] = (uint8_t)((n->na_solicited ? ND_NA_SOLICITED : 0) | ND_NA_OVERRIDE);
        memcpy(icmp + 8, n->ip, IPV6_ADDR_LEN);
        icmp[ND_MSG_LEN] = ND_OPT_TLLA;
    }
    icmp[ND_MSG_LEN + 1] = 1; /* in units of 8 bytes */
    memcpy(icmp + ND_MSG_LEN + 2, n->mac, 6);
    be16_put(icmp + 2, ipv6_l4_checksum(f.src, f.dst, IPV6_PROTO_ICMPV6, icmp, ND_LEN));
    return ETH_HDR_LEN + IPV6_HDR_LEN + ND_LEN;
}

size_t mn_nd_output(mininet *n)
{
    if (n->na_due) {
        n->na_due = 0;
        return build(n, ND_NA);
    }
    if (n->ns_due) {
        n->ns_due = 0;
        return build(n, ND_NS);
    }
    return 0;
}

void mn_nd_start(mininet *n, uint32_t now_ms)
{
    n->peer_mac_known = 0;
    n->ns_due = 1;
    n->nd_tries = 1;
    n->nd_deadline = now_ms + MININET_ND_RETRANS_MS;
}

void mn_nd_poll(mininet *n, uint32_t now_ms)
{
    if (n->state != MININET_TCP_RESOLVING || !TIME_DUE(now_ms, n->nd_deadline)) return;
    if (n->nd_tries >= MININET_ND_TRIES) { /* no answer: the address is unreachable (RFC 4861 §7.3.3) */
        mn_tcp_closed(n, CCS_ETIMEOUT);
        return;
    }
    n->nd_tries++;
    n->ns_due = 1;
    n->nd_deadline = now_ms + MININET_ND_RETRANS_MS;
}
