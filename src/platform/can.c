/* The CAN backends: a SocketCAN raw socket on an interface, or cannelloni packets over UDP to one peer. */
#include <errno.h>
#include <fcntl.h>
#include <linux/can.h>
#include <linux/can/raw.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/can.h"
#include "ccsplc/linux/log.h"

static int open_socketcan(ccs_can *c, const char *ifname)
{
    struct sockaddr_can a = { .can_family = AF_CAN };
    a.can_ifindex = (int)if_nametoindex(ifname);
    if (!a.can_ifindex) {
        LOG_E("can: %s: no such interface (SocketCAN; for a test bus: ip link add %s type vcan)", ifname, ifname);
        return -1;
    }
    c->fd = socket(PF_CAN, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, CAN_RAW);
    if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&a, sizeof a)) {
        LOG_E("can: %s: %s", ifname, strerror(errno));
        return -1;
    }
    return 0;
}

/* "LPORT:HOST:RPORT" */
static int open_udp(ccs_can *c, const char *spec)
{
    char host[256];
    const char *first = strchr(spec, ':'), *last = strrchr(spec, ':');
    char *end;
    long lport = strtol(spec, &end, 10);
    if (!first || first == last || end != first || lport < 0 || lport > 65535 || (size_t)(last - first - 1) >= sizeof host) {
        LOG_E("can: udp:%s: expected udp:LOCAL_PORT:HOST:REMOTE_PORT", spec);
        return -1;
    }
    memcpy(host, first + 1, (size_t)(last - first - 1));
    host[last - first - 1] = 0;
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM }, *ai;
    int rc = getaddrinfo(host, last + 1, &hints, &ai);
    if (rc) {
        LOG_E("can: udp:%s: %s", spec, gai_strerror(rc));
        return -1;
    }
    memcpy(&c->peer, ai->ai_addr, ai->ai_addrlen);
    c->peer_len = ai->ai_addrlen;
    int family = ai->ai_family;
    freeaddrinfo(ai);
    c->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_storage local;
    memset(&local, 0, sizeof local);
    socklen_t llen;
    if (family == AF_INET6) {
        struct sockaddr_in6 *l6 = (struct sockaddr_in6 *)&local;
        l6->sin6_family = AF_INET6;
        l6->sin6_port = htons((uint16_t)lport);
        llen = sizeof *l6;
    } else {
        struct sockaddr_in *l4 = (struct sockaddr_in *)&local;
        l4->sin_family = AF_INET;
        l4->sin_port = htons((uint16_t)lport);
        llen = sizeof *l4;
    }
    if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&local, llen)) {
        LOG_E("can: udp:%s: port %ld: %s", spec, lport, strerror(errno));
        return -1;
    }
    c->udp = 1;
    return 0;
}

int ccs_can_open(ccs_can *c, const char *spec)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    int rc = strncmp(spec, "udp:", 4) ? open_socketcan(c, spec) : open_udp(c, spec + 4);
    if (rc) ccs_can_close(c);
    return rc;
}

int ccs_can_send(ccs_can *c, const cdm_frame *f, size_t n)
{
    if (c->udp) {
        uint8_t buf[CCS_CANNELLONI_HEADER + CCS_CAN_BATCH * 13];
        size_t len;
        if (!n) return 0;
        if (n > CCS_CAN_BATCH || ccs_cannelloni_encode(f, n, c->seq++, buf, sizeof buf, &len)) return CCS_ENOSPC;
        return sendto(c->fd, buf, len, 0, (struct sockaddr *)&c->peer, c->peer_len) == (ssize_t)len ? 0 : CCS_EIO;
    }
    for (size_t i = 0; i < n; i++) {
        struct can_frame k;
        memset(&k, 0, sizeof k);
        k.can_id = f[i].id & CAN_SFF_MASK;
        k.can_dlc = f[i].len > 8 ? 8 : f[i].len;
        memcpy(k.data, f[i].data, k.can_dlc);
        if (write(c->fd, &k, sizeof k) != (ssize_t)sizeof k) return CCS_EIO;
    }
    return 0;
}

int ccs_can_recv(ccs_can *c, cdm_frame *out, size_t cap, size_t *n)
{
    *n = 0;
    for (;;) {
        if (c->udp) {
            uint8_t buf[2048];
            size_t got;
            ssize_t r = recv(c->fd, buf, sizeof buf, 0);
            if (r < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : CCS_EIO;
            if (ccs_cannelloni_decode(buf, (size_t)r, out + *n, cap - *n, &got) == 0) *n += got;
        } else {
            struct can_frame k;
            ssize_t r = read(c->fd, &k, sizeof k);
            if (r < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : CCS_EIO;
            if (r == (ssize_t)sizeof k && !(k.can_id & (CAN_EFF_FLAG | CAN_RTR_FLAG | CAN_ERR_FLAG))) {
                cdm_frame *f = &out[(*n)++];
                memset(f, 0, sizeof *f);
                f->id = k.can_id & CAN_SFF_MASK;
                f->len = k.can_dlc > 8 ? 8 : k.can_dlc;
                memcpy(f->data, k.data, f->len);
            }
        }
        if (*n >= cap) return 0;
    }
}

void ccs_can_close(ccs_can *c)
{
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
}
