/* VS_NW_INFO.CNF of a simulated modem: the AVLN it belongs to (the modems online with its NMK), its CCo (the
 * first member whose PIB says "always CCo", else the first that may be one), TEIs (the CCo 1, the others in port
 * order), and one record per other station with the host behind it and Green PHY's 10 Mbit/s PHY rate. */
#include <string.h>

#include "ccsplc/core/pib.h"
#include "sim_internal.h"

enum { ROLE_STA = 0, ROLE_CCO = 2, CCO_AUTO = 0, CCO_NEVER = 1, CCO_ALWAYS = 2, NW_HEAD_LEN = 2, NW_AVLN_LEN = 32 };
enum { GP_PHY_MBPS = 10 /* HomePlug Green PHY: ROBO modulation only, 10 Mbit/s at most */ };

/* CCo selection of a port's PIB (auto when the module holds no PIB we can read). */
static uint8_t cco_selection(const sim_port *p)
{
    hpgp_pib_view v;
    if (!p->cfg.pib || hpgp_pib_open(p->cfg.pib, p->pib_len, &v) != 0) return CCO_AUTO;
    return p->cfg.pib[v.off + HPGP_PIB_OFF_CCO];
}

static int member(const sim_plc *plc, int port, int q, uint32_t now)
{
    return q == port ? plc->port[port].has_nmk && sim_port_online(plc, port, now) : sim_plc_same_avln(plc, port, q, now);
}

/* The CCo of the AVLN of `port`: an "always" member, else the first member that is not "never", else the first. */
static int cco_of(const sim_plc *plc, int port, uint32_t now)
{
    int first = -1, may = -1;
    for (int q = 0; q < plc->nports; q++) {
        if (!member(plc, port, q, now)) continue;
        uint8_t sel = cco_selection(&plc->port[q]);
        if (sel == CCO_ALWAYS) return q;
        if (first < 0) first = q;
        if (may < 0 && sel != CCO_NEVER) may = q;
    }
    return may >= 0 ? may : first;
}

static uint8_t tei_of(const sim_plc *plc, int port, int cco, int q, uint32_t now)
{
    if (q == cco) return 1;
    uint8_t tei = 2;
    for (int k = 0; k < q; k++)
        if (k != cco && member(plc, port, k, now)) tei++;
    return tei;
}

void sim_nw_info(sim_plc *plc, int port, hpgp_msg *cnf, uint8_t stas[SIM_MAX_PORTS * HPGP_NW_STA_LEN], uint32_t now)
{
    const sim_port *m = &plc->port[port];
    hpgp_msg_init(cnf, HPGP_K_NW_INFO_CNF, NULL, NULL);
    hpgp_nw_info_cnf *c = &cnf->u.nw_info_cnf;
    c->data_len = NW_HEAD_LEN;
    int others = 0;
    for (int q = 0; q < plc->nports; q++) others += q != port && member(plc, port, q, now);
    /* alone, a modem is an unassociated station, unless its PIB makes it a CCo */
    if (!m->has_nmk || (!others && cco_selection(m) != CCO_ALWAYS)) return;
    int cco = cco_of(plc, port, now);
    c->num_avlns = 1;
    memcpy(c->nid, m->nid, HPGP_NID_LEN);
    c->snid = m->nid[0] & 0x0F;
    c->tei = tei_of(plc, port, cco, port, now);
    c->role = cco == port ? ROLE_CCO : ROLE_STA;
    memcpy(c->cco_mac, plc->port[cco].cfg.modem_mac, 6);
    c->cco_tei = 1;
    for (int q = 0; q < plc->nports; q++) {
        if (q == port || !member(plc, port, q, now)) continue;
        hpgp_nw_sta s = { .tei = tei_of(plc, port, cco, q, now), .tx_mbps = GP_PHY_MBPS, .rx_mbps = GP_PHY_MBPS };
        memcpy(s.mac, plc->port[q].cfg.modem_mac, 6);
        memcpy(s.bda, plc->port[q].cfg.host_mac, 6);
        hpgp_nw_sta_put(stas + c->num_stas++ * HPGP_NW_STA_LEN, &s);
    }
    c->stas = stas;
    c->data_len = (uint16_t)(NW_HEAD_LEN + NW_AVLN_LEN + c->num_stas * HPGP_NW_STA_LEN);
}
