/* Session engine internals: what a protocol provides (codec glue, EVSE and PEV tables) and the engine's
 * helpers its handlers call. One sess_proto per protocol; the engine in sess_evse.c / sess_pev.c walks it. */
#ifndef CCSPLC_SESS_INTERNAL_H
#define CCSPLC_SESS_INTERNAL_H

#include "ccsplc/core/sess.h"
#include "sess_model.h"

/* What a handler tells the engine. */
enum {
    SESS_H_NEXT, /* done: go to the row's next state */
    SESS_H_STAY, /* Ongoing / loop: stay (PEV: repeat the request after repeat_ms) */
    SESS_H_FAIL, /* error: safe state, close (stop reason set by the handler) */
    SESS_H_END,  /* session ended normally */
};

typedef struct {
    const char *name;
    uint32_t timeout_ms;      /* EVSE: time allowed for the next request in this state */
} sess_state_info;

/* EVSE: in `state`, request `req` is handled by fn, then the session goes to `next`. The response document
 * is prepared (header, body type, ResponseCode OK) before fn runs. */
typedef sess_evse_step *sess_evse_fn;
typedef struct {
    uint8_t state, req, next;
    sess_evse_fn fn;
} sess_evse_row;

/* PEV: state `state` sends request `req` built by build (which may answer STAY: not ready to send yet, look again
 * after repeat_ms); its response goes to handle; NEXT goes to `next`.
 * msg_timeout: V2G_EVCC_Msg_Timeout of the request; state_timeout: limit on repeating it (0: none). */
typedef sess_pev_step *sess_pev_fn;
typedef struct {
    uint8_t state, req, next;
    sess_pev_fn build, handle;
    uint32_t msg_timeout_ms, state_timeout_ms;
    const char *name;
} sess_pev_row;

struct sess_proto {
    const char *name;          /* command-line name */
    const char *ns;            /* SupportedAppProtocol namespace */
    uint32_t major, minor;
    int (*decode)(const uint8_t *buf, size_t len, void *doc, struct exi_error *err);   /* err may be NULL */
    int (*encode)(const void *doc, uint8_t *buf, size_t cap, size_t *len);
    int (*msg_of)(const void *doc);                           /* message id, or -1 */
    const char *(*msg_name)(int msg);
    int (*response_of)(int req);                              /* the response to a request id */
    const uint8_t *(*session_id)(const void *doc, size_t *len);
    /* Zero doc and make it message `msg` with the given SessionID (and ResponseCode OK for a response). */
    void (*start)(void *doc, int msg, const uint8_t *sid, size_t sid_len);
    void (*set_code)(void *doc, int generic_code);            /* SESS_RC_* into the response */
    int (*get_code)(const void *doc);                          /* the protocol's ResponseCode value */
    void (*evse_safe_fields)(sess_evse *s, void *doc);        /* fill an error response's status fields */
    int msg_session_setup;
    /* Optional, for a protocol with one codec per V2GTP payload type (ISO 15118-20); NULL: every message is
     * V2GTP_EXI and goes through decode/encode. decode_typed decodes a payload of the given type (an error for a
     * type the protocol has no codec for), payload_type names a document's. */
    int (*decode_typed)(uint16_t payload_type, const uint8_t *buf, size_t len, void *doc, struct exi_error *err);
    uint16_t (*payload_type)(const void *doc);
    /* Optional: the header's time stamp of a document just started (ISO 15118-20 TimeStamp, Unix seconds). */
    void (*stamp)(void *doc, uint64_t unix_s);
    /* Optional: the state a NEXT leads to when it depends on the session (e.g. ISO 15118-2 AC or DC);
     * NULL: the row's next. */
    uint8_t (*evse_next)(const sess_evse *s, const sess_evse_row *row);
    uint8_t (*pev_next)(const sess_pev *p, const sess_pev_row *row);
    /* The DC mapper (sess_model.h): the request in docs->rx into m (m->soc -1 and the rest zero before), and the
     * response m into docs->tx (its ResponseCode included). */
    void (*evse_dc_in)(sess_evse *s, sess_dc *m);
    void (*evse_dc_out)(sess_evse *s, const sess_dc *m);
    /* PEV: the request m into docs->tx (started); the response in docs->rx into m (zero before). */
    void (*pev_dc_out)(sess_pev *p, const sess_dc *m);
    void (*pev_dc_in)(sess_pev *p, sess_dc *m);
    uint8_t can_pause;         /* SessionStop can pause (ISO 15118-2, -20): the car's pause_request ends a loop */
    uint16_t service_payload;  /* with decode_typed: the payload type codec_dc names (ISO-20 DC 0x8004, AC 0x8003);
                                * next to can_pause, in the padding before the pointers */
    /* Codec names (sess_codec_name) of its V2GTP_EXI messages, or of 0x8002 / service_payload with decode_typed. */
    const char *codec, *codec_dc;
    /* The tables (SESS_PROTO_TABLES); both start in state 0, SessionSetup. */
    uint8_t evse_nstates, evse_nrows;
    const sess_state_info *evse_states;
    const sess_evse_row *evse_rows;
    uint8_t pev_nrows;
    const sess_pev_row *pev_rows;
};

