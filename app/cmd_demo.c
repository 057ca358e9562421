/* ccsplc demo: a whole simulated charging session in one process without root — charger, car, their modems
 * and the physics — printing the message sequence and a summary; exit 0 only when it ended normally. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/ipv6.h"
#include "ccsplc/linux/log.h"
#include "commands.h"
#include "demo.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ccsplc demo [options]\n"
            "  a charger and a car in one process: SLAC and SDP over a simulated powerline, V2G over loopback\n"
            "  TCP, the charging physics on a virtual clock; prints the message sequence and a summary.\n\n"
            "  --proto P        din (default), iso2-dc, iso2-ac, iso20-dc, iso20-ac, iso20-dc-bpt, iso20-ac-bpt\n"
            "                   (ISO 15118-20, without TLS; -bpt: bidirectional, the car discharges first)\n"
            "  --soc N          battery SoC at plug-in, %% (default 20)\n"
            "  --target-soc N   charge until this SoC, %% (default 80)\n"
            "  --discharge-to N -bpt: discharge to this SoC first, %% (default: 10 below --soc)\n"
            "  --capacity KWH   battery capacity (default 60)\n"
            "  --speed N        N x real time; 0 = as fast as possible (default)\n"
            "  --every MS       print repeated messages at most every MS of session time (default 60000; 0 = all)\n"
            "  --mem            V2GTP through memory instead of loopback TCP\n"
            "  --pcap FILE      write every frame as pcapng (HomePlug, SDP, the TCP flow)\n"
            "  --seed N         random seed (default 1)\n"
            "  --bridge chademo the car is the CCS->CHAdeMO adapter with a simulated CHAdeMO car (a Leaf's limits)\n"
            "                   behind it: the CHAdeMO sequence and its CAN frames, then the CCS session (DC)\n"
            "exit: 0 when the session ended normally at the target SoC, 1 otherwise, 2 usage.\n");
}

enum { OPT_RUN = -1, OPT_HELP = -2 };   /* options(): go on, or --help done; else an exit code */

static int parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int options(demo *d, int argc, char **argv)
{
    static const struct option opts[] = {
        { "proto", required_argument, 0, 'p' }, { "soc", required_argument, 0, 's' },
        { "target-soc", required_argument, 0, 't' }, { "capacity", required_argument, 0, 'c' },
        { "speed", required_argument, 0, 'S' }, { "every", required_argument, 0, 'e' },
        { "mem", no_argument, 0, 'm' }, { "pcap", required_argument, 0, 'w' }, { "seed", required_argument, 0, 'r' },
        { "bridge", required_argument, 0, 'b' }, { "discharge-to", required_argument, 0, 'd' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    const char *proto = "din";
    double v = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'p': proto = optarg; break;
        case 's': bad = parse_num(optarg, 0, 100, &v); d->soc = (float)v; break;
        case 't': bad = parse_num(optarg, 1, 100, &v); d->target_soc = (float)v; break;
        case 'c': bad = parse_num(optarg, 1, 300, &v); d->capacity_kwh = (float)v; break;
        case 'S': bad = parse_num(optarg, 0, 1e9, &d->speed); break;
        case 'e': bad = parse_num(optarg, 0, 1e9, &v); d->every_ms = (uint32_t)v; break;
        case 'm': d->in_memory = 1; break;
        case 'w': d->pcap_path = optarg; break;
        case 'r': bad = parse_num(optarg, 1, 4294967295.0, &v); d->seed = (uint32_t)v; break;
        case 'b': bad = strcmp(optarg, "chademo") ? -1 : 0; d->bridge = 1; break;
        case 'd': bad = parse_num(optarg, 1, 99, &v); d->discharge_to = (float)v; break;
        case 'h': usage(stdout); return OPT_HELP;
        default: return CCS_EXIT_USAGE;
        }
        if (bad) {
            fprintf(stderr, "ccsplc demo: bad value: %s\n", optarg);
            return CCS_EXIT_USAGE;
        }
    }
    if (optind < argc || d->target_soc <= d->soc) {
        usage(stderr);
        return CCS_EXIT_USAGE;
    }
    d->bpt = sess_proto_bpt(proto);
    if (d->bpt && !d->discharge_to) d->discharge_to = d->soc > 10.0f ? d->soc - 10.0f : 0.0f;
    if (d->bpt && !(d->discharge_to > 0.0f && d->discharge_to < d->soc)) {
        fprintf(stderr, "ccsplc demo: %s: --discharge-to must be between 1 and --soc\n", proto);
        return CCS_EXIT_USAGE;
    }
    d->proto = sess_proto_find(proto);
    d->ac = sess_proto_ac(proto);
    if (d->bridge && d->ac) {
        fprintf(stderr, "ccsplc demo: --bridge chademo charges DC: not with %s\n", proto);
        return CCS_EXIT_USAGE;
    }
    if (d->proto) return OPT_RUN;
    fprintf(stderr, "ccsplc demo: unknown protocol '%s' (din, iso2-dc, iso2-ac, iso20-dc, iso20-ac, iso20-dc-bpt, "
                    "iso20-ac-bpt)\n", proto);
    return CCS_EXIT_USAGE;
}

