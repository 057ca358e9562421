/* pcapng writer (platform): the Ethernet frames we send and receive, for `--pcap FILE` and Wireshark; socket
 * payloads are wrapped into synthetic Ethernet/IPv6/UDP or TCP frames with correct checksums. */
#ifndef CCSPLC_PCAPNG_H
#define CCSPLC_PCAPNG_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ccsplc/core/ipv6.h"
#include "ccsplc/linux/outq.h"

#define PCAPNG_LINKTYPE_ETHERNET 1
#define PCAPNG_SNAPLEN 262144
#define PCAPNG_LIVE_QUEUE (4u << 20)   /* pcapng_open_live: bytes held for a reader that is behind */
#define PCAPNG_CLOSE_WAIT_MS 2000      /* pcapng_close of a live writer: wait this long for such a reader */

typedef enum { PCAPNG_DIR_UNKNOWN = 0, PCAPNG_DIR_IN = 1, PCAPNG_DIR_OUT = 2 } pcapng_dir; /* epb_flags bits */

typedef struct {
    int fd;
    ccs_outq q;   /* every block goes out whole or not at all; q.err: why the output failed (errno) */
} pcapng_writer;

/* Creates (truncates) path and writes the Section Header Block and one Ethernet Interface Description Block
 * (nanosecond timestamps: if_tsresol 9). Writes wait until the file (a FIFO: its reader) takes them. 0 or
 * CCS_EIO (errno says why). */
int pcapng_open(pcapng_writer *w, const char *path);
/* The same for a live loop: writes never wait; a reader that is behind (a FIFO, a pipe) gets up to
 * PCAPNG_LIVE_QUEUE bytes queued, blocks beyond that are dropped (w->q.dropped). The caller has its loop
 * write the queue (ccs_loop_add_outq(loop, &w->q)). */
int pcapng_open_live(pcapng_writer *w, const char *path);
/* One Enhanced Packet Block: the frame, its time in nanoseconds since the Unix epoch, and its direction.
 * Written at once (a regular file stays readable if the process dies). 0, CCS_EINVAL (frame > PCAPNG_SNAPLEN),
 * CCS_ENOSPC (live: dropped, the reader is behind) or CCS_EIO (the output failed: w->q.err; a regular file
 * ends with the last whole block). */
int pcapng_write(pcapng_writer *w, uint64_t ts_ns, pcapng_dir dir, const uint8_t *frame, size_t len);
/* A socket payload as a synthetic frame with the headers in h (see ipv6_frame_build). 0 or an error. */
int pcapng_write_ipv6(pcapng_writer *w, uint64_t ts_ns, pcapng_dir dir, const ipv6_frame *h, const uint8_t *payload,
                      size_t len);
/* What is queued written (live: waiting up to PCAPNG_CLOSE_WAIT_MS), the file closed. 0, or CCS_EIO when the
 * output failed or blocks were dropped. */
int pcapng_close(pcapng_writer *w);

/* One TCP connection seen from our end, for recording socket reads and writes as TCP segments with
 * consistent sequence numbers. */
typedef struct {
    ipv6_frame out;  /* headers of a segment we send: our MAC/address/port as source */
    uint32_t seq_out; /* next sequence number we send */
    uint32_t seq_in;  /* next sequence number the peer sends */
} pcapng_tcp_flow;

/* Sets up the flow (ours = local MAC/address/port, peer = the other end) and writes the three-way handshake,
 * with SYN from the client (we_connect nonzero: us). 0 or an error. */
int pcapng_tcp_flow_open(pcapng_writer *w, pcapng_tcp_flow *fl, uint64_t ts_ns, int we_connect,
                         const uint8_t our_mac[6], const uint8_t our_ip[IPV6_ADDR_LEN], uint16_t our_port,
                         const uint8_t peer_mac[6], const uint8_t peer_ip[IPV6_ADDR_LEN], uint16_t peer_port);
/* Bytes we wrote (PCAPNG_DIR_OUT) or read (PCAPNG_DIR_IN) on the socket as one PSH/ACK segment (split into
 * several when longer than an Ethernet MTU allows). 0 or an error. */
int pcapng_tcp_flow_data(pcapng_writer *w, pcapng_tcp_flow *fl, uint64_t ts_ns, pcapng_dir dir, const uint8_t *data,
                         size_t len);

#endif
