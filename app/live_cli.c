/* The command line shared by `ccsplc evse` and `ccsplc pev`: usage, options (after the -c file, so they win),
 * log level, then the run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/linux/ini.h"
#include "ccsplc/linux/log.h"
#include "commands.h"
#include "live.h"

static void usage(FILE *f, live_role role)
{
    const char *cmd = role == LIVE_EVSE ? "evse" : "pev";
    fprintf(f,
            "usage: ccsplc %s (-i IF | --sim) [options]\n"
            "\n"
            "The %s side of a CCS charging session: SLAC (ISO 15118-3) on IF's HomePlug modem, SDP on IF's IPv6\n"
            "link-local address (UDP 15118, ff02::1), V2GTP over TCP, the session (--proto) with simulated\n"
            "hardware (power stage, battery, contactors). Raw sockets: root or CAP_NET_RAW.\n"
            "\n"
            "  -i, --interface IF    the interface with the HomePlug modem (or a plcsim port)\n"
            "      --sim             no interface: simulated modems and a simulated %s in this process\n"
            "      --no-slac         no SLAC: IF is plain Ethernet whose link is up (a peer without a modem,\n"
            "                        e.g. another ISO 15118 stack on a veth pair); SDP first\n"
            "      --stop-after P    slac, sdp or session (%s)\n"
            "  -c, --config FILE     INI file (docs/config.md; pyPLC's pyPlc.ini keys accepted); options win\n"
            "      --proto LIST      protocols offered, comma-separated, of din, iso2-dc, iso2-ac, iso20-dc, iso20-ac\n"
            "                        (%s)\n"
            "      --pcap FILE       write every frame sent and received as pcapng\n"
            "  -t, --timeout S       give up after S seconds (safe stop first)\n"
            "      --vas LIST        ISO 15118-20 value-added services %s: none (default) or internet\n",
            cmd, role == LIVE_EVSE ? "charger (EVSE/SECC)" : "car (PEV/EVCC)", role == LIVE_EVSE ? "car" : "charger",
            role == LIVE_EVSE ? "exactly one session; default: serve car after car" : "default",
            role == LIVE_EVSE ? "default: all of them; the car chooses by its priorities"
                              : "in our order of priority; default: " LIVE_PEV_PROTOS "; AC: " LIVE_PEV_AC_PROTOS,
            role == LIVE_EVSE ? "offered" : "selected where offered");
    if (role == LIVE_EVSE)
        fprintf(f, "      --max-voltage V   --max-current A   --max-power W   the charger's limits (500, 125, 50000)\n"
                   "      --port N          V2GTP server port announced in SDP (default: a free one of 49152-65535)\n"
                   "      --sessions N      serve N sessions, then exit (default: until a signal or q)\n"
                   "      --resume-wait S   keep a paused session (ISO 15118-2) S seconds for the car (600)\n"
                   "      --receipt S       ask the car every S seconds of charging to confirm the meter (ISO 15118-2\n"
                   "                        MeteringReceipt, ISO 15118-20 MeteringConfirmation; default: never)\n"
                   "      --no-renegotiation  ISO 15118-20: no service renegotiation (ServiceRenegotiationSupported\n"
                   "                        false; default: supported)\n");
    else
        fprintf(f, "      --soc N           battery SoC at plug-in, %% (20)   --target-soc N   charge until (80)\n"
                   "      --capacity KWH    battery capacity (60)   --target-voltage V   EVTargetVoltage (410)\n"
                   "      --discharge-to N  ISO 15118-20: discharge to N %% first (DC_BPT/AC_BPT, where the charger\n"
                   "                        offers it), then charge to --target-soc\n"
                   "      --control-mode M  ISO 15118-20: dynamic (default) or scheduled, where the charger offers it\n"
                   "      --departure S     ISO 15118-20: DepartureTime, S seconds after the charge starts (default:\n"
                   "                        when full at the car's maximum power)\n"
                   "      --renegotiate-at N  ISO 15118-20: once the SoC is N %%, renegotiate the services (SessionStop\n"
                   "                        ServiceRenegotiation, the setup again), where the charger supports it\n"
                   "      --pause-after S   ISO 15118-2: pause S seconds after the first current (SessionStop Pause)\n"
                   "      --resume-after S  after a pause: reconnect and resume the session after S seconds (10)\n"
                   "      --bridge chademo  the CCS->CHAdeMO adapter: a CHAdeMO car on --can is the battery\n"
                   "      --can BUS         its CAN bus: can0 (SocketCAN; default) or udp:LPORT:HOST:RPORT\n");
    fprintf(f, "TLS (docs/pnc.md; ISO 15118-2: TLS 1.2, ISO 15118-20: TLS 1.3 with the car's certificate):\n"
               "      --tls-cert FILE   our certificate chain (PEM, leaf first)%s\n"
               "      --tls-key FILE    its private key (PEM)\n"
               "      --tls-ca FILE     trusted roots (PEM): %s\n"
               "      --keylog FILE     append the session keys (NSS key-log format: Wireshark, ccsplc decode)\n",
            role == LIVE_EVSE ? ": the SECC's (TLS is offered when the car asks)" : ": the vehicle's (ISO-20)",
            role == LIVE_EVSE ? "of the cars' certificates (needed for ISO-20)" : "the V2G root(s) the charger's chain must reach");
    if (role == LIVE_EVSE)
        fprintf(f, "      --tls-only        no plain TCP: a car that asks for none is offered TLS\n"
                   "Plug & Charge (ISO 15118-2 and -20, on TLS; docs/pnc.md):\n"
                   "      --mo-root FILE    the MO root(s) (PEM) contracts must reach: Contract payment (ISO-2) and\n"
                   "                        PnC identification (ISO-20) offered\n"
                   "      --providers LIST  ISO-20: the eMSP IDs (comma-separated) sent as SupportedProviders\n"
                   "      --revoked FILE    revoked certificates: a CRL (PEM/DER) or a list of serials, sha256\n"
                   "                        fingerprints, eMAIDs (repeatable, or a comma list)\n"
                   "      --allow FILE      accept only the eMAIDs in FILE (one a line; * accepts all)\n"
                   "      --auth-cmd CMD    ask CMD (sh -c; $1 the eMAID, $2 the serial, $3 the sha256) about each\n"
                   "                        contract: exit 0 accepts, else rejects (Ongoing while it runs)\n"
                   "      --auth-timeout S  reject when CMD has not answered in S seconds (20)\n"
                   "      --cps-cert FILE   ISO-2 CertificateInstallation/-Update offered: the CPS chain (PEM) signing\n"
                   "                        them   --cps-key FILE  its private key\n"
                   "      --oem-root FILE   OEM root(s) and Sub-CAs (PEM) provisioning certificates must reach\n"
                   "      --install-cert FILE  the contract handed out (chain PEM)  --install-key FILE  its key\n");
    else
        fprintf(f, "      --tls MODE        what SDP asks: off (default), ask (take plain TCP if the charger has no\n"
                   "                        TLS) or require (refuse plain TCP)\n"
                   "Plug & Charge (ISO 15118-2 and -20, on TLS; docs/pnc.md):\n"
                   "      --pnc             pay by contract when the charger offers it (needs the two below)\n"
                   "      --contract-cert FILE  the contract chain (PEM: contract certificate, then its Sub-CAs)\n"
                   "      --contract-key FILE   its private key (PEM: P-256 for ISO-2, P-521 for ISO-20)\n"
                   "      --prov-cert FILE  the OEM provisioning certificate (PEM): without a usable contract, install\n"
                   "                        one into the two files above (ISO-2 CertificateInstallation; --tls-ca: the\n"
                   "                        V2G roots the CPS must reach)   --prov-key FILE  its private key\n"
                   "      --renew-days N    update a contract expiring within N days (CertificateUpdate; 30)\n");
    fprintf(f, "  -v, --verbose         debug log (one line per V2G message)   -q, --quiet   errors only\n"
               "  -h, --help            this text\n"
               "\n"
               "keys (when stdin is a terminal): space stops charging gracefully, q stops safely and quits;\n"
               "car, ISO 15118-2: p pauses (while paused: resumes at once); ISO 15118-20: r renegotiates the\n"
               "services (the charger asks the car; the car asks where the charger supports it).\n"
               "A status line (state, V, A, kW, SoC) is shown when stderr is a terminal.\n"
               "hardware (INI, docs/hardware.md): digital_output_device = dieter | celeron55device | gpio | mqtt,\n"
               "charge_parameter_backend = mqtt, soc_callback_enabled (charger); MQTT, GPIO (libgpiod) and the SoC\n"
               "callback are optional at build time: `ccsplc --version` lists this build's backends.\n"
               "exit: 0 the session (charger: every session served) ended normally, or the --stop-after phase\n"
               "completed; 1 otherwise (also a charger stopped in the middle of a session), 2 usage.\n");
}

/* O_MAXV .. O_TLS_ONLY: the charger's own; O_SOC ..: the car's. */
enum { O_SIM = 256, O_NO_SLAC, O_STOP, O_PROTO, O_PCAP, O_VAS, O_TLS_CERT, O_TLS_KEY, O_TLS_CA, O_KEYLOG, O_MAXV,
       O_MAXA, O_MAXW, O_PORT, O_SESSIONS, O_RWAIT, O_RECEIPT, O_NO_RENEG, O_MO_ROOT, O_PROVIDERS, O_REVOKED, O_ALLOW,
       O_AUTH_CMD, O_AUTH_TIMEOUT, O_CPS_CERT, O_CPS_KEY, O_OEM_ROOT, O_INST_CERT, O_INST_KEY, O_TLS_ONLY, O_SOC, O_TSOC, O_DIS,
       O_CONTROL, O_DEPART, O_RENEG, O_CAP, O_TV, O_PAUSE, O_RESUME, O_BRIDGE, O_CAN, O_TLS, O_PNC, O_CCERT, O_CKEY, O_PROV_CERT,
       O_PROV_KEY, O_RENEW };

