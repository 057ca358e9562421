/* `ccsplc evse` / `ccsplc pev` on an interface: the phases in order (SLAC, SDP, session) up to --stop-after,
 * the time limit, the pcap of the interface, and the result on stdout. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/modem.h"
#include "app_streams.h"
#include "commands.h"
#include "demo.h"
#include "live.h"

uint64_t live_wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char *live_role_name(const live *l) { return l->o.role == LIVE_EVSE ? "evse" : "pev"; }

/* A failed capture is said once (the session goes on without it). */
static void pcap_written(live *l, int rc)
{
    if (rc == CCS_EIO && !l->pcap_failed++)
        LOG_E("pcap: %s: %s: capture stopped after %llu bytes (the session goes on)", l->o.pcap,
              strerror(l->pcap.q.err), (unsigned long long)l->pcap.q.written);
}

void live_pcap_frame(live *l, int out, const uint8_t *frame, size_t len)
{
    if (l->have_pcap)
        pcap_written(l, pcapng_write(&l->pcap, live_wall_ns(), out ? PCAPNG_DIR_OUT : PCAPNG_DIR_IN, frame, len));
}

/* The peer's MAC for the capture: the multicast MAC of a group (RFC 2464), the car SLAC matched, or without SLAC
 * (--no-slac: the kernel resolved it) the one in its EUI-64 link-local address; else zeros. */
void live_peer_mac(const live *l, const uint8_t peer_ip[16], uint8_t mac[6])
{
    static const uint8_t group[2] = { 0x33, 0x33 };
    if (peer_ip[0] == 0xff) {
        memcpy(mac, group, 2);
        memcpy(mac + 2, peer_ip + 12, 4);
    } else if (!l->o.no_slac || ipv6_mac_from_link_local(peer_ip, mac)) {
        memcpy(mac, l->peer_mac, 6);
    }
}

void live_pcap_udp(live *l, int out, const uint8_t peer_ip[16], uint16_t our_port, uint16_t peer_port,
                   const uint8_t *payload, size_t len)
{
    if (!l->have_pcap) return;
    uint8_t peer_mac[6];
    live_peer_mac(l, peer_ip, peer_mac);
    ipv6_frame h = { .ethertype = ETH_TYPE_IPV6, .hop_limit = 255, .proto = IPV6_PROTO_UDP };
    memcpy(out ? h.src_mac : h.dst_mac, l->s.link.mac, 6);
    memcpy(out ? h.dst_mac : h.src_mac, peer_mac, 6);
    memcpy(out ? h.src : h.dst, l->ip, 16);
    memcpy(out ? h.dst : h.src, peer_ip, 16);
    h.src_port = out ? our_port : peer_port;
    h.dst_port = out ? peer_port : our_port;
    pcap_written(l, pcapng_write_ipv6(&l->pcap, live_wall_ns(), out ? PCAPNG_DIR_OUT : PCAPNG_DIR_IN, &h, payload, len));
}

/* The rest of the capture written; what a reader that was behind did not get is said. */
static void pcap_closed(live *l)
{
    const ccs_outq *q = &l->pcap.q;
    pcapng_close(&l->pcap);
    if (q->err) pcap_written(l, CCS_EIO);
    else if (q->dropped_bytes)
        LOG_W("pcap: %s: %llu bytes not written (%u frames dropped): it was not read in time", l->o.pcap,
              (unsigned long long)q->dropped_bytes, q->dropped);
}

static void tap(void *ctx, int out, const uint8_t *frame, size_t len) { live_pcap_frame(ctx, out, frame, len); }

static void on_deadline(ccs_loop *loop, void *ctx)
{
    live *l = ctx;
    LOG_E("time limit reached");
    l->quit = 1;
    ccs_loop_stop(loop, CCS_ETIMEOUT);
}

static double secs(const live *l, uint32_t t) { return t ? (t - l->t_start) / 1000.0 : 0.0; }

const char *live_verdict(live_role role, sess_phase ph, sess_stop_reason stop, const phys_plant *pl)
{
    if (ph != SESS_DONE || stop == SESS_STOP_NO_PROGRESS || pl->evse_contactor.opened_under_load ||
        pl->pev_contactor.opened_under_load)
        return "FAILED";
    /* a charger that delivered nothing did not charge: the session is no normal one (issue 16, pyPLC's car);
     * a car that paused before the current came (its choice, e.g. the p key early in CurrentDemand) is */
    if (role == LIVE_EVSE && stop != SESS_STOP_PAUSED && !(pl->charger.energy_wh > 0.0))
        return "FAILED (no energy delivered)";
    return NULL;
}

