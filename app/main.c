/* ccsplc: the command-line entry point; dispatches to one subcommand (see app/commands.h). */
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/version.h"
#include "ccsplc/linux/hw_backends.h"
#include "app_io.h"
#include "app_streams.h"
#include "commands.h"

static const struct ccs_command commands[] = {
    {"exi", "decode or encode one EXI message (XML <-> hex)", cmd_exi},
    {"demo", "a whole simulated charging session: charger, car, modems, physics", cmd_demo},
    {"decode", "decode a capture (pcap/pcapng): timeline, sessions, JSON, XML, HTML report", cmd_decode},
    {"listen", "passive listener on an interface: live timeline, sessions, --pcap, --split, --join", cmd_listen},
    {"evse", "charger: a whole session on an interface (SLAC, SDP, V2G) or --sim", cmd_evse},
    {"pev", "car: a whole session on an interface (SLAC, SDP, V2G) or --sim", cmd_pev},
    {"modem", "HomePlug modem: list, setkey, PIB read/show/role/write, configure", cmd_modem},
    {"plcsim", "simulated modems + powerline bridging Linux interfaces", cmd_plcsim},
    {"chademo-car", "a simulated CHAdeMO car (a Leaf's limits) on a CAN bus (SocketCAN, CAN over UDP)", cmd_chademo_car},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: ccsplc COMMAND [options]   (ccsplc COMMAND --help for details)\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nccsplc --version: the version and the optional hardware backends this build has.\n");
    fprintf(f, "exit codes: 0 ok, 1 failure, 2 usage error. Logs go to stderr, data to stdout.\n");
}

int main(int argc, char **argv)
{
    app_std_fds();
    if (argc < 2) {
        usage(stderr);
        return CCS_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CCS_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        /* the backends: docs/hardware.md; each optional one is in the build when its library was found */
        printf("ccsplc %s\nhardware backends: plant serial%s%s%s\n", CCSPLC_VERSION_STRING, hw_mqtt_built ? " mqtt" : "",
               hw_gpio_built ? " gpio" : " gpio(file chip only)", soc_callback_built ? " soc-callback" : "");
        return CCS_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name))
            continue;
        int rc = commands[i].run(argc - 1, argv + 1);
        app_streams_end();            /* the live commands' queued output: drained, or its loss logged */
        int err = app_close_stdout(); /* data that never reached its file is a failure, not a success */
        if (err) {
            fprintf(stderr, "ccsplc %s: cannot write the output: %s\n", argv[1], strerror(err));
            return CCS_EXIT_FAIL;
        }
        return rc;
    }
    fprintf(stderr, "ccsplc: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CCS_EXIT_USAGE;
}