/* The members of a sess_proto every protocol fills alike: its SESS_PROTO_DECLS functions (prefix x), and its
 * tables of the roles built: the charger's states and rows, the car's rows (arrays). */
#define SESS_PROTO_GLUE(x)                                                                                     \
    .decode = x##_glue_decode, .encode = x##_glue_encode, .msg_of = x##_msg_of, .msg_name = x##_msg_name,      \
    .response_of = x##_response_of, .session_id = x##_session_id, .start = x##_start, .set_code = x##_set_code, \
    .get_code = x##_get_code, SESS_PROTO_EVSE_GLUE_(x) SESS_PROTO_PEV_GLUE_(x)
#define SESS_N(array) (uint8_t)(sizeof array / sizeof array[0])
#if CCS_ROLE_EVSE
#define SESS_PROTO_EVSE_GLUE_(x)                                                                               \
    .evse_safe_fields = x##_evse_safe_fields, .evse_dc_in = x##_evse_dc_in, .evse_dc_out = x##_evse_dc_out,
#define SESS_PROTO_EVSE_TABLES_(states, rows)                                                                  \
    .evse_nstates = SESS_N(states), .evse_nrows = SESS_N(rows), .evse_states = states, .evse_rows = rows,
#else
#define SESS_PROTO_EVSE_GLUE_(x)
#define SESS_PROTO_EVSE_TABLES_(states, rows)
#endif
#if CCS_ROLE_PEV
#define SESS_PROTO_PEV_GLUE_(x) .pev_dc_out = x##_pev_dc_out, .pev_dc_in = x##_pev_dc_in,
#define SESS_PROTO_PEV_TABLES_(rows) .pev_nrows = SESS_N(rows), .pev_rows = rows,
#else
#define SESS_PROTO_PEV_GLUE_(x)
#define SESS_PROTO_PEV_TABLES_(rows)
#endif
#define SESS_PROTO_TABLES(evse_states, evse_rows, pev_rows)                                                    \
    SESS_PROTO_EVSE_TABLES_(evse_states, evse_rows) SESS_PROTO_PEV_TABLES_(pev_rows)

/* AC (ISO 15118-2) takes another way through a DC table: the state `to` of each {from, to} pair of map stands for
 * `from`; other states stay (sess_common.c). */
uint8_t sess_state_map(const uint8_t (*map)[2], uint8_t n, uint8_t state);

/* EVSE helpers for handlers. */
void sess_evse_safe(sess_evse *s, sess_stop_reason why);
/* A fresh SessionID of cfg.session_id_len bytes (cfg.rng, or a counter), never all zero. */
void sess_evse_new_session_id(sess_evse *s);
/* DC output commands (sess_evse_dc.c), from s->ev_target_v/_a, never negative nor beyond a limit. PreCharge:
 * contactors closed, output at the car's voltage with at most the precharge current. CurrentDemand: within the
 * charger's current and power (at the present voltage) and the car's maximum voltage and current (pass the
 * charger's maximum when the car sent none); hit says which limits the car's targets reached. */
void sess_evse_dc_precharge(sess_evse *s);
void sess_evse_dc_demand(sess_evse *s, float ev_max_v, float ev_max_a, sess_dc_achieved *hit);
/* The car's maximum voltage from ChargeParameterDiscovery (kept when it is a plausible positive number). */
void sess_evse_dc_ev_max(sess_evse *s, float ev_max_v);
/* IEC 61851-23 overvoltage protection: the measured output above the highest voltage for this car (ours, and the
 * car's maximum) by more than the measurement tolerance: stop "overvoltage", output off, SESS_H_FAIL (the session
 * ends safe); else SESS_H_NEXT. A car may claim a battery above both maxima (Josev's precharged to 20 kV). */
int sess_evse_dc_overvoltage(sess_evse *s);
/* The charge loop's progress (DC): SESS_H_NEXT while current flows (or the car asks for none); after
 * cfg.no_progress_ms without: stop "no progress", the charger's status SHUTDOWN (StopCharging, no current), still
 * NEXT; as long again (the car ignored it): SESS_H_FAIL. */
