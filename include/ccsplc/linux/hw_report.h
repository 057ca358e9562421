/* What a session tells the outside world besides the hardware levels (pyPLC's MQTT status topics, its SoC
 * callback): the state, the car's SoC and battery, its EVCCID, the power asked for and delivered. Filled by the
 * CLI from the session engine each step; read by the MQTT backend and the SoC callback. */
#ifndef CCSPLC_LINUX_HW_REPORT_H
#define CCSPLC_LINUX_HW_REPORT_H

#include "ccsplc/core/hw.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    hw_role role;
    const char *state;             /* the session's state: the last message ("CurrentDemand"), "idle", "stopped" */
    int soc;                       /* the car's SoC in %, -1: not known yet */
    int full_soc;                  /* the car's FullSOC, -1: not said */
    float capacity_wh;             /* the car's battery capacity (EVEnergyCapacity), 0: not said */
    float energy_request_wh;       /* EVEnergyRequest, 0: not said */
    char evccid[13];               /* the car's EVCCID in hex, "" before it is known */
    float target_v, target_a;      /* what the car asks for (the charger's power supply target) */
    float present_v, present_a;    /* what the charger delivers (its present values) */
    float max_v, max_a;            /* the charger's limits (car: as the charger said them) */
} hw_report;

#ifdef __cplusplus
}
#endif

#endif
