/* The charger's V2GTP connections during one plug-in: the listener stays watched while a car charges, each
 * accepted connection gets a slot with its own sess_evse in the one driver (ccsplc/core/machine.h; up to
 * LIVE_MAX_CONNS; beyond: accepted and closed at once), the power stage is bound to the first session set up in
 * the plug-in (one car per outlet; released if that session leaves without using it), an ISO 15118-2 Pause of
 * that session keeps its SessionID for the plug-in (a later connection resumes it), and the plug-in ends when the
 * car's session ends. */
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/llnet.h"
#include "ccsplc/linux/log.h"
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

/* The plug-in is over when the car's session has ended and is not paused: the owner of the power stage (once
 * its contactors are open). Sessions that left before using the power stage (a peer that set up a session and
 * closed, perhaps before the car's own connection came) do not end it: the car may still come, until the waits
 * it allows itself are over (LIVE_CAR_SETUP_MS after the match, live_serve.c); then once no session runs. */
static int plug_in_over(const live *l)
{
    if (!l->car || l->resume_id_len) return 0;
    if (l->owner >= 0)   /* the hardware back at rest too: else the lock's release never reached it */
        return !active(&l->conn[l->owner].evse) && !l->plant.evse_contactor.closed && live_hw_at_rest(&l->hw);
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++)
        if (active(&l->conn[i].evse)) return 0;
    /* A failed negotiation (Failed_NoNegotiation) ends it at once: that car cannot charge here and the next one
     * should not wait. A station in the AVLN could end a plug-in so before the car connects: denial of service
     * only, no key and no power (docs/security.md). */
    return l->car_wait_over || l->car->evse.stop == SESS_STOP_NO_PROTOCOL;
}

static void check_over(live *l)
{
    if (plug_in_over(l)) ccs_loop_stop(&l->s.loop, 0);
}

/* The paused SessionID (len 0: none) for the engine of every slot: a SessionSetupReq with it resumes. */
static void offer_resume(live *l, uint8_t len)
{
    l->resume_id_len = len;
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++) sess_evse_offer_resume(&l->conn[i].evse, l->resume_id, len);
}

/* A slot ready for a connection: a fresh engine that knows the paused SessionID, if any. */
static void fresh(live *l, live_conn *c)
{
    sess_evse_init(&c->evse, &l->ecfg, l->docs);
    sess_evse_offer_resume(&c->evse, l->resume_id, l->resume_id_len);
}

/* The end of a Pause: how long, and whether the power stage stayed safe (no command for it, contactors open,
 * no current) all along. */
static void pause_report(live *l, uint32_t now)
{
    double s = (now - l->paused_at) / 1000.0, wh = l->plant.charger.energy_wh - l->paused_wh;
    if (l->unsafe_ms) LOG_W("v2g: paused %.1f s: the power stage was NOT safe for %u ms (%.3f Wh)", s, l->unsafe_ms, wh);
    else LOG_I("v2g: paused %.1f s: output off, contactors open, no current all along (%.3f Wh metered)", s, wh);
}

static void on_resume_wait(ccs_loop *loop, void *ctx)
{
    live *l = ctx;
    pause_report(l, ccs_loop_now(loop));
    LOG_W("v2g: session %s not resumed within %u s: the plug-in ends", live_hex_id(l->resume_id, l->resume_id_len),
          l->o.resume_wait_ms / 1000u);
    offer_resume(l, 0);
    check_over(l);
}

/* The power stage's session ended with SessionStop(Pause): its SessionID is kept for --resume-wait. */
static void paused(live *l, live_conn *c)
{
    uint32_t now = ccs_loop_now(&l->s.loop);
    memcpy(l->resume_id, c->evse.resume_id, c->evse.resume_id_len);
    offer_resume(l, c->evse.resume_id_len);
    l->resume_from = slot_of(c);
    l->pauses++;
    l->paused_at = now;
    l->unsafe_ms = 0;
    l->paused_wh = l->plant.charger.energy_wh;
    ccs_loop_timer_at(&l->s.loop, &l->pause_timer, now + l->o.resume_wait_ms, on_resume_wait, l);
    LOG_I("v2g: session %s paused by the car: kept %u s for it to resume%s",
          live_hex_id(l->resume_id, l->resume_id_len), l->o.resume_wait_ms / 1000u, live_conn_tag(c));
}

