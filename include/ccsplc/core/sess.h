/* V2G charging sessions, sans-I/O: the charger (EVSE/SECC) and car (PEV/EVCC) state machines over one engine
 * with one message table per protocol (DIN 70121, ISO 15118-2, ISO 15118-20 DC), SupportedAppProtocol, the
 * standards' timers and the safe states. Caller-owned state; EXI documents in a caller-owned sess_docs; time
 * comes in as now_ms. */
#ifndef CCSPLC_SESS_H
#define CCSPLC_SESS_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/config.h"
#include "ccsplc/core/exi.h"
#include "ccsplc/core/gen/app.h"
#if CCS_PROTO_DIN
#include "ccsplc/core/gen/din.h"
#endif
#if CCS_PROTO_ISO2
#include "ccsplc/core/gen/iso2.h"
#endif
#if CCS_PROTO_ISO20
#include "ccsplc/core/gen/iso20.h"
#include "ccsplc/core/gen/iso20_dc.h"
#endif
#if CCS_PROTO_ISO20 && CCS_PROTO_ISO20_AC
#include "ccsplc/core/gen/iso20_ac.h"
#endif
#include "ccsplc/core/pnc.h"
#include "ccsplc/core/pnc_certinst.h"
#include "ccsplc/core/slac.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- timers (ms), named as in DIN 70121 / ISO 15118-2 ---- */
#define SESS_EVCC_MSG_TIMEOUT_MS 2000u                /* V2G_EVCC_Msg_Timeout: car waits for a response */
#define SESS_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_MS 250u  /* V2G_EVCC_Msg_Timeout for CurrentDemand */
#define SESS_EVCC_MSG_TIMEOUT_LONG_MS 5000u           /* ISO 15118-2 V2G_EVCC_Msg_Timeout of PowerDelivery,
                                                       * ServiceDetail (and PaymentDetails, Certificate*) */
#define SESS_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS 20000u /* V2G_EVCC_CommunicationSetup_Timeout: TCP up ->
                                                         * SessionSetupRes */
#define SESS_EVCC_ONGOING_TIMEOUT_MS 60000u           /* V2G_EVCC_Ongoing_Timeout: repeated "Ongoing" answers */
#define SESS_EVCC_CABLE_CHECK_TIMEOUT_MS 40000u       /* V2G_EVCC_CableCheck_Timeout */
#define SESS_EVCC_PRECHARGE_TIMEOUT_MS 7000u          /* V2G_EVCC_PreCharge_Timeout */
#define SESS_SECC_SEQUENCE_TIMEOUT_MS 60000u          /* V2G_SECC_Sequence_Timeout: charger waits for the next
                                                       * request (ISO 15118-20 Table 215 too) */
/* ISO 15118-20 values that differ from the above: Table 217 (DC, as cited by interop reports found with the
 * search tool); PreCharge as transcribed by the iso15118 project's timeouts.py (see docs/sessions.md). */
#define SESS_ISO20_MSG_TIMEOUT_CHARGE_LOOP_MS 500u    /* V2G_EVCC_Msg_Timeout of DC_ChargeLoopReq (Table 217) */
#define SESS_ISO20_SEQUENCE_TIMEOUT_CHARGE_LOOP_MS 500u /* V2G_SECC_Sequence_Timeout after DC_ChargeLoopRes
                                                         * (Table 217, [V2G20-1502]) */
#define SESS_ISO20_PRECHARGE_TIMEOUT_MS 10000u        /* V2G_EVCC_PreCharge_Timeout */
#define SESS_ISO20_NOTICE_DELAY_S 10u                  /* NotificationMaxDelay we send with an EVSENotification (the
                                                        * standard leaves the value to the charger; ours) */

/* ---- field-proven defaults ---- */
#define SESS_PEV_REPEAT_MS 100u            /* car's pause before repeating a request (Ongoing, loops) */
#define SESS_PEV_CONTACTOR_OPEN_A 5.0f     /* car opens its contactors only below this current */
#define SESS_PEV_CURRENT_DROP_MS 5000u     /* after PowerDelivery(stop), the car waits this long at most for the
                                            * current to fall and its contactors to open before WeldingDetection */
