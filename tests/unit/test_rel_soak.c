/* Soak (issue 6): CCS_SOAK_SESSIONS plug-ins on one charger in one process (default 500, as CI runs it; the
 * full run is 10 000), each with random powerline faults, a random peer fault at a random message and random
 * timings, all drawn from the seed CCS_SOAK_SEED + i. Every session is checked by rel_check.h; one that did not
 * end normally is followed by a clean one that must. A failure prints the seed that reproduces it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "rel_world.h"

#define DEFAULT_SESSIONS 500u
#define LIMIT_MS (2u * 3600000u)

static rel_world W;

static uint32_t env_u32(const char *name, uint32_t def)
{
    const char *v = getenv(name);
    return v && *v ? (uint32_t)strtoul(v, NULL, 0) : def;
}

/* The faults of one session, from its seed alone. */
static void random_faults(uint32_t seed, rel_faults *f)
{
    rel_world r = { .rng = seed * 2654435761u + 1u };
    memset(f, 0, sizeof *f);
    f->line.delay_ms = 1 + rel_rand(&r) % 40;
    f->line.jitter_ms = rel_rand(&r) % 30;
    f->line.loss_permille = (uint16_t)(rel_rand(&r) % 4 ? rel_rand(&r) % 60 : 0);
    f->line.burst_permille = (uint16_t)(rel_rand(&r) % 4 ? 0 : rel_rand(&r) % 20);
    f->line.burst_len = (uint16_t)(1 + rel_rand(&r) % 12);
    f->line.dup_permille = (uint16_t)(rel_rand(&r) % 100);
    f->line.reorder_permille = (uint16_t)(rel_rand(&r) % 100);
    f->line.reorder_ms = rel_rand(&r) % 40;
    f->line.corrupt_permille = (uint16_t)(rel_rand(&r) % 3 ? 0 : rel_rand(&r) % 40);
    f->modem_restart_ms = 100 + rel_rand(&r) % 3000;
    f->kind = (rel_fault_kind)(rel_rand(&r) % REL_F_COUNT);
    f->at_msg = 1 + rel_rand(&r) % 120;
    f->slow_ms = (int32_t)(rel_rand(&r) % 400) - 200;
}

static void test_soak(void **state)
{
    (void)state;
    uint32_t n = env_u32("CCS_SOAK_SESSIONS", DEFAULT_SESSIONS), base = env_u32("CCS_SOAK_SEED", 1);
    static const rel_faults none = { .line = { .delay_ms = 2 } };
    for (unsigned p = 0; p < REL_NPROTOS; p++) {
        sess_pev_config pc;
        phys_battery_config bc;
        rel_init(&W, p, &pc, &bc);
        unsigned normal = 0, ended_safe = 0, no_link = 0, recoveries = 0;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t seed = base + i;
            rel_faults f;
            random_faults(seed, &f);
            rel_link_result link;
            const char *bad = rel_session(&W, seed, &f, &pc, &bc, LIMIT_MS, &link);
            if (bad)
                fail_msg("soak %s: session %u failed: %s (fault %d at message %u, slow %d ms; violation at %u ms, "
                         "fault at %u, charger safe at %u, stops %s / %s); reproduce: CCS_SOAK_SEED=%u "
                         "CCS_SOAK_SESSIONS=1 tests/test_rel_soak", rel_protos[p], i, bad, f.kind, f.at_msg, f.slow_ms,
                         W.mon.violation_at, W.mon.fault_at, W.mon.safe_at, sess_stop_name(W.s.evse.stop),
                         sess_stop_name(W.s.pev.stop), seed);
            if (link != REL_LINK_UP) {
                no_link++;
                continue;
            }
            if (rel_normal(&W)) {
                normal++;
                continue;
            }
            ended_safe++;
            bad = rel_session(&W, seed ^ 0x80000000u, &none, &pc, &bc, LIMIT_MS, &link);
            if (bad || link != REL_LINK_UP || !rel_normal(&W))
                fail_msg("soak %s: the session after %u (seed %u) failed: %s; reproduce: CCS_SOAK_SEED=%u "
                         "CCS_SOAK_SESSIONS=1 tests/test_rel_soak", rel_protos[p], i, seed, bad ? bad : "not normal",
                         seed);
            recoveries++;
        }
        printf("# soak %s: %u sessions (seeds %u..%u): %u normal, %u ended safe after a fault (each followed by a "
               "normal one), %u without a link\n", rel_protos[p], n, base, base + n - 1, normal, ended_safe, no_link);
        assert_int_equal(normal + ended_safe + no_link, n);
        assert_int_equal(recoveries, ended_safe);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_soak) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
