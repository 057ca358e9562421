/* SLAC, charger side: a fresh NMK for the modem, then one session per car (MAC + RunID): SLAC_PARAM.CNF,
 * sounding with averaged ATTEN_PROFILE.IND, ATTEN_CHAR.IND with retries, CM_VALIDATE, SLAC_MATCH.CNF. One match
 * per plug-in; the protection rules against stations on the line are in docs/security.md. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "slac_internal.h"
#include "common/wire.h"

enum { E_IDLE, E_RESET, E_LISTEN };
enum { S_PARAM, S_SOUNDING, S_ATTEN_RSP, S_WAIT_MATCH, S_MATCHED };

/* After the first SLAC_MATCH.CNF of the plug-in, a repeated SLAC_MATCH.REQ of that run is answered only while it
 * can be the car's own retry (its CNF lost): C_EV_match_retry repeats TT_match_response apart, and one more
 * TT_match_response for the line. Later ones get no NMK. */
#define MATCH_REPEAT_MS ((SLAC_C_EV_MATCH_RETRY + 1u) * SLAC_TT_MATCH_RESPONSE_MS)

void slac_evse_config_default(slac_evse_config *cfg, const uint8_t mac[6], ccs_random_fn rng, void *rng_ctx,
                              ccs_sha256_fn sha256)
{
    memset(cfg, 0, sizeof *cfg);
    memcpy(cfg->mac, mac, 6);
    cfg->rng = rng;
    cfg->rng_ctx = rng_ctx;
    cfg->sha256 = sha256;
    cfg->modem_reset_ms = SLAC_MODEM_RESET_MS;
    cfg->slac_init_ms = SLAC_TT_EVSE_SLAC_INIT_MS;
    cfg->num_sounds = SLAC_C_EV_MATCH_MNBC;
    cfg->time_out = SLAC_TIME_OUT_FIELD;
    cfg->resp_type = SLAC_RESP_TYPE;
    cfg->atten_estimate_db = SLAC_ATTEN_ESTIMATE_DB;
    cfg->validate_result = HPGP_VALIDATE_NOT_REQUIRED;
}

void slac_evse_init(slac_evse *s, const slac_evse_config *cfg)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    s->matched = -1;
}

const slac_match_info *slac_evse_match(const slac_evse *s) { return s->matched >= 0 ? &s->match : NULL; }

const uint8_t *slac_evse_nmk(const slac_evse *s) { return s->nmk; }

static void send(slac_evse *s, const hpgp_msg *m) { slac_out_push(&s->out, &s->stats, m); }

/* SET_KEY.REQ with our key; again after SLAC_SET_KEY_RETRY_MS until the modem answers: a modem still
 * restarting (after an earlier SET_KEY or a reset) drops it, and a car would then get a key no modem has. */
static void send_key(slac_evse *s, uint32_t now)
{
    slac_send_set_key(&s->out, &s->stats, s->cfg.rng, s->cfg.rng_ctx, s->cfg.mac, s->nmk, s->nid);
    if (++s->key_tries < SLAC_SET_KEY_TRIES) slac_timer_set(&s->t_next, now + SLAC_SET_KEY_RETRY_MS);
}

/* A new NMK (and its NID) to the modem; then listen for cars. */
static int set_key(slac_evse *s, uint32_t now)
{
    if (s->cfg.fixed_nmk) memcpy(s->nmk, s->cfg.nmk, HPGP_NMK_LEN);
    else slac_random(&s->out, s->cfg.rng, s->cfg.rng_ctx, s->nmk, HPGP_NMK_LEN);
    int rc = hpgp_nid_from_nmk(s->cfg.sha256, s->nmk, 0, s->nid);
    if (rc) {
        s->state = E_IDLE;
        s->status = SLAC_IDLE;
        return rc;
    }
    s->key_tries = s->key_confirmed = 0;
    send_key(s, now);
    s->state = E_LISTEN;
    slac_timer_set(&s->t_init, now + s->cfg.slac_init_ms);
    return 0;
}

static int start(slac_evse *s, uint32_t now)
{
    memset(s->sess, 0, sizeof s->sess);
    s->matched = -1;
    s->status = SLAC_RUNNING;
    if (!s->cfg.modem_reset) return set_key(s, now);
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_RS_DEV_REQ, hpgp_local_modem_mac, s->cfg.mac);
    send(s, &m);
    s->state = E_RESET;
    slac_timer_set(&s->t_next, now + s->cfg.modem_reset_ms);
    return 0;
}

