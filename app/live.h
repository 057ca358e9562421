/* `ccsplc evse` / `ccsplc pev` internals: one charger or car on an interface — SLAC, SDP over UDP on the
 * interface's IPv6 link-local address, V2GTP over TCP, the session engine with the physics models as simulated
 * hardware — or on the simulated modems in-process (--sim); options from the command line and an INI file. */
#ifndef CCSPLC_APP_LIVE_H
#define CCSPLC_APP_LIVE_H

#include <stdint.h>
#include <termios.h>

#include "ccsplc/linux/pcapng.h"
#include "ccsplc/linux/auth_backend.h"
#include "ccsplc/linux/pnc_certinst_openssl.h"
#include "ccsplc/linux/pnc_openssl.h"
#include "ccsplc/linux/tls.h"
#include "ccsplc/sim/plant.h"
#include "ccsplc/core/machines.h"
#include "ccsplc/core/sdp.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/core/v2gtp.h"
#include "live_bridge.h"
#include "live_hw.h"
#include "slac_phase.h"

#define LIVE_STEP_MS 10u          /* physics step and session timer resolution */
#define LIVE_MAX_PAYLOAD 8192u    /* largest V2GTP payload accepted */
#define LIVE_ADDR_WAIT_MS 5000u   /* wait this long for the link-local address (duplicate address detection) */
#define LIVE_SAFE_WAIT_MS 2000u   /* after a stop: wait this long for the contactors to open */
#define LIVE_STATUS_MS 250u       /* status line refresh */
#define LIVE_MODEM_CHECK_MS 1000u /* the modem must answer GET_SW within this at the start (said within 2 s) */
#define LIVE_MAX_CONNS 4u         /* charger: V2GTP connections served at once (more are accepted and closed) */
/* A TLS handshake must end within the car's V2G_EVCC_CommunicationSetup_Timeout (20 s: the connection up to the
 * session set up, ISO 15118-2 / -20), else the connection is closed. */
#define LIVE_TLS_HANDSHAKE_MS SESS_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS
/* Charger: after the SLAC match, a plug-in without a session (no SessionID) ends after the waits the car itself
 * allows: joining the AVLN (TT_match_join), SDP (SDP_MAX_REQUESTS x SDP_TIMEOUT_MS) and communication setup
 * (V2G_EVCC_CommunicationSetup_Timeout). */
#define LIVE_CAR_SETUP_MS (SLAC_TT_MATCH_JOIN_MS + SDP_MAX_REQUESTS * SDP_TIMEOUT_MS + SESS_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS)
/* ISO 15118-2 Pause: the car comes back this long after its SessionStop(Pause) (--resume-after); the charger
 * keeps the paused SessionID for the plug-in this long (--resume-wait), then the plug-in ends. */
#define LIVE_RESUME_AFTER_MS 10000u
#define LIVE_RESUME_WAIT_MS 600000u

typedef enum { LIVE_EVSE, LIVE_PEV } live_role;

/* The protocols each role offers by default (--proto, [general] proto): the charger every one it has (the car
 * decides, SupportedAppProtocol), the car ISO-20 first, then ISO-2, then DIN, as real cars rank them. */
#define LIVE_EVSE_PROTOS "din,iso2-dc,iso2-ac,iso20-dc,iso20-ac"
#define LIVE_PEV_PROTOS "iso20-dc,iso2-dc,din"
#define LIVE_PEV_AC_PROTOS "iso20-ac,iso2-ac"   /* a car charging AC, in the same order */

/* A protocol list (app/live_proto.c): the engine's protocols in order (iso2-dc and iso2-ac are one), ISO-2's
 * energy transfer modes listed, and whether any DC mode is (din, iso2-dc, iso20-dc) and any AC mode (iso2-ac,
 * iso20-ac). */
#define LIVE_PROVIDERS_MAX 24  /* ISO-20 SupportedProviders the charger sends (the codec's capacity) */

typedef struct {
    const sess_proto *protos[SESS_MAX_PROTOS];
    uint8_t n;
    uint8_t iso2_dc, iso2_ac, dc, ac;
} live_protos;
/* "din,iso2-dc, iso20-dc" (commas, spaces around names allowed): 0, or -1 for an unknown name, an empty list or
 * entry, or more than SESS_MAX_PROTOS protocols. */
