/* The SLAC phase of `ccsplc evse` / `ccsplc pev` on a real interface: open the raw link, run the SLAC
 * machine on the event loop until matched, log the peer and the mean attenuation. Later phases (SDP, V2G)
 * continue on the same loop; the SLAC machine stays attached to answer repeats. */
#ifndef CCSPLC_APP_SLAC_PHASE_H
#define CCSPLC_APP_SLAC_PHASE_H

#include <stdint.h>

#include "ccsplc/link.h"
#include "ccsplc/loop.h"
#include "ccsplc/slac_run.h"

typedef struct {
    ccs_loop loop;
    ccs_link link;
    ccs_slac_runner slac;
} app_slac;

/* Open ifname, run SLAC as role (timeout_ms 0: the machine's own limits). 0 when matched (EVSE) or linked
 * (PEV), else a CCS_E* code (already logged). On success the loop and link stay open. */
int app_slac_phase(app_slac *s, ccs_slac_role role, const char *ifname, uint32_t timeout_ms);
/* Close what app_slac_phase opened. */
void app_slac_close(app_slac *s);
/* Parse "--stop-after" values: only "slac" exists so far. 0 or -1 (logged). */
int app_slac_stop_after(const char *cmd, const char *value);

#endif
