/* Ethernet frame I/O of the mps2-an386: the SMSC LAN9118 (a LAN9220 on the real board) at 0x40200000, polled,
 * in the board layer's eth_* interface. On a car this file is the QCA7000 SPI driver (examples/qca7000/). The
 * register layout is SMSC's LAN9118 datasheet (system CSRs, MAC CSRs through MAC_CSR_CMD/DATA, TX/RX FIFOs). */
#include <stdint.h>

#include "board.h"
#include "ccsplc/core/errors.h"

#define LAN 0x40200000u
#define R(off) (*(volatile uint32_t *)(LAN + (off)))
#define RX_DATA_FIFO R(0x00u)
#define TX_DATA_FIFO R(0x20u)
#define RX_STATUS_FIFO R(0x40u)
#define ID_REV R(0x50u)
#define BYTE_TEST R(0x64u)
#define RX_CFG R(0x6Cu)
#define TX_CFG R(0x70u)
#define HW_CFG R(0x74u)
#define RX_FIFO_INF R(0x7Cu)
#define TX_FIFO_INF R(0x80u)
#define TX_STATUS_FIFO R(0x48u)
#define MAC_CSR_CMD R(0xA4u)
#define MAC_CSR_DATA R(0xA8u)

#define BYTE_TEST_VALUE 0x87654321u
#define HW_CFG_SRST 1u
#define TX_CFG_TX_ON 2u
#define CSR_BUSY 0x80000000u
#define CSR_READ 0x40000000u
/* MAC CSRs and MAC_CR bits. */
#define MAC_CR 1u
#define MAC_ADDRH 2u
#define MAC_ADDRL 3u
#define MAC_CR_RXEN (1u << 2)
#define MAC_CR_TXEN (1u << 3)
#define MAC_CR_FDPX (1u << 20)
#define MAC_CR_MCPAS (1u << 19)   /* pass all multicast: ff02::1 and the solicited-node groups of neighbour discovery */
/* TX command A: first and last segment, buffer size; B: packet length. RX status: length (with the 4-byte CRC)
 * in bits 29:16, error summary bit 15. */
#define TXA_FIRST (1u << 13)
#define TXA_LAST (1u << 12)
#define RXS_LEN(s) (((s) >> 16) & 0x3FFFu)
#define RXS_ERROR (1u << 15)

static uint32_t mac_read(uint32_t reg)
{
    MAC_CSR_CMD = CSR_BUSY | CSR_READ | reg;
    while (MAC_CSR_CMD & CSR_BUSY) {}
    return MAC_CSR_DATA;
}

static void mac_write(uint32_t reg, uint32_t v)
{
    MAC_CSR_DATA = v;
    MAC_CSR_CMD = CSR_BUSY | reg;
    while (MAC_CSR_CMD & CSR_BUSY) {}
}

int eth_init(uint8_t mac[6])
{
    if (BYTE_TEST != BYTE_TEST_VALUE) return CCS_EIO;   /* no controller, or the bus is not 32-bit */
    HW_CFG = HW_CFG_SRST;
    while (HW_CFG & HW_CFG_SRST) {}
    uint32_t lo = mac_read(MAC_ADDRL), hi = mac_read(MAC_ADDRH);   /* loaded from the EEPROM at reset */
    for (int i = 0; i < 4; i++) mac[i] = (uint8_t)(lo >> (8 * i));
    mac[4] = (uint8_t)hi;
    mac[5] = (uint8_t)(hi >> 8);
    RX_CFG = 0;                       /* no offset, no end alignment */
    TX_CFG = TX_CFG_TX_ON;
    mac_write(MAC_CR, MAC_CR_RXEN | MAC_CR_TXEN | MAC_CR_FDPX | MAC_CR_MCPAS);   /* our MAC, broadcast, multicast */
    uint32_t id = ID_REV >> 16;
    return id == 0x0118u || id == 0x9220u ? 0 : CCS_EIO;
}

void eth_send(const uint8_t *frame, size_t len)
{
    if (len == 0 || len > 1514) return;
    while ((TX_FIFO_INF & 0xFFFFu) < len + 8u) {}   /* free data space (bytes) for the commands and the frame */
    TX_DATA_FIFO = TXA_FIRST | TXA_LAST | (uint32_t)len;
    TX_DATA_FIFO = (uint32_t)len;
    for (size_t i = 0; i < len; i += 4) {
        uint32_t w = 0;
        for (size_t k = 0; k < 4 && i + k < len; k++) w |= (uint32_t)frame[i + k] << (8 * k);   /* little-endian */
        TX_DATA_FIFO = w;
    }
    while (TX_FIFO_INF >> 16) (void)TX_STATUS_FIFO;   /* drop the transmit statuses */
}

size_t eth_recv(uint8_t *buf, size_t cap)
{
    if (((RX_FIFO_INF >> 16) & 0xFFu) == 0) return 0;
    uint32_t status = RX_STATUS_FIFO;
    size_t len = RXS_LEN(status), words = (len + 3u) / 4u;
    if ((status & RXS_ERROR) || len < 4u + 14u || len - 4u > cap) {
        while (words--) (void)RX_DATA_FIFO;   /* drop it (read out: QEMU's fast-forward does not free the FIFO) */
        return 0;
    }
    len -= 4u;   /* the CRC */
    for (size_t i = 0; i < words; i++) {
        uint32_t w = RX_DATA_FIFO;
        for (size_t k = 0; k < 4 && i * 4 + k < len; k++) buf[i * 4 + k] = (uint8_t)(w >> (8 * k));
    }
    return len;
}
