/* SDP (SECC Discovery Protocol, DIN 70121 / ISO 15118-2): request and response inside V2GTP over UDP, a
 * sans-I/O client (EVCC: multicast the request, retry on timeout) and server (SECC: answer with our address). */
#ifndef CCSPLC_SDP_H
#define CCSPLC_SDP_H
#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/ipv6.h"
#include "ccsplc/core/v2gtp.h"

#define SDP_UDP_PORT 15118     /* the SECC listens for SDP requests on this UDP port (V2G_UDP_SDP_SERVER) */
#define SDP_SECURITY_TLS 0x00  /* request/response "security" byte: secured with TLS */
#define SDP_SECURITY_NONE 0x10 /* no transport layer security */
#define SDP_TRANSPORT_TCP 0x00 /* request/response "transport protocol" byte */
#define SDP_TRANSPORT_UDP 0x10
#define SDP_REQ_PAYLOAD_LEN 2  /* security, transport */
#define SDP_RES_PAYLOAD_LEN 20 /* IPv6 address, port (BE16), security, transport */
#define SDP_REQ_LEN (V2GTP_HEADER_LEN + SDP_REQ_PAYLOAD_LEN)
#define SDP_RES_LEN (V2GTP_HEADER_LEN + SDP_RES_PAYLOAD_LEN)
/* EVCC timing (ISO 15118-2 SDP client; same values in DIN 70121): wait this long for a response before
 * sending the request again, and give up after this many requests. */
#define SDP_TIMEOUT_MS 250
#define SDP_MAX_REQUESTS 50

typedef struct {
    uint8_t security;  /* SDP_SECURITY_* */
    uint8_t transport; /* SDP_TRANSPORT_* */
} sdp_request;

typedef struct {
    uint8_t addr[IPV6_ADDR_LEN]; /* the SECC's IPv6 address */
    uint16_t port;               /* its TCP (or TLS) server port */
    uint8_t security;
    uint8_t transport;
} sdp_response;

/* Whole datagrams (V2GTP header included). Pack: 0 or CCS_ENOSPC / CCS_ERANGE (unknown security or transport
 * value), *len gets SDP_REQ_LEN / SDP_RES_LEN. Parse: the v2gtp_parse errors, CCS_EPROTO for another payload
 * type or length, CCS_ERANGE for a security or transport value the standard does not define. */
int sdp_pack_request(const sdp_request *req, uint8_t *buf, size_t cap, size_t *len);
int sdp_parse_request(const uint8_t *buf, size_t len, sdp_request *out);
int sdp_pack_response(const sdp_response *res, uint8_t *buf, size_t cap, size_t *len);
int sdp_parse_response(const uint8_t *buf, size_t len, sdp_response *out);

/* ---- client (EVCC) ---- */
typedef enum {
    SDP_CLIENT_IDLE,
    SDP_CLIENT_WAITING, /* request sent, waiting for a response until deadline_ms */
    SDP_CLIENT_DONE,    /* response received: see result */
    SDP_CLIENT_FAILED,  /* max_requests sent, no valid response */
} sdp_client_state;

typedef enum {
    SDP_ACT_NONE,         /* nothing to do; call sdp_client_tick again at deadline_ms */
    SDP_ACT_SEND_REQUEST, /* send the tx_len bytes of tx to [ff02::1]:SDP_UDP_PORT */
    SDP_ACT_DONE,         /* result holds the SECC's address and port: connect there (whatever port it is) */
    SDP_ACT_FAILED,       /* give up (the caller may fall back to basic charging) */
} sdp_action;

typedef struct {
    sdp_client_state state;
    sdp_request req;
    uint32_t timeout_ms;
    unsigned max_requests;
    unsigned sent;        /* requests sent so far */
    uint32_t deadline_ms; /* while WAITING: when to send again or fail */
    uint8_t tx[SDP_REQ_LEN];
    size_t tx_len;
    sdp_response result;
} sdp_client;

/* Prepares a client asking for the given security and transport with SDP_TIMEOUT_MS / SDP_MAX_REQUESTS.
 * 0 or CCS_ERANGE for values the standard does not define. Change timeout_ms / max_requests after init to
 * deviate from the standard. */
int sdp_client_init(sdp_client *c, uint8_t security, uint8_t transport);
/* Sends the first request: returns SDP_ACT_SEND_REQUEST. */
sdp_action sdp_client_start(sdp_client *c, uint32_t now_ms);
/* Time passed: SDP_ACT_SEND_REQUEST when the response timeout expired and requests remain, SDP_ACT_FAILED
 * when none remain, else SDP_ACT_NONE. */
sdp_action sdp_client_tick(sdp_client *c, uint32_t now_ms);
/* A UDP datagram arrived on the client's socket: SDP_ACT_DONE for a valid response while waiting (the
 * SECC's choice of security is accepted, e.g. plain TCP when TLS was asked for: check result.security);
 * anything else is ignored (SDP_ACT_NONE). */
sdp_action sdp_client_on_datagram(sdp_client *c, const uint8_t *buf, size_t len);

/* ---- server (SECC) ---- */
typedef struct {
    uint8_t addr[IPV6_ADDR_LEN]; /* our link-local address */
    uint16_t tcp_port;           /* plain TCP server port, 0 when we only offer TLS */
    uint16_t tls_port;           /* TLS server port, 0 when TLS is off */
} sdp_server;

/* Answers one request datagram: a TLS request gets TLS when tls_port is set, else plain TCP; a request
 * without security gets plain TCP when tcp_port is set, else TLS. The transport is always TCP (V2GTP
 * messages over UDP are not offered). Returns 0 with the response datagram in out, the sdp_parse_request
 * error for a datagram to ignore, CCS_ESTATE when neither port is set, or CCS_ENOSPC. */
int sdp_server_answer(const sdp_server *s, const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                      size_t *out_len);

#endif
