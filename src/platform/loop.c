/* The poll(2) event loop: fd watches with callbacks, caller-owned timers on CLOCK_MONOTONIC milliseconds,
 * output queues flushed when their descriptors can take more, and a signalfd that stops the loop on every
 * signal that would otherwise end the process. */
#include "ccsplc/linux/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/outq.h"

uint32_t ccs_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

void ccs_loop_init(ccs_loop *loop)
{
    memset(loop, 0, sizeof *loop);
    loop->t0 = ccs_mono_ms();
    loop->signal_fd = -1;
}

/* The signals whose default action ends the process (signal(7)), besides the real-time ones and the faults. */
static const struct {
    int sig;
    const char *name;
} stop_signals[] = {
    {SIGHUP, "SIGHUP"},       {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"}, {SIGTERM, "SIGTERM"},
    {SIGUSR1, "SIGUSR1"},     {SIGUSR2, "SIGUSR2"}, {SIGALRM, "SIGALRM"}, {SIGVTALRM, "SIGVTALRM"},
    {SIGPROF, "SIGPROF"},     {SIGXCPU, "SIGXCPU"}, {SIGIO, "SIGIO"},
#ifdef SIGPWR
    {SIGPWR, "SIGPWR"},
#endif
#ifdef SIGSTKFLT
    {SIGSTKFLT, "SIGSTKFLT"},
#endif
};
#define NSTOP (sizeof stop_signals / sizeof stop_signals[0])
static int hup_ignored = -1;   /* SIGHUP was ignored when the first loop took the signals (nohup): it stays so */

const char *ccs_signal_name(int sig, char buf[16])
{
    for (size_t i = 0; i < NSTOP; i++)
        if (stop_signals[i].sig == sig) return stop_signals[i].name;
    if (sig >= SIGRTMIN && sig <= SIGRTMAX) snprintf(buf, 16, "SIGRTMIN+%d", sig - SIGRTMIN);
    else snprintf(buf, 16, "signal %d", sig);
    return buf;
}

static void signal_set(sigset_t *s)
{
    sigemptyset(s);
    for (size_t i = 0; i < NSTOP; i++)
        if (stop_signals[i].sig != SIGHUP || !hup_ignored) sigaddset(s, stop_signals[i].sig);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) sigaddset(s, sig);
}

/* Each signal read from the signalfd: logged and kept; 1 when there was one. */
static int take_signals(ccs_loop *loop)
{
    struct signalfd_siginfo si;
    int any = 0;
    while (read(loop->signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        char buf[16];
        LOG_I("signal: %s", ccs_signal_name((int)si.ssi_signo, buf));
        loop->last_signal = (int)si.ssi_signo;
        any = 1;
    }
    return any;
}

void ccs_loop_close(ccs_loop *loop)
{
    if (loop->signal_fd < 0) return;
    take_signals(loop);   /* pending ones would end the process once unblocked */
    ccs_loop_remove_fd(loop, loop->signal_fd);
    close(loop->signal_fd);
    loop->signal_fd = -1;
    sigset_t s;
    signal_set(&s);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
}

uint32_t ccs_loop_now(const ccs_loop *loop) { return ccs_mono_ms() - loop->t0; }

static int find_fd(const ccs_loop *loop, int fd)
{
    for (int i = 0; i < loop->nfds; i++)
        if (loop->watch[i].fd == fd) return i;
    return -1;
}

int ccs_loop_add_fd(ccs_loop *loop, int fd, short events, ccs_loop_fd_fn fn, void *ctx)
{
    int i = find_fd(loop, fd);
    if (i < 0) {
        if (loop->nfds >= CCS_LOOP_MAX_FDS) return CCS_ENOSPC;
        i = loop->nfds++;
    }
    loop->watch[i] = (ccs_loop_watch){ fd, events, fn, ctx };
    return 0;
}

int ccs_loop_set_events(ccs_loop *loop, int fd, short events)
{
    int i = find_fd(loop, fd);
    if (i < 0) return CCS_ENOTFOUND;
    loop->watch[i].events = events;
    return 0;
}

void ccs_loop_remove_fd(ccs_loop *loop, int fd)
{
    int i = find_fd(loop, fd);
    if (i < 0) return;
    loop->watch[i] = loop->watch[--loop->nfds];
}

static int find_timer(const ccs_loop *loop, const ccs_timer *t)
{
    for (int i = 0; i < loop->ntimers; i++)
        if (loop->timer[i] == t) return i;
    return -1;
}

int ccs_loop_timer_at(ccs_loop *loop, ccs_timer *t, uint32_t at_ms, ccs_loop_timer_fn fn, void *ctx)
{
    if (find_timer(loop, t) < 0) {
        if (loop->ntimers >= CCS_LOOP_MAX_TIMERS) return CCS_ENOSPC;
        loop->timer[loop->ntimers++] = t;
    }
    *t = (ccs_timer){ at_ms, fn, ctx };
    return 0;
}

void ccs_loop_timer_stop(ccs_loop *loop, ccs_timer *t)
{
    int i = find_timer(loop, t);
    if (i >= 0) loop->timer[i] = loop->timer[--loop->ntimers];
}

int ccs_loop_timer_armed(const ccs_loop *loop, const ccs_timer *t) { return find_timer(loop, t) >= 0; }

void ccs_loop_stop(ccs_loop *loop, int rc)
{
    loop->stopped = 1;
    loop->rc = rc;
}

static void on_signal(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)fd;
    (void)revents;
    (void)ctx;
    if (take_signals(loop)) ccs_loop_stop(loop, loop->signal_rc);
}

