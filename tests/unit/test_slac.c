/* SLAC state machines: replays of real captures (our frames equal the captured ones), whole sessions of
 * EVSEs and PEVs over the simulated powerline on a virtual clock, and robustness against foreign,
 * duplicated, lost and truncated frames. Set CCS_SLAC_PCAP=file to dump the in-process session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "slac_world.h"

#define ALPI_SLAC "2022-11-17_Dehner_Alpitronic_until_SdpRequest.pcapng"
#define IONIQ "2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng"

/* pyPLC's "random" values in the 2022 captures: MNBC Rnd all 0xFF, nonce 0xAAAAAAAA. */
static int pyplc_rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    memset(out, len == 4 ? 0xAA : 0xFF, len);
    return 0;
}

/* ---- whole sessions ---- */

static void in_process_match(void **state)
{
    (void)state;
    pf_writer w;
    const char *dump = getenv("CCS_SLAC_PCAP");
    world_init(NULL);
    if (dump) {
        assert_int_equal(pf_writer_open(&w, dump), 0);
        W.pcap = &w;
    }
    slac_evse *evse = add_evse(0);
    slac_pev *pev = add_pev();
    sim_plc_set_atten(&W.plc, 0, 1, 20);
    uint32_t t_req = plug_in();
    assert_true(run_until(t_req + 5000, pev_matched)); /* its timing: test_slac_attack, match_when_results_complete */
    assert_int_equal(evse->status, SLAC_MATCHED);
    assert_match_pair(pev, evse, 20);
    assert_true(run_until(W.now + SLAC_TT_MATCH_JOIN_MS, pev_linked));
    assert_true(sim_plc_same_avln(&W.plc, 0, 1, W.now));
    assert_int_equal(pev->stats.ignored_bad + evse->stats.ignored_bad, 0);
    assert_int_equal(pev->stats.retries + evse->stats.retries, 0);
    assert_int_equal(W.plc.stats.atten_profiles, SLAC_C_EV_MATCH_MNBC);
    if (dump) pf_writer_close(&w);
}

static void two_chargers_pick_the_nearer(void **state)
{
    (void)state;
    world_init(NULL);
    slac_evse *far = add_evse(0), *near = add_evse(0);
    slac_pev *pev = add_pev();
    sim_plc_set_atten(&W.plc, 0, 2, 30);
    sim_plc_set_atten(&W.plc, 1, 2, 12);
    sim_plc_set_atten(&W.plc, 0, 1, 50);
    plug_in();
    assert_true(run_until(W.now + 5000, pev_linked));
    assert_match_pair(pev, near, 12);
    assert_null(slac_evse_match(far));
    assert_int_equal(pev->nevse, 2);
    assert_true(sim_plc_same_avln(&W.plc, 1, 2, W.now));
    assert_false(sim_plc_same_avln(&W.plc, 0, 2, W.now));
    /* the far charger's session times out: TT_EVSE_match_session after its ATTEN_CHAR.RSP */
    run_until(W.now + SLAC_TT_EVSE_MATCH_SESSION_MS + 100, NULL);
    assert_int_equal(far->stats.timeouts, 1);
    assert_false(far->sess[0].used);
}

/* An AR7420-like modem never reports profiles: the EVSE reports its configured estimate. */
static void modem_without_profiles(void **state)
{
    (void)state;
    world_init(NULL);
    slac_evse *evse = add_evse(1);
    evse->cfg.atten_estimate_db = 25;
    slac_pev *pev = add_pev();
    sim_plc_set_atten(&W.plc, 0, 1, 7);
    plug_in();
    assert_true(run_until(W.now + 5000, pev_linked));
    assert_match_pair(pev, evse, 25);
    assert_int_equal(W.plc.stats.atten_profiles, 0);
}