#define SESS_PEV_PRECHARGE_TOLERANCE_V 10.0f /* PreCharge done when |EVSE voltage - battery voltage| is below */
#define SESS_EVSE_PRECHARGE_MAX_A 2.0f     /* DIN 70121: PreCharge current at most 2 A */
#define SESS_EVSE_CABLE_CHECK_SAFE_V 60.0f /* IEC 61851-23:2023 CC.4.1.2: after the insulation test the output is
                                            * below this before CableCheck says Finished */
#define SESS_EVSE_PROGRESS_A 1.0f          /* a charge makes progress while at least this flows (or the car asks
                                            * for less) */
#define SESS_EVSE_NO_PROGRESS_MS 10000u    /* charger: no progress this long in the charge loop: it asks the car to
                                            * stop (EVSE_Shutdown); as long again: FAILED. Ours (the standards have
                                            * no timer for it): seconds above a power stage's ramp */

/* ---- the car's checks of what the charger reports (sess_pev_check.c, docs/sessions.md) ---- */
#define SESS_PEV_CURRENT_TOLERANCE_A 2.5f  /* IEC 61851-23 current control in CC mode: within 2.5 A of the request */
#define SESS_PEV_CURRENT_TOLERANCE 0.05f   /* ... or 5 % of it above 50 A */
#define SESS_PEV_VOLTAGE_TOLERANCE_V SESS_PEV_PRECHARGE_TOLERANCE_V /* the charger's voltage measurement against
                                                                     * the car's, as in PreCharge */
#define SESS_PEV_CURRENT_FOLLOW_MS 1000u   /* a charger may stay above a lowered request this long (its response) */
#define SESS_PEV_NO_CURRENT_MS SESS_EVCC_ONGOING_TIMEOUT_MS /* asked for current, none flows: stop after this */

/* Every protocol built, ISO-20 with two (DC, AC), and room for more ISO-20 services; 4 without ISO-20. */
#define SESS_MAX_PROTOS (CCS_PROTO_ISO20 ? 6 : 4)
/* Largest message we send, V2GTP header included: with Plug & Charge a PaymentDetailsReq carries the contract
 * chain (5 certificates of at most 800 bytes), a CertificateInstallationRes two chains and a Signature. */
#define SESS_TX_CAP (CCS_PNC ? 8192 : 1024)
#define SESS_SESSION_ID_MAX 8

/* A protocol's message tables and codec glue (opaque). */
typedef struct sess_proto sess_proto;
/* The protocols built (CCS_PROTO_DIN, _ISO2, _ISO20 in ccsplc/core/config.h). */
#if CCS_PROTO_DIN
extern const sess_proto sess_proto_din;    /* DIN 70121 DC */
#endif
#if CCS_PROTO_ISO2
extern const sess_proto sess_proto_iso2;   /* ISO 15118-2 DC and AC, external identification or Plug & Charge */
#endif
#if CCS_PROTO_ISO20
extern const sess_proto sess_proto_iso20;  /* ISO 15118-20 DC with external identification, without TLS */
#if CCS_PROTO_ISO20_AC
extern const sess_proto sess_proto_iso20_ac; /* ISO 15118-20 AC (single- and three-phase), EIM, without TLS */
#endif
#endif
const char *sess_proto_name(const sess_proto *p);
/* The registry of protocols by name ("din", "iso2", "iso2-dc", "iso2-ac", "iso20", "iso20-dc", "iso20-ac",
 * "iso20-dc-bpt", "iso20-ac-bpt"), NULL when unknown. */
const sess_proto *sess_proto_find(const char *name);
/* 1 when the name asks the car to charge AC ("iso2-ac", "iso20-ac", "iso20-ac-bpt": set sess_pev_config.ac). */
int sess_proto_ac(const char *name);
/* 1 for ISO 15118-20's bidirectional services ("iso20-dc-bpt", "iso20-ac-bpt": the protocol of iso20-dc / iso20-ac,
 * the car discharging first: set sess_pev_config.discharge_soc, the charger's discharge_max_a). */
int sess_proto_bpt(const char *name);

#if CCS_PROTO_ISO20
/* An ISO 15118-20 message: one codec per V2GTP payload type, CommonMessages (V2GTP_ISO20_MAIN), DC
 * (V2GTP_ISO20_DC) or AC (V2GTP_ISO20_AC); payload_type says which member holds it. */
