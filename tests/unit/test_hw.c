/* The hardware layer's safety supervisor (src/hw): the order of its commands and its fault reactions, seen
 * through a fake backend that records every command it gets and reports a scripted measurement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/hw.h"

#define STEP_MS 10u
#define MAX_LOG 1024

typedef struct {
    hw_cmd log[MAX_LOG];   /* every command applied, in order */
    int n;
    hw_meas m;             /* what it reports */
} fake;

static void fake_apply(void *ctx, const hw_cmd *c, uint32_t now)
{
    (void)now;
    fake *f = ctx;
    if (f->n < MAX_LOG) f->log[f->n++] = *c;
}

static void fake_sense(void *ctx, hw_meas *m, uint32_t now)
{
    (void)now;
    *m = ((fake *)ctx)->m;
}

typedef struct {
    hw_stack st;
    fake f;
    uint32_t now;
} rig;

static void rig_init(rig *r, hw_role role)
{
    memset(r, 0, sizeof *r);
    hw_stack_init(&r->st, role);
    hw_stack_add(&r->st, &(hw_backend){ "fake", &r->f, fake_apply, fake_sense });
    r->f.m.link_ok = 1;
    r->f.m.has_present = 1;
    hw_stack_sense(&r->st, 0);
}

/* One step: the wish through the supervisor, then the fake's measurement read back. */
static const hw_cmd *step(rig *r, const hw_cmd *want, uint32_t faults)
{
    r->now += STEP_MS;
    const hw_cmd *c = hw_stack_apply(&r->st, want, faults, r->now);
    hw_stack_sense(&r->st, r->now);
    return c;
}

/* First index in the log where the predicate holds, -1 if never (from index from). */
typedef int (*pred)(const hw_cmd *c);
static int first(const fake *f, int from, pred p)
{
    for (int i = from; i < f->n; i++)
        if (p(&f->log[i])) return i;
    return -1;
}
static int is_cp_c(const hw_cmd *c) { return c->cp_c; }
static int is_cp_b(const hw_cmd *c) { return !c->cp_c; }
static int is_closed(const hw_cmd *c) { return c->contactors; }
static int is_open(const hw_cmd *c) { return !c->contactors; }
static int is_locked(const hw_cmd *c) { return c->lock; }
static int is_unlocked(const hw_cmd *c) { return !c->lock; }
static int has_current(const hw_cmd *c) { return c->target_a > 0.0f; }
static int no_current(const hw_cmd *c) { return c->target_a == 0.0f; }

/* A car session as the engine asks it: CP C and contactors in the same step, current, stop. */
static void car_charges(rig *r)
{
    hw_cmd want = { .cp_c = 1, .lock = 1, .contactors = 1, .output_on = 1 };
    step(r, &want, 0);
    step(r, &want, 0);
    want.target_a = 100.0f;
    r->f.m.contactors = HW_FB_CLOSED;
    for (int i = 0; i < 5; i++) step(r, &want, 0);
    r->f.m.present_a = 100.0f;
    step(r, &want, 0);
}

static void car_order_cp_c_lock_then_contactors_then_current(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, HW_CAR);
    car_charges(&r);
    int lock = first(&r.f, 0, is_locked), cp = first(&r.f, 0, is_cp_c), k = first(&r.f, 0, is_closed);
    int a = first(&r.f, 0, has_current);
    assert_true(lock >= 0 && cp >= 0 && k >= 0 && a >= 0);
    assert_true(lock <= cp);
    assert_true(cp < k);          /* CP C a step before the contactors, though the engine asked both at once */
    assert_true(k <= a);
    /* a normal stop: the engine opens at no current, then CP B and unlock, never before the contactors open */
    r.f.m.present_a = 0.0f;
    hw_cmd stop = { 0 };
    step(&r, &stop, 0);
    r.f.m.contactors = HW_FB_OPEN;
    step(&r, &stop, 0);
    step(&r, &stop, 0);
    int open = first(&r.f, k, is_open), b = first(&r.f, k, is_cp_b), unlock = first(&r.f, k, is_unlocked);
    assert_true(open >= 0 && b >= open && unlock > open);
    assert_int_equal(r.st.sup.faults, 0);
}

