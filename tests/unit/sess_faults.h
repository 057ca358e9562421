/* The fault matrix the DIN, ISO-2 and ISO-20 fault tests share (pyPLC's manual fault list, automated): for each
 * stage of a protocol's sequence x each fault, the charger's response tampered (FAILED, FAILED_SequenceError, a
 * stop or fault status) or withheld -> the car's stop reason and safe state; the car silent or dropping TCP ->
 * the charger's safe state within its timeout (sess_checks.h). A protocol gives its stages and an sf_proto;
 * every case is counted and the count printed. Include after cmocka.h. */
#ifndef CCSPLC_TEST_SESS_FAULTS_H
#define CCSPLC_TEST_SESS_FAULTS_H
#include <stdio.h>

#include "sess_checks.h"

/* Charger faults; a protocol without one (ISO-20 has no emergency status) has no test for it. */
typedef enum { SF_FAILED, SF_SEQUENCE, SF_SHUTDOWN, SF_EMERGENCY, SF_MALFUNCTION, SF_SILENT } sf_fault;

/* A stage: the request (message id as the protocol's msg_of gives it), whether its response has a status the
 * stop and fault notifications go in, the car's V2G_EVCC_Msg_Timeout for it, the charger's
 * V2G_SECC_Sequence_Timeout while waiting for it, the cycle hit (a loop at its 5th, current flowing), the modes
 * (bits) it belongs to. */
typedef struct {
    int req, has_status;
    uint32_t msg_timeout, seq_timeout;
    unsigned nth;
    int modes;
} sf_stage;

typedef struct {
    const sf_stage *stages;
    unsigned nstages;
    int modes;                                       /* bits: every mode the stages use */
    const char *const *mode_names;                   /* indexed by mode bit (1, 2) */
    void (*setup)(sw_world *w, int mode);            /* the world of a mode, not yet connected */
    int (*msg_of)(const uint8_t *buf, size_t len);   /* a V2GTP message's id (its document kept), or -1 */
    /* Rewrite the response msg_of looked at last with fault f and re-encode it into buf (capacity SESS_TX_CAP). */
    void (*tamper)(sf_fault f, uint8_t *buf, size_t *len);
    int (*applies)(const sf_stage *st, int mode, sf_fault f);   /* optional: further cases left out */
    const char *(*msg_name)(int msg);
} sf_proto;

typedef struct {
    const sf_proto *proto;
    const sf_stage *st;
    sf_fault fault;
    int drop_tcp;           /* car faults: drops TCP (else goes silent) */
    unsigned seen;          /* requests of the stage so far */
    int injected, muted;
    uint32_t at;            /* when the fault happened */
    uint32_t last_res;      /* when the charger sent its last response */
} sf_inject;

static sw_world sf_world;

/* The charger answers the stage's nth request with fault f (or not at all). */
static int sf_charger_hook(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    sf_inject *in = w->hook_ctx;
    if (in->injected) return 1;
    if (dir == SW_TO_EVSE) {
        if (in->proto->msg_of(buf, *len) == in->st->req) in->seen++;
        return 1;
    }
    if (in->seen < in->st->nth) return 1;
    in->injected = 1;
    in->at = w->now;
    if (in->fault == SF_SILENT) return 0;
    assert_true(in->proto->msg_of(buf, *len) >= 0);
    in->proto->tamper(in->fault, buf, len);
    return 1;
}

/* The car goes silent (or drops TCP) instead of sending the stage's nth request. */
static int sf_car_hook(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    sf_inject *in = w->hook_ctx;
    if (dir != SW_TO_EVSE) {
        in->last_res = w->now - SW_STEP_MS;   /* queued one step before delivery */
        return 1;
    }
    if (in->muted) return 0;
    if (in->proto->msg_of(buf, *len) != in->st->req || ++in->seen < in->st->nth) return 1;
    in->injected = in->muted = 1;
    in->at = w->now;
    sw_detach_car(w);   /* the car's session no longer talks or listens */
    if (in->drop_tcp) sess_evse_disconnect(&w->evse, w->now);
    return 0;
}

static int sf_car_stopped(const sw_world *w) { return w->pev.phase == SESS_SAFE || w->pev.phase == SESS_DONE; }
static int sf_charger_stopped(const sw_world *w) { return w->evse.phase == SESS_SAFE || w->evse.phase == SESS_DONE; }

static int sf_applies(const sf_proto *p, const sf_stage *st, int mode, sf_fault f)
{
    if (!(st->modes & mode)) return 0;
    if (f >= SF_SHUTDOWN && f <= SF_MALFUNCTION && !st->has_status) return 0;
    return !p->applies || p->applies(st, mode, f);
}

static void sf_start(const sf_proto *p, int mode, sw_hook hook, sf_inject *in)
{
    p->setup(&sf_world, mode);
    sf_world.hook = hook;
    sf_world.hook_ctx = in;
    sw_connect(&sf_world);
}

/* Fault f from the charger at every stage it applies to: the car's stop reason, when (at once, or exactly the
 * request's V2G_EVCC_Msg_Timeout when silent), its safe state, then both ends and the plant safe. A stop asked
 * for while charging (a loop stage) goes the graceful way: the charging loop's end, WeldingDetection,
 * SessionStop. Returns the number of cases. */