struct sess_iso20_doc {
    uint16_t payload_type;
    union {
        struct iso20_exiDocument common;
        struct iso20_dc_exiDocument dc;
#if CCS_PROTO_ISO20_AC
        struct iso20_ac_exiDocument ac;
#endif
    };
};
#endif

/* The documents of a session, caller-owned: the decoded request/response and the one being built, each the
 * largest document of the protocols built. Its size follows the profile (docs/porting.md "Profiles"): about
 * 243 KB with every protocol and the full capacities (the host), 7.7 KB for the car profile on Cortex-M4; keep it
 * static (or on the heap on a host), never on a small stack. */
typedef struct {
    union {
        struct app_exiDocument app;
#if CCS_PROTO_DIN
        struct din_exiDocument din;
#endif
#if CCS_PROTO_ISO2
        struct iso2_exiDocument iso2;
#endif
#if CCS_PROTO_ISO20
        struct sess_iso20_doc iso20;
#endif
    } rx, tx;
#if CCS_PNC
    /* Plug & Charge: the signed element and SignedInfo as EXI fragments, and their bytes (ISO 15118-20's signed
     * element holds the contract chain: up to CCS_PNC_CHAIN_MAX certificates) */
    struct {
        union {
            struct iso2_exiFragment frag;
            struct iso2_xmldsigFragment dsig;
#if CCS_PROTO_ISO20
            struct iso20_exiFragment frag20;
            struct iso20_xmldsigFragment dsig20;
#endif
        };
        /* ISO-20's PnC_AReqAuthorizationMode with its P-521 chain; ISO-2's CertificateUpdateReq or
         * ContractSignatureCertChain: up to 5 certificates */
        uint8_t bytes[CCS_PROTO_ISO20 ? 8704 : 4608];
    } sig;
#endif
} sess_docs;

typedef enum {
    SESS_STOP_NONE,
    SESS_STOP_NORMAL,          /* SessionStop after a completed charge */
    SESS_STOP_NO_PROTOCOL,     /* SupportedAppProtocol found no common protocol */
    SESS_STOP_SEQUENCE,        /* request out of order (EVSE) / FAILED_SequenceError (PEV) */
    SESS_STOP_UNKNOWN_SESSION, /* wrong SessionID */
    SESS_STOP_FAILED,          /* a FAILED response code */
    SESS_STOP_EVSE_SHUTDOWN,   /* EVSE_Shutdown or StopCharging notification */
    SESS_STOP_EVSE_EMERGENCY,  /* EVSE_EmergencyShutdown */
    SESS_STOP_EVSE_MALFUNCTION,/* EVSE_Malfunction */
    SESS_STOP_ISOLATION,       /* isolation fault in CableCheck */
    SESS_STOP_TIMEOUT,         /* a timer of the table expired */
    SESS_STOP_DISCONNECT,      /* TCP closed by the peer */
    SESS_STOP_BAD_MESSAGE,     /* undecodable or unexpected message */
    SESS_STOP_EV_ERROR,        /* the car reported an error / not ready */
    SESS_STOP_USER,            /* stop asked for locally (car's user, charger's button) */
    SESS_STOP_PAUSED,          /* ISO 15118-2 SessionStop(Pause): ended, resumable with the same SessionID */
    SESS_STOP_NO_PROGRESS,     /* the charge made no progress: no current flowed although the car asked for it
                                * (charger: SESS_EVSE_NO_PROGRESS_MS; car: SESS_PEV_NO_CURRENT_MS) */
    /* The car's checks of what the charger reports (PEV): */
    SESS_STOP_EVSE_LIMITS,     /* ChargeParameterDiscovery: impossible limits (negative, non-finite, a voltage range
                                * without the battery's voltage) */
    SESS_STOP_IMPLAUSIBLE,     /* a present value not finite, or a negative voltage */
    SESS_STOP_OVERVOLTAGE,     /* present voltage above the car's maximum (charger: its output above ours or the car's) */
    SESS_STOP_OVERCURRENT,     /* present current above the car's maximum, or above its request for too long */
    SESS_STOP_REVERSE_CURRENT, /* negative present current while charging */
    SESS_STOP_NO_RANDOM,       /* the random hook failed (charger: no SessionID): closed without a response */
    SESS_STOP_NO_OFFER,        /* car: the charger's OK response offers nothing it can use (payment or authorization,
                                * energy service or transfer mode, an ISO-20 parameter set or schedule) */
} sess_stop_reason;
const char *sess_stop_name(sess_stop_reason r);

