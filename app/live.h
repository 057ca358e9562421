/* `ccsplc evse` / `ccsplc pev` internals: one charger or car on an interface — SLAC, SDP over UDP on the
 * interface's IPv6 link-local address, V2GTP over TCP, the session engine with the physics models as simulated
 * hardware — or on the simulated modems in-process (--sim); options from the command line and an INI file. */
#ifndef CCSPLC_APP_LIVE_H
#define CCSPLC_APP_LIVE_H

#include <stdint.h>
#include <termios.h>

#include "ccsplc/pcapng.h"
#include "ccsplc/plant.h"
#include "ccsplc/sdp.h"
#include "ccsplc/sess.h"
#include "ccsplc/v2gtp.h"
#include "slac_phase.h"

#define LIVE_STEP_MS 10u          /* physics step and session timer resolution */
#define LIVE_MAX_PAYLOAD 8192u    /* largest V2GTP payload accepted */
#define LIVE_ADDR_WAIT_MS 5000u   /* wait this long for the link-local address (duplicate address detection) */
#define LIVE_SAFE_WAIT_MS 2000u   /* after a stop: wait this long for the contactors to open */
#define LIVE_STATUS_MS 250u       /* status line refresh */

typedef enum { LIVE_EVSE, LIVE_PEV } live_role;
typedef enum { LIVE_UNTIL_SLAC, LIVE_UNTIL_SDP, LIVE_UNTIL_SESSION } live_until;

typedef struct {
    live_role role;
    char ifname[16];
    char pcap[256];
    char proto[16];           /* session protocol: din, iso2-dc, ... */
    int sim;                  /* simulated modems and peer in this process */
    live_until until;
    uint32_t timeout_ms;      /* whole run; 0: none */
    uint16_t tcp_port;        /* charger: V2GTP server port (0: any free port) */
    /* charger */
    float evse_max_v, evse_max_a, evse_max_w;
    uint8_t session_id_len, auth_ongoing, cpd_ongoing;
    uint32_t isolation_ms;
    /* car */
    float soc, target_soc, capacity_kwh;
    float pev_target_v, pev_max_a, precharge_tolerance_v;
} live_options;

void live_options_default(live_options *o, live_role role);
/* Reads an INI file into o (docs/config.md lists the keys; pyPLC's pyPlc.ini names are accepted). 0, or -1
 * after logging the file, line and reason. */
int live_config_file(live_options *o, const char *path);
/* "slac" | "sdp" | "session". 0 or -1. */
int live_until_parse(const char *s, live_until *out);

typedef struct live live;
struct live {
    live_options o;
    app_slac s;                       /* loop, raw link, SLAC runner */
    int ifindex;
    uint8_t ip[16], peer_ip[16], peer_mac[6];
    uint16_t port, peer_port;         /* V2GTP: the charger's server port; the other end's port */
    /* SDP */
    int udp;
    sdp_client sdp;
    sdp_server srv;
    ccs_timer sdp_timer, addr_timer, deadline;
    uint32_t addr_waited;
    /* V2GTP */
    int lfd, fd;
    v2gtp_reasm r;
    uint8_t rbuf[V2GTP_HEADER_LEN + LIVE_MAX_PAYLOAD];
    pcapng_tcp_flow flow;
    /* session and simulated hardware */
    sess_evse evse;
    sess_pev pev;
    phys_plant plant;
    ccs_timer step;
    uint32_t last_step, t_start, t_linked, t_sdp, t_first_current;
    int stopping;                     /* stopping after q / a signal / the time limit: wait for the safe state */
    int stop_rc;                      /* why */
    /* output */
    pcapng_writer pcap;
    int have_pcap;
    int tty_keys, tty_status;
    struct termios tty_saved;
    ccs_timer status;
    uint32_t messages;
};

/* Runs the phases up to o.until; returns the exit code (0: the phase completed, or the session ended normally). */
int live_run(live *l);
/* cmd_evse / cmd_pev: options, config file, run. */
int live_main(live_role role, int argc, char **argv);

/* Plant, charger and car session configuration from the options. */
void live_configure(const live_options *o, const uint8_t pev_mac[6], phys_plant *pl, sess_evse_config *ec,
                    sess_pev_config *pc);
/* Phases on l->s.loop. Each returns 0 when done, else a CCS_E* (logged). */
int live_sdp(live *l);
int live_session(live *l);
/* --sim: the simulated modems and the peer in this process (`ccsplc demo`'s machinery). Exit code. */
int live_sim(live *l);

/* pcap of the charger's or car's interface (nothing without --pcap). */
void live_pcap_frame(live *l, int out, const uint8_t *frame, size_t len);
void live_pcap_udp(live *l, int out, const uint8_t peer_ip[16], uint16_t our_port, uint16_t peer_port,
                   const uint8_t *payload, size_t len);
uint64_t live_wall_ns(void);

/* Terminal: keys on stdin (space: stop charging gracefully; q: safe stop, then quit) and a status line on
 * stderr, each only when that is a terminal. */
void live_tty_open(live *l);
void live_tty_close(live *l);
/* Session-level helpers shared by the phases. */
const char *live_role_name(const live *l);
void live_request_stop(live *l, int graceful);

#endif