int live_result(live *l, int rc)
{
    static const char *const phase[] = { "slac", "sdp", "session", "session" };
    const phys_plant *pl = &l->plant;
    int evse = l->o.role == LIVE_EVSE;
    const sess_evse *e = evse && l->car ? &l->car->evse : NULL;
    sess_phase ph = evse ? (e ? e->phase : SESS_IDLE) : l->pev.phase;
    if (l->o.until < LIVE_UNTIL_SESSION || ph == SESS_IDLE) {
        printf("%s: %s %s\n", live_role_name(l), phase[l->o.until], rc ? "FAILED" : "done");
        if (rc && l->have_bridge) live_bridge_print_early(&l->br);
        return rc ? CCS_EXIT_FAIL : CCS_EXIT_OK;
    }
    const char *failed = rc ? "FAILED" : live_verdict(l->o.role, ph, e ? e->stop : l->pev.stop, pl);
    if (!failed && l->have_bridge) failed = live_bridge_verdict(&l->br);   /* the CHAdeMO side's reason first */
    if (!failed) failed = live_hw_verdict(&l->hw);   /* the hardware's faults (car and charger) */
    const char *proto = e ? live_proto_label(e->proto, e->ac) : live_proto_label(l->pev.proto, l->pev.cfg.ac);
    if (l->o.until == LIVE_UNTIL_SERVE) printf("%s session %u (%s)\n", live_role_name(l), l->served + 1, proto);
    else printf("%s session (%s)\n", live_role_name(l), proto);
    printf("  stop        %s\n", e ? live_stop_text(e->stop, &e->bad, e->timer, e->proto)
                                    : live_stop_text(l->pev.stop, &l->pev.bad, l->pev.timer, l->pev.proto));
    if (l->pnc)   /* Plug & Charge configured: how this session paid */
        printf("  payment     %s\n", (e ? e->pnc : l->pev.pnc) ? "contract (Plug & Charge)" : "external (EIM)");
    if (e && e->ev_soc_said)
        printf("  energy      %.3f kWh delivered (meter), car SoC %u %%\n", pl->charger.energy_wh / 1000.0, e->ev_soc);
    else if (e)
        printf("  energy      %.3f kWh delivered (meter), car SoC not sent\n", pl->charger.energy_wh / 1000.0);
    else
        printf("  energy      %.3f kWh stored, %.3f kWh battery losses, SoC %.1f %% -> %.2f %%\n",
               pl->battery.stored_wh / 1000.0, pl->battery.loss_wh / 1000.0, l->o.soc, pl->battery.soc);
    printf("  times       link up %.3f s, SDP %.3f s, first current %s, end %.3f s\n", secs(l, l->t_linked),
           secs(l, l->t_sdp), demo_when(l->t_first_current ? l->t_first_current - l->t_start : 0),
           secs(l, ccs_loop_now(&l->s.loop)));
    printf("  messages    %u\n", l->earlier_messages + l->car->messages);
    if (l->have_bridge) live_bridge_print(&l->br);
    if (l->pauses) printf("  pauses      %u\n", l->pauses);
    printf("  result      %s\n", failed ? failed : "ended normally");
    fflush(stdout);
    return failed ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}

/* The modem first (GET_SW: VS_SW_VER.REQ to the local modem, repeated every MODEM_WAIT_POLL_MS): a modem that is
 * missing, off or on another interface is said within LIVE_MODEM_CHECK_MS, with what to do, instead of a silent
 * wait for SLAC; the run goes on (a modem still booting answers SLAC later). */
static void modem_check(live *l)
{
    static modem_client c;
    ccs_frame_io io;
    modem_info info;
    char mac[CCS_MAC_TEXT];
    ccs_link_frame_io(&l->s.link, &io);
    modem_client_init(&c, &io);
    if (modem_wait(&c, LIVE_MODEM_CHECK_MS, &info) == 0) {
        LOG_I("modem: %s on %s answered: %s", ccs_mac_format(info.mac, mac), l->o.ifname, info.firmware);
        return;
    }
    LOG_E("no HomePlug modem answered on %s (GET_SW within %u ms): check that the modem is powered and its Ethernet "
          "cable on %s; `ccsplc modem list -i %s` lists the modems that answer; waiting for SLAC anyway",
          l->o.ifname, LIVE_MODEM_CHECK_MS, l->o.ifname, l->o.ifname);
}