/* Modem reset first (both sides); every frame delivered twice; 20 % loss: still a match. */
static void reset_duplicates_and_loss(void **state)
{
    (void)state;
    sim_plc_config cfg = { .delay_ms = 2, .jitter_ms = 3, .modem_reply_ms = 1, .dup_permille = 1000, .seed = 5 };
    world_init(&cfg);
    slac_evse *evse = add_evse(0);
    slac_pev *pev = add_pev();
    evse->cfg.modem_reset = pev->cfg.modem_reset = 1;
    sim_plc_set_atten(&W.plc, 0, 1, 15);
    plug_in();
    assert_true(run_until(W.now + 10000, pev_linked));
    assert_match_pair(pev, evse, 15);
    assert_true(pev->stats.duplicates > 0);
    assert_true(evse->stats.duplicates > 0);

    cfg.dup_permille = 0;
    cfg.loss_permille = 200;
    unsigned retries = 0, restarts = 0;
    for (uint32_t seed = 1; seed <= 5; seed++) {
        cfg.seed = seed;
        world_init(&cfg);
        evse = add_evse(0);
        pev = add_pev();
        sim_plc_set_atten(&W.plc, 0, 1, 15);
        plug_in();
        assert_true(run_until(W.now + 60000, pev_linked));
        retries += pev->stats.retries + evse->stats.retries;
        restarts += pev->stats.restarts;
        assert_match_pair(pev, evse, 15);
    }
    assert_true(retries > 0 && restarts > 0); /* these seeds exercise both recoveries */
}

/* One charger, two cars sounding at once (sessions by MAC + RunID): only one car is matched, each car got
 * its own attenuation; the other car keeps retrying. */
static void two_cars_one_charger(void **state)
{
    (void)state;
    world_init(NULL);
    slac_evse *evse = add_evse(0);
    slac_pev *a = add_pev();
    int ia = W.n - 1;
    slac_pev *b = add_pev();
    int ib = W.n - 1;
    sim_plc_set_atten(&W.plc, 0, ia, 10);
    sim_plc_set_atten(&W.plc, 0, ib, 25);
    sim_plc_set_atten(&W.plc, ia, ib, 40);
    start(0);
    run_until(1000, NULL);
    W.now = 1000;
    start(ia);
    start(ib);
    run_until(W.now + 1500, NULL);
    assert_int_equal(a->evse[0].got_ind, 1);
    assert_int_equal(b->evse[0].got_ind, 1);
    assert_int_equal(a->evse[0].atten_sum, 10 * HPGP_NUM_GROUPS);
    assert_int_equal(b->evse[0].atten_sum, 25 * HPGP_NUM_GROUPS);
    run_until(W.now + 500, NULL);
    int matched_a = a->status >= SLAC_MATCHED, matched_b = b->status >= SLAC_MATCHED;
    assert_int_equal(matched_a + matched_b, 1);
    assert_memory_equal(slac_evse_match(evse)->mac, matched_a ? a->cfg.mac : b->cfg.mac, 6);
    assert_true(evse->stats.ignored_state > 0 || (matched_a ? b : a)->stats.retries > 0);
}

/* A charger started again while its modem still restarts from the previous key (a new process right after
 * the last one): the SET_KEY.REQ is dropped, so the charger sends it again until the modem answers; the modem
 * ends up with the key the charger gives the car, and the car links. */
static void evse_key_while_modem_restarts(void **state)
{
    (void)state;
    world_init(NULL);
    slac_evse *evse = add_evse(0);
    slac_pev *pev = add_pev();
    sim_plc_set_atten(&W.plc, 0, 1, 20);
    start(0);
    run_until(100, NULL);
    W.now = 100; /* the modem restarts until 400 ms with the first key */
    ccs_event stop = { .kind = CCS_EV_DISCONNECT };   /* SLAC_EV_STOP */
    step(0, &stop);
    start(0);
    assert_false(evse->key_confirmed);
    run_until(1000, NULL);
    W.now = 1000;
    assert_true(evse->key_confirmed);
    assert_int_equal(evse->key_tries, 2);
    assert_true(W.plc.port[0].has_nmk);
    assert_memory_equal(W.plc.port[0].nmk, slac_evse_nmk(evse), HPGP_NMK_LEN);
    start(1);
    assert_true(run_until(W.now + 5000, pev_linked));
    assert_match_pair(pev, evse, 20);
}

