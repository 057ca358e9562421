/* A charger that lies, in process (issue 16): one field of an otherwise normal session edited in every charger
 * response of one kind from the nth on (a negative or too high current, a voltage above the car's maximum, a
 * non-finite value, impossible limits), or the world changed (tweak) -> the car's own check stops it: the stop
 * reason, when (at once, or after the lasting condition's time), the protocol's way (in a charging loop:
 * PowerDelivery(stop) next with EVReady false and the DC_EVErrorCode of the reason; before it: the safe state at
 * once), then both sides end and the plant is safe with nothing opened under load. A protocol gives how to edit
 * its responses and read the error code of its requests. Include after cmocka.h. */
#ifndef CCSPLC_TEST_SESS_LIES_H
#define CCSPLC_TEST_SESS_LIES_H
#include <stdio.h>
#include <string.h>

#include "iso2_world.h"
#include "sess_checks.h"
#include "v2g/sess_internal.h"

typedef enum {
    SL_NONE,          /* nothing edited: the world (tweak) is the lie */
    SL_CURRENT,       /* the charging loop's EVSEPresentCurrent */
    SL_VOLTAGE,       /* EVSEPresentVoltage (PreCharge or the charging loop) */
    SL_MAX_V,         /* ChargeParameterDiscovery: the charger's maximum voltage */
    SL_MAX_A,         /* ChargeParameterDiscovery: the charger's maximum current */
    SL_EXP_CURRENT,   /* ISO-20: EVSEPresentCurrent = value x 10^127 */
    SL_EXP_VOLTAGE,   /* ISO-20: EVSEPresentVoltage = value x 10^127 */
    SL_AC_MAX_A,      /* ISO-2 AC: EVSEMaxCurrent (ChargingStatus) */
    SL_AC_NOMINAL_V,  /* ISO-2 AC: EVSENominalVoltage (ChargeParameterDiscovery) */
} sl_field;

typedef struct {
    const char *name;
    int req;                 /* the request whose responses lie (the protocol's message id) */
    unsigned nth;            /* from its nth response on */
    sl_field field;
    float value;
    iw_tweak tweak;          /* the world's configurations changed (NULL: sess_world's defaults) */
    int ac;                  /* ISO-2: AC charging */
    sess_stop_reason want;
    uint32_t after_ms;       /* the car stops this long after the first lie (a lasting condition), else at once */
    int ev_error;            /* the DC_EVErrorCode of the car's PowerDeliveryReq(stop) after a loop lie (-1: none) */
} sl_case;

typedef struct {
    const sess_proto *proto;
    int loop_req, ac_loop_req; /* the charging loop's request (DC, ISO-2 AC; -1: none) */
    int power_stop;          /* PowerDelivery(stop)'s message id */
    void (*edit)(void *doc, sl_field f, float value);   /* edit the response doc (fail on a field it lacks) */
    int (*ev_error)(const void *doc);                    /* a request's DC_EVErrorCode, -1 where it has none */
} sl_proto;

typedef struct {
    const sl_proto *p;
    const sl_case *c;
    unsigned seen;           /* requests c->req so far */
    uint32_t at;             /* the first lie (or, SL_NONE, the first response of the kind) */
    int after_req, after_error; /* the car's first request after the stop decision, its error code */
    int stopped;
} sl_run;

static sw_world sl_world;
static sess_docs sl_docs;

static int sl_hook(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    sl_run *r = w->hook_ctx;
    const sess_proto *pr = r->p->proto;
    v2gtp_msg m;
    if (v2gtp_parse(buf, *len, SESS_TX_CAP, &m) != 0 ||
        sess_decode(pr, m.payload_type, m.payload, m.payload_len, &sl_docs.rx, NULL) != 0)
        return 1;   /* SupportedAppProtocol */
    int msg = pr->msg_of(&sl_docs.rx);
    if (dir == SW_TO_EVSE) {
        if (r->stopped && r->after_req < 0) {
            r->after_req = msg;
            r->after_error = r->p->ev_error(&sl_docs.rx);
        }
        r->seen += msg == r->c->req;
        return 1;
    }
    if (msg != pr->response_of(r->c->req) || r->seen < r->c->nth) return 1;
    if (!r->at) r->at = w->now;
    if (r->c->field == SL_NONE) return 1;
    r->p->edit(&sl_docs.rx, r->c->field, r->c->value);
    assert_int_equal(sess_pack(pr, &sl_docs.rx, buf, SESS_TX_CAP, len), 0);
    return 1;
}