/* Why an engine refused the peer's last message (stop reason "bad message"), for logs: what was wrong, and for an
 * undecodable one the decoder's error (exi.code: the CCS_E* code, its bit offset, grammar state and field in the
 * codec of payload_type; sess_codec_name). */
typedef struct {
    const char *what;          /* "undecodable", "not a request", ...; NULL: nothing refused */
    uint16_t payload_type;     /* its V2GTP payload type */
    size_t len;                /* its payload length */
    struct exi_error exi;      /* exi.code 0: it decoded */
} sess_bad_msg;
/* The name of the EXI codec (as `ccsplc exi -p` knows it) of a payload of this type in this protocol (NULL:
 * SupportedAppProtocol): "app", "din", "iso2", "iso20-common", "iso20-dc"; NULL when it has none. */
const char *sess_codec_name(const sess_proto *p, uint16_t payload_type);
/* The SupportedAppProtocol namespace and version of a protocol. */
const char *sess_proto_namespace(const sess_proto *p, uint32_t *major, uint32_t *minor);

/* Engine phase, the same for every protocol (the protocol's own state is in .state). */
typedef enum { SESS_IDLE, SESS_HANDSHAKE, SESS_RUNNING, SESS_DONE, SESS_SAFE } sess_phase;

/* ---------------- EVSE (charger, SECC) ---------------- */

typedef enum { SESS_ISO_UNKNOWN, SESS_ISO_VALID, SESS_ISO_WARNING, SESS_ISO_FAULT } sess_isolation;
typedef enum { SESS_EVSE_OK, SESS_EVSE_SHUTDOWN, SESS_EVSE_EMERGENCY, SESS_EVSE_MALFUNCTION } sess_evse_status;
/* ISO 15118-20: what the charger asks of the car in the EVSEStatus of its charge-loop responses (EVSENotification
 * with NotificationMaxDelay): Terminate (stop: PowerDelivery Stop, SessionStop Terminate), Pause (PowerDelivery
 * Stop, SessionStop Pause), ScheduleRenegotiation (PowerDelivery ScheduleRenegotiation, ScheduleExchange, back to
 * the charge loop), ExitStandby (a car in Standby: PowerDelivery Start), ServiceRenegotiation (PowerDelivery Stop,
 * SessionStop ServiceRenegotiation, ServiceDiscovery again in the same session; with cfg.service_renegotiation). */
typedef enum {
    SESS_NOTICE_NONE, SESS_NOTICE_TERMINATE, SESS_NOTICE_PAUSE, SESS_NOTICE_RENEGOTIATE, SESS_NOTICE_EXIT_STANDBY,
    SESS_NOTICE_SERVICE_RENEGOTIATION
} sess_notice;