int live_protos_parse(const char *list, live_protos *ps);
/* The name of a negotiated protocol with its energy transfer mode: "din", "iso2-dc", "iso2-ac", "iso20-dc",
 * "iso20-ac";
 * "no protocol" for NULL. Static buffer. */
const char *live_proto_label(const sess_proto *p, int ac);
/* The charger's log line of SupportedAppProtocol (the car's request still in e->docs): what the car offered (its
 * SchemaIDs and priorities), what we offer, what we chose; a warning with both lists for Failed_NoNegotiation. */
void live_log_negotiation(const sess_evse *e, const char *tag);
/* The car's: what it offered and what the charger chose, or that the charger took none. */
void live_log_agreed(const sess_pev *p);
/* The last phase run; SERVE (the charger's default): session after session until a signal or `sessions`. */
typedef enum { LIVE_UNTIL_SLAC, LIVE_UNTIL_SDP, LIVE_UNTIL_SESSION, LIVE_UNTIL_SERVE } live_until;
/* TLS: off (the car asks for none), ask (the car asks for TLS, takes plain TCP when the charger has no TLS),
 * require (the car refuses plain TCP; a charger offers no plain TCP). */
typedef enum { LIVE_TLS_OFF, LIVE_TLS_ASK, LIVE_TLS_REQUIRE } live_tls_mode;
/* "off" | "ask" | "require" (also "no", "yes"). 0 or -1. */
int live_tls_mode_parse(const char *s, live_tls_mode *out);
/* ISO 15118-20 (live_iso20.c): value-added services ("none" or a list of: internet) as SESS_VAS_* bits; the car's
 * control mode (dynamic, scheduled) as SESS_CONTROL_*. 0 or -1. */
int live_vas_parse(const char *s, uint8_t *out);
int live_control_parse(const char *s, uint8_t *out);

typedef struct {
    live_role role;
    char ifname[16];
    char pcap[256];
    char proto[64];           /* session protocols, in order: "din,iso2-dc,iso2-ac,iso20-dc,iso20-ac" (live_proto.c) */
    int sim;                  /* simulated modems and peer in this process */
    int no_slac;              /* no SLAC: the link is up already (plain Ethernet, a peer without HomePlug): SDP first */
    live_until until;
    uint32_t timeout_ms;      /* whole run; 0: none */
    uint16_t tcp_port;        /* charger: V2GTP server port (0: any free port) */
    uint16_t sessions;        /* charger, LIVE_UNTIL_SERVE: serve this many sessions (0: until a signal) */
    /* charger */
    float evse_max_v, evse_max_a, evse_max_w;
    uint8_t session_id_len, auth_ongoing, cpd_ongoing;
    uint32_t isolation_ms;
    uint32_t resume_wait_ms;  /* keep a paused session this long for the car to resume it */
    uint32_t receipt_ms;      /* ask for a metering receipt/confirmation this often while charging (0: never) */
    int service_reneg;        /* charger, ISO 15118-20: service renegotiation supported (default 1) */
    uint8_t vas;              /* ISO 15118-20 value-added services: charger offers, car wants (SESS_VAS_* bits) */
    uint8_t control_mode;     /* car, ISO 15118-20: the control mode wanted (SESS_CONTROL_*; 0: Dynamic) */
    uint32_t departure_ms;    /* car, ISO 15118-20: DepartureTime after the charge starts (0: when full) */
    /* car */
    float soc, target_soc, capacity_kwh;
    float discharge_to;       /* ISO 15118-20 BPT: discharge to this SoC first, then charge to target_soc (0: no) */
    float renegotiate_at;     /* ISO 15118-20: renegotiate the services once at this SoC (0: never) */
    float pev_target_v, pev_max_a, precharge_tolerance_v;
    uint32_t pause_after_ms;  /* ISO 15118-2: SessionStop(Pause) this long after the first current (0: never) */
    uint32_t resume_after_ms; /* after a Pause: reconnect and resume after this long */
    live_hw_options hw;       /* car: pyPLC's serial board (digital_output_device, ...) */
    char bridge[16];          /* car: "chademo": the CCS->CHAdeMO adapter (docs/chademo.md) */
    char can[128];            /* its CAN bus: can0, udp:LPORT:HOST:RPORT */
    /* TLS (app/live_tls.c, docs/pnc.md) */
    char tls_cert[256];       /* our chain (PEM, leaf first): the SECC's; the car's vehicle certificate (ISO-20) */
    char tls_key[256];        /* its private key */
    char tls_ca[256];         /* trusted roots: the car's V2G root(s); the charger's roots of cars (ISO-20) */
    char keylog[256];         /* NSS key-log file (Wireshark, ccsplc decode --keylog) */
    live_tls_mode tls;        /* car: what SDP asks; charger: LIVE_TLS_REQUIRE refuses plain TCP */
    /* Plug & Charge, ISO 15118-2 and -20 (app/live_pnc.c, docs/pnc.md) */
    char mo_root[256];        /* charger: the MO root(s) contracts must reach; set: Contract payment offered on TLS */
    char providers[256];      /* charger: ISO-20 SupportedProviders, comma-separated eMSP IDs ("": not sent) */
    char revoked[1024];       /* charger: revocation sources (CRL files, text lists), comma-separated */
    char allow[256];          /* charger: the allow-list of eMAIDs (empty: none) */
    char auth_cmd[512];       /* charger: the authorization command (empty: none) */
    uint32_t auth_timeout_ms; /* ... rejected after this long */
    int pnc;                  /* car: pay by contract when offered */
    char contract_cert[256];  /* car: the contract chain (PEM), its key */
    char contract_key[256];
    /* CertificateInstallation / -Update (app/live_pnc.c, docs/pnc.md) */
    char prov_cert[256];      /* car: the OEM provisioning certificate (PEM) and key: installs a contract into */
    char prov_key[256];       /*      contract_cert / contract_key when it has none usable */
    float renew_days;         /* car: a contract expiring within this many days is updated (30) */
    char cps_cert[256];       /* charger: the CPS chain (PEM, leaf first) and key that sign the responses */
    char cps_key[256];
    char oem_root[256];       /* charger: the OEM root(s) and Sub-CAs provisioning certificates must reach */
    char install_cert[256];   /* charger: the contract handed out (chain PEM) and its key */
    char install_key[256];
} live_options;