static void car_contactors_wait_for_precharge_at_the_inlet(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, HW_CAR);
    r.f.m.has_inlet_v = r.f.m.has_battery = 1;
    r.f.m.battery_v = 350.0f;
    r.f.m.inlet_v = 200.0f;   /* the charger's voltage not at the battery's yet */
    hw_cmd want = { .cp_c = 1, .lock = 1, .contactors = 1 };
    for (int i = 0; i < 10; i++) assert_false(step(&r, &want, 0)->contactors);
    r.f.m.inlet_v = 350.0f - HW_PRECHARGE_TOLERANCE_V / 2;
    step(&r, &want, 0);   /* the measurement of this step is read after it */
    assert_true(step(&r, &want, 0)->contactors);
}

static void car_contactors_wait_for_the_lock(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, HW_CAR);
    r.f.m.lock = HW_FB_OPEN;   /* the lock reports open though commanded */
    hw_cmd want = { .cp_c = 1, .lock = 1, .contactors = 1 };
    for (int i = 0; i < 5; i++) assert_false(step(&r, &want, 0)->contactors);
    r.f.m.lock = HW_FB_CLOSED;
    step(&r, &want, 0);
    assert_true(step(&r, &want, 0)->contactors);
}

/* Emergency stop at 100 A: the current target is 0 in the very step that sees it; the contactors stay closed
 * while the current is above the break threshold (though the engine, stopping, asks them open) and open in the
 * step it is below; the lock after them. */
static void estop_zero_current_first_then_open_below_threshold(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, HW_CAR);
    car_charges(&r);
    hw_cmd want = { 0 };
    r.f.m.estop = 1;
    hw_stack_sense(&r.st, r.now);   /* the board reports it */
    int at = r.f.n;
    const hw_cmd *c = step(&r, &want, 0);
    assert_true(r.st.sup.faults & HW_FAULT_ESTOP);
    assert_int_equal(first(&r.f, at, no_current), at);   /* within one step */
    assert_false(c->output_on);
    assert_true(c->contactors);                         /* 100 A still flowing */
    assert_true(c->cp_c);                               /* CP back to B only with the contactors open */
    r.f.m.present_a = 60.0f;
    assert_true(step(&r, &want, 0)->contactors);
    r.f.m.present_a = HW_BREAK_A - 1.0f;
    step(&r, &want, 0);                                 /* measured after this step */
    c = step(&r, &want, 0);
    assert_false(c->contactors);
    assert_true(c->lock);                               /* not in the step they open */
    r.f.m.contactors = HW_FB_OPEN;
    step(&r, &want, 0);
    c = step(&r, &want, 0);
    assert_false(c->lock);
    assert_false(r.st.sup.forced_open);
    /* the engine's wish for current again changes nothing: latched */
    want = (hw_cmd){ .cp_c = 1, .lock = 1, .contactors = 1, .output_on = 1, .target_a = 50.0f };
    assert_true(step(&r, &want, 0)->target_a == 0.0f);
}

static void fault_with_current_stuck_opens_after_the_bounded_wait(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, HW_CAR);
    car_charges(&r);
    hw_cmd want = r.st.sup.out;
    uint32_t t0 = r.now + STEP_MS;
    step(&r, &want, HW_FAULT_LINK_LOST);
    while (r.st.sup.out.contactors) {
        assert_true(r.now - t0 < HW_BREAK_WAIT_MS + 2 * STEP_MS);
        step(&r, &want, 0);
    }
    assert_true(r.now - t0 >= HW_BREAK_WAIT_MS);
    assert_true(r.st.sup.forced_open);
    int forced = 0;
    for (uint8_t i = 0; i < r.st.sup.nev; i++) forced |= r.st.sup.ev[i].kind == HW_EV_FORCED_OPEN;
    assert_true(forced);
}

