/* pcapng writer (platform): the Ethernet frames we send and receive, for `--pcap FILE` and Wireshark; socket
 * payloads are wrapped into synthetic Ethernet/IPv6/UDP or TCP frames with correct checksums. */
#ifndef CCSPLC_PCAPNG_H
#define CCSPLC_PCAPNG_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ccsplc/ipv6.h"

#define PCAPNG_LINKTYPE_ETHERNET 1
#define PCAPNG_SNAPLEN 262144

typedef enum { PCAPNG_DIR_UNKNOWN = 0, PCAPNG_DIR_IN = 1, PCAPNG_DIR_OUT = 2 } pcapng_dir; /* epb_flags bits */

typedef struct {
    FILE *f;
} pcapng_writer;

/* Creates (truncates) path and writes the Section Header Block and one Ethernet Interface Description Block
 * (nanosecond timestamps: if_tsresol 9). 0 or CCS_EIO. */
int pcapng_open(pcapng_writer *w, const char *path);
/* One Enhanced Packet Block: the frame, its time in nanoseconds since the Unix epoch, and its direction.
 * The file is flushed, so it stays readable if the process dies. 0, CCS_EINVAL (frame > PCAPNG_SNAPLEN) or
 * CCS_EIO. */
int pcapng_write(pcapng_writer *w, uint64_t ts_ns, pcapng_dir dir, const uint8_t *frame, size_t len);
/* A socket payload as a synthetic frame with the headers in h (see ipv6_frame_build). 0 or an error. */
int pcapng_write_ipv6(pcapng_writer *w, uint64_t ts_ns, pcapng_dir dir, const ipv6_frame *h, const uint8_t *payload,
                      size_t len);
/* 0 or CCS_EIO. */
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
