/* Internal interface between the powerline (plc.c), its frame queue (queue.c) and the modems (modem*.c). */
#ifndef CCSPLC_SIM_INTERNAL_H
#define CCSPLC_SIM_INTERNAL_H

#include "ccsplc/sim/plcsim.h"

/* Signed time comparison that survives uint32 wrap-around. */
static inline int sim_reached(uint32_t now, uint32_t t) { return (int32_t)(now - t) >= 0; }

/* Next value of the deterministic PRNG (xorshift32). */
uint32_t sim_rand(sim_plc *plc);
/* 1 with probability permille/1000. */
int sim_chance(sim_plc *plc, uint16_t permille);
int sim_port_online(const sim_plc *plc, int port, uint32_t now);
/* Queue a frame for the host of `port`, due at `due`. 0 or CCS_ENOSPC (counted as dropped_full). */
int sim_enqueue(sim_plc *plc, int port, const uint8_t *frame, size_t len, uint32_t due);
/* Pack msg (from modem_port's modem to the host of host_port) and queue it. */
void sim_modem_send(sim_plc *plc, int modem_port, int host_port, hpgp_msg *msg, uint32_t due);
/* The modem of modem_port answers a management request from the host of host_port. */
void sim_modem_answer(sim_plc *plc, int modem_port, int host_port, const hpgp_msg *req, uint32_t now);
/* The modem of `port` takes a key: nid as given, or derived (cfg.sha256, level 0) when NULL. */
void sim_modem_take_key(sim_plc *plc, int port, const uint8_t nmk[HPGP_NMK_LEN], const uint8_t *nid);
/* VS_SW_VER and VS_OP_ATTRIBUTES from the firmware string; 1 if req was one (cnf filled). */
int sim_attr_answer(sim_plc *plc, int port, const hpgp_msg *req, hpgp_msg *cnf);
/* VS_NW_INFO.CNF of the modem of `port`; the station records go into stas, which cnf points to. */
void sim_nw_info(sim_plc *plc, int port, hpgp_msg *cnf, uint8_t stas[SIM_MAX_PORTS * HPGP_NW_STA_LEN], uint32_t now);
/* PIB access requests (VS_RD_MOD, VS_WR_MOD, VS_MOD_NVM, VS_MODULE_OPERATION); 1 if req was one. */
int sim_pib_answer(sim_plc *plc, int port, const hpgp_msg *req, hpgp_msg *cnf, uint32_t now);
/* Take the modem of `port` offline for its restart time. */
void sim_modem_restart(sim_plc *plc, int port, uint32_t now);

#endif