void live_options_default(live_options *o, live_role role);
/* Reads an INI file into o (docs/config.md lists the keys; pyPLC's pyPlc.ini names are accepted). 0, or -1
 * after logging the file, line and reason. */
int live_config_file(live_options *o, const char *path);
/* Options that ask for a Pause: refused (logged, -1) for DIN 70121, which has none, and with --sim. */
int live_pause_check(const live_options *o);
/* The car's target voltage against its battery (a target it can never reach): refused (logged, -1). */
int live_target_check(const live_options *o);
/* Plug & Charge options: the car's --pnc needs its contract chain and key. 0 or -1 (logged). */
int live_pnc_check(const live_options *o);
/* --bridge: chademo for the car (DC) only; the bus defaults to can0. 0 or -1 (logged). */
int live_bridge_check(live_options *o);
/* "slac" | "sdp" | "session". 0 or -1. */
int live_until_parse(const char *s, live_until *out);

typedef struct live live;
typedef struct live_conn live_conn;
typedef void (*live_conn_msg_fn)(live_conn *c, const v2gtp_msg *m);
typedef void (*live_conn_closed_fn)(live_conn *c);
typedef void (*live_conn_ready_fn)(live_conn *c);

/* One V2GTP connection (app/live_conn.c): the car's to the charger, or one of the charger's slots. */
struct live_conn {
    live *l;
    int fd;                           /* -1: not connected */
    uint8_t peer_ip[16];
    uint16_t peer_port;
    v2gtp_reasm r;
    uint8_t rbuf[V2GTP_HEADER_LEN + LIVE_MAX_PAYLOAD];
    pcapng_tcp_flow flow;
    live_conn_msg_fn on_msg;          /* a whole message arrived */
    live_conn_closed_fn on_closed;    /* the peer closed, or the stream broke (bad header, beyond the limit, TLS) */
    live_conn_ready_fn on_ready;      /* set before open: V2GTP can flow (at once; with TLS after the handshake) */
    tls_conn *tls;                    /* NULL: plain TCP */
    int ready;                        /* plain TCP, or the TLS handshake done */
    ccs_timer hs_timer;               /* LIVE_TLS_HANDSHAKE_MS */
    uint32_t messages;                /* sent and received on this connection */
    sess_evse evse;                   /* charger: the session on this connection (kept while it is the car's) */
    ccs_driver drv;                   /* the one driver (ccsplc/core/machine.h) of this connection's session */
    const uint8_t *out;               /* what the driver routed (in the engine's tx), sent by live_conn_send */
    size_t out_len;
    const char *out_name;
    uint8_t out_close;
};

