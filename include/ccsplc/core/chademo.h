/* CHAdeMO 1.x, the charger's side (sans-I/O): the CAN frames (0x100/0x101/0x102 from the car, 0x108/0x109 to
 * it), the charge sequence as a state machine (d1, parameter exchange, charge permit k, insulation test, d2,
 * charge, stop, fault flags) and its bridge to a CCS car session (the CCS->CHAdeMO adapter). docs/chademo.md. */
#ifndef CCSPLC_CORE_CHADEMO_H
#define CCSPLC_CORE_CHADEMO_H

#include <stdint.h>

#include "ccsplc/core/hw.h"
#include "ccsplc/core/sess.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------- CAN frames ---------------- */

/* Frame identifiers (11 bit): the car sends 0x100..0x102, the charger 0x108/0x109, every 100 ms
 * (hwthomas/ccs-chademo doc/QC_CAN_messages/QC-CAN_ALL.dbc: "100ms" on each BO_). */
enum { CDM_ID_EV_LIMITS = 0x100, CDM_ID_EV_TIME = 0x101, CDM_ID_EV_STATUS = 0x102, CDM_ID_EVSE_LIMITS = 0x108,
       CDM_ID_EVSE_STATUS = 0x109 };
#define CDM_CAN_CYCLE_MS 100u
/* ccsplc's simulation wires (not CHAdeMO): on one virtual CAN bus the charger's d1/d2 (byte 0 bit 0 d1, bit 1
 * d2) and the car's charge permit k with the voltage at its inlet (byte 0 bit 0 k, bytes 1-2 volts, little
 * endian). On a real adapter these are wires (GPIO) and a voltage measurement. */
enum { CDM_ID_SIM_EVSE_WIRES = 0x7F0, CDM_ID_SIM_EV_WIRES = 0x7F1 };

typedef struct {
    uint32_t id;                   /* 11-bit identifier */
    uint8_t len;                   /* data length 0..8 */
    uint8_t data[8];
} cdm_frame;

/* 0x102 byte 4: the car's fault flags; byte 5: its status (QC-CAN_ALL.dbc BO_ 258 signals 32..36, 40..44). */
enum {
    CDM_EV_FAULT_OVERVOLTAGE = 1u << 0, CDM_EV_FAULT_UNDERVOLTAGE = 1u << 1, CDM_EV_FAULT_CURRENT_DEVIATION = 1u << 2,
    CDM_EV_FAULT_HIGH_TEMPERATURE = 1u << 3, CDM_EV_FAULT_VOLTAGE_DEVIATION = 1u << 4,
};
enum {
    CDM_EV_CHARGE_ENABLED = 1u << 0,   /* "StatusVehicleCharging": charge permission */
    CDM_EV_NOT_IN_PARK = 1u << 1,      /* shift lever not in park */
    CDM_EV_SYSTEM_FAULT = 1u << 2,     /* "StatusChargingSystem": malfunction detected by the car */
    CDM_EV_CONTACTOR_OPEN = 1u << 3,   /* "StatusVehicle": the car's contactors open (or welding check done) */
    CDM_EV_STOP_REQUEST = 1u << 4,     /* "StatusNormalStopRequest" */
};
/* 0x109 byte 5: the charger's status and fault flags (QC-CAN_ALL.dbc BO_ 265 signals 40..45). */
enum {
    CDM_EVSE_CHARGING = 1u << 0,       /* "StatusStation": energy transfer */
    CDM_EVSE_MALFUNCTION = 1u << 1,    /* "FaultStationMalfunction" */
    CDM_EVSE_LOCKED = 1u << 2,         /* "StatusVehicleConnectorLock" */
    CDM_EVSE_INCOMPATIBLE = 1u << 3,   /* "FaultBatteryIncompatibility" */
    CDM_EVSE_SYSTEM_FAULT = 1u << 4,   /* "FaultChargingSystemMalfunction": a problem with the car side */
    CDM_EVSE_STOP = 1u << 5,           /* "StatusChargerStopControl": shutting down / stop charging */
};

