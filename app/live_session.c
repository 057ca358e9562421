/* The V2G session on the interface: V2GTP over TCP on link-local IPv6 (the charger accepts on the port it
 * announced, the car connects to the port it was given), the session engine, the half plant as simulated
 * hardware stepped every LIVE_STEP_MS, and the safe stop when interrupted. */
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/errors.h"
#include "ccsplc/llnet.h"
#include "ccsplc/log.h"
#include "ccsplc/tcpio.h"
#include "live.h"

static sess_docs docs;

static int is_evse(const live *l) { return l->o.role == LIVE_EVSE; }

void live_configure(const live_options *o, const uint8_t pev_mac[6], phys_plant *pl, sess_evse_config *ec,
                    sess_pev_config *pc)
{
    const sess_proto *proto = sess_proto_find(o->proto);
    int ac = sess_proto_ac(o->proto);
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
    sess_evse_config_default(ec);
    ec->protos[0] = proto;
    ec->max_v = cc.max_v;
    ec->max_a = cc.max_a;
    ec->max_w = cc.max_w;
    ec->ac_max_a = cc.max_a;
    ec->session_id_len = o->session_id_len;
    ec->auth_ongoing = o->auth_ongoing;
    ec->cpd_ongoing = o->cpd_ongoing;
    sess_pev_config_default(pc, pev_mac);
    pc->protos[0] = proto;
    pc->ac = (uint8_t)ac;
    pc->capacity_wh = bc.capacity_wh;
    pc->max_v = o->pev_target_v;
    pc->max_a = o->pev_max_a < bc.max_a ? o->pev_max_a : bc.max_a;
    pc->precharge_tolerance_v = o->precharge_tolerance_v;
}

static void setup(live *l)
{
    sess_evse_config ec;
    sess_pev_config pc;
    live_configure(&l->o, l->s.link.mac, &l->plant, &ec, &pc);
    if (is_evse(l)) sess_evse_init(&l->evse, &ec, &docs);
    else sess_pev_init(&l->pev, &pc, &docs);
    phys_plant_sense(&l->plant, is_evse(l) ? &l->evse : NULL, is_evse(l) ? NULL : &l->pev);
}

static sess_phase phase(const live *l) { return is_evse(l) ? l->evse.phase : l->pev.phase; }

static int finished(const live *l)
{
    sess_phase p = phase(l);
    const phys_contactor *k = is_evse(l) ? &l->plant.evse_contactor : &l->plant.pev_contactor;
    return (p == SESS_DONE || p == SESS_SAFE) && !k->closed;
}

static void close_conn(live *l)
{
    if (l->fd < 0) return;
    ccs_loop_remove_fd(&l->s.loop, l->fd);
    close(l->fd);
    l->fd = -1;
}

/* After an engine call: send what it built, close when it says so, stop the loop when the session is over. */
static void flush(live *l)
{
    uint8_t *tx = is_evse(l) ? l->evse.tx : l->pev.tx;
    size_t *len = is_evse(l) ? &l->evse.tx_len : &l->pev.tx_len;
    if (*len && l->fd >= 0) {
        LOG_D("v2g: > %s", is_evse(l) ? l->evse.tx_name : l->pev.tx_name);
        l->messages++;
        if (l->have_pcap)
            pcapng_tcp_flow_data(&l->pcap, &l->flow, live_wall_ns(), PCAPNG_DIR_OUT, tx, *len);
        if (tcpio_write_all(l->fd, tx, *len)) {
            LOG_E("v2g: write failed");
            close_conn(l);
        }
    }
    *len = 0;
    if (is_evse(l) ? l->evse.close : l->pev.close) close_conn(l);
    if (finished(l)) ccs_loop_stop(&l->s.loop, 0);
}

static void on_message(live *l, const v2gtp_msg *m)
{
    uint32_t now = ccs_loop_now(&l->s.loop);
    l->messages++;
    if (is_evse(l)) {
        sess_evse_on_message(&l->evse, m->payload_type, m->payload, m->payload_len, now);
        LOG_D("v2g: < %s", l->evse.rx_name ? l->evse.rx_name : "?");
    } else {
        sess_pev_on_message(&l->pev, m->payload_type, m->payload, m->payload_len, now);
        LOG_D("v2g: < %s", l->pev.rx_name ? l->pev.rx_name : "?");
        if (!l->t_first_current && l->pev.rx_name && !strcmp(l->pev.rx_name, "CurrentDemandRes"))
            l->t_first_current = now;
    }
    if (is_evse(l) && !l->t_first_current && l->evse.rx_name && !strcmp(l->evse.rx_name, "CurrentDemandReq"))
        l->t_first_current = now;
    flush(l);
}

static void peer_closed(live *l)
{
    uint32_t now = ccs_loop_now(&l->s.loop);
    LOG_I("v2g: the %s closed the connection", is_evse(l) ? "car" : "charger");
    close_conn(l);
    if (is_evse(l)) sess_evse_disconnect(&l->evse, now);
    else sess_pev_disconnect(&l->pev, now);
    flush(l);
}

