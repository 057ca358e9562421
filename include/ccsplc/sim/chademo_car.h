/* A simulated CHAdeMO car (sans-I/O): a battery model with a Nissan Leaf's limits behind the car's side of the
 * CHAdeMO 1.x sequence — its CAN frames 0x100/0x101/0x102 every 100 ms after d1, the charge permit k, its
 * contactors on d2, its current request, its stop at the target SoC, and faults to inject. For tests,
 * `ccsplc demo --bridge chademo` and `ccsplc chademo-car`. docs/chademo.md. */
#ifndef CCSPLC_SIM_CHADEMO_CAR_H
#define CCSPLC_SIM_CHADEMO_CAR_H

#include <stdint.h>

#include "ccsplc/core/chademo.h"
#include "ccsplc/sim/physics.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    phys_battery_config battery;
    uint16_t max_v, target_v;      /* 0x100 maximum battery voltage, 0x102 target voltage */
    uint8_t min_a, max_a;          /* 0x100 minimum current; the largest request */
    uint8_t rate_pct;              /* 0x100 byte 6: the scale of the SoC byte */
    uint8_t max_time_10s;          /* 0x101 byte 1 */
    uint32_t permit_ms;            /* k and the enable flag this long after the charger's first 0x108/0x109 */
    uint32_t contactor_ms;         /* contactors close this long after d2 (and open this long after the stop) */
    uint32_t can_timeout_ms;       /* no 0x109 for this long while charging: the car's fault */
} cdm_car_config;

typedef enum { CDM_CAR_OFF, CDM_CAR_PARAMS, CDM_CAR_WAIT_D2, CDM_CAR_CHARGING, CDM_CAR_ENDING, CDM_CAR_DONE } cdm_car_state;

typedef struct {
    cdm_car_config cfg;
    phys_battery bat;
    cdm_car_state state;
    uint32_t state_at, last_rx_ms, tx_at, d2_at;
    uint8_t d1, d2;                /* the charger's sequence signals */
    uint8_t k, contactors;         /* the car's permit and contactors */
    uint8_t inject_faults;         /* test: 0x102 fault flags to raise (CDM_EV_FAULT_*) */
    uint8_t stop_request;          /* the driver stops the charge */
    uint8_t saw_charger, saw_charging, can_lost;
    cdm_evse_limits evse;
    cdm_evse_status evse_st;
    uint8_t request_a;             /* the request in the last 0x102 */
    cdm_frame tx[4];               /* after each step: 0x100, 0x101, 0x102 every 100 ms, and the simulation wires */
    uint8_t ntx;
} cdm_car;

/* A Nissan Leaf ZE1 as it shows in hwthomas/ccs-chademo src/utils/ZE1-chademo-charging.log: 0x100 maximum 435 V,
 * minimum 6 A, rate 255; 0x102 target 410 V, up to 115 A, protocol 2; 0x101 maximum time 228 x 10 s. Its battery:
 * 40 kWh, 96 cells (phys_battery_default's curve), 20 % -> 80 %. 200 ms permit, 100 ms contactors, 1 s CAN
 * timeout. */
void cdm_car_config_leaf(cdm_car_config *c);
void cdm_car_init(cdm_car *car, const cdm_car_config *cfg);
/* A frame from the charger (0x108, 0x109, the simulation wires): 0 or the decoder's error (ignored). */
int cdm_car_rx(cdm_car *car, const cdm_frame *f, uint32_t now_ms);
/* One step: the battery charged with current_a for dt_ms while the contactors are closed, the sequence, the
 * frames to send (car->tx, ntx). */
void cdm_car_step(cdm_car *car, float current_a, uint32_t dt_ms, uint32_t now_ms);
/* The voltage at its inlet: the battery's behind closed contactors, else 0. */
float cdm_car_inlet_v(const cdm_car *car, float current_a);

#ifdef __cplusplus
}
#endif

#endif
