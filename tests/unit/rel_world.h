/* Reliability world: one plug-in as both sides live it, with faults, deterministic by seed on a virtual clock.
 * SLAC and SDP are frames on the simulated powerline (sim_plc and its loss / burst / duplication / reordering /
 * corruption knobs); the V2G session (tests/unit/sess_world.h: both engines and the plant, DC or AC as in
 * iso2_world.h) then runs over a model of TCP on that line: in order, a segment lost or corrupted on the line
 * costs a retransmission timeout (200 ms, doubling; a reset after REL_TCP_RETRIES), a restarting modem stalls it,
 * duplicates and reordering are absorbed. Peer faults: TCP reset, a silent peer, a slow answer. Every step goes
 * through rel_check.h. Every machine (SLAC, SDP, sessions) runs in the one driver (ccsplc/core/machine.h).
 * Header-only like sess_world.h. */
#ifndef CCSPLC_TEST_REL_WORLD_H
#define CCSPLC_TEST_REL_WORLD_H
#include <string.h>

#include "ccsplc/core/ipv6.h"
#include "ccsplc/core/machines.h"
#include "ccsplc/sim/plcsim.h"
#include "ccsplc/core/sdp.h"
#include "ccsplc/core/sha256.h"
#include "ccsplc/core/slac.h"
#include "iso2_world.h"
#include "rel_check.h"

#define REL_EVSE_PORT 0
#define REL_PEV_PORT 1
#define REL_RTO_MIN_MS 200u          /* Linux TCP_RTO_MIN */
#define REL_TCP_RETRIES 8u           /* then the connection resets (about 100 s of backoff) */
#define REL_QCAP 8
#define REL_SLAC_ATTEMPTS 3u
/* No hang: the longest a SLAC attempt can wait by its timers, then SDP's retries. */
#define REL_SLAC_ATTEMPT_MS (SLAC_TT_EV_ATTEN_RESULTS_MS + SLAC_TT_MATCH_JOIN_MS + SLAC_RESTART_DELAY_MS + \
                             (SLAC_C_EV_MATCH_RETRY + 1u) * 2u * SLAC_TT_MATCH_RESPONSE_MS)
#define REL_LINK_LIMIT_MS (REL_SLAC_ATTEMPTS * REL_SLAC_ATTEMPT_MS + SDP_TIMEOUT_MS * SDP_MAX_REQUESTS)

/* What follows the charger's timeout before it is safe: what is in flight at that moment (a request delivered
 * just before the timeout, its answer, the close: a few 10 ms steps) and the contactor delay. */
#define REL_IN_FLIGHT_MS (15u * SW_STEP_MS + PLANT_CONTACTOR_DELAY_MS)
/* After a fault the charger waits at most the longest V2G_SECC_Sequence_Timeout of its protocol's table for the
 * next request (DIN, ISO-2: 60 s everywhere; ISO-20: 60 s, 0.5 s within DC_ChargeLoop), then switches off. */
static inline uint32_t rel_safe_bound_ms(const sess_proto *proto)
{
    uint32_t longest = 0;
    for (unsigned i = 0; i < proto->evse_nstates; i++)
        if (proto->evse_states[i].timeout_ms > longest) longest = proto->evse_states[i].timeout_ms;
    return longest + REL_IN_FLIGHT_MS;
}

typedef enum {
    REL_F_NONE,
    REL_F_MODEM_RESTART_EVSE, /* the charger's modem restarts (offline restart_ms) */
    REL_F_MODEM_RESTART_PEV,
    REL_F_TCP_RESET,          /* both ends see the connection reset */
    REL_F_SILENT_EVSE,        /* the charger's messages vanish from then on */
    REL_F_SILENT_PEV,
    REL_F_SLOW_EVSE,          /* one charger response arrives at the car's deadline + slow_ms (may be < 0) */
    REL_F_SLOW_PEV,           /* one car request arrives at the charger's deadline + slow_ms */
    REL_F_COUNT
} rel_fault_kind;

typedef struct {
    sim_plc_config line;      /* powerline: delay, jitter, loss, bursts, duplication, reordering, corruption */
    uint32_t modem_restart_ms;
    rel_fault_kind kind;
    unsigned at_msg;          /* at the at_msg-th message (1-based) of the faulty side */
    int32_t slow_ms;
} rel_faults;

