/* Fault injection on the simulated link and peers (issue 6), every run checked by rel_check.h's invariants:
 * powerline loss (random, bursts), delay and jitter, reordering, duplication, bit corruption; modem restarts,
 * TCP resets, a silent peer and slow answers (just before / just after the waiting side's timeout) at every
 * stage of a session. After each, the next session on the same charger must succeed. Virtual time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "rel_world.h"

#define LIMIT_MS (2u * 3600000u)   /* far beyond any session; rel_run stops when both ended */
#define MARGIN_MS 30u              /* "just before / just after" a timeout: 3 steps of the harness */

static rel_world W;
static sess_pev_config PC;
static phys_battery_config BC;

/* Runs one plug-in with faults f and seed, fails the test on a violated invariant; returns the link result. */
static rel_link_result run(const rel_faults *f, uint32_t seed, const char *what)
{
    rel_link_result link;
    const char *bad = rel_session(&W, seed, f, &PC, &BC, LIMIT_MS, &link);
    if (bad)
        fail_msg("%s, seed %u: %s (violation at %u ms, fault at %u, charger safe at %u, stops %s / %s)", what, seed,
                 bad, W.mon.violation_at, W.mon.fault_at, W.mon.safe_at, sess_stop_name(W.s.evse.stop),
                 sess_stop_name(W.s.pev.stop));
    return link;
}

/* The next car on the same charger, no faults: a normal session. */
static void next_session_ok(const char *what, uint32_t seed)
{
    static const rel_faults none = { .line = { .delay_ms = 2 } };
    assert_int_equal(run(&none, seed + 1000003u, what), REL_LINK_UP);
    if (!rel_normal(&W))
        fail_msg("%s, seed %u: next session stopped %s / %s", what, seed, sess_stop_name(W.s.evse.stop),
                 sess_stop_name(W.s.pev.stop));
}

static void test_clean_session(void **state)
{
    (void)state;
    for (unsigned p = 0; p < REL_NPROTOS; p++) {
        rel_init(&W, p, &PC, &BC);
        next_session_ok("clean", 1);
        assert_true(W.s.plant.battery.soc >= BC.target_soc);
        assert_true(W.s.evse.requests > 20);
        printf("# %s clean: %u messages, %u ms, SoC %.2f %%\n", rel_protos[p], W.s.nlog, W.s.now - W.v2g_start,
               W.s.plant.battery.soc);
    }
}

/* Powerline faults: each row a line configuration, several seeds each. */
typedef struct {
    const char *name;
    sim_plc_config line;
    unsigned min_links; /* of SEEDS plug-ins, at least this many must get a link */
} line_case;

#define SEEDS 8u

static const line_case line_cases[] = {
    { "loss 2%", { .delay_ms = 2, .loss_permille = 20 }, SEEDS },
    { "loss 10%", { .delay_ms = 2, .loss_permille = 100 }, SEEDS / 2 },
    { "loss 30%", { .delay_ms = 2, .loss_permille = 300 }, 0 },
    { "bursts of 5", { .delay_ms = 2, .burst_permille = 20, .burst_len = 5 }, SEEDS / 2 },
    { "bursts of 30", { .delay_ms = 2, .burst_permille = 10, .burst_len = 30 }, 0 },
    { "delay 50 ms + jitter 50", { .delay_ms = 50, .jitter_ms = 50 }, SEEDS },
    { "delay 150 ms", { .delay_ms = 150 }, 0 },
    { "reordering 10%", { .delay_ms = 2, .reorder_permille = 100, .reorder_ms = 30 }, SEEDS },
    { "duplication 20%", { .delay_ms = 2, .dup_permille = 200 }, SEEDS },
    { "corruption 5%", { .delay_ms = 2, .corrupt_permille = 50 }, SEEDS / 2 },
    { "all at once", { .delay_ms = 10, .jitter_ms = 20, .loss_permille = 30, .burst_permille = 5, .burst_len = 4,
                       .dup_permille = 50, .reorder_permille = 50, .reorder_ms = 20, .corrupt_permille = 20 }, 1 },
};