static void link_lost_and_plug_lost_are_faults(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, HW_CAR);
    car_charges(&r);
    hw_cmd want = r.st.sup.out;
    r.f.m.has_plugged = 1;
    r.f.m.plugged = 0;
    hw_stack_sense(&r.st, r.now);
    step(&r, &want, 0);
    assert_true(r.st.sup.faults & HW_FAULT_CP_LOST);
    rig_init(&r, HW_CAR);
    r.f.m.link_ok = 0;
    hw_stack_sense(&r.st, r.now);
    step(&r, &(hw_cmd){ .cp_c = 1, .lock = 1 }, 0);
    assert_true(r.st.sup.faults & HW_FAULT_LINK_LOST);
}

static void welded_contactor_is_reported_and_keeps_the_lock(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, HW_CAR);
    car_charges(&r);
    r.f.m.present_a = 0.0f;
    hw_stack_sense(&r.st, r.now);   /* no current any more */
    hw_cmd stop = { 0 };
    for (uint32_t t = 0; t <= HW_FEEDBACK_MS + 2 * STEP_MS; t += STEP_MS) {
        const hw_cmd *c = step(&r, &stop, 0);   /* the feedback stays closed */
        assert_false(c->contactors);
        assert_true(c->lock);
    }
    assert_true(r.st.sup.faults & HW_FAULT_CONTACTOR);
}

static void charger_closes_only_in_cp_c_and_cuts_current_when_cp_is_lost(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, HW_CHARGER);
    r.f.m.cp = HW_CP_B;
    hw_cmd want = { .cp_pwm_pct = 5, .lock = 1, .contactors = 1, .output_on = 1, .target_v = 400, .target_a = 10 };
    for (int i = 0; i < 5; i++) assert_false(step(&r, &want, 0)->contactors);
    r.f.m.cp = HW_CP_C;
    step(&r, &want, 0);
    assert_true(step(&r, &want, 0)->contactors);
    r.f.m.contactors = HW_FB_CLOSED;
    r.f.m.present_a = 10.0f;
    r.f.m.cp = HW_CP_A;   /* unplugged under load */
    step(&r, &want, 0);
    step(&r, &want, 0);
    const hw_cmd *c = &r.st.sup.out;
    assert_true(r.st.sup.faults & HW_FAULT_CP_LOST);
    assert_true(c->target_a == 0.0f && !c->output_on && c->cp_pwm_pct == 100);
    assert_true(c->contactors);   /* 10 A: not yet */
}

/* A charger in CP C powered at a amps: the contactors closed (reported), the current measured. */
static void charger_powered(rig *r, float a)
{
    hw_cmd want = { .cp_pwm_pct = 5, .lock = 1, .contactors = 1, .output_on = 1, .target_v = 400, .target_a = a };
    r->f.m.cp = HW_CP_C;
    while (!step(r, &want, 0)->contactors) assert_true(r->now < 100000u);
    r->f.m.contactors = HW_FB_CLOSED;
    r->f.m.present_a = a;
    hw_stack_sense(&r->st, r->now);
}

/* The charger's engine opens its contactors in the step its current target goes to 0, the power stage's current
 * still flowing (a normal end, no fault): the supervisor holds them closed with the target 0 until the current is
 * below the threshold, then opens them; no fault, not forced. A current that does not fall: opened after the
 * bounded wait, reported. */
