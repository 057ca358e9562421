/* SLAC, car side: SLAC_PARAM.REQ, sounding, choice of the EVSE with the lowest attenuation (as soon as every
 * EVSE that answered has reported), SLAC_MATCH, SET_KEY and waiting for the link; restarts after any timeout.
 * Reports from stations that did not answer, or implausible ones, are refused (docs/security.md). */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "slac_internal.h"
#include "common/wire.h"

enum {
    P_IDLE,
    P_RESET,       /* VS_RS_DEV sent, waiting for the modem */
    P_PARAM,       /* SLAC_PARAM.REQ sent, waiting for a CNF */
    P_START_WAIT,  /* CNF received, START_ATTEN_CHAR after the start delay */
    P_START_ATTEN, /* sending START_ATTEN_CHAR.IND */
    P_SOUNDING,    /* sending MNBC_SOUND.IND */
    P_ATTEN_WAIT,  /* collecting ATTEN_CHAR.IND until TT_EV_atten_results */
    P_MATCH,       /* SLAC_MATCH.REQ sent */
    P_JOIN,        /* key given to the modem, polling for the link */
    P_LINKED,
    P_PAUSE,       /* before the next attempt */
};

void slac_pev_config_default(slac_pev_config *cfg, const uint8_t mac[6], ccs_random_fn rng, void *rng_ctx)
{
    memset(cfg, 0, sizeof *cfg);
    memcpy(cfg->mac, mac, 6);
    cfg->rng = rng;
    cfg->rng_ctx = rng_ctx;
    cfg->random_run_id = 1;
    cfg->atten_limit_db = SLAC_ATTEN_LIMIT_DB;
    cfg->start_atten_delay_ms = SLAC_START_ATTEN_DELAY_MS;
    cfg->batch_interval_ms = SLAC_TP_EV_BATCH_MSG_INTERVAL_MS;
    cfg->time_out = SLAC_TIME_OUT_FIELD;
    cfg->resp_type = SLAC_RESP_TYPE;
    cfg->modem_reset_ms = SLAC_MODEM_RESET_MS;
    cfg->link_poll_ms = SLAC_LINK_POLL_MS;
    cfg->restart_delay_ms = SLAC_RESTART_DELAY_MS;
}

void slac_pev_init(slac_pev *s, const slac_pev_config *cfg)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    s->chosen = -1;
}

const slac_match_info *slac_pev_match(const slac_pev *s)
{
    return s->status == SLAC_MATCHED || s->status == SLAC_LINKED ? &s->match : NULL;
}

static void send(slac_pev *s, const hpgp_msg *m) { slac_out_push(&s->out, &s->stats, m); }

static void send_param_req(slac_pev *s)
{
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_SLAC_PARAM_REQ, hpgp_broadcast_mac, s->cfg.mac);
    memcpy(m.u.slac_param_req.run_id, s->run_id, HPGP_RUN_ID_LEN);
    send(s, &m);
}

static void start_attempt(slac_pev *s, uint32_t now)
{
    if (s->cfg.random_run_id) slac_random(&s->out, s->cfg.rng, s->cfg.rng_ctx, s->run_id, HPGP_RUN_ID_LEN);
    else memcpy(s->run_id, s->cfg.run_id, HPGP_RUN_ID_LEN);
    s->nevse = 0;
    s->sounds_sent = 0;
    s->chosen = -1;
    s->retries = 0;
    s->local_modem_known = 0;
    memset(&s->match, 0, sizeof s->match);
    s->status = SLAC_RUNNING;
    s->state = P_PARAM;
    send_param_req(s);
    slac_timer_stop(&s->t_next);
    slac_timer_set(&s->t_deadline, now + SLAC_TT_MATCH_RESPONSE_MS);
}

static void start(slac_pev *s, uint32_t now)
{
    s->attempts = 0;
    if (!s->cfg.modem_reset) {
        start_attempt(s, now);
        return;
    }
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_RS_DEV_REQ, hpgp_local_modem_mac, s->cfg.mac);
    send(s, &m);
    s->status = SLAC_RUNNING;
    s->state = P_RESET;
    slac_timer_stop(&s->t_deadline);
    slac_timer_set(&s->t_next, now + s->cfg.modem_reset_ms);
}

/* An attempt timed out: pause and try again, or give up after max_attempts. */
static int fail(slac_pev *s, uint32_t now)
{
    s->stats.timeouts++;
    s->attempts++;
    slac_timer_stop(&s->t_deadline);
    if (s->cfg.max_attempts && s->attempts >= s->cfg.max_attempts) {
        s->state = P_IDLE;
        s->status = SLAC_IDLE;
        slac_timer_stop(&s->t_next);
    } else {
        s->state = P_PAUSE;
        s->status = SLAC_RUNNING;
        slac_timer_set(&s->t_next, now + s->cfg.restart_delay_ms);
    }
    return CCS_ETIMEOUT;
}