struct live {
    live_options o;
    live_protos protos;               /* o.proto */
    app_slac s;                       /* loop, raw link, SLAC runner */
    int ifindex;
    uint8_t ip[16], peer_mac[6];
    uint16_t port;                    /* V2GTP: the charger's server port; the car's local port */
    /* SDP */
    int udp;
    sdp_client sdp;
    sdp_server_machine srv;
    ccs_driver sdp_drv;               /* the car's SDP client or the charger's server in the one driver */
    uint8_t sdp_peer[16];             /* charger: the request being answered comes from there */
    uint16_t sdp_peer_port;
    uint8_t sdp_asked;                /* charger: the security that request asked for (logged with the answer) */
    ccs_timer sdp_timer, addr_timer, deadline;
    uint32_t addr_waited;
    uint32_t sdp_answered;            /* charger: SDP requests answered in this plug-in */
    /* V2GTP: the charger's listener; the car's connection, or the charger's slots */
    int lfd;                          /* plain TCP; -1 when the charger requires TLS */
    int tls_lfd;                      /* charger with TLS credentials: the TLS server, else -1 */
    tls_ctx *tls;                     /* the TLS context of the options, NULL: no TLS */
    int tls_on;                       /* car: this connection is TLS (SDP's answer) */
    pnc_keys *pnc;                    /* Plug & Charge credentials (app/live_pnc.c), NULL: none */
    ccs_pnc_checker pnc_checker;      /* charger: its contract checks */
    auth_backend *auth;               /* charger: its authorization backend (NULL: every good chain accepted) */
    ccs_pnc_contract pnc_contract;    /* car: its contract */
    char provider_buf[256];           /* charger: the providers option split at its commas ... */
    const char *providers[LIVE_PROVIDERS_MAX]; /* ... into these */
    uint8_t nproviders;
    pnc_ci *pnc_ci;                   /* CertificateInstallation credentials (app/live_pnc.c), NULL: none */
    ccs_pnc_installer pnc_installer;  /* car: its provisioning certificate, where a new contract goes */
    ccs_pnc_cps pnc_cps;              /* charger: its test-bench CPS */
    live_conn conn[LIVE_MAX_CONNS];
    /* session and simulated hardware */
    sess_docs *docs;
    sess_evse_config ecfg;            /* every charger session of this plug-in */
    live_conn *car;                   /* the car's connection: the car's own, or the charger's slot of the car's
                                       * session (live_slots.c); for the status line and the result */
    int owner;                        /* charger: the slot bound to the power stage, -1: none yet */
    int owner_powered;                /* charger: that session has commanded the power stage */
    int car_wait_over;                /* charger: LIVE_CAR_SETUP_MS after the match passed: no car to wait for */
    int told_isolation, told_no_progress; /* charger: logged once per plug-in */
    sess_pev pev;
    int car_contactors;               /* car: its contactors closed as last logged */
    phys_plant plant;
    live_hw hw;                       /* car: the supervisor and backends over the plant */
    live_bridge br;                   /* car, --bridge chademo: the adapter's CHAdeMO side */
    int have_bridge;
    ccs_timer step;
    uint32_t last_step, t_start, t_linked, t_sdp, t_first_current;
    int quit;                         /* q, a signal or the time limit: no further session */
    ccs_timer car_timer;              /* charger: LIVE_CAR_SETUP_MS after the match */
    int no_car;                       /* charger: it ran out without a session: the plug-in ends */
    uint32_t served, served_ok;       /* charger: sessions ended, ended normally */
    /* ISO 15118-2 Pause (live_pause.c, live_slots.c): one session over several connections */
    ccs_timer pause_timer;            /* car: --pause-after, then --resume-after; charger: --resume-wait */
    int paused;                       /* car: waiting to resume */
    int no_resume;                    /* car: space while paused: the session stays ended */
    uint32_t pauses;                  /* Pauses in this session */
    uint32_t earlier_messages;        /* messages on its connections before the last Pause */
    uint8_t resume_id[SESS_SESSION_ID_MAX], resume_id_len; /* charger: the paused SessionID (0: none) */
    int resume_from;                  /* charger: the slot of the paused session */
    uint32_t paused_at, unsafe_ms;    /* charger: since when; time the power stage was not safe meanwhile */
    double paused_wh;                 /* charger: the meter at the Pause */
    /* output */
    pcapng_writer pcap;
    int have_pcap;
    unsigned pcap_failed;             /* the capture's output failed (said once) */
    int tty_keys, tty_status;
    struct termios tty_saved;
    ccs_timer status;
};

