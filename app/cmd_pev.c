/* ccsplc pev: the car (PEV/EVCC) side of a charging session on a real interface. So far the SLAC phase only
 * (--stop-after slac); SDP and the V2G session follow on the same event loop. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "ccsplc/log.h"
#include "commands.h"
#include "slac_phase.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ccsplc pev -i IF --stop-after slac [--timeout S] [-v]\n"
            "\n"
            "Runs SLAC (ISO 15118-3) as the car (PEV/EVCC) on interface IF (HomePlug frames on a raw socket:\n"
            "root or CAP_NET_RAW) and exits 0 once matched with the charger of lowest attenuation and the link is up.\n"
            "The peer MAC and the mean attenuation are logged.\n"
            "\n"
            "  -i, --interface IF    the interface with the HomePlug modem (or a plcsim port)\n"
            "      --stop-after P    stop after phase P; only 'slac' exists so far\n"
            "  -t, --timeout S       give up after S seconds (default: the SLAC timers decide)\n"
            "  -v, --verbose         debug log\n"
            "  -h, --help            this text\n"
            "\n"
            "exit: 0 matched, 1 not matched (timeout, interface error), 2 usage.\n");
}

int cmd_pev(int argc, char **argv)
{
    static const struct option opts[] = {
        {"interface", required_argument, NULL, 'i'}, {"stop-after", required_argument, NULL, 's'},
        {"timeout", required_argument, NULL, 't'},   {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
    };
    const char *ifname = NULL, *stop = NULL;
    unsigned long timeout_s = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:t:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': ifname = optarg; break;
        case 's': stop = optarg; break;
        case 't': timeout_s = strtoul(optarg, NULL, 10); break;
        case 'v': ccs_log_set_level(CCS_LOG_DEBUG); break;
        case 'h': usage(stdout); return CCS_EXIT_OK;
        default: usage(stderr); return CCS_EXIT_USAGE;
        }
    }
    if (!ifname || !stop || optind != argc || timeout_s > 86400) {
        usage(stderr);
        return CCS_EXIT_USAGE;
    }
    if (app_slac_stop_after("pev", stop)) return CCS_EXIT_USAGE;
    static app_slac s;
    int rc = app_slac_phase(&s, CCS_SLAC_PEV, ifname, (uint32_t)(timeout_s * 1000));
    app_slac_close(&s);
    return rc ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}