int sess_evse_dc_progress(sess_evse *s, uint32_t now);
/* Steps ISO-2 and ISO-20 share (sess_steps.c). session_begin: the paused session's SessionID when sid is it
 * (returns 1: joined), else a new one. pause: keep the SessionID for a resume, stop reason Paused. ongoing: 1 (and
 * counted) while in `state` fewer than `times` Ongoing answers were given. fault: emergency and malfunction are
 * SESS_H_FAIL with the stop reason set, a shutdown delivers no more current. dc_isolation: CableCheck's verdict
 * (SESS_H_STAY while the monitor runs at the test voltage and until the output is below
 * SESS_EVSE_CABLE_CHECK_SAFE_V again, FAIL on a fault). dc_off: WeldingDetection's output off. */
int sess_evse_session_begin(sess_evse *s, const uint8_t *sid, size_t len);
void sess_evse_pause(sess_evse *s);
int sess_evse_ongoing(sess_evse *s, uint8_t state, uint8_t times);
int sess_evse_fault(sess_evse *s);
int sess_evse_dc_isolation(sess_evse *s);
void sess_evse_dc_off(sess_evse *s);
/* ReceiptRequired in a charge-loop response (ISO 15118-2): every cfg.receipt_interval_ms of charging. */
int sess_evse_receipt_due(const sess_evse *s, uint32_t now);

/* PEV helpers for handlers. */
void sess_pev_safe(sess_pev *p, sess_stop_reason why);
/* precharged: SESS_H_NEXT (contactors closed) once the charger's voltage p->evse_v matches the battery's, else
 * STAY. loop_stopping: whether a charging loop ends after a response checked as h (the charger's stop request
 * is SESS_H_END), with the stop reason of a user's stop or pause. power_off: no more current asked, CP state B. */
int sess_pev_precharged(sess_pev *p);
int sess_pev_loop_stopping(sess_pev *p, int h);
/* The car ends its charging loop: battery full, the user's stop, or pause where the protocol can pause. */
int sess_pev_stopping(const sess_pev *p);
void sess_pev_power_off(sess_pev *p);
/* The builder of a request with no body to fill (DIN ContractAuthenticationReq and SessionStopReq, ISO-2
 * AuthorizationReq under EIM and ChargingStatusReq, ISO-20 AuthorizationSetupReq and ServiceDiscoveryReq). */
sess_pev_step sess_pev_build_empty;
/* After SessionStop: a paused session's SessionID kept for the next SessionSetupReq. */
void sess_pev_keep_paused(sess_pev *p);

/* The car's checks of what the charger reports (sess_pev_check.c). */
/* The charger's limits from ChargeParameterDiscoveryRes: every one finite and not negative, and (final: the
 * response the car goes on with) a voltage range that holds the battery's voltage; kept in p->evse_max_*, NEXT. Else
 * the safe state, stop "charger limits", FAIL. */
int sess_pev_take_limits(sess_pev *p, const sess_evse_limits *l, int final);
/* The current a charging-loop request asks for (kept as p->target_a): what the battery accepts, at most the car's
 * maximum; 0 when stopping. */
float sess_pev_ask_a(sess_pev *p, int stopping);
/* The charger's present values p->evse_v (and, charging, p->evse_a against the request p->target_a) at `now`: a
 * stop reason, or SESS_STOP_NONE. */
sess_stop_reason sess_pev_check_present(sess_pev *p, int charging, uint32_t now);
/* PreCharge: the check, then sess_pev_precharged; a violation is the safe state (FAIL; the contactors are open). */
int sess_pev_precharge_check(sess_pev *p, uint32_t now);
/* A charging-loop cycle whose check gave `why`: 0 for SESS_STOP_NONE; else 1: the stop reason set, out.safe, no
 * more current asked (CP state B); the loop then ends the protocol's way (PowerDelivery(stop), WeldingDetection
 * once the current has fallen, SessionStop) and the session ends SAFE. */
int sess_pev_loop_fault(sess_pev *p, sess_stop_reason why);
/* DC_EVErrorCode for the car's status after such a stop: DIN 70121's DC_EVErrorCodeType values, the same in
 * ISO 15118-2 (both checked in pv_dc_map.h). */
enum {
    SESS_EVERR_NONE = 0,          /* NO_ERROR */
    SESS_EVERR_CURRENT = 5,       /* FAILED_ChargingCurrentdifferential */
    SESS_EVERR_VOLTAGE = 6,       /* FAILED_ChargingVoltageOutOfRange */
    SESS_EVERR_INCOMPATIBLE = 10, /* FAILED_ChargingSystemIncompatibility */
};
int sess_pev_ev_error(const sess_pev *p);

/* Bidirectional power transfer (sess_bpt.c). The car (p->bpt: the BPT service selected): discharging until its
 * SoC (whole percent) is below cfg.discharge_soc for the first time; the current it asks then (negative: at most its
 * and the charger's discharge limits, 0 when not discharging); the energy it asks for (while discharging, the
 * negative energy down to the set SoC; else in.energy_request_wh). The charger (s->bpt, the car's target
 * s->ev_target_a negative): the current it sinks, within its discharge current and power (at present_v) and the
 * car's discharge maximum; hit: which of its limits the request reached. */
