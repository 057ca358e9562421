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

static void car_step(void *ctx, uint32_t now, uint32_t dt) { live_hw_step(ctx, now, dt); }
static void bridge_step(void *ctx, uint32_t now) { live_bridge_step(ctx, now); }
static int bridge_ready(void *ctx) { return live_bridge_ready(ctx); }
static void bridge_end(void *ctx) { live_bridge_end(ctx); }
static int bridge_done(void *ctx) { return live_bridge_done(ctx); }
static const demo_bridge_ops bridge_ops = { bridge_ready, bridge_end, bridge_done };

int live_sim(live *l)
{
    static demo d;
    static const uint8_t evse_mac[6] = { 0x02, 0x00, 0x00, 0xEE, 0x00, 0x01 };
    static const uint8_t pev_mac[6] = { 0x02, 0x00, 0x00, 0xCA, 0x00, 0x02 };
    memset(&d, 0, sizeof d);
    d.proto = sess_proto_find(l->o.proto);
    d.ac = sess_proto_ac(l->o.proto);
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
        d.car_ctx = &l->hw;
        if (l->hw.have_board) d.speed = 1.0;   /* a board runs in real time */
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
    live_hw_close(&l->hw);
    if (l->have_bridge) live_bridge_close(&l->br);
    if (rc || l->o.until < LIVE_UNTIL_SESSION) {
        printf("%s: %s %s\n", live_role_name(l), l->o.until >= LIVE_UNTIL_SESSION ? "session" : "slac+sdp",
               rc ? "FAILED" : "done");
        return rc ? CCS_EXIT_FAIL : CCS_EXIT_OK;
    }
    int evse = l->o.role == LIVE_EVSE;
    sess_phase ph = evse ? d.evse.phase : d.pev.phase;
    const char *failed = live_verdict(l->o.role, ph, evse ? d.evse.stop : d.pev.stop, &d.plant);
    if (!failed && l->have_bridge) failed = live_bridge_verdict(&l->br);   /* the CHAdeMO side's reason first */
    if (!failed && !evse) failed = live_hw_verdict(&l->hw);
    printf("%s session (%s, simulated peer)\n", live_role_name(l), l->o.proto);
    printf("  stop        %s\n", evse ? live_stop_text(d.evse.stop, &d.evse.bad, d.evse.timer, d.evse.proto)
                                       : live_stop_text(d.pev.stop, &d.pev.bad, d.pev.timer, d.pev.proto));
    printf("  energy      %.3f kWh delivered, SoC %.1f %% -> %.2f %%\n", d.plant.charger.energy_wh / 1000.0, d.soc,
           d.plant.battery.soc);
    if (l->have_bridge) live_bridge_print(&l->br);
    printf("  result      %s\n", failed ? failed : "ended normally");
    return failed ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}
