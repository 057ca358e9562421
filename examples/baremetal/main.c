/* Bare-metal main loop of a car (EVCC) on the core alone: SLAC on the modem's Ethernet, SDP over UDP, then a DIN
 * 70121 / ISO 15118-2 DC session over TCP; all I/O through the hooks of board.h, no heap, no clock, no OS. */
#include <stdint.h>

#include "board.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/core/sdp.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/core/slac.h"
#include "ccsplc/core/v2gtp.h"
#include "stream.h"

enum phase { PHASE_SLAC, PHASE_SDP, PHASE_V2G, PHASE_END };

/* Static state: the session documents are the big part (see docs/porting.md on memory). */
static slac_pev slac;
static sdp_client sdp;
static sess_pev pev;
static sess_docs docs;
static v2gtp_reasm reasm;
/* V2GTP payloads up to 2 KB: the largest unsigned message of ../shared/corpus (an ISO-2 ChargeParameterDiscoveryRes
 * with sales tariffs) is 263 bytes; a longer one ends the session in its safe state. */
static uint8_t reasm_buf[V2GTP_HEADER_LEN + 2048];
static enum phase phase;
static uint32_t slac_wake;
static uint8_t slac_has_wake;

/* Sends what SLAC asked for and remembers its wake-up; link up starts SDP. */
static void slac_do(const slac_event *ev, uint32_t now)
{
    slac_action a = slac_pev_step(&slac, ev, now);
    for (unsigned i = 0; i < a.n; i++) board_eth_send(a.frame[i], a.len[i]);
    slac_has_wake = a.has_wake;
    slac_wake = a.wake_ms;
    if (a.status == SLAC_LINKED && phase == PHASE_SLAC) {
        sdp_client_init(&sdp, SDP_SECURITY_NONE, SDP_TRANSPORT_TCP);
        if (sdp_client_start(&sdp, now) == SDP_ACT_SEND_REQUEST) board_udp_send_sdp(sdp.tx, sdp.tx_len);
        phase = PHASE_SDP;
    }
}

/* After every session call: send its request, drive the hardware, end on close. */
static void pev_after(void)
{
    if (pev.tx_len) board_tcp_send(pev.tx, pev.tx_len);
    board_apply(&pev.out);
    if (pev.close) {
        board_tcp_close();
        phase = PHASE_END;
    }
}

static void sdp_do(sdp_action act, uint32_t now)
{
    if (act == SDP_ACT_SEND_REQUEST) board_udp_send_sdp(sdp.tx, sdp.tx_len);
    if (act == SDP_ACT_FAILED) phase = PHASE_END;
    if (act != SDP_ACT_DONE) return;
    if (board_tcp_connect(sdp.result.addr, sdp.result.port) != 0) {
        phase = PHASE_END;
        return;
    }
    phase = PHASE_V2G;
    board_read_battery(&pev.in);
    sess_pev_start(&pev, now);
    pev_after();
}

/* Feeds received TCP bytes through the V2GTP reassembler into the session. */
static void v2g_rx(const uint8_t *data, size_t len, uint32_t now)
{
    while (len && phase == PHASE_V2G) {
        v2gtp_msg m;
        int rc = stream_next(&reasm, &data, &len, &m);
        if (rc == CCS_EAGAIN) break;
        if (rc != 0) {
            sess_pev_disconnect(&pev, now);   /* a broken stream: the session goes to its safe state */
            pev_after();
            board_tcp_close();
            phase = PHASE_END;
            break;
        }
        board_read_battery(&pev.in);
        sess_pev_on_message(&pev, m.payload_type, m.payload, m.payload_len, now);
        pev_after();
    }
}

int main(void)
{
    static uint8_t frame[1518], dgram[64], stream[1024];
    slac_pev_config sc;
    sess_pev_config pc;
    slac_pev_config_default(&sc, board_mac(), board_random, 0);
    slac_pev_init(&slac, &sc);
    sess_pev_config_default(&pc, board_mac());
    pc.protos[0] = &sess_proto_din;   /* DIN 70121 first, ISO 15118-2 DC second */
    pc.protos[1] = &sess_proto_iso2;
    pc.nprotos = 2;
    sess_pev_init(&pev, &pc, &docs);
    v2gtp_reasm_init(&reasm, reasm_buf, sizeof reasm_buf, sizeof reasm_buf - V2GTP_HEADER_LEN);

    const slac_event start = { SLAC_EV_START, 0, 0 };
    slac_do(&start, board_millis());
    while (board_running() && phase != PHASE_END) {
        uint32_t now = board_millis();
        size_t n;
        while ((n = board_eth_recv(frame, sizeof frame)) > 0) {
            const slac_event ev = { SLAC_EV_FRAME, frame, n };
            slac_do(&ev, now);
        }
        if (slac_has_wake && (int32_t)(now - slac_wake) >= 0) {
            const slac_event ev = { SLAC_EV_TIMER, 0, 0 };
            slac_do(&ev, now);
        }
        if (phase == PHASE_SDP) {
            while (phase == PHASE_SDP && (n = board_udp_recv(dgram, sizeof dgram)) > 0)
                sdp_do(sdp_client_on_datagram(&sdp, dgram, n), now);
            if (phase == PHASE_SDP) sdp_do(sdp_client_tick(&sdp, now), now);
        }
        if (phase == PHASE_V2G) {
            int got = board_tcp_recv(stream, sizeof stream);
            if (got < 0) {
                sess_pev_disconnect(&pev, now);
                pev_after();
                phase = PHASE_END;
            } else {
                v2g_rx(stream, (size_t)got, now);
            }
        }
        if (phase == PHASE_V2G) {
            board_read_battery(&pev.in);
            sess_pev_tick(&pev, now);   /* timers, repeated requests, contactors opening */
            pev_after();
        }
    }
    return phase == PHASE_END && pev.phase == SESS_DONE ? 0 : 1;
}
