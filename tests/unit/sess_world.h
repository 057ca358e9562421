/* Test harness for sessions: a charger session, a car session and the physics plant on a virtual clock,
 * messages passed in memory with a latency, a hook to drop or rewrite messages, and a log of message names.
 * Header-only (static inline) so each session test can include it. */
#ifndef CCSPLC_TEST_SESS_WORLD_H
#define CCSPLC_TEST_SESS_WORLD_H
#include <string.h>

#include "ccsplc/sim/plant.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/core/v2gtp.h"

#define SW_STEP_MS 10u     /* physics and delivery step */
#define SW_LOG_MAX 4096

enum { SW_TO_EVSE, SW_TO_PEV };

typedef struct sw_world sw_world;
/* Called with every message before delivery: return 0 to drop it; may rewrite buf/len (capacity SESS_TX_CAP). */
typedef int (*sw_hook)(sw_world *w, int dir, uint8_t *buf, size_t *len);

struct sw_world {
    sess_evse evse;
    sess_pev pev;
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

static inline void sw_init(sw_world *w, const sess_evse_config *ec, const sess_pev_config *pc,
                           const phys_charger_config *cc, const phys_battery_config *bc)
{
    memset(w, 0, sizeof *w);
    sess_evse_init(&w->evse, ec, &sw_evse_docs);
    sess_pev_init(&w->pev, pc, &sw_pev_docs);
    phys_plant_init(&w->plant, cc, bc);
    phys_plant_sense(&w->plant, &w->evse, &w->pev);
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

/* The car plugs in and connects: both sessions start. */
static inline void sw_connect(sw_world *w)
{
    phys_charger_reset(&w->plant.charger);
    sess_evse_connect(&w->evse, w->now);
    sess_pev_start(&w->pev, w->now);
    w->pev_connected = 1;
    sw_queue(w, SW_TO_EVSE, w->pev.tx, w->pev.tx_len, w->pev.tx_name);
}

static inline void sw_deliver(sw_world *w, int dir)
{
    size_t len = w->msg_len[dir];
    w->msg_len[dir] = 0;
    if (w->hook && !w->hook(w, dir, w->msg[dir], &len)) return;
    if (len < V2GTP_HEADER_LEN) return;
    v2gtp_msg m;
    if (v2gtp_parse(w->msg[dir], len, 65536, &m) != 0) return;
    if (dir == SW_TO_EVSE) {
        sess_evse_on_message(&w->evse, m.payload_type, m.payload, m.payload_len, w->now);
        sw_queue(w, SW_TO_PEV, w->evse.tx, w->evse.tx_len, w->evse.tx_name);
    } else if (w->pev_connected) {
        sess_pev_on_message(&w->pev, m.payload_type, m.payload, m.payload_len, w->now);
        sw_queue(w, SW_TO_EVSE, w->pev.tx, w->pev.tx_len, w->pev.tx_name);
    }
}

/* One step: deliver what is due, run the timers, step the physics. */
static inline void sw_step(sw_world *w)
{
    for (int dir = 0; dir < 2; dir++)
        if (w->msg_len[dir] && (int32_t)(w->now - w->msg_at[dir]) >= 0) sw_deliver(w, dir);
    /* The charger closes the connection after its last message has gone out; the car sees the close. */
    if (w->evse.close && !w->msg_len[SW_TO_PEV] && w->pev_connected) {
        sess_pev_disconnect(&w->pev, w->now);
        w->pev_connected = 0;
    }
    if (w->pev.close && !w->msg_len[SW_TO_EVSE] && w->pev_connected) {
        sess_evse_disconnect(&w->evse, w->now);
        w->pev_connected = 0;
    }
    uint32_t at;
    if (sess_evse_next_timeout(&w->evse, &at) && (int32_t)(w->now - at) >= 0) sess_evse_tick(&w->evse, w->now);
    if (w->plant_step) w->plant_step(w);
    else phys_plant_step(&w->plant, &w->evse, &w->pev, SW_STEP_MS);
    sess_pev_tick(&w->pev, w->now);   /* timers, and contactor release as the current falls */
    sw_queue(w, SW_TO_EVSE, w->pev.tx, w->pev.tx_len, w->pev.tx_name);
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
