/* The simulated powerline: ports, attenuation, AVLN rules, and routing of what a host transmits
 * (management requests to modems, SLAC messages to every reachable host, data only inside an AVLN). */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "hpgp/wire.h"
#include "sim_internal.h"

enum { DEFAULT_SEED = 0x2545F491u };

void sim_plc_init(sim_plc *plc, const sim_plc_config *cfg)
{
    memset(plc, 0, sizeof *plc);
    if (cfg) plc->cfg = *cfg;
    plc->rng = plc->cfg.seed ? plc->cfg.seed : DEFAULT_SEED;
}

static int valid_port(const sim_plc *plc, int p) { return p >= 0 && p < plc->nports; }

int sim_plc_add_port(sim_plc *plc, const sim_port_config *cfg)
{
    if (!plc || !cfg || ((cfg->pib_len || cfg->pib_cap) && !cfg->pib) || (cfg->pib_cap && cfg->pib_cap < cfg->pib_len))
        return CCS_EINVAL;
    if (plc->nports >= SIM_MAX_PORTS) return CCS_ENOSPC;
    sim_port *p = &plc->port[plc->nports];
    memset(p, 0, sizeof *p);
    p->cfg = *cfg;
    if (!p->cfg.pib_cap) p->cfg.pib_cap = cfg->pib_len;
    p->pib_len = cfg->pib_len;
    return plc->nports++;
}

int sim_plc_set_atten(sim_plc *plc, int a, int b, uint8_t db)
{
    if (!valid_port(plc, a) || !valid_port(plc, b)) return CCS_EINVAL;
    plc->atten[a][b] = plc->atten[b][a] = db;
    return 0;
}

int sim_plc_set_host_mac(sim_plc *plc, int port, const uint8_t mac[6])
{
    if (!valid_port(plc, port) || !mac) return CCS_EINVAL;
    memcpy(plc->port[port].cfg.host_mac, mac, 6);
    return 0;
}

int sim_plc_set_nmk(sim_plc *plc, int port, const uint8_t nmk[HPGP_NMK_LEN])
{
    if (!valid_port(plc, port) || !nmk) return CCS_EINVAL;
    sim_modem_take_key(plc, port, nmk, NULL);
    return 0;
}

int sim_port_online(const sim_plc *plc, int port, uint32_t now) { return sim_reached(now, plc->port[port].online_at); }

void sim_modem_restart(sim_plc *plc, int port, uint32_t now) { plc->port[port].online_at = now + plc->port[port].cfg.restart_ms; }

int sim_plc_restart_modem(sim_plc *plc, int port, uint32_t now_ms)
{
    if (!valid_port(plc, port)) return CCS_EINVAL;
    sim_modem_restart(plc, port, now_ms);
    return 0;
}

int sim_plc_same_avln(const sim_plc *plc, int a, int b, uint32_t now_ms)
{
    if (!valid_port(plc, a) || !valid_port(plc, b)) return 0;
    const sim_port *pa = &plc->port[a], *pb = &plc->port[b];
    return pa->has_nmk && pb->has_nmk && memcmp(pa->nmk, pb->nmk, HPGP_NMK_LEN) == 0 &&
           sim_port_online(plc, a, now_ms) && sim_port_online(plc, b, now_ms);
}

/* Messages a modem consumes instead of putting them on the powerline. */
static int is_management(uint16_t mmtype)
{
    uint16_t base = (uint16_t)(mmtype & ~3u);
    return (mmtype >= 0xA000 && mmtype <= 0xBFFF) || base == HPGP_CM_SET_KEY || base == HPGP_CM_GET_KEY;
}

/* SLAC messages travel between stations that are not (yet) in one AVLN. */
static int is_slac(uint16_t mmtype) { return mmtype >= HPGP_CM_SLAC_PARAM && mmtype <= (HPGP_CM_ATTEN_PROFILE | 3); }

static uint32_t line_due(sim_plc *plc, uint32_t now)
{
    uint32_t j = plc->cfg.jitter_ms ? sim_rand(plc) % (plc->cfg.jitter_ms + 1) : 0;
    return now + plc->cfg.delay_ms + j;
}

/* The modem of `to` heard an MNBC sound from the host of `from`: tell its host the attenuation. */
static void atten_profile(sim_plc *plc, int from, int to, uint32_t due)
{
    const sim_port *rx = &plc->port[to];
    if (rx->cfg.no_atten_profile) return;
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_ATTEN_PROFILE_IND, hpgp_broadcast_mac, rx->cfg.modem_mac);
    memcpy(m.u.atten_profile.pev_mac, plc->port[from].cfg.host_mac, 6);
    memset(m.u.atten_profile.aag, plc->atten[from][to], HPGP_NUM_GROUPS);
    sim_modem_send(plc, to, to, &m, due);
    plc->stats.atten_profiles++;
}

