/* Embedding example (Linux, ccsplc::core + ccsplc::sim): a whole DIN 70121 charging session in one process, the
 * charger's and the car's session engines joined in memory, the simulated plant on a virtual clock. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/sess.h"
#include "ccsplc/core/v2gtp.h"
#include "ccsplc/core/version.h"
#include "ccsplc/sim/plant.h"

#define STEP_MS 10u
#define LIMIT_MS 600000u   /* give up after ten simulated minutes */

static sess_docs evse_docs, pev_docs;   /* tens of KB each: static, not on the stack */
static sess_evse evse;
static sess_pev pev;
static phys_plant plant;

/* One message in flight each way (the engines answer one request at a time). */
typedef struct {
    uint8_t buf[SESS_TX_CAP];
    size_t len;
} wire;
static wire to_evse, to_pev;
static unsigned messages;

static void post(wire *w, const uint8_t *tx, size_t len)
{
    if (!len) return;
    memcpy(w->buf, tx, len);
    w->len = len;
    messages++;
}

/* Hands a V2GTP message to its receiver; its answer goes the other way. */
static void deliver(wire *w, uint32_t now)
{
    v2gtp_msg m;
    size_t len = w->len;
    w->len = 0;
    if (!len || v2gtp_parse(w->buf, len, SESS_TX_CAP, &m) != 0) return;
    if (w == &to_evse) {
        sess_evse_on_message(&evse, m.payload_type, m.payload, m.payload_len, now);
        post(&to_pev, evse.tx, evse.tx_len);
    } else {
        sess_pev_on_message(&pev, m.payload_type, m.payload, m.payload_len, now);
        post(&to_evse, pev.tx, pev.tx_len);
    }
}

static int ended(sess_phase phase)
{
    return phase == SESS_DONE || phase == SESS_SAFE;
}

int main(void)
{
    static const uint8_t car_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
    sess_evse_config ec;
    sess_pev_config pc;
    phys_charger_config cc;
    phys_battery_config bc;
    sess_evse_config_default(&ec);
    sess_pev_config_default(&pc, car_mac);
    pc.protos[0] = sess_proto_find("din");   /* the car offers DIN 70121 only */
    pc.nprotos = 1;
    phys_charger_default(&cc);
    phys_battery_default(&bc);
    bc.capacity_wh = 10000.0f;   /* a small battery, 20 % -> 30 %: a short charge */
    bc.soc = 20.0f;
    bc.target_soc = 30.0f;
    pc.capacity_wh = bc.capacity_wh;

    sess_evse_init(&evse, &ec, &evse_docs);
    sess_pev_init(&pev, &pc, &pev_docs);
    phys_plant_init(&plant, &cc, &bc);
    phys_plant_sense(&plant, &evse, &pev);

    uint32_t now = 0;
    sess_evse_connect(&evse, now);   /* TCP is up: the car sends SupportedAppProtocolReq */
    sess_pev_start(&pev, now);
    post(&to_evse, pev.tx, pev.tx_len);
    int connected = 1;
    while (now < LIMIT_MS && !(ended(evse.phase) && ended(pev.phase) && !to_evse.len && !to_pev.len)) {
        deliver(&to_evse, now);
        if (connected) deliver(&to_pev, now);
        if (connected && ((evse.close && !to_pev.len) || (pev.close && !to_evse.len))) {
            sess_pev_disconnect(&pev, now);   /* one side closed the TCP connection */
            sess_evse_disconnect(&evse, now);
            connected = 0;
        }
        uint32_t at;
        if (sess_evse_next_timeout(&evse, &at) && (int32_t)(now - at) >= 0) sess_evse_tick(&evse, now);
        phys_plant_step(&plant, &evse, &pev, STEP_MS);
        sess_pev_tick(&pev, now);   /* timers, repeated requests, contactors opening as the current falls */
        if (connected) post(&to_evse, pev.tx, pev.tx_len);
        now += STEP_MS;
    }

    printf("ccsplc %s, in-process session\n", CCSPLC_VERSION_STRING);
    printf("protocol: %s\n", evse.proto ? sess_proto_name(evse.proto) : "none");
    printf("messages: %u\n", messages);
    printf("charger: %s, stop %s\n", evse.phase == SESS_DONE ? "done" : "safe", sess_stop_name(evse.stop));
    printf("car: %s, stop %s, soc %.0f %%\n", pev.phase == SESS_DONE ? "done" : "safe", sess_stop_name(pev.stop),
           plant.battery.soc);
    return evse.phase == SESS_DONE && pev.phase == SESS_DONE ? 0 : 1;
}
