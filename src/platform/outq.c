/* A bounded output queue that never blocks its caller: pieces are queued whole or dropped whole, written as the
 * descriptor takes them (a private non-blocking open file for a pipe, FIFO or terminal; send(MSG_DONTWAIT) for
 * a socket; regular files directly), and a write that fails for good ends the output. */
#include "ccsplc/linux/outq.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"

enum {
    HOW_FILE,   /* a regular file: a write does not wait for a reader */
    HOW_WRITE,  /* write(2) as it is: non-blocking (made so), or not waiting for anyone (/dev/null), or CCS_OUTQ_WAIT */
    HOW_SEND,   /* a socket: send(MSG_DONTWAIT) leaves a shared open file as it is */
    HOW_POLL,   /* a pipe or terminal that could not be made non-blocking: write at most PIPE_BUF once poll says so */
};

/* Make fd's writes non-blocking without touching an open file others may share: 0, or -1 (then HOW_POLL). */
static int make_nonblocking(int fd, int shared)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0) return -1;
    if (!shared) return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    char path[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int nfd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (fl & O_APPEND));
    if (nfd < 0) return -1;
    int cloexec = fcntl(fd, F_GETFD) & FD_CLOEXEC;
    int rc = dup3(nfd, fd, cloexec ? O_CLOEXEC : 0) < 0 ? -1 : 0;
    close(nfd);
    return rc;
}

int ccs_outq_init(ccs_outq *q, int fd, size_t cap, int flags)
{
    memset(q, 0, sizeof *q);
    q->fd = fd;
    q->flags = flags;
    q->cap = cap;
    q->buf = malloc(cap);
    if (!q->buf) return CCS_ENOSPC;
    struct stat st;
    q->how = HOW_WRITE;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) q->how = HOW_FILE;
    else if (flags & CCS_OUTQ_WAIT) q->how = HOW_WRITE;
    else if (S_ISSOCK(st.st_mode)) q->how = HOW_SEND;
    else if (S_ISFIFO(st.st_mode) || (S_ISCHR(st.st_mode) && isatty(fd)))
        q->how = make_nonblocking(fd, flags & CCS_OUTQ_SHARED) ? HOW_POLL : HOW_WRITE;
    return 0;
}

static ssize_t put(const ccs_outq *q, const uint8_t *p, size_t n)
{
    if (q->how == HOW_SEND) return send(q->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (q->how == HOW_POLL) {
        struct pollfd pf = { q->fd, POLLOUT, 0 };
        if (poll(&pf, 1, 0) <= 0) {
            errno = EAGAIN;
            return -1;
        }
        if (n > PIPE_BUF) n = PIPE_BUF;   /* a pipe with room takes PIPE_BUF bytes without waiting */
    }
    return write(q->fd, p, n);
}

/* The output failed for good: nothing more goes out; a whole-pieces file loses its unfinished piece. */
static void fail(ccs_outq *q, int err)
{
    q->err = err ? err : EIO;
    q->dropped_bytes += q->len;
    q->len = q->off = 0;
    if ((q->flags & CCS_OUTQ_WHOLE) && q->how == HOW_FILE && q->written > q->piece_at &&
        ftruncate(q->fd, (off_t)q->piece_at) == 0)
        q->written = q->piece_at;
}

static int wait_writable(const ccs_outq *q, int ms)
{
    struct pollfd pf = { q->fd, POLLOUT, 0 };
    return poll(&pf, 1, ms);
}

int ccs_outq_flush(ccs_outq *q)
{
    while (q->len && !q->err) {
        ssize_t w = put(q, q->buf + q->off, q->len);
        if (w > 0) {
            q->off += (size_t)w;
            q->len -= (size_t)w;
            q->written += (uint64_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!(q->flags & CCS_OUTQ_WAIT)) return CCS_EAGAIN;
            wait_writable(q, -1);
        } else {
            fail(q, w < 0 ? errno : EIO);
        }
    }
    if (!q->len) q->off = 0;
    return q->err ? CCS_EIO : 0;
}

int ccs_outq_writev(ccs_outq *q, const struct iovec *iov, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++) total += iov[i].iov_len;
    if (q->len + total > q->cap) ccs_outq_flush(q);   /* room, perhaps */
    if (!q->err && q->len + total > q->cap && (q->flags & CCS_OUTQ_WAIT)) {   /* nothing dropped: grow */
        uint8_t *b = realloc(q->buf, q->len + total);
        if (b) {
            q->buf = b;
            q->cap = q->len + total;
        }
    }
    if (q->err || q->len + total > q->cap) {
        q->dropped++;
        q->dropped_bytes += total;
        return q->err ? CCS_EIO : CCS_ENOSPC;
    }
    if (q->off + q->len + total > q->cap) {
        memmove(q->buf, q->buf + q->off, q->len);
        q->off = 0;
    }
    q->piece_at = q->written + q->len;
    for (int i = 0; i < n; i++) {
        if (iov[i].iov_len) memcpy(q->buf + q->off + q->len, iov[i].iov_base, iov[i].iov_len);   /* base may be NULL */
        q->len += iov[i].iov_len;
    }
    return ccs_outq_flush(q) == CCS_EIO ? CCS_EIO : 0;
}

int ccs_outq_write(ccs_outq *q, const void *p, size_t n)
{
    struct iovec v = { (void *)p, n };
    return ccs_outq_writev(q, &v, 1);
}

int ccs_outq_drain(ccs_outq *q, int ms)
{
    int rc;
    while ((rc = ccs_outq_flush(q)) == CCS_EAGAIN && ms > 0) {
        int step = ms < 100 ? ms : 100;   /* poll may say "writable" for less room than we need: re-check */
        wait_writable(q, step);
        ms -= step;
    }
    return rc;
}

size_t ccs_outq_pending(const ccs_outq *q) { return q->err ? 0 : q->len; }

void ccs_outq_free(ccs_outq *q)
{
    q->dropped_bytes += ccs_outq_pending(q);   /* never written */
    free(q->buf);
    q->buf = NULL;
    q->cap = q->len = q->off = 0;
}

static ssize_t stream_write(void *cookie, const char *p, size_t n)
{
    ccs_outq_write(cookie, p, n);
    return (ssize_t)n;   /* taken: drops and errors are counted in the queue */
}

FILE *ccs_outq_stream(ccs_outq *q, int line_buffered)
{
    cookie_io_functions_t fns = { .write = stream_write };
    FILE *f = fopencookie(q, "w", fns);
    if (f && setvbuf(f, NULL, line_buffered ? _IOLBF : _IONBF, line_buffered ? 65536 : 0)) {
        fclose(f);
        f = NULL;
    }
    return f;
}