/* A modem that never answers SET_KEY: the charger gives up after SLAC_SET_KEY_TRIES and still serves cars. */
static void evse_key_tries_bounded(void **state)
{
    (void)state;
    world_init(NULL);
    slac_evse *evse = add_evse(0);
    W.plc.port[0].online_at = 60000; /* offline for a minute */
    start(0);
    run_until(30000, NULL);
    assert_int_equal(evse->key_tries, SLAC_SET_KEY_TRIES);
    assert_false(evse->key_confirmed);
    assert_int_equal(evse->status, SLAC_RUNNING);
}

/* The matched car starts SLAC over (a new RunID): one match per plug-in, so the charger does not answer (a station
 * could send as that car) until the next plug-in starts it again; then the car matches with its new run and the
 * new NMK (the answer carries the new RunID, not the old one's). */
static void matched_car_starts_over(void **state)
{
    (void)state;
    world_init(NULL);
    slac_evse *evse = add_evse(0);
    slac_pev *pev = add_pev();
    sim_plc_set_atten(&W.plc, 0, 1, 20);
    plug_in();
    assert_true(run_until(W.now + 5000, pev_linked));
    slac_match_info first = *slac_evse_match(evse);
    pev->cfg.max_attempts = 1;
    start(1);
    assert_int_equal(pev->status, SLAC_RUNNING);
    assert_memory_not_equal(pev->run_id, first.run_id, HPGP_RUN_ID_LEN);
    run_until(W.now + 5000, NULL);
    assert_int_equal(pev->status, SLAC_IDLE);
    assert_memory_equal(slac_evse_match(evse)->run_id, first.run_id, HPGP_RUN_ID_LEN);
    assert_true(evse->stats.refused > 0);
    start(0); /* the next plug-in: a new key */
    run_until(W.now + 1000, NULL);
    W.now += 1000;
    start(1);
    assert_true(run_until(W.now + 5000, pev_linked));
    assert_match_pair(pev, evse, 20);
    assert_memory_equal(slac_evse_match(evse)->run_id, pev->run_id, HPGP_RUN_ID_LEN);
    assert_memory_not_equal(slac_evse_match(evse)->nmk, first.nmk, HPGP_NMK_LEN);
}

/* ---- failures and timeouts ---- */

static void evse_init_timeout(void **state)
{
    (void)state;
    world_init(NULL);
    slac_evse *evse = add_evse(0);
    start(0);
    assert_true(W.m[0].last.has_wake);
    assert_int_equal(W.m[0].last.n, 1); /* SET_KEY.REQ */
    run_until(SLAC_TT_EVSE_SLAC_INIT_MS - 1, NULL);
    assert_int_equal(evse->status, SLAC_RUNNING);
    run_until(SLAC_TT_EVSE_SLAC_INIT_MS + 1, NULL);
    assert_int_equal(W.m[0].last.err, CCS_ETIMEOUT);
    assert_int_equal(evse->status, SLAC_IDLE);
}

static void pev_gives_up_without_charger(void **state)
{
    (void)state;
    world_init(NULL);
    slac_pev *pev = add_pev();
    pev->cfg.max_attempts = 2;
    start(0);
    run_until(60000, NULL);
    assert_int_equal(pev->status, SLAC_IDLE);
    assert_int_equal(pev->stats.timeouts, 2);
    assert_int_equal(pev->stats.restarts, 1);
    assert_int_equal(pev->stats.retries, 2 * SLAC_C_EV_MATCH_RETRY);
}

