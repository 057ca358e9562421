/* ccsplc modem: talk to the HomePlug modem on an interface — list, set the key, PIB read/show/role/write,
 * and `configure` (read, patch for a role, write, reset, wait) in one command. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_io.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/random.h"
#include "ccsplc/core/sha256.h"
#include "commands.h"
#include "modem_cli.h"

void modem_cli_usage(FILE *f)
{
    fprintf(f,
            "usage: ccsplc modem list -i IF [--mac M] [--wait MS]\n"
            "       ccsplc modem setkey -i IF [--mac M] (--nmk HEX | --password TEXT)\n"
            "       ccsplc modem pib read -i IF [--mac M] -o FILE\n"
            "       ccsplc modem pib show FILE\n"
            "       ccsplc modem pib role pev|evse IN -o OUT\n"
            "       ccsplc modem pib write -i IF [--mac M] FILE\n"
            "       ccsplc modem configure -i IF [--mac M] [--wait MS] pev|evse\n"
            "\n"
            "list       VS_SW_VER to every modem (or --mac M); prints MAC, device class, firmware per answer\n"
            "setkey     CM_SET_KEY with the NMK (hex, 16 bytes) or the NMK of a password (HomePlug AV rule)\n"
            "pib read   reads the modem's PIB (VS_MODULE_OPERATION) into FILE\n"
            "pib show   HFID, CCo selection, SLAC mode, link speeds, NMK, MAC of a PIB file\n"
            "pib role   sets HFID, CCo selection, SLAC mode and link speeds for the role; checksums recomputed\n"
            "           (flat PIB and NVM-chain files)\n"
            "pib write  writes a PIB file to the modem (refused before sending if a checksum is bad)\n"
            "configure  read -> patch for the role -> write -> reset -> wait for the modem\n"
            "\n"
            "  -i, --interface IF  interface with the modem (raw socket: root or CAP_NET_RAW)\n"
            "  -m, --mac M         the modem's MAC (default 00:b0:52:00:00:01, \"the local modem\";\n"
            "                      list: ff:ff:ff:ff:ff:ff)\n"
            "  -o, --output F      output file\n"
            "  -w, --wait MS       list: how long to collect answers (300); configure: reset wait (15000)\n"
            "\n"
            "exit: 0 ok, 1 failure (no answer, refused, bad PIB), 2 usage.\n");
}

int modem_parse_args(int argc, char **argv, modem_args *a, uint32_t default_wait_ms)
{
    static const struct option opts[] = {
        {"interface", required_argument, NULL, 'i'}, {"mac", required_argument, NULL, 'm'},
        {"output", required_argument, NULL, 'o'},    {"wait", required_argument, NULL, 'w'},
        {"nmk", required_argument, NULL, 'n'},       {"password", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->wait_ms = default_wait_ms;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:m:o:w:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': a->ifname = optarg; break;
        case 'm': a->mac_text = optarg; break;
        case 'o': a->out = optarg; break;
        case 'w': a->wait_ms = (uint32_t)strtoul(optarg, NULL, 10); break;
        case 'n': a->nmk_hex = optarg; break;
        case 'p': a->password = optarg; break;
        case 'h': modem_cli_usage(stdout); exit(CCS_EXIT_OK);
        default: modem_cli_usage(stderr); return -1;
        }
    }
    a->npos = argc - optind;
    a->pos = argv + optind;
    return 0;
}

static const char *progress_stage; /* the stage whose progress line is open, or NULL */

/* One progress line per stage, updated in place, ended when the stage is complete. */
static void progress(void *ctx, const char *stage, size_t done, size_t total)
{
    (void)ctx;
    if (progress_stage && strcmp(progress_stage, stage)) fputc('\n', stderr);
    progress_stage = done < total ? stage : NULL;
    const char *unit = !strcmp(stage, "wait") ? "ms" : !strcmp(stage, "reset") ? "" : "bytes";
    fprintf(stderr, "\rmodem: %-5s %6zu / %zu %s%s", stage, done, total, unit, done < total ? "" : "\n");
}

int modem_cli_open(const modem_args *a, modem_conn *m)
{
    uint8_t mac[6];
    int rc = ccs_link_open(&m->link, a->ifname, CCS_LINK_HPGP);
    if (rc) {
        LOG_E("modem: cannot open %s: %s (needs CAP_NET_RAW)", a->ifname, ccs_strerror(rc));
        return rc;
    }
    ccs_link_frame_io(&m->link, &m->io);
    modem_client_init(&m->c, &m->io);
    m->c.progress = progress;
    if (!a->mac_text) return 0;
    if (ccs_mac_parse(a->mac_text, mac)) {
        LOG_E("modem: bad MAC '%s'", a->mac_text);
        return CCS_ESYNTAX;
    }
    memcpy(m->c.dst, mac, 6);
    return 0;
}