static slac_pev_evse *evse_find(slac_pev *s, const uint8_t mac[6])
{
    for (unsigned i = 0; i < s->nevse; i++)
        if (wire_mac_eq(s->evse[i].mac, mac)) return &s->evse[i];
    return NULL;
}

static slac_pev_evse *evse_entry(slac_pev *s, const uint8_t mac[6])
{
    slac_pev_evse *found = evse_find(s, mac);
    if (found) return found;
    if (s->nevse >= SLAC_PEV_MAX_EVSE) {
        s->stats.table_full++;
        return NULL;
    }
    slac_pev_evse *e = &s->evse[s->nevse++];
    memset(e, 0, sizeof *e);
    memcpy(e->mac, mac, 6);
    return e;
}

static void send_start_atten(slac_pev *s)
{
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_START_ATTEN_CHAR_IND, hpgp_broadcast_mac, s->cfg.mac);
    m.u.start_atten_char.num_sounds = SLAC_C_EV_MATCH_MNBC;
    m.u.start_atten_char.time_out = s->cfg.time_out;
    m.u.start_atten_char.resp_type = s->cfg.resp_type;
    memcpy(m.u.start_atten_char.forwarding_sta, s->cfg.mac, 6);
    memcpy(m.u.start_atten_char.run_id, s->run_id, HPGP_RUN_ID_LEN);
    send(s, &m);
}

static void send_sound(slac_pev *s, uint8_t remaining)
{
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_MNBC_SOUND_IND, hpgp_broadcast_mac, s->cfg.mac);
    m.u.mnbc_sound.cnt = remaining;
    s->sounds_sent++;
    memcpy(m.u.mnbc_sound.run_id, s->run_id, HPGP_RUN_ID_LEN);
    slac_random(&s->out, s->cfg.rng, s->cfg.rng_ctx, m.u.mnbc_sound.rnd, sizeof m.u.mnbc_sound.rnd);
    send(s, &m);
}

static void send_match_req(slac_pev *s)
{
    hpgp_msg m;
    const uint8_t *evse = s->evse[s->chosen].mac;
    hpgp_msg_init(&m, HPGP_K_SLAC_MATCH_REQ, evse, s->cfg.mac);
    memcpy(m.u.slac_match.pev_mac, s->cfg.mac, 6);
    memcpy(m.u.slac_match.evse_mac, evse, 6);
    memcpy(m.u.slac_match.run_id, s->run_id, HPGP_RUN_ID_LEN);
    send(s, &m);
}

/* TT_EV_atten_results is over, or every EVSE has reported: the reachable EVSE with the lowest mean attenuation,
 * under the limit. */
static int choose(slac_pev *s, uint32_t now)
{
    int best = -1;
    uint8_t best_db = 0;
    for (unsigned i = 0; i < s->nevse; i++) {
        const slac_pev_evse *e = &s->evse[i];
        uint8_t db = slac_mean_db(e->atten_sum, e->groups);
        if (!e->got_ind || !e->groups || db > s->cfg.atten_limit_db) continue;
        if (best < 0 || db < best_db) {
            best = (int)i;
            best_db = db;
        }
    }
    if (best < 0) return fail(s, now);
    s->chosen = (int8_t)best;
    s->match.atten_db = best_db;
    s->state = P_MATCH;
    s->retries = 0;
    send_match_req(s);
    slac_timer_set(&s->t_deadline, now + SLAC_TT_MATCH_RESPONSE_MS);
    return 0;
}

/* Every EVSE that answered our SLAC_PARAM.REQ has sent its CM_ATTEN_CHAR.IND: nothing more can come, so the
 * choice need not wait for the end of TT_EV_atten_results (a charger may give up ~1 s after its IND, as
 * open-plc-utils' evse does). Only after our last sound: an EVSE reports what it measured of all of them. */
static int results_complete(const slac_pev *s)
{
    if (s->state != P_ATTEN_WAIT || !s->nevse) return 0;
    for (unsigned i = 0; i < s->nevse; i++)
        if (s->evse[i].got_cnf && !s->evse[i].got_ind) return 0;
    return 1;
}

/* A response did not come in time: send again up to C_EV_match_retry times. */
static int retry(slac_pev *s, uint32_t now, void (*resend)(slac_pev *))
{
    if (s->retries >= SLAC_C_EV_MATCH_RETRY) return fail(s, now);
    s->retries++;
    s->stats.retries++;
    resend(s);
    slac_timer_set(&s->t_deadline, now + SLAC_TT_MATCH_RESPONSE_MS);
    return 0;
}

