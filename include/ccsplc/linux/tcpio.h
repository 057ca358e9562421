/* Loopback TCP for in-process sessions (platform): a listener on ::1 (127.0.0.1 when IPv6 is unavailable),
 * a connection to it, non-blocking reads and writes. */
#ifndef CCSPLC_TCPIO_H
#define CCSPLC_TCPIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Listens on an ephemeral loopback port: *family is AF_INET6 or AF_INET. 0 or CCS_EIO. */
int tcpio_listen_loopback(int *fd, uint16_t *port, int *family);
/* Connects to the loopback listener and accepts it: *client and *server are connected, non-blocking. */
int tcpio_connect_loopback(int lfd, int family, uint16_t port, int *client, int *server);
/* Writes all of buf (waiting while the socket is full). 0 or CCS_EIO. */
int tcpio_write_all(int fd, const uint8_t *buf, size_t len);
/* Reads what is there: >0 bytes, 0 at end of stream, CCS_EAGAIN when nothing is ready, CCS_EIO. */
ssize_t tcpio_read(int fd, uint8_t *buf, size_t cap);

#endif
