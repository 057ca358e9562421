/* SLAC runner: link frames and loop timers become SLAC_EV_FRAME / SLAC_EV_TIMER steps of the EVSE or PEV
 * machine; its frames go out on the link; the loop stops when the machine reaches its goal or gives up. */
#include "ccsplc/linux/slac_run.h"

#include <poll.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"

static slac_action step(ccs_slac_runner *r, const slac_event *ev)
{
    uint32_t now = ccs_loop_now(r->loop);
    return r->role == CCS_SLAC_EVSE ? slac_evse_step(&r->evse, ev, now) : slac_pev_step(&r->pev, ev, now);
}

static int goal(const ccs_slac_runner *r, slac_status st)
{
    return r->role == CCS_SLAC_EVSE ? st == SLAC_MATCHED : st == SLAC_LINKED;
}

static void on_wake(ccs_loop *loop, void *ctx);

static void finish(ccs_slac_runner *r, int rc)
{
    if (!r->waiting) return;
    r->waiting = 0;
    ccs_loop_timer_stop(r->loop, &r->deadline);
    ccs_loop_stop(r->loop, rc);
}

/* Feed one event, send what the machine says, re-arm its wake-up, and judge the outcome. */
static void run_step(ccs_slac_runner *r, const slac_event *ev)
{
    slac_action a = step(r, ev);
    for (unsigned i = 0; i < a.n; i++)
        if (ccs_link_send(r->link, a.frame[i], a.len[i]) != 0) r->send_errors++;
    if (a.has_wake) ccs_loop_timer_at(r->loop, &r->wake, a.wake_ms, on_wake, r);
    else ccs_loop_timer_stop(r->loop, &r->wake);
    if (a.err == CCS_ETIMEOUT) LOG_D("slac: an attempt timed out");
    if (goal(r, a.status)) finish(r, 0);
    else if (a.status == SLAC_IDLE && ev->type != SLAC_EV_STOP) finish(r, a.err ? a.err : CCS_ETIMEOUT);
}

static void on_wake(ccs_loop *loop, void *ctx)
{
    (void)loop;
    run_step(ctx, &(slac_event){ SLAC_EV_TIMER, NULL, 0 });
}

static void on_deadline(ccs_loop *loop, void *ctx)
{
    (void)loop;
    finish(ctx, CCS_ETIMEOUT);
}

static void on_frame(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)loop;
    (void)fd;
    (void)revents;
    ccs_slac_runner *r = ctx;
    size_t len;
    while (ccs_link_recv(r->link, r->rx, sizeof r->rx, &len) == 1) run_step(r, &(slac_event){ SLAC_EV_FRAME, r->rx, len });
}

static int run(ccs_slac_runner *r, ccs_loop *loop, ccs_link *link, uint32_t timeout_ms)
{
    r->loop = loop;
    r->link = link;
    r->waiting = 1;
    int rc = ccs_loop_add_fd(loop, link->fd, POLLIN, on_frame, r);
    if (!rc && timeout_ms) rc = ccs_loop_timer_at(loop, &r->deadline, ccs_loop_now(loop) + timeout_ms, on_deadline, r);
    if (rc) return rc;
    run_step(r, &(slac_event){ SLAC_EV_START, NULL, 0 });
    return r->waiting ? ccs_loop_run(loop) : loop->rc;
}

int ccs_slac_run_evse(ccs_slac_runner *r, ccs_loop *loop, ccs_link *link, const slac_evse_config *cfg,
                      uint32_t timeout_ms)
{
    memset(r, 0, sizeof *r);
    r->role = CCS_SLAC_EVSE;
    slac_evse_init(&r->evse, cfg);
    return run(r, loop, link, timeout_ms);
}

int ccs_slac_run_pev(ccs_slac_runner *r, ccs_loop *loop, ccs_link *link, const slac_pev_config *cfg,
                     uint32_t timeout_ms)
{
    memset(r, 0, sizeof *r);
    r->role = CCS_SLAC_PEV;
    slac_pev_init(&r->pev, cfg);
    return run(r, loop, link, timeout_ms);
}

const slac_match_info *ccs_slac_match(const ccs_slac_runner *r)
{
    return r->role == CCS_SLAC_EVSE ? slac_evse_match(&r->evse) : slac_pev_match(&r->pev);
}

void ccs_slac_detach(ccs_slac_runner *r)
{
    if (!r->loop) return;
    ccs_loop_remove_fd(r->loop, r->link->fd);
    ccs_loop_timer_stop(r->loop, &r->wake);
    ccs_loop_timer_stop(r->loop, &r->deadline);
    r->waiting = 0;
}