/* --bridge chademo (app/live_adapter.c): open the bus, the bridge on the car session p and the hardware stack
 * (before live_hw_attach); 0 or -1 (logged). live_bridge_wait: run the loop until the CHAdeMO side is ready
 * (ready 1) or done (0), at most ms; 0 or -1. */
int live_bridge_attach(live *l, sess_pev *p);
int live_bridge_wait(live *l, int ready, uint32_t ms);
/* Runs the phases up to o.until; returns the exit code (0: the phase completed, or the session ended normally). */
int live_run(live *l);
/* cmd_evse / cmd_pev: options, config file, run. */
int live_main(live_role role, int argc, char **argv);

/* Plant, charger and car session configuration from the options (o->proto checked): the role's protocol list,
 * the simulated peer (--sim) its role's default list. */
void live_configure(const live_options *o, const uint8_t pev_mac[6], phys_plant *pl, sess_evse_config *ec,
                    sess_pev_config *pc);
/* The plant with the options' limits: the AC supply (the mains switched through) or the DC power stage. */
void live_plant_init(const live_options *o, int ac, phys_plant *pl);
/* Charger: the power stage follows the mode the car chose (ISO-2 ChargeParameterDiscovery, e->ac) when we offer it
 * and the session has not used the power stage yet. */
void live_plant_follow(live *l, const sess_evse *e);
/* Phases on l->s.loop. Each returns 0 when done, else a CCS_E* (logged). live_sdp opens the sockets the
 * first time and keeps them (charger: until the run ends); live_session runs one session (the charger's
 * plug-in: every connection of it, live_slots.c). */
int live_sdp(live *l);
int live_session(live *l);
/* The result of the session (or phase) on stdout; the exit code for it. */
int live_result(live *l, int rc);
/* A session's verdict: NULL when it ended normally (ended, not for want of progress, nothing opened under load,
 * and a charger delivered energy unless the car paused), else the result text ("FAILED", "FAILED (no energy delivered)"). */
const char *live_verdict(live_role role, sess_phase ph, sess_stop_reason stop, const phys_plant *pl);
/* The charger's run: plug-in after plug-in (SLAC with a fresh NMK, SDP, session) until a signal, q, the time
 * limit or o.sessions (LIVE_UNTIL_SESSION: exactly one). Exit code: 0 when every session ended normally and
 * the run was not cut short in the middle of one (nor before o.sessions). */
int live_serve(live *l);

/* A connection (app/live_conn.c). open: log it, start the stream reassembly (LIVE_MAX_PAYLOAD) and the pcap
 * flow (the bytes as they travel: TLS records with tls), watch fd; with tls (l->tls set) the TLS handshake
 * first, bounded by LIVE_TLS_HANDSHAKE_MS; c->on_ready (may be NULL) when V2GTP can flow. flush: send *len bytes
 * of tx (never blocking the loop: a peer that does not take them is closed), clear *len, close when asked. */
void live_conn_open(live_conn *c, live *l, int fd, int we_connect, int tls, live_conn_msg_fn on_msg,
                    live_conn_closed_fn on_closed);
void live_conn_flush(live_conn *c, const uint8_t *tx, size_t *len, const char *name, int close_after);
/* The connection as a driver's port: the message and the close are held until live_conn_send (after the caller's
 * own logs of the event), which sends as live_conn_flush does. */
