/* Raw Ethernet link on Linux: an AF_PACKET socket bound to one interface, ethertype-filtered, nonblocking;
 * the interface MAC; a blocking frame I/O (poll with timeout) for the modem tools. */
#include "ccsplc/linux/link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/hpgp.h"
#include "ccsplc/core/ipv6.h"
#include "ccsplc/linux/loop.h"

static int name_ok(const char *ifname) { return ifname && ifname[0] && strlen(ifname) < IFNAMSIZ; }

int ccs_link_ifmac(const char *ifname, uint8_t mac[6])
{
    if (!name_ok(ifname)) return CCS_EINVAL;
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) return CCS_EIO;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, ifname, strlen(ifname));
    int rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
    close(fd);
    if (rc < 0) return errno == ENODEV ? CCS_ENOTFOUND : CCS_EIO;
    memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    return 0;
}

static int set_promisc(int fd, int ifindex)
{
    struct packet_mreq mr = { .mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC };
    return setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr);
}

int ccs_link_open(ccs_link *l, const char *ifname, unsigned flags)
{
    if (!l) return CCS_EINVAL;
    memset(l, 0, sizeof *l);
    l->fd = -1;
    if (!name_ok(ifname) || !(flags & (CCS_LINK_HPGP | CCS_LINK_IPV6 | CCS_LINK_ALL))) return CCS_EINVAL;
    l->flags = flags;
    memcpy(l->name, ifname, strlen(ifname));
    unsigned idx = if_nametoindex(ifname);
    if (!idx) return CCS_ENOTFOUND;
    l->ifindex = (int)idx;
    int rc = ccs_link_ifmac(ifname, l->mac);
    if (rc) return rc;
    /* one ethertype: the kernel filters; both or all: every frame, filtered in ccs_link_recv */
    int any = (flags & CCS_LINK_ALL) || ((flags & CCS_LINK_IPV6) && (flags & CCS_LINK_HPGP));
    uint16_t proto = any ? ETH_P_ALL : (flags & CCS_LINK_IPV6) ? ETH_TYPE_IPV6 : HPGP_ETHERTYPE;
    l->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(proto));
    if (l->fd < 0) return CCS_EIO;
    struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(proto), .sll_ifindex = l->ifindex };
    if (bind(l->fd, (struct sockaddr *)&sll, sizeof sll) < 0 ||
        ((flags & CCS_LINK_PROMISC) && set_promisc(l->fd, l->ifindex) < 0)) {
        ccs_link_close(l);
        return CCS_EIO;
    }
    return 0;
}

void ccs_link_close(ccs_link *l)
{
    if (l && l->fd >= 0) close(l->fd);
    if (l) l->fd = -1;
}

int ccs_link_send(ccs_link *l, const uint8_t *frame, size_t len)
{
    if (!l || l->fd < 0 || !frame || len < ETH_HDR_LEN || len > CCS_LINK_FRAME_MAX) return CCS_EINVAL;
    uint8_t pad[HPGP_MIN_FRAME];
    if (len < HPGP_MIN_FRAME) {
        memset(pad, 0, sizeof pad);
        memcpy(pad, frame, len);
        frame = pad;
        len = sizeof pad;
    }
    struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = l->ifindex, .sll_halen = 6 };
    memcpy(sll.sll_addr, frame, 6);
    ssize_t n = sendto(l->fd, frame, len, 0, (struct sockaddr *)&sll, sizeof sll);
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) ? CCS_EAGAIN : CCS_EIO;
    l->tx++;
    if (l->tap) l->tap(l->tap_ctx, 1, frame, len);
    return 0;
}

static int wanted(const ccs_link *l, const uint8_t *frame, size_t len)
{
    if (len < ETH_HDR_LEN) return 0;
    uint16_t type = (uint16_t)(frame[12] << 8 | frame[13]);
    return (l->flags & CCS_LINK_ALL) || ((l->flags & CCS_LINK_HPGP) && type == HPGP_ETHERTYPE) ||
           ((l->flags & CCS_LINK_IPV6) && type == ETH_TYPE_IPV6);
}

int ccs_link_recv(ccs_link *l, uint8_t *buf, size_t cap, size_t *len)
{
    if (!l || l->fd < 0 || !buf || !len) return CCS_EINVAL;
    for (;;) {
        struct sockaddr_ll from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(l->fd, buf, cap, MSG_TRUNC, (struct sockaddr *)&from, &fl);
        if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : CCS_EIO;
        if ((size_t)n > cap) {
            l->rx_oversize++;
            continue;
        }
        if (from.sll_pkttype == PACKET_OUTGOING || !wanted(l, buf, (size_t)n)) {
            l->rx_other++;
            continue;
        }
        l->rx++;
        *len = (size_t)n;
        if (l->tap) l->tap(l->tap_ctx, 0, buf, *len);
        return 1;
    }
}

/* ---- blocking frame I/O over a link ---- */

static int io_send(void *ctx, const uint8_t *frame, size_t len) { return ccs_link_send(ctx, frame, len); }

static int io_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, uint32_t timeout_ms)
{
    ccs_link *l = ctx;
    uint32_t end = ccs_mono_ms() + timeout_ms;
    for (;;) {
        int rc = ccs_link_recv(l, buf, cap, len);
        if (rc != 0) return rc;
        int32_t left = (int32_t)(end - ccs_mono_ms());
        if (left <= 0) return 0;
        struct pollfd p = { .fd = l->fd, .events = POLLIN };
        if (poll(&p, 1, left) < 0 && errno != EINTR) return CCS_EIO;
    }
}

static uint32_t io_now(void *ctx)
{
    (void)ctx;
    return ccs_mono_ms();
}

void ccs_link_frame_io(ccs_link *l, ccs_frame_io *io)
{
    *io = (ccs_frame_io){ .send = io_send, .recv = io_recv, .now = io_now, .ctx = l };
    memcpy(io->mac, l->mac, 6);
}
