/* `ccsplc plcsim` internals: Linux interfaces bridged through the simulated powerline (sim_plc), one port
 * per interface, an optional monitor interface that sees all powerline traffic. */
#ifndef CCSPLC_APP_PLCSIM_BRIDGE_H
#define CCSPLC_APP_PLCSIM_BRIDGE_H

#include <stdint.h>

#include "ccsplc/linux/link.h"
#include "ccsplc/linux/loop.h"
#include "ccsplc/core/pib.h"
#include "ccsplc/sim/plcsim.h"

#define PLCSIM_PIB_LEN (HPGP_NVM_HEADER_LEN + HPGP_PIB_MIN_LEN) /* a modem's PIB chain at start */
#define PLCSIM_PIB_CAP 0x10000u                                 /* what a PIB write may fill */
#define PLCSIM_NAME_MAX 16

typedef struct {
    char name[PLCSIM_NAME_MAX];
    const char *ifname;
    uint8_t atten_db;              /* this port's share of every pair's attenuation */
    hpgp_pib_role role;            /* 0: none */
    ccs_link link;
    uint8_t host_known, warned_oversize;
    uint8_t pib[PLCSIM_PIB_CAP];
} plcsim_port;

typedef struct {
    int a, b;
    uint8_t db;
} plcsim_pair;

typedef struct {
    sim_plc_config cfg;
    uint32_t restart_ms;
    int nports, npairs;
    plcsim_port port[SIM_MAX_PORTS];
    plcsim_pair pair[SIM_MAX_PORTS * SIM_MAX_PORTS];
    const char *monitor;
    ccs_link mon;
    sim_plc plc;
    ccs_loop loop;
    ccs_timer due;
    uint8_t buf[SIM_FRAME_MAX];
} plcsim;

/* Open every interface, build the powerline, run until SIGINT/SIGTERM. 0 or CCS_E* (logged). */
int plcsim_run(plcsim *s);

#endif