typedef struct {
    uint8_t data[SESS_TX_CAP];
    size_t len;               /* 0: a reset */
    uint32_t due;
} rel_seg;

typedef struct rel_world rel_world;
/* Called with every V2G message a session sends, before the line: 0 drops it; may rewrite buf/len (capacity
 * SESS_TX_CAP). */
typedef int (*rel_tamper_fn)(rel_world *w, int dir, uint8_t *buf, size_t *len);

struct rel_world {
    sw_world s;               /* sessions and plant (its own message slots stay unused) */
    sim_plc plc;
    slac_evse slac_e;
    slac_pev slac_p;
    ccs_driver slac[2];       /* [REL_EVSE_PORT], [REL_PEV_PORT] */
    sdp_client sdp;
    sdp_server_machine srv;
    ccs_driver sdp_drv, srv_drv;
    ipv6_frame reply_to;      /* the SDP request the server answers */
    uint8_t mac[2][6], ip[2][16];
    uint32_t rng;             /* SLAC randomness and the TCP model */
    rel_faults f;
    rel_monitor mon;
    rel_seg q[2][REL_QCAP];   /* V2G messages in flight per direction, FIFO */
    unsigned qn[2];
    uint32_t last_due[2];
    unsigned sent[2];         /* messages sent per direction */
    uint8_t connected, silent[2];
    uint8_t slow_self_timeout; /* REL_F_SLOW_*: the car's own setup / state timer expires before it sends or
                                * within a second after (too soon for the round trips it still needs); or the
                                * charger's sequence timer, running since it sent the late answer, expires within a
                                * second of its arrival (ISO-20's DC_ChargeLoop: 0.5 s on both sides, so an answer
                                * late by almost the car's timeout leaves no time for the car's next request) */
    uint32_t silent_deadline; /* REL_F_SILENT_PEV: the charger's deadline for the request that vanished (the
                               * timeout of the state it waits in: ISO-20's DC_ChargeLoop 0.5 s, else 20-60 s) */
    uint32_t v2g_start;
    rel_tamper_fn tamper;
    void *tamper_ctx;
    uint32_t other_sdp;       /* SDP responses that reached hosts beyond the charger and the car */
    uint32_t sdp_answers;     /* SDP requests the charger answered */
    sess_docs scratch;
};

static inline uint32_t rel_rand(rel_world *w)
{
    uint32_t x = w->rng ? w->rng : 1u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return w->rng = x;
}

static inline int rel_chance(rel_world *w, uint16_t permille) { return permille && rel_rand(w) % 1000u < permille; }

static inline int rel_rng_cb(void *ctx, uint8_t *out, size_t len)
{
    rel_world *w = ctx;
    for (size_t i = 0; i < len; i++) out[i] = (uint8_t)rel_rand(w);
    return 0;
}

/* ---------------- link phase: SLAC + SDP over the simulated powerline ---------------- */

static inline void rel_put(rel_world *w, int port, const uint8_t *frame, size_t len)
{
    sim_plc_send(&w->plc, port, frame, len, w->s.now);
}

static inline void rel_send_udp(rel_world *w, int port, const uint8_t *pl, size_t len, const uint8_t dmac[6],
                                const uint8_t dip[16], uint16_t sport, uint16_t dport)
{
    ipv6_frame f = { .ethertype = ETH_TYPE_IPV6, .hop_limit = 255, .proto = IPV6_PROTO_UDP, .src_port = sport,
                     .dst_port = dport };
    memcpy(f.dst_mac, dmac, 6);
    memcpy(f.src_mac, w->mac[port], 6);
    memcpy(f.src, w->ip[port], 16);
    memcpy(f.dst, dip, 16);
    uint8_t frame[128];
    size_t n;
    if (ipv6_frame_build(&f, pl, len, frame, sizeof frame, &n) == 0) rel_put(w, port, frame, n);
}

/* The drivers' ports on the line: SLAC frames of either host, the car's SDP request (multicast), the charger's SDP
 * answer (to the request's sender). */
static inline int rel_slac_out(rel_world *w, int port, const uint8_t *frame, size_t len)
{
    rel_put(w, port, frame, len);
    return 0;
}