/* 1 when this frame is lost in a burst (one running, or one starting with it). */
static int burst_loss(sim_plc *plc)
{
    if (plc->burst_left) {
        plc->burst_left--;
        return 1;
    }
    if (!sim_chance(plc, plc->cfg.burst_permille)) return 0;
    plc->burst_left = plc->cfg.burst_len ? (uint16_t)(plc->cfg.burst_len - 1) : 0;
    return 1;
}

/* Queue a frame that made it across: maybe held back (reordering), maybe with one bit flipped. */
static void arrive(sim_plc *plc, int b, const uint8_t *frame, size_t len, uint32_t due)
{
    uint8_t bad[SIM_FRAME_MAX];
    if (sim_chance(plc, plc->cfg.reorder_permille)) {
        due += plc->cfg.reorder_ms;
        plc->stats.reordered++;
    }
    if (sim_chance(plc, plc->cfg.corrupt_permille)) {
        uint32_t bit = sim_rand(plc) % (uint32_t)(len * 8);
        memcpy(bad, frame, len);
        bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        frame = bad;
        plc->stats.corrupted++;
    }
    sim_enqueue(plc, b, frame, len, due);
}

/* One copy of a host's frame across the line from port a to the host of port b. */
static void carry(sim_plc *plc, int a, int b, const uint8_t *frame, size_t len, uint16_t mmtype, int hp, uint32_t now)
{
    int slac = hp && is_slac(mmtype);
    if (!sim_port_online(plc, b, now)) {
        plc->stats.dropped_offline++;
    } else if (plc->cfg.max_atten_db && plc->atten[a][b] > plc->cfg.max_atten_db) {
        plc->stats.dropped_range++;
    } else if (!slac && !sim_plc_same_avln(plc, a, b, now)) {
        plc->stats.dropped_avln++;
    } else if (sim_chance(plc, plc->cfg.loss_permille)) {
        plc->stats.dropped_loss++;
    } else if (burst_loss(plc)) {
        plc->stats.dropped_burst++;
    } else {
        uint32_t due = line_due(plc, now);
        arrive(plc, b, frame, len, due);
        if (slac && mmtype == (HPGP_CM_MNBC_SOUND | HPGP_IND)) atten_profile(plc, a, b, due);
        if (sim_chance(plc, plc->cfg.dup_permille)) {
            plc->stats.duplicated++;
            sim_enqueue(plc, b, frame, len, due + 1);
        }
    }
}

/* A management request: the local modem answers; a vendor request to the MAC of a modem in the same AVLN is
 * answered by that modem over the line (plctool/plcstat with a remote MAC), a broadcast GET_SW by all of them. */
static void management(sim_plc *plc, int p, const uint8_t *frame, size_t len, uint32_t now)
{
    hpgp_msg req;
    if (hpgp_unpack(frame, len, &req) != 0) return;
    const uint8_t *dst = req.hdr.dst;
    int bcast = wire_mac_eq(dst, hpgp_broadcast_mac);
    if (bcast || wire_mac_eq(dst, hpgp_local_modem_mac) || wire_mac_eq(dst, plc->port[p].cfg.modem_mac))
        sim_modem_answer(plc, p, p, &req, now);
    int vendor = req.hdr.mmtype >= HPGP_VS_SW_VER;
    for (int q = 0; q < plc->nports; q++) {
        int to_q = bcast ? req.kind == HPGP_K_SW_VER_REQ : vendor && wire_mac_eq(dst, plc->port[q].cfg.modem_mac);
        if (q != p && to_q && sim_plc_same_avln(plc, p, q, now)) sim_modem_answer(plc, q, p, &req, line_due(plc, now));
    }
}

int sim_plc_send(sim_plc *plc, int port, const uint8_t *frame, size_t len, uint32_t now_ms)
{
    if (!plc || !frame || !valid_port(plc, port) || len > SIM_FRAME_MAX) return CCS_EINVAL;
    if (len < 14) return CCS_ETRUNC;
    plc->stats.sent++;
    if (!sim_port_online(plc, port, now_ms)) {
        plc->stats.dropped_offline++;
        return 0;
    }
    hpgp_header h;
    int hp = hpgp_parse_header(frame, len, &h) == 0;
    if (hp && is_management(h.mmtype)) {
        management(plc, port, frame, len, now_ms);
        return 0;
    }
    for (int q = 0; q < plc->nports; q++)
        if (q != port && (wire_mac_is_group(frame) || wire_mac_eq(frame, plc->port[q].cfg.host_mac)))
            carry(plc, port, q, frame, len, h.mmtype, hp, now_ms);
    return 0;
}