/* Slot c's SessionSetup joined the paused session: it is the car's session now, with the power stage; the
 * paused slot is free again. */
static void resumed(live *l, live_conn *c)
{
    live_conn *old = &l->conn[l->resume_from];
    pause_report(l, ccs_loop_now(&l->s.loop));
    LOG_I("v2g: session %s resumed (OK_OldSessionJoined)%s", live_hex_id(l->resume_id, l->resume_id_len),
          live_conn_tag(c));
    ccs_loop_timer_stop(&l->s.loop, &l->pause_timer);
    l->earlier_messages += old->messages;
    old->messages = 0;
    l->owner = slot_of(c);
    l->owner_powered = 1;
    l->car = c;
    offer_resume(l, 0);
    fresh(l, old);
}

/* What the power stage's session does that the log should say once per plug-in: the insulation test and its
 * voltage, a charge stopped for want of progress. */
static void report(live *l, const sess_evse *e)
{
    if (e->out.isolation_check && !l->told_isolation) {
        l->told_isolation = 1;
        LOG_I("v2g: isolation test at %.0f V (the car's maximum %.0f V; IEC 61851-23:2023 CC.4.1.2)", e->out.target_v,
              e->ev_max_v);
    }
    if (e->stop == SESS_STOP_NO_PROGRESS && !l->told_no_progress) {
        l->told_no_progress = 1;
        LOG_W("v2g: no progress for %.0f s: the car asks %.1f A up to %.1f V, %.1f A flow at %.1f V: EVSE_Shutdown",
              e->cfg.no_progress_ms / 1000.0, e->ev_target_a, e->ev_target_v, l->plant.charger.i, l->plant.charger.v);
    }
}

/* The power stage belongs to the plug-in's first session that is set up (its SessionID), not to whichever first
 * asks for it: a second station that got into the AVLN (SLAC has no authentication) and races to CableCheck does
 * not take it from the car. Until it is used, the binding is released when that session ends (a peer that set up
 * and left, or the car's own connection lost): the next session set up gets it. */
static void bind_power(live *l, live_conn *c)
{
    sess_evse *e = &c->evse;
    int i = slot_of(c);
    if (l->owner < 0 && e->session_id_len && active(e)) {
        l->owner = i;
        l->owner_powered = 0;
        LOG_I("v2g: the power stage is bound to this session%s", live_conn_tag(c));
    }
    if (l->owner == i && !l->owner_powered && !active(e) && !l->resume_id_len) {
        l->owner = -1;
        LOG_I("v2g: the session bound to the power stage ended without using it: kept for the next one%s",
              live_conn_tag(c));
    }
    if (wants_power(e) && l->owner < 0) l->owner = i;
    if (wants_power(e) && l->owner == i && !l->owner_powered) {
        l->owner_powered = 1;
        LOG_I("v2g: this session drives the power stage%s", live_conn_tag(c));
    } else if (wants_power(e) && l->owner != i && e->in.status == SESS_EVSE_OK) {
        e->in.status = SESS_EVSE_SHUTDOWN;   /* its commands are ignored; it stops at its next response */
        LOG_W("v2g: the power stage is in use by another session: EVSE_Shutdown%s", live_conn_tag(c));
    }
}

/* After an event of slot c's driver: the power stage's owner, the car's session, what to send, the end. */
static void after(live_conn *c)
{
    live *l = c->l;
    sess_evse *e = &c->evse;
    int i = slot_of(c);
    if (i == l->owner && e->stop == SESS_STOP_PAUSED && e->resume_id_len && !l->resume_id_len) paused(l, c);
    if (l->resume_id_len && i != l->resume_from && e->session_id_len == l->resume_id_len &&
        !memcmp(e->session_id, l->resume_id, l->resume_id_len))
        resumed(l, c);
    if (i == l->owner) live_plant_follow(l, e);   /* before it commands the power stage */
    bind_power(l, c);
    if (l->owner >= 0) l->car = &l->conn[l->owner];
    else if (e->session_id_len || e->stop == SESS_STOP_NO_PROTOCOL) l->car = c;   /* no protocol: the plug-in ends */
    if (i == l->owner) report(l, e);
    live_conn_send(c);
    check_over(l);
}

