/* The hardware in `ccsplc pev` / `ccsplc evse -i`: the hardware layer's stack (supervisor, the simulated plant as
 * the default backend, for the car a pyPLC serial board over it when the INI names one) stepped with the
 * session; docs/hardware.md. */
#ifndef CCSPLC_APP_LIVE_HW_H
#define CCSPLC_APP_LIVE_HW_H

#include <stdint.h>

#include "ccsplc/core/chademo.h"
#include "ccsplc/core/hw.h"
#include "ccsplc/linux/hw_serial.h"
#include "ccsplc/sim/plant.h"
#include "live_ext.h"

typedef struct {
    hw_board_kind digital;    /* digital_output_device */
    hw_board_kind analog;     /* analog_input_device */
    char port[128];           /* serial_port: a path or "auto" */
    unsigned baud;            /* serial_baud */
    live_ext_options ext;     /* MQTT, GPIO, the SoC callback (live_ext.h) */
} live_hw_options;

typedef struct {
    hw_stack st;
    phys_hw plant;
    hw_serial board;
    int have_board;
    live_ext ext;
    sess_pev *pev;
    cdm_bridge *bridge;       /* car, --bridge chademo: the CHAdeMO car as the battery (set after live_hw_open) */
    int held;                 /* the supervisor holds a close (logged once until the contactors close) */
    uint32_t stepped_at;      /* the car session's last live_hw_step */
    int stepped;
} live_hw;

/* The car's board, once per run (before SLAC): none for digital_output_device = none. sim: a board that cannot
 * be found (serial_port = auto) is left out with a warning (as pyPLC goes on without its serial port); else it
 * is an error. 0 or -1 (logged). */
int live_hw_open(live_hw *h, const live_hw_options *o, int sim);
/* A session's stack (each plug-in): the plant backend and the board. Car (pev set): the whole plant with the
 * simulated charger's session evse (`--sim`) or the car's half (evse NULL). Charger (pev NULL): its half plant,
 * for the session given to live_hw_step_evse. */
void live_hw_attach(live_hw *h, phys_plant *pl, sess_evse *evse, sess_pev *pev);
/* One step: the side's wish through the supervisor to the backends, the physics, the measurements into the
 * session (the car's p; for the charger the session e that owns the power stage). */
void live_hw_step(live_hw *h, uint32_t now, uint32_t dt);
void live_hw_step_evse(live_hw *h, sess_evse *e, uint32_t now, uint32_t dt);
void live_hw_close(live_hw *h);
/* The adapter (--bridge chademo) outside the CCS session (before SLAC, after the session), where live_hw_step does
 * not run: the CHAdeMO wires (d1, d2, its lock; k, the connector's voltage, the insulation monitor) applied and
 * measured every step, the rest held as the supervisor last commanded. live_hw_wires_attach: the backends before
 * the session's live_hw_attach (-i: that comes with the session). */
void live_hw_wires_attach(live_hw *h);
void live_hw_wires(live_hw *h, uint32_t now);
/* The CCS session is over (it steps the hardware no more): the adapter's wires are applied now and at every
 * live_hw_wires from here on, so the CHAdeMO sequence's last d1/d2/lock reach the pins even when it ends within
 * two steps of the session's last one (live_hw_wires skips then). Also the last call before live_hw_close. */
void live_hw_wires_own(live_hw *h, uint32_t now);
/* NULL when the hardware saw no fault (other than the session's own safe state), else the result text
 * ("FAILED (hardware: emergency stop)"). */
const char *live_hw_verdict(const live_hw *h);
/* A backend's feedback still reports the contactors closed after they were commanded open, and the supervisor
 * has not yet named it a fault (HW_FEEDBACK_MS): the session is not over (a welded contactor ends it failed, the
 * lock held, instead of "ended normally"). */
int live_hw_contactors_held(const live_hw *h);
/* The hardware is at rest after a session: the supervisor commanded the connector unlocked and no backend reports
 * a contactor closed — or a contactor fault latched (welded: the lock stays, the result names it). */
int live_hw_at_rest(const live_hw *h);
/* A real backend (a board, MQTT, GPIO, the SoC callback) is in the stack: --sim runs in real time. */
int live_hw_real(const live_hw *h);

#endif
