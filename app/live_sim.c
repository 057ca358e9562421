/* `ccsplc evse --sim` / `ccsplc pev --sim`: no interface — the simulated modems, the other side and the
 * physics run in this process on `ccsplc demo`'s machinery (SLAC and SDP on the simulated powerline, V2GTP
 * over loopback TCP, virtual time as fast as it goes), configured from our options; the result is ours. */
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/ipv6.h"
#include "ccsplc/linux/log.h"
#include "commands.h"
#include "demo.h"
#include "live.h"

static demo d;

static void car_step(void *ctx, uint32_t now, uint32_t dt) { live_hw_step(ctx, now, dt); }
static int car_held(void *ctx) { return live_hw_contactors_held(ctx); }
static void bridge_step(void *ctx, uint32_t now) { live_bridge_step(ctx, now); }
static int bridge_ready(void *ctx) { return live_bridge_ready(ctx); }
static void bridge_end(void *ctx) { live_bridge_end(ctx); }
static int bridge_done(void *ctx) { return live_bridge_done(ctx); }
static const demo_bridge_ops bridge_ops = { bridge_ready, bridge_end, bridge_done };

/* evse --sim: the whole plant as `demo` steps it, the charger's status to MQTT and the SoC callback. */
static void charger_step(void *ctx, uint32_t now, uint32_t dt)
{
    live *l = ctx;
    phys_plant_step(&d.plant, &d.evse, &d.pev, dt);
    live_ext_report_evse(&l->hw.ext, &d.evse, now);
}

int live_sim(live *l)
{
    static const uint8_t evse_mac[6] = { 0x02, 0x00, 0x00, 0xEE, 0x00, 0x01 };
    static const uint8_t pev_mac[6] = { 0x02, 0x00, 0x00, 0xCA, 0x00, 0x02 };
    memset(&d, 0, sizeof d);
    d.soc = l->o.soc;
    d.target_soc = l->o.target_soc;
    d.capacity_kwh = l->o.capacity_kwh;
    d.every_ms = 60000;
    d.seed = 1;
    memcpy(d.evse_mac, evse_mac, 6);
    memcpy(d.pev_mac, pev_mac, 6);
    ipv6_link_local_from_mac(evse_mac, d.evse_ip);
    ipv6_link_local_from_mac(pev_mac, d.pev_ip);
    live_configure(&l->o, pev_mac, &d.plant, &d.evse.cfg, &d.pev.cfg);
    d.ac = d.pev.cfg.ac;
    d.evse.cfg.clock_unix_s = d.pev.cfg.clock_unix_s = live_wall_ns() / 1000000000u;   /* virtual 0 ms: now */
    if (l->o.role == LIVE_PEV) {   /* the car's hardware layer: the plant, and a board when the INI names one */
        if (live_hw_open(&l->hw, &l->o.hw, 1)) return CCS_EXIT_FAIL;
        if (l->o.bridge[0]) {   /* the adapter: a CHAdeMO car on a real bus, so real time */
            if (live_bridge_attach(l, &d.pev)) return CCS_EXIT_FAIL;
            d.side_step = bridge_step;
            d.side_ctx = &l->br;
            d.speed = 1.0;
        }
        live_hw_attach(&l->hw, &d.plant, &d.evse, &d.pev);
        d.car_step = car_step;
        d.car_held = car_held;
        d.car_ctx = &l->hw;
        if (live_hw_real(&l->hw)) d.speed = 1.0;   /* real hardware runs in real time */
    } else if (l->o.hw.ext.mqtt_params || l->o.hw.ext.soc_callback) {   /* the charger's status goes out */
        live_hw_options hw = { .ext = l->o.hw.ext };
        hw.ext.mqtt = hw.ext.gpio = 0;   /* the simulated car's plant is stepped whole: no levels to switch */
        if (live_hw_open(&l->hw, &hw, 1)) return CCS_EXIT_FAIL;
        d.car_step = charger_step;
        d.car_ctx = l;
        d.speed = 1.0;
    }
    if (l->have_pcap) {
        d.pcap = l->pcap;
        d.have_pcap = 1;
        d.t0_ns = live_wall_ns();
    }
    LOG_I("%s: --sim: simulated modems and %s in this process", live_role_name(l),
          l->o.role == LIVE_EVSE ? "car" : "charger");
    int rc = l->o.until < LIVE_UNTIL_SESSION ? demo_link_up(&d, SDP_UDP_PORT)
             : l->have_bridge ? demo_bridged(&d, &bridge_ops, &l->br, LIVE_BRIDGE_READY_MS, LIVE_BRIDGE_END_MS)
                              : demo_session(&d);
    if (l->have_bridge) live_hw_wires_own(&l->hw, d.now);   /* the sequence's last d1/d2/lock, whenever it ended */
    live_hw_close(&l->hw);
    if (l->have_bridge) live_bridge_close(&l->br);
    if (rc || l->o.until < LIVE_UNTIL_SESSION) {
        printf("%s: %s %s\n", live_role_name(l), l->o.until >= LIVE_UNTIL_SESSION ? "session" : "slac+sdp",
               rc ? "FAILED" : "done");
        if (rc && l->have_bridge) live_bridge_print_early(&l->br);
        return rc ? CCS_EXIT_FAIL : CCS_EXIT_OK;
    }
    int evse = l->o.role == LIVE_EVSE;
    sess_phase ph = evse ? d.evse.phase : d.pev.phase;
    const char *failed = live_verdict(l->o.role, ph, evse ? d.evse.stop : d.pev.stop, &d.plant);
    if (!failed && l->have_bridge) failed = live_bridge_verdict(&l->br);   /* the CHAdeMO side's reason first */
    if (!failed && !evse) failed = live_hw_verdict(&l->hw);
    printf("%s session (%s, simulated peer)\n", live_role_name(l),
           evse ? live_proto_label(d.evse.proto, d.evse.ac) : live_proto_label(d.pev.proto, d.pev.cfg.ac));
    printf("  stop        %s\n", evse ? live_stop_text(d.evse.stop, &d.evse.bad, d.evse.timer, d.evse.proto)
                                       : live_stop_text(d.pev.stop, &d.pev.bad, d.pev.timer, d.pev.proto));
    printf("  energy      %.3f kWh delivered, SoC %.1f %% -> %.2f %%\n", d.plant.charger.energy_wh / 1000.0, d.soc,
           d.plant.battery.soc);
    if (d.plant.charger.returned_wh > 0.0)   /* ISO-20 BPT (--discharge-to) */
        printf("  returned    %.3f kWh from the car\n", d.plant.charger.returned_wh / 1000.0);
    if (l->have_bridge) live_bridge_print(&l->br);
    printf("  result      %s\n", failed ? failed : "ended normally");
    return failed ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}
