/* The authorization backend's socket (docs/pnc.md#the-authorization-backend): auth_backend.c asks, auth_socket.c
 * talks: one request line out, one answer line in, without ever waiting. Linux runtime only. */
#ifndef CCSPLC_PLATFORM_AUTH_INT_H
#define CCSPLC_PLATFORM_AUTH_INT_H

#include <stddef.h>

#include "ccsplc/core/pnc.h"

#define AUTH_SOCK_LINE 2048u   /* the request: the eMAID and four fields per certificate of the chain */

typedef struct {
    int fd;                    /* -1: no request under way */
    char out[AUTH_SOCK_LINE];  /* the request line, sent from osent on */
    size_t olen, osent;
    char in[64];               /* the answer so far */
    size_t ilen;
} auth_sock;

/* addr is a unix socket's path (it holds a '/') or HOST:PORT with a numeric IPv4 or [IPv6] host: 0, or CCS_EINVAL
 * with the reason in err. */
int auth_sock_check(const char *addr, char *err, size_t errcap);
/* The request line for the contract chain (chain[0] the contract certificate) and its eMAID into out:
 * "AUTHORIZE <eMAID>" then, for each certificate whose issuer is in the chain, "SHA256 <issuerNameHash>
 * <issuerKeyHash> <serialNumber>" (OCPP's OCSPRequestDataType, hex), '\n'. 0, or CCS_EINVAL (a certificate that does
 * not parse) / CCS_ENOSPC. */
int auth_sock_request(const ccs_pnc_cert *chain, size_t n, const char *emaid, char *out, size_t cap);
/* Connects to addr without waiting and queues line: 0, or CCS_EIO (logged). */
int auth_sock_start(auth_sock *s, const char *addr, const char *line);
/* Moves what can move now: PENDING until the answer line is in; ACCEPT for "Accepted", REJECT for any other line
 * or a connection that failed or closed first. */
ccs_pnc_auth auth_sock_poll(auth_sock *s);
void auth_sock_close(auth_sock *s);

#endif
