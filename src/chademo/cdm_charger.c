/* The CHAdeMO 1.x charger's sequence (sans-I/O): d1, the car's CAN frames, parameter exchange and the
 * compatibility check, the charge permit k, lock and insulation test, d2 and the car's contactors, charging at
 * the car's current request, and the stop (current to 0 first, d2 off below CDM_BREAK_A, unlock below CDM_SAFE_V)
 * on the car's request, its fault flags, a lost CAN stream or a fault of the supply. The order is the one
 * hwthomas/ccs-chademo's wiki (cdmSequenceFlow, "CHAdeMOpoint" 1-3: d1, then the car's CAN) and its
 * chademoPlc/fsmCdM.py states (AssertSS1, AwaitingCANmessage, ExchangingChargingLimits, CheckingCompatibility,
 * CableCheck, Precharge/EVready, PowerDelivery, ChargeFinished, ShuttingDown) describe. */
#include <string.h>

#include "ccsplc/core/chademo.h"
#include "ccsplc/core/errors.h"

#define CDM_PROTOCOL 1u            /* 0x109 byte 0, as a charger sends it to a Leaf ZE1 that sends 2 (hwthomas/
                                    * ccs-chademo src/utils/ZE1-chademo-charging.log; QC-CAN_ALL.dbc: 3 is 2.0) */
#define CDM_OVERVOLTAGE_MARGIN_V 10.0f /* the output this far above the car's maximum: stop */
#define CDM_SUPPLY_SEEN_A 1.0f     /* the supply delivers current */

