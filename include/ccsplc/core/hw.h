/* The hardware layer (sans-I/O): one interface for what a charger or a car switches and measures (control pilot,
 * proximity pilot, contactors, connector lock, power stage, isolation monitor, emergency stop), the backends
 * behind it (the simulated plant, serial boards, ...) and the safety supervisor that sits between the session
 * engines and every backend. docs/hardware.md describes the rules. */
#ifndef CCSPLC_CORE_HW_H
#define CCSPLC_CORE_HW_H

#include <stdint.h>

#include "ccsplc/core/sess.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HW_BREAK_A 5.0f            /* contactors open under load above this current (as PLANT_MAX_BREAK_A) */
#define HW_BREAK_WAIT_MS 2000u     /* after a fault: wait at most this long for the current to fall, then open */
#define HW_FEEDBACK_MS 500u        /* a contactor's or lock's feedback may lag its command this long */
#define HW_PRECHARGE_TOLERANCE_V 20.0f /* car: a measured inlet voltage this close to the battery's: precharged */

typedef enum { HW_CAR, HW_CHARGER } hw_role;

/* Control pilot level (IEC 61851-1 Annex A): A 12 V unplugged, B 9 V plugged, C 6 V charging, D 3 V charging
 * with ventilation, E 0 V, F -12 V (charger fault); UNKNOWN: the backend does not read it. */
typedef enum { HW_CP_UNKNOWN, HW_CP_A, HW_CP_B, HW_CP_C, HW_CP_D, HW_CP_E, HW_CP_F } hw_cp;
char hw_cp_letter(hw_cp cp);
/* The level of a CP voltage the charger measured (the PWM's high phase, or the steady level at 100 %): the nearest
 * nominal level of IEC 61851-1 Annex A (12, 9, 6, 3, 0, -12 V), split halfway between two of them (10.5, 7.5, 4.5,
 * 1.5 V; below -6 V: F). Between 0 and the -12 V of F a reading is E (CP shorted to PE). */
hw_cp hw_cp_of_volts(float v);

typedef enum { HW_ISO_UNKNOWN, HW_ISO_VALID, HW_ISO_FAULT } hw_iso;

/* Feedback of a switch: not read, open, closed. */
typedef enum { HW_FB_NONE, HW_FB_OPEN, HW_FB_CLOSED } hw_fb;

/* What the core commands (levels: a backend applies them every step and acts on changes). */
typedef struct {
    uint8_t cp_c;                  /* car: S2 closed (CP state C), else B */
    uint8_t cp_pwm_pct;            /* charger: 5 (digital communication), 100 (no PWM: steady +12 V) */
    uint8_t contactors;            /* close */
    uint8_t lock;                  /* lock the connector */
    uint8_t output_on;             /* charger: power stage on; car: current may flow (no stop, no fault) */
    uint8_t isolation_check;       /* charger: run the isolation monitor at target_v */
    float target_v, target_a;      /* charger: power stage setpoints; car: what it asks for */
    /* the CCS->CHAdeMO adapter (docs/chademo.md): its CHAdeMO charger's sequence signals d1, d2 and the CHAdeMO
     * connector's lock, passed through as the sequence (cdm_bridge_want) sets them */
    uint8_t cdm_d1, cdm_d2, cdm_lock;
} hw_cmd;

/* What a backend measures; a backend sets only what it has (the has_ flags, feedback != NONE, cp != UNKNOWN),
 * so backends stack: a later one overrides the fields it measures (hw_meas_merge). */
typedef struct {
    uint8_t link_ok;               /* the backend is alive (a serial board answered lately) */
    uint8_t estop;                 /* emergency-stop input pressed */
    hw_cp cp;
    uint8_t has_pp;
    float pp_a;                    /* proximity pilot: the cable's rating (IEC 61851-1 Annex B) */
    uint8_t has_plugged;
    uint8_t plugged;               /* a plug is in the inlet (from PP or the board) */
    hw_fb contactors, lock;
    uint8_t has_inlet_v, has_present;
    float inlet_v;                 /* car: the inlet's voltage (precharge check) */
    float present_v, present_a;    /* the power path's voltage and current */
    uint8_t has_limits;
    float limit_v, limit_a, limit_w; /* charger: power stage limits */
    hw_iso isolation;              /* an isolation monitor (charger: CableCheck; the adapter: its CHAdeMO output) */
    uint64_t meter_wh;
    /* the CCS->CHAdeMO adapter: the CHAdeMO car's charge permit k and the voltage at the CHAdeMO connector */
    uint8_t has_cdm_k, cdm_k;
    uint8_t has_cdm_v;
    float cdm_v;
    /* car: the battery (BMS) */
    uint8_t has_battery;
    float battery_v, request_a, energy_request_wh;
    uint8_t soc, charge_complete;
    /* a user's commands through a backend that is not on the safety path (MQTT): end the charge gracefully
     * (car: its stop request; charger: StopCharging), and a current limit (0: none; car: the current it asks
     * for, charger: the power stage's target) */
    uint8_t stop_request;
    float max_a;
} hw_meas;

/* A later measurement overrides what it has. */
void hw_meas_merge(hw_meas *into, const hw_meas *from);

/* A backend: apply the supervisor's command (every step; now_ms for its own refresh periods), sense what it
 * measures. The core calls it; the backend does its I/O (a Linux backend) or its physics (the plant). */
typedef struct {
    const char *name;
    void *ctx;
    void (*apply)(void *ctx, const hw_cmd *cmd, uint32_t now_ms);
    void (*sense)(void *ctx, hw_meas *m, uint32_t now_ms);
} hw_backend;

