/* `ccsplc plcsim` at run time: frames from each port's interface (every ethertype, as a modem bridges them) go
 * into the simulated powerline; what it delivers goes out on the addressed port's interface (and everything to
 * the monitor). Host MACs are learned from the frames each host sends. Each modem starts from its own PIB (an
 * NVM chain, as a QCA7000 holds it) with a random NMK and its NID, and runs with that key. */
#include "plcsim_bridge.h"

#include <poll.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/random.h"
#include "ccsplc/core/sha256.h"
#include "app_streams.h"

static const char firmware[] = "MAC-QCA7000-1.1.0.727-02-20130826-FINAL"; /* as the modems in the captures */
enum { DEVICE_CLASS_QCA7000 = 0x22, SETKEY_RESULT_QCA = 1 };

static void modem_mac(int i, uint8_t mac[6])
{
    const uint8_t m[6] = { 0x02, 0xB0, 0x52, 0x00, 0x00, (uint8_t)(0x10 + i) };
    memcpy(mac, m, 6);
}

static void to_monitor(plcsim *s, const uint8_t *frame, size_t len)
{
    if (s->monitor) ccs_link_send(&s->mon, frame, len);
}

static int from_modem(const plcsim *s, const uint8_t *frame)
{
    for (int i = 0; i < s->nports; i++)
        if (!memcmp(frame + 6, s->plc.port[i].cfg.modem_mac, 6)) return 1;
    return 0;
}

static void on_due(ccs_loop *loop, void *ctx);

/* Deliver every frame that is due, then wake again for the next one. */
static void deliver(plcsim *s)
{
    uint32_t now = ccs_loop_now(&s->loop), next;
    int port;
    size_t len;
    while (sim_plc_poll(&s->plc, now, &port, s->buf, sizeof s->buf, &len) == 1) {
        if (ccs_link_send(&s->port[port].link, s->buf, len) != 0) LOG_D("plcsim: %s: send failed", s->port[port].name);
        if (from_modem(s, s->buf)) to_monitor(s, s->buf, len);
    }
    if (sim_plc_next_due(&s->plc, &next)) ccs_loop_timer_at(&s->loop, &s->due, next, on_due, s);
}

static void on_due(ccs_loop *loop, void *ctx)
{
    (void)loop;
    deliver(ctx);
}

static void learn_host(plcsim *s, int i, const uint8_t *frame)
{
    const uint8_t *src = frame + 6;
    if (src[0] & 1 || (s->port[i].host_known && !memcmp(s->plc.port[i].cfg.host_mac, src, 6))) return;
    char mac[CCS_MAC_TEXT];
    LOG_I("plcsim: port %s: host %s", s->port[i].name, ccs_mac_format(src, mac));
    sim_plc_set_host_mac(&s->plc, i, src);
    s->port[i].host_known = 1;
}

static void on_port(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)revents;
    plcsim *s = ctx;
    int i = 0;
    while (i < s->nports && s->port[i].link.fd != fd) i++;
    if (i == s->nports) return;
    plcsim_port *p = &s->port[i];
    size_t len;
    while (ccs_link_recv(&p->link, s->buf, sizeof s->buf, &len) == 1) {
        learn_host(s, i, s->buf);
        to_monitor(s, s->buf, len);
        sim_plc_send(&s->plc, i, s->buf, len, ccs_loop_now(loop));
    }
    if (p->link.rx_oversize && !p->warned_oversize) {
        p->warned_oversize = 1;
        LOG_W("plcsim: %s: frames over %u bytes dropped: turn off TSO/GSO on the host's interface", p->ifname,
              (unsigned)sizeof s->buf);
    }
    deliver(s);
}

static uint8_t pair_db(const plcsim *s, int a, int b)
{
    for (int k = 0; k < s->npairs; k++)
        if ((s->pair[k].a == a && s->pair[k].b == b) || (s->pair[k].a == b && s->pair[k].b == a)) return s->pair[k].db;
    unsigned db = s->port[a].atten_db + s->port[b].atten_db;
    return (uint8_t)(db > 255 ? 255 : db);
}

/* The modem's PIB: the role if one was given, a random NMK (as a modem set up by an earlier charging session)
 * and its NID at security level 0, which chkpib checks. */