static slac_evse_session *find(slac_evse *s, const uint8_t pev[6], const uint8_t run_id[HPGP_RUN_ID_LEN])
{
    for (int i = 0; i < SLAC_EVSE_MAX_SESSIONS; i++) {
        slac_evse_session *x = &s->sess[i];
        if (x->used && wire_mac_eq(x->pev, pev) && memcmp(x->run_id, run_id, HPGP_RUN_ID_LEN) == 0) return x;
    }
    return NULL;
}

/* (Re)start session x for this car and run, waiting for START_ATTEN_CHAR. */
static void session_open(slac_evse_session *x, const uint8_t pev[6], const uint8_t run_id[HPGP_RUN_ID_LEN],
                         uint32_t now)
{
    memset(x, 0, sizeof *x);
    x->used = 1;
    x->created = now;
    memcpy(x->pev, pev, 6);
    memcpy(x->run_id, run_id, HPGP_RUN_ID_LEN);
    x->state = S_PARAM;
    slac_timer_set(&x->deadline, now + SLAC_TT_MATCH_SEQUENCE_MS);
}

/* A run in progress: the car has sounded (or its sounding is over). Neither a flood nor the same MAC's new run
 * may take its slot: a station on the line could otherwise cut any car's SLAC by sending CM_SLAC_PARAM.REQs. */
static int in_progress(const slac_evse_session *x) { return x->state > S_SOUNDING || x->sounds || x->profiles; }

/* A slot for a new session: a free one, else the oldest that is not in progress; none when every slot holds a
 * run in progress (the new one is refused: its car retries, TT_match_response later). */
static slac_evse_session *new_slot(slac_evse *s)
{
    slac_evse_session *x = NULL, *victim = NULL;
    for (int i = 0; i < SLAC_EVSE_MAX_SESSIONS && !x; i++) {
        slac_evse_session *c = &s->sess[i];
        if (!c->used) x = c;
        else if (!in_progress(c) && (!victim || (int32_t)(c->created - victim->created) < 0)) victim = c;
    }
    if (!x) {
        s->stats.table_full++;
        x = victim;
    }
    return x;
}

/* A car starts a new matching no sooner than TT_matching_rate after its last one failed ([V2G3-A09-124]), and an
 * attempt lasts longer than that: a new RunID from a MAC whose last run began less than TT_matching_rate ago is
 * a station flooding (or resetting the car's run as the car), not a car. */
static int too_fast(const slac_evse *s, const uint8_t pev[6], uint32_t now)
{
    for (int i = 0; i < SLAC_EVSE_MAX_SESSIONS; i++) {
        const slac_evse_session *x = &s->sess[i];
        if (x->used && wire_mac_eq(x->pev, pev) && now - x->created < SLAC_TT_MATCHING_RATE_MS) return 1;
    }
    return 0;
}

static void session_end(slac_evse *s, slac_evse_session *x)
{
    s->stats.timeouts++;
    x->used = 0;
}

/* A car that starts a new run has given up its older runs that had not begun sounding; one in progress ends by
 * its own timer (it may be the car's, the new REQ a station sending as the car). */
static void drop_runs_of(slac_evse *s, const uint8_t pev[6])
{
    for (int i = 0; i < SLAC_EVSE_MAX_SESSIONS; i++)
        if (s->sess[i].used && !in_progress(&s->sess[i]) && wire_mac_eq(s->sess[i].pev, pev)) s->sess[i].used = 0;
}

static void send_param_cnf(slac_evse *s, const slac_evse_session *x)
{
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_SLAC_PARAM_CNF, x->pev, s->cfg.mac);
    m.u.slac_param_cnf.num_sounds = s->cfg.num_sounds;
    m.u.slac_param_cnf.time_out = s->cfg.time_out;
    m.u.slac_param_cnf.resp_type = s->cfg.resp_type;
    memcpy(m.u.slac_param_cnf.forwarding_sta, x->pev, 6);
    memcpy(m.u.slac_param_cnf.run_id, x->run_id, HPGP_RUN_ID_LEN);
    send(s, &m);
}

static void send_atten_char(slac_evse *s, const slac_evse_session *x)
{
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_ATTEN_CHAR_IND, x->pev, s->cfg.mac);
    memcpy(m.u.atten_char.source_address, x->pev, 6);
    memcpy(m.u.atten_char.run_id, x->run_id, HPGP_RUN_ID_LEN);
    m.u.atten_char.num_sounds = x->data_profiles ? x->data_profiles : x->sounds;
    memcpy(m.u.atten_char.aag, x->aag, HPGP_NUM_GROUPS);
    send(s, &m);
}

