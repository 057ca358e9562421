/* Simulated powerline with QCA-like modems (sans-I/O): N ports, each a host and its modem; attenuation per
 * port pair; AVLN membership by NMK; modem answers (GET_SW, OP_ATTRIBUTES, SET_KEY, VS_SET_KEY, NW_INFO, PIB
 * access, ATTEN_PROFILE); any frame bridged inside an AVLN; loss, delay, duplication, loss bursts, reordering
 * and bit corruption from a caller-seeded deterministic PRNG. Fixed capacities, no allocation. */
#ifndef CCSPLC_PLCSIM_H
#define CCSPLC_PLCSIM_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/hpgp.h"
#include "ccsplc/core/sha256.h"

#define SIM_MAX_PORTS 8
#define SIM_QUEUE_CAP 64
#define SIM_FRAME_MAX HPGP_MAX_FRAME

/* One host + its modem. */
typedef struct {
    uint8_t host_mac[6];
    uint8_t modem_mac[6];
    uint8_t device_class;            /* VS_SW_VER.CNF DeviceClass, e.g. 0x20 (QCA7420), 0x22 (QCA7000) */
    const char *firmware;            /* VS_SW_VER.CNF version, e.g. "MAC-QCA7000-1.1.0.727-02-20130826-FINAL" */
    uint32_t restart_ms;             /* offline time after SET_KEY, VS_RS_DEV or a commit with reset */
    uint8_t no_atten_profile;        /* 1: like an AR7420, never sends CM_ATTEN_PROFILE.IND */
    uint8_t setkey_result;           /* Result byte of SET_KEY.CNF (QCA modems in the captures send 1) */
    uint8_t *pib;                    /* caller-owned module 0x7002 (PIB file) for VS_RD_MOD/WR_MOD/MODULE_OPERATION */
    size_t pib_len;                  /* its length (a QCA7000 holds an NVM chain: hpgp_pib_init_nvm) ... */
    size_t pib_cap;                  /* ... and the buffer's size, what a write session may fill (0: pib_len) */
} sim_port_config;

typedef struct {
    uint32_t delay_ms;               /* powerline latency */
    uint32_t jitter_ms;              /* plus a random 0..jitter_ms */
    uint32_t modem_reply_ms;         /* latency of a modem's own answers */
    uint16_t loss_permille;          /* frames lost on the powerline */
    uint16_t dup_permille;           /* frames delivered twice */
    uint8_t max_atten_db;            /* links above this attenuation carry nothing; 0 = no limit */
    uint32_t seed;                   /* PRNG seed (0 is replaced by a fixed non-zero value) */
    uint16_t burst_permille;         /* chance that a frame starts a burst of losses ... */
    uint16_t burst_len;              /* ... of this many frames (that one included) */
    uint16_t reorder_permille;       /* frames held back reorder_ms, so that later ones overtake them */
    uint32_t reorder_ms;
    uint16_t corrupt_permille;       /* frames delivered with one bit flipped (a modem that let it through) */
    ccs_sha256_fn sha256;            /* optional: the NID of a key given without one (VS_SET_KEY, set_nmk) */
} sim_plc_config;

typedef struct {
    uint32_t sent, delivered, modem_answers, atten_profiles;
    uint32_t dropped_avln;           /* unicast/data frame between hosts not in one AVLN */
    uint32_t dropped_offline;        /* a modem on the path was restarting */
    uint32_t dropped_loss, dropped_range, dropped_full, duplicated;
    uint32_t dropped_burst, reordered, corrupted;
} sim_stats;

typedef struct {
    sim_port_config cfg;
    uint8_t nmk[HPGP_NMK_LEN];
    uint8_t nid[HPGP_NID_LEN];       /* the NID that came with the key (zero if unknown) */
    uint8_t has_nmk;
    uint32_t online_at;              /* restarting until this time */
    size_t pib_len;                  /* the module's length now (a committed write session changes it) */
    uint32_t session_id;             /* VS_MODULE_OPERATION write session */
    uint32_t session_len, session_checksum;
    uint8_t session_open;
} sim_port;

typedef struct {
    uint32_t due, seq;
    uint8_t used, port;
    uint16_t len;
    uint8_t data[SIM_FRAME_MAX];
} sim_frame;

typedef struct {
    sim_plc_config cfg;
    uint8_t nports;
    sim_port port[SIM_MAX_PORTS];
    uint8_t atten[SIM_MAX_PORTS][SIM_MAX_PORTS];
    sim_frame q[SIM_QUEUE_CAP];
    uint32_t seq, rng;
    uint16_t burst_left;             /* frames still to lose in the current burst */
    sim_stats stats;
} sim_plc;

void sim_plc_init(sim_plc *plc, const sim_plc_config *cfg);
/* Add a port; returns its index or CCS_ENOSPC / CCS_EINVAL. */
int sim_plc_add_port(sim_plc *plc, const sim_port_config *cfg);
/* Attenuation in dB between two ports (both directions). */
int sim_plc_set_atten(sim_plc *plc, int a, int b, uint8_t db);
/* Change the host MAC of a port (a bridge learns it from the first frame the host sends). */
int sim_plc_set_host_mac(sim_plc *plc, int port, const uint8_t mac[6]);
/* Give a port's modem a key directly (as if stored in its PIB); its NID from cfg.sha256 (security level 0). */
int sim_plc_set_nmk(sim_plc *plc, int port, const uint8_t nmk[HPGP_NMK_LEN]);
/* The host on `port` transmits a frame at now_ms. 0 or CCS_EINVAL / CCS_ETRUNC; drops are counted in stats. */
int sim_plc_send(sim_plc *plc, int port, const uint8_t *frame, size_t len, uint32_t now_ms);
/* Take the next frame due by now_ms for some host: returns 1 with *port_out, buf and *len set, 0 when
 * nothing is due, CCS_ENOSPC if buf is too small (the frame stays queued). */
int sim_plc_poll(sim_plc *plc, uint32_t now_ms, int *port_out, uint8_t *buf, size_t cap, size_t *len);
/* Earliest delivery time: returns 1 and sets *due_ms, or 0 when the queue is empty. */
int sim_plc_next_due(const sim_plc *plc, uint32_t *due_ms);
/* The modem of `port` restarts now (power glitch, firmware reset): offline for its restart_ms, key kept. */
int sim_plc_restart_modem(sim_plc *plc, int port, uint32_t now_ms);
/* 1 when the modems of ports a and b are online at now_ms and share an NMK. */
int sim_plc_same_avln(const sim_plc *plc, int a, int b, uint32_t now_ms);

#endif
