/* Capture analysis for `ccsplc decode` (host side): turns a capture's HomePlug frames, SDP datagrams and V2GTP
 * messages into decoded records with roles (car/charger), and keeps a summary per charging session. */
#ifndef CCSPLC_DECODE_H
#define CCSPLC_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ccsplc/linux/capture.h"
#include "ccsplc/tools/exi_text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Who sent a record: learned from SLAC (CM_SLAC_PARAM.REQ comes from the car), SDP (the request comes from
 * the car) and TCP (the car is the client). MODEM: a host talking to its own modem (keys, firmware, ...). */
typedef enum {
    DEC_DIR_UNKNOWN,
    DEC_DIR_CAR_TO_CHARGER,
    DEC_DIR_CHARGER_TO_CAR,
    DEC_DIR_CAR_MODEM,
    DEC_DIR_CHARGER_MODEM,
    DEC_DIR_HOST_MODEM, /* before the roles are known */
} dec_dir;

typedef enum { DEC_LAYER_HOMEPLUG, DEC_LAYER_SDP, DEC_LAYER_TCP, DEC_LAYER_V2G } dec_layer;

typedef struct {
    const char *key, *value; /* key=value form of ../shared/corpus for EXI (exi_text_kv) */
    const char *leaf;        /* the key's last path component */
} dec_field;

/* One timeline entry. Pointers are valid during the callback only. */
typedef struct {
    uint64_t ts_ns;
    int session;       /* index of the session it belongs to, -1 when none */
    int conn;          /* TCP connection id, -1 outside TCP */
    dec_dir dir;
    dec_layer layer;
    const char *proto; /* "hpgp", "sdp", "tcp", or the EXI codec ("app", "din", "iso2", "iso20-dc", ...) */
    const char *name;  /* "CM_SLAC_PARAM.REQ", "SDP request", "open", "CurrentDemandReq", ... */
    const char *keys;  /* the key values for one timeline line ("EVTargetVoltage=412.8 ..."), maybe "" */
    const char *error; /* NULL, or why the message does not decode */
    const char *fault; /* NULL, or the protocol fault the message shows: a FAILED_* ResponseCode, a SessionID not
                        * the one the charger assigned, a RunID not the SLAC run's, an earlier request unanswered */
    const char *src, *dst; /* MAC or [IPv6]:port as text */
    const dec_field *fields;
    size_t nfields;
    const struct dec_field_index *index; /* the fields by leaf for dec_field_find, or NULL (it scans them) */
    const uint8_t *raw; /* the frame (HomePlug), UDP payload (SDP) or EXI stream (V2G) */
    size_t raw_len;
    const struct exi_proto *exi; /* V2G: the codec and the decoded document (for XML), else NULL */
    const void *doc;
} dec_record;

/* Stages of a session, in order. */
enum { DEC_STAGE_SLAC, DEC_STAGE_SDP, DEC_STAGE_HANDSHAKE, DEC_STAGE_CABLECHECK, DEC_STAGE_PRECHARGE,
       DEC_STAGE_CHARGING, DEC_NSTAGES };

typedef struct {
    int seen, done; /* done: SLAC matched, SDP answered, handshake answered */
    uint64_t first_ns, last_ns; /* first message (of a completed SLAC: of the try that got through), and the one
                                 * that completed it (else the last one) */
    unsigned count; /* messages of the stage */
    unsigned attempts;          /* SLAC: CM_SLAC_PARAM.REQs until the match (the car's tries) */
    uint64_t attempts_first_ns; /* SLAC: the first of them */
    uint64_t try_ns, answered_ns; /* SLAC: the newest try; the try the charger answered last (CM_SLAC_PARAM.CNF) */
} dec_stage;

typedef struct {
    int seen;
    double min, max;
} dec_range;

/* A fault of a session (decode errors and the records' faults), counted once per kind of text. */
#define DEC_MAX_FAULTS 16
typedef struct {
    uint64_t first_ns;
    unsigned count;
    char text[200];
} dec_fault;

typedef enum { DEC_END_NONE, DEC_END_SESSION_STOP, DEC_END_ERROR, DEC_END_TCP_CLOSE, DEC_END_TCP_RESET } dec_end;

typedef struct {
    uint64_t first_ns, last_ns;
    int conn;                    /* its TCP connection, -1 when it never reached TCP */
    const char *proto;           /* EXI codec of the session ("din", "iso2", "iso20-*"), NULL when unknown */
    char ns[128];                /* the negotiated ProtocolNamespace, "" when no handshake */
    int detected;                /* no handshake in the capture: the schema was found by trying decoders */
    int has_car_mac, has_charger_mac;
    uint8_t car_mac[6], charger_mac[6];
    char evccid[80], evseid[80];
    dec_stage stage[DEC_NSTAGES];
    dec_range voltage, current;  /* EVSEPresentVoltage / EVSEPresentCurrent */
    double energy_wh;            /* integral of EVSEPresentVoltage x EVSEPresentCurrent over time */
    uint64_t last_power_ns;      /* time of the last (voltage, current) pair integrated */
    double last_power_w;
    int has_power;
    unsigned exi_messages, exi_errors;
    unsigned tls_records;        /* its TCP connection carried TLS: V2G encrypted, records counted */
    uint64_t last_tls_ns;
    int ac;                      /* an AC session (energy transfer mode AC_*, ISO-20 AC/ACDP, ChargingStatus):
                                  * no CableCheck or PreCharge to reach */
    char session_id[2 * 8 + 1];  /* hex, as the charger assigned it in SessionSetupRes; "" before */
    char car_session_id[2 * 8 + 1]; /* the first other SessionID a message carried after that, "" when none */
    unsigned session_id_mismatches; /* messages with another SessionID */
    unsigned nfaults;            /* distinct faults while the list has room (the first DEC_MAX_FAULTS, in
                                  * order), then every further one */
    dec_fault faults[DEC_MAX_FAULTS];
    char last_v2g[48];           /* name of the last V2G message */
    uint64_t last_v2g_ns;
    dec_end end;
    char end_text[160];
} dec_session;

