/* The V2G session on the interface: V2GTP over TCP on link-local IPv6 (the car connects to the port SDP gave;
 * the charger's connections are in live_slots.c), the session engine, the half plant as simulated hardware
 * stepped every LIVE_STEP_MS, the car's reconnection after an ISO 15118-2 Pause (live_pause.c), and the safe
 * stop when interrupted. */
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/llnet.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/random.h"
#include "live.h"

static int is_evse(const live *l) { return l->o.role == LIVE_EVSE; }

void live_plant_init(const live_options *o, int ac, phys_plant *pl)
{
    phys_charger_config cc;
    phys_battery_config bc;
    if (ac) {   /* the mains switched through: the AC supply's own defaults, the current limit if lower */
        phys_charger_default_ac(&cc);
        cc.max_a = o->evse_max_a < cc.max_a ? o->evse_max_a : cc.max_a;
    } else {
        phys_charger_default(&cc);
        cc.max_v = o->evse_max_v;
        cc.max_a = o->evse_max_a;
        cc.max_w = o->evse_max_w;
    }
    phys_battery_default(&bc);
    cc.isolation_ms = o->isolation_ms;
    bc.capacity_wh = o->capacity_kwh * 1000.0f;
    bc.soc = o->soc;
    bc.target_soc = o->target_soc;
    phys_plant_init(pl, &cc, &bc);
}

void live_configure(const live_options *o, const uint8_t pev_mac[6], phys_plant *pl, sess_evse_config *ec,
                    sess_pev_config *pc)
{
    live_protos ev, car;   /* o->proto is checked (live_run); the simulated peer (--sim) offers its role's default,
                            * a car of AC only for a charger of AC only */
    phys_charger_config acc;
    live_protos_parse(o->role == LIVE_EVSE ? o->proto : LIVE_EVSE_PROTOS, &ev);
    live_protos_parse(o->role == LIVE_PEV ? o->proto : ev.dc ? LIVE_PEV_PROTOS : LIVE_PEV_AC_PROTOS, &car);
    /* the plant: the car's mode when the car is ours or simulated; a charger alone starts with DC if it offers DC
     * and follows each session's mode (live_plant_follow) */
    live_plant_init(o, o->role == LIVE_PEV || o->sim ? car.ac : !ev.dc, pl);
    phys_charger_default_ac(&acc);
    sess_evse_config_default(ec);
    memcpy(ec->protos, ev.protos, sizeof ev.protos);
    ec->nprotos = ev.n;
    ec->offer_dc = ev.iso2_dc;
    ec->offer_ac = ev.iso2_ac;
    ec->max_v = o->evse_max_v;
    ec->max_a = o->evse_max_a;
    ec->max_w = o->evse_max_w;
    ec->ac_nominal_v = acc.ac_phase_v;
    ec->ac_max_a = o->evse_max_a < acc.max_a ? o->evse_max_a : acc.max_a;
    ec->session_id_len = o->session_id_len;
    phys_charger_config dcc;   /* the simulated DC power stage sinks current too: DC_BPT/AC_BPT offered */
    phys_charger_default(&dcc);
    ec->discharge_max_a = o->evse_max_a < dcc.discharge_max_a ? o->evse_max_a : dcc.discharge_max_a;
    ec->discharge_max_w = o->evse_max_w < dcc.discharge_max_w ? o->evse_max_w : dcc.discharge_max_w;
    ec->auth_ongoing = o->auth_ongoing;
    ec->cpd_ongoing = o->cpd_ongoing;
    ec->receipt_interval_ms = o->receipt_ms;
    ec->service_renegotiation = (uint8_t)(o->service_reneg != 0);
    ec->vas = o->vas;   /* --sim: the simulated car wants what our charger offers, and the other way round */
    sess_pev_config_default(pc, pev_mac);
    memcpy(pc->protos, car.protos, sizeof car.protos);
    pc->nprotos = car.n;
    pc->ac = car.ac;
    pc->capacity_wh = pl->battery.cfg.capacity_wh;
    pc->max_v = o->pev_target_v;
    pc->max_a = o->pev_max_a < pl->battery.cfg.max_a ? o->pev_max_a : pl->battery.cfg.max_a;
    pc->precharge_tolerance_v = o->precharge_tolerance_v;
    pc->discharge_soc = (uint8_t)o->discharge_to;
    pc->renegotiate_soc = (uint8_t)o->renegotiate_at;
    pc->vas = o->vas;
    pc->control_mode = o->control_mode;
    pc->departure_s = o->departure_ms / 1000u;
}

