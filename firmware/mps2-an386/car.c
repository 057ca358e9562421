/* The car firmware's main loop on the mps2-an386: per plug-in SLAC on the modem's Ethernet (HomePlug frames), SDP
 * over UDP and the V2G session over one TCP connection (src/mininet on the same frames), the session and its
 * battery (session.c); two plug-ins (the charger picks DIN 70121, then ISO 15118-2 DC), then the measurements on
 * the UART log and the end of the run. All I/O through board.h; no heap, no OS. */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/core/mininet.h"
#include "ccsplc/core/sdp.h"
#include "ccsplc/core/slac.h"
#include "ccsplc/core/v2gtp.h"
#include "session.h"
#include "stream.h"

#define PLUG_INS 2
#define PLUG_IN_MS 180000u        /* give up a plug-in after this long */
#define STEP_MS 10u               /* hardware step and session timer resolution (as `ccsplc pev`) */
#define CLOSE_WAIT_MS 2000u       /* after the session: time for the orderly TCP close */
#define START_SOC 50.0f
#define CAPACITY_WH 5000.0f       /* a small battery: one per cent is 50 Wh, seconds of charging */

enum phase { PH_SLAC, PH_SDP, PH_TCP, PH_V2G, PH_CLOSE, PH_END };

static uint8_t mac[6];
static mininet net;
static slac_pev slac;
static sdp_client sdp;
static v2gtp_reasm reasm;
static uint8_t reasm_buf[V2GTP_HEADER_LEN + 4096];
static uint8_t frame[1518];
static enum phase phase;
static uint32_t slac_wake, close_at;
static uint8_t slac_has_wake;

static uint16_t random_port(void)
{
    uint8_t r[2];
    board_random(NULL, r, sizeof r);
    return (uint16_t)(49152u + ((r[0] << 8 | r[1]) % 16384u));   /* the dynamic range (RFC 6335) */
}

static void log_ip(const char *what, const uint8_t ip[16], uint16_t port)
{
    fw_log("%s [%x:%x:%x:%x:%x:%x:%x:%x]:%u", what, ip[0] << 8 | ip[1], ip[2] << 8 | ip[3], ip[4] << 8 | ip[5],
           ip[6] << 8 | ip[7], ip[8] << 8 | ip[9], ip[10] << 8 | ip[11], ip[12] << 8 | ip[13], ip[14] << 8 | ip[15],
           port);
}

static void sdp_act(sdp_action act, uint32_t now)
{
    if (act == SDP_ACT_SEND_REQUEST)
        mininet_udp_send(&net, ipv6_all_nodes, SDP_UDP_PORT, net.udp_port ? net.udp_port : random_port(), sdp.tx,
                         sdp.tx_len);
    if (act == SDP_ACT_FAILED) {
        fw_log("sdp: no answer");
        phase = PH_END;
    }
    if (act != SDP_ACT_DONE) return;
    log_ip("sdp: charger at", sdp.result.addr, sdp.result.port);
    uint8_t r[4];
    board_random(NULL, r, sizeof r);
    mininet_tcp_connect(&net, sdp.result.addr, sdp.result.port, random_port(),
                        (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3], now);
    phase = PH_TCP;
}

/* Sends what SLAC asked for and remembers its wake-up; the link up starts SDP. */
static void slac_do(slac_event_type type, const uint8_t *f, size_t len, uint32_t now)
{
    const slac_event ev = { type, f, len };
    slac_action a = slac_pev_step(&slac, &ev, now);
    for (unsigned i = 0; i < a.n; i++) eth_send(a.frame[i], a.len[i]);
    slac_has_wake = a.has_wake;
    slac_wake = a.wake_ms;
    if (a.status == SLAC_LINKED && phase == PH_SLAC) {
        const uint8_t *m = slac_pev_match(&slac)->mac;
        fw_log("slac: matched EVSE %02x:%02x:%02x:%02x:%02x:%02x, link up", m[0], m[1], m[2], m[3], m[4], m[5]);
        sdp_client_init(&sdp, SDP_SECURITY_NONE, SDP_TRANSPORT_TCP);
        phase = PH_SDP;
        sdp_act(sdp_client_start(&sdp, now), now);
    }
}

/* After every session call: log the messages, queue the request, close when the session says so. */
static void car_after(const car_out *o, uint32_t now)
{
    if (o->rx_name) fw_log("v2g: < %s at %u ms", o->rx_name, (unsigned)now);
    if (o->tx_len) {
        fw_log("v2g: > %s at %u ms", o->tx_name ? o->tx_name : "?", (unsigned)now);
        if (mininet_tcp_send(&net, o->tx, o->tx_len) != (int)o->tx_len) fw_log("tcp: send buffer full, request lost");
    }
    if (o->close && phase == PH_V2G) {
        mininet_tcp_close(&net);
        phase = PH_CLOSE;
        close_at = now;
    }
}

static void v2g_rx(uint32_t now)
{
    uint8_t buf[512];
    size_t n;
    while (phase == PH_V2G && (n = mininet_tcp_read(&net, buf, sizeof buf)) > 0) {
        const uint8_t *data = buf;
        while (n && phase == PH_V2G) {
            v2gtp_msg m;
            car_out o;
            int rc = stream_next(&reasm, &data, &n, &m);
            if (rc == CCS_EAGAIN) break;
            if (rc != 0) {
                fw_log("v2g: broken V2GTP stream (%d)", rc);
                car_disconnect(now, &o);
                mininet_tcp_abort(&net);
                phase = PH_CLOSE;
                break;
            }
            car_message(m.payload_type, m.payload, m.payload_len, now, &o);
            car_after(&o, now);
        }
    }
}

