/* Helpers shared by the two SLAC machines: timers on virtual time, the outbox, the action, attenuation. */
#ifndef CCSPLC_SLAC_INTERNAL_H
#define CCSPLC_SLAC_INTERNAL_H

#include "ccsplc/core/slac.h"

void slac_timer_set(slac_timer *t, uint32_t at);
void slac_timer_stop(slac_timer *t);
/* 1 (and the timer stops) when it is on and now has reached it. */
int slac_timer_fire(slac_timer *t, uint32_t now);
/* Fold timer t into the earliest wake-up of *a. */
void slac_action_wake(slac_action *a, const slac_timer *t);

void slac_out_reset(slac_outbox *o);
/* Pack m into the next outbox slot; a full outbox or a pack error is counted in st->out_overflow. */
void slac_out_push(slac_outbox *o, slac_stats *st, const hpgp_msg *m);
/* An action listing the outbox frames, with status and error (wake-ups added by the caller). */
slac_action slac_out_action(const slac_outbox *o, slac_status status, int err);

/* Fill out with len random bytes (zeros without a generator). */
/* Fills out from rng (zeros without one); a failing hook marks the outbox: the step then sends nothing and stops. */
void slac_random(slac_outbox *o, ccs_random_fn rng, void *ctx, uint8_t *out, size_t len);
/* CM_SET_KEY.REQ from host `mac` to its local modem with this NMK and NID (a fresh nonce), into the outbox. */
void slac_send_set_key(slac_outbox *o, slac_stats *st, ccs_random_fn rng, void *ctx, const uint8_t mac[6],
                       const uint8_t nmk[HPGP_NMK_LEN], const uint8_t nid[HPGP_NID_LEN]);
/* Rounded mean of n attenuation values (0 for n == 0). */
uint8_t slac_mean_db(uint32_t sum, unsigned n);
/* Unpack a received frame for the station `mac`, counting it: 0 if it is a supported HomePlug message
 * addressed to mac or broadcast; otherwise an error, with bad, unsupported and foreign frames counted. */
int slac_unpack_rx(const slac_event *ev, slac_stats *st, const uint8_t mac[6], hpgp_msg *m);
/* 1 if run_id is the wanted one; a foreign RunID is counted. */
int slac_same_run(slac_stats *st, const uint8_t *run_id, const uint8_t *want);
/* 1 if a and b are the same MAC; a mismatch is counted as foreign. */
int slac_same_mac(slac_stats *st, const uint8_t *a, const uint8_t *b);

#endif
