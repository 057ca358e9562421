/* What a simulated QCA modem answers its host: CM_SET_KEY and VS_SET_KEY (then a restart with the new key),
 * VS_RS_DEV, VS_PL_LINK_STATUS; the version and attribute reports are in modem_attr.c, VS_NW_INFO in
 * modem_nw.c, PIB access in modem_pib.c. */
#include <string.h>

#include "sim_internal.h"

enum { SET_KEY_PMN = 0xFF /* as the QCA modems in the captures answer */, MSTATUS_FAIL = 1 };

void sim_modem_send(sim_plc *plc, int modem_port, int host_port, hpgp_msg *msg, uint32_t due)
{
    uint8_t buf[SIM_FRAME_MAX];
    size_t len;
    memcpy(msg->hdr.src, plc->port[modem_port].cfg.modem_mac, 6);
    if (hpgp_pack(msg, buf, sizeof buf, &len) == 0 && sim_enqueue(plc, host_port, buf, len, due) == 0)
        plc->stats.modem_answers++;
}

void sim_modem_take_key(sim_plc *plc, int port, const uint8_t nmk[HPGP_NMK_LEN], const uint8_t *nid)
{
    sim_port *m = &plc->port[port];
    memcpy(m->nmk, nmk, HPGP_NMK_LEN);
    memset(m->nid, 0, HPGP_NID_LEN);
    if (nid) memcpy(m->nid, nid, HPGP_NID_LEN);
    else if (plc->cfg.sha256) hpgp_nid_from_nmk(plc->cfg.sha256, nmk, 0, m->nid);
    m->has_nmk = 1;
}

static int other_station_in_avln(const sim_plc *plc, int port, uint32_t now)
{
    for (int q = 0; q < plc->nports; q++)
        if (q != port && sim_plc_same_avln(plc, port, q, now)) return 1;
    return 0;
}

/* VS_SET_KEY: the local modem's own key (PEKS 0x0F), or the key of the remote station RDA (sent with its DAK,
 * which the simulation does not check). The keyed modem restarts with it. */
static void vs_set_key(sim_plc *plc, int modem_port, const hpgp_vs_set_key_req *r, hpgp_msg *cnf, uint32_t now)
{
    int target = modem_port;
    if (r->peks != HPGP_VS_SET_KEY_PEKS_LOCAL)
        for (target = plc->nports - 1; target >= 0; target--)
            if (!memcmp(plc->port[target].cfg.modem_mac, r->rda, 6)) break;
    cnf->u.status.mstatus = target < 0 ? MSTATUS_FAIL : 0;
    if (target < 0) return;
    sim_modem_take_key(plc, target, r->nmk, NULL);
    sim_modem_restart(plc, target, now);
}

void sim_modem_answer(sim_plc *plc, int modem_port, int host_port, const hpgp_msg *req, uint32_t now)
{
    hpgp_msg cnf;
    const uint8_t *to = req->hdr.src;
    uint32_t due = now + plc->cfg.modem_reply_ms;
    uint8_t stas[SIM_MAX_PORTS * HPGP_NW_STA_LEN]; /* VS_NW_INFO.CNF points into it until it is sent */
    switch (req->kind) {
    case HPGP_K_SET_KEY_REQ:
        hpgp_msg_init(&cnf, HPGP_K_SET_KEY_CNF, to, NULL);
        cnf.u.set_key_cnf.result = plc->port[modem_port].cfg.setkey_result;
        cnf.u.set_key_cnf.my_nonce = sim_rand(plc);
        cnf.u.set_key_cnf.your_nonce = req->u.set_key_req.my_nonce;
        cnf.u.set_key_cnf.pid = req->u.set_key_req.pid;
        cnf.u.set_key_cnf.prn = req->u.set_key_req.prn;
        cnf.u.set_key_cnf.pmn = SET_KEY_PMN;
        sim_modem_take_key(plc, modem_port, req->u.set_key_req.new_key, req->u.set_key_req.nid);
        sim_modem_send(plc, modem_port, host_port, &cnf, due);
        sim_modem_restart(plc, modem_port, now);
        return;
    case HPGP_K_VS_SET_KEY_REQ:
        hpgp_msg_init(&cnf, HPGP_K_VS_SET_KEY_CNF, to, NULL);
        vs_set_key(plc, modem_port, &req->u.vs_set_key_req, &cnf, now);
        break;
    case HPGP_K_RS_DEV_REQ:
        hpgp_msg_init(&cnf, HPGP_K_RS_DEV_CNF, to, NULL);
        sim_modem_send(plc, modem_port, host_port, &cnf, due);
        sim_modem_restart(plc, modem_port, now);
        return;
    case HPGP_K_LINK_STATUS_REQ:
        hpgp_msg_init(&cnf, HPGP_K_LINK_STATUS_CNF, to, NULL);
        cnf.u.status.value = (uint8_t)other_station_in_avln(plc, modem_port, now);
        break;
    case HPGP_K_NW_INFO_REQ: sim_nw_info(plc, modem_port, &cnf, stas, now); break;
    default:
        if (!sim_attr_answer(plc, modem_port, req, &cnf) && !sim_pib_answer(plc, modem_port, req, &cnf, now)) return;
        break;
    }
    memcpy(cnf.hdr.dst, to, 6);
    sim_modem_send(plc, modem_port, host_port, &cnf, due);
}