static void poll_link(slac_pev *s)
{
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_SW_VER_REQ, hpgp_broadcast_mac, s->cfg.mac);
    send(s, &m);
}

/* The periodic timer: modem reset over, start delay over, next START_ATTEN_CHAR / sound, link poll, restart. */
static int on_next(slac_pev *s, uint32_t now)
{
    uint32_t next = now + s->cfg.batch_interval_ms;
    switch (s->state) {
    case P_RESET: start_attempt(s, now); return 0;
    case P_PAUSE:
        s->stats.restarts++;
        start_attempt(s, now);
        return 0;
    case P_START_WAIT:
        s->state = P_START_ATTEN;
        s->count = 0;
        s->atten_results_at = now + SLAC_TT_EV_ATTEN_RESULTS_MS;
        /* fall through */
    case P_START_ATTEN:
        send_start_atten(s);
        if (++s->count == SLAC_C_EV_START_ATTEN_CHAR_INDS) {
            s->state = P_SOUNDING;
            s->count = 0;
        }
        break;
    case P_SOUNDING:
        send_sound(s, (uint8_t)(SLAC_C_EV_MATCH_MNBC - 1 - s->count));
        if (++s->count == SLAC_C_EV_MATCH_MNBC) {
            s->state = P_ATTEN_WAIT;
            slac_timer_set(&s->t_deadline, s->atten_results_at);
            return results_complete(s) ? choose(s, now) : 0;
        }
        break;
    case P_JOIN:
        poll_link(s);
        next = now + s->cfg.link_poll_ms;
        break;
    default: return 0;
    }
    slac_timer_set(&s->t_next, next);
    return 0;
}

static int on_deadline(slac_pev *s, uint32_t now)
{
    switch (s->state) {
    case P_PARAM: return retry(s, now, send_param_req);
    case P_ATTEN_WAIT: return choose(s, now);
    case P_MATCH: return retry(s, now, send_match_req);
    case P_JOIN: return fail(s, now);
    default: return 0;
    }
}

/* A SLAC_PARAM.CNF or ATTEN_CHAR.IND of our run, about us, from an EVSE, while in states first..P_ATTEN_WAIT:
 * 1; otherwise 0, counted. */
static int ours(slac_pev *s, const uint8_t *run_id, const uint8_t *about, int first)
{
    if (!slac_same_run(&s->stats, run_id, s->run_id) || !slac_same_mac(&s->stats, about, s->cfg.mac)) return 0;
    if (s->state < first || s->state > P_ATTEN_WAIT) {
        s->stats.ignored_state++;
        return 0;
    }
    return 1;
}

/* A CM_ATTEN_CHAR.IND we can take: from an EVSE that answered our SLAC_PARAM.REQ (any other station never heard
 * the run's parameters: its report is forged), over all groups, measured from at least one and at most the
 * sounds we have sent so far (a report of sounds not yet sent is forged; how many suffice is the car's choice,
 * [V2G3-A09-36]). */
static int plausible(const slac_pev *s, const slac_pev_evse *e, const hpgp_atten_char *a)
{
    return e && e->got_cnf && a->num_groups == HPGP_NUM_GROUPS && a->num_sounds >= 1 &&
           a->num_sounds <= s->sounds_sent;
}

static void on_param_cnf(slac_pev *s, const hpgp_msg *m, uint32_t now)
{
    const hpgp_slac_param_cnf *c = &m->u.slac_param_cnf;
    slac_pev_evse *e = ours(s, c->run_id, c->forwarding_sta, P_PARAM) ? evse_entry(s, m->hdr.src) : NULL;
    if (!e) return;
    if (e->got_cnf) s->stats.duplicates++;
    e->got_cnf = 1;
    if (s->state != P_PARAM) return;
    s->state = P_START_WAIT;
    slac_timer_stop(&s->t_deadline);
    slac_timer_set(&s->t_next, now + s->cfg.start_atten_delay_ms);
}

static int on_atten_char(slac_pev *s, const hpgp_msg *m, uint32_t now)
{
    const hpgp_atten_char *a = &m->u.atten_char;
    if (!ours(s, a->run_id, a->source_address, P_START_ATTEN)) return 0;
    slac_pev_evse *e = evse_find(s, m->hdr.src);
    if (!plausible(s, e, a)) {
        s->stats.refused++;
        return 0;
    }
    if (e->got_ind) {
        s->stats.duplicates++; /* a retry: answered, its values do not replace the first report's */
    } else {
        e->got_ind = 1;
        e->groups = a->num_groups;
        e->atten_sum = 0;
        for (unsigned g = 0; g < a->num_groups; g++) e->atten_sum = (uint16_t)(e->atten_sum + a->aag[g]);
    }
    hpgp_msg r;
    hpgp_msg_init(&r, HPGP_K_ATTEN_CHAR_RSP, m->hdr.src, s->cfg.mac);
    memcpy(r.u.atten_char.source_address, s->cfg.mac, 6);
    memcpy(r.u.atten_char.run_id, s->run_id, HPGP_RUN_ID_LEN);
    send(s, &r);
    return results_complete(s) ? choose(s, now) : 0;
}

