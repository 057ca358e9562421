/* ccsplc plcsim: play QCA modems and the powerline between Linux interfaces (e.g. veth ends of network
 * namespaces), so unmodified SLAC / V2G programs on each port behave as over real modems. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "commands.h"
#include "plcsim_bridge.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ccsplc plcsim --port NAME=IF[,atten=DB][,role=evse|pev] ... [--atten A:B=DB ...]\n"
            "                     [--monitor IF] [--loss P] [--delay MS] [--restart-ms MS] [--seed N] [-v]\n"
            "\n"
            "Each port is a host interface with its own simulated QCA7000 modem: the modem answers GET_SW,\n"
            "OP_ATTRIBUTES, CM_SET_KEY and VS_SET_KEY (then restarts with the new key), VS_RS_DEV, link status,\n"
            "VS_NW_INFO and PIB read/write (as plctool and plcstat ask); it starts with a random key in its PIB.\n"
            "Modems with the same NMK form an AVLN. SLAC messages cross the line between any ports; every other\n"
            "frame (IPv6, IPv4, ARP, other MMEs) only inside an AVLN. Every MNBC sound is followed by a\n"
            "CM_ATTEN_PROFILE.IND from the receiving modem with the pair's attenuation. Runs until SIGINT/SIGTERM.\n"
            "\n"
            "  --port NAME=IF[,atten=DB][,role=R]  a port on interface IF; a pair's attenuation is the sum of\n"
            "                      its two ports' atten (default 0); role sets the modem's PIB (HFID, CCo, SLAC)\n"
            "  --atten A:B=DB      attenuation between ports A and B (overrides the sum)\n"
            "  --monitor IF        copy all powerline traffic (hosts' frames, modem messages) to IF\n"
            "  --loss P            frame loss probability on the line, 0..1 (default 0)\n"
            "  --delay MS          line latency (default 1)\n"
            "  --restart-ms MS     modem restart time after SET_KEY / reset (default 500)\n"
            "  --seed N            seed of the loss PRNG\n"
            "  -v, --verbose       debug log\n"
            "\n"
            "The interfaces need no address; disable IPv6 on them (sysctl net.ipv6.conf.IF.disable_ipv6=1) so\n"
            "only simulated traffic reaches the hosts, and turn TSO/GSO off on the hosts' ends for TCP.\n"
            "exit: 0 stopped by a signal, 1 an interface failed, 2 usage.\n");
}

static int find_port(const plcsim *s, const char *name, size_t len)
{
    for (int i = 0; i < s->nports; i++)
        if (strlen(s->port[i].name) == len && !strncmp(s->port[i].name, name, len)) return i;
    return -1;
}

static int parse_db(const char *text, uint8_t *db)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    if (end == text || *end || v > 255) return -1;
    *db = (uint8_t)v;
    return 0;
}

/* NAME=IF[,atten=DB][,role=evse|pev]; the text is modified (split in place). */
static int parse_port(plcsim *s, char *text)
{
    char *eq = strchr(text, '=');
    if (!eq || eq == text || (size_t)(eq - text) >= PLCSIM_NAME_MAX || s->nports >= SIM_MAX_PORTS ||
        find_port(s, text, (size_t)(eq - text)) >= 0)
        return -1;
    plcsim_port *p = &s->port[s->nports];
    memcpy(p->name, text, (size_t)(eq - text));
    p->ifname = strtok(eq + 1, ",");
    if (!p->ifname) return -1;
    for (char *opt; (opt = strtok(NULL, ",")) != NULL;) {
        if (!strncmp(opt, "atten=", 6) && !parse_db(opt + 6, &p->atten_db)) continue;
        if (!strcmp(opt, "role=evse")) p->role = HPGP_PIB_ROLE_EVSE;
        else if (!strcmp(opt, "role=pev")) p->role = HPGP_PIB_ROLE_PEV;
        else return -1;
    }
    s->nports++;
    return 0;
}

/* A:B=DB, after all ports are known. */
static int parse_pair(plcsim *s, const char *text)
{
    const char *colon = strchr(text, ':'), *eq = colon ? strchr(colon, '=') : NULL;
    if (!eq) return -1;
    plcsim_pair *pr = &s->pair[s->npairs];
    pr->a = find_port(s, text, (size_t)(colon - text));
    pr->b = find_port(s, colon + 1, (size_t)(eq - colon - 1));
    if (pr->a < 0 || pr->b < 0 || pr->a == pr->b || parse_db(eq + 1, &pr->db)) return -1;
    s->npairs++;
    return 0;
}

int cmd_plcsim(int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},    {"atten", required_argument, NULL, 'a'},
        {"monitor", required_argument, NULL, 'm'}, {"loss", required_argument, NULL, 'l'},
        {"delay", required_argument, NULL, 'd'},   {"restart-ms", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},    {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    static plcsim s;
    const char *pairs[SIM_MAX_PORTS * SIM_MAX_PORTS];
    int npairs = 0, c, bad = 0;
    s.cfg.delay_ms = 1;
    s.restart_ms = 500;
    optind = 1;
    while (!bad && (c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
        switch (c) {
        case 'p': bad = parse_port(&s, optarg); break;
        case 'a':
            bad = npairs >= (int)(sizeof pairs / sizeof pairs[0]);
            if (!bad) pairs[npairs++] = optarg;
            break;
        case 'm': s.monitor = optarg; break;
        case 'l': {
            double p = strtod(optarg, NULL);
            bad = !(p >= 0 && p <= 1);
            s.cfg.loss_permille = (uint16_t)(p * 1000 + 0.5);
            break;
        }
        case 'd': s.cfg.delay_ms = (uint32_t)strtoul(optarg, NULL, 10); break;
        case 'r': s.restart_ms = (uint32_t)strtoul(optarg, NULL, 10); break;
        case 's': s.cfg.seed = (uint32_t)strtoul(optarg, NULL, 10); break;
        case 'v': ccs_log_set_level(CCS_LOG_DEBUG); break;
        case 'h': usage(stdout); return CCS_EXIT_OK;
        default: bad = 1; break;
        }
    }
    for (int i = 0; i < npairs && !bad; i++) bad = parse_pair(&s, pairs[i]);
    if (bad || optind != argc || s.nports < 1) {
        fprintf(stderr, "ccsplc plcsim: bad arguments\n");
        usage(stderr);
        return CCS_EXIT_USAGE;
    }
    return plcsim_run(&s) ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}