/* Faults the supervisor reacts to (bits); it records why. All but HW_FAULT_SAFE latch. */
enum {
    HW_FAULT_SAFE = 1u << 0,       /* the session engine went safe */
    HW_FAULT_ESTOP = 1u << 1,      /* emergency stop input */
    HW_FAULT_CP_LOST = 1u << 2,    /* the CP (or the plug) went away while the power path was up */
    HW_FAULT_LINK_LOST = 1u << 3,  /* the backend stopped answering */
    HW_FAULT_CONTACTOR = 1u << 4,  /* a contactor's feedback does not follow its command (welded or stuck) */
};
/* "emergency stop", ... for the lowest set bit. */
const char *hw_fault_name(uint32_t faults);

/* What the supervisor did, for logs and tests: one event per change of an output. */
typedef enum {
    HW_EV_CP, HW_EV_PWM, HW_EV_LOCK, HW_EV_CONTACTORS, HW_EV_OUTPUT, HW_EV_TARGET_A, HW_EV_FAULT, HW_EV_FORCED_OPEN,
    HW_EV_HELD                     /* a close the rules refused for now (not in CP C, not precharged) */
} hw_event_kind;
typedef struct {
    hw_event_kind kind;
    float value;                   /* the new level (target current, pwm %, 0/1) or the fault bits */
    float present_a;               /* the current at the time */
} hw_event;
#define HW_MAX_EVENTS 8u

typedef struct {
    hw_role role;
    float break_a;                 /* HW_BREAK_A */
    uint32_t break_wait_ms;        /* HW_BREAK_WAIT_MS */
    float precharge_tolerance_v;   /* HW_PRECHARGE_TOLERANCE_V */
} hw_sup_config;

typedef struct {
    hw_sup_config cfg;
    hw_cmd out;                    /* the last command */
    uint32_t faults;               /* the hardware's faults, latched until hw_sup_reset */
    uint32_t active;               /* those and the engine's safe state now (HW_FAULT_SAFE is not latched: a
                                    * new session on the same plug-in may power again) */
    uint32_t fault_at_ms;
    uint32_t fb_since_ms;          /* when the contactor feedback began to differ from the command */
    uint8_t fb_differs;
    uint8_t forced_open;           /* contactors opened above break_a after break_wait_ms */
    uint8_t opening;               /* the engine asked them open with current flowing, since opening_at_ms */
    uint32_t opening_at_ms;
    uint8_t powered;               /* the power path was up (contactors closed) since the last reset */
    uint8_t started;
    hw_event ev[HW_MAX_EVENTS];    /* this step's events */
    uint8_t nev;
} hw_sup;

void hw_sup_config_default(hw_sup_config *c, hw_role role);
void hw_sup_init(hw_sup *s, const hw_sup_config *c);
/* A new plug-in: faults cleared, everything open and unlocked. */
void hw_sup_reset(hw_sup *s);
/* One step: the engine's wish (hw_want_*), the merged measurement, faults seen by the caller (HW_FAULT_*, e.g.
 * the engine safe or the V2G link lost) -> the command for the backends (s->out, also returned).
 * Rules, for every backend:
 *  - contactors close only in CP state C (car: the one it commands; charger: the level it reads, where it reads
 *    one) and, for the car, after PreCharge matched (the measured inlet voltage within precharge_tolerance_v of
 *    the battery's, where both are measured);
 *  - on a fault the current target goes to 0 (and a charger's output off) in the same step; the contactors open
 *    once the current is below break_a, or after break_wait_ms anyway (forced_open, reported);
 *  - the engine's own open (no fault) the same way: current target 0 in that step, the contactors held closed
 *    until the measured current is below break_a (or break_wait_ms, forced_open);
 *  - the lock is released only with the contactors commanded open and not reported closed;
 *  - car: CP back to B only with the contactors open;
 *  - charger: the power stage's target current at most a user's limit (m->max_a, where set). */
hw_cmd hw_sup_step(hw_sup *s, const hw_cmd *want, const hw_meas *m, uint32_t faults, uint32_t now_ms);

/* The supervisor and the backends of one side, stacked: the command goes to every backend, the measurements
 * are merged in order (the plant first, a board after it overrides what the board measures). */
#define HW_MAX_BACKENDS 8u
typedef struct {
    hw_sup sup;
    hw_backend b[HW_MAX_BACKENDS];
    uint8_t n;
    hw_meas meas;                  /* the last merged measurement */
} hw_stack;

void hw_stack_init(hw_stack *h, hw_role role);
/* 0, or CCS_ERANGE when full. */
int hw_stack_add(hw_stack *h, const hw_backend *b);
/* The wish through the supervisor (with the last measurement) to every backend. */
const hw_cmd *hw_stack_apply(hw_stack *h, const hw_cmd *want, uint32_t faults, uint32_t now_ms);
/* Every backend's measurement, merged into h->meas. */
const hw_meas *hw_stack_sense(hw_stack *h, uint32_t now_ms);

/* The engines' outputs as the supervisor's wish. */
hw_cmd hw_want_pev(const sess_pev *p);
hw_cmd hw_want_evse(const sess_evse *e);
/* Measurements into the engines' inputs (what the merged measurement has); a car with a fault latched asks
 * for no current and stops (in.request_a 0, in.stop_request). */
void hw_sense_pev(const hw_sup *s, const hw_meas *m, sess_pev *p);
void hw_sense_evse(const hw_sup *s, const hw_meas *m, sess_evse *e);

#ifdef __cplusplus
}
#endif

#endif