/* The world of a case: the protocol first on the car's list and offered by the charger. */
static void sl_setup(const sl_proto *p, const sl_case *c, sl_run *r)
{
    sess_evse_config e;
    sess_pev_config pc;
    phys_charger_config cc;
    phys_battery_config b;
    sw_default_configs(&e, &pc, &cc, &b);
    pc.protos[0] = p->proto;
    e.protos[0] = p->proto;
    e.nprotos = 1;
    if (c->ac) iw_ac(&pc, &cc);
    if (c->tweak) c->tweak(&e, &pc, &cc, &b);
    sw_init(&sl_world, &e, &pc, &cc, &b);
    *r = (sl_run){ .p = p, .c = c, .after_req = -1 };
    sl_world.hook = sl_hook;
    sl_world.hook_ctx = r;
    sw_connect(&sl_world);
}

static int sl_car_decided(const sw_world *w)
{
    return w->pev.out.stop_requested || w->pev.phase == SESS_SAFE || w->pev.phase == SESS_DONE;
}

/* One case: the car decides to stop when (and why) it must; then the protocol's way to the end, the plant safe. */
static void sl_run_case(const sl_proto *p, const sl_case *c)
{
    sl_run r;
    sl_setup(p, c, &r);
    sw_world *w = &sl_world;
    if (c->want == SESS_STOP_NORMAL) {   /* within the tolerances: a normal charge */
        assert_true(sw_run(w, 10 * 60 * 1000, sw_both_ended));
        assert_true(r.at);
        assert_int_equal(w->pev.stop, SESS_STOP_NORMAL);
        assert_int_equal(w->pev.phase, SESS_DONE);
        sc_plant_safe(&w->plant, 1);
        return;
    }
    assert_true(sw_run(w, 10 * 60 * 1000, sl_car_decided));
    r.stopped = 1;
    if (!r.at) fail_msg("%s: the lie never went out", c->name);
    if (w->pev.stop != c->want)
        fail_msg("%s: stop %s, want %s", c->name, sess_stop_name(w->pev.stop), sess_stop_name(c->want));
    /* at: the response with the lie delivered (the car decides on it, within that step); a lasting condition
     * is seen at the first response after its time, at most one loop cycle (the repeat pace and a round trip). */
    uint32_t took = w->now - r.at;
    printf("%s: %s after %u ms\n", c->name, sess_stop_name(w->pev.stop), took);
    if (c->after_ms)
        assert_in_range(took, c->after_ms, c->after_ms + SESS_PEV_REPEAT_MS + 3 * SW_STEP_MS);
    else
        assert_true(took <= SW_STEP_MS);
    assert_true(w->pev.out.stop_requested && w->pev.out.safe);
    assert_false(w->pev.out.cp_state_c);
    int in_loop = c->req == p->loop_req || c->req == p->ac_loop_req;
    assert_int_equal(w->pev.phase, in_loop ? SESS_RUNNING : SESS_SAFE);
    uint32_t decided = w->now;
    while (!sw_both_ended(w)) {
        assert_true(w->now - decided < SESS_PEV_CURRENT_DROP_MS + SESS_EVCC_MSG_TIMEOUT_LONG_MS);
        sw_step(w);
    }
    if (in_loop) {   /* the loop ended the protocol's way, saying why */
        assert_int_equal(r.after_req, p->power_stop);
        if (c->ev_error >= 0) assert_int_equal(r.after_error, c->ev_error);
    }
    assert_int_equal(w->pev.phase, SESS_SAFE);
    assert_int_equal(w->pev.stop, c->want);
    sc_plant_safe(&w->plant, 1);
}

/* The worlds of the cases (tweaks): the car's maximum current 20 A (the issue's `[pev] max_current = 20`); a
 * battery that accepts 40 A (the car asks 40 A, its maximum stays 125 A); a charger that delivers no current (its
 * maximum 0 A, as real chargers declare while still Ongoing) and does not stop the charge itself. */
