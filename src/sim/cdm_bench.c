/* The adapter and a simulated CHAdeMO car in one process: an in-memory CAN bus between the bridge and the car,
 * and the adapter's CCS-side hardware stack over the plant. */
#include <string.h>

#include "ccsplc/sim/chademo_bench.h"

void cdm_bench_init(cdm_bench *b, const cdm_charger_config *cc, const cdm_car_config *car, phys_plant *pl,
                    sess_evse *evse, sess_pev *pev)
{
    hw_backend be;
    memset(b, 0, sizeof *b);
    b->pl = pl;
    b->pev = pev;
    cdm_bridge_init(&b->br, cc);
    cdm_car_init(&b->car, car);
    phys_battery_init(&pl->battery, &car->battery);
    hw_stack_init(&b->hw, HW_CAR);
    phys_hw_init(&b->plant_hw, pl, evse, pev, &be);
    hw_stack_add(&b->hw, &be);
    cdm_bridge_backend(&b->br, &be);
    hw_stack_add(&b->hw, &be);
    hw_stack_sense(&b->hw, 0);
    b->br.ch.in.plugged = 1;
}

static void post(cdm_frame *q, uint8_t *n, const cdm_frame *f, uint8_t count)
{
    for (uint8_t i = 0; i < count && *n < CDM_BENCH_BUS; i++) q[(*n)++] = f[i];
}

static void step(cdm_bench *b, uint32_t now)
{
    float a = b->pl->pev_contactor.closed ? b->pl->battery.current_a : 0.0f;
    if (!b->can_cut) {   /* what was sent in the last step arrives */
        for (uint8_t i = 0; i < b->n_to_adapter; i++) cdm_bridge_rx(&b->br, &b->to_adapter[i], now);
        for (uint8_t i = 0; i < b->n_to_car; i++) cdm_car_rx(&b->car, &b->to_car[i], now);
        b->frames += b->n_to_adapter + b->n_to_car;
    }
    b->n_to_adapter = b->n_to_car = 0;
    cdm_bridge_step(&b->br, b->pev, &b->hw.sup, now);
    cdm_frame tx[CDM_BRIDGE_TX];
    post(b->to_car, &b->n_to_car, tx, (uint8_t)cdm_bridge_tx(&b->br, tx));
    cdm_car_step(&b->car, a, CDM_BENCH_STEP_MS, now);
    post(b->to_adapter, &b->n_to_adapter, b->car.tx, b->car.ntx);
}

void cdm_bench_chademo(cdm_bench *b, uint32_t now_ms)
{
    while ((int32_t)(now_ms - b->at) >= (int32_t)CDM_BENCH_STEP_MS) {
        b->at += CDM_BENCH_STEP_MS;
        step(b, b->at);
    }
}

void cdm_bench_ccs(cdm_bench *b, uint32_t now_ms, uint32_t dt_ms)
{
    sess_pev *p = b->pev;
    hw_cmd want = hw_want_pev(p);
    hw_stack_apply(&b->hw, &want, p->out.safe ? HW_FAULT_SAFE : 0, now_ms);
    phys_hw_step(&b->plant_hw, dt_ms);
    hw_stack_sense(&b->hw, now_ms);
    hw_sense_pev(&b->hw.sup, &b->hw.meas, p);
}

int cdm_bench_ready(const cdm_bench *b) { return b->br.ch.out.ready; }