static void test_line_faults(void **state)
{
    (void)state;
    for (unsigned p = 0; p < REL_NPROTOS; p++)
        for (size_t i = 0; i < sizeof line_cases / sizeof line_cases[0]; i++) {
            const line_case *c = &line_cases[i];
            rel_faults f = { .line = c->line };
            unsigned links = 0, normal = 0;
            rel_init(&W, p, &PC, &BC);
            for (uint32_t seed = 1; seed <= SEEDS; seed++) {
                int up = run(&f, seed, c->name) == REL_LINK_UP;
                links += up;
                normal += up && rel_normal(&W);
                next_session_ok(c->name, seed);
            }
            if (links < c->min_links) fail_msg("%s: only %u of %u plug-ins got a link", c->name, links, SEEDS);
            printf("# %s %-24s %u/%u linked, %u ended normally, %u safe; next session normal each time\n",
                   rel_protos[p], c->name, links, SEEDS, normal, links - normal);
        }
}

/* Stages of a clean session: per direction, the first message of every kind and the third of repeated ones. */
typedef struct {
    unsigned at[2][64];
    unsigned n[2];
} stages;

static void stages_of_clean_session(unsigned p, stages *st)
{
    static const char *names[2][SW_LOG_MAX];
    unsigned count[2] = { 0, 0 };
    rel_init(&W, p, &PC, &BC);
    rel_faults none = { .line = { .delay_ms = 2 } };
    memset(st, 0, sizeof *st);
    rel_link_result link;
    assert_null(rel_session(&W, 1, &none, &PC, &BC, LIMIT_MS, &link));
    assert_true(rel_normal(&W));
    /* the log alternates by sender: requests end in "Req", responses in "Res" */
    for (unsigned i = 0; i < W.s.nlog; i++) {
        size_t len = strlen(W.s.log[i]);
        int dir = len >= 3 && strcmp(W.s.log[i] + len - 3, "Res") == 0 ? SW_TO_PEV : SW_TO_EVSE;
        names[dir][count[dir]++] = W.s.log[i];
        unsigned seen = 0;
        for (unsigned k = 0; k + 1 < count[dir]; k++) seen += strcmp(names[dir][k], W.s.log[i]) == 0;
        if ((seen == 0 || seen == 2) && st->n[dir] < 64) st->at[dir][st->n[dir]++] = count[dir];
    }
    assert_true(st->n[SW_TO_EVSE] >= 8 && st->n[SW_TO_PEV] >= 8);
}

