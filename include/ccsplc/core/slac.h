/* SLAC (ISO 15118-3 signal level attenuation characterization) for both roles, sans-I/O: feed an event
 * (start, received frame, timer) with the current virtual time, get frames to send, the next wake-up
 * time and a status. Callers own all state; randomness and SHA-256 come in as callbacks. */
#ifndef CCSPLC_SLAC_H
#define CCSPLC_SLAC_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/hpgp.h"
#include "ccsplc/core/sha256.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ISO 15118-3 timers (ms) and counters, at the values existing implementations use. */
#define SLAC_TT_EVSE_SLAC_INIT_MS 40000u        /* 20-50 s: EVSE waits for the first SLAC_PARAM.REQ */
#define SLAC_TT_MATCH_SEQUENCE_MS 400u          /* EVSE: SLAC_PARAM.CNF -> START_ATTEN_CHAR.IND */
#define SLAC_TT_MATCH_RESPONSE_MS 200u          /* wait for a response before a retry */
#define SLAC_TT_EVSE_MATCH_MNBC_MS 600u         /* EVSE's sounding window */
#define SLAC_TT_EV_ATTEN_RESULTS_MS 1200u       /* PEV collects ATTEN_CHAR.IND from the first START_ATTEN_CHAR */
#define SLAC_TT_EVSE_MATCH_SESSION_MS 10000u    /* EVSE waits for SLAC_MATCH.REQ */
#define SLAC_TT_MATCH_JOIN_MS 12000u            /* PEV: SLAC_MATCH.CNF -> link up */
#define SLAC_TT_MATCHING_RATE_MS 400u           /* [V2G3-A09-124] a car waits this long before a new matching */
#define SLAC_TP_EV_BATCH_MSG_INTERVAL_MS 20u    /* 20-50 ms between START_ATTEN_CHAR / MNBC_SOUND */
#define SLAC_C_EV_MATCH_RETRY 2u
#define SLAC_C_EV_START_ATTEN_CHAR_INDS 3u
#define SLAC_C_EV_MATCH_MNBC 10u

/* Field-proven defaults (pyPLC notes, captures). */
#define SLAC_START_ATTEN_DELAY_MS 30u           /* START_ATTEN_CHAR within 100 ms of SLAC_PARAM.CNF */
#define SLAC_TIME_OUT_FIELD 6u                  /* Time_Out (x100 ms); Compleo ignores other values */
#define SLAC_RESP_TYPE 1u                       /* "transmitted to another GP STA's HLE" */
#define SLAC_ATTEN_LIMIT_DB 40u                 /* PEV rejects EVSEs with a higher mean attenuation */
#define SLAC_LINK_POLL_MS 500u                  /* PEV: GET_SW broadcast interval while joining */
#define SLAC_RESTART_DELAY_MS 1000u             /* PEV: pause before a new attempt */
#define SLAC_MODEM_RESET_MS 2000u               /* optional VS_RS_DEV: time the modem needs */
#define SLAC_SET_KEY_RETRY_MS 500u              /* EVSE: SET_KEY.REQ again while no CNF came (modem restarting) */
#define SLAC_SET_KEY_TRIES 10u                  /* EVSE: at most this many SET_KEY.REQ per key */
#define SLAC_ATTEN_ESTIMATE_DB 20u              /* EVSE: reported when the modem gives no profile */

#define SLAC_OUT_MAX 6
#define SLAC_FRAME_CAP 132                      /* largest frame we send: CM_ATTEN_CHAR.IND, 129 bytes */
#define SLAC_PEV_MAX_EVSE 8
#define SLAC_EVSE_MAX_SESSIONS 4

/* The random hook (keys, RunIDs, nonces, SessionIDs): fills out[0..len) and returns 0, or a negative CCS_E* code
 * when it has no randomness. The engines then stop with CCS_ERANDOM (nothing predictable is sent); never abort. */
typedef int (*ccs_random_fn)(void *ctx, uint8_t *out, size_t len);

