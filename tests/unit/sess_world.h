/* Test harness for sessions: a charger session, a car session and the physics plant on a virtual clock, each
 * session run by the one driver (ccsplc/core/machine.h), messages passed in memory with a latency, a hook to drop
 * or rewrite messages, and a log of message names. Header-only (static inline) so each session test can include it. */
#ifndef CCSPLC_TEST_SESS_WORLD_H
#define CCSPLC_TEST_SESS_WORLD_H
#include <string.h>

#include "ccsplc/sim/plant.h"
#include "ccsplc/core/machines.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/core/v2gtp.h"

#define SW_STEP_MS 10u     /* physics and delivery step */
#define SW_LOG_MAX 4096

enum { SW_TO_EVSE, SW_TO_PEV };

typedef struct sw_world sw_world;
/* Called with every message before delivery: return 0 to drop it; may rewrite buf/len (capacity SESS_TX_CAP). */
typedef int (*sw_hook)(sw_world *w, int dir, uint8_t *buf, size_t *len);

typedef struct {
    sw_world *w;
    int dir;                     /* where what its session sends goes */
} sw_port;

struct sw_world {
    sess_evse evse;
    sess_pev pev;
    ccs_driver evse_drv, pev_drv; /* the one driver (ccsplc/core/machine.h) of each session */
    sw_port port[2];             /* [SW_TO_PEV]: the charger's, [SW_TO_EVSE]: the car's */
    uint8_t closing[2];          /* the session sending towards [dir] closed its end */
    phys_plant plant;
    uint32_t now;
    uint8_t msg[2][SESS_TX_CAP];
    size_t msg_len[2];
    uint32_t msg_at[2];
    uint8_t pev_connected;       /* TCP up from the car's view */
    sw_hook hook;
    void *hook_ctx;
    void (*plant_step)(sw_world *w);   /* instead of phys_plant_step (e.g. the car's hardware stack) */
    const char *log[SW_LOG_MAX]; /* message names in order of sending */
    uint32_t log_at[SW_LOG_MAX];
    unsigned nlog;
};

static sess_docs sw_evse_docs, sw_pev_docs;

static inline void sw_default_configs(sess_evse_config *ec, sess_pev_config *pc, phys_charger_config *cc,
                                      phys_battery_config *bc)
{
    static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x11 };
    sess_evse_config_default(ec);
    sess_pev_config_default(pc, mac);
    phys_charger_default(cc);
    phys_battery_default(bc);
    bc->capacity_wh = 10000.0f;   /* small, so a whole charge is quick: 20 % -> 30 % */
    bc->soc = 20.0f;
    bc->target_soc = 30.0f;
    pc->capacity_wh = bc->capacity_wh;
}

static inline void sw_log(sw_world *w, const char *name)
{
    if (name && w->nlog < SW_LOG_MAX) {
        w->log_at[w->nlog] = w->now;
        w->log[w->nlog++] = name;
    }
}

static inline void sw_queue(sw_world *w, int dir, const uint8_t *tx, size_t len, const char *name)
{
    if (!len) return;
    sw_log(w, name);
    memcpy(w->msg[dir], tx, len);
    w->msg_len[dir] = len;
    w->msg_at[dir] = w->now + SW_STEP_MS;
}

/* The drivers' port: a message in flight towards dir (the car's only while it is attached). */
static inline int sw_send(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    sw_port *p = ctx;
    if (p->dir == SW_TO_EVSE && !p->w->pev_connected) return 0;
    sw_queue(p->w, p->dir, buf, len, name);
    return 0;
}

static inline void sw_close(void *ctx)
{
    sw_port *p = ctx;
    p->w->closing[p->dir] = 1;
}

