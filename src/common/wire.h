/* Little-endian load/store helpers shared by the HomePlug codec, the SLAC machines and the simulator. */
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

#endif
