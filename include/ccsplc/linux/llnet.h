/* IPv6 link-local sockets on one interface (platform), for SDP and V2GTP: the interface's fe80:: address,
 * UDP sockets (SDP server on port 15118, client on an ephemeral port, datagrams to ff02::1 or a peer), a TCP
 * listener and a non-blocking connect, every address with the interface's scope id. */
#ifndef CCSPLC_LLNET_H
#define CCSPLC_LLNET_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/ipv6.h"
#include "ccsplc/core/slac.h"   /* ccs_random_fn */

/* The interface's link-local address, usable for binding: 0; CCS_EAGAIN while it is still tentative (DAD) or
 * not assigned yet; CCS_ENOTFOUND for an unknown interface; CCS_EIO. *ifindex is set whenever the interface
 * exists. */
int llnet_addr(const char *ifname, uint8_t addr[IPV6_ADDR_LEN], int *ifindex);

/* A non-blocking UDP socket on the interface bound to [addr or ::]:port (port 0: ephemeral), multicast to
 * the interface with hop limit 255 as link-local traffic. 0 or CCS_EIO. */
int llnet_udp_open(int ifindex, const uint8_t *addr, uint16_t port, int *fd);
/* One datagram to [dst%ifindex]:port. 0, CCS_EAGAIN or CCS_EIO. */
int llnet_udp_send(int fd, int ifindex, const uint8_t dst[IPV6_ADDR_LEN], uint16_t port, const uint8_t *buf,
                   size_t len);
/* One datagram: 1 with *len, src and *sport set; 0 when none is waiting; CCS_EIO. Longer ones are cut. */
int llnet_udp_recv(int fd, uint8_t *buf, size_t cap, size_t *len, uint8_t src[IPV6_ADDR_LEN], uint16_t *sport);

/* The SECC's V2GTP port that SDP announces is a dynamic port (IETF RFC 6335: 49152-65535), as ISO 15118-2 and
 * DIN 70121 ask (Josev refuses an SDP answer with another); the kernel's "any free port" (32768-60999 on Linux)
 * is not. */
#define LLNET_DYNAMIC_FIRST 49152u
#define LLNET_DYNAMIC_PORTS 16384u
#define LLNET_BIND_TRIES 64u       /* random ports tried before giving up (each one in use) */

/* A TCP listener on [addr%ifindex]:port, non-blocking (port 0: a random free dynamic port, as
 * llnet_tcp_listen_dynamic with getrandom); *port gets the bound port. 0 or CCS_EIO. */
int llnet_tcp_listen(int ifindex, const uint8_t addr[IPV6_ADDR_LEN], uint16_t *port, int *fd);
/* A listener on a random port of 49152-65535 from rng; a port in use (EADDRINUSE) is replaced by another, at most
 * LLNET_BIND_TRIES in all. 0 with *port, or CCS_EIO. */
int llnet_tcp_listen_dynamic(int ifindex, const uint8_t addr[IPV6_ADDR_LEN], ccs_random_fn rng, void *rng_ctx,
                             uint16_t *port, int *fd);
/* Accept one connection (non-blocking, TCP_NODELAY). 1 with *fd and the peer set, 0 when none waits, CCS_EIO. */
int llnet_tcp_accept(int lfd, int *fd, uint8_t peer[IPV6_ADDR_LEN], uint16_t *peer_port);
/* Start connecting to [addr%ifindex]:port (non-blocking, TCP_NODELAY): 0 with *fd (wait for POLLOUT, then
 * llnet_tcp_connected), or CCS_EIO. */
int llnet_tcp_connect(int ifindex, const uint8_t addr[IPV6_ADDR_LEN], uint16_t port, int *fd);
/* After POLLOUT: 0 connected, CCS_EAGAIN still connecting, CCS_EIO refused or unreachable. */
int llnet_tcp_connected(int fd);
/* The local address and port of a socket. 0 or CCS_EIO. */
int llnet_local(int fd, uint8_t addr[IPV6_ADDR_LEN], uint16_t *port);

#endif