void live_plant_follow(live *l, const sess_evse *e)
{
    int ac = e->ac, now_ac = l->plant.charger.cfg.ac_phases != 0;
    if (l->owner_powered || ac == now_ac || !(ac ? l->protos.ac : l->protos.dc)) return;
    live_plant_init(&l->o, ac, &l->plant);
    LOG_I("v2g: the power stage set up for %s (the car's choice)", ac ? "AC: the mains switched through" : "DC");
}

static void setup(live *l)
{
    static sess_docs docs;   /* scratch of every engine call in this process */
    sess_pev_config pc;
    l->docs = &docs;
    live_configure(&l->o, l->s.link.mac, &l->plant, &l->ecfg, &pc);
    live_pnc_attach(l, &l->ecfg, &pc);
    l->ecfg.rng = ccs_random_getrandom;   /* SessionIDs nobody can guess (a paused one is resumed with it) */
    /* the Unix time of the loop's 0 ms: ISO 15118-20 TimeStamps in Unix seconds */
    l->ecfg.clock_unix_s = pc.clock_unix_s = (live_wall_ns() / 1000000u - ccs_loop_now(&l->s.loop)) / 1000u;
    if (!is_evse(l)) {
        const ccs_port port = live_conn_port(&l->conn[0]);
        sess_pev_init(&l->pev, &pc, &docs);
        ccs_driver_init(&l->conn[0].drv, ccs_sess_pev_machine(&l->pev), &port);   /* the one driver */
        phys_plant_sense(&l->plant, NULL, &l->pev);
    }
    live_hw_attach(&l->hw, &l->plant, NULL, is_evse(l) ? NULL : &l->pev);
}

/* The car's session is over and its contactors are open (the plant's, and a backend's feedback). */
static int car_finished(const live *l)
{
    return (l->pev.phase == SESS_DONE || l->pev.phase == SESS_SAFE) && !l->plant.pev_contactor.closed &&
           !live_hw_contactors_held(&l->hw);
}

static int finished(const live *l) { return is_evse(l) ? live_slots_finished(l) : car_finished(l); }

/* The car, after an event of its driver: send what it routed, close when it said so, stop the loop at the end. */
static void check_end(live *l)
{
    live_conn_send(&l->conn[0]);
    if (car_finished(l)) ccs_loop_stop(&l->s.loop, 0);
}

static void on_message(live_conn *c, const v2gtp_msg *m)
{
    live *l = c->l;
    uint32_t now = ccs_loop_now(&l->s.loop);
    int handshake = l->pev.phase == SESS_HANDSHAKE;
    int rc = ccs_driver_message(&c->drv, m->payload_type, m->payload, m->payload_len, now);
    live_log_rx(l->pev.rx_name, rc == CCS_EPROTO && l->pev.stop == SESS_STOP_BAD_MESSAGE ? &l->pev.bad : NULL,
                l->pev.proto, "");
    if (handshake) live_log_agreed(&l->pev);
    check_end(l);
}

static void on_closed(live_conn *c)
{
    live *l = c->l;
    int ready = c->ready;
    live_conn_close(c);
    if (!ready && l->pev.phase == SESS_IDLE) {   /* the TLS handshake failed: no session, nothing switched */
        ccs_loop_stop(&l->s.loop, CCS_EPROTO);
        return;
    }
    ccs_driver_disconnect(&c->drv, ccs_loop_now(&l->s.loop));
    check_end(l);
}

/* The car's contactors as they switch (the netns tests time a safe stop by these lines). */
static void log_contactors(live *l)
{
    int closed = l->plant.pev_contactor.closed;
    if (closed == l->car_contactors) return;
    l->car_contactors = closed;
    LOG_I("v2g: contactors %s", closed ? "closed" : "open");
}

static void on_step(ccs_loop *loop, void *ctx)
{
    live *l = ctx;
    uint32_t now = ccs_loop_now(loop), dt = now - l->last_step;
    l->last_step = now;
    if (dt > 1000) dt = 1000;
    ccs_loop_timer_at(loop, &l->step, now + LIVE_STEP_MS, on_step, l);
    if (is_evse(l)) {
        live_slots_step(l, now, dt);
        return;
    }
    live_hw_step(&l->hw, now, dt);
    log_contactors(l);
    if (!l->t_first_current && phys_plant_current_flows(&l->plant)) {
        l->t_first_current = now;
        live_pause_arm(l);
    }
    if (l->pev.phase != SESS_IDLE) ccs_driver_inputs(&l->conn[0].drv, NULL, now);   /* timers, contactors */
    check_end(l);
}

static void start_steps(live *l)
{
    l->last_step = ccs_loop_now(&l->s.loop);
    ccs_loop_timer_at(&l->s.loop, &l->step, l->last_step + LIVE_STEP_MS, on_step, l);
}

