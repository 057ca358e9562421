/* `ccsplc demo`, link phase: the charger's and the car's SLAC machines and their simulated modems on the
 * in-memory powerline until the car's modem has joined, then SDP as real IPv6/UDP frames over that line; each
 * machine in the one driver (ccsplc/core/machine.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/ipv6.h"
#include "ccsplc/core/machines.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/sim/plcsim.h"
#include "ccsplc/core/sdp.h"
#include "ccsplc/core/sha256.h"
#include "ccsplc/core/slac.h"
#include "demo.h"

#define EVSE_PORT 0
#define PEV_PORT 1
#define SLAC_LIMIT_MS 60000u
#define SDP_CLIENT_PORT 50000   /* the car's UDP source port */

void demo_advance(demo *d, uint32_t ms)
{
    d->now += ms;
    if (d->side_step) d->side_step(d->side_ctx, d->now);
    if (d->speed <= 0) return;
    double real_ms = ms / d->speed;
    struct timespec ts = { (time_t)(real_ms / 1000), (long)((real_ms - (time_t)(real_ms / 1000) * 1000) * 1e6) };
    nanosleep(&ts, NULL);
}

void demo_pcap_frame(demo *d, int out, const uint8_t *frame, size_t len)
{
    if (d->have_pcap)
        pcapng_write(&d->pcap, d->t0_ns + (uint64_t)d->now * 1000000u, out ? PCAPNG_DIR_OUT : PCAPNG_DIR_IN, frame, len);
}

static int rng(void *ctx, uint8_t *out, size_t len)
{
    uint32_t *x = ctx;
    for (size_t i = 0; i < len; i++) {
        *x ^= *x << 13;
        *x ^= *x >> 17;
        *x ^= *x << 5;
        out[i] = (uint8_t)*x;
    }
    return 0;
}

typedef struct {
    demo *d;
    sim_plc plc;
    slac_evse evse;
    slac_pev pev;
    ccs_driver slac[2];              /* [EVSE_PORT], [PEV_PORT] */
    uint32_t rng_state;
    sdp_client sdp;
    sdp_server_machine srv;
    ccs_driver sdp_drv, srv_drv;
    ipv6_frame reply_to;             /* the SDP request the server answers */
} link_world;

static void put(link_world *w, int port, const uint8_t *frame, size_t len)
{
    sim_plc_send(&w->plc, port, frame, len, w->d->now);
    if (port == EVSE_PORT) demo_pcap_frame(w->d, 1, frame, len);
}

static void send_sdp(link_world *w, int port, const uint8_t *payload, size_t len, const uint8_t dst_mac[6],
                     const uint8_t *dst_ip, uint16_t sport, uint16_t dport)
{
    ipv6_frame f = { .ethertype = ETH_TYPE_IPV6, .hop_limit = 255, .proto = IPV6_PROTO_UDP, .src_port = sport,
                     .dst_port = dport };
    memcpy(f.dst_mac, dst_mac, 6);
    memcpy(f.src_mac, port == EVSE_PORT ? w->d->evse_mac : w->d->pev_mac, 6);
    memcpy(f.src, port == EVSE_PORT ? w->d->evse_ip : w->d->pev_ip, 16);
    memcpy(f.dst, dst_ip, 16);
    uint8_t frame[128];
    size_t n;
    if (ipv6_frame_build(&f, payload, len, frame, sizeof frame, &n) == 0) put(w, port, frame, n);
}

/* The drivers' ports: SLAC frames of either host, the car's SDP request (multicast), the charger's answer (to the
 * request's sender). */
static int slac_out_evse(void *ctx, const uint8_t *frame, size_t len, const char *name)
{
    (void)name;
    put(ctx, EVSE_PORT, frame, len);
    return 0;
}

static int slac_out_pev(void *ctx, const uint8_t *frame, size_t len, const char *name)
{
    (void)name;
    put(ctx, PEV_PORT, frame, len);
    return 0;
}

static int out_request(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    (void)name;
    static const uint8_t mcast_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };   /* ff02::1 (RFC 2464) */
    send_sdp(ctx, PEV_PORT, buf, len, mcast_mac, ipv6_all_nodes, SDP_CLIENT_PORT, SDP_UDP_PORT);
    return 0;
}

static int out_answer(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    (void)name;
    link_world *w = ctx;
    send_sdp(w, EVSE_PORT, buf, len, w->reply_to.src_mac, w->reply_to.src, SDP_UDP_PORT, w->reply_to.src_port);
    return 0;
}

/* A frame reached a host: SLAC frames go to its machine, SDP datagrams to the SDP client or server. */
static void deliver(link_world *w, int port, const uint8_t *frame, size_t len)
{
    if (port == EVSE_PORT) demo_pcap_frame(w->d, 0, frame, len);
    ipv6_frame f;
    const uint8_t *pl;
    size_t pl_len;
    if (ipv6_frame_parse(frame, len, &f, &pl, &pl_len) == 0) {
        if (f.proto != IPV6_PROTO_UDP) return;
        w->reply_to = f;
        if (port == EVSE_PORT && f.dst_port == SDP_UDP_PORT) {
            ccs_driver_message(&w->srv_drv, 0, pl, pl_len, w->d->now);
        } else if (port == PEV_PORT && w->sdp.state == SDP_CLIENT_WAITING) {
            ccs_driver_message(&w->sdp_drv, 0, pl, pl_len, w->d->now);
            if (w->sdp.state == SDP_CLIENT_DONE) w->d->sdp_ms = w->d->now;
        }
        return;
    }
    ccs_driver_message(&w->slac[port], 0, frame, len, w->d->now);
}