static void engine_open_under_load_waits_for_the_current(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, HW_CHARGER);
    charger_powered(&r, 125.0f);
    hw_cmd want = { .cp_pwm_pct = 5, .lock = 1 };   /* PowerDelivery stop: target 0 and open at once */
    const hw_cmd *c = step(&r, &want, 0);
    assert_true(c->contactors && c->lock);
    assert_true(c->target_a == 0.0f);
    r.f.m.present_a = 40.0f;
    assert_true(step(&r, &want, 0)->contactors);
    r.f.m.present_a = HW_BREAK_A - 1.0f;
    step(&r, &want, 0);   /* measured after this step */
    c = step(&r, &want, 0);
    assert_false(c->contactors);
    assert_false(r.st.sup.forced_open);
    assert_int_equal(r.st.sup.faults, 0);
    r.f.m.present_a = 0.0f;
    r.f.m.contactors = HW_FB_OPEN;
    step(&r, &want, 0);
    want.lock = 0;
    assert_false(step(&r, &want, 0)->lock);
    charger_powered(&r, 125.0f);   /* again, and the current stuck */
    want = (hw_cmd){ .cp_pwm_pct = 5 };
    uint32_t t0 = r.now + STEP_MS;
    while (step(&r, &want, 0)->contactors) assert_true(r.now - t0 < HW_BREAK_WAIT_MS + 2 * STEP_MS);
    assert_true(r.now - t0 >= HW_BREAK_WAIT_MS);
    assert_true(r.st.sup.forced_open);
}

/* The engine's safe state: the same reaction (current 0 now, contactors open below the threshold), but it does
 * not latch: the next session of the plug-in (a second connection, a resumed Pause) may power again. */
static void engine_safe_is_obeyed_but_not_latched(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, HW_CHARGER);
    hw_cmd want = { .cp_pwm_pct = 5, .lock = 1, .contactors = 1, .output_on = 1, .target_v = 400, .target_a = 50 };
    step(&r, &want, 0);
    step(&r, &want, 0);
    r.f.m.contactors = HW_FB_CLOSED;
    r.f.m.present_a = 50.0f;
    assert_true(step(&r, &want, 0)->contactors);
    hw_cmd off = { .cp_pwm_pct = 5 };
    const hw_cmd *c = step(&r, &off, HW_FAULT_SAFE);
    assert_true(c->contactors && c->target_a == 0.0f && !c->output_on);
    r.f.m.present_a = 0.0f;
    step(&r, &off, HW_FAULT_SAFE);
    assert_false(step(&r, &off, HW_FAULT_SAFE)->contactors);
    r.f.m.contactors = HW_FB_OPEN;
    assert_int_equal(r.st.sup.faults, 0);
    step(&r, &want, 0);
    assert_true(step(&r, &want, 0)->contactors);
}

/* A car's supervisor alone (no backend). */
static void car_sup(hw_sup *s)
{
    hw_sup_config c;
    hw_sup_config_default(&c, HW_CAR);
    hw_sup_init(s, &c);
}

static void car_fault_stops_the_session_inputs(void **state)
{
    (void)state;
    hw_sup s;
    car_sup(&s);
    sess_pev p;
    memset(&p, 0, sizeof p);
    hw_meas m = { .link_ok = 1, .has_battery = 1, .battery_v = 360, .request_a = 80, .soc = 40 };
    hw_sense_pev(&s, &m, &p);
    assert_true(p.in.request_a == 80.0f && !p.in.stop_request && p.in.soc == 40);
    s.faults = HW_FAULT_ESTOP;
    hw_sense_pev(&s, &m, &p);
    assert_true(p.in.request_a == 0.0f && p.in.stop_request);
}

/* A user's stop and current limit from a backend off the safety path (MQTT's command topic): merged over the
 * plant's measurement, the car asks for at most the limit and stops gracefully; the charger's power stage gets at
 * most the limit, and its session a StopCharging (SHUTDOWN) — neither is a fault. */
