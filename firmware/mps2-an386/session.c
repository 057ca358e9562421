/* The car's session engine and its hardware in the firmware (session.h): sess_pev with the DC protocols offered,
 * the hardware layer's supervisor over the simulated plant's car half (the battery model) as the board's
 * backend, stepped like `ccsplc pev` does (app/live_hw.c), and the CurrentDemand cycle measured around the
 * engine call. The session documents are static here (docs/porting.md, memory). */
#include <string.h>

#include "board.h"
#include "ccsplc/core/hw.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/sim/plant.h"
#include "session.h"

static sess_docs docs;
static sess_pev pev;
static sess_pev_config cfg;
static phys_plant plant;
static phys_hw plant_hw;
static hw_stack hw;
static car_report rep;
static uint32_t cycle_rx;   /* ticks of the last CurrentDemandRes's decode + handling; 0: none pending */

/* The car's charging-loop cycle: a CurrentDemandRes decoded and handled, then the next CurrentDemandReq encoded
 * (in the same call, or in the tick after the repeat pause). */
static void measure(uint32_t dt)
{
    if (pev.rx_name && !strcmp(pev.rx_name, "CurrentDemandRes")) cycle_rx = dt ? dt : 1;
    if (!cycle_rx || !pev.tx_len || strcmp(pev.tx_name, "CurrentDemandReq")) return;
    uint32_t t = cycle_rx + (pev.rx_name ? 0 : dt);
    cycle_rx = 0;
    if (!rep.cycles || t < rep.cycle_min) rep.cycle_min = t;
    if (t > rep.cycle_max) rep.cycle_max = t;
    rep.cycles++;
    rep.cycle_ticks += t;
}

void car_init(const uint8_t mac[6], float soc, float capacity_wh)
{
    phys_charger_config cc;
    phys_battery_config bc;
    phys_charger_default(&cc);
    phys_battery_default(&bc);
    bc.soc = soc;
    bc.capacity_wh = capacity_wh;
    phys_plant_init(&plant, &cc, &bc);
    sess_pev_config_default(&cfg, mac);
    cfg.protos[0] = &sess_proto_din;   /* DIN 70121 first, ISO 15118-2 (DC, external identification) second */
    cfg.protos[1] = &sess_proto_iso2;
    cfg.nprotos = 2;
    cfg.capacity_wh = capacity_wh;
    cfg.max_a = cfg.max_a < bc.max_a ? cfg.max_a : bc.max_a;
}

void car_plug(float target_soc)
{
    hw_backend b;
    plant.battery.cfg.target_soc = target_soc;
    memset(&rep, 0, sizeof rep);   /* the measurements are per session */
    cycle_rx = 0;
    sess_pev_init(&pev, &cfg, &docs);
    hw_stack_init(&hw, HW_CAR);
    phys_hw_init(&plant_hw, &plant, NULL, &pev, &b);
    hw_stack_add(&hw, &b);
    hw_stack_sense(&hw, 0);
    phys_plant_sense(&plant, NULL, &pev);
}

static void after(car_out *o)
{
    o->tx = pev.tx;
    o->tx_len = pev.tx_len;
    o->close = pev.close;
    o->tx_name = pev.tx_len ? pev.tx_name : NULL;
    pev.tx_len = 0;
}

void car_start(uint32_t now, car_out *o)
{
    o->rx_name = NULL;
    sess_pev_start(&pev, now);
    after(o);
}

void car_message(uint16_t payload_type, const uint8_t *payload, size_t len, uint32_t now, car_out *o)
{
    uint32_t t0 = board_ticks();
    sess_pev_on_message(&pev, payload_type, payload, len, now);
    measure(board_ticks() - t0);
    o->rx_name = pev.rx_name;
    after(o);
}

void car_disconnect(uint32_t now, car_out *o)
{
    o->rx_name = NULL;
    sess_pev_disconnect(&pev, now);
    after(o);
}

void car_step(uint32_t now, uint32_t dt, car_out *o)
{
    hw_cmd want = hw_want_pev(&pev);
    hw_stack_apply(&hw, &want, pev.out.safe ? HW_FAULT_SAFE : 0, now);
    phys_hw_step(&plant_hw, dt);
    hw_stack_sense(&hw, now);
    hw_sense_pev(&hw.sup, &hw.meas, &pev);
    o->rx_name = NULL;
    if (pev.phase != SESS_IDLE) {
        uint32_t t0 = board_ticks();
        sess_pev_tick(&pev, now);
        measure(board_ticks() - t0);
    }
    after(o);
}

int car_finished(void)
{
    return pev.phase != SESS_HANDSHAKE && pev.phase != SESS_RUNNING && !plant.pev_contactor.closed;
}

int car_contactors_closed(void) { return hw.meas.contactors == HW_FB_CLOSED; }

int car_ok(void) { return pev.phase == SESS_DONE && pev.stop == SESS_STOP_NORMAL; }

void car_report_get(car_report *r)
{
    *r = rep;
    r->proto = pev.proto ? sess_proto_name(pev.proto) : "none";
    r->stop = sess_stop_name(pev.stop);
    r->soc_x100 = (uint32_t)(plant.battery.soc * 100.0 + 0.5);
}