static void send_match_cnf(slac_evse *s, const slac_evse_session *x)
{
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_SLAC_MATCH_CNF, x->pev, s->cfg.mac);
    memcpy(m.u.slac_match.pev_mac, x->pev, 6);
    memcpy(m.u.slac_match.evse_mac, s->cfg.mac, 6);
    memcpy(m.u.slac_match.run_id, x->run_id, HPGP_RUN_ID_LEN);
    memcpy(m.u.slac_match.nid, s->nid, HPGP_NID_LEN);
    memcpy(m.u.slac_match.nmk, s->nmk, HPGP_NMK_LEN);
    send(s, &m);
}

/* Sounding is over: average the profiles per group (or report the estimate) and send ATTEN_CHAR.IND. */
static void finish_sounding(slac_evse *s, slac_evse_session *x, uint32_t now)
{
    if (!x->sounds && !x->profiles) {
        session_end(s, x);
        return;
    }
    for (unsigned g = 0; g < HPGP_NUM_GROUPS; g++)
        x->aag[g] = x->data_profiles ? slac_mean_db(x->sum[g], x->data_profiles) : s->cfg.atten_estimate_db;
    x->state = S_ATTEN_RSP;
    x->retries = 0;
    send_atten_char(s, x);
    slac_timer_set(&x->deadline, now + SLAC_TT_MATCH_RESPONSE_MS);
}

/* The car's START_ATTEN_CHAR.IND echoes the NUM_SOUNDS of our SLAC_PARAM.CNF; another count (none, or more
 * than we asked for) is not plausible: we expect ours. */
static void begin_sounding(slac_evse_session *x, uint8_t announced, uint8_t ours, uint32_t now)
{
    x->state = S_SOUNDING;
    x->expected = announced && announced <= ours ? announced : ours;
    slac_timer_set(&x->deadline, now + SLAC_TT_EVSE_MATCH_MNBC_MS);
}

static void on_param_req(slac_evse *s, const hpgp_msg *m, uint32_t now)
{
    const hpgp_slac_param_req *r = &m->u.slac_param_req;
    if (s->matched >= 0) {
        /* One match per plug-in: no second NMK to anyone, the matched car's MAC included (a station can send as
         * it), until the next plug-in starts the machine again. */
        if (wire_mac_eq(s->sess[s->matched].pev, m->hdr.src)) s->stats.refused++;
        else s->stats.ignored_state++;
        return;
    }
    slac_evse_session *x = find(s, m->hdr.src, r->run_id);
    if (x && x->state == S_PARAM) s->stats.duplicates++;
    if (!x) {
        if (too_fast(s, m->hdr.src, now)) {
            s->stats.refused++;
            return;
        }
        drop_runs_of(s, m->hdr.src);
        x = new_slot(s);
        if (!x) return;
        session_open(x, m->hdr.src, r->run_id, now); /* a new run: a fresh slot, whatever it held before */
    } else {
        session_open(x, m->hdr.src, r->run_id, now); /* a repeated REQ restarts it ([V2G3-A09-16]) */
    }
    slac_timer_stop(&s->t_init);
    send_param_cnf(s, x);
}

/* A profile of the car's sounds. Only our own modem measures them ([V2G3-A09-43]): a CM_ATTEN_PROFILE.IND from
 * any other station is forged. A profile carries all groups or (QCA firmware in the captures) none; any other
 * count, and profiles beyond the sounds we expect, are not plausible. */
static void on_profile(slac_evse *s, slac_evse_session *x, const hpgp_msg *m)
{
    const hpgp_atten_profile_ind *p = &m->u.atten_profile;
    if (!s->key_confirmed || !wire_mac_eq(m->hdr.src, s->modem) ||
        (p->num_groups && p->num_groups != HPGP_NUM_GROUPS) || x->profiles >= x->expected) {
        s->stats.refused++;
        return;
    }
    x->profiles++;
    if (p->num_groups == HPGP_NUM_GROUPS) {
        x->data_profiles++;
        for (unsigned g = 0; g < HPGP_NUM_GROUPS; g++) x->sum[g] = (uint16_t)(x->sum[g] + p->aag[g]);
    }
}

