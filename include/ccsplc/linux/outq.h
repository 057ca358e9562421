/* Output that never blocks a control loop (platform): a bounded queue in front of a file descriptor — the log on
 * stderr, results on stdout, a --pcap file or FIFO. A piece is queued whole or dropped whole (counted) when the
 * queue is full; the loop (ccs_loop_add_outq) writes the rest when the descriptor can take it. A write that
 * fails for good (EPIPE: the reader is gone, ENOSPC, EFBIG, ...) ends the output and is kept in err. */
#ifndef CCSPLC_OUTQ_H
#define CCSPLC_OUTQ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/uio.h>

enum {
    CCS_OUTQ_WAIT = 1,    /* writes wait until the descriptor takes them: nothing is dropped (a file source) */
    CCS_OUTQ_SHARED = 2,  /* the descriptor's open file may be shared (stdin/out/err of a shell): a pipe, FIFO or
                           * terminal is reopened privately non-blocking (/proc/self/fd/N) and put in its place */
    CCS_OUTQ_WHOLE = 4,   /* a regular file written from offset 0 keeps only whole pieces: one that fails half
                           * written is cut off again (a capture stays readable up to its last block) */
};

typedef struct ccs_outq {
    int fd;
    int flags;
    int how;                  /* internal: how a write avoids blocking on this kind of descriptor */
    uint8_t *buf;
    size_t cap, off, len;     /* pending bytes: buf[off .. off + len) */
    uint64_t written;         /* bytes the descriptor took */
    uint64_t dropped_bytes;
    uint32_t dropped;         /* pieces dropped: no room, or after an error */
    int err;                  /* errno of the write that failed for good; 0: none */
    uint64_t piece_at;        /* CCS_OUTQ_WHOLE: where the newest piece starts in the output */
} ccs_outq;

/* A queue of cap bytes on fd (see the flags). 0 or CCS_ENOSPC (no memory). */
int ccs_outq_init(ccs_outq *q, int fd, size_t cap, int flags);
/* Queue one piece (the buffers in order) whole, then write what the descriptor takes now. 0; CCS_ENOSPC: dropped
 * (no room); CCS_EIO: the output has failed (q->err). */
int ccs_outq_writev(ccs_outq *q, const struct iovec *iov, int n);
int ccs_outq_write(ccs_outq *q, const void *p, size_t n);
/* Write what the descriptor takes now. 0: empty; CCS_EAGAIN: bytes remain; CCS_EIO: failed (q->err). */
int ccs_outq_flush(ccs_outq *q);
/* Flush, waiting up to ms for the descriptor (at the end of a program). 0 when empty, else as ccs_outq_flush. */
int ccs_outq_drain(ccs_outq *q, int ms);
/* Bytes waiting for the descriptor (0 once it failed: they will never go). */
size_t ccs_outq_pending(const ccs_outq *q);
/* The buffer freed (the descriptor stays open); what it still held counts as dropped. */
void ccs_outq_free(ccs_outq *q);
/* A stdio stream whose writes go into q, line-buffered or (unbuffered) one piece per call, never failing (drops
 * and errors are counted in q). NULL when it cannot be made. */
FILE *ccs_outq_stream(ccs_outq *q, int line_buffered);

#endif