/* SLAC, then SDP and the session up to o.until: the car's run, and the charger's --stop-after slac|sdp. */
static int run_once(live *l)
{
    int rc = l->have_bridge && live_bridge_wait(l, 1, LIVE_BRIDGE_READY_MS) ? CCS_ETIMEOUT
             : l->o.no_slac ? 0
             : app_slac_run(&l->s, l->o.role == LIVE_EVSE ? CCS_SLAC_EVSE : CCS_SLAC_PEV, l->o.ifname, 0);
    if (!rc) {
        l->t_linked = ccs_loop_now(&l->s.loop);
        if (!l->o.no_slac) memcpy(l->peer_mac, ccs_slac_match(&l->s.slac)->mac, 6);
        if (l->o.until >= LIVE_UNTIL_SDP) rc = live_sdp(l);
        if (!rc && l->o.until >= LIVE_UNTIL_SESSION) rc = live_session(l);
    }
    if (l->have_bridge) {   /* the CHAdeMO side ends whatever the CCS side did */
        live_bridge_end(&l->br);
        live_hw_wires_own(&l->hw, ccs_loop_now(&l->s.loop));
        live_bridge_wait(l, 0, LIVE_BRIDGE_END_MS);
    }
    return live_result(l, rc);
}

int live_run(live *l)
{
    app_streams_live();   /* the loop must never wait for (or die of) a log, result or capture reader */
    if (live_protos_parse(l->o.proto, &l->protos)) {
        LOG_E("%s: --proto %s: not a list of at most %u of din, iso2-dc, iso2-ac, iso20-dc, iso20-ac (comma-separated)",
              live_role_name(l), l->o.proto, SESS_MAX_PROTOS);
        return CCS_EXIT_FAIL;
    }
    if (l->o.role == LIVE_PEV && l->protos.ac && l->protos.dc) {   /* one battery behind one kind of inlet */
        LOG_E("pev: --proto %s: a car charges AC (iso2-ac, iso20-ac) or DC (din, iso2-dc, iso20-dc), not both",
              l->o.proto);
        return CCS_EXIT_FAIL;
    }
    l->udp = l->lfd = l->tls_lfd = -1;
    if (live_tls_init(l)) return CCS_EXIT_FAIL;
    if (l->o.pcap[0]) {
        int rc = l->o.sim ? pcapng_open(&l->pcap, l->o.pcap) : pcapng_open_live(&l->pcap, l->o.pcap);
        if (rc) {
            LOG_E("%s: cannot write %s: %s", live_role_name(l), l->o.pcap, strerror(errno));
            live_tls_end(l);
            return CCS_EXIT_FAIL;
        }
        l->have_pcap = 1;
    }
    if (l->o.sim) {
        int code = live_sim(l);
        if (l->have_pcap) pcap_closed(l);
        live_tls_end(l);
        return code;
    }
    for (unsigned i = 0; i < LIVE_MAX_CONNS; i++) {
        l->conn[i].l = l;
        l->conn[i].fd = -1;
    }
    l->car = &l->conn[0];
    int code = CCS_EXIT_FAIL;
    live_hw_options hw = l->o.hw;
    if (l->o.role == LIVE_EVSE) hw.digital = hw.analog = HW_BOARD_NONE;   /* pyPLC's boards are the car's */
    if (live_hw_open(&l->hw, &hw, 0)) {   /* before anything else */
        if (l->have_pcap) pcap_closed(l);
        live_tls_end(l);
        return code;
    }
    if (l->o.bridge[0] && live_bridge_attach(l, &l->pev)) {
        live_hw_close(&l->hw);
        if (l->have_pcap) pcap_closed(l);
        live_tls_end(l);
        return code;
    }
    if (app_slac_open(&l->s, l->o.ifname) == 0) {
        if (l->have_bridge) live_bridge_start(&l->br, &l->s.loop);
        if (l->have_pcap) ccs_loop_add_outq(&l->s.loop, &l->pcap.q);
        l->s.link.tap = tap;
        l->s.link.tap_ctx = l;
        live_tty_open(l);
        l->t_start = ccs_loop_now(&l->s.loop);
        if (l->o.timeout_ms) ccs_loop_timer_at(&l->s.loop, &l->deadline, l->t_start + l->o.timeout_ms, on_deadline, l);
        if (!l->o.no_slac) modem_check(l);
        int serve = l->o.role == LIVE_EVSE && l->o.until >= LIVE_UNTIL_SESSION;
        code = serve ? live_serve(l) : run_once(l);
        live_tty_close(l);
    } else {
        live_result(l, CCS_EIO);
    }
    int *fds[] = { &l->udp, &l->lfd, &l->tls_lfd };
    for (size_t i = 0; i < 3; i++)
        if (*fds[i] >= 0) close(*fds[i]);
    live_conn_close(&l->conn[0]);
    live_tls_end(l);
    if (l->have_bridge) live_bridge_close(&l->br);   /* its timer is on the loop */
    app_slac_close(&l->s);
    live_hw_close(&l->hw);
    if (l->have_pcap) pcap_closed(l);
    return code;
}
