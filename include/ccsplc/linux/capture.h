/* Capture reader (platform): Ethernet frames from a pcap/pcapng file or a live interface, split into HomePlug
 * frames, SDP datagrams and V2GTP messages reassembled from both directions of every TCP connection. */
#ifndef CCSPLC_CAPTURE_H
#define CCSPLC_CAPTURE_H
#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/ipv6.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CAP_DEFAULT_MAX_PAYLOAD 65536 /* largest V2GTP payload the reader reassembles by default */
#define CAP_TCP_WINDOW 65536          /* out-of-order bytes held per direction before the oldest hole is lost */

/* Client to server: the client sent the SYN; without a SYN seen, the side talking to the server endpoint an
 * SDP response announced, else to port 15118, else the side that sent first. */
typedef enum { CAP_DIR_C2S = 0, CAP_DIR_S2C = 1 } cap_dir;

typedef struct {
    uint32_t conn; /* connection id: 0, 1, ... in order of appearance */
    cap_dir dir;
    const uint8_t *src, *dst; /* sender's and receiver's IPv6 address */
    uint16_t src_port, dst_port;
    uint64_t ts_ns; /* time of the frame that completed the message */
    uint16_t payload_type;
    uint32_t payload_len;
    const uint8_t *payload; /* valid during the callback */
} cap_v2gtp;

typedef struct {
    uint64_t ts_ns;
    const ipv6_frame *hdr; /* addresses, ports */
    const uint8_t *payload; /* the UDP payload: a V2GTP-framed SDP request or response (unchecked) */
    size_t len;
} cap_sdp;

typedef enum {
    CAP_EV_OPEN,      /* first segment of a connection; value: 1 when its SYN was seen */
    CAP_EV_CLOSE,     /* value: how (cap_close_kind) */
    CAP_EV_GAP,       /* value: bytes of the stream in direction dir the capture lost */
    CAP_EV_BAD_V2GTP, /* value: -CCS_E* from the V2GTP header check; the reader resynchronises */
    CAP_EV_TLS,       /* a TLS record (the stream started with one: V2G over TLS); value: content type << 16 |
                       * length */
    CAP_EV_TLS_ERROR, /* with a key log: the first record of this direction that did not decrypt; value: -CCS_E*
                       * (CCS_ENOTFOUND: no secret for it in the key log, tls_dec_record) */
} cap_event_kind;

/* How a connection ended (the value of CAP_EV_CLOSE). */
typedef enum {
    CAP_CLOSE_FIN = 0, /* FIN both ways */
    CAP_CLOSE_RST = 1, /* a RST from either side */
    CAP_CLOSE_END = 2, /* still open when the input ended (cap_finish) */
} cap_close_kind;

typedef struct {
    cap_event_kind kind;
    uint32_t conn;
    cap_dir dir;
    uint64_t ts_ns;
    uint32_t value;
} cap_event;

/* Any callback may be NULL. Pointers passed to them are valid during the call only. */
typedef struct {
    void (*homeplug)(void *ctx, uint64_t ts_ns, const uint8_t *frame, size_t len); /* ethertype 0x88E1 */
    void (*sdp)(void *ctx, const cap_sdp *d);                                       /* IPv6 UDP port 15118 */
    void (*v2gtp)(void *ctx, const cap_v2gtp *m);
    void (*event)(void *ctx, const cap_event *e);
    void *ctx;
} cap_callbacks;

typedef struct {
    uint64_t frames, homeplug, sdp, v2gtp;
    uint64_t tcp_segments, connections;
    uint64_t other;     /* well-formed traffic we do not decode: IPv4 (syslog, ...), ICMPv6, mDNS, ... */
    uint64_t malformed; /* truncated or inconsistent Ethernet/IPv6/UDP/TCP headers */
    uint64_t retransmissions, out_of_order, gaps, gap_bytes, bad_v2gtp, skipped_bytes;
    uint64_t tls_records; /* TLS records seen in TCP streams that carry TLS instead of V2GTP */
    uint64_t tls_decrypted, tls_failed; /* with a key log: records opened, records that did not open */
} cap_stats;

/* The demultiplexer, fed frame by frame (needs no libpcap). */
typedef struct cap_reader cap_reader;

/* NULL when out of memory. max_payload bounds each V2GTP message (larger ones count as bad_v2gtp). */
cap_reader *cap_new(const cap_callbacks *cb, uint32_t max_payload);
/* TLS streams decrypted with k (kept by the caller until cap_free): their V2GTP messages come out as from a plain
 * stream. Before the first frame. */
struct tls_keylog;
void cap_set_keylog(cap_reader *r, const struct tls_keylog *k);
/* One Ethernet frame. */
void cap_frame(cap_reader *r, uint64_t ts_ns, const uint8_t *frame, size_t len);
/* End of input: data still held behind holes comes out (with gap events). */
void cap_finish(cap_reader *r);
const cap_stats *cap_get_stats(const cap_reader *r);
void cap_free(cap_reader *r);

/* A libpcap source of Ethernet frames. */
typedef struct cap_source cap_source;

/* pcap or pcapng file. 0, or CCS_EIO / CCS_EUNSUPP (link type other than Ethernet) with a message in err. */
int cap_open_file(const char *path, cap_source **out, char *err, size_t errlen);
/* Live capture on an interface (needs CAP_NET_RAW), non-blocking: poll cap_source_fd. Errors as above. */
int cap_open_live(const char *ifname, cap_source **out, char *err, size_t errlen);
/* File descriptor to poll for a live source, -1 for a file. */
int cap_source_fd(const cap_source *s);
/* Feeds up to max_frames frames (all available when negative) to r. Returns the count fed: 0 means end of
 * file, or nothing ready on a live source; CCS_EIO on a read error. */
int cap_source_read(cap_source *s, cap_reader *r, int max_frames);
/* One frame, for callers that look at frames before the reader does (e.g. to save them): 1 with *frame (valid
 * until the next call), *len and *ts_ns; 0 at the end of a file or when nothing is ready on a live source;
 * CCS_EIO on a read error. */
int cap_source_next(cap_source *s, const uint8_t **frame, size_t *len, uint64_t *ts_ns);
/* Frames a live source lost (kernel buffer full, interface drops) so far. 0, or CCS_EUNSUPP for a file. */
int cap_source_drops(cap_source *s, uint64_t *dropped);
void cap_source_close(cap_source *s);

/* Reads a whole file: open, feed every frame, finish. stats (may be NULL) gets the counters. */
int cap_read_file(const char *path, const cap_callbacks *cb, uint32_t max_payload, cap_stats *stats, char *err,
                  size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
