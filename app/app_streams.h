/* The standard streams of ccsplc: fds 0-2 never left closed, and for the commands with a live loop (evse, pev,
 * listen -i, plcsim) stdout and stderr that never block or end that loop. */
#ifndef CCSPLC_APP_STREAMS_H
#define CCSPLC_APP_STREAMS_H

#include "ccsplc/linux/loop.h"

#define APP_LOG_QUEUE (64u << 10)   /* stderr: bytes held for a reader that is behind */
#define APP_OUT_QUEUE (1u << 20)    /* stdout: the same */
#define APP_STREAMS_END_MS 2000     /* at the end: wait this long for such a reader */

/* Fds 0-2 that are closed at start are opened on /dev/null: else the next socket or file takes fd 1 or 2 and
 * output (log lines) goes into it. */
void app_std_fds(void);
/* stdout (line-buffered) and stderr (a log line per write) through bounded queues (ccsplc/linux/outq.h) on private
 * non-blocking descriptors: a reader that stops reading costs lines, counted and said ("log: N lines dropped")
 * once it reads again; SIGPIPE and SIGXFSZ are ignored, so that a reader that goes away, or a file that cannot
 * grow, ends only that output. Nothing changes when the queues cannot be made. */
void app_streams_live(void);
/* The loop writes what the queues hold whenever their descriptors take more. */
void app_streams_watch(ccs_loop *loop);
/* At the end: what is left written (waiting at most APP_STREAMS_END_MS), drops said on stderr. 1 when stdout
 * lost output (dropped, or a write failed), else 0. A second call only writes the log lines since. */
int app_streams_end(void);

#endif