static inline int rel_slac_out_evse(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    (void)name;
    return rel_slac_out(ctx, REL_EVSE_PORT, buf, len);
}

static inline int rel_slac_out_pev(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    (void)name;
    return rel_slac_out(ctx, REL_PEV_PORT, buf, len);
}

static inline int rel_sdp_request(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    (void)name;
    static const uint8_t mcast[6] = { 0x33, 0x33, 0, 0, 0, 1 };
    rel_send_udp(ctx, REL_PEV_PORT, buf, len, mcast, ipv6_all_nodes, 50000, SDP_UDP_PORT);
    return 0;
}

static inline int rel_sdp_answer(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    (void)name;
    rel_world *w = ctx;
    const ipv6_frame *f = &w->reply_to;
    w->sdp_answers++;
    rel_send_udp(w, REL_EVSE_PORT, buf, len, f->src_mac, f->src, SDP_UDP_PORT, f->src_port);
    return 0;
}

/* A frame reached a host: SDP to the client/server, anything else to the SLAC machine (which must cope). */
static inline void rel_frame(rel_world *w, int port, const uint8_t *frame, size_t len)
{
    ipv6_frame f;
    const uint8_t *pl;
    size_t n;
    int udp = ipv6_frame_parse(frame, len, &f, &pl, &n) == 0 && f.proto == IPV6_PROTO_UDP;
    if (port > REL_PEV_PORT) {   /* a third host a test added (e.g. a hostile one) */
        w->other_sdp += udp && f.src_port == SDP_UDP_PORT;
        return;
    }
    if (udp) {
        w->reply_to = f;
        if (port == REL_EVSE_PORT && f.dst_port == SDP_UDP_PORT) ccs_driver_message(&w->srv_drv, 0, pl, n, w->s.now);
        else if (port == REL_PEV_PORT && w->sdp.state == SDP_CLIENT_WAITING)
            ccs_driver_message(&w->sdp_drv, 0, pl, n, w->s.now);
        return;
    }
    ccs_driver_message(&w->slac[port], 0, frame, len, w->s.now);
}

/* New plug-in: fresh powerline, modems, SLAC machines and SDP; the charger's session struct is kept. */
static inline void rel_plug(rel_world *w, uint32_t seed, const rel_faults *f)
{
    w->f = *f;
    w->rng = seed ? seed : 1u;
    sim_plc_config line = f->line;
    line.seed = seed;
    sim_plc_init(&w->plc, &line);
    for (int p = 0; p < 2; p++) {
        static const uint8_t base[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x20 };
        memcpy(w->mac[p], base, 6);
        w->mac[p][5] = (uint8_t)(0x20 + p);
        ipv6_link_local_from_mac(w->mac[p], w->ip[p]);
        sim_port_config pc = { .device_class = 0x22, .firmware = "MAC-QCA7000-1.1.0.727-02-20130826-FINAL",
                               .restart_ms = f->modem_restart_ms ? f->modem_restart_ms : 400, .setkey_result = 1 };
        memcpy(pc.host_mac, w->mac[p], 6);
        memcpy(pc.modem_mac, w->mac[p], 6);
        pc.modem_mac[4] = 0xB0;
        sim_plc_add_port(&w->plc, &pc);
    }
    sim_plc_set_atten(&w->plc, REL_EVSE_PORT, REL_PEV_PORT, 20);
    slac_evse_config ec;
    slac_evse_config_default(&ec, w->mac[REL_EVSE_PORT], rel_rng_cb, w, ccs_sha256_openssl);
    slac_evse_init(&w->slac_e, &ec);
    slac_pev_config pc;
    slac_pev_config_default(&pc, w->mac[REL_PEV_PORT], rel_rng_cb, w);
    pc.max_attempts = REL_SLAC_ATTEMPTS;
    slac_pev_init(&w->slac_p, &pc);
    memset(&w->sdp, 0, sizeof w->sdp);
    memset(&w->srv, 0, sizeof w->srv);
    memcpy(w->srv.srv.addr, w->ip[REL_EVSE_PORT], 16);
    w->srv.srv.tcp_port = 15119;
    memset(&w->mon, 0, sizeof w->mon);
    const ccs_port se = { rel_slac_out_evse, NULL, w }, sp = { rel_slac_out_pev, NULL, w },
                   cl = { rel_sdp_request, NULL, w }, sv = { rel_sdp_answer, NULL, w };
    ccs_driver_init(&w->slac[REL_EVSE_PORT], ccs_slac_evse_machine(&w->slac_e), &se);
    ccs_driver_init(&w->slac[REL_PEV_PORT], ccs_slac_pev_machine(&w->slac_p), &sp);
    ccs_driver_init(&w->sdp_drv, ccs_sdp_client_machine(&w->sdp), &cl);
    ccs_driver_init(&w->srv_drv, ccs_sdp_server_machine(&w->srv), &sv);
    w->s.now = 0;
    ccs_driver_start(&w->slac[REL_EVSE_PORT], w->s.now);
    ccs_driver_start(&w->slac[REL_PEV_PORT], w->s.now);
}