static void sl_car_max_20a(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)e, (void)c, (void)b;
    p->max_a = 20.0f;
}
static void sl_battery_40a(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)e, (void)p, (void)c;
    b->max_a = 40.0f;
}
static void sl_no_current(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)p, (void)c, (void)b;
    e->max_a = 0.0f;
    e->no_progress_ms = 0;   /* and never says so itself (our charger would stop after SESS_EVSE_NO_PROGRESS_MS) */
}

/* The DC cases every protocol shares, from the lying charger, for its ChargeParameterDiscovery, PreCharge
 * and charging-loop requests; errors: whether its requests carry a DC_EVErrorCode. Returns how many it wrote. */
static unsigned sl_dc_cases(sl_case *out, int cpd, int pre, int loop, int errors)
{
    const int cur = errors ? SESS_EVERR_CURRENT : -1, volt = errors ? SESS_EVERR_VOLTAGE : -1;
    const sl_case cases[] = {
        { "negative current", loop, 5, SL_CURRENT, -100.0f, NULL, 0, SESS_STOP_REVERSE_CURRENT, 0, cur },
        { "current above the car's maximum", loop, 5, SL_CURRENT, 125.0f, sl_car_max_20a, 0, SESS_STOP_OVERCURRENT, 0, cur },
        { "current above the request", loop, 5, SL_CURRENT, 60.0f, sl_battery_40a, 0, SESS_STOP_OVERCURRENT,
          SESS_PEV_CURRENT_FOLLOW_MS, cur },
        { "current 32767e3", loop, 5, SL_CURRENT, 32767e3f, NULL, 0, SESS_STOP_OVERCURRENT, 0, cur },
        { "voltage above the car's maximum", loop, 5, SL_VOLTAGE, 1000.0f, NULL, 0, SESS_STOP_OVERVOLTAGE, 0, volt },
        { "voltage 32767e3", loop, 5, SL_VOLTAGE, 32767e3f, NULL, 0, SESS_STOP_OVERVOLTAGE, 0, volt },
        { "PreCharge voltage above the car's maximum", pre, 1, SL_VOLTAGE, 1000.0f, NULL, 0, SESS_STOP_OVERVOLTAGE, 0, -1 },
        { "negative maximum current", cpd, 1, SL_MAX_A, -100.0f, NULL, 0, SESS_STOP_EVSE_LIMITS, 0, -1 },
        { "40 V maximum", cpd, 1, SL_MAX_V, 40.0f, NULL, 0, SESS_STOP_EVSE_LIMITS, 0, -1 },
        { "no current delivered", loop, 1, SL_NONE, 0.0f, sl_no_current, 0, SESS_STOP_NO_PROGRESS,
          SESS_PEV_NO_CURRENT_MS, cur },
        /* Within the tolerances, the whole charge: the battery's 40 A + 2 A, the car's 410 V (its default
         * maximum) + 5 V. */
        { "current 2 A above the request", loop, 5, SL_CURRENT, 42.0f, sl_battery_40a, 0, SESS_STOP_NORMAL, 0, -1 },
        { "voltage 5 V above the car's maximum", loop, 5, SL_VOLTAGE, 415.0f, NULL, 0, SESS_STOP_NORMAL, 0, -1 },
    };
    memcpy(out, cases, sizeof cases);
    return sizeof cases / sizeof cases[0];
}

/* main() of a protocol's test: every case of its table as one cmocka test. */
#define SL_MAX_CASES 32
static const sl_proto *sl_proto_of_main;
static void sl_test(void **state) { sl_run_case(sl_proto_of_main, *state); }
static int sl_main(const char *group, const sl_proto *p, const sl_case *cases, unsigned n)
{
    struct CMUnitTest tests[SL_MAX_CASES];
    if (n > SL_MAX_CASES) return 1;
    sl_proto_of_main = p;
    for (unsigned i = 0; i < n; i++) tests[i] = (struct CMUnitTest){ cases[i].name, sl_test, NULL, NULL, (void *)&cases[i] };
    return _cmocka_run_group_tests(group, tests, n, NULL, NULL);
}

#endif
