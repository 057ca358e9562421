/* The output queue that never blocks a control loop (outq.h): a reader that stops reading costs whole pieces,
 * counted, never a wait; what it gets is every other piece whole and in order; a reader that goes away (EPIPE), a
 * full device (ENOSPC) or a file size limit (EFBIG) end the output, a regular file keeping its last whole piece;
 * a shared descriptor is made non-blocking on a private copy only; the loop writes the backlog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/loop.h"
#include "ccsplc/linux/outq.h"

#define PIECE 100

/* A pipe of one page (the smallest), read end p[0], write end p[1]. */
static void small_pipe(int p[2])
{
    assert_int_equal(pipe(p), 0);
    assert_true(fcntl(p[1], F_SETPIPE_SZ, 4096) >= 4096);
}

/* Piece i: PIECE bytes, "#<i>" then the letter of i repeated. */
static void piece(unsigned i, char out[PIECE])
{
    memset(out, 'a' + (int)(i % 26), PIECE);
    int n = snprintf(out, PIECE, "#%u:", i);
    out[n] = 'a' + (int)(i % 26); /* (snprintf's NUL overwritten) */
}

/* Reads all the pipe holds; checks it is whole pieces with rising numbers; their count. */
static unsigned read_pieces(int fd, unsigned *last)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    static char buf[1 << 16];
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd, buf + n, sizeof buf - n)) > 0) n += (size_t)r;
    assert_int_equal(n % PIECE, 0);
    unsigned count = 0;
    for (size_t k = 0; k < n; k += PIECE, count++) {
        unsigned i;
        char want[PIECE];
        assert_int_equal(sscanf(buf + k, "#%u:", &i), 1);
        assert_true(count == 0 && *last == ~0u ? 1 : i > *last);
        piece(i, want);
        assert_memory_equal(buf + k, want, PIECE);
        *last = i;
    }
    return count;
}

static void a_stalled_reader_costs_whole_pieces_never_a_wait(void **state)
{
    (void)state;
    int p[2];
    small_pipe(p);
    ccs_outq q;
    assert_int_equal(ccs_outq_init(&q, p[1], 10 * PIECE, 0), 0);
    unsigned ok = 0, dropped = 0, got = 0, last = ~0u;
    char buf[PIECE];
    for (unsigned i = 0; i < 200; i++) { /* 20 000 bytes into a 4 KiB pipe and a 1 000-byte queue: no wait */
        piece(i, buf);
        int rc = ccs_outq_write(&q, buf, PIECE);
        assert_true(rc == 0 || rc == CCS_ENOSPC);
        rc ? dropped++ : ok++;
    }
    assert_int_equal(q.dropped, dropped);
    assert_int_equal(q.dropped_bytes, (uint64_t)dropped * PIECE);
    assert_true(dropped > 0 && ok >= 10 + 4096 / PIECE - 1);
    assert_int_equal(ccs_outq_pending(&q), 10 * PIECE); /* the queue full */
    got += read_pieces(p[0], &last);                     /* the reader goes on */
    assert_int_equal(ccs_outq_flush(&q), 0);
    got += read_pieces(p[0], &last);
    assert_int_equal(got, ok);        /* every piece not dropped arrived, whole and in order */
    assert_int_equal(q.written, (uint64_t)ok * PIECE);
    ccs_outq_free(&q);
    close(p[0]);
    close(p[1]);
}

static void a_reader_gone_ends_the_output(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    small_pipe(p);
    ccs_outq q;
    assert_int_equal(ccs_outq_init(&q, p[1], 1024, 0), 0);
    close(p[0]);
    assert_int_equal(ccs_outq_write(&q, "x\n", 2), CCS_EIO);
    assert_int_equal(q.err, EPIPE);
    assert_int_equal(ccs_outq_write(&q, "y\n", 2), CCS_EIO); /* and stays ended: counted */
    assert_int_equal(q.dropped, 1);
    assert_int_equal(ccs_outq_pending(&q), 0);
    ccs_outq_free(&q);
    close(p[1]);
    int full = open("/dev/full", O_WRONLY);
    if (full < 0) skip();
    assert_int_equal(ccs_outq_init(&q, full, 1024, 0), 0);
    assert_int_equal(ccs_outq_write(&q, "z\n", 2), CCS_EIO);
    assert_int_equal(q.err, ENOSPC);
    ccs_outq_free(&q);
    close(full);
}

/* A regular file that cannot grow (here: RLIMIT_FSIZE, with SIGXFSZ ignored as the live commands do; a full disk
 * is the same) ends with its last whole piece, not part of one. */
static void a_file_that_cannot_grow_keeps_whole_pieces(void **state)
{
    (void)state;
    char path[] = "/tmp/ccs_outq_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    ccs_outq q;
    assert_int_equal(ccs_outq_init(&q, fd, 4096, CCS_OUTQ_WHOLE), 0);
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 1050; /* 10 pieces and half of one; no assertion (no output) until restored */
    signal(SIGXFSZ, SIG_IGN);
    int set = setrlimit(RLIMIT_FSIZE, &lim);
    char buf[PIECE];
    int rc = 0;
    unsigned i = 0;
    for (; i < 20 && rc == 0 && set == 0; i++) {
        piece(i, buf);
        rc = ccs_outq_write(&q, buf, PIECE);
    }
    setrlimit(RLIMIT_FSIZE, &old);
    assert_int_equal(set, 0);
    assert_int_equal(rc, CCS_EIO);
    assert_int_equal(q.err, EFBIG);
    assert_int_equal(i, 11); /* the 11th piece did not fit */
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_size, 10 * PIECE); /* cut back to the 10 whole ones */
    assert_int_equal(q.written, 10 * PIECE);
    ccs_outq_free(&q);
    close(fd);
}

