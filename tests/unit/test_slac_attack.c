/* SLAC against an attacker on the powerline (issue 16, items 14 and 18-20): a station spoofing the matched car's
 * MAC, a second match on the car's RunID, a CM_SLAC_PARAM.REQ flood, one source opening run after run, forged
 * attenuation profiles and a forged CM_ATTEN_CHAR.IND; and the car's match as soon as the results are complete.
 * Each rule is in docs/security.md with the ISO 15118-3 clause it follows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "slac_world.h"

enum { EVSE = 0, CAR = 1, ROGUE = 2 };

static const uint8_t rogue_mac[6] = { 0x02, 0xBA, 0xD0, 0x00, 0x00, 0x01 };

/* ---- what the machines sent, counted by the send hook ---- */

typedef struct {
    unsigned param_cnf, match_cnf, match_req, match_req_to_rogue, sounds;
    uint32_t t_match_cnf, t_atten_rsp, t_match_req;
    uint8_t param_cnf_to[6];
} sent_log;

static sent_log S;
static void (*also)(int from, const hpgp_msg *m);   /* a test's injection on top of the count */

static void count_sent(int from, const uint8_t *frame, size_t len)
{
    hpgp_msg m;
    if (hpgp_unpack(frame, len, &m) != 0) return;
    switch (m.kind) {
    case HPGP_K_SLAC_PARAM_CNF:
        S.param_cnf++;
        memcpy(S.param_cnf_to, m.hdr.dst, 6);
        break;
    case HPGP_K_SLAC_MATCH_CNF:
        if (!S.match_cnf++) S.t_match_cnf = W.now;
        break;
    case HPGP_K_SLAC_MATCH_REQ:
        if (!S.match_req++) S.t_match_req = W.now;
        if (!memcmp(m.hdr.dst, rogue_mac, 6)) S.match_req_to_rogue++;
        break;
    case HPGP_K_ATTEN_CHAR_RSP:
        if (!S.t_atten_rsp) S.t_atten_rsp = W.now;
        break;
    case HPGP_K_MNBC_SOUND_IND: S.sounds++; break;
    default: break;
    }
    if (also) also(from, &m);
}

/* A charger, a car at 20 dB, a passive rogue station at 30 dB from both; the counting hook. */
static void setup(void)
{
    world_init(NULL);
    add_evse(0);
    add_pev();
    int r = add_port(0);
    W.m[r].passive = 1;
    sim_plc_set_host_mac(&W.plc, r, rogue_mac);
    sim_plc_set_atten(&W.plc, EVSE, CAR, 20);
    sim_plc_set_atten(&W.plc, EVSE, ROGUE, 30);
    sim_plc_set_atten(&W.plc, CAR, ROGUE, 30);
    memset(&S, 0, sizeof S);
    also = NULL;
    W.on_send = count_sent;
}

static slac_evse *evse(void) { return &W.m[EVSE].evse; }
static slac_pev *car(void) { return &W.m[CAR].pev; }

/* m, packed, onto the powerline from port `from` now (what a rogue host transmits). */
static void transmit(int from, const hpgp_msg *m)
{
    uint8_t f[HPGP_MAX_FRAME];
    size_t n;
    assert_int_equal(hpgp_pack(m, f, sizeof f, &n), 0);
    assert_int_equal(sim_plc_send(&W.plc, from, f, n, W.now), 0);
}

/* m, packed, straight into machine i (bypassing the line: for frames injected while a machine sends). */
static void deliver(int i, const hpgp_msg *m)
{
    uint8_t f[HPGP_MAX_FRAME];
    size_t n;
    assert_int_equal(hpgp_pack(m, f, sizeof f, &n), 0);
    feed(i, f, n);
}

static void param_req(hpgp_msg *m, const uint8_t src[6], const uint8_t run_id[HPGP_RUN_ID_LEN])
{
    hpgp_msg_init(m, HPGP_K_SLAC_PARAM_REQ, hpgp_broadcast_mac, src);
    memcpy(m->u.slac_param_req.run_id, run_id, HPGP_RUN_ID_LEN);
}

