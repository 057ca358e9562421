/* The standard streams of ccsplc: closed fds 0-2 opened on /dev/null at start; for the commands with a live loop,
 * stdout and stderr replaced by stdio streams over bounded non-blocking queues (outq.h) that the loop flushes. */
#include "app_streams.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/linux/log.h"
#include "ccsplc/linux/outq.h"

static ccs_outq outq, logq;
static int live, ended, lost;
static uint32_t log_told;   /* logq.dropped when the last "lines dropped" note went out */

void app_std_fds(void)
{
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int n = open("/dev/null", O_RDWR);   /* the lowest free descriptor: fd itself */
            if (n > fd) close(n);
        }
}

/* One write to stderr: first, when lines were dropped and there is room now, a note saying how many. */
static ssize_t log_write(void *cookie, const char *p, size_t n)
{
    (void)cookie;
    char note[128];
    int k = 0;
    if (logq.dropped != log_told) {
        k = ccs_log_prefix(note, sizeof note, CCS_LOG_WARN);
        k += snprintf(note + k, sizeof note - (size_t)k, "log: %u lines dropped: stderr was not read in time\n",
                      logq.dropped - log_told);
    }
    if (k && logq.len + (size_t)k + n <= logq.cap && ccs_outq_write(&logq, note, (size_t)k) == 0)
        log_told = logq.dropped;
    ccs_outq_write(&logq, p, n);
    return (ssize_t)n;
}

void app_streams_live(void)
{
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    if (live) return;
    fflush(stdout);
    fflush(stderr);
    cookie_io_functions_t fns = { .write = log_write };
    if (ccs_outq_init(&outq, STDOUT_FILENO, APP_OUT_QUEUE, CCS_OUTQ_SHARED) ||
        ccs_outq_init(&logq, STDERR_FILENO, APP_LOG_QUEUE, CCS_OUTQ_SHARED)) {
        ccs_outq_free(&outq);
        return;
    }
    FILE *out = ccs_outq_stream(&outq, 1), *err = fopencookie(&logq, "w", fns);
    if (!out || !err || setvbuf(err, NULL, _IONBF, 0)) {
        if (out) fclose(out);
        if (err) fclose(err);
        ccs_outq_free(&outq);
        ccs_outq_free(&logq);
        return;
    }
    stdout = out;   /* glibc: stdout and stderr are variables a program may set */
    stderr = err;
    live = 1;
}

void app_streams_watch(ccs_loop *loop)
{
    if (!live) return;
    ccs_loop_add_outq(loop, &outq);
    ccs_loop_add_outq(loop, &logq);
}

int app_streams_end(void)
{
    if (!live) return 0;
    if (!ended) {
        ended = 1;
        fflush(stdout);
        ccs_outq_drain(&outq, APP_STREAMS_END_MS);
        lost = outq.dropped || outq.err || ccs_outq_pending(&outq);
        if (outq.err)
            LOG_W("stdout: %s: output after %llu bytes lost", strerror(outq.err), (unsigned long long)outq.written);
        else if (lost)
            LOG_W("stdout: %llu bytes not written: it was not read in time",
                  (unsigned long long)(outq.dropped_bytes + ccs_outq_pending(&outq)));
    }
    log_write(NULL, "", 0);   /* the note on lines dropped, if one is owed */
    ccs_outq_drain(&logq, APP_STREAMS_END_MS);
    return lost;
}
