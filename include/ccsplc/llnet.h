/* IPv6 link-local sockets on one interface (platform), for SDP and V2GTP: the interface's fe80:: address,
 * UDP sockets (SDP server on port 15118, client on an ephemeral port, datagrams to ff02::1 or a peer), a TCP
 * listener and a non-blocking connect, every address with the interface's scope id. */
#ifndef CCSPLC_LLNET_H
#define CCSPLC_LLNET_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/ipv6.h"

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

/* A TCP listener on [addr%ifindex]:port (0: ephemeral), non-blocking; *port gets the bound port. 0 or CCS_EIO. */
int llnet_tcp_listen(int ifindex, const uint8_t addr[IPV6_ADDR_LEN], uint16_t *port, int *fd);
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