/* The car matched the charger in its first attempt, at 20 dB, and never asked a rogue to match. */
static void assert_car_matched_first_time(void)
{
    assert_true(run_until(W.now + 5000, pev_linked));
    assert_match_pair(car(), evse(), 20);
    assert_int_equal(car()->stats.timeouts, 0);
    assert_int_equal(car()->stats.restarts, 0);
    assert_int_equal(S.match_req_to_rogue, 0);
}

/* A plug-in with `inject` called on every frame sent: the car still matches the charger in its first attempt. */
static void car_matches_despite(void (*inject)(int from, const hpgp_msg *m))
{
    setup();
    also = inject;
    plug_in();
    assert_car_matched_first_time();
}

/* ---- item 18: no second NMK to a MAC already matched, without a new plug-in ---- */

/* While the car is matched and linked, a station with the car's MAC runs a whole SLAC of its own (a new RunID):
 * the charger answers none of it, hands out no second NMK, and keeps the car's match. */
static void spoofed_car_mac_gets_no_nmk(void **state)
{
    (void)state;
    setup();
    plug_in();
    assert_true(run_until(W.now + 5000, pev_linked));
    slac_match_info first = *slac_evse_match(evse());
    unsigned cnf = S.param_cnf, match = S.match_cnf;
    /* the spoofer: a PEV machine on the rogue port with the car's MAC */
    slac_pev_config c;
    slac_pev_config_default(&c, car()->cfg.mac, test_rng, &W.rng_state);
    c.max_attempts = 2;
    W.m[ROGUE].passive = 0;
    slac_pev_init(&W.m[ROGUE].pev, &c);
    sim_plc_set_host_mac(&W.plc, ROGUE, car()->cfg.mac);
    start(ROGUE);
    run_until(W.now + 10000, NULL);
    assert_int_equal(W.m[ROGUE].pev.status, SLAC_IDLE);   /* gave up: never matched */
    assert_int_equal(S.param_cnf, cnf);
    assert_int_equal(S.match_cnf, match);
    assert_memory_equal(slac_evse_match(evse())->run_id, first.run_id, HPGP_RUN_ID_LEN);
    assert_int_equal(evse()->status, SLAC_MATCHED);
    assert_int_equal(car()->status, SLAC_LINKED);
}

/* ---- item 19: one match per RunID ---- */

/* The CM_SLAC_MATCH.REQ of the matched run again: answered while it can be the car's own retry (its CNF lost:
 * C_EV_match_retry repeats TT_match_response apart), refused afterwards. */
static void second_match_on_the_run_refused(void **state)
{
    (void)state;
    setup();
    plug_in();
    assert_true(run_until(W.now + 5000, pev_matched));
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_SLAC_MATCH_REQ, evse()->cfg.mac, car()->cfg.mac);
    memcpy(m.u.slac_match.pev_mac, car()->cfg.mac, 6);
    memcpy(m.u.slac_match.evse_mac, evse()->cfg.mac, 6);
    memcpy(m.u.slac_match.run_id, car()->run_id, HPGP_RUN_ID_LEN);
    W.now = S.t_match_cnf + SLAC_TT_MATCH_RESPONSE_MS;
    deliver(EVSE, &m);
    assert_int_equal(S.match_cnf, 2);   /* a retry of the car's: answered */
    W.now = S.t_match_cnf + (SLAC_C_EV_MATCH_RETRY + 1) * SLAC_TT_MATCH_RESPONSE_MS + 1;
    deliver(EVSE, &m);
    W.now += 5000;
    deliver(EVSE, &m);
    assert_int_equal(S.match_cnf, 2);   /* no NMK after the car's retries are over */
}

/* ---- item 20: flood, one source's runs, forged profiles, forged ATTEN_CHAR.IND ---- */

