/* Link-local IPv6 UDP and TCP sockets on one interface: address lookup (waiting out DAD), SDP datagrams,
 * the V2GTP listener and connect, all scoped to the interface index. */
#include "ccsplc/linux/llnet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/random.h"

static struct sockaddr_in6 sa6(int ifindex, const uint8_t *addr, uint16_t port)
{
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    if (addr) memcpy(&a.sin6_addr, addr, IPV6_ADDR_LEN);
    a.sin6_scope_id = (uint32_t)ifindex;
    return a;
}

static int sock(int type, int *fd)
{
    *fd = socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    return *fd < 0 ? CCS_EIO : 0;
}

static int fail(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
    return CCS_EIO;
}

/* A tentative address cannot be bound yet: binding tells usable from tentative without netlink. */
static int bindable(int ifindex, const uint8_t addr[IPV6_ADDR_LEN])
{
    int fd;
    if (sock(SOCK_DGRAM, &fd)) return CCS_EIO;
    struct sockaddr_in6 a = sa6(ifindex, addr, 0);
    int rc = bind(fd, (struct sockaddr *)&a, sizeof a) == 0 ? 0 : errno == EADDRNOTAVAIL ? CCS_EAGAIN : CCS_EIO;
    close(fd);
    return rc;
}

int llnet_addr(const char *ifname, uint8_t addr[IPV6_ADDR_LEN], int *ifindex)
{
    unsigned idx = ifname ? if_nametoindex(ifname) : 0;
    if (!idx) return CCS_ENOTFOUND;
    *ifindex = (int)idx;
    struct ifaddrs *list, *i;
    if (getifaddrs(&list) != 0) return CCS_EIO;
    int rc = CCS_EAGAIN;
    for (i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET6 || strcmp(i->ifa_name, ifname)) continue;
        const uint8_t *a = ((const struct sockaddr_in6 *)i->ifa_addr)->sin6_addr.s6_addr;
        if (!ipv6_is_link_local(a)) continue;
        memcpy(addr, a, IPV6_ADDR_LEN);
        rc = bindable(*ifindex, addr);
        break;
    }
    freeifaddrs(list);
    return rc;
}

int llnet_udp_open(int ifindex, const uint8_t *addr, uint16_t port, int *fd)
{
    if (sock(SOCK_DGRAM, fd)) return CCS_EIO;
    int one = 1, hops = 255, idx = ifindex;
    struct sockaddr_in6 a = sa6(addr ? ifindex : 0, addr, port);
    char name[IF_NAMESIZE];
    if (setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        setsockopt(*fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof idx) ||
        setsockopt(*fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops) ||
        setsockopt(*fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof hops) || !if_indextoname((unsigned)ifindex, name) ||
        setsockopt(*fd, SOL_SOCKET, SO_BINDTODEVICE, name, (socklen_t)strlen(name)) ||
        bind(*fd, (struct sockaddr *)&a, sizeof a))
        return fail(fd);
    return 0;
}

int llnet_udp_send(int fd, int ifindex, const uint8_t dst[IPV6_ADDR_LEN], uint16_t port, const uint8_t *buf,
                   size_t len)
{
    struct sockaddr_in6 a = sa6(ifindex, dst, port);
    if (sendto(fd, buf, len, 0, (struct sockaddr *)&a, sizeof a) == (ssize_t)len) return 0;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS ? CCS_EAGAIN : CCS_EIO;
}

int llnet_udp_recv(int fd, uint8_t *buf, size_t cap, size_t *len, uint8_t src[IPV6_ADDR_LEN], uint16_t *sport)
{
    struct sockaddr_in6 a;
    socklen_t al = sizeof a;
    ssize_t n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&a, &al);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : CCS_EIO;
    *len = (size_t)n;
    memcpy(src, &a.sin6_addr, IPV6_ADDR_LEN);
    *sport = ntohs(a.sin6_port);
    return 1;
}

static int nodelay(int fd)
{
    int one = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) ? CCS_EIO : 0;
}

int llnet_local(int fd, uint8_t addr[IPV6_ADDR_LEN], uint16_t *port)
{
    struct sockaddr_in6 a;
    socklen_t al = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &al) != 0 || a.sin6_family != AF_INET6) return CCS_EIO;
    if (addr) memcpy(addr, &a.sin6_addr, IPV6_ADDR_LEN);
    if (port) *port = ntohs(a.sin6_port);
    return 0;
}

/* A listener on exactly that port: 0, CCS_EAGAIN when the port is in use, CCS_EIO. */
static int listen_on(int ifindex, const uint8_t addr[IPV6_ADDR_LEN], uint16_t port, int *fd)
{
    if (sock(SOCK_STREAM, fd)) return CCS_EIO;
    int one = 1;
    struct sockaddr_in6 a = sa6(ifindex, addr, port);
    if (setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one)) return fail(fd);
    if (bind(*fd, (struct sockaddr *)&a, sizeof a) || listen(*fd, 4)) {
        int in_use = errno == EADDRINUSE;
        fail(fd);
        return in_use ? CCS_EAGAIN : CCS_EIO;
    }
    return 0;
}

int llnet_tcp_listen_dynamic(int ifindex, const uint8_t addr[IPV6_ADDR_LEN], ccs_random_fn rng, void *rng_ctx,
                             uint16_t *port, int *fd)
{
    int rc = CCS_EIO;
    for (unsigned i = 0; i < LLNET_BIND_TRIES; i++) {
        uint8_t r[2];
        if (rng(rng_ctx, r, sizeof r) != 0) return CCS_ERANDOM;
        uint16_t p = (uint16_t)(LLNET_DYNAMIC_FIRST + ((r[0] << 8 | r[1]) % LLNET_DYNAMIC_PORTS));
        rc = listen_on(ifindex, addr, p, fd);
        if (rc != CCS_EAGAIN) {
            if (!rc) *port = p;
            return rc;
        }
    }
    return CCS_EIO;   /* every port tried was in use */
}

int llnet_tcp_listen(int ifindex, const uint8_t addr[IPV6_ADDR_LEN], uint16_t *port, int *fd)
{
    if (!*port) return llnet_tcp_listen_dynamic(ifindex, addr, ccs_random_getrandom, NULL, port, fd);
    int rc = listen_on(ifindex, addr, *port, fd);
    return rc ? CCS_EIO : 0;
}

int llnet_tcp_accept(int lfd, int *fd, uint8_t peer[IPV6_ADDR_LEN], uint16_t *peer_port)
{
    struct sockaddr_in6 a;
    socklen_t al = sizeof a;
    int c = accept4(lfd, (struct sockaddr *)&a, &al, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (c < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED ? 0 : CCS_EIO;
    if (nodelay(c)) return fail(&c);
    *fd = c;
    memcpy(peer, &a.sin6_addr, IPV6_ADDR_LEN);
    *peer_port = ntohs(a.sin6_port);
    return 1;
}

int llnet_tcp_connect(int ifindex, const uint8_t addr[IPV6_ADDR_LEN], uint16_t port, int *fd)
{
    if (sock(SOCK_STREAM, fd)) return CCS_EIO;
    struct sockaddr_in6 a = sa6(ifindex, addr, port);
    if (nodelay(*fd) || (connect(*fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS))
        return fail(fd);
    return 0;
}

int llnet_tcp_connected(int fd)
{
    int err = 0;
    socklen_t el = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0) return CCS_EIO;
    if (err == EINPROGRESS || err == EALREADY) return CCS_EAGAIN;
    return err ? CCS_EIO : 0;
}