/* Decoded frames, in the wire's units (volts, amps, %, seconds, minutes: 1 per bit unless said). */
typedef struct {                   /* 0x100 */
    uint8_t min_a;                 /* byte 0: minimum charge current */
    uint16_t min_v, max_v;         /* bytes 2-3, 4-5: minimum / maximum battery voltage */
    uint8_t rate_pct;              /* byte 6: charging rate reference (100 %: the scale of the SoC in 0x102) */
} cdm_ev_limits;
typedef struct {                   /* 0x101 */
    uint8_t max_time_10s;          /* byte 1: maximum charging time in 10 s (0xFF: use byte 2) */
    uint8_t max_time_min;          /* byte 2: the same in minutes */
    uint8_t est_time_min;          /* byte 3: estimated charging time */
    uint16_t capacity_100wh;       /* bytes 5-6: rated battery capacity, 0.1 kWh per bit */
} cdm_ev_time;
typedef struct {                   /* 0x102 */
    uint8_t protocol;              /* byte 0: control protocol number */
    uint16_t target_v;             /* bytes 1-2 */
    uint8_t request_a;             /* byte 3 */
    uint8_t faults, status;        /* bytes 4, 5: CDM_EV_FAULT_*, CDM_EV_* */
    uint8_t soc;                   /* byte 6: charging rate, % of rate_pct */
} cdm_ev_status;
typedef struct {                   /* 0x108 */
    uint8_t welding_detection;     /* byte 0: the charger supports the car's welding detection */
    uint16_t avail_v;              /* bytes 1-2 */
    uint8_t avail_a;               /* byte 3 */
    uint16_t threshold_v;          /* bytes 4-5: the charger stops above this to protect the battery */
} cdm_evse_limits;
typedef struct {                   /* 0x109 */
    uint8_t protocol;              /* byte 0 */
    uint16_t present_v;            /* bytes 1-2 */
    uint8_t present_a;             /* byte 3 */
    uint8_t status;                /* byte 5: CDM_EVSE_* */
    uint8_t remain_10s, remain_min;/* bytes 6, 7: remaining charging time (0xFF in byte 6: use byte 7) */
} cdm_evse_status;

/* Decoders: 0, CCS_EPROTO (another identifier), CCS_ETRUNC (fewer than 8 data bytes) or CCS_EINVAL. */
int cdm_decode_ev_limits(const cdm_frame *f, cdm_ev_limits *out);
int cdm_decode_ev_time(const cdm_frame *f, cdm_ev_time *out);
int cdm_decode_ev_status(const cdm_frame *f, cdm_ev_status *out);
int cdm_decode_evse_limits(const cdm_frame *f, cdm_evse_limits *out);
int cdm_decode_evse_status(const cdm_frame *f, cdm_evse_status *out);
/* Encoders: an 8-byte frame, unused bytes 0. */
void cdm_encode_ev_limits(const cdm_ev_limits *v, cdm_frame *f);
void cdm_encode_ev_time(const cdm_ev_time *v, cdm_frame *f);
void cdm_encode_ev_status(const cdm_ev_status *v, cdm_frame *f);
void cdm_encode_evse_limits(const cdm_evse_limits *v, cdm_frame *f);
void cdm_encode_evse_status(const cdm_evse_status *v, cdm_frame *f);
/* The simulation wires (CDM_ID_SIM_*): 0, CCS_EPROTO, CCS_ETRUNC. */
void cdm_encode_sim_evse(int d1, int d2, cdm_frame *f);
int cdm_decode_sim_evse(const cdm_frame *f, uint8_t *d1, uint8_t *d2);
void cdm_encode_sim_ev(int k, float inlet_v, cdm_frame *f);
int cdm_decode_sim_ev(const cdm_frame *f, uint8_t *k, float *inlet_v);

/* ---------------- the charger's sequence ---------------- */

#define CDM_CAN_TIMEOUT_MS 1000u   /* no 0x102 for this long: the car is gone (pyPLC hardwareInterface.py: "no
                                    * current limit update for over 1s, setting current to 0") */
#define CDM_BREAK_A 5.0f           /* d2 off (the car opens its contactors) only below this current */
#define CDM_SAFE_V 10.0f           /* unlock only below this voltage at the connector */