/* One fault kind at every stage of its side. */
static void fault_at_every_stage(rel_fault_kind kind, int32_t slow_ms, int expect_normal)
{
    static const char *const kind_names[] = {
        [REL_F_MODEM_RESTART_EVSE] = "charger modem restart", [REL_F_MODEM_RESTART_PEV] = "car modem restart",
        [REL_F_TCP_RESET] = "TCP reset", [REL_F_SILENT_EVSE] = "silent charger", [REL_F_SILENT_PEV] = "silent car",
        [REL_F_SLOW_EVSE] = "slow charger", [REL_F_SLOW_PEV] = "slow car",
    };
    int dir = kind == REL_F_SILENT_PEV || kind == REL_F_SLOW_PEV ? SW_TO_EVSE : SW_TO_PEV;
    for (unsigned p = 0; p < REL_NPROTOS; p++) {
        stages st;
        unsigned normal = 0;
        uint32_t worst = 0;   /* longest fault -> charger safe */
        unsigned own = 0;     /* silent car: stages where the charger's own timer switched it off */
        stages_of_clean_session(p, &st);
        for (unsigned i = 0; i < st.n[dir]; i++) {
            rel_faults f = { .line = { .delay_ms = 2 }, .kind = kind, .at_msg = st.at[dir][i], .slow_ms = slow_ms };
            char what[96];
            snprintf(what, sizeof what, "%s %+d ms at message %u", kind_names[kind], slow_ms, f.at_msg);
            assert_int_equal(run(&f, 7, what), REL_LINK_UP);
            assert_true(W.mon.fault_set);
            /* a car that waits beyond its own setup or state timer stops by itself */
            if (expect_normal >= 0 && !W.slow_self_timeout && rel_normal(&W) != expect_normal)
                fail_msg("%s: stopped %s / %s", what, sess_stop_name(W.s.evse.stop), sess_stop_name(W.s.pev.stop));
            /* a silent car: the charger is safe by its own deadline for the request that never came (nothing is
             * in flight: the step of the timeout and the contactor delay), unless the car's close came first */
            int32_t late = (int32_t)(W.mon.safe_at - W.silent_deadline);
            if (kind == REL_F_SILENT_PEV && late > (int32_t)(2u * SW_STEP_MS + PLANT_CONTACTOR_DELAY_MS))
                fail_msg("%s: charger safe %d ms after its deadline", what, late);
            own += kind == REL_F_SILENT_PEV && late >= 0;
            if (kind == REL_F_TCP_RESET &&
                W.mon.safe_at - W.mon.fault_at > W.f.line.delay_ms + 3 * SW_STEP_MS + PLANT_CONTACTOR_DELAY_MS)
                fail_msg("%s: charger safe %u ms after the reset", what, W.mon.safe_at - W.mon.fault_at);
            normal += rel_normal(&W);
            if (!rel_normal(&W) && W.mon.safe_at - W.mon.fault_at > worst) worst = W.mon.safe_at - W.mon.fault_at;
            next_session_ok(what, 7);
        }
        char by_own[64] = "";
        if (kind == REL_F_SILENT_PEV) snprintf(by_own, sizeof by_own, " (%u by the charger's own timer)", own);
        printf("# %s %s %+d ms: %u stages, %u ended normally, %u safe%s, at most %u ms after the fault; "
               "next session normal each time\n", rel_protos[p], kind_names[kind], slow_ms, st.n[dir], normal,
               st.n[dir] - normal, by_own, worst);
    }
}

static void test_modem_restart_evse(void **s) { (void)s; fault_at_every_stage(REL_F_MODEM_RESTART_EVSE, 0, -1); }
static void test_modem_restart_pev(void **s) { (void)s; fault_at_every_stage(REL_F_MODEM_RESTART_PEV, 0, -1); }
static void test_tcp_reset(void **s) { (void)s; fault_at_every_stage(REL_F_TCP_RESET, 0, 0); }
static void test_silent_evse(void **s) { (void)s; fault_at_every_stage(REL_F_SILENT_EVSE, 0, 0); }
static void test_silent_pev(void **s) { (void)s; fault_at_every_stage(REL_F_SILENT_PEV, 0, 0); }
static void test_slow_evse_before(void **s) { (void)s; fault_at_every_stage(REL_F_SLOW_EVSE, -(int32_t)MARGIN_MS, 1); }
static void test_slow_evse_after(void **s) { (void)s; fault_at_every_stage(REL_F_SLOW_EVSE, MARGIN_MS, 0); }
static void test_slow_pev_before(void **s) { (void)s; fault_at_every_stage(REL_F_SLOW_PEV, -(int32_t)MARGIN_MS, 1); }
static void test_slow_pev_after(void **s) { (void)s; fault_at_every_stage(REL_F_SLOW_PEV, MARGIN_MS, 0); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_session),      cmocka_unit_test(test_line_faults),
        cmocka_unit_test(test_modem_restart_evse), cmocka_unit_test(test_modem_restart_pev),
        cmocka_unit_test(test_tcp_reset),          cmocka_unit_test(test_silent_evse),
        cmocka_unit_test(test_silent_pev),         cmocka_unit_test(test_slow_evse_before),
        cmocka_unit_test(test_slow_evse_after),    cmocka_unit_test(test_slow_pev_before),
        cmocka_unit_test(test_slow_pev_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