static void setup(demo *d)
{
    static const uint8_t evse_mac[6] = { 0x02, 0x00, 0x00, 0xEE, 0x00, 0x01 }, pev_mac[6] = { 0x02, 0x00, 0x00,
                                                                                                0xCA, 0x00, 0x02 };
    memcpy(d->evse_mac, evse_mac, 6);
    memcpy(d->pev_mac, pev_mac, 6);
    ipv6_link_local_from_mac(evse_mac, d->evse_ip);
    ipv6_link_local_from_mac(pev_mac, d->pev_ip);
    phys_charger_config cc;
    phys_battery_config bc;
    if (d->ac)
        phys_charger_default_ac(&cc);   /* the mains through the charger; the car's on-board charger limits */
    else
        phys_charger_default(&cc);
    phys_battery_default(&bc);
    bc.capacity_wh = d->capacity_kwh * 1000.0f;
    bc.soc = d->soc;
    bc.target_soc = d->target_soc;
    phys_plant_init(&d->plant, &cc, &bc);
    d->low_soc = bc.soc;
    sess_evse_config ec;
    sess_evse_config_default(&ec);
    ec.protos[0] = d->proto;
    ec.max_v = cc.max_v;
    ec.max_a = cc.max_a;
    ec.max_w = cc.max_w;
    ec.ac_max_a = cc.max_a;
    ec.discharge_max_a = cc.discharge_max_a;   /* the simulated stage sinks current: BPT offered */
    ec.discharge_max_w = cc.discharge_max_w;
    sess_evse_init(&d->evse, &ec, NULL);
    sess_pev_config pc;
    sess_pev_config_default(&pc, pev_mac);
    pc.protos[0] = d->proto;
    pc.ac = (uint8_t)d->ac;
    pc.capacity_wh = bc.capacity_wh;
    pc.max_a = bc.max_a;
    pc.discharge_soc = (uint8_t)d->discharge_to;
    sess_pev_init(&d->pev, &pc, NULL);
}

const char *demo_when(uint32_t ms)
{
    static char t[24];
    if (!ms) return "none";
    snprintf(t, sizeof t, "%.3f s", ms / 1000.0);
    return t;
}

static int summary(const demo *d, int rc, int bridge_ok)
{
    const phys_battery *b = &d->plant.battery;
    int normal = !rc && bridge_ok && d->evse.stop == SESS_STOP_NORMAL && d->pev.stop == SESS_STOP_NORMAL &&
                 phys_battery_full(b) && !d->plant.evse_contactor.opened_under_load &&
                 !d->plant.pev_contactor.opened_under_load && (!d->bpt || d->plant.charger.returned_wh > 0.0);
    printf("\nsummary (%s%s%s)\n", sess_proto_name(d->proto), d->ac ? " AC" : "", d->bpt ? " BPT" : "");
    printf("  energy      %.3f kWh delivered, %.3f kWh stored, %.3f kWh battery losses\n",
           d->plant.charger.energy_wh / 1000.0, b->stored_wh / 1000.0, b->loss_wh / 1000.0);
    if (d->bpt)
        printf("  returned    %.3f kWh from the car (down to %.2f %%, asked below %.0f %%)\n",
               d->plant.charger.returned_wh / 1000.0, d->low_soc, d->discharge_to);
    if (d->ac)
        printf("  charger     AC %u x %.0f V; on-board charger %.1f A per phase, efficiency %.3f\n",
               d->plant.charger.cfg.ac_phases, d->plant.charger.cfg.ac_phase_v, d->plant.obc.max_a,
               d->plant.obc.efficiency);
    printf("  soc         %.1f %% -> %.2f %% (target %.1f %%, capacity %.1f kWh)\n", d->soc, b->soc, d->target_soc,
           d->capacity_kwh);
    printf("  duration    %.1f s (link up %.3f s, SDP %.3f s, first current %s)\n", d->now / 1000.0,
           d->linked_ms / 1000.0, d->sdp_ms / 1000.0, demo_when(d->first_current_ms));
    printf("  stop        charger: %s, car: %s\n", sess_stop_name(d->evse.stop), sess_stop_name(d->pev.stop));
    printf("  result      %s\n", normal ? "ended normally" : "FAILED");
    return normal ? CCS_EXIT_OK : CCS_EXIT_FAIL;
}

int cmd_demo(int argc, char **argv)
{
    static demo d;
    memset(&d, 0, sizeof d);
    d.soc = 20.0f;
    d.target_soc = 80.0f;
    d.capacity_kwh = 60.0f;
    d.every_ms = 60000;
    d.seed = 1;
    int rc = options(&d, argc, argv);
    if (rc == OPT_HELP) return CCS_EXIT_OK;
    if (rc != OPT_RUN) return rc;
    setup(&d);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    d.t0_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    /* virtual 0 ms is now: ISO 15118-20's TimeStamp and TimeAnchors in Unix time */
    d.evse.cfg.clock_unix_s = d.pev.cfg.clock_unix_s = (uint64_t)ts.tv_sec;
    if (d.pcap_path) {
        if (pcapng_open(&d.pcap, d.pcap_path) != 0) {
            LOG_E("demo: cannot write %s", d.pcap_path);
            return CCS_EXIT_FAIL;
        }
        d.have_pcap = 1;
    }
    int bridge_ok = 1;
    rc = d.bridge ? demo_chademo(&d, &bridge_ok) : demo_session(&d);
    if (rc) LOG_E("demo: %s", ccs_strerror(rc));
    if (d.have_pcap) pcapng_close(&d.pcap);
    return summary(&d, rc, bridge_ok);
}
