/* CAN for the CHAdeMO adapter and the simulated car: SocketCAN (a can0 of the kernel), or CAN frames over UDP in
 * cannelloni's format (mguentner/cannelloni doc/udp_format.md, version 2), which CAN-to-Ethernet gateways and
 * `cannelloni` itself speak, so either end can be a real bus behind a gateway. docs/chademo.md. */
#ifndef CCSPLC_LINUX_CAN_H
#define CCSPLC_LINUX_CAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ccsplc/core/chademo.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CCS_CANNELLONI_VERSION 2   /* doc/udp_format.md: "Format version 2"; cannelloni.h CANNELLONI_FRAME_VERSION */
#define CCS_CANNELLONI_DATA 0      /* cannelloni.h: enum op_codes {DATA, ACK, NACK} */
#define CCS_CANNELLONI_HEADER 5    /* version, op code, sequence number, count (16 bit, big endian) */
#define CCS_CAN_BATCH 16u          /* frames per packet / per receive call */

/* One UDP packet's CAN frames: 0, CCS_ETRUNC (a frame cut short), CCS_EHEADER (another version or op code),
 * CCS_ECAP (more frames than cap). Frames that do not fit cdm_frame (CAN FD, extended or remote frames) are
 * skipped, not refused. */
int ccs_cannelloni_decode(const uint8_t *buf, size_t len, cdm_frame *out, size_t cap, size_t *n);
/* n classic frames into one packet: 0 or CCS_ENOSPC. */
int ccs_cannelloni_encode(const cdm_frame *f, size_t n, uint8_t seq, uint8_t *buf, size_t cap, size_t *len);

typedef struct {
    int fd;
    int udp;                       /* 1: cannelloni over UDP; 0: SocketCAN */
    struct sockaddr_storage peer;  /* UDP: where frames go */
    socklen_t peer_len;
    uint8_t seq;
} ccs_can;

/* "can0" (SocketCAN), or "udp:LPORT:HOST:RPORT" (listen on LPORT, 0: any free port; send to HOST:RPORT; HOST may
 * be an IPv6 address: everything between the first and the last colon). Non-blocking. 0, or -1 with the reason logged. */
int ccs_can_open(ccs_can *c, const char *spec);
/* 0, or CCS_EIO (logged by the caller). */
int ccs_can_send(ccs_can *c, const cdm_frame *f, size_t n);
/* What has arrived (up to cap frames): 0 with *n, or CCS_EIO. */
int ccs_can_recv(ccs_can *c, cdm_frame *out, size_t cap, size_t *n);
void ccs_can_close(ccs_can *c);

#ifdef __cplusplus
}
#endif

#endif