typedef enum { SLAC_EV_START, SLAC_EV_FRAME, SLAC_EV_TIMER, SLAC_EV_STOP } slac_event_type;

typedef struct {
    slac_event_type type;
    const uint8_t *frame;   /* SLAC_EV_FRAME: a received Ethernet frame (others are ignored) */
    size_t len;
} slac_event;

typedef enum {
    SLAC_IDLE,     /* not started, stopped, or given up */
    SLAC_RUNNING,  /* working on it */
    SLAC_MATCHED,  /* SLAC_MATCH done, key handed to the modem; PEV: waiting for the link */
    SLAC_LINKED,   /* PEV: the modem sees another station of the AVLN */
} slac_status;

/* What to do after a step. Frames point into the machine's outbox: send them in order before the next step. */
typedef struct {
    uint8_t n;
    const uint8_t *frame[SLAC_OUT_MAX];
    uint16_t len[SLAC_OUT_MAX];
    uint8_t has_wake;       /* call again with SLAC_EV_TIMER at wake_ms */
    uint32_t wake_ms;
    slac_status status;
    int err;                /* 0, or what failed in this step (CCS_ETIMEOUT: an attempt timed out) */
} slac_action;

/* The peer a machine matched with. */
typedef struct {
    uint8_t mac[6];         /* PEV: the EVSE host; EVSE: the PEV host */
    uint8_t atten_db;       /* mean attenuation over the groups */
    uint8_t run_id[HPGP_RUN_ID_LEN];
    uint8_t nmk[HPGP_NMK_LEN];
    uint8_t nid[HPGP_NID_LEN];
} slac_match_info;

typedef struct {
    uint32_t frames;        /* HomePlug frames fed in */
    uint32_t ignored_run;   /* foreign RunID */
    uint32_t ignored_mac;   /* addressed to / about another station */
    uint32_t ignored_bad;   /* did not unpack */
    uint32_t ignored_state; /* valid but unexpected now */
    uint32_t duplicates, retries, timeouts, restarts, out_overflow, table_full;
    uint32_t refused;       /* refused by a protection rule (docs/security.md): a second match, a flood, a source
                             * too fast, a report or profile from the wrong station or implausible */
} slac_stats;

typedef struct {
    uint8_t on;
    uint32_t at;
} slac_timer;

typedef struct {
    uint8_t n;
    int8_t rng_failed;             /* the random hook failed in this step: send nothing, stop */
    uint16_t len[SLAC_OUT_MAX];
    uint8_t buf[SLAC_OUT_MAX][SLAC_FRAME_CAP];
} slac_outbox;

/* ---------------- PEV (car) ---------------- */

typedef struct {
    uint8_t mac[6];                /* host MAC */
    ccs_random_fn rng;             /* RunID (if random_run_id) and nonces; may be NULL with a fixed RunID */
    void *rng_ctx;
    uint8_t run_id[HPGP_RUN_ID_LEN];
    uint8_t random_run_id;         /* 1: a fresh random RunID per attempt (default); 0: run_id above */
    uint8_t atten_limit_db;
    uint16_t start_atten_delay_ms;
    uint16_t batch_interval_ms;
    uint8_t time_out;              /* START_ATTEN_CHAR Time_Out field */
    uint8_t resp_type;
    uint8_t modem_reset;           /* send VS_RS_DEV.REQ first and wait modem_reset_ms */
    uint32_t modem_reset_ms;
    uint32_t link_poll_ms;
    uint32_t restart_delay_ms;
    uint32_t max_attempts;         /* 0: retry forever */
} slac_pev_config;

typedef struct {
    uint8_t mac[6];
    uint8_t got_cnf, got_ind;
    uint16_t atten_sum;
    uint8_t groups;
} slac_pev_evse;

