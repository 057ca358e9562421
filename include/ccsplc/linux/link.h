/* Raw Ethernet on a Linux interface (AF_PACKET): HomePlug (0x88E1) and optionally IPv6 (0x86DD) frames, or
 * every frame (a bridge), nonblocking; the interface MAC; MAC text forms; and the frame I/O interface the modem
 * tools run over. */
#ifndef CCSPLC_LINK_H
#define CCSPLC_LINK_H

#include <stddef.h>
#include <stdint.h>

#define CCS_LINK_HPGP 0x1u      /* receive HomePlug frames (ethertype 0x88E1) */
#define CCS_LINK_IPV6 0x2u      /* receive IPv6 frames (ethertype 0x86DD) */
#define CCS_LINK_PROMISC 0x4u   /* promiscuous interface (a bridge sees frames for every host) */
#define CCS_LINK_ALL 0x8u       /* receive every ethertype (IPv4, ARP, ...: what a modem bridges) */
#define CCS_LINK_FRAME_MAX 1518u
#define CCS_MAC_TEXT 18u        /* "02:00:00:00:00:01" + NUL */

typedef struct {
    int fd;
    int ifindex;
    unsigned flags;
    uint8_t mac[6];
    char name[16];
    uint32_t rx, tx, rx_other;  /* frames received (kept), sent, received but not ours (other types) */
    uint32_t rx_oversize;       /* larger than the buffer (e.g. GSO super-frames from a veth peer): dropped */
    /* optional, set after ccs_link_open: sees every frame sent (out 1, as padded) and kept on receive (out 0) */
    void (*tap)(void *ctx, int out, const uint8_t *frame, size_t len);
    void *tap_ctx;
} ccs_link;

/* Open the interface (needs CAP_NET_RAW). 0, CCS_EINVAL (bad name or flags), CCS_ENOTFOUND, CCS_EIO. */
int ccs_link_open(ccs_link *l, const char *ifname, unsigned flags);
void ccs_link_close(ccs_link *l);
/* Send one frame, zero-padded to 60 bytes. 0, CCS_EINVAL, CCS_EAGAIN (socket full), CCS_EIO. */
int ccs_link_send(ccs_link *l, const uint8_t *frame, size_t len);
/* Take one received frame of the selected types: 1 with *len set, 0 when nothing is waiting, CCS_EIO.
 * Frames the socket sees going out, and other ethertypes, are skipped. */
int ccs_link_recv(ccs_link *l, uint8_t *buf, size_t cap, size_t *len);
/* The interface's MAC address. 0, CCS_ENOTFOUND, CCS_EIO. */
int ccs_link_ifmac(const char *ifname, uint8_t mac[6]);

/* "aa:bb:cc:dd:ee:ff" (also '-' separators, any case) -> 6 bytes. 0 or CCS_ESYNTAX. */
int ccs_mac_parse(const char *text, uint8_t mac[6]);
/* Lower-case colon form into out (CCS_MAC_TEXT bytes); returns out. */
const char *ccs_mac_format(const uint8_t mac[6], char out[CCS_MAC_TEXT]);

/* Blocking frame exchange for request/response tools (modem management): a link, or an in-process
 * simulated modem in tests. */
typedef struct {
    /* send one frame: 0 or a negative CCS_E* */
    int (*send)(void *ctx, const uint8_t *frame, size_t len);
    /* wait up to timeout_ms for one frame: 1 with *len set, 0 on timeout, or a negative CCS_E* */
    int (*recv)(void *ctx, uint8_t *buf, size_t cap, size_t *len, uint32_t timeout_ms);
    /* milliseconds on a monotonic clock */
    uint32_t (*now)(void *ctx);
    void *ctx;
    uint8_t mac[6];   /* the host's MAC (source of requests) */
} ccs_frame_io;

/* A frame I/O over an open link (poll with timeout, CLOCK_MONOTONIC). */
void ccs_link_frame_io(ccs_link *l, ccs_frame_io *io);

#endif
