/* A minimal IPv6 network layer for one V2G connection (sans-I/O, no heap, bounded): our link-local address from
 * the MAC, neighbour discovery (answers for our address, one resolution of the peer), UDP for SDP, and one TCP
 * connection as client. Ethernet frames in, frames out (pulled one at a time), time in, events out. */
#ifndef CCSPLC_CORE_MININET_H
#define CCSPLC_CORE_MININET_H
#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/ipv6.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes (override with -D for a smaller or larger build). */
#ifndef MININET_MSS
#define MININET_MSS 1220 /* TCP payload per segment: the IPv6 minimum MTU 1280 - 40 - 20 (RFC 8200 §5) */
#endif
#ifndef MININET_SNDBUF
#define MININET_SNDBUF 2048 /* bytes the application may queue that the peer has not acknowledged */
#endif
#ifndef MININET_RCVBUF
#define MININET_RCVBUF 2048 /* received bytes not yet read; the window we advertise is what is free */
#endif
#ifndef MININET_UDP_MAX
#define MININET_UDP_MAX 64 /* one UDP datagram each way (an SDP request is 10 bytes, a response 28) */
#endif
#define MININET_FRAME_MAX (ETH_HDR_LEN + IPV6_HDR_LEN + TCP_HDR_LEN + MININET_MSS)

/* Timers (milliseconds). */
#define MININET_RTO_MS 1000      /* first retransmission timeout (RFC 6298 §2.1); doubled on each retry */
#define MININET_RTO_MAX_MS 8000  /* backoff ceiling */
#define MININET_TCP_RETRIES 5    /* retransmissions of one segment before the connection fails */
#define MININET_ND_RETRANS_MS 1000 /* RetransTimer (RFC 4861 §10) */
#define MININET_ND_TRIES 3         /* MAX_MULTICAST_SOLICIT (RFC 4861 §10) */
#define MININET_HOP_LIMIT 64

/* Events (bits of mininet_events). */
#define MININET_EV_UDP 0x01         /* a datagram waits in udp_rx (mininet_udp_read) */
#define MININET_EV_CONNECTED 0x02   /* the TCP connection is established */
#define MININET_EV_DATA 0x04        /* received bytes wait (mininet_tcp_read) */
#define MININET_EV_PEER_CLOSED 0x08 /* the peer sent FIN: no more data will come */
#define MININET_EV_CLOSED 0x10      /* the connection is over; close_reason says why */

enum { MININET_TCP_CLOSED, MININET_TCP_RESOLVING, MININET_TCP_SYN_SENT, MININET_TCP_ESTABLISHED,
       MININET_TCP_FIN_WAIT_1, MININET_TCP_FIN_WAIT_2, MININET_TCP_CLOSING, MININET_TCP_CLOSE_WAIT,
       MININET_TCP_LAST_ACK };

typedef struct {
    uint32_t rx_frames, rx_dropped, rx_bad_checksum, tx_frames, retransmits, ns_answered;
} mininet_stats;

typedef struct {
    uint8_t mac[6], ip[IPV6_ADDR_LEN];
    /* the peer (the charger): address, and its MAC once neighbour discovery found it */
    uint8_t peer_ip[IPV6_ADDR_LEN], peer_mac[6];
    uint8_t peer_mac_known, ns_due, nd_tries;
    uint32_t nd_deadline;
    /* one neighbour advertisement owed to a solicitation for our address */
    uint8_t na_due, na_solicited;
    uint8_t na_ip[IPV6_ADDR_LEN], na_mac[6];
    /* UDP: one datagram to send, one received */
    uint8_t udp_tx_due, udp_rx_full;
    uint16_t udp_port, udp_tx_dport, udp_tx_len, udp_rx_len, udp_rx_sport;
    uint8_t udp_tx_dst[IPV6_ADDR_LEN], udp_rx_src[IPV6_ADDR_LEN];
    uint8_t udp_tx[MININET_UDP_MAX], udp_rx[MININET_UDP_MAX];
    /* TCP */
    uint8_t state, syn_due, ack_due, rst_due, fin_queued, rto_running, retries, probe;
    uint16_t lport, rport, snd_wnd, snd_len, rcv_len, adv_wnd;
    uint32_t iss, snd_una, snd_nxt, snd_max, rcv_nxt;
    uint32_t rto, rto_deadline;
    int close_reason; /* with MININET_EV_CLOSED: 0 orderly, CCS_EPROTO reset by the peer, CCS_ETIMEOUT */
    unsigned events;
    mininet_stats stats;
    uint8_t snd_buf[MININET_SNDBUF], rcv_buf[MININET_RCVBUF];
    uint8_t frame[MININET_FRAME_MAX];
} mininet;

/* Our address is fe80::/64 + the modified EUI-64 of mac. */
void mininet_init(mininet *n, const uint8_t mac[6]);
/* One received Ethernet frame (hostile input). Frames not for us, malformed or with a bad checksum are dropped
 * (counted in stats); never fails. */
void mininet_input(mininet *n, const uint8_t *frame, size_t len, uint32_t now_ms);
/* Runs the timers (retransmission, neighbour solicitation); call at least every 100 ms or so. */
void mininet_poll(mininet *n, uint32_t now_ms);
/* The next frame to send, if any: 1 with *frame and *len (valid until the next mininet call), 0 when none. Call
 * until it returns 0 after every input, poll or API call. */
int mininet_output(mininet *n, uint32_t now_ms, const uint8_t **frame, size_t *len);
/* Takes and clears the pending MININET_EV_* bits. */
unsigned mininet_events(mininet *n);

/* Queues one datagram from our sport to dst:dport (multicast, e.g. ipv6_all_nodes for SDP, or the resolved
 * peer) and listens on sport for answers. 0, CCS_ELENGTH (over MININET_UDP_MAX), CCS_ESTATE (unicast to an
 * unresolved address, or a datagram still queued). */
int mininet_udp_send(mininet *n, const uint8_t dst[IPV6_ADDR_LEN], uint16_t dport, uint16_t sport,
                     const uint8_t *data, size_t len);
/* The last received datagram (copied to buf, cut to cap) and its source; returns its length, 0 if none. */
size_t mininet_udp_read(mininet *n, uint8_t *buf, size_t cap, uint8_t src[IPV6_ADDR_LEN], uint16_t *sport);

/* Opens the connection to peer:dport from lport with initial sequence number iss (from the caller's random
 * source, RFC 6528): resolves the peer's MAC first, then SYN. 0 or CCS_ESTATE (a connection exists). */
int mininet_tcp_connect(mininet *n, const uint8_t peer[IPV6_ADDR_LEN], uint16_t dport, uint16_t lport,
                        uint32_t iss, uint32_t now_ms);
/* Queues bytes to send; returns how many fit (0 when the send buffer is full), CCS_ESTATE when not open. */
int mininet_tcp_send(mininet *n, const uint8_t *data, size_t len);
/* Takes received bytes in order; returns the count (0 when none). */
size_t mininet_tcp_read(mininet *n, uint8_t *buf, size_t cap);
/* Orderly close: FIN once the queued bytes are sent. */
void mininet_tcp_close(mininet *n);
/* Abort (the safe state on any fault): RST to the peer, connection closed at once. */
void mininet_tcp_abort(mininet *n);
/* Bytes queued but not yet acknowledged by the peer. */
size_t mininet_tcp_unacked(const mininet *n);

#ifdef __cplusplus
}
#endif

#endif
