/* The simulated CHAdeMO car: the car's side of the sequence around a battery model. d1 starts its CAN; after
 * the charger's first 0x108/0x109 it checks the charger's voltage, then gives k and the enable flag; on d2 (the
 * connector locked) it closes its contactors and asks for what its battery accepts; at its target SoC, on the
 * driver's stop, on the charger's stop flag or a fault it asks for 0 A with the stop flag, drops k and opens its
 * contactors once the current is below 5 A (or d2 went off). */
#include <string.h>

#include "ccsplc/sim/chademo_car.h"

#define CAR_PROTOCOL 2u            /* 0x102 byte 0 as the Leaf ZE1 sends it (ZE1-chademo-charging.log) */

void cdm_car_config_leaf(cdm_car_config *c)
{
    memset(c, 0, sizeof *c);
    phys_battery_default(&c->battery);
    c->battery.capacity_wh = 40000.0f;
    c->battery.max_a = 115.0f;
    c->max_v = 435;
    c->target_v = 410;
    c->min_a = 6;
    c->max_a = 115;
    c->rate_pct = 255;
    c->max_time_10s = 228;
    c->permit_ms = 200;
    c->contactor_ms = 100;
    c->can_timeout_ms = CDM_CAN_TIMEOUT_MS;
}

void cdm_car_init(cdm_car *car, const cdm_car_config *cfg)
{
    memset(car, 0, sizeof *car);
    car->cfg = *cfg;
    phys_battery_init(&car->bat, &cfg->battery);
}

int cdm_car_rx(cdm_car *car, const cdm_frame *f, uint32_t now_ms)
{
    int rc = 0;
    switch (f->id) {
    case CDM_ID_EVSE_LIMITS: rc = cdm_decode_evse_limits(f, &car->evse); break;
    case CDM_ID_EVSE_STATUS:
        if (!(rc = cdm_decode_evse_status(f, &car->evse_st))) {
            car->last_rx_ms = now_ms;
            car->saw_charger = 1;
            if (car->evse_st.status & CDM_EVSE_CHARGING) car->saw_charging = 1;
        }
        break;
    case CDM_ID_SIM_EVSE_WIRES: rc = cdm_decode_sim_evse(f, &car->d1, &car->d2); break;
    default: break;
    }
    return rc;
}

float cdm_car_inlet_v(const cdm_car *car, float current_a)
{
    return car->contactors ? phys_battery_terminal_v(&car->bat, current_a) : 0.0f;
}

static void enter(cdm_car *car, cdm_car_state s, uint32_t now)
{
    car->state = s;
    car->state_at = now;
}

static int ending(cdm_car *car, uint32_t now)
{
    car->can_lost = car->saw_charger && now - car->last_rx_ms > car->cfg.can_timeout_ms;
    return car->stop_request || car->inject_faults || car->can_lost || phys_battery_full(&car->bat) ||
           (car->saw_charging && (car->evse_st.status & CDM_EVSE_STOP)) ||
           (car->evse_st.status & (CDM_EVSE_MALFUNCTION | CDM_EVSE_INCOMPATIBLE | CDM_EVSE_SYSTEM_FAULT)) ||
           (car->state >= CDM_CAR_CHARGING && !car->d2);
}

static void sequence(cdm_car *car, float current_a, uint32_t now)
{
    uint32_t in_state = now - car->state_at;
    if (!car->d1 && car->state != CDM_CAR_OFF && car->state < CDM_CAR_ENDING) enter(car, CDM_CAR_ENDING, now);
    else if (car->state >= CDM_CAR_PARAMS && car->state <= CDM_CAR_CHARGING && ending(car, now))
        enter(car, CDM_CAR_ENDING, now);
    switch (car->state) {
    case CDM_CAR_OFF:
        if (car->d1) {
            car->last_rx_ms = now;
            enter(car, CDM_CAR_PARAMS, now);
        }
        break;
    case CDM_CAR_PARAMS:   /* permit once the charger's output covers the target voltage */
        if (car->saw_charger && car->evse.avail_v >= car->cfg.target_v && in_state >= car->cfg.permit_ms) {
            car->k = 1;
            enter(car, CDM_CAR_WAIT_D2, now);
        }
        break;
    case CDM_CAR_WAIT_D2:
        if (!car->d2 || !(car->evse_st.status & CDM_EVSE_LOCKED)) car->d2_at = now;
        else if (now - car->d2_at >= car->cfg.contactor_ms) {
            car->contactors = 1;
            enter(car, CDM_CAR_CHARGING, now);
        }
        break;
    case CDM_CAR_CHARGING: break;
    case CDM_CAR_ENDING:   /* 0 A asked; contactors open below 5 A, or when d2 went off */
        car->k = 0;
        if ((current_a < CDM_BREAK_A || !car->d2) && in_state >= car->cfg.contactor_ms) {
            car->contactors = 0;
            if (!car->d1) enter(car, CDM_CAR_DONE, now);
        }
        break;
    case CDM_CAR_DONE: break;
    }
}

static uint8_t request(const cdm_car *car)
{
    if (car->state != CDM_CAR_CHARGING) return 0;
    float a = phys_battery_accept_a(&car->bat);
    return (uint8_t)(a > car->cfg.max_a ? car->cfg.max_a : a < 0.0f ? 0 : a);
}

static void transmit(cdm_car *car, float current_a, uint32_t now)
{
    car->ntx = 0;
    if (car->state == CDM_CAR_OFF || car->state == CDM_CAR_DONE || (int32_t)(now - car->tx_at) < 0) return;
    car->tx_at = now + CDM_CAN_CYCLE_MS;
    const cdm_car_config *c = &car->cfg;
    uint8_t status = 0;
    if (car->k) status |= CDM_EV_CHARGE_ENABLED;
    if (!car->contactors) status |= CDM_EV_CONTACTOR_OPEN;
    if (car->inject_faults || car->can_lost) status |= CDM_EV_SYSTEM_FAULT;
    if (car->state == CDM_CAR_ENDING) status |= CDM_EV_STOP_REQUEST;
    car->request_a = request(car);
    double soc = car->bat.soc * c->rate_pct / 100.0;
    cdm_ev_limits l = { .min_a = c->min_a, .max_v = c->max_v, .rate_pct = c->rate_pct };
    cdm_ev_time t = { .max_time_10s = c->max_time_10s };
    cdm_ev_status s = { .protocol = CAR_PROTOCOL, .target_v = c->target_v, .request_a = car->request_a,
                        .faults = car->inject_faults, .status = status, .soc = (uint8_t)(soc > 255.0 ? 255 : soc) };
    cdm_encode_ev_limits(&l, &car->tx[car->ntx++]);
    cdm_encode_ev_time(&t, &car->tx[car->ntx++]);
    cdm_encode_ev_status(&s, &car->tx[car->ntx++]);
    cdm_encode_sim_ev(car->k, cdm_car_inlet_v(car, current_a), &car->tx[car->ntx++]);
}

void cdm_car_step(cdm_car *car, float current_a, uint32_t dt_ms, uint32_t now_ms)
{
    if (car->contactors) phys_battery_step(&car->bat, current_a, dt_ms);
    sequence(car, current_a, now_ms);
    transmit(car, current_a, now_ms);
}