typedef struct {
    const sess_proto *protos[SESS_MAX_PROTOS]; /* enabled, in our order of preference for equal priorities */
    uint8_t nprotos;
    uint8_t evse_id[32];
    uint8_t evse_id_len;
    uint8_t session_id_len;    /* 8; 4 like a Tesla Supercharger */
    uint8_t auth_ongoing;      /* answer ContractAuthentication "Ongoing" this many times first */
    uint8_t cpd_ongoing;       /* the same for ChargeParameterDiscovery */
    uint8_t require_ev_limits; /* refuse a CurrentDemandReq without EVMaximum* limits (some chargers do) */
    float max_v, max_a, max_w, min_v, min_a;
    float current_tolerance_a, peak_ripple_a;
    float precharge_max_a;
    uint32_t no_progress_ms;   /* stop a charge without progress after this long (SESS_EVSE_NO_PROGRESS_MS; 0: never) */
    /* ISO 15118-2 */
    uint8_t offer_dc, offer_ac;  /* energy transfer modes offered (ServiceDiscovery) */
    float ac_nominal_v, ac_max_a;/* AC: phase voltage, current limit per phase */
    /* ISO 15118-20 bidirectional (BPT): what the power stage sinks from a discharging car (DC; AC discharges within
     * ac_max_a); discharge_max_a 0: it cannot discharge, DC_BPT / AC_BPT are not offered */
    float discharge_max_a, discharge_max_w;
    uint32_t receipt_interval_ms;/* ask for a MeteringReceipt this often while charging (0: never) */
    uint64_t clock_unix_s;     /* Unix time (s) at now_ms 0, from the platform: ISO 15118-20 header TimeStamp =
                                * clock_unix_s + now_ms / 1000 (0: the engine's seconds), and the TimeAnchor of a
                                * schedule */
    uint8_t vas;               /* ISO 15118-20 value-added services offered (SESS_VAS_* bits; 0: none) */
    uint16_t notice_delay_s;   /* ISO 15118-20 NotificationMaxDelay sent with in.notice (SESS_ISO20_NOTICE_DELAY_S):
                                * a car that has not honoured it this long after is stopped (FAILED, safe) */
    uint8_t service_renegotiation; /* ISO 15118-20 service renegotiation supported (ServiceRenegotiationSupported;
                                * default 1): a car's SessionStop ServiceRenegotiation after PowerDelivery Stop goes
                                * back to ServiceDiscovery, SESS_NOTICE_SERVICE_RENEGOTIATION is sent; 0: refused
                                * (FAILED_NoServiceRenegotiationSupported, safe), the notice not sent */
    ccs_random_fn rng;         /* SessionID and GenChallenge; NULL: counts up from 1 (and no Plug & Charge); failing:
                                * SESS_STOP_NO_RANDOM, CCS_ERANDOM */
    void *rng_ctx;
    const ccs_pnc_checker *pnc;/* Plug & Charge: ISO 15118-2 Contract payment, ISO 15118-20 PnC identification offered
                                * on TLS connections, contracts checked with it (NULL: external identification only) */
    const char *const *providers;/* ISO 15118-20 PnC: the eMSPs whose contracts are accepted (SupportedProviders of
                                 * AuthorizationSetupRes), nproviders of them; 0: the list is not sent */
    uint8_t nproviders;
    const ccs_pnc_cps *cps;    /* ISO 15118-2 CertificateInstallation / CertificateUpdate (with pnc; NULL: none) */
} sess_evse_config;

/* Measurements, set by the caller before each call. */
typedef struct {
    float present_v, present_a;
    sess_isolation isolation;   /* result of the isolation check (CableCheck) */
    sess_evse_status status;    /* the charger's own state (e.g. emergency button); the engine raises OK to
                                 * SHUTDOWN itself when it ends a charge without progress */
    uint64_t meter_wh;          /* the charger's energy meter (ISO 15118-2 MeterInfo) */
    uint64_t meter_returned_wh; /* ... the energy a discharging car returned (ISO 15118-20 BPT) */
    uint8_t notice;             /* ISO 15118-20: a sess_notice for the car (a local stop, a pause, a new schedule, the
                                 * end of the car's Standby); the engine clears it once the car has honoured it */
} sess_evse_input;

/* Commands for the power stage and contactors: levels, re-read after each call. */
typedef struct {
    uint8_t safe;               /* safe state: current 0, output off, contactors open */
    uint8_t contactors_closed;
    uint8_t output_on;
    uint8_t isolation_check;    /* run the isolation monitor, the output at target_v (the test voltage) */
    float target_v, target_a;   /* regulate to target_v with at most target_a */
} sess_evse_output;

