/* The terminal side of `ccsplc evse` / `ccsplc pev`: keys on stdin as pyPLC users know them (space: stop
 * charging gracefully; q: safe stop, then quit), p for the car's ISO 15118-2 Pause (while paused: resume now),
 * r for ISO 15118-20 service renegotiation, and a live status line on stderr (state, V, A, kW, SoC). */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "live.h"

void live_request_stop(live *l, int graceful)
{
    if (!graceful) {
        LOG_I("%s: safe stop, then quit", live_role_name(l));
        ccs_loop_stop(&l->s.loop, CCS_ESTATE);
        return;
    }
    if (l->paused) {   /* the car, waiting to resume: it stays ended */
        l->no_resume = 1;
        ccs_loop_stop(&l->s.loop, 0);
        return;
    }
    LOG_I("%s: stopping charging gracefully", live_role_name(l));
    if (l->o.role == LIVE_EVSE) live_slots_shutdown(l);
    else l->pev.in.stop_request = 1;
}

static void on_key(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)loop;
    live *l = ctx;
    char c;
    ssize_t n = read(fd, &c, 1);
    if (n <= 0 || (revents & (POLLHUP | POLLERR))) {
        ccs_loop_remove_fd(loop, fd);
        return;
    }
    if (c == ' ') live_request_stop(l, 1);
    else if (c == 'p' || c == 'P') live_pause_request(l);
    else if (c == 'r' || c == 'R') live_reneg_request(l);
    else if (c == 'q' || c == 'Q') live_request_stop(l, 0);
}

static void status_line(live *l)
{
    const char *state = "slac", *proto = "";
    float v, a, soc;
    if (l->t_sdp || l->t_linked) state = l->t_sdp ? "connecting" : "sdp";
    if (l->o.role == LIVE_EVSE) {
        const sess_evse *e = l->car ? &l->car->evse : NULL;
        if (e && e->phase != SESS_IDLE) state = l->resume_id_len ? "paused" : sess_evse_state_name(e);
        if (e && e->proto) proto = live_proto_label(e->proto, e->ac);
        v = l->plant.charger.v;
        a = l->plant.charger.i;
        soc = e ? e->ev_soc : 0.0f;
    } else {
        if (l->pev.phase != SESS_IDLE) state = l->paused ? "paused" : sess_pev_state_name(&l->pev);
        if (l->pev.proto) proto = live_proto_label(l->pev.proto, l->pev.cfg.ac);
        v = l->pev.evse_v;
        a = l->plant.pev_contactor.closed ? l->plant.charger.i : 0.0f;
        soc = (float)l->plant.battery.soc;
    }
    fprintf(stderr, "\r%-5s %-8s %-30s %6.1f V %6.1f A %6.2f kW  SoC %5.1f %%\033[K", live_role_name(l), proto, state,
            v, a, v * a / 1000.0f, soc);
}

static void on_status(ccs_loop *loop, void *ctx)
{
    live *l = ctx;
    status_line(l);
    ccs_loop_timer_at(loop, &l->status, ccs_loop_now(loop) + LIVE_STATUS_MS, on_status, l);
}

void live_tty_open(live *l)
{
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &l->tty_saved) == 0) {
        struct termios raw = l->tty_saved;
        raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 &&
            ccs_loop_add_fd(&l->s.loop, STDIN_FILENO, POLLIN, on_key, l) == 0)
            l->tty_keys = 1;
    }
    if (isatty(STDERR_FILENO) && ccs_log_get_level() < CCS_LOG_DEBUG) {
        l->tty_status = 1;
        ccs_log_status_line(1);
        on_status(&l->s.loop, l);
    }
}

void live_tty_close(live *l)
{
    if (l->tty_keys) {
        ccs_loop_remove_fd(&l->s.loop, STDIN_FILENO);
        tcsetattr(STDIN_FILENO, TCSANOW, &l->tty_saved);
        l->tty_keys = 0;
    }
    if (l->tty_status) {
        ccs_loop_timer_stop(&l->s.loop, &l->status);
        fprintf(stderr, "\r\033[K");
        ccs_log_status_line(0);
        l->tty_status = 0;
    }
}
