/* Loopback TCP for in-process sessions: listener, connect + accept, full writes, non-blocking reads. */
#include "ccsplc/linux/tcpio.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"

/* The loopback address of family with port; returns its length. */
static socklen_t loopback(int family, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        a->sin6_port = htons(port);
        return sizeof *a;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a->sin_port = htons(port);
    return sizeof *a;
}

static int listen_on(int family, int *fd, uint16_t *port)
{
    struct sockaddr_storage ss;
    socklen_t len = loopback(family, 0, &ss);
    int s = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return CCS_EIO;
    if (bind(s, (struct sockaddr *)&ss, len) != 0 || listen(s, 1) != 0 ||
        getsockname(s, (struct sockaddr *)&ss, &len) != 0) {
        close(s);
        return CCS_EIO;
    }
    *port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
    *fd = s;
    return 0;
}

int tcpio_listen_loopback(int *fd, uint16_t *port, int *family)
{
    *family = AF_INET6;
    if (listen_on(AF_INET6, fd, port) == 0) return 0;
    *family = AF_INET;
    return listen_on(AF_INET, fd, port);
}

static int nonblocking(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 ? 0 : CCS_EIO;
}

int tcpio_connect_loopback(int lfd, int family, uint16_t port, int *client, int *server)
{
    struct sockaddr_storage ss;
    socklen_t len = loopback(family, port, &ss);
    int c = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c < 0) return CCS_EIO;
    if (connect(c, (struct sockaddr *)&ss, len) != 0) {   /* loopback: the kernel completes it at once */
        close(c);
        return CCS_EIO;
    }
    int s = accept(lfd, NULL, NULL);
    if (s < 0 || nonblocking(c) || nonblocking(s)) {
        close(c);
        if (s >= 0) close(s);
        return CCS_EIO;
    }
    *client = c;
    *server = s;
    return 0;
}

int tcpio_write_all(int fd, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL); /* a peer that reset must not kill us with SIGPIPE */
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            if (poll(&p, 1, 1000) <= 0) return CCS_EIO;
        } else {
            return CCS_EIO;
        }
    }
    return 0;
}

ssize_t tcpio_read(int fd, uint8_t *buf, size_t cap)
{
    ssize_t n = read(fd, buf, cap);
    if (n >= 0) return n;
    return errno == EAGAIN || errno == EINTR ? CCS_EAGAIN : CCS_EIO;
}