typedef struct {
    sess_evse_config cfg;
    sess_docs *docs;
    const sess_proto *proto;    /* negotiated; NULL before */
    sess_phase phase;
    uint8_t state;              /* row state in the protocol's EVSE table */
    uint8_t ongoing;            /* Ongoing answers given in this state */
    uint8_t close;              /* close the TCP connection after sending tx */
    uint8_t session_id[SESS_SESSION_ID_MAX], session_id_len;
    uint8_t evccid[20], evccid_len;
    uint8_t evccid_text;        /* ISO-20: evccid holds the car's identifier text (our car: its MAC in 12 hex
                                 * digits); DIN, ISO-2: bytes (the MAC) */
    uint8_t has_deadline;
    uint32_t deadline_ms;
    uint32_t id_counter;
    sess_stop_reason stop;
    sess_evse_input in;
    sess_evse_output out;
    uint8_t ev_soc;             /* what the car said */
    uint8_t ev_soc_said;        /* 1 once a request carried it (ISO-2 AC and ISO-20 AC send none) */
    float ev_target_v, ev_target_a;
    float ev_max_v;             /* DC: its maximum voltage (ChargeParameterDiscovery; 0: not said) */
    float ev_battery_v;         /* DC: its battery voltage, as its PreCharge target says (0: not said) */
    uint8_t charging;           /* DC: in the charge loop (CurrentDemand, DC_ChargeLoop) */
    uint32_t progress_ms;       /* DC: when the charge last made progress (current flowing, or none asked) */
    const char *rx_name, *tx_name; /* last messages, for logs */
    int last_code;              /* ResponseCode of the last response (protocol enum) */
    sess_bad_msg bad;           /* the refused message (stop "bad message") */
    const char *timer;          /* the expired timer's name in the standard (stop "timeout") */
    /* ISO 15118-2 */
    uint8_t ac;                 /* the car asked for AC (ChargingStatus loop) */
    float ev_max_a;             /* AC: the car's EVMaxCurrent */
    uint8_t resume_id[SESS_SESSION_ID_MAX], resume_id_len; /* a paused session (kept over sess_evse_connect) */
    uint32_t receipt_at_ms;     /* next MeteringReceipt request */
    uint64_t receipt_meter_wh;  /* the MeterReading sent with the last ReceiptRequired (a signed receipt repeats it) */
    uint8_t tls;                /* the connection runs TLS: set by the runtime before the session starts (kept over
                                 * sess_evse_connect); Plug & Charge is offered only then */
    uint8_t pnc;                /* the car chose Contract payment (ISO 15118-20: PnC was offered, then chosen) */
    uint8_t pnc_signed;         /* a signed AuthorizationReq was verified */
    uint8_t pnc_auth;           /* the authorization backend's answer so far (a ccs_pnc_auth) */
    uint8_t challenge[CCS_PNC_CHALLENGE_LEN];  /* the GenChallenge sent in PaymentDetailsRes (ISO 15118-20:
                                                * AuthorizationSetupRes) */
    uint8_t contract_key[CCS_PNC_KEY_MAX];     /* the contract certificate's public key */
    /* ISO 15118-20 */
    uint8_t control_mode;       /* the control mode of the parameter set the car selected (ServiceSelection's
                                 * ControlMode value: 1 Scheduled, 2 Dynamic); 0 before */
    uint8_t ac_phases;          /* AC: the phases of the parameter set the car selected (1 or 3) */
    uint8_t notice_sent;        /* the EVSENotification in the charge loop's responses (its value + 1; 0: none) */
    uint32_t notice_at_ms;      /* ... first sent then (NotificationMaxDelay counts from here) */
    uint8_t bpt;                /* the car selected the bidirectional service (DC_BPT, AC_BPT) */
    uint8_t vas_selected;       /* the value-added services the car selected (SESS_VAS_* bits) */
    float ev_discharge_max_a;   /* BPT: the car's maximum discharge current (DC; 0: not said) */
    uint32_t requests;          /* requests answered */
    uint8_t rng_failed;         /* the random hook failed in this call (no SessionID) */
    uint8_t tx[SESS_TX_CAP];    /* send tx[0..tx_len) after each call */
    size_t tx_len;
} sess_evse;

void sess_evse_config_default(sess_evse_config *cfg);
void sess_evse_init(sess_evse *s, const sess_evse_config *cfg, sess_docs *docs);
/* A car connected: a fresh session waiting for SupportedAppProtocolReq (V2G_EVCC_CommunicationSetup_Timeout). */
void sess_evse_connect(sess_evse *s, uint32_t now_ms);
/* One V2GTP message from the car: tx gets the response (maybe none), out the commands. 0 or CCS_E* (the
 * session is then safe and close set). */
int sess_evse_on_message(sess_evse *s, uint16_t payload_type, const uint8_t *payload, size_t len, uint32_t now_ms);
/* The car closed the connection. */
void sess_evse_disconnect(sess_evse *s, uint32_t now_ms);
/* Timers: call at the next timeout (or any time). */
void sess_evse_tick(sess_evse *s, uint32_t now_ms);
/* 1 and *at_ms when a timer runs. */
int sess_evse_next_timeout(const sess_evse *s, uint32_t *at_ms);
const char *sess_evse_state_name(const sess_evse *s);

/* ---------------- PEV (car, EVCC) ---------------- */

