/* The physical world between a charger session and a car session (sans-I/O): it applies both sessions'
 * commands to the power stage, battery and contactors for a time step and feeds the measurements back. */
#ifndef CCSPLC_PLANT_H
#define CCSPLC_PLANT_H

#include <stdint.h>

#include "ccsplc/sim/physics.h"
#include "ccsplc/core/sess.h"

#define PLANT_CONTACTOR_DELAY_MS 20u   /* contactor switching time */
#define PLANT_MAX_BREAK_A 5.0f         /* opening above this current counts as "under load" */

typedef struct {
    phys_charger charger;
    phys_battery battery;
    phys_contactor evse_contactor, pev_contactor;
    phys_obc_config obc;           /* the car's on-board charger (AC supply only) */
    uint8_t obc_on;                /* AC: the car draws current (CP state C, no stop requested) */
    float car_v;                   /* charger half: the car's battery voltage the curve was last scaled to */
} phys_plant;

void phys_plant_init(phys_plant *pl, const phys_charger_config *cc, const phys_battery_config *bc);
/* Run dt_ms with the sessions' current commands, then write their inputs. Either session may be NULL. */
void phys_plant_step(phys_plant *pl, sess_evse *e, sess_pev *p, uint32_t dt_ms);
/* Current flows from the charger into the car (both sets of contactors closed). */
int phys_plant_current_flows(const phys_plant *pl);
/* Only write the inputs (dt 0). */
void phys_plant_sense(const phys_plant *pl, sess_evse *e, sess_pev *p);
/* The parts of a step: the charger's command from a charger session (all off when NULL or safe), and a step
 * with explicit commands (no sensing). */
phys_charger_cmd phys_plant_evse_cmd(const sess_evse *e);
void phys_plant_apply(phys_plant *pl, const phys_charger_cmd *cmd, int evse_close, int pev_close, uint32_t dt_ms);

/* Half plants, for a charger or a car running alone (`ccsplc evse` / `ccsplc pev` as separate programs): the
 * local session drives its half, the other half follows what the peer reported in its messages.
 * Charger side: the car's contactors count as closed (and, AC, its on-board charger draws) while the output
 * is on with a current target above the precharge limit (PowerDelivery(start) .. stop); the battery is the load
 * the car describes: its SoC the SoC the car reports, its open-circuit voltage the car's PreCharge target (its
 * battery voltage: the curve scaled to it), so the current follows the car's targets and maxima.
 * Car side: the charger's contactors follow the car's, its output is on while the car's contactors are closed
 * and no stop is requested; DC: it drives the current the charger last reported (EVSEPresentCurrent); AC: it
 * supplies up to the charger's EVSEMaxCurrent and the on-board charger draws in CP state C. */
void phys_plant_step_evse(phys_plant *pl, sess_evse *e, uint32_t dt_ms);
void phys_plant_step_pev(phys_plant *pl, sess_pev *p, uint32_t dt_ms);

#endif
