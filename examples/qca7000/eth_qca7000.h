/* What examples/qca7000/eth_qca7000.c needs from the board besides board.h (the SPI transfer, the host's MAC),
 * and its counters of frames it could not pass on. */
#ifndef ETH_QCA7000_H
#define ETH_QCA7000_H
#include <stddef.h>
#include <stdint.h>

/* The board's SPI (mode 3, at most 12 MHz for the QCA7000): one transfer of len bytes with chip select held low
 * for all of them; rx may be NULL, or tx itself (each byte is sent before its answer is stored). */
void spi_xfer(const uint8_t *tx, uint8_t *rx, size_t len);
/* The host's MAC (from the MCU's unique ID or a configured address: the QCA7000 has none to give the host). */
void board_host_mac(uint8_t mac[6]);

/* How long eth_send waits for space in the modem's write buffer (the powerline busy, the modem restarting). */
#define ETH_QCA7000_TX_WAIT_MS 100u

/* Counted since eth_init. */
typedef struct {
    uint32_t tx_too_long;   /* frames longer than 1518 bytes refused */
    uint32_t tx_dropped;    /* frames dropped because the modem's write buffer stayed full */
    uint32_t resets;        /* modem resets issued (init, broken buffers, a reset left unanswered) */
    uint32_t cpu_on;        /* modem starts seen (CPU_ON) after which the link was in sync again */
} eth_qca7000_counters;
const eth_qca7000_counters *eth_qca7000_stats(void);

#endif
