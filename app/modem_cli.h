/* Shared parts of `ccsplc modem`: the options of all its subcommands, the link to the modem, progress. */
#ifndef CCSPLC_APP_MODEM_CLI_H
#define CCSPLC_APP_MODEM_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "ccsplc/linux/link.h"
#include "ccsplc/linux/modem.h"

typedef struct {
    const char *ifname, *out, *nmk_hex, *password;
    const char *mac_text;          /* --mac: the modem to talk to (default: the local-modem address) */
    uint32_t wait_ms;              /* list: collect answers; configure: wait for the reset modem */
    int npos;
    char **pos;                    /* positional arguments after the subcommand */
} modem_args;

/* Parse argv (argv[0] = the subcommand). 0, or -1 after printing usage. */
int modem_parse_args(int argc, char **argv, modem_args *a, uint32_t default_wait_ms);
/* A client talking to the modem of -i IF. */
typedef struct {
    ccs_link link;
    ccs_frame_io io;
    modem_client c;
} modem_conn;

/* Open -i IF and a client to the modem (--mac or the local-modem address); logs and returns CCS_E*. */
int modem_cli_open(const modem_args *a, modem_conn *m);
void modem_cli_close(modem_conn *m);
/* "pev" / "evse" -> role. 0 or -1. */
int modem_cli_role(const char *s, hpgp_pib_role *role);
/* pib read | show | role | write */
int modem_pib_cli(int argc, char **argv);
void modem_cli_usage(FILE *f);

#endif