static inline void sw_init(sw_world *w, const sess_evse_config *ec, const sess_pev_config *pc,
                           const phys_charger_config *cc, const phys_battery_config *bc)
{
    memset(w, 0, sizeof *w);
    sess_evse_init(&w->evse, ec, &sw_evse_docs);
    sess_pev_init(&w->pev, pc, &sw_pev_docs);
    for (int dir = 0; dir < 2; dir++) w->port[dir] = (sw_port){ w, dir };
    ccs_port ep = { sw_send, sw_close, &w->port[SW_TO_PEV] }, pp = { sw_send, sw_close, &w->port[SW_TO_EVSE] };
    ccs_driver_init(&w->evse_drv, ccs_sess_evse_machine(&w->evse), &ep);
    ccs_driver_init(&w->pev_drv, ccs_sess_pev_machine(&w->pev), &pp);
    phys_plant_init(&w->plant, cc, bc);
    phys_plant_sense(&w->plant, &w->evse, &w->pev);
}

/* The car plugs in and connects: both sessions start. */
static inline void sw_connect(sw_world *w)
{
    phys_charger_reset(&w->plant.charger);
    w->closing[0] = w->closing[1] = 0;
    w->pev_connected = 1;
    ccs_driver_start(&w->evse_drv, w->now);
    ccs_driver_start(&w->pev_drv, w->now);
}

static inline void sw_deliver(sw_world *w, int dir)
{
    size_t len = w->msg_len[dir];
    w->msg_len[dir] = 0;
    if (w->hook && !w->hook(w, dir, w->msg[dir], &len)) return;
    if (len < V2GTP_HEADER_LEN) return;
    v2gtp_msg m;
    if (v2gtp_parse(w->msg[dir], len, 65536, &m) != 0) return;
    if (dir == SW_TO_EVSE) ccs_driver_message(&w->evse_drv, m.payload_type, m.payload, m.payload_len, w->now);
    else if (w->pev_connected) ccs_driver_message(&w->pev_drv, m.payload_type, m.payload, m.payload_len, w->now);
}

/* One step: deliver what is due, run the timers, step the physics. */
static inline void sw_step(sw_world *w)
{
    for (int dir = 0; dir < 2; dir++)
        if (w->msg_len[dir] && (int32_t)(w->now - w->msg_at[dir]) >= 0) sw_deliver(w, dir);
    /* A side closes the connection after its last message has gone out; the other side sees the close. */
    if (w->closing[SW_TO_PEV] && !w->msg_len[SW_TO_PEV] && w->pev_connected) {
        ccs_driver_disconnect(&w->pev_drv, w->now);
        w->pev_connected = 0;
    }
    if (w->closing[SW_TO_EVSE] && !w->msg_len[SW_TO_EVSE] && w->pev_connected) {
        ccs_driver_disconnect(&w->evse_drv, w->now);
        w->pev_connected = 0;
    }
    ccs_driver_inputs(&w->evse_drv, NULL, w->now);   /* the charger's timers */
    if (w->plant_step) w->plant_step(w);
    else phys_plant_step(&w->plant, &w->evse, &w->pev, SW_STEP_MS);
    ccs_driver_inputs(&w->pev_drv, NULL, w->now);    /* timers, and contactor release as the current falls */
    w->now += SW_STEP_MS;
}

/* The test takes the car's place: our car session stops hearing and talking, nothing stays in flight. */
static inline void sw_detach_car(sw_world *w)
{
    w->pev_connected = 0;
    w->msg_len[0] = w->msg_len[1] = 0;
}

static inline int sw_both_ended(const sw_world *w)
{
    return (w->evse.phase == SESS_DONE || w->evse.phase == SESS_SAFE) &&
           (w->pev.phase == SESS_DONE || w->pev.phase == SESS_SAFE) && !w->plant.pev_contactor.closed &&
           !w->plant.evse_contactor.closed && !w->msg_len[0] && !w->msg_len[1];
}

/* Run until done(w) or the clock passes limit_ms; returns done(w). */
static inline int sw_run(sw_world *w, uint32_t limit_ms, int (*done)(const sw_world *w))
{
    while (!done(w)) {
        if ((int32_t)(w->now - limit_ms) > 0) return 0;
        sw_step(w);
    }
    return 1;
}

static inline unsigned sw_count(const sw_world *w, const char *name)
{
    unsigned n = 0;
    for (unsigned i = 0; i < w->nlog; i++) n += strcmp(w->log[i], name) == 0;
    return n;
}

#endif