typedef struct dec_analyzer dec_analyzer;
typedef void (*dec_record_fn)(void *ctx, const dec_record *r);

/* NULL when out of memory. fn gets every record in capture order. */
dec_analyzer *dec_new(dec_record_fn fn, void *ctx);
/* Callbacks to give the capture reader (cap_new / cap_read_file); their ctx is the analyzer. */
cap_callbacks dec_callbacks(dec_analyzer *a);
/* End of the capture: sessions without an end get one ("capture ends ..."); st (may be NULL) is kept for
 * dec_stats. */
void dec_finish(dec_analyzer *a, const cap_stats *st);
size_t dec_nsessions(const dec_analyzer *a);
const dec_session *dec_session_get(const dec_analyzer *a, size_t i);

typedef struct {
    unsigned records, homeplug, sdp, exi, exi_errors, unsupported; /* unsupported: V2GTP types without a codec */
    unsigned homeplug_malformed; /* HomePlug frames whose header or fields do not parse (the record's error) */
    uint64_t first_ns, last_ns; /* times of the first record (timeline origin) and the last */
    cap_stats capture;   /* the reader's counters (other traffic, gaps, ...) */
} dec_totals;
const dec_totals *dec_stats(const dec_analyzer *a);
void dec_free(dec_analyzer *a);

/* "car->charger", "charger->car", "car<>modem", "charger<>modem", "host<>modem", "?" */
const char *dec_dir_name(dec_dir d);
const char *dec_layer_name(dec_layer l);    /* "homeplug", "sdp", "tcp", "v2g" */
const char *dec_stage_name(int stage);      /* "SLAC", "SDP", "handshake", "CableCheck", "PreCharge", "charging loop" */

/* The value of the first field whose key's last path component is leaf (no dots), or NULL. */
const char *dec_field_find(const dec_record *r, const char *leaf);
/* 0 and *v when that field holds a number, else -1. */
int dec_field_number(const dec_record *r, const char *leaf, double *v);

/* Measured values of a V2G record; NAN where absent. */
typedef struct {
    double target_v, present_v, target_i, present_i, soc;
} dec_measure;
/* 1 when at least one value is present. */
int dec_measure_get(const dec_record *r, dec_measure *m);

/* Output forms. */
int dec_text_record(FILE *out, const dec_record *r, uint64_t origin_ns);    /* one timeline line */
int dec_text_summary(FILE *out, const dec_analyzer *a);                      /* sessions and totals */
int dec_text_session(FILE *out, const dec_analyzer *a, size_t i);            /* one session's summary */
int dec_json_record(FILE *out, const dec_record *r, uint64_t origin_ns);    /* one JSON Lines object */
int dec_json_sessions(FILE *out, const dec_analyzer *a);                     /* one object per session */
int dec_json_session(FILE *out, const dec_analyzer *a, size_t i);            /* the object of session i */
void dec_json_string(FILE *out, const char *s);                              /* "..." escaped, '<' as \u003c */
/* XML: one document <ccsplc-decode> with a <capture file="..."> per file and a <message t ts session dir proto
 * name> per decoded V2G message around the message's XML. */
void dec_xml_begin(FILE *out);
void dec_xml_capture(FILE *out, const char *path);
int dec_xml_record(FILE *out, const dec_record *r, uint64_t origin_ns);
void dec_xml_capture_end(FILE *out);
void dec_xml_end(FILE *out);
void dec_markup_text(FILE *out, const char *s); /* & < > " as entities (XML and HTML) */

/* The HTML report: collect the records, then write one self-contained page. Memory is bounded: the timeline,
 * plots and sequence chart keep the newest DEC_HTML_MAX_ROWS records (the page says how many came before and
 * when; summaries and totals come from the analyzer and cover everything). */
#define DEC_HTML_MAX_ROWS 50000
typedef struct dec_html dec_html;
dec_html *dec_html_new(void);
void dec_html_set_limit(dec_html *h, size_t max_rows); /* before the first record; 0 keeps the default */
void dec_html_record(dec_html *h, const dec_record *r);
uint64_t dec_html_dropped(const dec_html *h);          /* records left out so far */
int dec_html_write(dec_html *h, FILE *out, const dec_analyzer *a, const char *title);
void dec_html_free(dec_html *h);

#ifdef __cplusplus
}
#endif

#endif
