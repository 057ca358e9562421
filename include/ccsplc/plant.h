/* The physical world between a charger session and a car session (sans-I/O): it applies both sessions'
 * commands to the power stage, battery and contactors for a time step and feeds the measurements back. */
#ifndef CCSPLC_PLANT_H
#define CCSPLC_PLANT_H

#include <stdint.h>

#include "ccsplc/physics.h"
#include "ccsplc/sess.h"

#define PLANT_CONTACTOR_DELAY_MS 20u   /* contactor switching time */
#define PLANT_MAX_BREAK_A 5.0f         /* opening above this current counts as "under load" */

typedef struct {
    phys_charger charger;
    phys_battery battery;
    phys_contactor evse_contactor, pev_contactor;
} phys_plant;

void phys_plant_init(phys_plant *pl, const phys_charger_config *cc, const phys_battery_config *bc);
/* Run dt_ms with the sessions' current commands, then write their inputs. Either session may be NULL. */
void phys_plant_step(phys_plant *pl, sess_evse *e, sess_pev *p, uint32_t dt_ms);
/* Only write the inputs (dt 0). */
void phys_plant_sense(const phys_plant *pl, sess_evse *e, sess_pev *p);

#endif