/* Only ISO 15118-20 has BPT: without it (the car firmware's profile) the checks fold away (SESS_BPT(x) is 0). */
#define SESS_BPT(x) (CCS_PROTO_ISO20 && (x)->bpt)
#if CCS_PROTO_ISO20
int sess_pev_bpt_discharging(const sess_pev *p);
void sess_pev_bpt_update(sess_pev *p);   /* each charging-loop request: the end of discharging noted */
float sess_pev_bpt_ask_a(sess_pev *p);
float sess_pev_bpt_energy_wh(const sess_pev *p);
float sess_evse_bpt_discharge_a(const sess_evse *s, float present_v, sess_dc_achieved *hit);
#else
static inline int sess_pev_bpt_discharging(const sess_pev *p) { return (void)p, 0; }
static inline void sess_pev_bpt_update(sess_pev *p) { (void)p; }
static inline float sess_pev_bpt_ask_a(sess_pev *p) { return (void)p, 0.0f; }
static inline float sess_evse_bpt_discharge_a(const sess_evse *s, float present_v, sess_dc_achieved *hit)
{
    return (void)s, (void)present_v, (void)hit, 0.0f;
}
#endif

/* SupportedAppProtocol (sess_sap.c). EVSE: answer the request in docs->rx.app into docs->tx.app; returns the
 * chosen protocol or NULL. PEV: build the request; read the response (the agreed protocol or NULL). */
const sess_proto *sess_sap_choose(const sess_proto *const *protos, uint8_t n, const struct app_exiDocument *req,
                                  struct app_exiDocument *res);
void sess_sap_offer(const sess_proto *const *protos, uint8_t n, struct app_exiDocument *req);
const sess_proto *sess_sap_agreed(const sess_proto *const *protos, uint8_t n, const struct app_exiDocument *res);

/* PhysicalValue (Value x 10^Multiplier, Value an int16) <-> float, shared by DIN and ISO-2 (sess_pv.c): the
 * smallest multiplier (>= -1) that keeps Value in int16 range. */
void sess_pv_scale(float x, int8_t *multiplier, int16_t *value);
float sess_pv_value(int8_t multiplier, int16_t value);

/* Encode docs->tx (app when proto is NULL) into tx as one V2GTP message of the document's payload type. */
int sess_pack(const sess_proto *proto, const void *doc, uint8_t *tx, size_t cap, size_t *tx_len);
/* Decode a payload of the given V2GTP type with the protocol's codec for it (V2GTP_EXI only, unless the
 * protocol has decode_typed). 0 or CCS_E*; err (may be NULL) gets the decoder's error. */
int sess_decode(const sess_proto *proto, uint16_t payload_type, const uint8_t *buf, size_t len, void *doc,
                struct exi_error *err);
/* The refused message in *b: what was wrong, its type and length (the decoder's error is in b->exi, or none). */
void sess_bad(sess_bad_msg *b, const char *what, uint16_t payload_type, size_t len);
/* Make doc message `msg` (proto->start) and stamp its header, where the protocol has a time stamp, with the Unix
 * time clock_unix_s + now_ms / 1000. */
void sess_start(const sess_proto *proto, void *doc, int msg, const uint8_t *sid, size_t sid_len, uint64_t clock_unix_s,
                uint32_t now_ms);

/* What every protocol provides for its sess_proto: the codec glue (<p>_glue.c), the error response's fields and
 * the DC mapper (<p>_map.c). Each <p>_internal.h declares them with SESS_PROTO_DECLS(p). */
#define SESS_PROTO_DECLS(x)                                                                                    \
    int x##_glue_decode(const uint8_t *buf, size_t len, void *doc, struct exi_error *err);                     \
    int x##_glue_encode(const void *doc, uint8_t *buf, size_t cap, size_t *len);                               \
    int x##_msg_of(const void *doc);                                                                           \
    const char *x##_msg_name(int msg);                                                                         \
    int x##_response_of(int req);                                                                              \
    const uint8_t *x##_session_id(const void *doc, size_t *len);                                               \
    void x##_start(void *doc, int msg, const uint8_t *sid, size_t sid_len);                                    \
    void x##_set_code(void *doc, int generic_code);                                                            \
    int x##_get_code(const void *doc);                                                                         \
    void x##_evse_safe_fields(sess_evse *s, void *doc);                                                        \
    void x##_evse_dc_in(sess_evse *s, sess_dc *m);                                                             \
    void x##_evse_dc_out(sess_evse *s, const sess_dc *m);                                                      \
    void x##_pev_dc_out(sess_pev *p, const sess_dc *m);                                                        \
    void x##_pev_dc_in(sess_pev *p, sess_dc *m);

#endif
