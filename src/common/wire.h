/* Byte-order loads and stores every module may use: little-endian (HomePlug codec, SLAC machines, simulator) and
 * big-endian, network order (V2GTP, SDP, IPv6, the QCA7000 SPI protocol, mininet). */
#ifndef CCSPLC_COMMON_WIRE_H
#define CCSPLC_COMMON_WIRE_H

#include <stdint.h>
#include <string.h>

static inline uint16_t wire_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t wire_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void wire_put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void wire_put_le32(uint8_t *p, uint32_t v)
{
    wire_put_le16(p, (uint16_t)v);
    wire_put_le16(p + 2, (uint16_t)(v >> 16));
}
static inline int wire_mac_eq(const uint8_t *a, const uint8_t *b) { return memcmp(a, b, 6) == 0; }
/* Group (broadcast or multicast) destination: I/G bit of the first octet. */
static inline int wire_mac_is_group(const uint8_t *mac) { return mac[0] & 1; }

/* Big-endian (network order). */
static inline uint16_t be16_get(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t be32_get(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void be16_put(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void be32_put(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}


#endif