/* A charger above the attenuation limit is not chosen; raising the limit matches it. */
static void attenuation_limit(void **state)
{
    (void)state;
    for (int limit = SLAC_ATTEN_LIMIT_DB; limit <= 50; limit += 10) {
        world_init(NULL);
        slac_evse *evse = add_evse(0);
        slac_pev *pev = add_pev();
        pev->cfg.atten_limit_db = (uint8_t)limit;
        sim_plc_set_atten(&W.plc, 0, 1, 45);
        plug_in();
        int ok = run_until(W.now + 4000, pev_matched);
        assert_int_equal(ok, limit >= 45);
        if (ok) assert_match_pair(pev, evse, 45);
        else assert_true(pev->stats.timeouts >= 1);
    }
}

/* ---- foreign frames ---- */

static uint8_t forged[4][HPGP_MAX_FRAME];
static size_t forged_len[4];
static int forged_n;

/* When our car sends SLAC_MATCH.REQ, someone else's SLAC_MATCH.CNFs arrive first. */
static void inject_foreign_match(int from, const uint8_t *frame, size_t len)
{
    hpgp_msg m;
    if (W.m[from].is_evse || hpgp_unpack(frame, len, &m) != 0 || m.kind != HPGP_K_SLAC_MATCH_REQ) return;
    static const uint8_t other_car[6] = { 0x02, 0x99, 0, 0, 0, 1 };
    static const uint8_t bad_key[16] = { 0xBA, 0xD0 };
    hpgp_msg c;
    forged_n = 0;
    for (int v = 0; v < 4; v++) {
        hpgp_msg_init(&c, HPGP_K_SLAC_MATCH_CNF, m.hdr.src, m.hdr.dst);
        memcpy(c.u.slac_match.pev_mac, m.u.slac_match.pev_mac, 6);
        memcpy(c.u.slac_match.evse_mac, m.u.slac_match.evse_mac, 6);
        memcpy(c.u.slac_match.run_id, m.u.slac_match.run_id, 8);
        memcpy(c.u.slac_match.nmk, bad_key, 16);
        if (v == 0) memcpy(c.u.slac_match.pev_mac, other_car, 6);         /* another car's CNF */
        if (v == 1) c.u.slac_match.run_id[7] ^= 1;                          /* another run */
        if (v == 2) c.hdr.src[5] ^= 1, c.u.slac_match.evse_mac[5] ^= 1;    /* another charger */
        if (v == 3) memcpy(c.hdr.dst, other_car, 6);                        /* addressed to another car */
        assert_int_equal(hpgp_pack(&c, forged[v], sizeof forged[v], &forged_len[v]), 0);
        forged_n++;
    }
    W.on_send = NULL;
    for (int v = 0; v < forged_n; v++) feed(from, forged[v], forged_len[v]);
}

static void foreign_frames_do_not_disturb(void **state)
{
    (void)state;
    world_init(NULL);
    slac_evse *evse = add_evse(0);
    slac_pev *pev = add_pev();
    sim_plc_set_atten(&W.plc, 0, 1, 20);
    W.on_send = inject_foreign_match;
    plug_in();
    assert_true(run_until(W.now + 5000, pev_linked));
    assert_int_equal(forged_n, 4);
    assert_match_pair(pev, evse, 20);
    assert_int_equal(pev->stats.ignored_mac, 3);
    assert_int_equal(pev->stats.ignored_run, 1);

    /* a car with a wrong RunID / wrong MACs in the middle of an EVSE session */
    const slac_evse_session *x = &evse->sess[0];
    hpgp_msg m;
    uint8_t f[HPGP_MAX_FRAME];
    size_t n;
    slac_stats before = evse->stats;
    hpgp_msg_init(&m, HPGP_K_SLAC_MATCH_REQ, evse->cfg.mac, pev->cfg.mac);
    memcpy(m.u.slac_match.pev_mac, pev->cfg.mac, 6);
    memcpy(m.u.slac_match.evse_mac, evse->cfg.mac, 6);
    memcpy(m.u.slac_match.run_id, x->run_id, 8);
    m.u.slac_match.run_id[0] ^= 0xFF;
    hpgp_pack(&m, f, sizeof f, &n);
    feed(0, f, n);
    assert_int_equal(evse->stats.ignored_run, before.ignored_run + 1);
    m.u.slac_match.run_id[0] ^= 0xFF;
    m.u.slac_match.evse_mac[0] ^= 0x40;
    hpgp_pack(&m, f, sizeof f, &n);
    feed(0, f, n);
    assert_int_equal(evse->stats.ignored_mac, before.ignored_mac + 1);
    m.hdr.src[1] ^= 1;
    hpgp_pack(&m, f, sizeof f, &n);
    feed(0, f, n);
    assert_int_equal(evse->stats.ignored_mac, before.ignored_mac + 2);
    assert_int_equal(W.m[0].last.n, 0);
    assert_int_equal(evse->status, SLAC_MATCHED);
}

