/* `ccsplc demo --bridge chademo`: a CCS charger, the CCS->CHAdeMO adapter (the car session bridged to a CHAdeMO
 * charger's sequence) and a simulated CHAdeMO car (a Leaf's limits) in one process on the virtual clock; the
 * CHAdeMO side first up to the car's contactors (its battery voltage is the CCS PreCharge target), then the CCS
 * session, then the CHAdeMO side's end. Prints each CHAdeMO step. */
#include <stdio.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/sim/chademo_bench.h"
#include "demo.h"

#define CDM_START_LIMIT_MS 60000u   /* the CHAdeMO side must reach "charging" within this (the car's waits) */
#define CDM_END_LIMIT_MS 60000u     /* and end within this after the CCS session */

typedef struct {
    cdm_bench b;
    cdm_state printed;
} demo_cdm;

static void print_step(const demo_cdm *c, uint32_t now)
{
    const cdm_charger *ch = &c->b.br.ch;
    printf("%9.3f  chademo %-40s d1=%u d2=%u k=%u lock=%u car %u A of %u V, SoC %u %%", now / 1000.0,
           cdm_state_name(ch->state), ch->out.d1, ch->out.d2, ch->in.k, ch->out.lock, ch->ev_status.request_a,
           ch->ev_status.target_v, cdm_charger_soc(ch));
    if (ch->stop != CDM_STOP_NONE) printf(" (stop: %s)", cdm_stop_name(ch->stop));
    printf("\n");
}

static void side(void *ctx, uint32_t now)
{
    demo_cdm *c = ctx;
    cdm_bench_chademo(&c->b, now);
    if (c->b.br.ch.state != c->printed) {
        c->printed = c->b.br.ch.state;
        print_step(c, now);
    }
}

static void ccs(void *ctx, uint32_t now, uint32_t dt) { cdm_bench_ccs(&((demo_cdm *)ctx)->b, now, dt); }

static int chademo_done(const demo_cdm *c) { return c->b.br.ch.state == CDM_DONE && !c->b.car.contactors; }
static int ready(void *ctx) { return cdm_bench_ready(&((demo_cdm *)ctx)->b); }
static void end(void *ctx) { ((demo_cdm *)ctx)->b.br.ch.in.stop = 1; }
static int done(void *ctx) { return chademo_done(ctx); }

int demo_bridged(demo *d, const demo_bridge_ops *ops, void *ctx, uint32_t ready_ms, uint32_t end_ms)
{
    uint32_t limit = d->now + ready_ms;
    int rc = CCS_ETIMEOUT;
    while (!ops->ready(ctx) && !ops->done(ctx) && d->now < limit) demo_advance(d, DEMO_STEP_MS);   /* done: it failed */
    if (ops->ready(ctx)) rc = demo_session(d);
    else printf("%9.3f  chademo the car did not get to charging: no CCS session\n", d->now / 1000.0);
    ops->end(ctx);
    limit = d->now + end_ms;
    while (!ops->done(ctx) && d->now < limit) demo_advance(d, DEMO_STEP_MS);
    return rc;
}

int demo_chademo(demo *d, int *ok)
{
    static demo_cdm c;
    cdm_charger_config chc;
    cdm_car_config car;
    cdm_charger_config_default(&chc);
    cdm_car_config_leaf(&car);
    car.battery.soc = d->soc;
    car.battery.target_soc = d->target_soc;
    car.battery.capacity_wh = d->capacity_kwh * 1000.0f;
    d->pev.cfg.capacity_wh = car.battery.capacity_wh;
    cdm_bench_init(&c.b, &chc, &car, &d->plant, &d->evse, &d->pev);
    c.printed = CDM_IDLE;
    d->side_step = side;
    d->side_ctx = &c;
    d->car_step = ccs;
    d->car_ctx = &c;
    *ok = 0;
    printf("%9.3f  chademo plug-in: Leaf-like car, max %u V, target %u V, up to %u A; adapter %.0f V %.0f A\n",
           d->now / 1000.0, car.max_v, car.target_v, car.max_a, (double)chc.avail_v, (double)chc.avail_a);
    static const demo_bridge_ops ops = { ready, end, done };
    int rc = demo_bridged(d, &ops, &c, CDM_START_LIMIT_MS, CDM_END_LIMIT_MS);
    const cdm_charger *ch = &c.b.br.ch;
    printf("\nchademo\n  car         SoC %.1f %% -> %.2f %% (target %.1f %%), %u CAN frames\n", d->soc, c.b.car.bat.soc,
           d->target_soc, c.b.frames);
    printf("  stop        %s%s%s\n", cdm_stop_name(ch->stop), ch->flags ? ", fault flags sent" : "",
           ch->forced_open ? ", d2 off under load" : "");
    *ok = chademo_done(&c) && ch->stop == CDM_STOP_CAR_STOP && !ch->flags && !ch->forced_open && !c.b.hw.sup.faults;
    return rc;
}