/* START_ATTEN_CHAR, MNBC_SOUND and ATTEN_PROFILE of a session. */
static void on_sounding(slac_evse *s, slac_evse_session *x, const hpgp_msg *m, uint32_t now)
{
    if (x->state == S_PARAM)
        begin_sounding(x, m->kind == HPGP_K_START_ATTEN_CHAR_IND ? m->u.start_atten_char.num_sounds : 0,
                       s->cfg.num_sounds, now);
    else if (m->kind == HPGP_K_START_ATTEN_CHAR_IND) s->stats.duplicates++;
    if (x->state != S_SOUNDING) {
        s->stats.ignored_state++;
        return;
    }
    if (m->kind == HPGP_K_MNBC_SOUND_IND) x->sounds++;
    if (m->kind == HPGP_K_ATTEN_PROFILE_IND) on_profile(s, x, m);
    /* without profiles (a modem like the AR7420, or ours unknown: no SET_KEY.CNF yet) the sounds end it */
    int no_profiles = s->cfg.no_atten_profile || !s->key_confirmed;
    int done = x->profiles >= x->expected || (no_profiles && x->sounds >= x->expected);
    if (x->expected && done) finish_sounding(s, x, now);
}

static void on_match_req(slac_evse *s, slac_evse_session *x, const hpgp_msg *m, uint32_t now)
{
    const hpgp_slac_match *r = &m->u.slac_match;
    if (!slac_same_mac(&s->stats, r->pev_mac, x->pev) || !slac_same_mac(&s->stats, r->evse_mac, s->cfg.mac)) return;
    if (s->matched >= 0 && &s->sess[s->matched] != x) {
        s->stats.ignored_state++; /* one car per charger */
        return;
    }
    if (x->state == S_MATCHED) {
        if (now - x->matched_at > MATCH_REPEAT_MS) {
            s->stats.refused++; /* one match per RunID: not the car's retry any more */
            return;
        }
        s->stats.duplicates++;
    } else if (x->state == S_ATTEN_RSP || x->state == S_WAIT_MATCH) {
        x->state = S_MATCHED;
        x->matched_at = now;
        slac_timer_stop(&x->deadline);
        s->matched = (int8_t)(x - s->sess);
        memcpy(s->match.mac, x->pev, 6);
        memcpy(s->match.run_id, x->run_id, HPGP_RUN_ID_LEN);
        memcpy(s->match.nmk, s->nmk, HPGP_NMK_LEN);
        memcpy(s->match.nid, s->nid, HPGP_NID_LEN);
        uint32_t sum = 0;
        for (unsigned g = 0; g < HPGP_NUM_GROUPS; g++) sum += x->aag[g];
        s->match.atten_db = slac_mean_db(sum, HPGP_NUM_GROUPS);
        s->status = SLAC_MATCHED;
    } else {
        s->stats.ignored_state++;
        return;
    }
    send_match_cnf(s, x);
}

static void on_session_frame(slac_evse *s, slac_evse_session *x, const hpgp_msg *m, uint32_t now)
{
    switch (m->kind) {
    case HPGP_K_START_ATTEN_CHAR_IND:
    case HPGP_K_MNBC_SOUND_IND:
    case HPGP_K_ATTEN_PROFILE_IND: on_sounding(s, x, m, now); break;
    case HPGP_K_ATTEN_CHAR_RSP:
        if (x->state != S_ATTEN_RSP) {
            s->stats.ignored_state++;
            break;
        }
        if (!slac_same_mac(&s->stats, m->u.atten_char.source_address, x->pev)) break;
        x->state = S_WAIT_MATCH;
        slac_timer_set(&x->deadline, now + SLAC_TT_EVSE_MATCH_SESSION_MS);
        break;
    case HPGP_K_VALIDATE_REQ: {
        hpgp_msg c;
        hpgp_msg_init(&c, HPGP_K_VALIDATE_CNF, x->pev, s->cfg.mac);
        c.u.validate.result = s->cfg.validate_result;
        send(s, &c);
        break;
    }
    case HPGP_K_SLAC_MATCH_REQ: on_match_req(s, x, m, now); break;
    default: s->stats.ignored_state++; break;
    }
}

/* Which car and run a message belongs to: its sender, except ATTEN_PROFILE (from our modem, about a car; it has
 * no RunID: the car's run that is sounding). */
