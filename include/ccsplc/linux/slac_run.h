/* SLAC on a real interface: drives a slac_evse / slac_pev machine (in the one driver, ccsplc/core/machine.h) from
 * an event loop and a raw link until
 * matched (EVSE) or linked (PEV). The machine stays attached afterwards (it still answers, e.g., a repeated
 * SLAC_MATCH.REQ) until ccs_slac_detach. */
#ifndef CCSPLC_SLAC_RUN_H
#define CCSPLC_SLAC_RUN_H

#include <stdint.h>

#include "ccsplc/linux/link.h"
#include "ccsplc/linux/loop.h"
#include "ccsplc/core/machine.h"
#include "ccsplc/core/slac.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { CCS_SLAC_EVSE, CCS_SLAC_PEV } ccs_slac_role;

typedef struct {
    ccs_slac_role role;
    ccs_loop *loop;
    ccs_link *link;
    slac_evse evse;
    slac_pev pev;
    ccs_driver drv;               /* the machine's driver; its port is the link */
    ccs_timer wake, deadline;
    int waiting;                  /* ccs_slac_run is waiting for the outcome */
    uint32_t send_errors;
    uint8_t rx[CCS_LINK_FRAME_MAX];
} ccs_slac_runner;

/* Start the machine on link and run the loop until the EVSE is matched / the PEV is linked (0), the machine
 * gives up (its error, e.g. CCS_ETIMEOUT), timeout_ms passes (CCS_ETIMEOUT; 0 = no limit) or the loop is
 * stopped by someone else (that rc). The runner must stay at one address while attached. */
int ccs_slac_run_evse(ccs_slac_runner *r, ccs_loop *loop, ccs_link *link, const slac_evse_config *cfg,
                      uint32_t timeout_ms);
int ccs_slac_run_pev(ccs_slac_runner *r, ccs_loop *loop, ccs_link *link, const slac_pev_config *cfg,
                     uint32_t timeout_ms);
/* The peer matched, or NULL. */
const slac_match_info *ccs_slac_match(const ccs_slac_runner *r);
/* Stop feeding the machine: remove its fd watch and timers from the loop. */
void ccs_slac_detach(ccs_slac_runner *r);

#ifdef __cplusplus
}
#endif

#endif