static int num(const char *s, double lo, double hi, float *out)
{
    double v;
    if (ini_number(s, lo, hi, &v)) return -1;
    *out = (float)v;
    return 0;
}

static int copy(char *dst, size_t cap, const char *s)
{
    if (!*s || strlen(s) >= cap) return -1;
    memcpy(dst, s, strlen(s) + 1);
    return 0;
}

/* A repeated option: its values joined by commas. */
static int append(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(dst);
    if (!*s || n + 1 + strlen(s) >= cap) return -1;
    snprintf(dst + n, cap - n, "%s%s", n ? "," : "", s);
    return 0;
}

static int secs(const char *s, double lo, uint32_t *ms)
{
    float v;
    if (num(s, lo, 86400, &v)) return -1;
    *ms = (uint32_t)(v * 1000.0f);
    return 0;
}

static int apply(live_options *o, int c, const char *a)
{
    float v = 0;
    switch (c) {
    case 'i': return copy(o->ifname, sizeof o->ifname, a);
    case O_SIM: o->sim = 1; return 0;
    case O_NO_SLAC: o->no_slac = 1; return 0;
    case O_STOP: return live_until_parse(a, &o->until);
    case O_PROTO: return copy(o->proto, sizeof o->proto, a);
    case O_PCAP: return copy(o->pcap, sizeof o->pcap, a);
    case O_VAS: return live_vas_parse(a, &o->vas);
    case O_CONTROL: return live_control_parse(a, &o->control_mode);
    case O_DEPART: return secs(a, 1, &o->departure_ms);
    case 't': return secs(a, 0, &o->timeout_ms);
    case 'v': ccs_log_set_level(CCS_LOG_DEBUG); return 0;
    case 'q': ccs_log_set_level(CCS_LOG_ERROR); return 0;
    case O_MAXV: return num(a, 50, 1500, &o->evse_max_v);
    case O_MAXA: return num(a, 1, 1000, &o->evse_max_a);
    case O_MAXW: return num(a, 100, 1000000, &o->evse_max_w);
    case O_PORT: if (num(a, 0, 65535, &v)) return -1; o->tcp_port = (uint16_t)v; return 0;
    case O_SESSIONS:
        if (num(a, 1, 65535, &v)) return -1;
        o->sessions = (uint16_t)v;
        o->until = LIVE_UNTIL_SERVE;
        return 0;
    case O_RWAIT: return secs(a, 1, &o->resume_wait_ms);
    case O_RECEIPT: return secs(a, 1, &o->receipt_ms);
    case O_NO_RENEG: o->service_reneg = 0; return 0;
    case O_SOC: return num(a, 0, 100, &o->soc);
    case O_TSOC: return num(a, 1, 100, &o->target_soc);
    case O_DIS: return num(a, 1, 99, &o->discharge_to);
    case O_RENEG: return num(a, 1, 100, &o->renegotiate_at);
    case O_CAP: return num(a, 0.1, 300, &o->capacity_kwh);
    case O_TV: return num(a, 1, 1500, &o->pev_target_v);
    case O_PAUSE: return secs(a, 0.1, &o->pause_after_ms);
    case O_RESUME: return secs(a, 0, &o->resume_after_ms);
    case O_BRIDGE: return copy(o->bridge, sizeof o->bridge, a);
    case O_CAN: return copy(o->can, sizeof o->can, a);
    case O_TLS_CERT: return copy(o->tls_cert, sizeof o->tls_cert, a);
    case O_TLS_KEY: return copy(o->tls_key, sizeof o->tls_key, a);
    case O_TLS_CA: return copy(o->tls_ca, sizeof o->tls_ca, a);
    case O_KEYLOG: return copy(o->keylog, sizeof o->keylog, a);
    case O_TLS_ONLY: o->tls = LIVE_TLS_REQUIRE; return 0;
    case O_TLS: return live_tls_mode_parse(a, &o->tls);
    case O_MO_ROOT: return copy(o->mo_root, sizeof o->mo_root, a);
    case O_REVOKED: return append(o->revoked, sizeof o->revoked, a);
    case O_ALLOW: return copy(o->allow, sizeof o->allow, a);
    case O_AUTH_CMD: return copy(o->auth_cmd, sizeof o->auth_cmd, a);
    case O_AUTH_TIMEOUT: return secs(a, 0.1, &o->auth_timeout_ms) || o->auth_timeout_ms > 60000 ? -1 : 0;
    case O_PNC: o->pnc = 1; return 0;
    case O_CCERT: return copy(o->contract_cert, sizeof o->contract_cert, a);
    case O_CKEY: return copy(o->contract_key, sizeof o->contract_key, a);
    case O_PROVIDERS: return copy(o->providers, sizeof o->providers, a);
    case O_PROV_CERT: return copy(o->prov_cert, sizeof o->prov_cert, a);
    case O_PROV_KEY: return copy(o->prov_key, sizeof o->prov_key, a);
    case O_RENEW: return num(a, 0, 3650, &o->renew_days);
    case O_CPS_CERT: return copy(o->cps_cert, sizeof o->cps_cert, a);
    case O_CPS_KEY: return copy(o->cps_key, sizeof o->cps_key, a);
    case O_OEM_ROOT: return copy(o->oem_root, sizeof o->oem_root, a);
    case O_INST_CERT: return copy(o->install_cert, sizeof o->install_cert, a);
    case O_INST_KEY: return copy(o->install_key, sizeof o->install_key, a);
    default: return -1;
    }
}