static slac_evse_session *session_of(slac_evse *s, const hpgp_msg *m)
{
    const uint8_t *run = NULL, *pev = m->hdr.src;
    switch (m->kind) {
    case HPGP_K_START_ATTEN_CHAR_IND: run = m->u.start_atten_char.run_id; break;
    case HPGP_K_MNBC_SOUND_IND: run = m->u.mnbc_sound.run_id; break;
    case HPGP_K_ATTEN_CHAR_RSP: run = m->u.atten_char.run_id; break;
    case HPGP_K_SLAC_MATCH_REQ: run = m->u.slac_match.run_id; break;
    case HPGP_K_ATTEN_PROFILE_IND: pev = m->u.atten_profile.pev_mac; break;
    default: break;
    }
    int known_car = 0;
    slac_evse_session *any = NULL;
    for (int i = 0; i < SLAC_EVSE_MAX_SESSIONS; i++) {
        slac_evse_session *x = &s->sess[i];
        if (!x->used || !wire_mac_eq(x->pev, pev)) continue;
        if (run && memcmp(x->run_id, run, HPGP_RUN_ID_LEN) == 0) return x;
        if (!run && x->state == S_SOUNDING) return x; /* a profile (no RunID): the car's run that sounds now */
        if (!run) any = x;
        known_car = 1;
    }
    if (any) return any;
    if (known_car) s->stats.ignored_run++;
    else s->stats.ignored_mac++;
    return NULL;
}

static void on_frame(slac_evse *s, const slac_event *ev, uint32_t now)
{
    hpgp_msg m;
    if (slac_unpack_rx(ev, &s->stats, s->cfg.mac, &m) != 0) return;
    if (s->state != E_LISTEN) {
        s->stats.ignored_state++;
        return;
    }
    if (m.kind == HPGP_K_SLAC_PARAM_REQ) {
        on_param_req(s, &m, now);
        return;
    }
    if (m.kind == HPGP_K_SET_KEY_CNF) { /* the modem has the key (its Result byte is not trusted) */
        if (!s->key_confirmed) memcpy(s->modem, m.hdr.src, 6);
        s->key_confirmed = 1;
        slac_timer_stop(&s->t_next);
        return;
    }
    if (m.kind == HPGP_K_RS_DEV_CNF) return;
    slac_evse_session *x = session_of(s, &m);
    if (x) on_session_frame(s, x, &m, now);
}

static void on_session_deadline(slac_evse *s, slac_evse_session *x, uint32_t now)
{
    switch (x->state) {
    case S_SOUNDING: finish_sounding(s, x, now); break;
    case S_ATTEN_RSP:
        if (x->retries < SLAC_C_EV_MATCH_RETRY) {
            x->retries++;
            s->stats.retries++;
            send_atten_char(s, x);
            slac_timer_set(&x->deadline, now + SLAC_TT_MATCH_RESPONSE_MS);
            break;
        }
        /* fall through */
    default: session_end(s, x); break;
    }
}

static int run_timers(slac_evse *s, uint32_t now)
{
    int err = 0;
    if (slac_timer_fire(&s->t_next, now)) {
        if (s->state == E_RESET) err = set_key(s, now);
        else if (s->state == E_LISTEN && !s->key_confirmed) send_key(s, now);
    }
    if (slac_timer_fire(&s->t_init, now)) {
        s->stats.timeouts++;
        s->state = E_IDLE;
        s->status = SLAC_IDLE;
        err = CCS_ETIMEOUT;
    }
    for (int i = 0; i < SLAC_EVSE_MAX_SESSIONS; i++)
        if (s->sess[i].used && slac_timer_fire(&s->sess[i].deadline, now)) on_session_deadline(s, &s->sess[i], now);
    return err;
}

static void stop(slac_evse *s)
{
    s->state = E_IDLE;
    s->status = SLAC_IDLE;
    memset(s->sess, 0, sizeof s->sess);
    slac_timer_stop(&s->t_next);
    slac_timer_stop(&s->t_init);
}

slac_action slac_evse_step(slac_evse *s, const slac_event *ev, uint32_t now_ms)
{
    int err = 0;
    slac_out_reset(&s->out);
    switch (ev->type) {
    case SLAC_EV_START: err = start(s, now_ms); break;
    case SLAC_EV_STOP: stop(s); break;
    case SLAC_EV_FRAME: on_frame(s, ev, now_ms); break;
    case SLAC_EV_TIMER: break;
    }
    int terr = run_timers(s, now_ms);
    if (s->out.rng_failed) {   /* no NMK or nonce we could trust: give up, the caller sees CCS_ERANDOM */
        stop(s);
        err = CCS_ERANDOM;
    }
    slac_action a = slac_out_action(&s->out, s->status, err ? err : terr);
    slac_action_wake(&a, &s->t_next);
    slac_action_wake(&a, &s->t_init);
    for (int i = 0; i < SLAC_EVSE_MAX_SESSIONS; i++)
        if (s->sess[i].used) slac_action_wake(&a, &s->sess[i].deadline);
    return a;
}
