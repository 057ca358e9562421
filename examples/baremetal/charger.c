/* Bare-metal main loop of a charger (SECC) on the core alone: SLAC as EVSE, the SDP server, then a DIN 70121 /
 * ISO 15118-2 / ISO 15118-20 DC session over TCP; linked for Cortex-M4 by scripts/arm-link.sh (size check). */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/core/sdp.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/core/slac.h"
#include "ccsplc/core/v2gtp.h"
#include "stream.h"

static slac_evse slac;
static sdp_server sdp;
static sess_evse evse;
static sess_docs docs;
static v2gtp_reasm reasm;
static uint8_t reasm_buf[V2GTP_HEADER_LEN + 4096];
static uint8_t connected;

static void slac_do(const slac_event *ev, uint32_t now)
{
    slac_action a = slac_evse_step(&slac, ev, now);
    for (unsigned i = 0; i < a.n; i++) board_eth_send(a.frame[i], a.len[i]);
}

/* After every session call: send its response, drive the power stage, close when asked. */
static void evse_after(void)
{
    if (evse.tx_len) board_tcp_send(evse.tx, evse.tx_len);
    board_apply_charger(&evse.out);
    if (evse.close) {
        board_tcp_close();
        connected = 0;
    }
}

static void v2g_rx(const uint8_t *data, size_t len, uint32_t now)
{
    while (len && connected) {
        v2gtp_msg m;
        int rc = stream_next(&reasm, &data, &len, &m);
        if (rc == CCS_EAGAIN) break;
        board_read_charger(&evse.in);
        if (rc != 0) {
            sess_evse_disconnect(&evse, now);   /* a broken stream: the charger goes to its safe state */
            evse_after();
            board_tcp_close();
            connected = 0;
            break;
        }
        sess_evse_on_message(&evse, m.payload_type, m.payload, m.payload_len, now);
        evse_after();
    }
}

int main(void)
{
    static uint8_t frame[1518], dgram[64], answer[64], stream[1024];
    slac_evse_config sc;
    sess_evse_config ec;
    slac_evse_config_default(&sc, board_mac(), board_random, 0, board_sha256);
    slac_evse_init(&slac, &sc);
    memcpy(sdp.addr, board_ipv6(), sizeof sdp.addr);
    sdp.tcp_port = 15118;
    sess_evse_config_default(&ec);
    ec.protos[0] = &sess_proto_iso20;
    ec.protos[1] = &sess_proto_iso2;
    ec.protos[2] = &sess_proto_din;
    ec.nprotos = 3;
    ec.rng = board_random;
    sess_evse_init(&evse, &ec, &docs);
    v2gtp_reasm_init(&reasm, reasm_buf, sizeof reasm_buf, sizeof reasm_buf - V2GTP_HEADER_LEN);

    const slac_event start = { SLAC_EV_START, 0, 0 };
    slac_do(&start, board_millis());
    while (board_running()) {
        uint32_t now = board_millis();
        size_t n, alen;
        while ((n = board_eth_recv(frame, sizeof frame)) > 0) {
            const slac_event ev = { SLAC_EV_FRAME, frame, n };
            slac_do(&ev, now);
        }
        const slac_event tick = { SLAC_EV_TIMER, 0, 0 };
        slac_do(&tick, now);
        while ((n = board_udp_recv(dgram, sizeof dgram)) > 0)
            if (sdp_server_answer(&sdp, dgram, n, answer, sizeof answer, &alen) == 0) board_udp_reply(answer, alen);
        if (!connected && board_tcp_accept()) {
            connected = 1;
            sess_evse_connect(&evse, now);
        }
        if (connected) {
            int got = board_tcp_recv(stream, sizeof stream);
            board_read_charger(&evse.in);
            if (got < 0) {
                sess_evse_disconnect(&evse, now);
                evse_after();
                connected = 0;
            } else {
                v2g_rx(stream, (size_t)got, now);
            }
        }
        board_read_charger(&evse.in);
        sess_evse_tick(&evse, now);   /* timers; the safe state when one expires */
        evse_after();
    }
    return 0;
}