typedef struct {
    const sess_proto *protos[SESS_MAX_PROTOS]; /* offered; the first has the highest priority */
    uint8_t nprotos;
    uint8_t mac[6];             /* EVCCID */
    uint32_t repeat_ms;         /* pause before a repeated request */
    float max_v, max_a, max_w;  /* EVMaximum* limits */
    float capacity_wh;
    uint8_t full_soc, bulk_soc;
    float precharge_a;          /* EVTargetCurrent in PreCharge */
    float precharge_tolerance_v;
    float contactor_open_a;
    /* ISO 15118-2 */
    uint8_t ac;                 /* charge AC (ChargingStatus loop) instead of DC */
    uint8_t ac_phases;          /* 1 or 3 */
    float ac_max_v, ac_max_a, ac_min_a; /* EVMaxVoltage, EVMaxCurrent (on-board charger, per phase), EVMinCurrent */
    uint8_t service_detail;     /* ask ServiceDetail for the charge service */
    uint64_t clock_unix_s;      /* as sess_evse_config's: ISO 15118-20 TimeStamp = clock_unix_s + now_ms / 1000 */
    const ccs_pnc_contract *pnc;/* Plug & Charge: choose Contract payment (ISO 15118-2, a P-256 contract) or PnC
                                 * identification (ISO 15118-20, a P-521 contract) when the charger offers it
                                 * (NULL: external identification) */
    const ccs_pnc_installer *install; /* ... and a contract installed or updated when it needs one (NULL: none) */
    /* ISO 15118-20 bidirectional (BPT): discharge down to this SoC first, then charge to full_soc (0: charge only;
     * the car then never asks for DC_BPT / AC_BPT); its DC discharge limits (AC: within ac_max_a) */
    uint8_t discharge_soc;
    float discharge_max_a, discharge_max_w;
    /* ISO 15118-20: the control mode wanted (SESS_CONTROL_*: a parameter set of it taken when offered, else one of
     * the other mode), the departure time (s after the charge starts, 0: when full at our maximum power) */
    uint8_t control_mode;
    uint32_t departure_s;
    uint8_t vas;                /* the value-added services wanted, selected where offered (SESS_VAS_* bits) */
    uint8_t renegotiate_soc;    /* ISO 15118-20: renegotiate the services once in a session when the SoC has reached
                                 * this, as in.service_request does (0: never) */
} sess_pev_config;

/* ISO 15118-20 value-added services (iso20_vas.c): Internet access, ServiceID 65. */
enum { SESS_VAS_INTERNET = 1 };
#define SESS_VAS_N 1

/* ISO 15118-20 control modes as the ServiceDetail parameter ControlMode numbers them (Table 205). */
enum { SESS_CONTROL_DEFAULT = 0 /* Dynamic */, SESS_CONTROL_SCHEDULED = 1, SESS_CONTROL_DYNAMIC = 2 };

/* Battery side, set by the caller before each call. */
typedef struct {
    float battery_v;            /* PreCharge target */
    float present_a;            /* current through the contactors */
    float request_a;            /* current the battery accepts now */
    float energy_request_wh;
    uint8_t soc;
    uint8_t charge_complete;    /* target SoC reached */
    uint8_t stop_request;       /* user: stop gracefully */
    uint8_t pause_request;      /* user: stop and pause (ISO 15118-2 SessionStop Pause), resumable */
    /* ISO 15118-20, while charging: */
    uint8_t standby_request;    /* pause the energy transfer, the session kept (PowerDelivery Standby) until it is
                                 * cleared or the charger says ExitStandby (then the engine clears it) */
    uint8_t renegotiate_request;/* a new schedule (PowerDelivery ScheduleRenegotiation); the engine clears it */
    uint8_t service_request;    /* renegotiate the services (PowerDelivery Stop, [DC_WeldingDetection,] SessionStop
                                 * ServiceRenegotiation, ServiceDiscovery again with the configuration as it is then)
                                 * where the charger supports it (else ignored); the engine clears it */
} sess_pev_input;

typedef struct {
    uint8_t safe;               /* stop requested after an error */
    uint8_t stop_requested;
    uint8_t contactors_closed;
    uint8_t cp_state_c;         /* CP state C (S2 closed) instead of B */
} sess_pev_output;