/* Everything due now on the line: frames, SLAC timers, SDP retries. */
static inline void rel_line_due(rel_world *w)
{
    static uint8_t buf[SIM_FRAME_MAX];
    int port;
    size_t len;
    while (sim_plc_poll(&w->plc, w->s.now, &port, buf, sizeof buf, &len) == 1) rel_frame(w, port, buf, len);
    for (int p = 0; p < 2; p++) ccs_driver_poll(&w->slac[p], w->s.now);
    ccs_driver_poll(&w->sdp_drv, w->s.now);
}

typedef enum { REL_LINK_UP, REL_LINK_NO_SLAC, REL_LINK_NO_SDP, REL_LINK_HUNG } rel_link_result;

/* SLAC until the car's modem joined (or the car gave up), then SDP until answered (or given up). Each ends by
 * its own timers: running past REL_LINK_LIMIT_MS is a hang. extra() (may be NULL) runs every millisecond. */
static inline rel_link_result rel_link_up(rel_world *w, void (*extra)(rel_world *w))
{
    for (; w->s.now <= REL_LINK_LIMIT_MS; w->s.now++) {
        rel_line_due(w);
        if (extra) extra(w);
        if (w->slac_p.status == SLAC_LINKED && w->sdp.state == SDP_CLIENT_IDLE) {
            sdp_client_init(&w->sdp, SDP_SECURITY_NONE, SDP_TRANSPORT_TCP);
            ccs_driver_start(&w->sdp_drv, w->s.now);
        }
        if (w->sdp.state == SDP_CLIENT_DONE) return REL_LINK_UP;
        if (w->sdp.state == SDP_CLIENT_FAILED) return REL_LINK_NO_SDP;
        if (w->slac_p.status == SLAC_IDLE && w->slac_p.attempts >= REL_SLAC_ATTEMPTS) return REL_LINK_NO_SLAC;
    }
    return REL_LINK_HUNG;
}

/* ---------------- V2G phase: TCP over the line ---------------- */

/* When a segment sent at t gets through: retransmissions while the line loses it or a modem is offline. */
static inline int rel_tcp_arrival(rel_world *w, uint32_t t, uint32_t *at)
{
    uint32_t rto = REL_RTO_MIN_MS;
    for (unsigned tries = 0; tries <= REL_TCP_RETRIES; tries++) {
        int lost = !sim_plc_same_avln(&w->plc, REL_EVSE_PORT, REL_PEV_PORT, t) ||
                   rel_chance(w, w->f.line.loss_permille) || rel_chance(w, w->f.line.corrupt_permille) ||
                   rel_chance(w, w->f.line.burst_permille);
        if (!lost) {
            uint32_t j = w->f.line.jitter_ms ? rel_rand(w) % (w->f.line.jitter_ms + 1) : 0;
            *at = t + w->f.line.delay_ms + j + SW_STEP_MS;
            return 1;
        }
        t += rto;
        rto *= 2;
    }
    *at = t;
    return 0;   /* reset */
}

static inline void rel_enqueue(rel_world *w, int dir, const uint8_t *buf, size_t len, uint32_t due)
{
    if ((int32_t)(due - w->last_due[dir]) < 0) due = w->last_due[dir];   /* in order */
    w->last_due[dir] = due;
    if (w->qn[dir] == REL_QCAP) {
        rel_monitor_flag(&w->mon, "more than REL_QCAP messages in flight", w->s.now);
        return;
    }
    rel_seg *s = &w->q[dir][w->qn[dir]++];
    memcpy(s->data, buf, len);
    s->len = len;
    s->due = due;
}

