/* The adapters that give SLAC, SDP and the V2G session engines the one machine shape of ccsplc/core/machine.h:
 * each maps the events to the engine's own calls and its result to a ccs_action (no logic of its own). */
#ifndef CCSPLC_MACHINES_H
#define CCSPLC_MACHINES_H

#include "ccsplc/core/machine.h"
#include "ccsplc/core/sdp.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/core/slac.h"

#ifdef __cplusplus
extern "C" {
#endif

/* SLAC: START, MESSAGE (a received frame), TIMER and INPUTS (both: the timers), DISCONNECT (stop). Done when the
 * charger matched, the car's link is up, or the machine stopped (err says why, CCS_ETIMEOUT: gave up). */
ccs_machine ccs_slac_evse_machine(slac_evse *s);
ccs_machine ccs_slac_pev_machine(slac_pev *s);

/* SDP client: START sends the first request, MESSAGE is a datagram, TIMER/INPUTS the retry timer, DISCONNECT
 * stops it. Done with result set, or err CCS_ETIMEOUT when every request went unanswered. */
ccs_machine ccs_sdp_client_machine(sdp_client *c);

/* SDP server: MESSAGE answers a request (send the answer back to its sender); it never waits, closes or ends. */
typedef struct {
    sdp_server srv;
    uint8_t tx[SDP_RES_LEN];
} sdp_server_machine;
ccs_machine ccs_sdp_server_machine(sdp_server_machine *s);

/* Sessions: START = connected (charger: sess_evse_connect, car: sess_pev_start), MESSAGE = one V2GTP message,
 * DISCONNECT = the peer closed, TIMER = the timers, INPUTS = new measurements (copied to .in when given) then the
 * timers (the car releases its contactors as the current falls). Done in SESS_DONE or SESS_SAFE. */
ccs_machine ccs_sess_evse_machine(sess_evse *s);
ccs_machine ccs_sess_pev_machine(sess_pev *p);

/* The paused SessionID (len 0: none) a charger engine resumes when a SessionSetupReq carries it (ISO 15118-2
 * Pause): kept over sess_evse_connect. */
void sess_evse_offer_resume(sess_evse *s, const uint8_t *id, uint8_t len);

#ifdef __cplusplus
}
#endif

#endif