static void net_events(uint32_t now)
{
    unsigned ev = mininet_events(&net);
    car_out o;
    if ((ev & MININET_EV_UDP) && phase == PH_SDP) {
        uint8_t d[MININET_UDP_MAX], src[16];
        uint16_t sport;
        size_t n = mininet_udp_read(&net, d, sizeof d, src, &sport);
        sdp_act(sdp_client_on_datagram(&sdp, d, n), now);
    }
    if ((ev & MININET_EV_CONNECTED) && phase == PH_TCP) {
        fw_log("tcp: connected");
        v2gtp_reasm_init(&reasm, reasm_buf, sizeof reasm_buf, sizeof reasm_buf - V2GTP_HEADER_LEN);
        phase = PH_V2G;
        car_start(now, &o);
        car_after(&o, now);
    }
    if (ev & MININET_EV_DATA) v2g_rx(now);
    if ((ev & (MININET_EV_CLOSED | MININET_EV_PEER_CLOSED)) && (phase == PH_V2G || phase == PH_TCP)) {
        fw_log("tcp: closed by the charger (%d)", net.close_reason);
        car_disconnect(now, &o);
        car_after(&o, now);
        mininet_tcp_close(&net);
        phase = PH_CLOSE;
        close_at = now;
    }
}

static void flush_net(uint32_t now)
{
    const uint8_t *f;
    size_t len;
    while (mininet_output(&net, now, &f, &len)) eth_send(f, len);
}

/* One plug-in from SLAC to the closed connection; 1 when the session ended normally. */
static int plug_in(unsigned n, float target_soc)
{
    slac_pev_config sc;
    uint32_t t0 = board_millis(), last_step = t0;
    int contactors = 0;
    fw_log("plug-in %u: target SoC %u %%", n, (unsigned)target_soc);
    mininet_init(&net, mac);
    slac_pev_config_default(&sc, mac, board_random, NULL);
    slac_pev_init(&slac, &sc);
    car_plug(target_soc);
    phase = PH_SLAC;
    slac_do(SLAC_EV_START, NULL, 0, t0);
    while (phase != PH_END) {
        uint32_t now = board_millis();
        size_t len;
        while ((len = eth_recv(frame, sizeof frame)) > 0) {
            if (len >= 14 && (frame[12] << 8 | frame[13]) == ETH_TYPE_HOMEPLUG) slac_do(SLAC_EV_FRAME, frame, len, now);
            else mininet_input(&net, frame, len, now);
        }
        if (slac_has_wake && (int32_t)(now - slac_wake) >= 0) slac_do(SLAC_EV_TIMER, NULL, 0, now);
        if (phase == PH_SDP) sdp_act(sdp_client_tick(&sdp, now), now);
        net_events(now);
        if (now - last_step >= STEP_MS) {
            car_out o;
            car_step(now, now - last_step, &o);
            last_step = now;
            if (car_contactors_closed() != contactors) {   /* the tests time a safe stop by these lines */
                contactors = car_contactors_closed();
                fw_log("hw: contactors %s at %u ms", contactors ? "closed" : "open", (unsigned)now);
            }
            if (phase == PH_V2G) car_after(&o, now);
        }
        if (phase == PH_CLOSE && car_finished() &&
            (net.state == MININET_TCP_CLOSED || now - close_at >= CLOSE_WAIT_MS))
            phase = PH_END;
        if (phase < PH_CLOSE && now - t0 >= PLUG_IN_MS) {   /* give up: the safe state, then end when it holds */
            car_out o;
            fw_log("plug-in %u: timed out", n);
            car_disconnect(now, &o);
            mininet_tcp_abort(&net);
            phase = PH_CLOSE;
            close_at = now;
        }
        mininet_poll(&net, now);
        flush_net(now);
        board_idle();
    }
    slac_do(SLAC_EV_STOP, NULL, 0, board_millis());
    car_report r;
    car_report_get(&r);
    int ok = car_ok();
    fw_log("session %u: %s, stop %s, SoC now %u.%02u %%, result %s", n, r.proto, r.stop, (unsigned)(r.soc_x100 / 100),
           (unsigned)(r.soc_x100 % 100), ok ? "ended normally" : "FAILED");
    if (r.cycles)
        fw_log("measure: session %u: %s CurrentDemand cycle (decode + handle + encode) %u cycles, ticks of 40 ns: "
               "mean %u min %u max %u", n, r.proto, (unsigned)r.cycles, (unsigned)(r.cycle_ticks / r.cycles),
               (unsigned)r.cycle_min, (unsigned)r.cycle_max);
    return ok;
}

int main(void)
{
    log_init();
    if (eth_init(mac) != 0) {
        fw_log("boot: no Ethernet controller");
        return 1;
    }
    fw_log("boot: ccsplc car firmware on mps2-an386, MAC %02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
           mac[3], mac[4], mac[5]);
    car_init(mac, START_SOC, CAPACITY_WH);
    unsigned ok = 0;
    for (unsigned n = 1; n <= PLUG_INS; n++) {
        ok += (unsigned)plug_in(n, START_SOC + (float)n);
        uint32_t t = board_millis();   /* unplugged for a second */
        while (board_millis() - t < 1000u) board_idle();
    }
    fw_log("measure: stack peak %u bytes", (unsigned)board_stack_peak());
    fw_log("done: %u of %u sessions ended normally", ok, PLUG_INS);
    return ok == PLUG_INS ? 0 : 1;
}