static int init_pib(plcsim_port *p, const uint8_t mac[6], uint8_t nmk[HPGP_NMK_LEN])
{
    hpgp_pib_view v;
    uint8_t nid[HPGP_NID_LEN];
    hpgp_pib_init_nvm(p->pib, PLCSIM_PIB_LEN, mac);
    hpgp_pib_open(p->pib, PLCSIM_PIB_LEN, &v);
    if (p->role) hpgp_pib_set_role(p->pib, &v, p->role);
    int rc = ccs_random_getrandom(NULL, nmk, HPGP_NMK_LEN);
    if (rc) return rc;
    hpgp_nid_from_nmk(ccs_sha256_openssl, nmk, 0, nid);
    hpgp_pib_set_key(p->pib, &v, nmk, nid);
    return 0;
}

static int add_port(plcsim *s, int i)
{
    plcsim_port *p = &s->port[i];
    sim_port_config pc = { .device_class = DEVICE_CLASS_QCA7000, .firmware = firmware, .restart_ms = s->restart_ms,
                           .setkey_result = SETKEY_RESULT_QCA, .pib = p->pib, .pib_len = PLCSIM_PIB_LEN,
                           .pib_cap = sizeof p->pib };
    uint8_t nmk[HPGP_NMK_LEN];
    modem_mac(i, pc.modem_mac);
    int rc = init_pib(p, pc.modem_mac, nmk);
    if (!rc) rc = ccs_link_open(&p->link, p->ifname, CCS_LINK_ALL | CCS_LINK_PROMISC);
    if (rc) {
        LOG_E("plcsim: cannot open %s: %s", p->ifname, ccs_strerror(rc));
        return rc;
    }
    if (sim_plc_add_port(&s->plc, &pc) != i) return CCS_ENOSPC;
    sim_plc_set_nmk(&s->plc, i, nmk);
    char mac[CCS_MAC_TEXT];
    LOG_I("plcsim: port %s on %s, modem %s%s", p->name, p->ifname, ccs_mac_format(pc.modem_mac, mac),
          p->role == HPGP_PIB_ROLE_EVSE ? ", EVSE" : p->role == HPGP_PIB_ROLE_PEV ? ", PEV" : "");
    return ccs_loop_add_fd(&s->loop, p->link.fd, POLLIN, on_port, s);
}

static void log_stats(const plcsim *s)
{
    const sim_stats *st = &s->plc.stats;
    LOG_I("plcsim: sent %u delivered %u modem answers %u atten profiles %u dropped: avln %u offline %u loss %u "
          "range %u full %u", st->sent, st->delivered, st->modem_answers, st->atten_profiles, st->dropped_avln,
          st->dropped_offline, st->dropped_loss, st->dropped_range, st->dropped_full);
}

int plcsim_run(plcsim *s)
{
    app_streams_live();   /* a log reader that stops reading must not stop the powerline */
    ccs_loop_init(&s->loop);
    s->cfg.sha256 = ccs_sha256_openssl;
    sim_plc_init(&s->plc, &s->cfg);
    s->mon.fd = -1;
    for (int i = 0; i < s->nports; i++) s->port[i].link.fd = -1;
    int rc = 0;
    for (int i = 0; i < s->nports && !rc; i++) rc = add_port(s, i);
    for (int a = 0; a < s->nports && !rc; a++)
        for (int b = a + 1; b < s->nports; b++) {
            sim_plc_set_atten(&s->plc, a, b, pair_db(s, a, b));
            LOG_I("plcsim: %s <-> %s: %u dB", s->port[a].name, s->port[b].name, s->plc.atten[a][b]);
        }
    if (!rc && s->monitor && (rc = ccs_link_open(&s->mon, s->monitor, CCS_LINK_HPGP)) != 0)
        LOG_E("plcsim: cannot open monitor %s: %s", s->monitor, ccs_strerror(rc));
    if (!rc) rc = ccs_loop_stop_on_signals(&s->loop, 0);
    app_streams_watch(&s->loop);
    if (!rc) {
        LOG_I("plcsim: running (SIGINT/SIGTERM to stop)");
        rc = ccs_loop_run(&s->loop);
        log_stats(s);
    }
    for (int i = 0; i < s->nports; i++) ccs_link_close(&s->port[i].link);
    ccs_link_close(&s->mon);
    ccs_loop_close(&s->loop);
    return rc;
}