typedef struct {
    sess_pev_config cfg;
    sess_docs *docs;
    const sess_proto *proto;
    sess_phase phase;
    uint8_t state;              /* row of the protocol's PEV table */
    uint8_t waiting;            /* a request is out, response due by deadline_ms */
    uint8_t repeat;             /* repeat the current request at repeat_ms */
    uint8_t close;
    uint8_t session_id[SESS_SESSION_ID_MAX], session_id_len;
    uint32_t deadline_ms, repeat_at_ms, state_deadline_ms, setup_deadline_ms;
    uint8_t has_state_deadline, has_setup_deadline;
    sess_stop_reason stop;
    sess_pev_input in;
    sess_pev_output out;
    float evse_v, evse_a;       /* what the charger reported */
    float evse_max_v, evse_max_a, evse_max_w;
    float target_a;             /* the current asked for in the last charging-loop request */
    uint32_t over_since_ms, idle_since_ms; /* since when the current is above the request / none flows */
    uint8_t over, idle;
    /* ISO 15118-2 */
    uint8_t sa_tuple_id;        /* the schedule chosen from ChargeParameterDiscoveryRes */
    float pmax_w;               /* its PMax */
    uint8_t receipt_due;        /* the charger set ReceiptRequired */
    uint8_t resume_id[SESS_SESSION_ID_MAX], resume_id_len; /* a paused session (kept over sess_pev_start) */
    uint8_t pnc;                /* Contract payment chosen */
    uint8_t challenge[CCS_PNC_CHALLENGE_LEN];  /* the charger's GenChallenge (PaymentDetailsRes; ISO 15118-20:
                                                * AuthorizationSetupRes) */
    uint8_t cert_op;            /* CCS_PNC_NEED_*: the certificate service chosen (installation or update) */
    /* ISO 15118-20 */
    uint16_t param_set_id;      /* the energy service's parameter set chosen from ServiceDetailRes (AC: of our
                                 * phases; its EVSENominalVoltage is kept in evse_max_v) */
    uint8_t dynamic;            /* its control mode: Dynamic (else Scheduled) */
    uint8_t notice;             /* the charger's EVSENotification in the last charge-loop response (sess_notice) */
    uint16_t notice_delay_s;    /* ... its NotificationMaxDelay */
    uint8_t bpt;                /* the bidirectional service selected (cfg.discharge_soc set and offered) */
    uint8_t service_reneg_ok;   /* the charger's ServiceRenegotiationSupported */
    uint8_t renegotiating;      /* the charge loop ended for a service renegotiation (SessionStop ServiceRenegotiation
                                 * next) */
    uint8_t renegotiated;       /* services renegotiated in this session (cfg.renegotiate_soc's once) */
    uint8_t vas_todo, vas_got;  /* ISO-20 value-added services wanted and offered: ServiceDetail still to ask, asked
                                 * (SESS_VAS_* bits) */
    uint16_t vas_set[SESS_VAS_N]; /* ... the parameter set chosen of each */
    uint8_t discharged;         /* BPT: the SoC reached cfg.discharge_soc once: charging from then on */
    float evse_discharge_max_a; /* BPT: the charger's maximum discharge current (ChargeParameterDiscovery) */
    const char *rx_name, *tx_name;
    sess_bad_msg bad;           /* the refused message (stop "bad message") */
    const char *timer;          /* the expired timer's name in the standard (stop "timeout") */
    uint32_t requests;
    uint8_t tx[SESS_TX_CAP];
    size_t tx_len;
} sess_pev;

void sess_pev_config_default(sess_pev_config *cfg, const uint8_t mac[6]);
void sess_pev_init(sess_pev *p, const sess_pev_config *cfg, sess_docs *docs);
/* TCP connected: tx gets SupportedAppProtocolReq. */
int sess_pev_start(sess_pev *p, uint32_t now_ms);
/* One V2GTP message from the charger: tx gets the next request, or nothing until a repeat timer. */
int sess_pev_on_message(sess_pev *p, uint16_t payload_type, const uint8_t *payload, size_t len, uint32_t now_ms);
void sess_pev_disconnect(sess_pev *p, uint32_t now_ms);
/* Timers and contactor release: call at the next timeout and whenever in.present_a changes. */
void sess_pev_tick(sess_pev *p, uint32_t now_ms);
int sess_pev_next_timeout(const sess_pev *p, uint32_t *at_ms);
const char *sess_pev_state_name(const sess_pev *p);

#ifdef __cplusplus
}
#endif

#endif
