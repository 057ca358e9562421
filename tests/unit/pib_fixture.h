/* PIB fixtures for the tests, built from HOMEPLUG-NOTES.md's layout with the test's own checksum code
 * (independent of src/hpgp): a flat PIB and an NVM chain (applet, PIB, firmware images). */
#ifndef CCSPLC_TEST_PIB_FIXTURE_H
#define CCSPLC_TEST_PIB_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FIX_PIB_LEN 0x2000u
#define FIX_NVM_HDR 96u
#define FIX_APPLET_LEN 256u
#define FIX_FW_LEN 512u
#define FIX_PIB_HDR (FIX_NVM_HDR + FIX_APPLET_LEN)      /* offset of the PIB image's header in the chain */
#define FIX_PIB_DATA (FIX_PIB_HDR + FIX_NVM_HDR)
#define FIX_FW_HDR (FIX_PIB_DATA + FIX_PIB_LEN)
#define FIX_NVM_LEN (FIX_FW_HDR + FIX_NVM_HDR + FIX_FW_LEN)

static const uint8_t fix_mac[6] = { 0x00, 0xB0, 0x52, 0x12, 0x34, 0x56 };

static inline uint32_t fix_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void fix_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* XOR of the little-endian 32-bit words of a region (len a multiple of 4). */
static inline uint32_t fix_xor(const uint8_t *p, size_t len)
{
    uint32_t x = 0;
    for (size_t i = 0; i < len; i += 4) x ^= fix_le32(p + i);
    return x;
}

/* A flat PIB: pattern bytes, length at 0x04, MAC at 0x0C, checksum at 0x08 (NOT of the XOR, field as 0). */
static inline void fix_flat(uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) p[i] = (uint8_t)(i * 13 % 251);
    p[4] = (uint8_t)len;
    p[5] = (uint8_t)(len >> 8);
    memcpy(p + 0x0C, fix_mac, 6);
    fix_put32(p + 8, 0);
    fix_put32(p + 8, ~fix_xor(p, len));
}

static inline void fix_header(uint8_t *h, uint32_t data_off, uint32_t len, uint32_t next, uint32_t type)
{
    memset(h, 0, FIX_NVM_HDR);
    fix_put32(h + 0, 0x00010001u);            /* major 1, minor 1 */
    fix_put32(h + 8, data_off);                /* ImageNvmAddress */
    fix_put32(h + 16, len);                    /* ImageLength */
    fix_put32(h + 20, ~fix_xor(h + FIX_NVM_HDR, len)); /* ImageChecksum: the image follows its header */
    fix_put32(h + 28, next);                   /* NextHeader */
    fix_put32(h + 36, type);                   /* ImageType */
    fix_put32(h + 92, ~fix_xor(h, FIX_NVM_HDR)); /* HeaderChecksum: the header XORs to 0xFFFFFFFF */
}

/* Recompute a header's checksum after a test changed one of its fields. */
static inline void fix_reseal(uint8_t *h)
{
    fix_put32(h + 92, 0);
    fix_put32(h + 92, ~fix_xor(h, FIX_NVM_HDR));
}

/* An NVM chain: applet (type 7), PIB (type 0x0F, a flat PIB image), firmware (type 4, last). */
static inline void fix_nvm(uint8_t *f)
{
    for (size_t i = 0; i < FIX_NVM_LEN; i++) f[i] = (uint8_t)(i * 7 % 253);
    fix_flat(f + FIX_PIB_DATA, FIX_PIB_LEN);
    fix_header(f, FIX_NVM_HDR, FIX_APPLET_LEN, FIX_PIB_HDR, 0x0007);
    fix_header(f + FIX_PIB_HDR, FIX_PIB_DATA, FIX_PIB_LEN, FIX_FW_HDR, 0x000F);
    fix_header(f + FIX_FW_HDR, FIX_FW_HDR + FIX_NVM_HDR, FIX_FW_LEN, 0xFFFFFFFFu, 0x0004);
}

#endif
