/* `ccsplc demo` internals: one process plays charger, car, their modems and the physics on a virtual clock:
 * SLAC and SDP over the simulated powerline, then V2GTP over loopback TCP (or memory). */
#ifndef CCSPLC_APP_DEMO_H
#define CCSPLC_APP_DEMO_H

#include <stdint.h>

#include "ccsplc/linux/pcapng.h"
#include "ccsplc/sim/plant.h"
#include "ccsplc/core/sess.h"

#define DEMO_STEP_MS 10u              /* physics step and timer resolution */
#define DEMO_LIMIT_MS (6u * 3600000u) /* give up after 6 h of session time */

typedef struct {
    /* options */
    const sess_proto *proto;
    int ac;                           /* ISO-2 AC: mains supply, the car's on-board charger */
    int bpt;                          /* ISO-20 DC_BPT / AC_BPT: the car discharges to discharge_to, then charges */
    float discharge_to;
    double speed;                     /* virtual ms per real ms; 0: as fast as possible */
    float soc, target_soc, capacity_kwh;
    int in_memory;                    /* V2GTP through memory instead of loopback TCP */
    uint32_t every_ms;                /* print repeated messages at most this often (0: all) */
    const char *pcap_path;
    uint32_t seed;
    int bridge;                       /* --bridge chademo */
    /* state */
    uint32_t now;                     /* virtual ms since plug-in */
    pcapng_writer pcap;
    int have_pcap;
    uint64_t t0_ns;                   /* wall clock at start, for pcap timestamps */
    uint8_t evse_mac[6], pev_mac[6];
    uint8_t evse_ip[16], pev_ip[16];
    uint16_t port;                    /* the TCP port the charger announced in SDP */
    uint32_t linked_ms, sdp_ms, first_current_ms;
    double low_soc;                   /* the battery's lowest SoC (BPT: where discharging ended) */
    sess_evse evse;
    sess_pev pev;
    phys_plant plant;
    /* `pev --sim`: the car's hardware layer steps the plant instead of phys_plant_step (app/live_hw.c) */
    void (*car_step)(void *ctx, uint32_t now, uint32_t dt);
    /* and, where set, whether that hardware still holds the car's contactors closed (the run goes on) */
    int (*car_held)(void *ctx);
    void *car_ctx;
    /* `--bridge chademo`: the CHAdeMO side runs all the time (SLAC and SDP too), called as virtual time passes */
    void (*side_step)(void *ctx, uint32_t now);
    void *side_ctx;
} demo;

/* "12.345 s" for a mark in ms, "none" for 0 (never came). */
const char *demo_when(uint32_t ms);
/* Sleeps so that virtual time passes at `speed` (nothing when speed is 0). */
void demo_advance(demo *d, uint32_t ms);
/* pcap helpers: a frame as the charger's interface sees it (out: sent by the charger). */
void demo_pcap_frame(demo *d, int out, const uint8_t *frame, size_t len);
/* SLAC over the simulated powerline, then SDP (the charger announces port). 0 or CCS_E*. */
int demo_link_up(demo *d, uint16_t port);
/* The V2G session until both sides have ended and the contactors are open. 0 or CCS_E*. */
int demo_session(demo *d);
/* A bridged car's run (app/demo_chademo.c): virtual time until ready(ctx) (the CHAdeMO car's contactors closed;
 * ready_ms at most), the session (not when never ready), then end(ctx) (a local stop: the CHAdeMO side ends
 * whatever the CCS side did) and until done(ctx) (end_ms at most). 0, CCS_ETIMEOUT (never ready) or
 * demo_session's error. */
typedef struct {
    int (*ready)(void *ctx);
    void (*end)(void *ctx);
    int (*done)(void *ctx);
} demo_bridge_ops;
int demo_bridged(demo *d, const demo_bridge_ops *ops, void *ctx, uint32_t ready_ms, uint32_t end_ms);
/* `demo --bridge chademo` (app/demo_chademo.c): the adapter and a simulated CHAdeMO car around demo_session;
 * prints the CHAdeMO side's steps. Returns what summary() needs: 0, or CCS_E*; *ok: the CHAdeMO side ended
 * normally (the car asked to stop, no fault, the sequence done). */
int demo_chademo(demo *d, int *ok);

#endif
