/* The charger's V2GTP connections during one plug-in: the listener stays watched while a car charges, each
 * accepted connection gets a slot with its own sess_evse (up to LIVE_MAX_CONNS; beyond: accepted and closed at
 * once), the power stage follows only the first session that commands it (one car per outlet), and the
 * plug-in ends when the car's session ends. */
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/errors.h"
#include "ccsplc/llnet.h"
#include "ccsplc/log.h"
#include "live.h"

static int slot_of(const live_conn *c) { return (int)(c - c->l->conn); }

static int active(const sess_evse *e) { return e->phase == SESS_HANDSHAKE || e->phase == SESS_RUNNING; }

/* The session commands the power stage: the isolation check (DC CableCheck), the output, the contactors. */
static int wants_power(const sess_evse *e)
{
    return !e->out.safe && (e->out.isolation_check || e->out.output_on || e->out.contactors_closed);
}

int live_slots_finished(const live *l)
{
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++)
        if (active(&l->conn[i].evse)) return 0;
    return !l->plant.evse_contactor.closed;
}

/* The plug-in is over when the car's session has ended: the owner of the power stage (once its contactors are
 * open), else the last session that got a SessionID, when no other session with one is still running. A
 * connection that never got that far (junk, a stale or slow client) ends alone. */
static int plug_in_over(const live *l)
{
    if (!l->car || active(&l->car->evse)) return 0;
    if (l->owner >= 0) return !l->plant.evse_contactor.closed;
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++)
        if (l->conn[i].evse.session_id_len && active(&l->conn[i].evse)) return 0;
    return 1;
}

static void check_over(live *l)
{
    if (plug_in_over(l)) ccs_loop_stop(&l->s.loop, 0);
}

/* After an engine call on slot c: the power stage's owner, the car's session, what to send, the end. */
static void after(live_conn *c)
{
    live *l = c->l;
    sess_evse *e = &c->evse;
    int i = slot_of(c);
    if (wants_power(e) && l->owner != i) {
        if (l->owner < 0) {
            l->owner = i;
            LOG_I("v2g: this session drives the power stage%s", live_conn_tag(c));
        } else if (e->in.status == SESS_EVSE_OK) {
            e->in.status = SESS_EVSE_SHUTDOWN;   /* its commands are ignored; it stops at its next response */
            LOG_W("v2g: the power stage is in use by another session: EVSE_Shutdown%s", live_conn_tag(c));
        }
    }
    if (l->owner >= 0) l->car = &l->conn[l->owner];
    else if (e->session_id_len) l->car = c;
    live_conn_flush(c, e->tx, &e->tx_len, e->tx_name, e->close);
    check_over(l);
}

static void on_message(live_conn *c, const v2gtp_msg *m)
{
    live *l = c->l;
    uint32_t now = ccs_loop_now(&l->s.loop);
    sess_evse *e = &c->evse;
    sess_evse_on_message(e, m->payload_type, m->payload, m->payload_len, now);
    LOG_D("v2g: < %s%s", e->rx_name ? e->rx_name : "?", live_conn_tag(c));
    if (!l->t_first_current && slot_of(c) == l->owner && e->rx_name && !strcmp(e->rx_name, "CurrentDemandReq"))
        l->t_first_current = now;
    after(c);
}

static void on_closed(live_conn *c)
{
    live_conn_close(c);
    sess_evse_disconnect(&c->evse, ccs_loop_now(&c->l->s.loop));
    after(c);
}

/* A slot without a connection that does not hold the car's session. */
static live_conn *free_slot(live *l)
{
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++)
        if (l->conn[i].fd < 0 && &l->conn[i] != l->car) return &l->conn[i];
    return NULL;
}

static void on_accept(ccs_loop *loop, int lfd, short revents, void *ctx)
{
    (void)revents;
    live *l = ctx;
    int fd;
    uint8_t ip[16];
    uint16_t port;
    while (llnet_tcp_accept(lfd, &fd, ip, &port) == 1) {
        live_conn *c = free_slot(l);
        if (!c) {
            char t[IPV6_TEXT_MAX];
            ipv6_format(ip, t, sizeof t);
            LOG_W("v2g: %u connections served already: [%s]:%u closed", LIVE_MAX_CONNS, t, port);
            close(fd);
            continue;
        }
        memcpy(c->peer_ip, ip, 16);
        c->peer_port = port;
        sess_evse_init(&c->evse, &l->ecfg, l->docs);
        live_conn_open(c, l, fd, 0, on_message, on_closed);
        sess_evse_connect(&c->evse, ccs_loop_now(loop));
        after(c);
    }
}

int live_slots_start(live *l)
{
    l->owner = -1;
    l->car = NULL;
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++) {
        l->conn[i].l = l;
        sess_evse_init(&l->conn[i].evse, &l->ecfg, l->docs);
    }
    return ccs_loop_add_fd(&l->s.loop, l->lfd, POLLIN, on_accept, l);
}

void live_slots_step(live *l, uint32_t now, uint32_t dt)
{
    if (l->owner >= 0) phys_plant_step_evse(&l->plant, &l->conn[l->owner].evse, dt);
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++) {
        sess_evse *e = &l->conn[i].evse;
        uint32_t at;
        if (sess_evse_next_timeout(e, &at) && (int32_t)(now - at) >= 0) {
            sess_evse_tick(e, now);
            after(&l->conn[i]);
        }
    }
    check_over(l);
}

void live_slots_disconnect(live *l, uint32_t now)
{
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++) {
        live_conn *c = &l->conn[i];
        if (c->fd >= 0) LOG_I("v2g: closing the connection%s", live_conn_tag(c));
        live_conn_close(c);
        sess_evse_disconnect(&c->evse, now);
    }
}

void live_slots_end(live *l)
{
    ccs_loop_remove_fd(&l->s.loop, l->lfd);
    live_slots_disconnect(l, ccs_loop_now(&l->s.loop));
}

void live_slots_shutdown(live *l)
{
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++) l->conn[i].evse.in.status = SESS_EVSE_SHUTDOWN;
}
