/* The hardware in `ccsplc pev` / `ccsplc evse -i`: the hardware layer's stack (supervisor, the simulated plant as
 * the default backend, for the car a pyPLC serial board over it when the INI names one) stepped with the
 * session; docs/hardware.md. */
#ifndef CCSPLC_APP_LIVE_HW_H
#define CCSPLC_APP_LIVE_HW_H

#include <stdint.h>

#include "ccsplc/core/hw.h"
#include "ccsplc/linux/hw_serial.h"
#include "ccsplc/plant.h"

typedef struct {
    hw_board_kind digital;    /* digital_output_device */
    hw_board_kind analog;     /* analog_input_device */
    char port[128];           /* serial_port: a path or "auto" */
    unsigned baud;            /* serial_baud */
} live_hw_options;

typedef struct {
    hw_stack st;
    phys_hw plant;
    hw_serial board;
    int have_board;
    sess_pev *pev;
} live_hw;

/* The stack for the car p: the plant (sim_evse: the simulated charger's session with the whole plant, or NULL:
 * the car's half) and the board. sim: a board that cannot be found is left out with a warning (as pyPLC goes on
 * without its serial port); else it is an error. 0 or -1 (logged). */
int live_hw_open(live_hw *h, const live_hw_options *o, int sim, phys_plant *pl, sess_evse *sim_evse, sess_pev *p);
/* One step: the car's wish through the supervisor to the backends, the physics, the measurements into p. */
void live_hw_step(live_hw *h, uint32_t now, uint32_t dt);
/* The charger's stack (`evse -i`): the supervisor over its half plant. live_hw_step_evse: one step for the
 * session e that owns the power stage. */
int live_hw_open_charger(live_hw *h, phys_plant *pl);
void live_hw_step_evse(live_hw *h, sess_evse *e, uint32_t now, uint32_t dt);
void live_hw_close(live_hw *h);
/* NULL when the hardware saw no fault (other than the session's own safe state), else the result text
 * ("FAILED (hardware: emergency stop)"). */
const char *live_hw_verdict(const live_hw *h);

#endif
