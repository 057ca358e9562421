/* The SLAC phase of `ccsplc evse` / `ccsplc pev` on a real interface: open the raw link, run the SLAC
 * machine on the event loop until matched, log the peer and the mean attenuation. Later phases (SDP, V2G)
 * continue on the same loop; the SLAC machine stays attached to answer repeats. */
#ifndef CCSPLC_APP_SLAC_PHASE_H
#define CCSPLC_APP_SLAC_PHASE_H

#include <stdint.h>

#include "ccsplc/linux/link.h"
#include "ccsplc/linux/loop.h"
#include "ccsplc/linux/slac_run.h"

typedef struct {
    ccs_loop loop;
    ccs_link link;
    ccs_slac_runner slac;
} app_slac;

/* Open ifname's raw link and a fresh loop (0 or CCS_E*, logged); set s->link.tap now if wanted. */
int app_slac_open(app_slac *s, const char *ifname);
/* Run SLAC as role on them (timeout_ms 0: the machine's own limits). 0 when matched (EVSE) or linked (PEV),
 * else a CCS_E* code (already logged). The loop and link stay open for the later phases. */
int app_slac_run(app_slac *s, ccs_slac_role role, const char *ifname, uint32_t timeout_ms);
/* Close what app_slac_open opened. */
void app_slac_close(app_slac *s);

#endif
