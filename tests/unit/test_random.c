/* A failing random hook (ccs_random_fn returns an error): SLAC (car and charger) and the charger's SessionID stop
 * with CCS_ERANDOM and send nothing predictable, instead of aborting or going on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/slac.h"
#include "ccsplc/linux/random.h"
#include "sess_checks.h"

/* Works for the first `ok` calls, then fails (the way a hardware RNG that lost its entropy source does). */
typedef struct {
    unsigned ok, calls;
} flaky;

static int flaky_rng(void *ctx, uint8_t *out, size_t len)
{
    flaky *f = ctx;
    if (f->calls++ >= f->ok) return CCS_EIO;
    memset(out, 0x5A, len);
    return 0;
}

static const uint8_t pev_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 }, evse_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static void slac_car_stops_without_randomness(void **state)
{
    (void)state;
    for (unsigned ok = 0; ok < 2; ok++) {   /* 0: the RunID fails; 1: it works (and the start sends a frame) */
        flaky f = { ok, 0 };
        slac_pev_config c;
        slac_pev s;
        slac_pev_config_default(&c, pev_mac, flaky_rng, &f);
        slac_pev_init(&s, &c);
        const slac_event start = { SLAC_EV_START, NULL, 0 };
        slac_action a = slac_pev_step(&s, &start, 0);
        if (ok) {
            assert_int_equal(a.err, 0);
            assert_int_equal(a.status, SLAC_RUNNING);
            assert_true(a.n > 0);
            continue;
        }
        assert_int_equal(a.err, CCS_ERANDOM);
        assert_int_equal(a.status, SLAC_IDLE);
        assert_int_equal(a.n, 0);        /* no CM_SLAC_PARAM.REQ with a predictable RunID */
        assert_int_equal(a.has_wake, 0); /* and no retry on its own */
    }
}

static void slac_charger_stops_without_randomness(void **state)
{
    (void)state;
    flaky f = { 0, 0 };
    slac_evse_config c;
    slac_evse s;
    slac_evse_config_default(&c, evse_mac, flaky_rng, &f, ccs_sha256_openssl);
    c.modem_reset = 0;
    slac_evse_init(&s, &c);
    const slac_event start = { SLAC_EV_START, NULL, 0 };
    slac_action a = slac_evse_step(&s, &start, 0);
    assert_true(f.calls > 0);              /* the NMK asked for randomness */
    assert_int_equal(a.err, CCS_ERANDOM);
    assert_int_equal(a.status, SLAC_IDLE);
    assert_int_equal(a.n, 0);              /* no SET_KEY.REQ with a predictable key */
    assert_int_equal(a.has_wake, 0);
}

static sw_world W;
static int done(const sw_world *w) { return sw_both_ended(w); }

/* The charger cannot make a SessionID: no SessionSetupRes, the safe state with "no randomness". */
static void session_id_without_randomness(const sess_proto *proto)
{
    flaky f = { 0, 0 };
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    e.protos[0] = proto;
    e.nprotos = 1;
    e.rng = flaky_rng;
    e.rng_ctx = &f;
    p.protos[0] = proto;
    p.nprotos = 1;
    sw_init(&W, &e, &p, &c, &b);
    sw_connect(&W);
    assert_true(sw_run(&W, 5 * 60 * 1000, done));
    assert_true(f.calls > 0);
    assert_int_equal(sw_count(&W, "SessionSetupReq"), 1);
    assert_int_equal(sw_count(&W, "SessionSetupRes"), 0);
    assert_int_equal(W.evse.stop, SESS_STOP_NO_RANDOM);
    assert_string_equal(sess_stop_name(W.evse.stop), "no randomness");
    assert_true(W.evse.out.safe);
    assert_false(W.evse.out.output_on);
    assert_false(W.evse.out.contactors_closed);
}

static void session_din(void **state) { (void)state; session_id_without_randomness(&sess_proto_din); }
static void session_iso2(void **state) { (void)state; session_id_without_randomness(&sess_proto_iso2); }
static void session_iso20(void **state) { (void)state; session_id_without_randomness(&sess_proto_iso20); }

/* The Linux hook fills the buffer and says so (its failure path, getrandom(2) failing, cannot be forced here). */
static void getrandom_returns_zero(void **state)
{
    (void)state;
    uint8_t a[32] = { 0 }, zero[32] = { 0 };
    assert_int_equal(ccs_random_getrandom(NULL, a, sizeof a), 0);
    assert_memory_not_equal(a, zero, sizeof a);   /* 2^-256 chance of a false failure */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slac_car_stops_without_randomness),
        cmocka_unit_test(slac_charger_stops_without_randomness),
        cmocka_unit_test(session_din),
        cmocka_unit_test(session_iso2),
        cmocka_unit_test(session_iso20),
        cmocka_unit_test(getrandom_returns_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