/* Does the scripted fault hit this message (the n-th of its side)? */
static inline int rel_fault_here(const rel_world *w, int dir, rel_fault_kind evse_kind, rel_fault_kind pev_kind)
{
    rel_fault_kind k = dir == SW_TO_PEV ? evse_kind : pev_kind;
    return w->f.kind == k && w->sent[dir] == w->f.at_msg;
}

/* A session sent tx: faults, then the TCP model. */
static inline void rel_send(rel_world *w, int dir, const uint8_t *tx, size_t len, const char *name)
{
    uint8_t tampered[SESS_TX_CAP];
    if (!len || !w->connected) return;
    sw_log(&w->s, name);
    w->sent[dir]++;
    if (w->tamper) {
        memcpy(tampered, tx, len);
        if (!w->tamper(w, dir, tampered, &len)) return;
        tx = tampered;
    }
    if (rel_fault_here(w, dir, REL_F_SILENT_EVSE, REL_F_SILENT_PEV)) {
        w->silent[dir] = 1;
        w->silent_deadline = w->s.evse.has_deadline ? w->s.evse.deadline_ms : w->s.now;
        rel_monitor_fault(&w->mon, w->s.now);
    }
    if (w->silent[dir]) return;
    if (w->f.kind == REL_F_TCP_RESET && w->sent[SW_TO_PEV] == w->f.at_msg && dir == SW_TO_PEV) {
        rel_monitor_fault(&w->mon, w->s.now);
        rel_enqueue(w, dir, tx, 0, w->s.now);
        return;
    }
    if ((w->f.kind == REL_F_MODEM_RESTART_EVSE || w->f.kind == REL_F_MODEM_RESTART_PEV) &&
        dir == SW_TO_PEV && w->sent[dir] == w->f.at_msg) {
        rel_monitor_fault(&w->mon, w->s.now);
        sim_plc_restart_modem(&w->plc, w->f.kind == REL_F_MODEM_RESTART_EVSE ? REL_EVSE_PORT : REL_PEV_PORT,
                              w->s.now);
    }
    uint32_t at;
    int ok = rel_tcp_arrival(w, w->s.now, &at);
    if (rel_fault_here(w, dir, REL_F_SLOW_EVSE, REL_F_SLOW_PEV)) {
        /* the peer's deadline for this message, moved by slow_ms */
        uint32_t deadline = dir == SW_TO_PEV ? w->s.pev.deadline_ms : w->s.evse.deadline_ms;
        at = deadline + (uint32_t)w->f.slow_ms;
        /* the standard's timers apply from its arrival, or from the deadline it misses */
        rel_monitor_fault(&w->mon, w->f.slow_ms < 0 ? at : deadline);
        sess_pev *p = &w->s.pev;
        if (dir == SW_TO_EVSE && p->waiting) p->deadline_ms += at - w->s.now; /* the car sends it that late */
        const sess_evse *e = &w->s.evse;
        w->slow_self_timeout = (p->has_setup_deadline && (int32_t)(p->setup_deadline_ms - at) < 1000) ||
                               (p->has_state_deadline && (int32_t)(p->state_deadline_ms - at) < 1000) ||
                               (dir == SW_TO_PEV && e->has_deadline && (int32_t)(e->deadline_ms - at) < 1000);
    }
    rel_enqueue(w, dir, tx, ok ? len : 0, at);
}

/* The sessions' drivers' ports: ctx is the sw_world inside the rel_world. */
static inline int rel_send_evse(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    rel_send((rel_world *)((sw_port *)ctx)->w, SW_TO_PEV, buf, len, name);
    return 0;
}

static inline int rel_send_pev(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    rel_send((rel_world *)((sw_port *)ctx)->w, SW_TO_EVSE, buf, len, name);
    return 0;
}

static inline void rel_disconnect(rel_world *w)
{
    if (!w->connected) return;
    w->connected = 0;
    w->qn[0] = w->qn[1] = 0;
    ccs_driver_disconnect(&w->s.evse_drv, w->s.now);
    ccs_driver_disconnect(&w->s.pev_drv, w->s.now);
}

