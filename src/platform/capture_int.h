/* Internals shared by the capture reader's files: the reader, its TCP connections and their two directions. */
#ifndef CCSPLC_PLATFORM_CAPTURE_INT_H
#define CCSPLC_PLATFORM_CAPTURE_INT_H
#include "ccsplc/linux/capture.h"
#include "ccsplc/linux/tls_decrypt.h"
#include "ccsplc/core/v2gtp.h"
#include "transport/tcp_reasm.h"

#define CAP_MAX_SDP_SERVERS 8 /* server endpoints remembered from SDP responses */
#define CAP_V2G_TCP_PORT 15118 /* the TCP port pyPLC and others serve V2GTP on; a hint for the direction */

typedef struct cap_conn cap_conn;

/* One direction of a connection: TCP reassembly feeding V2GTP reassembly. */
typedef struct {
    cap_reader *r;
    cap_conn *c;
    cap_dir dir;
    tcp_reasm tcp;
    v2gtp_reasm v2g;
    uint8_t *mem;
    int aligned; /* the next stream byte starts a V2GTP message (known from the SYN, or found again) */
    int pushed;  /* bytes went to V2GTP reassembly since the stream started or was found again */
    int tls;     /* the stream carries TLS records (it started with one): counted, not decoded */
    uint8_t tls_hdr[5], tls_hn; /* a record header split across segments: its first tls_hn bytes */
    uint32_t tls_left;          /* bytes of the current record's body still to come */
    uint8_t *rec;               /* with a key log: the record being collected (TLS_RECORD_MAX), else NULL */
    size_t rec_len;
    int tls_told;               /* a record of this direction did not decrypt: said once (CAP_EV_TLS_ERROR) */
    int fin;
    uint32_t fin_seq; /* once fin: the sequence number the FIN occupies, beyond the stream's last byte */
} cap_half;

struct cap_conn {
    uint32_t id;
    uint8_t addr[2][IPV6_ADDR_LEN]; /* [CAP_DIR_C2S] the client's, [CAP_DIR_S2C] the server's */
    uint16_t port[2];
    int syn_seen;
    uint32_t client_isn;
    int closed;
    tls_dec *dec;     /* with a key log: its TLS state once a record was seen */
    cap_half half[2]; /* by sender: half[CAP_DIR_C2S] carries the client's bytes */
};

struct cap_reader {
    cap_callbacks cb;
    uint32_t max_payload;
    cap_stats stats;
    uint64_t now_ns; /* time of the frame being processed */
    cap_conn **conns;
    size_t n_conns, cap_conns;
    struct {
        uint8_t addr[IPV6_ADDR_LEN];
        uint16_t port;
    } servers[CAP_MAX_SDP_SERVERS];
    size_t n_servers, next_server; /* entries in use; where the next one goes (the oldest when full) */
    const tls_keylog *keylog;      /* cap_set_keylog: TLS streams are decrypted, else only counted */
    uint8_t *plain;                /* a decrypted record (TLS_RECORD_MAX) */
};

/* Emits an event through the reader's callback, if any. */
void cap_emit_event(cap_reader *r, cap_event_kind kind, uint32_t conn, cap_dir dir, uint32_t value);
/* Nonzero when an SDP response seen so far announced addr/port as a V2G server. */
int cap_is_sdp_server(const cap_reader *r, const uint8_t addr[IPV6_ADDR_LEN], uint16_t port);
/* One TCP segment (parsed frame and its payload). */
void cap_tcp_segment(cap_reader *r, const ipv6_frame *f, const uint8_t *payload, size_t len);
/* Flushes and closes every open connection. */
void cap_tcp_finish(cap_reader *r);
/* Frees every connection. */
void cap_tcp_free(cap_reader *r);

#endif
