/* What a simulated QCA modem answers its host: VS_SW_VER, CM_SET_KEY (then a restart with the new NMK),
 * VS_RS_DEV, VS_PL_LINK_STATUS, VS_OP_ATTRIBUTES; PIB access is in modem_pib.c. */
#include <string.h>

#include "sim_internal.h"

enum { SET_KEY_PMN = 0xFF /* as the QCA modems in the captures answer */ };

void sim_modem_send(sim_plc *plc, int modem_port, int host_port, hpgp_msg *msg, uint32_t due)
{
    uint8_t buf[SIM_FRAME_MAX];
    size_t len;
    memcpy(msg->hdr.src, plc->port[modem_port].cfg.modem_mac, 6);
    if (hpgp_pack(msg, buf, sizeof buf, &len) == 0 && sim_enqueue(plc, host_port, buf, len, due) == 0)
        plc->stats.modem_answers++;
}

static size_t text_len(const char *s, size_t max)
{
    size_t n = 0;
    while (s && n < max && s[n]) n++;
    return n;
}

/* "MAC-QCA7420-1.4..." -> "QCA7420": the chip name of a QCA firmware string. */
static void hw_platform(const char *fw, uint8_t out[16])
{
    size_t n = text_len(fw, 255), i = 0;
    const char *dash = fw ? memchr(fw, '-', n) : NULL;
    if (!dash) return;
    for (dash++; i < 15 && dash + i < fw + n && dash[i] != '-'; i++) out[i] = (uint8_t)dash[i];
}

static int other_station_in_avln(const sim_plc *plc, int port, uint32_t now)
{
    for (int q = 0; q < plc->nports; q++)
        if (q != port && sim_plc_same_avln(plc, port, q, now)) return 1;
    return 0;
}

void sim_modem_answer(sim_plc *plc, int modem_port, int host_port, const hpgp_msg *req, uint32_t now)
{
    sim_port *m = &plc->port[modem_port];
    hpgp_msg cnf;
    const uint8_t *to = req->hdr.src;
    uint32_t due = now + plc->cfg.modem_reply_ms;
    switch (req->kind) {
    case HPGP_K_SW_VER_REQ: {
        hpgp_msg_init(&cnf, HPGP_K_SW_VER_CNF, to, NULL);
        size_t n = text_len(m->cfg.firmware, 253);
        cnf.u.sw_ver_cnf.device_class = m->cfg.device_class;
        cnf.u.sw_ver_cnf.version_len = (uint8_t)(n + 1); /* with its NUL, like real modems */
        cnf.u.sw_ver_cnf.version = (const uint8_t *)(m->cfg.firmware ? m->cfg.firmware : "");
        break;
    }
    case HPGP_K_SET_KEY_REQ:
        hpgp_msg_init(&cnf, HPGP_K_SET_KEY_CNF, to, NULL);
        cnf.u.set_key_cnf.result = m->cfg.setkey_result;
        cnf.u.set_key_cnf.my_nonce = sim_rand(plc);
        cnf.u.set_key_cnf.your_nonce = req->u.set_key_req.my_nonce;
        cnf.u.set_key_cnf.pid = req->u.set_key_req.pid;
        cnf.u.set_key_cnf.prn = req->u.set_key_req.prn;
        cnf.u.set_key_cnf.pmn = SET_KEY_PMN;
        memcpy(m->nmk, req->u.set_key_req.new_key, HPGP_NMK_LEN);
        m->has_nmk = 1;
        sim_modem_send(plc, modem_port, host_port, &cnf, due);
        sim_modem_restart(plc, modem_port, now);
        return;
    case HPGP_K_RS_DEV_REQ:
        hpgp_msg_init(&cnf, HPGP_K_RS_DEV_CNF, to, NULL);
        sim_modem_send(plc, modem_port, host_port, &cnf, due);
        sim_modem_restart(plc, modem_port, now);
        return;
    case HPGP_K_LINK_STATUS_REQ:
        hpgp_msg_init(&cnf, HPGP_K_LINK_STATUS_CNF, to, NULL);
        cnf.u.status.value = (uint8_t)other_station_in_avln(plc, modem_port, now);
        break;
    case HPGP_K_OP_ATTR_REQ:
        hpgp_msg_init(&cnf, HPGP_K_OP_ATTR_CNF, to, NULL);
        cnf.u.op_attr_cnf.cookie = req->u.op_attr_req.cookie;
        cnf.u.op_attr_cnf.report_type = req->u.op_attr_req.report_type;
        cnf.u.op_attr_cnf.size = 72; /* the bytes from HW platform to release type */
        hw_platform(m->cfg.firmware, cnf.u.op_attr_cnf.hw_platform);
        memcpy(cnf.u.op_attr_cnf.sw_platform, "MAC", 3);
        break;
    default:
        if (!sim_pib_answer(plc, modem_port, req, &cnf, now)) return;
        memcpy(cnf.hdr.dst, to, 6);
        break;
    }
    sim_modem_send(plc, modem_port, host_port, &cnf, due);
}