/* stdout or stderr of a shell may share its open file with the shell and others: only our descriptor becomes
 * non-blocking (a private open of the same pipe), the shared open file stays as it was. */
static void a_shared_descriptor_stays_blocking_for_the_others(void **state)
{
    (void)state;
    int p[2];
    small_pipe(p);
    int shell = dup(p[1]); /* what the shell keeps */
    ccs_outq q;
    assert_int_equal(ccs_outq_init(&q, p[1], 1024, CCS_OUTQ_SHARED), 0);
    assert_true(fcntl(p[1], F_GETFL) & O_NONBLOCK);
    assert_false(fcntl(shell, F_GETFL) & O_NONBLOCK);
    assert_int_equal(ccs_outq_write(&q, "same pipe\n", 10), 0);
    char buf[16];
    assert_int_equal(read(p[0], buf, sizeof buf), 10);
    ccs_outq_free(&q);
    close(shell);
    close(p[0]);
    close(p[1]);
}

/* A stdio stream on the queue, unbuffered: each fprintf is one piece, kept or dropped whole. */
static void a_stream_writes_one_piece_per_call(void **state)
{
    (void)state;
    int p[2];
    small_pipe(p);
    ccs_outq q;
    assert_int_equal(ccs_outq_init(&q, p[1], 64, 0), 0);
    char fill[4096];
    memset(fill, '.', sizeof fill);
    assert_int_equal(ccs_outq_write(&q, fill, sizeof fill), CCS_ENOSPC); /* bigger than the queue */
    assert_int_equal(write(p[1], fill, sizeof fill), (ssize_t)sizeof fill); /* the pipe full */
    FILE *f = ccs_outq_stream(&q, 0);
    assert_non_null(f);
    fprintf(f, "%s %d\n", "a line of some length that does not fit in the queue of 64 bytes at all", 1);
    fprintf(f, "%s\n", "short");
    fprintf(f, "%s\n", "tail");
    assert_int_equal(q.dropped, 2);
    assert_int_equal(ccs_outq_pending(&q), 11);
    char buf[8192];
    assert_int_equal(read(p[0], buf, sizeof buf), 4096);
    assert_int_equal(ccs_outq_flush(&q), 0);
    assert_int_equal(read(p[0], buf, sizeof buf), 11);
    assert_memory_equal(buf, "short\ntail\n", 11);
    fclose(f);
    ccs_outq_free(&q);
    close(p[0]);
    close(p[1]);
}

static int drained;
static void drain_reader(ccs_loop *loop, void *ctx)
{
    (void)loop;
    char buf[8192];
    ssize_t r = read(*(int *)ctx, buf, sizeof buf);
    drained += r > 0 ? (int)r : 0;
}
static void stop_at(ccs_loop *loop, void *ctx)
{
    (void)ctx;
    ccs_loop_stop(loop, 1);
}

/* The loop writes the backlog once the descriptor takes more. */
static void the_loop_writes_the_backlog(void **state)
{
    (void)state;
    int p[2];
    small_pipe(p);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    ccs_outq q;
    assert_int_equal(ccs_outq_init(&q, p[1], 8192, 0), 0);
    char fill[6000];
    memset(fill, '-', sizeof fill);
    assert_int_equal(ccs_outq_write(&q, fill, sizeof fill), 0);
    assert_true(ccs_outq_pending(&q) > 0); /* the pipe took at most 4096 */
    static ccs_loop loop;
    ccs_timer rd, end;
    ccs_loop_init(&loop);
    assert_int_equal(ccs_loop_add_outq(&loop, &q), 0);
    drained = 0;
    ccs_loop_timer_at(&loop, &rd, ccs_loop_now(&loop), drain_reader, &p[0]);
    ccs_loop_timer_at(&loop, &end, ccs_loop_now(&loop) + 50, stop_at, NULL);
    while (ccs_outq_pending(&q) && ccs_loop_run(&loop) == 1) { /* a reader that reads once, then more passes */
        ccs_loop_timer_at(&loop, &rd, ccs_loop_now(&loop), drain_reader, &p[0]);
        ccs_loop_timer_at(&loop, &end, ccs_loop_now(&loop) + 50, stop_at, NULL);
    }
    assert_int_equal(ccs_outq_pending(&q), 0);
    drain_reader(&loop, &p[0]);
    assert_int_equal(drained, 6000);
    ccs_loop_remove_outq(&loop, &q);
    assert_int_equal(loop.noutq, 0);
    ccs_outq_free(&q);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_stalled_reader_costs_whole_pieces_never_a_wait),
        cmocka_unit_test(a_reader_gone_ends_the_output),
        cmocka_unit_test(a_file_that_cannot_grow_keeps_whole_pieces),
        cmocka_unit_test(a_shared_descriptor_stays_blocking_for_the_others),
        cmocka_unit_test(a_stream_writes_one_piece_per_call),
        cmocka_unit_test(the_loop_writes_the_backlog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
