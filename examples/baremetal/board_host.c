/* A host stand-in for board.h so the bare-metal example runs on a PC: a virtual clock, no modem on the line.
 * It counts the HomePlug frames the car sends (SLAC keeps retrying) and stops after RUN_MS of virtual time. */
#include <stdio.h>
#include <string.h>

#include "board.h"

#define RUN_MS 5000u

static uint32_t clock_ms;
static unsigned frames_sent;
static uint32_t rng_state = 0x2545F491u;

uint32_t board_millis(void)
{
    return clock_ms++;   /* one virtual millisecond per main-loop turn */
}

int board_random(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {   /* xorshift32: a stand-in, NOT for a product (see docs/porting.md) */
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 17;
        rng_state ^= rng_state << 5;
        out[i] = (uint8_t)rng_state;
    }
    return 0;
}

const uint8_t *board_mac(void)
{
    static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x42 };
    return mac;
}

void board_eth_send(const uint8_t *frame, size_t len)
{
    if (len >= 14 && frame[12] == 0x88 && frame[13] == 0xE1) frames_sent++;   /* HomePlug AV EtherType */
}

size_t board_eth_recv(uint8_t *buf, size_t cap)
{
    (void)buf, (void)cap;
    return 0;
}

void board_udp_send_sdp(const uint8_t *buf, size_t len)
{
    (void)buf, (void)len;
}

size_t board_udp_recv(uint8_t *buf, size_t cap)
{
    (void)buf, (void)cap;
    return 0;
}

int board_tcp_connect(const uint8_t addr[16], uint16_t port)
{
    (void)addr, (void)port;
    return -1;
}

void board_tcp_send(const uint8_t *buf, size_t len)
{
    (void)buf, (void)len;
}

int board_tcp_recv(uint8_t *buf, size_t cap)
{
    (void)buf, (void)cap;
    return -1;
}

void board_tcp_close(void)
{
}

void board_read_battery(sess_pev_input *in)
{
    memset(in, 0, sizeof *in);
    in->battery_v = 400.0f;
    in->soc = 50;
}

void board_apply(const sess_pev_output *out)
{
    (void)out;
}

int board_running(void)
{
    if (clock_ms < RUN_MS) return 1;
    printf("host board: %u HomePlug frames sent in %u ms, no modem answered\n", frames_sent, (unsigned)clock_ms);
    return 0;
}