/* CM_SLAC_PARAM.REQ from a new random MAC every 100 ms fills the charger's slots; the car's run, once it has
 * sounded, is not evicted: the car matches in its first attempt. */
static void flood_keeps_run_in_progress(void **state)
{
    (void)state;
    setup();
    start(EVSE);
    run_until(1000, NULL);
    uint32_t flood_rng = 77;
    for (uint32_t t = 600; t < 4000; t += 100) {
        run_until(t, NULL);
        W.now = t;
        if (t == 1000) start(CAR);
        uint8_t src[6], run[HPGP_RUN_ID_LEN];
        test_rng(&flood_rng, src, 6);
        src[0] = (uint8_t)((src[0] & 0xFE) | 0x02);   /* unicast, locally administered */
        test_rng(&flood_rng, run, sizeof run);
        hpgp_msg m;
        param_req(&m, src, run);
        transmit(ROGUE, &m);
    }
    assert_true(evse()->stats.table_full > 0);   /* the flood did fill the table */
    assert_car_matched_first_time();
}

/* One source opening a new run every 50 ms gets a CM_SLAC_PARAM.CNF at most once per TT_matching_rate
 * ([V2G3-A09-124]: a car waits that long before it starts a new matching). */
static void one_source_rate_limited(void **state)
{
    (void)state;
    setup();
    start(EVSE);
    run_until(1000, NULL);
    uint32_t from = 1000, until = 3000;
    for (uint32_t t = from; t < until; t += 50) {
        W.now = t;
        uint8_t run[HPGP_RUN_ID_LEN];
        test_rng(&W.rng_state, run, sizeof run);
        hpgp_msg m;
        param_req(&m, rogue_mac, run);
        transmit(ROGUE, &m);
        run_until(t + 49, NULL);
    }
    assert_memory_equal(S.param_cnf_to, rogue_mac, 6);
    assert_true(S.param_cnf >= 1);
    assert_true(S.param_cnf <= (until - from) / SLAC_TT_MATCHING_RATE_MS + 1);
}

/* A station with the car's MAC opens new runs while the car sounds: the car's run in progress stays. */
static void spoofed_new_runs_keep_car_run(void **state)
{
    (void)state;
    setup();
    uint32_t t0 = plug_in();
    static const uint32_t at[] = { 100, 250, 450 };   /* sounding; before and after TT_matching_rate */
    for (unsigned k = 0; k < sizeof at / sizeof at[0]; k++) {
        run_until(t0 + at[k], NULL);
        W.now = t0 + at[k];
        uint8_t run[HPGP_RUN_ID_LEN];
        test_rng(&W.rng_state, run, sizeof run);
        hpgp_msg m;
        param_req(&m, car()->cfg.mac, run);
        transmit(ROGUE, &m);
    }
    assert_car_matched_first_time();
}

/* At the car's first sound, CM_ATTEN_PROFILE.INDs about the car at 60 dB arrive from another station (not
 * the charger's modem), and one from the modem with an implausible group count: the charger averages only
 * its own modem's profiles of the car's sounds ([V2G3-A09-43]) and reports 20 dB. */
static void forge_profiles(int from, const hpgp_msg *m)
{
    if (from != CAR || m->kind != HPGP_K_MNBC_SOUND_IND || m->u.mnbc_sound.cnt != SLAC_C_EV_MATCH_MNBC - 1) return;
    hpgp_msg p;
    hpgp_msg_init(&p, HPGP_K_ATTEN_PROFILE_IND, hpgp_broadcast_mac, rogue_mac);
    memcpy(p.u.atten_profile.pev_mac, car()->cfg.mac, 6);
    memset(p.u.atten_profile.aag, 60, HPGP_NUM_GROUPS);
    for (unsigned k = 0; k < SLAC_C_EV_MATCH_MNBC; k++) deliver(EVSE, &p);
    memcpy(p.hdr.src, W.plc.port[EVSE].cfg.modem_mac, 6);
    p.u.atten_profile.num_groups = 30;
    deliver(EVSE, &p);
}

