/* The board layer (HAL) of the mps2-an386 car firmware: what car.c needs from a board. A port to another board
 * writes these (docs/porting.md): time, randomness, Ethernet frame I/O (a MAC here, the QCA7000 on SPI on a
 * real car: examples/qca7000/), the UART log, the end of the run, the stack's peak. */
#ifndef FW_BOARD_H
#define FW_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* Time: milliseconds since reset (SysTick), and a fine 25 MHz counter (40 ns ticks) for measurements. */
#define BOARD_TICK_HZ 25000000u
uint32_t board_millis(void);
uint32_t board_ticks(void);
/* Sleeps until the next interrupt (at most one millisecond: the SysTick). */
void board_idle(void);

/* Randomness (a ccs_random_fn): 0, the bytes in out. */
int board_random(void *ctx, uint8_t *out, size_t len);

/* Frame I/O: the modem's Ethernet side. 0 or a negative CCS_E* code (no controller). */
int eth_init(uint8_t mac[6]);
void eth_send(const uint8_t *frame, size_t len);
/* One received frame into buf: its length, 0 when none waits (frames longer than cap are dropped). */
size_t eth_recv(uint8_t *buf, size_t cap);

/* The log: printf-like (%s %c %u %d %x with an optional zero-padded width, %%) on the UART, one line each. */
void log_init(void);
void fw_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Peak stack use in bytes (the painted stack's untouched words counted from its limit). */
size_t board_stack_peak(void);
/* Ends the run: QEMU exits with status 0 (ok) or 1 (semihosting); a real board would reset or halt. */
void board_exit(int ok) __attribute__((noreturn));

#endif
