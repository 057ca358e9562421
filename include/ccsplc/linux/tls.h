/* TLS for V2GTP (platform, OpenSSL 3): a byte-stream wrapper with memory buffers — the caller moves the raw
 * bytes between the socket and the connection (so a capture sees what travels), the session engines see only
 * the plaintext. ISO 15118-2: TLS 1.2, ECDSA P-256; ISO 15118-20: TLS 1.3 with mutual authentication. */
#ifndef CCSPLC_TLS_H
#define CCSPLC_TLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TLS_V12 0x0303
#define TLS_V13 0x0304

typedef struct {
    int server;            /* 1: the charger (SECC), 0: the car (EVCC) */
    const char *cert;      /* PEM: our leaf, then the sub-CAs up to (not including) the root; NULL: none */
    const char *key;       /* PEM: the leaf's private key */
    const char *ca;        /* PEM: trusted roots. Car: the V2G root(s) the charger's chain must reach
                            * (required). Charger: the roots a TLS 1.3 car's certificate must reach (ISO 15118-20
                            * mutual authentication: required for TLS 1.3) */
    const char *keylog;    /* NSS key-log file appended to (SSLKEYLOGFILE format); NULL: none */
    uint16_t min_version;  /* TLS_V12 or TLS_V13 */
    uint16_t max_version;
} tls_config;

typedef struct tls_ctx tls_ctx;
typedef struct tls_conn tls_conn;

/* Loads the credentials and settings of cfg. 0, or CCS_EINVAL with the reason in err (a file that does not
 * load, a key that does not match, a car without roots, TLS 1.3 on a charger without roots for the car). */
int tls_ctx_new(const tls_config *cfg, tls_ctx **out, char *err, size_t errcap);
void tls_ctx_free(tls_ctx *t);

/* A connection over the context (the client's first flight is ready in the output at once). 0 or CCS_EIO. */
int tls_conn_new(tls_ctx *t, tls_conn **out);
void tls_conn_free(tls_conn *c);
/* Raw bytes from the peer. 0 or CCS_EIO. */
int tls_conn_feed(tls_conn *c, const uint8_t *buf, size_t len);
/* Drives the handshake on what was fed: 1 done, 0 waiting for the peer, CCS_EPROTO failed (tls_conn_error). */
int tls_conn_handshake(tls_conn *c);
/* Plaintext received: >0 bytes, CCS_EAGAIN none yet, 0 the peer closed (close_notify), CCS_EPROTO broken. */
ssize_t tls_conn_read(tls_conn *c, uint8_t *buf, size_t cap);
/* Plaintext to send (all of it, into the output). 0 or CCS_EPROTO. */
int tls_conn_write(tls_conn *c, const uint8_t *buf, size_t len);
/* Raw bytes to send: up to cap of them moved into buf; the count (0: nothing pending). */
size_t tls_conn_take_output(tls_conn *c, uint8_t *buf, size_t cap);
/* Why the handshake or a record failed (OpenSSL's reason, the certificate check's), for the log. */
const char *tls_conn_error(tls_conn *c);
/* After the handshake: "TLSv1.3 TLS_AES_256_GCM_SHA384, peer CN=...", for the log. Static buffer. */
const char *tls_conn_describe(tls_conn *c);
/* The negotiated version (TLS_V12, TLS_V13), 0 before the handshake. */
uint16_t tls_conn_version(const tls_conn *c);

#ifdef __cplusplus
}
#endif

#endif