static void on_message(live_conn *c, const v2gtp_msg *m)
{
    live *l = c->l;
    sess_evse *e = &c->evse;
    int handshake = e->phase == SESS_HANDSHAKE;
    int rc = ccs_driver_message(&c->drv, m->payload_type, m->payload, m->payload_len, ccs_loop_now(&l->s.loop));
    live_log_rx(e->rx_name, rc == CCS_EPROTO && e->stop == SESS_STOP_BAD_MESSAGE ? &e->bad : NULL, e->proto,
                live_conn_tag(c));
    if (handshake && (e->proto || e->stop == SESS_STOP_NO_PROTOCOL)) live_log_negotiation(e, live_conn_tag(c));
    after(c);
}

static void on_closed(live_conn *c)
{
    live_conn_close(c);
    ccs_driver_disconnect(&c->drv, ccs_loop_now(&c->l->s.loop));
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
        fresh(l, c);
        c->on_ready = NULL;   /* the car speaks first */
        c->evse.tls = lfd == l->tls_lfd;   /* Plug & Charge is offered on TLS only */
        live_conn_open(c, l, fd, 0, lfd == l->tls_lfd, on_message, on_closed);
        ccs_driver_start(&c->drv, ccs_loop_now(loop));
        after(c);
    }
}

int live_slots_start(live *l)
{
    l->owner = -1;
    l->owner_powered = 0;
    l->car = NULL;
    l->resume_id_len = 0;
    l->pauses = l->earlier_messages = 0;
    l->told_isolation = l->told_no_progress = 0;
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++) {
        live_conn *c = &l->conn[i];
        const ccs_port port = live_conn_port(c);
        c->l = l;
        ccs_driver_init(&c->drv, ccs_sess_evse_machine(&c->evse), &port);
        fresh(l, c);
    }
    int rc = l->lfd >= 0 ? ccs_loop_add_fd(&l->s.loop, l->lfd, POLLIN, on_accept, l) : 0;
    if (!rc && l->tls_lfd >= 0) rc = ccs_loop_add_fd(&l->s.loop, l->tls_lfd, POLLIN, on_accept, l);
    return rc;
}

/* While paused: the time the power stage was not safe (a command for it, contactors closed, current). */
static int power_live(const live *l, const sess_evse *e)
{
    return e->out.output_on || e->out.contactors_closed || e->out.isolation_check ||
           l->plant.evse_contactor.closed || l->plant.charger.i != 0.0f;
}

void live_slots_step(live *l, uint32_t now, uint32_t dt)
{
    if (l->owner >= 0) live_hw_step_evse(&l->hw, &l->conn[l->owner].evse, now, dt);
    if (!l->t_first_current && phys_plant_current_flows(&l->plant)) l->t_first_current = now;
    if (l->resume_id_len && l->owner >= 0 && power_live(l, &l->conn[l->owner].evse)) l->unsafe_ms += dt;
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++) {
        uint32_t at;
        if (ccs_driver_next_wake(&l->conn[i].drv, &at) && (int32_t)(now - at) >= 0) {
            ccs_driver_poll(&l->conn[i].drv, now);   /* its timers */
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
        ccs_driver_disconnect(&c->drv, now);
    }
}

void live_slots_end(live *l)
{
    if (l->lfd >= 0) ccs_loop_remove_fd(&l->s.loop, l->lfd);
    if (l->tls_lfd >= 0) ccs_loop_remove_fd(&l->s.loop, l->tls_lfd);
    ccs_loop_timer_stop(&l->s.loop, &l->pause_timer);
    l->resume_id_len = 0;
    live_slots_disconnect(l, ccs_loop_now(&l->s.loop));
}

void live_slots_shutdown(live *l)
{
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++) l->conn[i].evse.in.status = SESS_EVSE_SHUTDOWN;
}