static inline void rel_deliver(rel_world *w, int dir, const rel_seg *seg)
{
    if (!seg->len) {
        rel_disconnect(w);
        return;
    }
    v2gtp_msg m;
    if (v2gtp_parse(seg->data, seg->len, SESS_TX_CAP, &m) != 0) {
        rel_monitor_flag(&w->mon, "a session sent a bad V2GTP frame", w->s.now);
        return;
    }
    if (dir == SW_TO_EVSE) {
        int rc = ccs_driver_message(&w->s.evse_drv, m.payload_type, m.payload, m.payload_len, w->s.now);
        rel_monitor_flag(&w->mon, rel_evse_ok(&w->s.evse, rc, &w->scratch), w->s.now);
    } else {
        int rc = ccs_driver_message(&w->s.pev_drv, m.payload_type, m.payload, m.payload_len, w->s.now);
        rel_monitor_flag(&w->mon, rel_pev_ok(&w->s.pev, rc, &w->scratch), w->s.now);
    }
}

/* One 10 ms step: due messages, closes, timers, physics, invariants. */
static inline void rel_step(rel_world *w)
{
    for (int dir = 0; dir < 2; dir++)
        while (w->connected && w->qn[dir] && (int32_t)(w->s.now - w->q[dir][0].due) >= 0) {
            rel_seg seg = w->q[dir][0];
            memmove(&w->q[dir][0], &w->q[dir][1], (--w->qn[dir]) * sizeof seg);
            rel_deliver(w, dir, &seg);
        }
    /* A side that wants to close does so once its last message is on its way (FIN after the data). */
    if (w->connected && ((w->s.closing[SW_TO_PEV] && !w->qn[SW_TO_PEV]) ||
                         (w->s.closing[SW_TO_EVSE] && !w->qn[SW_TO_EVSE])))
        rel_disconnect(w);
    uint32_t at;
    if (ccs_driver_next_wake(&w->s.evse_drv, &at) && (int32_t)(w->s.now - at) >= 0) {
        ccs_driver_poll(&w->s.evse_drv, w->s.now);
        rel_monitor_flag(&w->mon, rel_evse_ok(&w->s.evse, 0, &w->scratch), w->s.now);
    }
    phys_plant_step(&w->s.plant, &w->s.evse, &w->s.pev, SW_STEP_MS);
    ccs_driver_inputs(&w->s.pev_drv, NULL, w->s.now);
    rel_monitor_flag(&w->mon, rel_pev_ok(&w->s.pev, 0, &w->scratch), w->s.now);
    rel_monitor_step(&w->mon, w->s.now, &w->s.evse, &w->s.plant);
    w->s.now += SW_STEP_MS;
}

/* The car connects over TCP to the address SDP gave: both sessions start (the charger's struct is reused). */
static inline void rel_connect(rel_world *w, const sess_pev_config *pc, const phys_battery_config *bc)
{
    w->qn[0] = w->qn[1] = 0;
    w->last_due[0] = w->last_due[1] = w->s.now;
    w->sent[0] = w->sent[1] = 0;
    w->silent[0] = w->silent[1] = 0;
    w->slow_self_timeout = 0;
    w->connected = 1;
    w->v2g_start = w->s.now;
    w->s.nlog = 0;
    sess_pev_init(&w->s.pev, pc, &sw_pev_docs);
    /* ISO-20: the car renegotiates its services once, at its first charge-loop response */
    w->s.pev.in.service_request = !strncmp(sess_proto_name(pc->protos[0]), "iso20", 5);
    phys_battery_init(&w->s.plant.battery, bc);
    phys_charger_reset(&w->s.plant.charger);
    phys_plant_sense(&w->s.plant, &w->s.evse, &w->s.pev);
    w->s.closing[0] = w->s.closing[1] = 0;
    ccs_driver_start(&w->s.evse_drv, w->s.now);
    ccs_driver_start(&w->s.pev_drv, w->s.now);
}