int ccs_loop_stop_on_signals(ccs_loop *loop, int rc)
{
    struct sigaction hup;
    if (hup_ignored < 0) hup_ignored = sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler == SIG_IGN;
    sigset_t s;
    signal_set(&s);
    if (loop->signal_fd < 0) {
        /* A background job starts with SIGINT and SIGQUIT ignored; an ignored signal never becomes pending, so
         * the signalfd would not see it: take the default disposition (blocked first: it stays pending for us). */
        if (sigprocmask(SIG_BLOCK, &s, NULL) < 0) return CCS_EIO;
        for (int sig = 1; sig < NSIG; sig++)
            if (sigismember(&s, sig) == 1) signal(sig, SIG_DFL);
        loop->signal_fd = signalfd(-1, &s, SFD_NONBLOCK | SFD_CLOEXEC);
        if (loop->signal_fd < 0) return CCS_EIO;
    }
    loop->signal_rc = rc;
    return ccs_loop_add_fd(loop, loop->signal_fd, POLLIN, on_signal, NULL);
}

static int timer_due(const ccs_timer *t, uint32_t now) { return (int32_t)(now - t->at) >= 0; }

/* Fire the timers due now, each once per pass and in the order of their deadlines (a loop that ran late, e.g.
 * on a loaded machine, has the same outcome as one on time); a callback may re-arm or stop any timer. */
static void fire_timers(ccs_loop *loop)
{
    uint32_t now = ccs_loop_now(loop);
    ccs_timer *due[CCS_LOOP_MAX_TIMERS];
    uint32_t at[CCS_LOOP_MAX_TIMERS];
    int n = 0;
    for (int i = 0; i < loop->ntimers; i++) {
        if (!timer_due(loop->timer[i], now)) continue;
        int k = n++;   /* insertion by deadline; equal deadlines keep their table order */
        for (; k > 0 && (int32_t)(at[k - 1] - loop->timer[i]->at) > 0; k--) {
            due[k] = due[k - 1];
            at[k] = at[k - 1];
        }
        due[k] = loop->timer[i];
        at[k] = loop->timer[i]->at;
    }
    for (int i = 0; i < n && !loop->stopped; i++) {
        if (find_timer(loop, due[i]) < 0 || due[i]->at != at[i]) continue;   /* stopped or re-armed meanwhile */
        ccs_loop_timer_stop(loop, due[i]);
        due[i]->fn(loop, due[i]->ctx);
    }
}

/* Milliseconds until the earliest timer (0 if due), or -1 without timers; capped by max_wait_ms >= 0. */
static int wait_ms(const ccs_loop *loop, int max_wait_ms)
{
    int w = max_wait_ms;
    uint32_t now = ccs_loop_now(loop);
    for (int i = 0; i < loop->ntimers; i++) {
        int32_t d = (int32_t)(loop->timer[i]->at - now);
        if (d < 0) d = 0;
        if (w < 0 || d < w) w = (int)d;
    }
    return w;
}

int ccs_loop_add_outq(ccs_loop *loop, struct ccs_outq *q)
{
    for (int i = 0; i < loop->noutq; i++)
        if (loop->outq[i] == q) return 0;
    if (loop->noutq >= CCS_LOOP_MAX_OUTQ) return CCS_ENOSPC;
    loop->outq[loop->noutq++] = q;
    return 0;
}

void ccs_loop_remove_outq(ccs_loop *loop, struct ccs_outq *q)
{
    for (int i = 0; i < loop->noutq; i++)
        if (loop->outq[i] == q) {
            loop->outq[i] = loop->outq[--loop->noutq];
            return;
        }
}

int ccs_loop_run_once(ccs_loop *loop, int max_wait_ms)
{
    loop->stopped = 0; /* a stop ends the pass it is asked in (and ccs_loop_run), not later passes */
    struct pollfd p[CCS_LOOP_MAX_FDS + CCS_LOOP_MAX_OUTQ];
    struct ccs_outq *q[CCS_LOOP_MAX_OUTQ];
    int n = loop->nfds, nq = 0;
    for (int i = 0; i < n; i++) p[i] = (struct pollfd){ loop->watch[i].fd, loop->watch[i].events, 0 };
    for (int i = 0; i < loop->noutq; i++)   /* queues holding bytes: written when their descriptors take more */
        if (ccs_outq_pending(loop->outq[i])) {
            q[nq] = loop->outq[i];
            p[n + nq++] = (struct pollfd){ loop->outq[i]->fd, POLLOUT, 0 };
        }
    int r = poll(p, (nfds_t)(n + nq), wait_ms(loop, max_wait_ms));
    if (r < 0 && errno != EINTR) return CCS_EIO;
    for (int i = 0; i < n && r > 0 && !loop->stopped; i++) {
        if (!p[i].revents) continue;
        int w = find_fd(loop, p[i].fd); /* a callback may have removed it */
        if (w >= 0) loop->watch[w].fn(loop, p[i].fd, p[i].revents, loop->watch[w].ctx);
    }
    for (int i = 0; i < nq && r > 0; i++) {
        int k = 0;
        while (k < loop->noutq && loop->outq[k] != q[i]) k++;   /* a callback may have removed it */
        if (p[n + i].revents && k < loop->noutq) ccs_outq_flush(q[i]);
    }
    if (!loop->stopped) fire_timers(loop);
    return 0;
}

int ccs_loop_run(ccs_loop *loop)
{
    do {
        if (!loop->nfds && !loop->ntimers) return CCS_ESTATE;
        int rc = ccs_loop_run_once(loop, -1);
        if (rc) return rc;
    } while (!loop->stopped);
    return loop->rc;
}