typedef enum {
    CDM_IDLE,          /* not plugged in / not started */
    CDM_WAIT_CAN,      /* d1 on: waiting for the car's 0x100, 0x101 and 0x102 */
    CDM_PARAMS,        /* parameter exchange: 0x108/0x109 sent, compatibility checked, waiting for k */
    CDM_INSULATION,    /* connector locked, insulation test of the output */
    CDM_WAIT_CONTACTORS, /* d2 on: waiting for the car's contactors (0x102 status bit 3 clear) */
    CDM_CHARGING,      /* the output follows the car's current request */
    CDM_STOPPING,      /* current to 0, stop flag set, waiting for the current to fall below CDM_BREAK_A */
    CDM_OPENING,       /* d2 off: waiting for the car's contactors to open and the voltage to fall */
    CDM_DONE,          /* unlocked, d1 off */
} cdm_state;
const char *cdm_state_name(cdm_state s);

/* Why the charger stopped. */
typedef enum {
    CDM_STOP_NONE, CDM_STOP_NORMAL, CDM_STOP_CAR_STOP /* the car asked to stop (0x102 bit 4, k or its enable
                                                       * flag gone) */,
    CDM_STOP_CAR_FAULT /* 0x102 fault flags or its system-fault status */, CDM_STOP_CAN_LOST, CDM_STOP_INCOMPATIBLE,
    CDM_STOP_INSULATION, CDM_STOP_SUPPLY /* the power source (the CCS side) failed or stopped */,
    CDM_STOP_LOCAL /* stop asked for locally */, CDM_STOP_TIMEOUT /* a wait of the sequence expired */,
    CDM_STOP_OVERVOLTAGE /* the output above the car's maximum */,
} cdm_stop;
const char *cdm_stop_name(cdm_stop s);

typedef struct {
    float avail_v, avail_a;        /* the output's limits (0x108) */
    uint32_t can_timeout_ms;       /* CDM_CAN_TIMEOUT_MS */
    uint32_t wait_ms;              /* each wait of the sequence (CAN start, k, contactors): 20 s */
    uint32_t insulation_ms;        /* insulation test without a monitor result: its duration */
    uint32_t supply_wait_ms;       /* charging: the supply's first current within this (the CCS side's setup) */
    uint32_t break_wait_ms;        /* stop: after this long d2 goes off even above CDM_BREAK_A (reported) */
} cdm_charger_config;

/* Inputs, set by the caller before each step. */
typedef struct {
    uint8_t plugged;               /* start the sequence (the connector is in) */
    uint8_t k;                     /* charge permit input (the car's switch k) */
    float inlet_v;                 /* the voltage at the connector (the car's battery once its contactors close) */
    float present_v, present_a;    /* the supply's output now */
    float avail_v, avail_a;        /* the supply's limits now (0: the configured ones) */
    hw_iso insulation;             /* an insulation monitor's result (UNKNOWN: none: the test lasts insulation_ms;
                                    * FAULT, in the test or after it: the stop with FaultStationMalfunction) */
    uint8_t supply_fault;          /* the supply (the CCS side) failed */
    uint8_t supply_done;           /* the supply ended its session normally */
    uint8_t stop;                  /* stop asked for locally */
} cdm_charger_input;

typedef struct {
    uint8_t d1, d2;                /* sequence signals 1 and 2 */
    uint8_t lock;                  /* the connector lock */
    uint8_t output_on;             /* the supply may deliver current */
    uint8_t ready;                 /* the car's contactors are closed and its voltage known: start the supply */
    float target_v, target_a;      /* what the car asks for, within the limits; 0 A when stopping */
} cdm_charger_output;

typedef struct {
    cdm_charger_config cfg;
    cdm_state state;
    cdm_stop stop;
    uint32_t state_at, last_rx_ms, tx_at, supply_seen;
    uint8_t seen;                  /* bits: 0x100, 0x101, 0x102 received */
    uint8_t flags;                 /* fault flags sent in 0x109 (CDM_EVSE_MALFUNCTION, _INCOMPATIBLE, _SYSTEM_FAULT) */
    uint8_t forced_open;           /* d2 went off above CDM_BREAK_A */
    cdm_ev_limits ev;
    cdm_ev_time ev_time;
    cdm_ev_status ev_status;
    cdm_charger_input in;
    cdm_charger_output out;
    cdm_frame tx[2];               /* frames to send after this step (0x108, 0x109 every CDM_CAN_CYCLE_MS) */
    uint8_t ntx;
} cdm_charger;