void modem_cli_close(modem_conn *m)
{
    if (progress_stage) fputc('\n', stderr);
    progress_stage = NULL;
    ccs_link_close(&m->link);
}

int modem_cli_role(const char *s, hpgp_pib_role *role)
{
    if (!strcmp(s, "pev")) *role = HPGP_PIB_ROLE_PEV;
    else if (!strcmp(s, "evse")) *role = HPGP_PIB_ROLE_EVSE;
    else return -1;
    return 0;
}

static int list(const modem_args *a, modem_conn *m)
{
    modem_info info[32];
    size_t n = 0;
    int rc = modem_cli_open(a, m);
    if (rc) return rc;
    if (!a->mac_text) memcpy(m->c.dst, hpgp_broadcast_mac, 6);
    rc = modem_list(&m->c, a->wait_ms, info, sizeof info / sizeof info[0], &n);
    for (size_t i = 0; i < n; i++) {
        char mac[CCS_MAC_TEXT];
        printf("%s device_class=0x%02x firmware=%s\n", ccs_mac_format(info[i].mac, mac), info[i].device_class,
               info[i].firmware);
    }
    if (!rc && !n) rc = CCS_ENOTFOUND;
    if (rc) LOG_E("modem list: %s", rc == CCS_ENOTFOUND ? "no modem answered" : ccs_strerror(rc));
    return rc;
}

static int setkey(const modem_args *a, modem_conn *m)
{
    uint8_t nmk[HPGP_NMK_LEN];
    int rc = CCS_EINVAL;
    if (a->nmk_hex && !a->password) {
        size_t len = 0;
        uint8_t *k = app_parse_hex(a->nmk_hex, &len);
        if (k && len == HPGP_NMK_LEN) {
            memcpy(nmk, k, HPGP_NMK_LEN);
            rc = 0;
        }
        free(k);
    } else if (a->password && !a->nmk_hex) {
        rc = hpgp_nmk_from_password(ccs_sha256_openssl, a->password, strlen(a->password), nmk);
    }
    if (rc) {
        LOG_E("modem setkey: give --nmk with 32 hex digits, or --password of 1..64 characters");
        return CCS_EINVAL;
    }
    rc = modem_cli_open(a, m);
    if (!rc) rc = modem_set_key(&m->c, nmk, ccs_sha256_openssl, ccs_random_getrandom, NULL);
    if (rc) LOG_E("modem setkey: %s", ccs_strerror(rc));
    else LOG_I("modem setkey: confirmed; the modem restarts with the new key");
    return rc;
}

static int configure(const modem_args *a, modem_conn *m)
{
    hpgp_pib_role role = HPGP_PIB_ROLE_PEV;
    modem_cli_role(a->pos[0], &role);
    int rc = modem_cli_open(a, m);
    if (!rc) rc = modem_configure(&m->c, role, a->wait_ms);
    if (rc) LOG_E("modem configure: %s", ccs_strerror(rc));
    else LOG_I("modem configure: the modem is back, configured as %s", a->pos[0]);
    return rc;
}

int cmd_modem(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        modem_cli_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CCS_EXIT_USAGE : CCS_EXIT_OK;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "pib")) return modem_pib_cli(argc - 1, argv + 1);
    modem_args a;
    int (*run)(const modem_args *, modem_conn *) = NULL;
    hpgp_pib_role role;
    int ok = 0;
    if (!strcmp(sub, "list")) {
        run = list;
        ok = !modem_parse_args(argc - 1, argv + 1, &a, 300) && !a.npos;
    } else if (!strcmp(sub, "setkey")) {
        run = setkey;
        ok = !modem_parse_args(argc - 1, argv + 1, &a, 0) && !a.npos;
    } else if (!strcmp(sub, "configure")) {
        run = configure;
        ok = !modem_parse_args(argc - 1, argv + 1, &a, MODEM_WAIT_MS) && a.npos == 1 && !modem_cli_role(a.pos[0], &role);
    }
    if (!run) {
        fprintf(stderr, "ccsplc modem: unknown subcommand '%s' (see --help)\n", sub);
        return CCS_EXIT_USAGE;
    }
    if (!ok || !a.ifname) {
        modem_cli_usage(stderr);
        return CCS_EXIT_USAGE;
    }
    static modem_conn m = { .link.fd = -1 };
    int rc = run(&a, &m);
    modem_cli_close(&m);
    return rc ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}
