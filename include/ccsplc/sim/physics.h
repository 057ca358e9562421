/* Charging physics behind small interfaces (sans-I/O, deterministic, time-stepped): the charger's DC power
 * stage, the car's battery, contactors and the control pilot state. Used by `ccsplc demo` and the tests. */
#ifndef CCSPLC_PHYSICS_H
#define CCSPLC_PHYSICS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- car battery: SoC counts stored energy; terminal voltage = OCV(SoC) + I * R ---- */
#define PHYS_OCV_POINTS 8

typedef struct {
    float capacity_wh;
    float soc;                     /* start, % */
    float target_soc;              /* charging complete at this SoC, % */
    float r_ohm;                   /* internal resistance */
    float max_a;                   /* accepted current below taper_soc */
    float taper_soc;               /* above it the accepted current falls linearly ... */
    float taper_min_a;             /* ... to this at 100 % */
    uint8_t npoints;               /* open-circuit voltage curve: SoC (%) -> V, increasing SoC */
    float ocv_soc[PHYS_OCV_POINTS], ocv_v[PHYS_OCV_POINTS];
} phys_battery_config;

typedef struct {
    phys_battery_config cfg;
    double soc;                    /* % */
    double stored_wh;              /* energy stored (OCV * I * dt) */
    double loss_wh;                /* I^2 * R * dt */
    float current_a;
} phys_battery;

/* 60 kWh, 96 cells in series, a typical NMC open-circuit curve (about 326-403 V), 0.1 ohm, 125 A, taper
 * from 80 % to 20 A at 100 %. */
void phys_battery_default(phys_battery_config *cfg);
void phys_battery_init(phys_battery *b, const phys_battery_config *cfg);
float phys_battery_ocv(const phys_battery *b);
float phys_battery_terminal_v(const phys_battery *b, float current_a);
/* The current the battery accepts now (0 once the target SoC is reached). */
float phys_battery_accept_a(const phys_battery *b);
int phys_battery_full(const phys_battery *b);
/* Charge with current_a for dt_ms. */
void phys_battery_step(phys_battery *b, float current_a, uint32_t dt_ms);

/* ---- charger DC power stage with an isolation monitor and an energy meter ---- */
typedef enum { PHYS_ISO_UNKNOWN, PHYS_ISO_VALID, PHYS_ISO_FAULT } phys_isolation;

typedef struct {
    float max_v, max_a, max_w;
    float ramp_v_per_s;            /* output voltage slew without a load (precharge, isolation test) */
    float ramp_a_per_s;            /* current slew */
    float discharge_v_per_s;       /* output voltage fall when off and unloaded */
    uint32_t isolation_ms;         /* duration of the isolation test */
    uint8_t isolation_fault;       /* the test finds a fault */
    uint8_t ac_phases;             /* AC supply (phys_ac.c) with this many phases; 0: the DC power stage */
    float ac_phase_v;              /* AC: phase voltage */
    float discharge_max_a;         /* bidirectional (BPT): the most the stage sinks from the car (AC: per phase); 0:
                                    * it cannot discharge */
    float discharge_max_w;         /* ... and its power limit doing so */
} phys_charger_config;

typedef struct {
    uint8_t output_on, isolation_check;   /* the isolation test: the output at target_v (no current) */
    float target_v, target_a;
} phys_charger_cmd;

typedef struct {
    phys_charger_config cfg;
    float v, i;
    uint32_t iso_elapsed_ms;
    phys_isolation isolation;
    double energy_wh;              /* metered at the output: V * I * dt while delivering (I > 0) */
    double returned_wh;            /* ... and -V * I * dt while the car discharges into it (I < 0, BPT) */
} phys_charger;

/* 500 V, 125 A, 50 kW, 1000 V/s, 100 A/s, 3 s isolation test; bidirectional: it sinks up to 100 A, 40 kW. */
void phys_charger_default(phys_charger_config *cfg);
void phys_charger_init(phys_charger *c, const phys_charger_config *cfg);
/* A new car: isolation unknown again. */
void phys_charger_reset(phys_charger *c);
/* One step. load: the battery when both sets of contactors are closed, else NULL. The battery is charged by
 * the same step; a negative target_a discharges it (within discharge_max_a/_w), a current's magnitude rises at
 * the ramp and falls (or reverses through 0) at once. */
void phys_charger_step(phys_charger *c, const phys_charger_cmd *cmd, phys_battery *load, uint32_t dt_ms);
/* A current i going to want: its magnitude rises by at most max_step, falls (or reverses, through 0) at once. */
float phys_ramp(float i, float want, float max_step);
/* Count wh at the output: delivered (>= 0) into energy_wh, returned (< 0) into returned_wh. */
void phys_charger_meter(phys_charger *c, double wh);

/* ---- AC: the charger switches the mains through (ac_phase_v on ac_phases phases) and signals a current limit
 * per phase (cmd target_a); the car's on-board charger (OBC) draws up to the smaller of that, its own limit and
 * what the battery accepts, and charges the battery with efficiency x the AC power. The charger's v, i and
 * meter are then the phase voltage, the phase current and the AC energy: metered x efficiency = stored +
 * battery losses. ---- */
typedef struct {
    float max_a;                   /* input current limit per phase */
    float efficiency;              /* DC power out / AC power in */
    float ramp_a_per_s;            /* current slew */
} phys_obc_config;

/* 3 x 230 V, 32 A per phase, 22 kW. */
void phys_charger_default_ac(phys_charger_config *cfg);
/* 16 A per phase (11 kW on three phases), 92 %, 10 A/s. */
void phys_obc_default(phys_obc_config *cfg);
/* One step of the AC supply; draw: the car wants current (OBC on). load as in phys_charger_step. A negative
 * target_a (BPT): the OBC feeds the grid that much per phase (at most its and the charger's discharge limit),
 * from the battery with the same efficiency (battery power = AC power / efficiency); metered as returned. */
void phys_ac_step(phys_charger *c, const phys_charger_cmd *cmd, const phys_obc_config *obc, int draw,
                  phys_battery *load, uint32_t dt_ms);

/* ---- contactors: switch after a delay; opening above max_break_a is counted (welding risk) ---- */
typedef struct {
    uint8_t closed;
    uint32_t delay_ms, pending_ms;
    float max_break_a;
    uint32_t opened_under_load;
} phys_contactor;

void phys_contactor_init(phys_contactor *k, uint32_t delay_ms, float max_break_a);
void phys_contactor_step(phys_contactor *k, int close, float current_a, uint32_t dt_ms);

/* ---- control pilot (IEC 61851-1): A unplugged, B plugged, C charging requested (S2 closed) ---- */
typedef enum { PHYS_CP_A, PHYS_CP_B, PHYS_CP_C } phys_cp_state;
phys_cp_state phys_cp_state_of(int plugged, int s2_closed);
float phys_cp_voltage(phys_cp_state s);   /* positive PWM level: 12, 9, 6 V */
char phys_cp_letter(phys_cp_state s);

#ifdef __cplusplus
}
#endif

#endif