static void user_stop_and_limit_reach_the_sessions(void **state)
{
    (void)state;
    hw_meas plant = { .link_ok = 1, .has_battery = 1, .battery_v = 360, .request_a = 80, .soc = 40 };
    hw_meas user = { .link_ok = 1, .max_a = 32.0f };
    hw_meas m = plant;
    hw_meas_merge(&m, &user);
    hw_sup s;
    car_sup(&s);
    sess_pev p;
    memset(&p, 0, sizeof p);
    hw_sense_pev(&s, &m, &p);
    assert_true(p.in.request_a == 32.0f && !p.in.stop_request);
    user.stop_request = 1;
    hw_meas_merge(&m, &user);
    hw_sense_pev(&s, &m, &p);
    assert_true(p.in.stop_request && s.faults == 0);

    rig r;
    rig_init(&r, HW_CHARGER);
    r.f.m.max_a = 20.0f;
    hw_cmd want = { .cp_pwm_pct = 5, .lock = 1, .contactors = 1, .output_on = 1, .target_v = 400, .target_a = 50 };
    step(&r, &want, 0);
    assert_true(step(&r, &want, 0)->target_a == 20.0f);
    sess_evse e;
    memset(&e, 0, sizeof e);
    r.f.m.stop_request = 1;
    step(&r, &want, 0);
    hw_sense_evse(&r.st.sup, &r.st.meas, &e);
    assert_int_equal(e.in.status, SESS_EVSE_SHUTDOWN);
    assert_int_equal(r.st.sup.faults, 0);
}

/* IEC 61851-1 Annex A: the nominal levels, each with +-1 V around it (the standard's tolerance band), read as
 * their state; the split halfway between two nominal levels. */
static void cp_level_of_a_voltage(void **state)
{
    (void)state;
    static const struct { float nominal; hw_cp cp; } lv[] = {
        { 12.0f, HW_CP_A }, { 9.0f, HW_CP_B }, { 6.0f, HW_CP_C }, { 3.0f, HW_CP_D }, { 0.0f, HW_CP_E }, { -12.0f, HW_CP_F },
    };
    for (size_t i = 0; i < sizeof lv / sizeof lv[0]; i++)
        for (float d = -1.0f; d <= 1.0f; d += 0.5f) assert_int_equal(hw_cp_of_volts(lv[i].nominal + d), lv[i].cp);
    for (size_t i = 0; i + 2 < sizeof lv / sizeof lv[0]; i++) {   /* A..E: 3 V apart, split at the midpoint */
        float mid = (lv[i].nominal + lv[i + 1].nominal) / 2.0f;
        assert_int_equal(hw_cp_of_volts(mid + 0.01f), lv[i].cp);
        assert_int_equal(hw_cp_of_volts(mid - 0.01f), lv[i + 1].cp);
    }
    assert_int_equal(hw_cp_of_volts(-5.9f), HW_CP_E);   /* E (0 V) to F (-12 V): split at -6 V */
    assert_int_equal(hw_cp_of_volts(-6.1f), HW_CP_F);
    assert_int_equal(hw_cp_letter(hw_cp_of_volts(9.0f)), 'B');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(car_order_cp_c_lock_then_contactors_then_current),
        cmocka_unit_test(car_contactors_wait_for_precharge_at_the_inlet),
        cmocka_unit_test(car_contactors_wait_for_the_lock),
        cmocka_unit_test(estop_zero_current_first_then_open_below_threshold),
        cmocka_unit_test(fault_with_current_stuck_opens_after_the_bounded_wait),
        cmocka_unit_test(link_lost_and_plug_lost_are_faults),
        cmocka_unit_test(welded_contactor_is_reported_and_keeps_the_lock),
        cmocka_unit_test(charger_closes_only_in_cp_c_and_cuts_current_when_cp_is_lost),
        cmocka_unit_test(engine_safe_is_obeyed_but_not_latched),
        cmocka_unit_test(engine_open_under_load_waits_for_the_current),
        cmocka_unit_test(car_fault_stops_the_session_inputs),
        cmocka_unit_test(user_stop_and_limit_reach_the_sessions),
        cmocka_unit_test(cp_level_of_a_voltage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