int live_main(live_role role, int argc, char **argv)
{
    static const struct option opts[] = {
        { "interface", required_argument, 0, 'i' }, { "sim", no_argument, 0, O_SIM },
        { "no-slac", no_argument, 0, O_NO_SLAC },
        { "stop-after", required_argument, 0, O_STOP }, { "config", required_argument, 0, 'c' },
        { "proto", required_argument, 0, O_PROTO }, { "pcap", required_argument, 0, O_PCAP },
        { "timeout", required_argument, 0, 't' }, { "verbose", no_argument, 0, 'v' },
        { "quiet", no_argument, 0, 'q' }, { "help", no_argument, 0, 'h' },
        { "max-voltage", required_argument, 0, O_MAXV }, { "max-current", required_argument, 0, O_MAXA },
        { "max-power", required_argument, 0, O_MAXW }, { "port", required_argument, 0, O_PORT },
        { "sessions", required_argument, 0, O_SESSIONS }, { "resume-wait", required_argument, 0, O_RWAIT },
        { "receipt", required_argument, 0, O_RECEIPT }, { "no-renegotiation", no_argument, 0, O_NO_RENEG },
        { "soc", required_argument, 0, O_SOC }, { "target-soc", required_argument, 0, O_TSOC },
        { "discharge-to", required_argument, 0, O_DIS }, { "vas", required_argument, 0, O_VAS },
        { "control-mode", required_argument, 0, O_CONTROL }, { "departure", required_argument, 0, O_DEPART },
        { "renegotiate-at", required_argument, 0, O_RENEG },
        { "capacity", required_argument, 0, O_CAP }, { "target-voltage", required_argument, 0, O_TV },
        { "pause-after", required_argument, 0, O_PAUSE }, { "resume-after", required_argument, 0, O_RESUME },
        { "bridge", required_argument, 0, O_BRIDGE }, { "can", required_argument, 0, O_CAN },
        { "tls-cert", required_argument, 0, O_TLS_CERT }, { "tls-key", required_argument, 0, O_TLS_KEY },
        { "tls-ca", required_argument, 0, O_TLS_CA }, { "keylog", required_argument, 0, O_KEYLOG },
        { "tls-only", no_argument, 0, O_TLS_ONLY }, { "tls", required_argument, 0, O_TLS },
        { "mo-root", required_argument, 0, O_MO_ROOT }, { "pnc", no_argument, 0, O_PNC },
        { "revoked", required_argument, 0, O_REVOKED }, { "allow", required_argument, 0, O_ALLOW },
        { "auth-cmd", required_argument, 0, O_AUTH_CMD }, { "auth-timeout", required_argument, 0, O_AUTH_TIMEOUT },
        { "contract-cert", required_argument, 0, O_CCERT }, { "contract-key", required_argument, 0, O_CKEY },
        { "providers", required_argument, 0, O_PROVIDERS },
        { "prov-cert", required_argument, 0, O_PROV_CERT }, { "prov-key", required_argument, 0, O_PROV_KEY },
        { "renew-days", required_argument, 0, O_RENEW }, { "cps-cert", required_argument, 0, O_CPS_CERT },
        { "cps-key", required_argument, 0, O_CPS_KEY }, { "oem-root", required_argument, 0, O_OEM_ROOT },
        { "install-cert", required_argument, 0, O_INST_CERT }, { "install-key", required_argument, 0, O_INST_KEY },
        { 0, 0, 0, 0 },
    };
    static live l;
    memset(&l, 0, sizeof l);
    live_options_default(&l.o, role);
    int *seen = calloc((size_t)argc + 1, sizeof *seen);
    char **args = calloc((size_t)argc + 1, sizeof *args);
    const char *config = NULL;
    int n = 0, c, rc = -1;
    optind = 1;
    while (seen && args && (c = getopt_long(argc, argv, "i:c:t:vqh", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout, role);
            rc = CCS_EXIT_OK;
            goto out;
        }
        if (c == '?') goto usage;
        if (c == 'c') config = optarg;
        else if ((role == LIVE_EVSE && c >= O_SOC) || (role == LIVE_PEV && c >= O_MAXV && c <= O_TLS_ONLY)) goto usage;
        else seen[n] = c, args[n++] = optarg;
    }
    if (!seen || !args || optind != argc) goto usage;
    if (config && live_config_file(&l.o, config)) {
        rc = CCS_EXIT_USAGE;
        goto out;
    }
    for (int i = 0; i < n; i++)
        if (apply(&l.o, seen[i], args[i])) {
            fprintf(stderr, "ccsplc %s: bad value: %s\n", role == LIVE_EVSE ? "evse" : "pev", args[i] ? args[i] : "");
            goto usage;
        }
    if ((!l.o.ifname[0] && !l.o.sim) || (role == LIVE_PEV && l.o.target_soc <= l.o.soc)) goto usage;
    if (l.o.no_slac && (l.o.sim || l.o.until == LIVE_UNTIL_SLAC)) goto usage;   /* nothing to skip, or to run */
    if (live_pause_check(&l.o) || live_target_check(&l.o) || live_bridge_check(&l.o) || live_pnc_check(&l.o)) {
        rc = CCS_EXIT_USAGE;
        goto out;
    }
    free(seen);
    free(args);
    return live_run(&l);
usage:
    usage(stderr, role);
    rc = CCS_EXIT_USAGE;
out:
    free(seen);
    free(args);
    return rc;
}