typedef struct {
    slac_pev_config cfg;
    uint8_t state, count, retries, local_modem_known;
    uint8_t run_id[HPGP_RUN_ID_LEN];
    uint8_t local_modem[6];
    slac_timer t_next, t_deadline;
    uint32_t atten_results_at;
    uint32_t attempts;
    uint8_t nevse;
    uint8_t sounds_sent;           /* MNBC_SOUND.IND sent in this attempt */
    int8_t chosen;
    slac_pev_evse evse[SLAC_PEV_MAX_EVSE];
    slac_match_info match;
    slac_status status;
    slac_outbox out;
    slac_stats stats;
} slac_pev;

/* Defaults above, random RunID per attempt. */
void slac_pev_config_default(slac_pev_config *cfg, const uint8_t mac[6], ccs_random_fn rng, void *rng_ctx);
void slac_pev_init(slac_pev *s, const slac_pev_config *cfg);
slac_action slac_pev_step(slac_pev *s, const slac_event *ev, uint32_t now_ms);
/* The EVSE matched (valid once status is SLAC_MATCHED or SLAC_LINKED), else NULL. */
const slac_match_info *slac_pev_match(const slac_pev *s);

/* ---------------- EVSE (charger) ---------------- */

typedef struct {
    uint8_t mac[6];                /* host MAC */
    ccs_random_fn rng;             /* fresh NMK per start, nonces */
    void *rng_ctx;
    ccs_sha256_fn sha256;          /* NID from the NMK */
    uint8_t fixed_nmk;             /* 1: use nmk below instead of a random one */
    uint8_t nmk[HPGP_NMK_LEN];
    uint8_t modem_reset;
    uint32_t modem_reset_ms;
    uint32_t slac_init_ms;         /* TT_EVSE_SLAC_init */
    uint8_t num_sounds, time_out, resp_type;  /* SLAC_PARAM.CNF fields */
    uint8_t no_atten_profile;      /* modem never reports ATTEN_PROFILE (AR7420): report the estimate */
    uint8_t atten_estimate_db;
    uint8_t validate_result;       /* CM_VALIDATE.CNF result */
} slac_evse_config;

typedef struct {
    uint8_t used, state;
    uint8_t pev[6];
    uint8_t run_id[HPGP_RUN_ID_LEN];
    uint8_t expected, sounds, profiles, data_profiles, retries;
    uint8_t aag[HPGP_NUM_GROUPS];
    uint16_t sum[HPGP_NUM_GROUPS];
    slac_timer deadline;
    uint32_t created;
    uint32_t matched_at;           /* the first SLAC_MATCH.CNF: its repeats are answered for a while only */
} slac_evse_session;

typedef struct {
    slac_evse_config cfg;
    uint8_t state;
    uint8_t nmk[HPGP_NMK_LEN];
    uint8_t nid[HPGP_NID_LEN];
    slac_timer t_next, t_init;     /* t_next: the modem reset, then the SET_KEY.REQ retry */
    uint8_t key_tries;             /* SET_KEY.REQ sent for this key; no more once a CNF came */
    uint8_t key_confirmed;         /* the modem answered SET_KEY (its Result byte is not trusted) */
    uint8_t modem[6];              /* our modem (the source of that SET_KEY.CNF): ATTEN_PROFILE.IND only from it */
    int8_t matched;                /* session index, or -1 */
    slac_evse_session sess[SLAC_EVSE_MAX_SESSIONS];
    slac_match_info match;
    slac_status status;
    slac_outbox out;
    slac_stats stats;
} slac_evse;

void slac_evse_config_default(slac_evse_config *cfg, const uint8_t mac[6], ccs_random_fn rng, void *rng_ctx,
                              ccs_sha256_fn sha256);
void slac_evse_init(slac_evse *s, const slac_evse_config *cfg);
slac_action slac_evse_step(slac_evse *s, const slac_event *ev, uint32_t now_ms);
/* The PEV matched (valid once status is SLAC_MATCHED), else NULL. */
const slac_match_info *slac_evse_match(const slac_evse *s);
/* The session NMK/NID the EVSE gave its modem (valid after SLAC_EV_START). */
const uint8_t *slac_evse_nmk(const slac_evse *s);

#ifdef __cplusplus
}
#endif

#endif