/* Every prefix of every HomePlug frame of the captures, fed to a PEV and an EVSE in the middle of a
 * session: no crash, no frame sent in answer to a truncated SLAC message, no match. */
static void truncated_and_captured_frames(void **state)
{
    (void)state;
    static const char *const caps[] = { ALPI_SLAC, IONIQ, "2023-05-03_TaycanLeftside_slacFail.pcapng",
                                        "2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng" };
    world_init(NULL);
    slac_evse *evse = add_evse(0);
    slac_pev *pev = add_pev();
    start(0);
    run_until(1000, NULL); /* the modem confirms the key */
    W.now = 1000;
    start(1);
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        pf_list l;
        assert_int_equal(pf_load(caps[c], &l), 0);
        for (size_t i = 0; i < l.n; i++) {
            if (!pf_is_homeplug(&l, i)) continue;
            for (size_t cut = 14; cut < l.len[i]; cut++) {
                uint8_t *t = malloc(cut);
                memcpy(t, l.data[i], cut);
                hpgp_msg m;
                int whole = hpgp_unpack(t, cut, &m) == 0;
                feed(0, t, cut);
                if (!whole) assert_int_equal(W.m[0].last.n, 0);
                feed(1, t, cut);
                if (!whole) assert_int_equal(W.m[1].last.n, 0);
                free(t);
            }
            feed(0, l.data[i], l.len[i]);
            feed(1, l.data[i], l.len[i]);
        }
        pf_free(&l);
    }
    assert_true(pev->stats.ignored_bad > 1000);
    assert_true(pev->stats.ignored_run + pev->stats.ignored_mac > 0);
    assert_null(slac_pev_match(pev));
    assert_null(slac_evse_match(evse));
}

/* ---- replays: our frames equal the captured ones ---- */

static void expect_sent(const slac_action *a, unsigned k, const pf_list *l, size_t number, size_t from_byte)
{
    size_t len;
    const uint8_t *f = pf_frame(l, number, &len);
    assert_true(k < a->n);
    assert_int_equal(a->len[k], len);
    assert_memory_equal(a->frame[k] + from_byte, f + from_byte, len - from_byte);
}

/* pyPLC as a car against an Alpitronic: configured like pyPLC was (RunID = MAC + 0000, Time_Out 10, its
 * "random" bytes), our PEV sends the same 17 frames; its SET_KEY.REQ differs only in the destination
 * (pyPLC broadcast it, we address the local modem). */
