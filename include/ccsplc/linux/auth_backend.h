/* The charger's authorization backend for Plug & Charge contracts (docs/pnc.md#the-authorization-backend): a
 * local allow-list of eMAIDs and/or the operator's command or socket, as the authorize hooks of a ccs_pnc_checker. */
#ifndef CCSPLC_AUTH_BACKEND_H
#define CCSPLC_AUTH_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/pnc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AUTH_BACKEND_TIMEOUT_MS 20000u /* a command's or socket's time: within V2G_EVCC_Ongoing_Timeout (60 s) */

typedef struct auth_backend auth_backend;

/* allow: a file of eMAIDs, one a line ('#' comments; a line "*" accepts every eMAID), NULL: no list; cmd: a shell
 * command asked about each contract the list lets through (NULL: none), rejected after timeout_ms. 0, or CCS_EINVAL
 * with the reason in err. */
int auth_backend_open(const char *allow, const char *cmd, uint32_t timeout_ms, auth_backend **out, char *err,
                      size_t errcap);
/* Asks the socket at addr (a unix socket's path, or HOST:PORT with a numeric host) instead of a command: a line
 * per contract the list lets through, its answer line decides (docs/pnc.md), rejected after the timeout. 0, or
 * CCS_EINVAL with the reason in err (an address of neither form, or a command given too). */
int auth_backend_socket(auth_backend *b, const char *addr, char *err, size_t errcap);
/* Makes b the authorization backend of k (authorize, authorize_poll, auth_ctx). */
void auth_backend_attach(auth_backend *b, ccs_pnc_checker *k);
/* Kills a command still running (and reaps it); b may be NULL. */
void auth_backend_free(auth_backend *b);

/* The hooks (ctx: an auth_backend): the list's answer, or the command started (PENDING until it exits: 0 accepts,
 * anything else or the timeout rejects), or the socket asked (PENDING until it answers "Accepted", which accepts;
 * any other answer, a closed connection or the timeout rejects). */
ccs_pnc_auth auth_backend_authorize(void *ctx, const ccs_pnc_cert *chain, size_t n, const char *emaid,
                                    size_t emaid_len);
ccs_pnc_auth auth_backend_poll(void *ctx);

#ifdef __cplusplus
}
#endif

#endif
