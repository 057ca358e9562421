/* SLAC runner: link frames and loop timers become MESSAGE / TIMER events of the EVSE or PEV machine in the one
 * driver (ccsplc/core/machine.h); its frames go out on the link; the loop stops when the machine reaches its goal
 * or gives up. */
#include "ccsplc/linux/slac_run.h"

#include <poll.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/machines.h"
#include "ccsplc/linux/log.h"

static slac_status status(const ccs_slac_runner *r)
{
    return r->role == CCS_SLAC_EVSE ? r->evse.status : r->pev.status;
}

static int goal(const ccs_slac_runner *r, slac_status st)
{
    return r->role == CCS_SLAC_EVSE ? st == SLAC_MATCHED : st == SLAC_LINKED;
}

/* The driver's port: frames go out on the link. */
static int send_frame(void *ctx, const uint8_t *frame, size_t len, const char *name)
{
    (void)name;
    ccs_slac_runner *r = ctx;
    if (ccs_link_send(r->link, frame, len) != 0) r->send_errors++;
    return 0;
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
static void run_step(ccs_slac_runner *r, const ccs_event *ev)
{
    int err = ccs_driver_event(&r->drv, ev, ccs_loop_now(r->loop));
    uint32_t at;
    if (ccs_driver_next_wake(&r->drv, &at)) ccs_loop_timer_at(r->loop, &r->wake, at, on_wake, r);
    else ccs_loop_timer_stop(r->loop, &r->wake);
    if (err == CCS_ETIMEOUT) LOG_D("slac: an attempt timed out");
    slac_status st = status(r);
    if (goal(r, st)) finish(r, 0);
    else if (st == SLAC_IDLE && ev->kind != CCS_EV_DISCONNECT) finish(r, err ? err : CCS_ETIMEOUT);
}

static void on_wake(ccs_loop *loop, void *ctx)
{
    (void)loop;
    run_step(ctx, &(ccs_event){ .kind = CCS_EV_TIMER });
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
    while (ccs_link_recv(r->link, r->rx, sizeof r->rx, &len) == 1)
        run_step(r, &(ccs_event){ .kind = CCS_EV_MESSAGE, .data = r->rx, .len = len });
}

static int run(ccs_slac_runner *r, ccs_loop *loop, ccs_link *link, uint32_t timeout_ms)
{
    const ccs_port port = { send_frame, NULL, r };
    r->loop = loop;
    r->link = link;
    r->waiting = 1;
    ccs_driver_init(&r->drv, r->role == CCS_SLAC_EVSE ? ccs_slac_evse_machine(&r->evse) : ccs_slac_pev_machine(&r->pev),
                    &port);
    int rc = ccs_loop_add_fd(loop, link->fd, POLLIN, on_frame, r);
    if (!rc && timeout_ms) rc = ccs_loop_timer_at(loop, &r->deadline, ccs_loop_now(loop) + timeout_ms, on_deadline, r);
    if (rc) return rc;
    run_step(r, &(ccs_event){ .kind = CCS_EV_START });
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
