/* The ccsplc subcommands: each takes (argc, argv) with argv[0] = its own name and returns an exit code. */
#ifndef CCSPLC_APP_COMMANDS_H
#define CCSPLC_APP_COMMANDS_H

enum { CCS_EXIT_OK = 0, CCS_EXIT_FAIL = 1, CCS_EXIT_USAGE = 2 };

struct ccs_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

int cmd_exi(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_listen(int argc, char **argv);
int cmd_modem(int argc, char **argv);
int cmd_plcsim(int argc, char **argv);
int cmd_evse(int argc, char **argv);
int cmd_pev(int argc, char **argv);
int cmd_chademo_car(int argc, char **argv);

#endif