/* The connection is up (with TLS: the handshake done): the session starts. */
static void on_ready(live_conn *c)
{
    live *l = c->l;
    ccs_driver_start(&c->drv, ccs_loop_now(&l->s.loop));
    start_steps(l);   /* not before: a step of the paused session (ended) would end the loop */
    check_end(l);
}

static void on_connect(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)revents;
    live *l = ctx;
    int rc = llnet_tcp_connected(fd);
    if (rc == CCS_EAGAIN) return;
    ccs_loop_remove_fd(loop, fd);
    if (rc) {
        LOG_E("v2g: cannot connect to the charger");
        close(fd);
        ccs_loop_stop(loop, CCS_EIO);
        return;
    }
    llnet_local(fd, NULL, &l->port);
    l->conn[0].on_ready = on_ready;
    live_conn_open(&l->conn[0], l, fd, 1, l->tls_on, on_message, on_closed);
}

/* The car connects to the address and port SDP gave (again after a Pause), with TLS when SDP agreed on it. */
static int car_connect(live *l)
{
    live_conn *c = &l->conn[0];
    int fd;
    l->car = c;
    int tls = live_tls_choose(l);
    if (tls < 0) return tls;
    l->tls_on = tls;
    memcpy(c->peer_ip, l->sdp.result.addr, 16);
    c->peer_port = l->sdp.result.port;
    int rc = llnet_tcp_connect(l->ifindex, c->peer_ip, c->peer_port, &fd);
    if (!rc) rc = ccs_loop_add_fd(&l->s.loop, fd, POLLOUT, on_connect, l);
    return rc;
}

/* The car's session ended paused: wait (no physics steps: nothing moves, and a step would end the loop at once),
 * then SDP again, the connection (the steps again), the session resumed with its SessionID until it ends. */
static int resume(live *l)
{
    ccs_loop_timer_stop(&l->s.loop, &l->step);
    int rc = live_pause_wait(l);
    if (rc || l->no_resume) return rc;
    rc = live_sdp(l);
    if (!rc) rc = car_connect(l);
    return rc ? rc : ccs_loop_run(&l->s.loop);
}

static void on_safe_wait(ccs_loop *loop, void *ctx)
{
    *(int *)ctx = 1;
    ccs_loop_stop(loop, CCS_ETIMEOUT);
}

/* After an interruption: the engines' safe state, then run until the simulated contactors are open (the loop
 * stops at the end of the session) or LIVE_SAFE_WAIT_MS pass; more signals meanwhile (`timeout` and
 * process-group kills deliver twice) do not cut the wait short. */
static void safe_stop(live *l)
{
    ccs_loop *loop = &l->s.loop;
    uint32_t now = ccs_loop_now(loop);
    ccs_timer wait;
    int expired = 0;
    if (is_evse(l)) {
        live_slots_disconnect(l, now);
    } else {
        live_conn_close(&l->conn[0]);
        ccs_driver_disconnect(&l->conn[0].drv, now);
        check_end(l);
    }
    ccs_loop_timer_at(loop, &wait, now + LIVE_SAFE_WAIT_MS, on_safe_wait, &expired);
    while (!finished(l) && !expired && ccs_loop_run(loop) != CCS_EIO) {
    }
    ccs_loop_timer_stop(loop, &wait);
    LOG_I("v2g: safe state%s", finished(l) ? "" : " not confirmed (contactors still closed)");
}

int live_session(live *l)
{
    ccs_loop *loop = &l->s.loop;
    setup(l);
    int rc = is_evse(l) ? live_slots_start(l) : car_connect(l);
    if (rc) {
        LOG_E("v2g: %s", ccs_strerror(rc));
        return rc;
    }
    if (is_evse(l)) start_steps(l);
    rc = ccs_loop_run(loop);
    while (!rc && !is_evse(l) && live_pause_resuming(l)) rc = resume(l);
    if (rc == CCS_ESTATE) LOG_W("v2g: interrupted");
    if (!finished(l) && (is_evse(l) || l->pev.phase != SESS_IDLE)) safe_stop(l);
    ccs_loop_timer_stop(loop, &l->step);
    ccs_loop_timer_stop(loop, &l->pause_timer);
    if (is_evse(l)) live_slots_end(l);
    const sess_evse *e = l->car && is_evse(l) ? &l->car->evse : NULL;
    sess_phase ph = is_evse(l) ? (e ? e->phase : SESS_IDLE) : l->pev.phase;
    if (ph == SESS_IDLE) LOG_I("v2g: no session");
    else LOG_I("v2g: session %s: %s", ph == SESS_DONE ? "ended" : "stopped",
               e ? live_stop_text(e->stop, &e->bad, e->timer, e->proto)
                 : live_stop_text(l->pev.stop, &l->pev.bad, l->pev.timer, l->pev.proto));
    return rc;
}
