/* The protocol-neutral session model: one DC message (request or response) in engineering units, which each
 * protocol's mapper fills from and writes to its generated structs, and the DC step handlers written once on it. */
#ifndef CCSPLC_SESS_MODEL_H
#define CCSPLC_SESS_MODEL_H

#include <stdbool.h>

#include "ccsplc/core/sess.h"

/* A step of a protocol's table (sess_internal.h's rows): a charger's request handler, a car's request builder or
 * response handler. Declared by these types, a step has the signature the rows call. */
typedef int sess_evse_step(sess_evse *s, uint32_t now_ms);
typedef int sess_pev_step(sess_pev *p, uint32_t now_ms);

typedef struct {
    bool current, voltage, power;
} sess_dc_achieved;

/* The charger's limits as ChargeParameterDiscoveryRes reports them (absent optional ones: 0). */
typedef struct {
    float max_v, max_a, max_w, min_v, min_a, min_w, tolerance_a, ripple_a;
} sess_evse_limits;

/* The charger's status as a response reports it (PEV side): a sess_evse_status, the StopCharging/Terminate
 * notification, the isolation level and (AC) a tripped RCD. */
typedef struct {
    uint8_t status;             /* sess_evse_status */
    uint8_t stop_notice;        /* EVSENotification StopCharging (ISO-20: Terminate) */
    uint8_t isolation;          /* sess_isolation */
    uint8_t rcd;
} sess_dc_status;

/* One DC message. EVSE: the mapper fills the request part from docs->rx, the step sets the response part, the
 * mapper writes docs->tx from it (present values and our limits it takes from the session). PEV: the step fills
 * the request part, the mapper writes docs->tx; the mapper fills the response part from docs->rx. */
typedef struct {
    /* request (car to charger) */
    int16_t soc;                /* EVSE: its state of charge, -1: not in this request */
    uint8_t ac;                 /* ChargeParameterDiscovery: an AC mode asked for (ISO 15118-2) */
    uint8_t ev_ongoing;         /* the car still processing (ISO 15118-20 PowerDelivery EVProcessing) */
    uint8_t limits_said;        /* every EVMaximum* limit the protocol has optional was sent */
    uint8_t stop;               /* PowerDelivery: stop; a charge loop: the car stops (no current asked) */
    float target_v, target_a;   /* PreCharge, charge loop */
    float max_v, max_a;         /* the car's maximum voltage and current */
    uint8_t has_max_v, has_max_a; /* ... when it said them */
    float discharge_max_a;      /* BPT: EVSE: the car's maximum discharge current; PEV: the charger's (0: none) */
    uint8_t wait_state;         /* EVSE: the state in which Ongoing answers of this request count */
    uint32_t now;               /* PEV: when the request goes out (ISO 15118-20 time anchors) */
    /* response (charger to car) */
    uint8_t code;               /* SESS_RC_* (EVSE); PEV: the class of the protocol's code (SESS_RC_OK, _SEQUENCE,
                                 * _UNKNOWN_SESSION or _FAILED) */
    uint8_t ongoing;            /* EVSEProcessing Ongoing */
    uint8_t isolation_active;   /* CableCheck: the isolation monitor still runs */
    uint8_t receipt;            /* ISO 15118-2: a MeteringReceipt requested */
    uint8_t has_status;         /* PEV: the response carries a status */
    uint8_t right_kind;         /* PEV: ChargeParameterDiscovery: parameters of our mode */
    sess_dc_status status;      /* PEV */
    float present_v, present_a; /* PEV: the charger's present values */
    sess_evse_limits limits;    /* PEV: ChargeParameterDiscovery */
    uint8_t incompatible;       /* PEV: AC: the charger's nominal voltage above the on-board charger's maximum */
    uint8_t has_schedule, tuple_id; /* PEV: the first schedule: its ID and first power */
    uint8_t has_limit;          /* PEV: AC charge loop: the charger's current limit per phase is in limits.max_a */
    float pmax_w;
    sess_dc_achieved hit;       /* EVSE: which limits the car's targets reached */
} sess_dc;

/* Generic response codes: the engine's own (refusals) and the ones the steps answer with; each protocol's
 * set_code maps them. */
enum {
    SESS_RC_OK, SESS_RC_SEQUENCE, SESS_RC_UNKNOWN_SESSION, SESS_RC_FAILED, SESS_RC_WRONG_CHARGE_PARAMETER,
    SESS_RC_WRONG_ENERGY_TRANSFER_MODE, SESS_RC_TARIFF_SELECTION_INVALID, SESS_RC_CHARGING_PROFILE_INVALID,
    SESS_RC_POWER_DELIVERY_NOT_APPLIED,
};

/* The DC step handlers, charger side (sess_dc_evse.c): the table rows of every protocol point at them. */
sess_evse_step sess_dc_evse_charge_parameter, sess_dc_evse_cable_check, sess_dc_evse_precharge,
    sess_dc_evse_power_start, sess_dc_evse_power_stop, sess_dc_evse_current_demand, sess_dc_evse_welding;

/* The AC charge loop (ISO 15118-2 ChargingStatus, ISO 15118-20 AC_ChargeLoop), charger and car: the car's on-board
 * charger draws the current itself within the charger's limit (sess_dc_evse.c, sess_dc_pev.c). */
int sess_ac_evse_charge_loop(sess_evse *s, uint32_t now);
int sess_ac_pev_build_charge_loop(sess_pev *p, uint32_t now);
int sess_ac_pev_on_charge_loop(sess_pev *p, uint32_t now);

/* The car's DC steps (sess_dc_pev.c): builders and response handlers of every protocol's table. */
sess_pev_step sess_dc_pev_build_charge_parameter, sess_dc_pev_build_cable_check, sess_dc_pev_build_precharge,
    sess_dc_pev_build_power_start, sess_dc_pev_build_power_stop, sess_dc_pev_build_current_demand,
    sess_dc_pev_build_welding, sess_dc_pev_on_charge_parameter, sess_dc_pev_on_cable_check, sess_dc_pev_on_precharge,
    sess_dc_pev_on_power_start, sess_dc_pev_on_power_stop, sess_dc_pev_on_current_demand, sess_dc_pev_on_welding;
/* The car's check of a response in the model: FAILED* codes and the charger's fault states (with_status) end the
 * session in the safe state (SESS_H_FAIL); a stop request (EVSE_Shutdown, StopCharging, Terminate) is SESS_H_END:
 * the caller decides how (while charging: gracefully). */
int sess_pev_dc_check(sess_pev *p, const sess_dc *m, int with_status);
/* How a charging loop goes on after the check of its response (h) and of the charger's values (fault): STAY, or
 * NEXT to PowerDelivery(stop) when full, stopped by the user (stop, or pause where the protocol has it), by the
 * charger or by a fault, or to a MeteringReceipt first when the charger asked for one. AC: the on-board charger
 * stops drawing at once. */
int sess_pev_loop_end(sess_pev *p, int h, uint8_t receipt_required, sess_stop_reason fault);

#endif
