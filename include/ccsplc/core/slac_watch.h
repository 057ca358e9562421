/* A bystander's check of the RunID rule of ISO 15118-3: every SLAC message of a run carries the RunID the car
 * chose in its CM_SLAC_PARAM.REQ (in the Taycan capture the charger answered with a RunID of its own, and the car
 * kept starting over). Sans-I/O, for capture analysis. */
#ifndef CCSPLC_SLAC_WATCH_H
#define CCSPLC_SLAC_WATCH_H

#include <stdint.h>

#include "ccsplc/core/hpgp.h"

typedef struct {
    uint8_t run_id[HPGP_RUN_ID_LEN]; /* of the car's latest CM_SLAC_PARAM.REQ */
    uint8_t active;                  /* a run has started */
} slac_watch;

/* The RunID a SLAC message carries, NULL for a message without one. */
const uint8_t *hpgp_run_id(const hpgp_msg *m);

/* A HomePlug message of the capture, in order. CM_SLAC_PARAM.REQ starts a run (returns 1). Returns 1 when m
 * carries the run's RunID, 0 when another (w->run_id holds the expected one), -1 when m has no RunID or comes
 * before any run. */
int slac_watch_msg(slac_watch *w, const hpgp_msg *m);

#endif
