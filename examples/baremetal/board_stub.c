/* Empty board hooks and a Cortex-M vector table so scripts/arm-link.sh can link the bare-metal car and charger
 * into freestanding firmware images and measure them; nothing here drives real hardware. */
#include <string.h>

#include "board.h"

static uint32_t ticks;
static const uint8_t zero_addr[16];

uint32_t board_millis(void) { return ticks++; }
int board_random(void *ctx, uint8_t *out, size_t len)   /* NOT random: the image is only measured */
{
    (void)ctx;
    memset(out, 0x5A, len);
    return 0;
}
const uint8_t *board_mac(void) { return zero_addr; }
void board_eth_send(const uint8_t *frame, size_t len) { (void)frame; (void)len; }
size_t board_eth_recv(uint8_t *buf, size_t cap) { (void)buf; (void)cap; return 0; }
void board_udp_send_sdp(const uint8_t *buf, size_t len) { (void)buf; (void)len; }
size_t board_udp_recv(uint8_t *buf, size_t cap) { (void)buf; (void)cap; return 0; }
int board_tcp_connect(const uint8_t addr[16], uint16_t port) { (void)addr; (void)port; return -1; }
void board_tcp_send(const uint8_t *buf, size_t len) { (void)buf; (void)len; }
int board_tcp_recv(uint8_t *buf, size_t cap) { (void)buf; (void)cap; return 0; }
void board_tcp_close(void) {}
void board_read_battery(sess_pev_input *in) { (void)in; }
void board_apply(const sess_pev_output *out) { (void)out; }
void board_sha256(const uint8_t *data, size_t len, uint8_t out[32]) { (void)data; (void)len; memset(out, 0, 32); }
void board_udp_reply(const uint8_t *buf, size_t len) { (void)buf; (void)len; }
const uint8_t *board_ipv6(void) { return zero_addr; }
int board_tcp_accept(void) { return 0; }
void board_read_charger(sess_evse_input *in) { (void)in; }
void board_apply_charger(const sess_evse_output *out) { (void)out; }
int board_running(void) { return 1; }

/* Reset: no C runtime start-up (no newlib crt0, whose exit path would pull stdio in); .data/.bss set-up is left
 * to a real board's start-up code. */
int main(void);
void reset_handler(void);
void reset_handler(void)
{
    main();
    for (;;) {}
}

extern uint32_t __stack;
__attribute__((section(".isr_vector"), used)) static const void *const vectors[2] = { &__stack, (const void *)reset_handler };
