/* The hooks a board gives the bare-metal example (examples/baremetal/main.c): time, randomness, HomePlug frames,
 * the IP stack's UDP and TCP, and the car's (or the charger's) hardware. docs/porting.md describes each. */
#ifndef EXAMPLE_BOARD_H
#define EXAMPLE_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/sess.h"

/* Time: a monotonic millisecond counter (wraps after 49 days; the core compares times modulo 2^32). */
uint32_t board_millis(void);
/* Randomness for RunIDs and nonces (a ccs_random_fn): a hardware RNG or a seeded DRBG, never a constant; 0, or
 * CCS_ERANDOM when the RNG fails (the engine then stops instead of sending predictable values). */
int board_random(void *ctx, uint8_t *out, size_t len);
/* The host MAC of the powerline modem's Ethernet side. */
const uint8_t *board_mac(void);
/* Raw Ethernet to the modem (HomePlug management, EtherType 0x88E1): send one frame; receive one into buf, its
 * length or 0 when none is waiting. */
void board_eth_send(const uint8_t *frame, size_t len);
size_t board_eth_recv(uint8_t *buf, size_t cap);
/* The board's IPv6 stack (lwIP or the like) on the modem link: SDP over UDP to [ff02::1]:15118, then one TCP
 * connection. recv functions return the byte count, 0 when nothing is waiting; board_tcp_recv < 0: closed. */
void board_udp_send_sdp(const uint8_t *buf, size_t len);
size_t board_udp_recv(uint8_t *buf, size_t cap);
int board_tcp_connect(const uint8_t addr[16], uint16_t port);
void board_tcp_send(const uint8_t *buf, size_t len);
int board_tcp_recv(uint8_t *buf, size_t cap);
void board_tcp_close(void);
/* The car's hardware: battery state in, contactors and control pilot (state C) out. */
void board_read_battery(sess_pev_input *in);
void board_apply(const sess_pev_output *out);
/* The charger's extra hooks (examples/baremetal/charger.c): SHA-256 for the NID, the SDP answer to the last
 * datagram's sender, our link-local IPv6 address (16 bytes), an accepted TCP connection (1 when a car connected), the power stage. */
void board_sha256(const uint8_t *data, size_t len, uint8_t out[32]);
void board_udp_reply(const uint8_t *buf, size_t len);
const uint8_t *board_ipv6(void);
int board_tcp_accept(void);
void board_read_charger(sess_evse_input *in);
void board_apply_charger(const sess_evse_output *out);
/* 0 ends the main loop (a firmware returns 1 for ever; the host build stops after a while). */
int board_running(void);

#endif
