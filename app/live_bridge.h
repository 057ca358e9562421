/* `ccsplc pev --bridge chademo`: the CCS->CHAdeMO adapter's CHAdeMO side on a CAN bus (SocketCAN or CAN over
 * UDP): the bridge (src/chademo) stepped every 10 ms, its frames and the simulation wires (d1/d2, k and the inlet
 * voltage) sent and received, its steps logged; the car session gets the CHAdeMO car as its battery through the
 * hardware stack (live_hw). docs/chademo.md. */
#ifndef CCSPLC_APP_LIVE_BRIDGE_H
#define CCSPLC_APP_LIVE_BRIDGE_H

#include <stdint.h>

#include "ccsplc/core/chademo.h"
#include "ccsplc/linux/can.h"
#include "ccsplc/linux/loop.h"
#include "live_hw.h"

#define LIVE_BRIDGE_READY_MS 60000u   /* the CHAdeMO car must reach "charging" (its contactors closed) within this */
#define LIVE_BRIDGE_END_MS 30000u     /* and the sequence end within this after the CCS session */

typedef struct {
    cdm_bridge br;
    ccs_can can;
    char bus[128];
    sess_pev *pev;                /* the adapter's car session */
    const hw_sup *sup;            /* its hardware supervisor */
    live_hw *hw;                  /* its hardware: the CHAdeMO wires outside the CCS session (live_hw_wires) */
    ccs_loop *loop;
    ccs_timer timer;
    uint32_t at;                  /* the last step */
    cdm_state shown;
    uint32_t frames;              /* received */
    int send_failed;
} live_bridge;

/* The CAN bus (can0, udp:LPORT:HOST:RPORT) and the charger's limits (the adapter's: max_a, 500 V). 0 or -1. */
int live_bridge_open(live_bridge *b, const char *bus, float max_a);
/* One step at now (ms): what arrived, the bridge with the session and its supervisor, what to send. */
void live_bridge_step(live_bridge *b, uint32_t now);
/* Step every 10 ms on the loop (live -i). */
void live_bridge_start(live_bridge *b, ccs_loop *loop);
int live_bridge_ready(const live_bridge *b);
/* The CCS side is over: a local stop (nothing once the CHAdeMO side stopped already), so that it ends. */
void live_bridge_end(live_bridge *b);
int live_bridge_done(const live_bridge *b);
/* NULL after a normal end (the car asked to stop, no fault flag, d2 off below 5 A), else the result text. */
const char *live_bridge_verdict(const live_bridge *b);
void live_bridge_close(live_bridge *b);
/* The result's CHAdeMO line (stdout): the car's SoC, the stop, the frames. */
void live_bridge_print(const live_bridge *b);
/* A run that ended before its CCS session (the CHAdeMO side stopped first): that line and the CHAdeMO side's
 * result (FAILED (CHAdeMO: ...)), where it has one. */
void live_bridge_print_early(const live_bridge *b);

#endif
