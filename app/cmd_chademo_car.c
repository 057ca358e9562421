/* ccsplc chademo-car: the simulated CHAdeMO car (src/sim/cdm_car.c, a Leaf's limits) as its own process on a CAN
 * bus (SocketCAN or CAN over UDP in cannelloni's format), in real time: the other end of `ccsplc pev --bridge
 * chademo` across processes and network namespaces. Faults to inject for tests. */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "ccsplc/linux/can.h"
#include "ccsplc/linux/ini.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/loop.h"
#include "ccsplc/sim/chademo_car.h"
#include "commands.h"

#define STEP_MS 10u

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ccsplc chademo-car --can BUS [options]\n"
            "  a simulated CHAdeMO car (a Nissan Leaf's limits: 435 V maximum, 410 V target, up to 115 A) on a CAN\n"
            "  bus in real time: after d1 its 0x100/0x101/0x102 every 100 ms, k, its contactors on d2, the current\n"
            "  its battery accepts, its stop at the target SoC. d1/d2 and k travel as ccsplc's simulation frames\n"
            "  0x7F0/0x7F1 on the same bus (docs/chademo.md).\n\n"
            "  --can BUS          can0 (SocketCAN) or udp:LPORT:HOST:RPORT (CAN over UDP, cannelloni's format)\n"
            "  --soc N            battery SoC at plug-in, %% (20)   --target-soc N   stop at (80)\n"
            "  --capacity KWH     battery capacity (40)\n"
            "  --fault-after S    raise a fault flag (high battery temperature) S s after the first current\n"
            "  --silent-after S   stop sending (a lost CAN stream) S s after the first current\n"
            "  --stop-after S     the driver stops the charge S s after the first current\n"
            "  -t, --timeout S    give up after S seconds (600)\n"
            "  -v, --verbose      debug log   -q, --quiet   errors only   -h, --help   this text\n"
            "exit: 0 charged to the target SoC and the sequence ended (contactors open, d1 off); 1 otherwise\n"
            "(also an injected fault or silence); 2 usage.\n");
}

typedef struct {
    const char *can;
    float soc, target, capacity_kwh, fault_after, silent_after, stop_after, timeout;
} car_opts;

static int options(car_opts *o, int argc, char **argv)
{
    static const struct option opts[] = {
        { "can", required_argument, 0, 'b' }, { "soc", required_argument, 0, 's' },
        { "target-soc", required_argument, 0, 'T' }, { "capacity", required_argument, 0, 'c' },
        { "fault-after", required_argument, 0, 'f' }, { "silent-after", required_argument, 0, 'S' },
        { "stop-after", required_argument, 0, 'x' }, { "timeout", required_argument, 0, 't' },
        { "verbose", no_argument, 0, 'v' }, { "quiet", no_argument, 0, 'q' }, { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 },
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:vqh", opts, NULL)) != -1) {
        double v = 0;
        int bad = c != 'b' && c != 'v' && c != 'q' && c != 'h' && c != '?' && ini_number(optarg, 0, 1e6, &v);
        switch (c) {
        case 'b': o->can = optarg; break;
        case 's': o->soc = (float)v; bad = bad || v > 100; break;
        case 'T': o->target = (float)v; bad = bad || v > 100; break;
        case 'c': o->capacity_kwh = (float)v; bad = bad || v <= 0; break;
        case 'f': o->fault_after = (float)v; break;
        case 'S': o->silent_after = (float)v; break;
        case 'x': o->stop_after = (float)v; break;
        case 't': o->timeout = (float)v; break;
        case 'v': ccs_log_set_level(CCS_LOG_DEBUG); break;
        case 'q': ccs_log_set_level(CCS_LOG_ERROR); break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return CCS_EXIT_USAGE;
        }
        if (bad) {
            fprintf(stderr, "ccsplc chademo-car: bad value: %s\n", optarg);
            return CCS_EXIT_USAGE;
        }
    }
    if (optind < argc || !o->can || o->target <= o->soc) {
        usage(stderr);
        return CCS_EXIT_USAGE;
    }
    return 0;
}

static const char *state_name(cdm_car_state s)
{
    static const char *const names[] = { "off", "parameter exchange", "waiting for d2", "charging", "ending", "done" };
    return names[s];
}

