/* Test harness for the SLAC machines: EVSEs and PEVs on the simulated powerline (one per port), a virtual
 * clock, deterministic randomness, a send hook, and the check that a car and a charger matched each other. Each
 * machine runs in the one driver (ccsplc/core/machine.h).
 * Header-only (static functions) for tests/unit/test_slac*.c. */
#ifndef CCSPLC_TEST_SLAC_WORLD_H
#define CCSPLC_TEST_SLAC_WORLD_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/hpgp.h"
#include "ccsplc/core/machines.h"
#include "ccsplc/sim/plcsim.h"
#include "ccsplc/core/slac.h"
#include "pcap_frames.h"

/* ---- deterministic randomness ---- */

static inline int test_rng(void *ctx, uint8_t *out, size_t len)
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

/* ---- a world: machines on the simulated powerline, one per port ---- */

#define MAX_M 4

typedef struct {
    int is_evse;
    int passive;            /* a station without a machine (a test's rogue): frames to it are dropped */
    slac_evse evse;
    slac_pev pev;
    ccs_driver drv;
    ccs_action last;        /* its last action */
} machine;

typedef struct {
    sim_plc plc;
    machine m[MAX_M];
    int n;
    uint32_t now;
    uint32_t rng_state;
    pf_writer *pcap;
    void (*on_send)(int from, const uint8_t *frame, size_t len); /* test hook, may inject frames */
} world;

static world W;

/* The drivers' port: what host i sends goes on the line (and to the capture and the test's hook). */
static inline int port_send(void *ctx, const uint8_t *frame, size_t len, const char *name)
{
    (void)name;
    int i = (int)((machine *)ctx - W.m);
    assert_int_equal(sim_plc_send(&W.plc, i, frame, len, W.now), 0);
    if (W.pcap) pf_writer_put(W.pcap, frame, len, W.now);
    if (W.on_send) W.on_send(i, frame, len);
    return 0;
}

static inline void drive(int i, ccs_machine m)
{
    const ccs_port port = { port_send, NULL, &W.m[i] };
    ccs_driver_init(&W.m[i].drv, m, &port);
}

static inline void mac_of(int i, uint8_t host[6], uint8_t modem[6])
{
    const uint8_t h[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, (uint8_t)(0x10 + i) };
    memcpy(host, h, 6);
    memcpy(modem, h, 6);
    modem[4] = 0xB0;
}

static inline void world_init(const sim_plc_config *cfg)
{
    memset(&W, 0, sizeof W);
    sim_plc_config def = { .delay_ms = 2, .modem_reply_ms = 1, .seed = 11 };
    sim_plc_init(&W.plc, cfg ? cfg : &def);
    W.rng_state = 0x1234567;
}

static inline int add_port(int no_profile)
{
    uint8_t host[6], modem[6];
    mac_of(W.n, host, modem);
    sim_port_config pc = { .device_class = 0x22, .firmware = "MAC-QCA7000-1.1.0.727-02-20130826-FINAL",
                           .restart_ms = 400, .setkey_result = 1, .no_atten_profile = (uint8_t)no_profile };
    memcpy(pc.host_mac, host, 6);
    memcpy(pc.modem_mac, modem, 6);
    assert_int_equal(sim_plc_add_port(&W.plc, &pc), W.n);
    drive(W.n, ccs_slac_pev_machine(&W.m[W.n].pev));   /* a car until add_evse says otherwise */
    return W.n++;
}

static inline slac_evse *add_evse(int no_profile)
{
    int i = add_port(no_profile);
    uint8_t host[6], modem[6];
    mac_of(i, host, modem);
    slac_evse_config c;
    slac_evse_config_default(&c, host, test_rng, &W.rng_state, ccs_sha256_openssl);
    c.no_atten_profile = (uint8_t)no_profile;
    W.m[i].is_evse = 1;
    slac_evse_init(&W.m[i].evse, &c);
    drive(i, ccs_slac_evse_machine(&W.m[i].evse));
    return &W.m[i].evse;
}