static unsigned sf_charger_fault(const sf_proto *p, sf_fault f)
{
    static const sess_stop_reason why[] = {
        [SF_FAILED] = SESS_STOP_FAILED, [SF_SEQUENCE] = SESS_STOP_SEQUENCE, [SF_SHUTDOWN] = SESS_STOP_EVSE_SHUTDOWN,
        [SF_EMERGENCY] = SESS_STOP_EVSE_EMERGENCY, [SF_MALFUNCTION] = SESS_STOP_EVSE_MALFUNCTION,
        [SF_SILENT] = SESS_STOP_TIMEOUT,
    };
    unsigned tested = 0;
    for (int mode = 1; mode <= p->modes; mode <<= 1)
        for (unsigned i = 0; i < p->nstages; i++) {
            const sf_stage *st = &p->stages[i];
            if (!sf_applies(p, st, mode, f)) continue;
            sf_inject in = { .proto = p, .st = st, .fault = f };
            sf_start(p, mode, sf_charger_hook, &in);
            assert_true(sw_run(&sf_world, 10 * 60 * 1000, sf_car_stopped));
            assert_true(in.injected);
            if (sf_world.pev.stop != why[f])
                fail_msg("%s %s #%u: stop %s", p->mode_names[mode], p->msg_name(st->req), st->nth,
                         sess_stop_name(sf_world.pev.stop));
            if (f == SF_SILENT) assert_string_equal(sf_world.pev.timer, "V2G_EVCC_Msg_Timeout");   /* named */
            sc_car_after_fault(&sf_world, f == SF_SILENT, f == SF_SHUTDOWN && st->nth > 1, in.at, st->msg_timeout);
            tested++;
        }
    static const char *const names[] = {
        [SF_FAILED] = "FAILED", [SF_SEQUENCE] = "FAILED_SequenceError", [SF_SHUTDOWN] = "shutdown",
        [SF_EMERGENCY] = "emergency", [SF_MALFUNCTION] = "malfunction", [SF_SILENT] = "silent",
    };
    printf("charger %s: %u cases\n", names[f], tested);
    return tested;
}

/* The car silent or dropping TCP at every stage: the charger safe V2G_SECC_Sequence_Timeout after its last
 * response / at once, the plant following. Returns the number of cases. */
static unsigned sf_car_fault(const sf_proto *p, int drop_tcp)
{
    unsigned tested = 0;
    for (int mode = 1; mode <= p->modes; mode <<= 1)
        for (unsigned i = 0; i < p->nstages; i++) {
            const sf_stage *st = &p->stages[i];
            if (!(st->modes & mode)) continue;
            sf_inject in = { .proto = p, .st = st, .drop_tcp = drop_tcp };
            sf_start(p, mode, sf_car_hook, &in);
            assert_true(sw_run(&sf_world, 10 * 60 * 1000, sf_charger_stopped));
            if (!in.injected) fail_msg("%s %s #%u: never sent", p->mode_names[mode], p->msg_name(st->req), st->nth);
            sc_charger_after_car_fault(&sf_world, drop_tcp, in.at, in.last_res, st->seq_timeout);
            if (!drop_tcp) assert_string_equal(sf_world.evse.timer, "V2G_SECC_Sequence_Timeout");   /* named */
            tested++;
        }
    printf("car %s: %u cases\n", drop_tcp ? "drops TCP" : "silent", tested);
    return tested;
}

/* One cmocka case of a fault test: the charger's fault f at every stage (car = 0), or the car silent (car = 1, f 0)
 * or dropping TCP (car = 1, f 1); want: the number of cases it must make (0: at least SF_MIN_CASES). */
#define SF_MIN_CASES 5u
typedef struct {
    const sf_proto *p;
    int car, f;
    unsigned want;
} sf_case;

static void sf_run_case(void **state)
{
    const sf_case *c = *state;
    unsigned n = c->car ? sf_car_fault(c->p, c->f) : sf_charger_fault(c->p, (sf_fault)c->f);
    if (c->want) assert_int_equal(n, c->want);
    else assert_true(n >= SF_MIN_CASES);
}

/* A struct CMUnitTest entry for main()'s table (the case lives as long as main's block). */
#define SF_CASE(name, ...) { name, sf_run_case, NULL, NULL, &(sf_case){ __VA_ARGS__ } }
/* The cases of a protocol without EVSE status codes (ISO 15118-20): n per fault, `status` for the stop
 * notification where a response has a status. */
#define SF_CASES_NO_STATUS_CODES(p, n, status)                                                                 \
    SF_CASE("charger_failed", p, 0, SF_FAILED, n), SF_CASE("charger_sequence_error", p, 0, SF_SEQUENCE, n),      \
        SF_CASE("charger_terminate", p, 0, SF_SHUTDOWN, status), SF_CASE("charger_silent", p, 0, SF_SILENT, n), \
        SF_CASE("car_silent", p, 1, 0, n), SF_CASE("car_drops_tcp", p, 1, 1, n)

#endif
