/* A small poll(2) event loop for the platform layer: file descriptors (raw links, UDP/TCP sockets, stdin)
 * with callbacks, caller-owned one-shot timers on a millisecond monotonic clock, output queues written as their
 * descriptors take more (outq.h), stop on every signal that would end the process. */
#ifndef CCSPLC_LOOP_H
#define CCSPLC_LOOP_H

#include <stdint.h>

#define CCS_LOOP_MAX_FDS 16
#define CCS_LOOP_MAX_TIMERS 32
#define CCS_LOOP_MAX_OUTQ 4

struct ccs_outq;

typedef struct ccs_loop ccs_loop;
/* revents as poll(2) reports them (POLLIN, POLLOUT, POLLERR, POLLHUP). */
typedef void (*ccs_loop_fd_fn)(ccs_loop *loop, int fd, short revents, void *ctx);
typedef void (*ccs_loop_timer_fn)(ccs_loop *loop, void *ctx);

/* A timer: the caller owns it (keep it alive while armed); arm it again from its own callback to repeat. */
typedef struct {
    uint32_t at;              /* loop time (ms) it fires at */
    ccs_loop_timer_fn fn;
    void *ctx;
} ccs_timer;

typedef struct {
    int fd;
    short events;
    ccs_loop_fd_fn fn;
    void *ctx;
} ccs_loop_watch;

struct ccs_loop {
    uint32_t t0;                                /* ccs_mono_ms() at init */
    int nfds;
    ccs_loop_watch watch[CCS_LOOP_MAX_FDS];
    int ntimers;
    ccs_timer *timer[CCS_LOOP_MAX_TIMERS];
    int noutq;
    struct ccs_outq *outq[CCS_LOOP_MAX_OUTQ];
    int signal_fd, signal_rc;
    int last_signal;                            /* the signal that stopped the loop last (0: none) */
    int stopped, rc;
};

/* Milliseconds on CLOCK_MONOTONIC (wraps after 49 days; compare with (int32_t)(a - b)). */
uint32_t ccs_mono_ms(void);

void ccs_loop_init(ccs_loop *loop);
/* Close what the loop opened (the signal fd; signals still pending are taken) and restore the signal mask. */
void ccs_loop_close(ccs_loop *loop);
/* Milliseconds since ccs_loop_init. */
uint32_t ccs_loop_now(const ccs_loop *loop);

/* Watch fd for events (POLLIN / POLLOUT); replaces an existing watch of the same fd. 0, CCS_ENOSPC. */
int ccs_loop_add_fd(ccs_loop *loop, int fd, short events, ccs_loop_fd_fn fn, void *ctx);
/* Change the events of a watched fd (e.g. add POLLOUT while a TCP send is pending). 0, CCS_ENOTFOUND. */
int ccs_loop_set_events(ccs_loop *loop, int fd, short events);
/* Stop watching fd (safe from inside any callback). */
void ccs_loop_remove_fd(ccs_loop *loop, int fd);

/* Arm (or re-arm) t to fire at loop time at_ms. 0, CCS_ENOSPC. */
int ccs_loop_timer_at(ccs_loop *loop, ccs_timer *t, uint32_t at_ms, ccs_loop_timer_fn fn, void *ctx);
/* Disarm t (no-op if not armed). */
void ccs_loop_timer_stop(ccs_loop *loop, ccs_timer *t);
int ccs_loop_timer_armed(const ccs_loop *loop, const ccs_timer *t);

/* Write what q holds whenever its descriptor can take more (before each poll, POLLOUT while it holds bytes).
 * 0, CCS_ENOSPC. Remove: stop watching it. */
int ccs_loop_add_outq(ccs_loop *loop, struct ccs_outq *q);
void ccs_loop_remove_outq(ccs_loop *loop, struct ccs_outq *q);

/* Every signal whose default action ends the process (SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
 * SIGVTALRM, SIGPROF, SIGXCPU, SIGIO, SIGPWR, SIGSTKFLT, the real-time ones) stops the loop with rc and is logged
 * (signalfd; they are blocked while the loop lives), so that the program ends through its own safe stop. A SIGHUP
 * ignored at start (nohup) stays ignored; the others take their default disposition first (a background job
 * starts with SIGINT and SIGQUIT ignored). SIGKILL cannot be caught; faults (SIGSEGV, SIGBUS, ...) are not
 * handled. */
int ccs_loop_stop_on_signals(ccs_loop *loop, int rc);
/* "SIGHUP", "SIGRTMIN+3", ... */
const char *ccs_signal_name(int sig, char buf[16]);
/* Make ccs_loop_run return rc after the current callback. */
void ccs_loop_stop(ccs_loop *loop, int rc);
/* Wait at most max_wait_ms (-1: until the next timer or fd event), dispatch what is ready. 0 or CCS_EIO. */
int ccs_loop_run_once(ccs_loop *loop, int max_wait_ms);
/* Dispatch until ccs_loop_stop; returns its rc (or CCS_EIO). */
int ccs_loop_run(ccs_loop *loop);

#endif