static inline slac_pev *add_pev(void)
{
    int i = add_port(0);
    uint8_t host[6], modem[6];
    mac_of(i, host, modem);
    slac_pev_config c;
    slac_pev_config_default(&c, host, test_rng, &W.rng_state);
    slac_pev_init(&W.m[i].pev, &c);
    return &W.m[i].pev;
}

static inline void step(int i, const ccs_event *ev)
{
    ccs_driver_event(&W.m[i].drv, ev, W.now);
    W.m[i].last = W.m[i].drv.last;
}

static inline void start(int i)
{
    ccs_event ev = { .kind = CCS_EV_START };
    step(i, &ev);
}

static inline void feed(int i, const uint8_t *frame, size_t len)
{
    ccs_event ev = { .kind = CCS_EV_MESSAGE, .data = frame, .len = len };
    if (!W.m[i].passive) step(i, &ev);
}

/* A frame a modem sent (its source is no host). */
static inline int from_modem(const uint8_t *frame)
{
    for (int i = 0; i < W.n; i++)
        if (memcmp(frame + 6, W.plc.port[i].cfg.host_mac, 6) == 0) return 0;
    return 1;
}

/* Run the world until done() or the virtual clock passes limit; returns done(). */
static inline int run_until(uint32_t limit, int (*done)(void))
{
    static uint8_t buf[SIM_FRAME_MAX];
    for (;;) {
        if (done && done()) return 1;
        int port;
        size_t len;
        while (sim_plc_poll(&W.plc, W.now, &port, buf, sizeof buf, &len) == 1) {
            if (W.pcap && from_modem(buf)) pf_writer_put(W.pcap, buf, len, W.now); /* hosts' frames: in step() */
            feed(port, buf, len);
        }
        for (int i = 0; i < W.n; i++) {
            ccs_driver_poll(&W.m[i].drv, W.now);   /* its timers, when due */
            W.m[i].last = W.m[i].drv.last;
        }
        uint32_t next = 0;
        int any = sim_plc_next_due(&W.plc, &next);
        for (int i = 0; i < W.n; i++)
            if (W.m[i].last.has_wake && (!any || (int32_t)(W.m[i].last.wake_ms - next) < 0)) {
                next = W.m[i].last.wake_ms;
                any = 1;
            }
        if (done && done()) return 1;
        if (!any || (int32_t)(next - limit) > 0) return 0;
        if ((int32_t)(next - W.now) > 0) W.now = next;
    }
}

static inline int pev_index(void)
{
    for (int i = 0; i < W.n; i++)
        if (!W.m[i].is_evse && !W.m[i].passive) return i;
    return -1;
}

static inline int pev_matched(void) { return W.m[pev_index()].pev.status >= SLAC_MATCHED; }
static inline int pev_linked(void) { return W.m[pev_index()].pev.status == SLAC_LINKED; }

/* The EVSEs start (new key, modem restart); the car is plugged in a second later. */
static inline uint32_t plug_in(void)
{
    for (int i = 0; i < W.n; i++)
        if (W.m[i].is_evse) start(i);
    run_until(1000, NULL);
    W.now = 1000;
    start(pev_index());
    return W.now;
}

static inline void assert_match_pair(const slac_pev *pev, const slac_evse *evse, uint8_t atten)
{
    const slac_match_info *pm = slac_pev_match(pev), *em = slac_evse_match(evse);
    assert_non_null(pm);
    assert_non_null(em);
    assert_memory_equal(pm->mac, evse->cfg.mac, 6);
    assert_memory_equal(em->mac, pev->cfg.mac, 6);
    assert_memory_equal(pm->nmk, em->nmk, HPGP_NMK_LEN);
    assert_memory_equal(pm->nmk, slac_evse_nmk(evse), HPGP_NMK_LEN);
    assert_memory_equal(pm->nid, em->nid, HPGP_NID_LEN);
    assert_memory_equal(pm->run_id, em->run_id, HPGP_RUN_ID_LEN);
    uint8_t nid[HPGP_NID_LEN];
    hpgp_nid_from_nmk(ccs_sha256_openssl, pm->nmk, 0, nid);
    assert_memory_equal(pm->nid, nid, HPGP_NID_LEN);
    assert_int_equal(pm->atten_db, atten);
    assert_int_equal(em->atten_db, atten);
}

#endif