static inline int rel_ended(const rel_world *w)
{
    const sess_evse *e = &w->s.evse;
    const sess_pev *p = &w->s.pev;
    return (e->phase == SESS_DONE || e->phase == SESS_SAFE) && (p->phase == SESS_DONE || p->phase == SESS_SAFE) &&
           !w->s.plant.pev_contactor.closed && !w->s.plant.evse_contactor.closed && !w->connected;
}

/* Runs the session until both ended or limit_ms of session time passed; returns rel_ended(). */
static inline int rel_run(rel_world *w, uint32_t limit_ms)
{
    while (!rel_ended(w) && w->s.now - w->v2g_start <= limit_ms) rel_step(w);
    return rel_ended(w);
}

static inline int rel_normal(const rel_world *w)
{
    return w->s.evse.stop == SESS_STOP_NORMAL && w->s.pev.stop == SESS_STOP_NORMAL;
}

/* The whole plug-in. Returns NULL when every invariant held: no violation at any step, the link phase and the
 * session ended by their timers (no hang), and either both sides stopped normally or the charger was safe
 * within rel_safe_bound_ms() of the fault. *link gets how the link phase ended. */
static inline const char *rel_session(rel_world *w, uint32_t seed, const rel_faults *f, const sess_pev_config *pc,
                                      const phys_battery_config *bc, uint32_t limit_ms, rel_link_result *link)
{
    rel_plug(w, seed, f);
    *link = rel_link_up(w, NULL);
    if (*link == REL_LINK_HUNG) return "link phase did not end by its timers";
    if (*link != REL_LINK_UP) return NULL;     /* no link: the charger never switched on */
    rel_connect(w, pc, bc);
    if (!rel_run(w, limit_ms)) return "session did not end (hang)";
    if (rel_normal(w) && !w->mon.violation) return NULL;
    return rel_monitor_verdict(&w->mon, rel_safe_bound_ms(w->s.evse.cfg.protos[0]));
}

/* Configurations of a reliability world for protocol proto_index of rel_protos: the harness's defaults with a
 * short charge (20 -> 21 % of 10 kWh), that protocol alone on both sides; for AC the car charges AC from the
 * charger's AC supply; BPT: the charger can discharge, the car discharges below 20 % first; ISO-20: the Internet
 * service offered and selected, the meter confirmed every 2 s of charging (iso20_vas.c, iso20_metering.c). */
static inline void rel_configs(unsigned proto_index, sess_evse_config *ec, sess_pev_config *pc,
                               phys_charger_config *cc, phys_battery_config *bc)
{
    sw_default_configs(ec, pc, cc, bc);
    bc->target_soc = 21.0f;
    ec->protos[0] = pc->protos[0] = sess_proto_find(rel_protos[proto_index]);
    ec->nprotos = pc->nprotos = 1;
    if (sess_proto_ac(rel_protos[proto_index])) iw_ac(pc, cc);
    if (sess_proto_bpt(rel_protos[proto_index])) {   /* the car discharges below 20 % first, then charges */
        ec->discharge_max_a = cc->discharge_max_a;
        ec->discharge_max_w = cc->discharge_max_w;
        pc->discharge_soc = 20;
    }
    if (!strncmp(rel_protos[proto_index], "iso20", 5)) {
        ec->vas = pc->vas = SESS_VAS_INTERNET;
        ec->receipt_interval_ms = 2000;
    }
}

/* A charger (and plant) for protocol proto_index; pc/bc get the car's and battery's configurations. */
static inline void rel_init(rel_world *w, unsigned proto_index, sess_pev_config *pc, phys_battery_config *bc)
{
    sess_evse_config ec;
    phys_charger_config cc;
    memset(w, 0, sizeof *w);
    rel_configs(proto_index, &ec, pc, &cc, bc);
    sw_init(&w->s, &ec, pc, &cc, bc);
    /* the sessions' drivers send over the TCP model; the world's close flags as in sess_world */
    const ccs_port ep = { rel_send_evse, sw_close, &w->s.port[SW_TO_PEV] },
                   pp = { rel_send_pev, sw_close, &w->s.port[SW_TO_EVSE] };
    ccs_driver_init(&w->s.evse_drv, ccs_sess_evse_machine(&w->s.evse), &ep);
    ccs_driver_init(&w->s.pev_drv, ccs_sess_pev_machine(&w->s.pev), &pp);
}

#endif