static void pev_replays_alpitronic_session(void **state)
{
    (void)state;
    pf_list l;
    assert_int_equal(pf_load(ALPI_SLAC, &l), 0);
    size_t len = 0;
    const uint8_t *req = pf_frame(&l, 1, &len);
    if (!req)
        fail();
    slac_pev_config c;
    slac_pev_config_default(&c, req + 6, pyplc_rng, NULL);
    c.random_run_id = 0;
    memcpy(c.run_id, req + 21, 8);
    c.time_out = 10;
    slac_pev pev;
    slac_pev_init(&pev, &c);
    slac_event ev = { SLAC_EV_START, NULL, 0 };
    uint32_t t = 0;
    slac_action a = slac_pev_step(&pev, &ev, t);
    expect_sent(&a, 0, &l, 1, 0);
    ev.type = SLAC_EV_FRAME;
    ev.frame = pf_frame(&l, 2, &ev.len);
    a = slac_pev_step(&pev, &ev, t += 5);
    assert_int_equal(a.n, 0);
    size_t expect = 3; /* START_ATTEN_CHAR x3, MNBC_SOUND x10 */
    ev.type = SLAC_EV_TIMER;
    while (expect <= 15) {
        assert_true(a.has_wake);
        a = slac_pev_step(&pev, &ev, t = a.wake_ms);
        assert_int_equal(a.n, 1);
        expect_sent(&a, 0, &l, expect++, 0);
    }
    ev.type = SLAC_EV_FRAME;
    ev.frame = pf_frame(&l, 16, &ev.len); /* ATTEN_CHAR.IND -> RSP */
    a = slac_pev_step(&pev, &ev, t += 8);
    expect_sent(&a, 0, &l, 17, 0);
    ev.type = SLAC_EV_TIMER;
    a = slac_pev_step(&pev, &ev, t = a.wake_ms); /* TT_EV_atten_results over: SLAC_MATCH.REQ */
    expect_sent(&a, 0, &l, 18, 0);
    ev.type = SLAC_EV_FRAME;
    ev.frame = pf_frame(&l, 19, &ev.len);
    a = slac_pev_step(&pev, &ev, t += 5);
    assert_int_equal(a.status, SLAC_MATCHED);
    expect_sent(&a, 0, &l, 20, 6);
    assert_memory_equal(a.frame[0], hpgp_local_modem_mac, 6);
    /* the modem's SET_KEY.CNF (Result "failure") and two GET_SW.CNF: local modem, then the charger's */
    for (size_t fn = 21; fn <= 24; fn++) {
        if (fn == 22) continue;
        ev.frame = pf_frame(&l, fn, &ev.len);
        a = slac_pev_step(&pev, &ev, t += 100);
    }
    assert_int_equal(a.status, SLAC_LINKED);
    assert_int_equal(pev.stats.ignored_bad + pev.stats.ignored_mac + pev.stats.ignored_run, 0);
    pf_free(&l);
}

/* An EVSE with the MAC of the charger that sent frame `number` of a loaded capture, started at 0; its modem
 * (the source of its SET_KEY.CNF and ATTEN_PROFILE.INDs) is `modem`. */
static void evse_like(slac_evse *evse, const pf_list *l, size_t number, const uint8_t modem[6], uint32_t *rng_state)
{
    size_t len;
    slac_evse_config c;
    slac_evse_config_default(&c, pf_frame(l, number, &len) + 6, test_rng, rng_state, ccs_sha256_openssl);
    slac_evse_init(evse, &c);
    slac_event ev = { SLAC_EV_START, NULL, 0 };
    slac_action a = slac_evse_step(evse, &ev, 0);
    assert_int_equal(a.n, 1); /* SET_KEY.REQ */
    hpgp_msg cnf; /* its modem's answer */
    static uint8_t frame[HPGP_MAX_FRAME];
    hpgp_msg_init(&cnf, HPGP_K_SET_KEY_CNF, c.mac, modem);
    assert_int_equal(hpgp_pack(&cnf, frame, sizeof frame, &ev.len), 0);
    ev.type = SLAC_EV_FRAME;
    ev.frame = frame;
    a = slac_evse_step(evse, &ev, 1);
    assert_int_equal(a.n, 0);
    assert_true(evse->key_confirmed);
}

/* pyPLC as a charger against a Hyundai Ioniq: our EVSE, fed the car's frames and the modem's (empty)
 * ATTEN_PROFILE.INDs, answers like pyPLC did: SLAC_PARAM.CNF identical, ATTEN_CHAR.IND with the estimate,
 * SLAC_MATCH.CNF identical up to the NID/NMK. */