static void on_data(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)loop;
    (void)revents;
    live *l = ctx;
    uint8_t buf[2048];
    for (;;) {
        ssize_t n = tcpio_read(fd, buf, sizeof buf);
        if (n == CCS_EAGAIN) return;
        if (n <= 0) {
            peer_closed(l);
            return;
        }
        if (l->have_pcap) pcapng_tcp_flow_data(&l->pcap, &l->flow, live_wall_ns(), PCAPNG_DIR_IN, buf, (size_t)n);
        const uint8_t *p = buf;
        size_t left = (size_t)n;
        while (left > 0 && l->fd == fd) {
            size_t used;
            v2gtp_msg m;
            int rc = v2gtp_reasm_push(&l->r, p, left, &used, &m);
            p += used;
            left -= used;
            if (rc == 0) on_message(l, &m);
            else if (rc != CCS_EAGAIN) {
                LOG_E("v2g: bad V2GTP stream: %s", ccs_strerror(rc));
                peer_closed(l);
            }
        }
        if (l->fd != fd) return;
    }
}

static void connected(live *l, int we_connect)
{
    uint32_t now = ccs_loop_now(&l->s.loop);
    char t[IPV6_TEXT_MAX];
    ipv6_format(l->peer_ip, t, sizeof t);
    LOG_I("v2g: connected %s [%s]:%u", we_connect ? "to" : "from", t, l->peer_port);
    v2gtp_reasm_init(&l->r, l->rbuf, sizeof l->rbuf, LIVE_MAX_PAYLOAD);
    if (l->have_pcap)
        pcapng_tcp_flow_open(&l->pcap, &l->flow, live_wall_ns(), we_connect, l->s.link.mac, l->ip, l->port, l->peer_mac,
                             l->peer_ip, l->peer_port);
    ccs_loop_add_fd(&l->s.loop, l->fd, POLLIN, on_data, l);
    if (is_evse(l)) sess_evse_connect(&l->evse, now);
    else sess_pev_start(&l->pev, now);
    flush(l);
}

static void on_accept(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)revents;
    live *l = ctx;
    if (llnet_tcp_accept(fd, &l->fd, l->peer_ip, &l->peer_port) != 1) return;
    ccs_loop_remove_fd(loop, fd);   /* one car per run */
    close(fd);
    l->lfd = -1;
    connected(l, 0);
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
        ccs_loop_stop(loop, CCS_EIO);
        return;
    }
    llnet_local(fd, NULL, &l->port);
    connected(l, 1);
}

static void on_step(ccs_loop *loop, void *ctx)
{
    live *l = ctx;
    uint32_t now = ccs_loop_now(loop), dt = now - l->last_step;
    l->last_step = now;
    if (dt > 1000) dt = 1000;
    if (is_evse(l)) {
        phys_plant_step_evse(&l->plant, &l->evse, dt);
        uint32_t at;
        if (sess_evse_next_timeout(&l->evse, &at) && (int32_t)(now - at) >= 0) sess_evse_tick(&l->evse, now);
    } else {
        phys_plant_step_pev(&l->plant, &l->pev, dt);
        if (l->pev.phase != SESS_IDLE) sess_pev_tick(&l->pev, now);
    }
    ccs_loop_timer_at(loop, &l->step, now + LIVE_STEP_MS, on_step, l);
    flush(l);
}

static void on_safe_wait(ccs_loop *loop, void *ctx)
{
    *(int *)ctx = 1;
    ccs_loop_stop(loop, CCS_ETIMEOUT);
}

/* After an interruption: the engine's safe state, then run until the simulated contactors are open (flush
 * stops the loop) or LIVE_SAFE_WAIT_MS pass; more signals meanwhile (`timeout` and process-group kills
 * deliver twice) do not cut the wait short. */
static void safe_stop(live *l)
{
    ccs_loop *loop = &l->s.loop;
    uint32_t now = ccs_loop_now(loop);
    ccs_timer wait;
    int expired = 0;
    close_conn(l);
    if (is_evse(l)) sess_evse_disconnect(&l->evse, now);
    else sess_pev_disconnect(&l->pev, now);
    ccs_loop_timer_at(loop, &wait, now + LIVE_SAFE_WAIT_MS, on_safe_wait, &expired);
    flush(l);
    while (!finished(l) && !expired && ccs_loop_run(loop) != CCS_EIO) {
    }
    ccs_loop_timer_stop(loop, &wait);
    LOG_I("v2g: safe state%s", finished(l) ? "" : " not confirmed (contactors still closed)");
}

int live_session(live *l)
{
    ccs_loop *loop = &l->s.loop;
    setup(l);
    int rc;
    if (is_evse(l)) {
        rc = ccs_loop_add_fd(loop, l->lfd, POLLIN, on_accept, l);
    } else {
        memcpy(l->peer_ip, l->sdp.result.addr, 16);
        l->peer_port = l->sdp.result.port;
        rc = llnet_tcp_connect(l->ifindex, l->peer_ip, l->peer_port, &l->fd);
        if (!rc) rc = ccs_loop_add_fd(loop, l->fd, POLLOUT, on_connect, l);
    }
    if (rc) {
        LOG_E("v2g: %s", ccs_strerror(rc));
        return rc;
    }
    l->last_step = ccs_loop_now(loop);
    ccs_loop_timer_at(loop, &l->step, l->last_step + LIVE_STEP_MS, on_step, l);
    rc = ccs_loop_run(loop);
    if (rc == CCS_ESTATE) LOG_W("v2g: interrupted");
    if (!finished(l) && phase(l) != SESS_IDLE) safe_stop(l);
    ccs_loop_timer_stop(loop, &l->step);
    LOG_I("v2g: session %s: %s", phase(l) == SESS_DONE ? "ended" : "stopped",
          sess_stop_name(is_evse(l) ? l->evse.stop : l->pev.stop));
    return rc;
}