/* 500 V, 125 A, 1 s CAN timeout, 20 s waits, 1 s insulation test, 60 s supply wait, 2 s break wait. */
void cdm_charger_config_default(cdm_charger_config *c);
void cdm_charger_init(cdm_charger *c, const cdm_charger_config *cfg);
/* A frame from the car: 0, or the decoder's error (the frame is ignored). */
int cdm_charger_rx(cdm_charger *c, const cdm_frame *f, uint32_t now_ms);
/* One step with c->in: the sequence, c->out, and c->tx/ntx (send them). */
void cdm_charger_step(cdm_charger *c, uint32_t now_ms);
/* The car's SoC in % (0x102 byte 6 against 0x100 byte 6). */
uint8_t cdm_charger_soc(const cdm_charger *c);

/* ---------------- the bridge: a CCS car session (the adapter's PEV) as the CHAdeMO charger's supply ---------------- */

/* The car's side of the adapter: the CHAdeMO car is the battery of the CCS session. Its hw_backend reports the
 * CHAdeMO car as the battery (has_battery: its voltage at the connector, its current request while charging, its
 * SoC, done when it asks to stop) and a lost CAN stream or a CHAdeMO fault as the link lost (the supervisor's
 * fault: current 0, contactors open below 5 A, stop requested). cdm_bridge_step maps the CCS session's state
 * into the charger's inputs (the CCS charger's present values back into 0x109; a CCS fault stops the CHAdeMO
 * side with its flags). */
typedef struct {
    cdm_charger ch;
    const sess_pev *pev;           /* the CCS session (NULL before it runs) */
    uint8_t ccs_started;           /* the caller started the CCS session (after ch.out.ready) */
    /* The adapter's wires. Inputs: what a backend of the hardware stack measures (hw: its merged measurement; k
     * where has_cdm_k, the connector's voltage where has_cdm_v, the insulation monitor where it reads one) takes
     * the place of the simulation frame 0x7F1 (sim_k, sim_v); NULL: the frames alone. Outputs: d1, d2 and the
     * CHAdeMO lock go to the hardware layer (cdm_bridge_want); wired_outputs: they are wires, no 0x7F0 sent. */
    const hw_meas *hw;
    uint8_t wired_outputs;
    uint8_t sim_k;
    float sim_v;
} cdm_bridge;

void cdm_bridge_init(cdm_bridge *b, const cdm_charger_config *cfg);
void cdm_bridge_backend(cdm_bridge *b, hw_backend *out);
/* One step: the CCS session's values and faults (its safe state, the hardware supervisor's latched faults: sup, may
 * be NULL) into the charger's inputs (present values, limits, the session's end), then the charger's step. Sets the CCS session's EVTargetVoltage / EVMaximumVoltageLimit (cfg.max_v)
 * to the car's target voltage. p may be NULL before the CCS session exists. */
void cdm_bridge_step(cdm_bridge *b, sess_pev *p, const hw_sup *sup, uint32_t now_ms);
/* A frame from the bus: the car's frames and its simulation wires (k, the inlet voltage). 0 or the decoder's error. */
int cdm_bridge_rx(cdm_bridge *b, const cdm_frame *f, uint32_t now_ms);
/* What to send after a step: 0x108/0x109 when due, and the simulation wires (d1/d2) every step once started
 * (not when they are wires: wired_outputs). Returns how many (at most CDM_BRIDGE_TX). */
#define CDM_BRIDGE_TX 3u
unsigned cdm_bridge_tx(const cdm_bridge *b, cdm_frame out[CDM_BRIDGE_TX]);
/* The sequence's wires into the hardware layer's command: cmd->cdm_d1, cdm_d2, cdm_lock. */
void cdm_bridge_want(const cdm_bridge *b, hw_cmd *cmd);
/* 1 when the charger stopped for a fault (not the car's or the supply's normal end). */
int cdm_bridge_faulted(const cdm_bridge *b);

#ifdef __cplusplus
}
#endif

#endif