static void evse_replays_ioniq_session(void **state)
{
    (void)state;
    pf_list l;
    assert_int_equal(pf_load(IONIQ, &l), 0);
    size_t len;
    uint32_t rs = 3;
    slac_evse evse;
    evse_like(&evse, &l, 38, pf_frame(&l, 49, &len) + 6, &rs); /* frame 49: its modem's ATTEN_PROFILE.IND */
    slac_event ev = { SLAC_EV_FRAME, NULL, 0 };
    slac_action a;
    hpgp_msg m;
    unsigned atten_char = 0;
    for (size_t fn = 34; fn <= 94; fn++) {
        if (!pf_is_homeplug(&l, fn - 1) || fn == 38 || fn == 41 || fn == 88 || fn == 94) continue;
        ev.frame = pf_frame(&l, fn, &ev.len);
        if (hpgp_unpack(ev.frame, ev.len, &m) != 0) continue; /* vendor 0xA14E */
        a = slac_evse_step(&evse, &ev, l.ms[fn - 1]);
        if (fn == 34 || fn == 35) expect_sent(&a, 0, &l, 38, 0);
        if (fn == 91) { /* SLAC_MATCH.CNF: the same up to our own NID and NMK */
            const uint8_t *want = pf_frame(&l, 94, &len);
            assert_int_equal(a.n, 1);
            assert_int_equal(a.len[0], len);
            assert_memory_equal(a.frame[0], want, 85);
            assert_memory_equal(a.frame[0] + 93, slac_evse_nmk(&evse), HPGP_NMK_LEN);
        }
        for (unsigned k = 0; k < a.n; k++) {
            assert_int_equal(hpgp_unpack(a.frame[k], a.len[k], &m), 0);
            if (m.kind != HPGP_K_ATTEN_CHAR_IND) continue;
            atten_char++;
            assert_memory_equal(m.u.atten_char.source_address, pf_frame(&l, 34, &len) + 6, 6);
            assert_int_equal(m.u.atten_char.num_sounds, 10);
            for (unsigned g = 0; g < HPGP_NUM_GROUPS; g++) assert_int_equal(m.u.atten_char.aag[g], SLAC_ATTEN_ESTIMATE_DB);
        }
    }
    assert_int_equal(atten_char, 1);
    assert_int_equal(evse.status, SLAC_MATCHED);
    assert_int_equal(evse.stats.duplicates, 1 + 2); /* the car's second SLAC_PARAM.REQ, START_ATTEN_CHAR #2, #3 */
    pf_free(&l);
}

/* pyPLC's own frames answered by our EVSE: the CNF equals the Alpitronic's byte for byte. */
static void evse_answers_like_alpitronic(void **state)
{
    (void)state;
    pf_list l;
    assert_int_equal(pf_load(ALPI_SLAC, &l), 0);
    uint32_t rs = 9;
    slac_evse evse;
    static const uint8_t modem[6] = { 0x02, 0x00, 0x00, 0x00, 0xB0, 0x01 };
    evse_like(&evse, &l, 2, modem, &rs);
    slac_event ev = { SLAC_EV_FRAME, NULL, 0 };
    ev.frame = pf_frame(&l, 1, &ev.len);
    slac_action a = slac_evse_step(&evse, &ev, 10);
    expect_sent(&a, 0, &l, 2, 0);
    pf_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(in_process_match),
        cmocka_unit_test(two_chargers_pick_the_nearer),
        cmocka_unit_test(modem_without_profiles),
        cmocka_unit_test(reset_duplicates_and_loss),
        cmocka_unit_test(two_cars_one_charger),
        cmocka_unit_test(evse_key_while_modem_restarts),
        cmocka_unit_test(evse_key_tries_bounded),
        cmocka_unit_test(matched_car_starts_over),
        cmocka_unit_test(evse_init_timeout),
        cmocka_unit_test(pev_gives_up_without_charger),
        cmocka_unit_test(attenuation_limit),
        cmocka_unit_test(foreign_frames_do_not_disturb),
        cmocka_unit_test(truncated_and_captured_frames),
        cmocka_unit_test(pev_replays_alpitronic_session),
        cmocka_unit_test(evse_replays_ioniq_session),
        cmocka_unit_test(evse_answers_like_alpitronic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