/* Everything due now: frames, SLAC timers, the SDP client's retries. */
static void run_due(link_world *w)
{
    static uint8_t buf[SIM_FRAME_MAX];
    int port;
    size_t len;
    while (sim_plc_poll(&w->plc, w->d->now, &port, buf, sizeof buf, &len) == 1) deliver(w, port, buf, len);
    for (int p = 0; p < 2; p++) ccs_driver_poll(&w->slac[p], w->d->now);
    ccs_driver_poll(&w->sdp_drv, w->d->now);
}

static void add_port(link_world *w, const uint8_t host[6])
{
    sim_port_config pc = { .device_class = 0x22, .firmware = "MAC-QCA7000-1.1.0.727-02-20130826-FINAL",
                           .restart_ms = 400, .setkey_result = 1 };
    memcpy(pc.host_mac, host, 6);
    memcpy(pc.modem_mac, host, 6);
    pc.modem_mac[4] = 0xB0;
    sim_plc_add_port(&w->plc, &pc);
}

int demo_link_up(demo *d, uint16_t port)
{
    static link_world w;
    memset(&w, 0, sizeof w);
    w.d = d;
    w.rng_state = d->seed ? d->seed : 1;
    sim_plc_init(&w.plc, &(sim_plc_config){ .delay_ms = 2, .modem_reply_ms = 1, .seed = w.rng_state });
    add_port(&w, d->evse_mac);
    add_port(&w, d->pev_mac);
    sim_plc_set_atten(&w.plc, EVSE_PORT, PEV_PORT, 20);
    slac_evse_config ec;
    slac_evse_config_default(&ec, d->evse_mac, rng, &w.rng_state, ccs_sha256_openssl);
    slac_evse_init(&w.evse, &ec);
    slac_pev_config pc;
    slac_pev_config_default(&pc, d->pev_mac, rng, &w.rng_state);
    slac_pev_init(&w.pev, &pc);
    memcpy(w.srv.srv.addr, d->evse_ip, 16);
    w.srv.srv.tcp_port = port;
    const ccs_port se = { slac_out_evse, NULL, &w }, sp = { slac_out_pev, NULL, &w }, cl = { out_request, NULL, &w },
                   sv = { out_answer, NULL, &w };
    ccs_driver_init(&w.slac[EVSE_PORT], ccs_slac_evse_machine(&w.evse), &se);
    ccs_driver_init(&w.slac[PEV_PORT], ccs_slac_pev_machine(&w.pev), &sp);
    ccs_driver_init(&w.sdp_drv, ccs_sdp_client_machine(&w.sdp), &cl);
    ccs_driver_init(&w.srv_drv, ccs_sdp_server_machine(&w.srv), &sv);
    ccs_driver_start(&w.slac[EVSE_PORT], d->now);
    ccs_driver_start(&w.slac[PEV_PORT], d->now);
    printf("%9.3f  SLAC started (charger %02x:%02x:%02x:%02x:%02x:%02x, car %02x:%02x:%02x:%02x:%02x:%02x)\n",
           d->now / 1000.0, d->evse_mac[0], d->evse_mac[1], d->evse_mac[2], d->evse_mac[3], d->evse_mac[4],
           d->evse_mac[5], d->pev_mac[0], d->pev_mac[1], d->pev_mac[2], d->pev_mac[3], d->pev_mac[4], d->pev_mac[5]);
    for (; d->now < SLAC_LIMIT_MS; demo_advance(d, 1)) {
        run_due(&w);
        if (w.pev.status == SLAC_LINKED && w.sdp.state == SDP_CLIENT_IDLE) {
            const slac_match_info *m = slac_pev_match(&w.pev);
            d->linked_ms = d->now;
            printf("%9.3f  SLAC matched, link up (attenuation %u dB)\n", d->now / 1000.0, m ? m->atten_db : 0);
            sdp_client_init(&w.sdp, SDP_SECURITY_NONE, SDP_TRANSPORT_TCP);
            ccs_driver_start(&w.sdp_drv, d->now);
        }
        if (w.sdp.state == SDP_CLIENT_DONE) {
            char ip[IPV6_TEXT_MAX];
            ipv6_format(w.sdp.result.addr, ip, sizeof ip);
            printf("%9.3f  SDP: charger at [%s]:%u\n", d->now / 1000.0, ip, w.sdp.result.port);
            d->port = w.sdp.result.port;
            return 0;
        }
        if (w.sdp.state == SDP_CLIENT_FAILED) break;
    }
    LOG_E("demo: %s failed", w.sdp.state == SDP_CLIENT_IDLE ? "SLAC" : "SDP");
    return CCS_ETIMEOUT;
}