ccs_port live_conn_port(live_conn *c);
void live_conn_send(live_conn *c);
void live_conn_close(live_conn *c);
/* " (connection N)" for the charger's second and later slots, "" otherwise: appended to log lines. */
const char *live_conn_tag(const live_conn *c);

/* The charger's connections of one plug-in (app/live_slots.c): the listener stays watched, each connection
 * gets a slot with its own sess_evse (beyond LIVE_MAX_CONNS: accepted and closed), the power stage follows
 * only the first session that commands it, the plug-in ends when that (the car's) session ends. */
int live_slots_start(live *l);
void live_slots_step(live *l, uint32_t now, uint32_t dt);
int live_slots_finished(const live *l);
/* Safe stop: every session disconnected, every connection closed. */
void live_slots_disconnect(live *l, uint32_t now);
/* After the plug-in: the listener unwatched (it stays open), what is left closed. */
void live_slots_end(live *l);
/* Space on the terminal: EVSE_Shutdown for every session. */
void live_slots_shutdown(live *l);
/* The car's Pause (app/live_pause.c). arm: at the first current, the --pause-after timer. request: the p key
 * (pause; while paused: resume now). resuming: the session ended paused and the car is to come back.
 * wait: --resume-after (p, space or q cut it short); 0 to go on with SDP and the connection, else a CCS_E*. */
void live_pause_arm(live *l);
void live_pause_request(live *l);
int live_pause_resuming(const live *l);
int live_pause_wait(live *l);
/* The r key: ISO 15118-20 service renegotiation; the charger asks the car (EVSENotification ServiceRenegotiation),
 * the car asks for it (SessionStop ServiceRenegotiation) where the charger supports it (live_iso20.c). */
void live_reneg_request(live *l);
/* "0123abcd..." for logs. */
const char *live_hex_id(const uint8_t *id, uint8_t len);
/* --sim: the simulated modems and the peer in this process (`ccsplc demo`'s machinery). Exit code. */
int live_sim(live *l);

/* TLS of the options (app/live_tls.c): the context (the versions from the protocol list: TLS 1.2 for DIN and
 * ISO-2, TLS 1.3 for ISO-20), logged; 0 or -1 (logged). live_tls_end frees it. live_tls_security: the security
 * byte the car's SDP request asks for. live_tls_choose: the car, after SDP: 1 connect with TLS, 0 plain TCP,
 * CCS_EPROTO refused (logged). */
int live_tls_init(live *l);
void live_tls_end(live *l);
/* Plug & Charge (app/live_pnc.c): the credentials of the options loaded (logged; 0 or -1), attached to the
 * engines' configurations, freed. */
int live_pnc_init(live *l);
void live_pnc_attach(live *l, sess_evse_config *e, sess_pev_config *p);
void live_pnc_end(live *l);
uint8_t live_tls_security(const live *l);
int live_tls_choose(live *l);

/* pcap of the charger's or car's interface (nothing without --pcap). */
void live_pcap_frame(live *l, int out, const uint8_t *frame, size_t len);
void live_peer_mac(const live *l, const uint8_t peer_ip[16], uint8_t mac[6]);
void live_pcap_udp(live *l, int out, const uint8_t peer_ip[16], uint16_t our_port, uint16_t peer_port,
                   const uint8_t *payload, size_t len);
uint64_t live_wall_ns(void);

/* Terminal: keys on stdin (space: stop charging gracefully; p: the car's Pause, ISO 15118-2; q: safe stop,
 * then quit) and a status line on stderr, each only when that is a terminal. */
void live_tty_open(live *l);
void live_tty_close(live *l);
/* Why a session stopped (app/live_why.c): a refused message with the decoder's reason and bit position; the stop
 * reason with that or the expired timer's name. Texts in static buffers. */
const char *live_bad_text(const sess_bad_msg *b, const sess_proto *proto);
const char *live_stop_text(sess_stop_reason stop, const sess_bad_msg *bad, const char *timer, const sess_proto *proto);
/* The -v line of a message received ("v2g: < NAME"), or, when the engine refused it (bad), a warning with why. */
void live_log_rx(const char *name, const sess_bad_msg *bad, const sess_proto *proto, const char *tag);
/* Session-level helpers shared by the phases. */
const char *live_role_name(const live *l);
void live_request_stop(live *l, int graceful);

#endif
