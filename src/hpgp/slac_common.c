/* Helpers shared by the two SLAC machines: timers on virtual time, the outbox, the action, attenuation,
 * CM_SET_KEY.REQ to the local modem. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "slac_internal.h"
#include "common/wire.h"

void slac_timer_set(slac_timer *t, uint32_t at)
{
    t->on = 1;
    t->at = at;
}

void slac_timer_stop(slac_timer *t) { t->on = 0; }

int slac_timer_fire(slac_timer *t, uint32_t now)
{
    if (!t->on || (int32_t)(now - t->at) < 0) return 0;
    t->on = 0;
    return 1;
}

void slac_action_wake(slac_action *a, const slac_timer *t)
{
    if (!t->on) return;
    if (!a->has_wake || (int32_t)(t->at - a->wake_ms) < 0) a->wake_ms = t->at;
    a->has_wake = 1;
}

void slac_out_reset(slac_outbox *o)
{
    o->n = 0;
    o->rng_failed = 0;
}

void slac_out_push(slac_outbox *o, slac_stats *st, const hpgp_msg *m)
{
    size_t len;
    if (o->n >= SLAC_OUT_MAX || hpgp_pack(m, o->buf[o->n], SLAC_FRAME_CAP, &len) != 0) {
        st->out_overflow++;
        return;
    }
    o->len[o->n++] = (uint16_t)len;
}

slac_action slac_out_action(const slac_outbox *o, slac_status status, int err)
{
    slac_action a;
    memset(&a, 0, sizeof a);
    for (a.n = 0; a.n < o->n && !o->rng_failed; a.n++) {   /* no frame with a predictable value goes out */
        a.frame[a.n] = o->buf[a.n];
        a.len[a.n] = o->len[a.n];
    }
    a.status = status;
    a.err = err;
    return a;
}

void slac_random(slac_outbox *o, ccs_random_fn rng, void *ctx, uint8_t *out, size_t len)
{
    if (!rng) memset(out, 0, len);
    else if (rng(ctx, out, len) != 0) o->rng_failed = 1;
}

uint8_t slac_mean_db(uint32_t sum, unsigned n) { return n ? (uint8_t)((sum + n / 2) / n) : 0; }

int slac_unpack_rx(const slac_event *ev, slac_stats *st, const uint8_t mac[6], hpgp_msg *m)
{
    int rc = hpgp_unpack(ev->frame, ev->len, m);
    if (rc == CCS_EHEADER || rc == CCS_EINVAL) return rc; /* not HomePlug: not ours to count */
    st->frames++;
    if (rc == CCS_EUNSUPP) st->ignored_state++;
    else if (rc) st->ignored_bad++;
    else if (!wire_mac_eq(m->hdr.dst, hpgp_broadcast_mac) && !slac_same_mac(st, m->hdr.dst, mac)) rc = CCS_ENOTFOUND;
    return rc;
}

int slac_same_run(slac_stats *st, const uint8_t *run_id, const uint8_t *want)
{
    if (memcmp(run_id, want, HPGP_RUN_ID_LEN) == 0) return 1;
    st->ignored_run++;
    return 0;
}

int slac_same_mac(slac_stats *st, const uint8_t *a, const uint8_t *b)
{
    if (wire_mac_eq(a, b)) return 1;
    st->ignored_mac++;
    return 0;
}

void slac_send_set_key(slac_outbox *o, slac_stats *st, ccs_random_fn rng, void *ctx, const uint8_t mac[6],
                       const uint8_t nmk[HPGP_NMK_LEN], const uint8_t nid[HPGP_NID_LEN])
{
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_SET_KEY_REQ, hpgp_local_modem_mac, mac);
    slac_random(o, rng, ctx, (uint8_t *)&m.u.set_key_req.my_nonce, sizeof m.u.set_key_req.my_nonce);
    memcpy(m.u.set_key_req.nid, nid, HPGP_NID_LEN);
    memcpy(m.u.set_key_req.new_key, nmk, HPGP_NMK_LEN);
    slac_out_push(o, st, &m);
}