static void profiles_only_from_own_modem(void **state)
{
    (void)state;
    car_matches_despite(forge_profiles);
}

/* Right after the car's last sound, a rogue that never answered the car's CM_SLAC_PARAM.REQ sends a
 * CM_ATTEN_CHAR.IND at 0 dB; at its first sound another one, with more sounds than the car has sent yet: the car
 * takes neither and matches the real charger. */
static void forge_atten_char(int from, const hpgp_msg *m)
{
    if (from != CAR || m->kind != HPGP_K_MNBC_SOUND_IND) return;
    uint8_t cnt = m->u.mnbc_sound.cnt;
    if (cnt != 0 && cnt != SLAC_C_EV_MATCH_MNBC - 1) return;
    hpgp_msg f;
    hpgp_msg_init(&f, HPGP_K_ATTEN_CHAR_IND, car()->cfg.mac, rogue_mac);
    memcpy(f.u.atten_char.source_address, car()->cfg.mac, 6);
    memcpy(f.u.atten_char.run_id, m->u.mnbc_sound.run_id, HPGP_RUN_ID_LEN);
    f.u.atten_char.num_sounds = SLAC_C_EV_MATCH_MNBC;
    memset(f.u.atten_char.aag, 0, HPGP_NUM_GROUPS);
    if (cnt == SLAC_C_EV_MATCH_MNBC - 1) {   /* this rogue answered the REQ first, then reports too early */
        hpgp_msg c;
        hpgp_msg_init(&c, HPGP_K_SLAC_PARAM_CNF, car()->cfg.mac, rogue_mac);
        memcpy(c.u.slac_param_cnf.forwarding_sta, car()->cfg.mac, 6);
        memcpy(c.u.slac_param_cnf.run_id, m->u.mnbc_sound.run_id, HPGP_RUN_ID_LEN);
        c.hdr.src[5] ^= 0x10;
        f.hdr.src[5] ^= 0x10;
        deliver(CAR, &c);
    }
    deliver(CAR, &f);
}

static void forged_atten_char_ignored(void **state)
{
    (void)state;
    car_matches_despite(forge_atten_char);
}

/* ---- item 14: the match as soon as the attenuation results are complete ---- */

/* The car sends CM_SLAC_MATCH.REQ when every charger that answered its CM_SLAC_PARAM.REQ has reported, in the
 * same step as its CM_ATTEN_CHAR.RSP, not at the end of TT_EV_atten_results. From the REQ to the CNF: the start
 * delay and the batch intervals of 3 START_ATTEN_CHAR + 10 sounds, plus the line's few ms. */
static void match_when_results_complete(void **state)
{
    (void)state;
    setup();
    uint32_t t_req = plug_in();
    assert_true(run_until(t_req + 5000, pev_matched));
    uint32_t iso = car()->cfg.start_atten_delay_ms +
                   (SLAC_C_EV_START_ATTEN_CHAR_INDS + SLAC_C_EV_MATCH_MNBC - 1) * car()->cfg.batch_interval_ms;
    uint32_t elapsed = W.now - t_req;
    print_message("SLAC_PARAM.REQ -> SLAC_MATCH.CNF: %u ms (waits: %u ms)\n", elapsed, iso);
    assert_true(elapsed >= iso && elapsed <= iso + iso / 10);
    assert_int_equal(S.t_match_req, S.t_atten_rsp);
    assert_true(S.t_match_req - t_req < SLAC_TT_EV_ATTEN_RESULTS_MS);
    assert_match_pair(car(), evse(), 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spoofed_car_mac_gets_no_nmk),
        cmocka_unit_test(second_match_on_the_run_refused),
        cmocka_unit_test(flood_keeps_run_in_progress),
        cmocka_unit_test(one_source_rate_limited),
        cmocka_unit_test(spoofed_new_runs_keep_car_run),
        cmocka_unit_test(profiles_only_from_own_modem),
        cmocka_unit_test(forged_atten_char_ignored),
        cmocka_unit_test(match_when_results_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