/* After the first current: inject what the options ask for, at their times. */
static void inject(const car_opts *o, cdm_car *car, uint32_t since_current, int *silent)
{
    double s = since_current / 1000.0;
    if (o->fault_after > 0 && s >= o->fault_after && !car->inject_faults) {
        LOG_I("chademo-car: fault flag raised (high battery temperature)");
        car->inject_faults = CDM_EV_FAULT_HIGH_TEMPERATURE;
    }
    if (o->silent_after > 0 && s >= o->silent_after && !*silent) {
        LOG_I("chademo-car: CAN silent from now on");
        *silent = 1;
    }
    if (o->stop_after > 0 && s >= o->stop_after && !car->stop_request) {
        LOG_I("chademo-car: the driver stops the charge");
        car->stop_request = 1;
    }
}

static int run(const car_opts *o, ccs_can *bus)
{
    static cdm_car car;
    cdm_car_config cfg;
    cdm_car_config_leaf(&cfg);
    cfg.battery.soc = o->soc;
    cfg.battery.target_soc = o->target;
    cfg.battery.capacity_wh = o->capacity_kwh * 1000.0f;
    cdm_car_init(&car, &cfg);
    uint32_t t0 = ccs_mono_ms(), now = 0, first_current = 0;
    int silent = 0;
    cdm_car_state shown = CDM_CAR_OFF;
    LOG_I("chademo-car: on %s, SoC %.1f %% -> %.1f %%, %.1f kWh; waiting for d1", o->can, (double)o->soc,
          (double)o->target, (double)o->capacity_kwh);
    while (!(car.state == CDM_CAR_DONE) && now < (uint32_t)(o->timeout * 1000.0f)) {
        struct pollfd p = { .fd = bus->fd, .events = POLLIN };
        uint32_t next = now + STEP_MS, t = ccs_mono_ms() - t0;
        if (t < next) poll(&p, 1, (int)(next - t));
        cdm_frame f[CCS_CAN_BATCH];
        size_t n;
        now = ccs_mono_ms() - t0;
        if (ccs_can_recv(bus, f, CCS_CAN_BATCH, &n)) {
            LOG_E("chademo-car: %s: receive failed", o->can);
            return CCS_EXIT_FAIL;
        }
        for (size_t i = 0; i < n; i++) cdm_car_rx(&car, &f[i], now);
        float a = car.contactors ? car.evse_st.present_a : 0.0f;   /* the current the charger reports */
        if (a > 1.0f && !first_current) first_current = now;
        if (first_current) inject(o, &car, now - first_current, &silent);
        cdm_car_step(&car, a, STEP_MS, now);
        if (car.ntx && !silent && ccs_can_send(bus, car.tx, car.ntx)) LOG_W("chademo-car: %s: send failed", o->can);
        if (car.state != shown) {
            shown = car.state;
            LOG_I("chademo-car: %.3f s: %s (k=%u contactors=%u, request %u A, SoC %.1f %%)", now / 1000.0,
                  state_name(car.state), car.k, car.contactors, car.request_a, car.bat.soc);
        }
    }
    int ok = car.state == CDM_CAR_DONE && phys_battery_full(&car.bat) && !car.inject_faults && !silent &&
             !car.can_lost && !car.stop_request;
    printf("chademo-car\n  soc         %.1f %% -> %.2f %% (target %.1f %%)\n  current     %s\n", (double)o->soc,
           car.bat.soc, (double)o->target, first_current ? "yes" : "none");
    printf("  end         %s%s%s\n", state_name(car.state), car.can_lost ? ", the charger's CAN lost" : "",
           car.evse_st.status & (CDM_EVSE_MALFUNCTION | CDM_EVSE_SYSTEM_FAULT | CDM_EVSE_INCOMPATIBLE)
               ? ", the charger's fault flags" : "");
    printf("  result      %s\n", ok ? "ended normally" : "FAILED");
    return ok ? CCS_EXIT_OK : CCS_EXIT_FAIL;
}

int cmd_chademo_car(int argc, char **argv)
{
    car_opts o = { .soc = 20, .target = 80, .capacity_kwh = 40, .timeout = 600 };
    int rc = options(&o, argc, argv);
    if (rc) return rc < 0 ? CCS_EXIT_OK : rc;
    ccs_can bus;
    if (ccs_can_open(&bus, o.can)) return CCS_EXIT_FAIL;
    rc = run(&o, &bus);
    ccs_can_close(&bus);
    return rc;
}