const char *cdm_state_name(cdm_state s)
{
    static const char *const names[] = { "idle", "waiting for the car's CAN", "parameter exchange", "insulation test",
                                         "waiting for the car's contactors", "charging", "stopping",
                                         "waiting for the car's contactors to open", "done" };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *cdm_stop_name(cdm_stop s)
{
    static const char *const names[] = { "none", "normal", "the car asked to stop", "the car's fault flags",
                                         "CAN stream lost", "battery incompatible", "insulation fault",
                                         "the supply (CCS side) stopped or failed", "stopped locally",
                                         "a wait of the sequence expired", "output above the car's maximum voltage" };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

void cdm_charger_config_default(cdm_charger_config *c)
{
    *c = (cdm_charger_config){ .avail_v = 500.0f, .avail_a = 125.0f, .can_timeout_ms = CDM_CAN_TIMEOUT_MS,
                               .wait_ms = 20000u, .insulation_ms = 1000u, .supply_wait_ms = 60000u,
                               .break_wait_ms = 2000u };
}

void cdm_charger_init(cdm_charger *c, const cdm_charger_config *cfg)
{
    memset(c, 0, sizeof *c);
    c->cfg = *cfg;
}

int cdm_charger_rx(cdm_charger *c, const cdm_frame *f, uint32_t now_ms)
{
    int rc = 0;
    switch (f->id) {
    case CDM_ID_EV_LIMITS:
        if (!(rc = cdm_decode_ev_limits(f, &c->ev))) c->seen |= 1;
        break;
    case CDM_ID_EV_TIME:
        if (!(rc = cdm_decode_ev_time(f, &c->ev_time))) c->seen |= 2;
        break;
    case CDM_ID_EV_STATUS:
        if (!(rc = cdm_decode_ev_status(f, &c->ev_status))) {
            c->seen |= 4;
            c->last_rx_ms = now_ms;
        }
        break;
    default: break;   /* other traffic on the bus */
    }
    return rc;
}

uint8_t cdm_charger_soc(const cdm_charger *c)
{
    unsigned rate = c->ev.rate_pct ? c->ev.rate_pct : 100u;
    unsigned soc = (c->ev_status.soc * 100u + rate / 2u) / rate;   /* to the nearest % */
    return (uint8_t)(soc > 100u ? 100u : soc);
}

static void enter(cdm_charger *c, cdm_state s, uint32_t now)
{
    c->state = s;
    c->state_at = now;
}

static float lim(float configured, float now) { return now > 0.0f && now < configured ? now : configured; }

/* Every stop: current to 0 now (CDM_STOPPING), the reason and the flags for 0x109. */
static void stop(cdm_charger *c, cdm_stop why, uint8_t flags, uint32_t now)
{
    if (c->state == CDM_IDLE || c->state >= CDM_STOPPING) return;
    if (c->stop == CDM_STOP_NONE) c->stop = why;
    c->flags |= flags;
    enter(c, CDM_STOPPING, now);
}

/* The checks of every state from the parameter exchange to charging. */
static void watch(cdm_charger *c, uint32_t now)
{
    const cdm_charger_input *in = &c->in;
    const cdm_ev_status *st = &c->ev_status;
    if (now - c->last_rx_ms > c->cfg.can_timeout_ms) stop(c, CDM_STOP_CAN_LOST, CDM_EVSE_SYSTEM_FAULT, now);
    else if ((st->faults & 0x1Fu) || (st->status & CDM_EV_SYSTEM_FAULT)) stop(c, CDM_STOP_CAR_FAULT, 0, now);
    else if (in->supply_fault) stop(c, CDM_STOP_SUPPLY, CDM_EVSE_MALFUNCTION, now);
    else if (c->state >= CDM_INSULATION && in->insulation == HW_ISO_FAULT)   /* the monitor during the charge too */
        stop(c, CDM_STOP_INSULATION, CDM_EVSE_MALFUNCTION, now);
    else if (in->stop) stop(c, CDM_STOP_LOCAL, 0, now);
    else if (c->ev.max_v && in->present_v > c->ev.max_v + CDM_OVERVOLTAGE_MARGIN_V)
        stop(c, CDM_STOP_OVERVOLTAGE, CDM_EVSE_MALFUNCTION, now);
    else if ((st->status & CDM_EV_STOP_REQUEST) ||
             (c->state >= CDM_INSULATION && (!in->k || !(st->status & CDM_EV_CHARGE_ENABLED))))
        stop(c, CDM_STOP_CAR_STOP, 0, now);
    else if (in->supply_done) stop(c, CDM_STOP_SUPPLY, 0, now);
}

static void sequence(cdm_charger *c, uint32_t now)
{
    const cdm_charger_input *in = &c->in;
    const cdm_ev_status *st = &c->ev_status;
    uint32_t in_state = now - c->state_at;
    float avail_v = lim(c->cfg.avail_v, in->avail_v);
    switch (c->state) {
    case CDM_IDLE:
        if (in->plugged) {
            c->seen = 0;
            c->last_rx_ms = now;
            enter(c, CDM_WAIT_CAN, now);
        }
        break;
    case CDM_WAIT_CAN:   /* d1 on: the car starts its CAN */
        if (c->seen == 7) enter(c, CDM_PARAMS, now);
        else if (in_state > c->cfg.wait_ms) {
            c->stop = CDM_STOP_TIMEOUT;
            enter(c, CDM_OPENING, now);
        }
        break;
    case CDM_PARAMS:     /* the car's battery must fit the output (0x109 FaultBatteryIncompatibility) */
        if (c->ev.max_v > avail_v || st->target_v > avail_v || st->target_v > c->ev.max_v)
            stop(c, CDM_STOP_INCOMPATIBLE, CDM_EVSE_INCOMPATIBLE, now);
        else if (in->k && (st->status & CDM_EV_CHARGE_ENABLED)) enter(c, CDM_INSULATION, now);
        else if (in_state > c->cfg.wait_ms) stop(c, CDM_STOP_TIMEOUT, 0, now);
        break;
    case CDM_INSULATION: /* locked; the output tested with the car's contactors open */
        if (in->insulation == HW_ISO_FAULT) stop(c, CDM_STOP_INSULATION, CDM_EVSE_MALFUNCTION, now);
        else if (in->insulation == HW_ISO_VALID || in_state >= c->cfg.insulation_ms) enter(c, CDM_WAIT_CONTACTORS, now);
        break;
    case CDM_WAIT_CONTACTORS: /* d2 on: the car closes its contactors; its battery appears at the connector */
        if (!(st->status & CDM_EV_CONTACTOR_OPEN) && in->inlet_v > CDM_SAFE_V) enter(c, CDM_CHARGING, now);
        else if (in_state > c->cfg.wait_ms) stop(c, CDM_STOP_TIMEOUT, 0, now);
        break;
    case CDM_CHARGING:
        if (in->present_a > CDM_SUPPLY_SEEN_A) c->supply_seen = 1;
        if (!c->supply_seen && in_state > c->cfg.supply_wait_ms) stop(c, CDM_STOP_TIMEOUT, CDM_EVSE_MALFUNCTION, now);
        if (st->status & CDM_EV_CONTACTOR_OPEN) stop(c, CDM_STOP_CAR_FAULT, CDM_EVSE_SYSTEM_FAULT, now);
        break;
    case CDM_STOPPING:   /* the current falls before d2 goes off (the car opens its contactors) */
        if (in->present_a < CDM_BREAK_A) enter(c, CDM_OPENING, now);
        else if (in_state >= c->cfg.break_wait_ms) {
            c->forced_open = 1;
            enter(c, CDM_OPENING, now);
        }
        break;
    case CDM_OPENING:    /* unlock only with the car's contactors open and no voltage at the connector */
        if (((st->status & CDM_EV_CONTACTOR_OPEN) || now - c->last_rx_ms > c->cfg.can_timeout_ms) &&
            in->inlet_v < CDM_SAFE_V)
            enter(c, CDM_DONE, now);
        else if (in_state > c->cfg.wait_ms) enter(c, CDM_DONE, now);
        break;
    case CDM_DONE: break;
    }
    if (c->state >= CDM_PARAMS && c->state <= CDM_CHARGING) watch(c, now);
}

static void outputs(cdm_charger *c)
{
    const cdm_charger_input *in = &c->in;
    cdm_charger_output *o = &c->out;
    cdm_state s = c->state;
    float avail_a = lim(c->cfg.avail_a, in->avail_a), avail_v = lim(c->cfg.avail_v, in->avail_v);
    memset(o, 0, sizeof *o);
    o->d1 = s >= CDM_WAIT_CAN && s <= CDM_OPENING;
    o->d2 = s >= CDM_WAIT_CONTACTORS && s <= CDM_STOPPING;
    o->lock = s >= CDM_INSULATION && s <= CDM_OPENING;
    o->ready = s == CDM_CHARGING;
    o->output_on = s == CDM_CHARGING;
    o->target_v = c->ev_status.target_v < avail_v ? c->ev_status.target_v : avail_v;
    if (s == CDM_CHARGING) o->target_a = c->ev_status.request_a < avail_a ? c->ev_status.request_a : avail_a;
}

static uint16_t clamp16(float v) { return v <= 0.0f ? 0 : v >= 65535.0f ? 65535 : (uint16_t)(v + 0.5f); }
static uint8_t clamp8(float v) { return v <= 0.0f ? 0 : v >= 255.0f ? 255 : (uint8_t)(v + 0.5f); }

/* 0x108 and 0x109 every CDM_CAN_CYCLE_MS from the parameter exchange until d1 goes off, and once more in the step
 * the sequence ended after the parameter exchange (a stop passed through to the end in one step, e.g. a failed
 * insulation test, still tells the car its stop and fault flags). */
static void transmit(cdm_charger *c, uint32_t now)
{
    const cdm_charger_input *in = &c->in;
    int last = c->state == CDM_DONE && c->state_at == now && c->seen == 7;
    c->ntx = 0;
    if (!last && (c->state < CDM_PARAMS || c->state > CDM_OPENING || (int32_t)(now - c->tx_at) < 0)) return;
    c->tx_at = now + CDM_CAN_CYCLE_MS;
    float avail_v = lim(c->cfg.avail_v, in->avail_v);
    cdm_evse_limits l = { .welding_detection = 1, .avail_v = clamp16(avail_v), .avail_a = clamp8(lim(c->cfg.avail_a, in->avail_a)),
                          .threshold_v = clamp16(c->ev.max_v && c->ev.max_v < avail_v ? c->ev.max_v : avail_v) };
    uint8_t status = c->flags;
    if (c->out.lock) status |= CDM_EVSE_LOCKED;
    if (c->state == CDM_CHARGING) status |= CDM_EVSE_CHARGING;
    if (c->state >= CDM_STOPPING) status |= CDM_EVSE_STOP;
    cdm_evse_status s = { .protocol = CDM_PROTOCOL, .present_v = clamp16(in->present_v),
                          .present_a = clamp8(in->present_a), .status = status, .remain_10s = 0xFF,
                          .remain_min = c->ev_time.est_time_min };
    cdm_encode_evse_limits(&l, &c->tx[c->ntx++]);
    cdm_encode_evse_status(&s, &c->tx[c->ntx++]);
}

void cdm_charger_step(cdm_charger *c, uint32_t now_ms)
{
    cdm_state before;
    do {   /* a state whose condition already holds passes in the same step */
        before = c->state;
        sequence(c, now_ms);
    } while (c->state != before && c->state != CDM_DONE);
    outputs(c);
    transmit(c, now_ms);
}