static void on_match_cnf(slac_pev *s, const hpgp_msg *m, uint32_t now)
{
    const hpgp_slac_match *c = &m->u.slac_match;
    if (!slac_same_run(&s->stats, c->run_id, s->run_id)) return;
    if (s->state != P_MATCH) {
        s->stats.ignored_state++;
        return;
    }
    const uint8_t *evse = s->evse[s->chosen].mac;
    if (!slac_same_mac(&s->stats, c->pev_mac, s->cfg.mac) || !slac_same_mac(&s->stats, c->evse_mac, evse) ||
        !slac_same_mac(&s->stats, m->hdr.src, evse))
        return;
    memcpy(s->match.mac, evse, 6);
    memcpy(s->match.run_id, s->run_id, HPGP_RUN_ID_LEN);
    memcpy(s->match.nmk, c->nmk, HPGP_NMK_LEN);
    memcpy(s->match.nid, c->nid, HPGP_NID_LEN);
    slac_send_set_key(&s->out, &s->stats, s->cfg.rng, s->cfg.rng_ctx, s->cfg.mac, c->nmk, c->nid);
    s->state = P_JOIN;
    s->status = SLAC_MATCHED;
    slac_timer_set(&s->t_deadline, now + SLAC_TT_MATCH_JOIN_MS);
    slac_timer_set(&s->t_next, now + s->cfg.link_poll_ms);
}

/* While joining: the SET_KEY.CNF names our modem (its Result byte is not trusted); a GET_SW.CNF from any
 * other modem, or a link status "up", means the AVLN has formed. */
static void on_modem(slac_pev *s, const hpgp_msg *m)
{
    if (s->state != P_JOIN) {
        s->stats.ignored_state++;
        return;
    }
    int up = 0;
    if (m->kind == HPGP_K_LINK_STATUS_CNF) {
        up = m->u.status.value == 1;
    } else if (!s->local_modem_known) {
        memcpy(s->local_modem, m->hdr.src, 6);
        s->local_modem_known = 1;
    } else {
        up = m->kind == HPGP_K_SW_VER_CNF && !wire_mac_eq(m->hdr.src, s->local_modem);
    }
    if (!up) return;
    s->state = P_LINKED;
    s->status = SLAC_LINKED;
    slac_timer_stop(&s->t_deadline);
    slac_timer_stop(&s->t_next);
}

static int on_frame(slac_pev *s, const slac_event *ev, uint32_t now)
{
    hpgp_msg m;
    if (slac_unpack_rx(ev, &s->stats, s->cfg.mac, &m) != 0) return 0;
    switch (m.kind) {
    case HPGP_K_SLAC_PARAM_CNF: on_param_cnf(s, &m, now); break;
    case HPGP_K_ATTEN_CHAR_IND: return on_atten_char(s, &m, now);
    case HPGP_K_SLAC_MATCH_CNF: on_match_cnf(s, &m, now); break;
    case HPGP_K_SET_KEY_CNF:
    case HPGP_K_SW_VER_CNF:
    case HPGP_K_LINK_STATUS_CNF: on_modem(s, &m); break;
    default: s->stats.ignored_state++; break;
    }
    return 0;
}

static void stop(slac_pev *s)
{
    s->state = P_IDLE;
    s->status = SLAC_IDLE;
    slac_timer_stop(&s->t_next);
    slac_timer_stop(&s->t_deadline);
}

slac_action slac_pev_step(slac_pev *s, const slac_event *ev, uint32_t now_ms)
{
    int err = 0;
    slac_out_reset(&s->out);
    switch (ev->type) {
    case SLAC_EV_START: start(s, now_ms); break;
    case SLAC_EV_STOP: stop(s); break;
    case SLAC_EV_FRAME: err = on_frame(s, ev, now_ms); break;
    case SLAC_EV_TIMER: break;
    }
    int terr = 0;
    if (slac_timer_fire(&s->t_deadline, now_ms)) terr = on_deadline(s, now_ms);
    if (slac_timer_fire(&s->t_next, now_ms)) terr = on_next(s, now_ms);
    if (!err) err = terr;
    if (s->out.rng_failed) {   /* no RunID or nonce we could trust: give up, the caller sees CCS_ERANDOM */
        stop(s);
        err = CCS_ERANDOM;
    }
    slac_action a = slac_out_action(&s->out, s->status, err);
    slac_action_wake(&a, &s->t_next);
    slac_action_wake(&a, &s->t_deadline);
    return a;
}
