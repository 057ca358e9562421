/* The CCS->CHAdeMO adapter with a simulated CHAdeMO car in one process (sans-I/O): the adapter's bridge and the
 * car on an in-memory CAN bus (frames arrive one step later), and the adapter's CCS side — its hardware stack
 * (supervisor, the plant, the CHAdeMO car as the battery) around the adapter's car session. For the tests and
 * `ccsplc demo --bridge chademo`. docs/chademo.md. */
#ifndef CCSPLC_SIM_CHADEMO_BENCH_H
#define CCSPLC_SIM_CHADEMO_BENCH_H

#include <stdint.h>

#include "ccsplc/sim/chademo_car.h"
#include "ccsplc/sim/plant.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CDM_BENCH_STEP_MS 10u
#define CDM_BENCH_BUS 16u          /* frames in flight each way */

typedef struct {
    cdm_bridge br;
    cdm_car car;
    hw_stack hw;                   /* the adapter's car side: the plant, then the CHAdeMO car */
    phys_hw plant_hw;
    phys_plant *pl;
    sess_pev *pev;
    cdm_frame to_car[CDM_BENCH_BUS], to_adapter[CDM_BENCH_BUS];
    uint8_t n_to_car, n_to_adapter;
    uint8_t can_cut;               /* test: the bus delivers nothing (a lost CAN stream) */
    uint32_t at;                   /* the CHAdeMO side's last step */
    uint32_t frames;               /* frames delivered */
} cdm_bench;

/* The car's battery configuration is copied into the plant's (pl->battery: the same battery, charged by the
 * same current); evse: the simulated CCS charger's session (the whole plant), pev: the adapter's session. */
void cdm_bench_init(cdm_bench *b, const cdm_charger_config *cc, const cdm_car_config *car, phys_plant *pl,
                    sess_evse *evse, sess_pev *pev);
/* The CHAdeMO side up to now (in CDM_BENCH_STEP_MS steps): the bus, the bridge (with the adapter's session and
 * its supervisor), the car (charged with the plant battery's current). */
void cdm_bench_chademo(cdm_bench *b, uint32_t now_ms);
/* The adapter's CCS side for dt_ms: its session's wish through the supervisor to the plant and the CHAdeMO
 * backend, the physics, the measurement into the session. */
void cdm_bench_ccs(cdm_bench *b, uint32_t now_ms, uint32_t dt_ms);
/* The CHAdeMO car's contactors are closed and its voltage known: start the CCS session. */
int cdm_bench_ready(const cdm_bench *b);

#ifdef __cplusplus
}
#endif

#endif
