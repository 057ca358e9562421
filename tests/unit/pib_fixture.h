/* PIB fixtures for the tests, built from HOMEPLUG-NOTES.md's layout and open-plc-utils' nvm_header2 with the
 * test's own checksum code (independent of src/hpgp): a flat PIB and an NVM chain (applet, PIB, firmware)
 * that open-plc-utils' chkpib accepts (NID of the NMK, PrevHeader links, contiguous headers). */
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
#define FIX_LAST 0xFFFFFFFFu                              /* NextHeader of the last image, PrevHeader of the first */

static const uint8_t fix_mac[6] = { 0x00, 0xB0, 0x52, 0x12, 0x34, 0x56 };
/* The notes' check values: NMK of the password "HomePlugAV" and its NID at security level 0. */
static const uint8_t fix_nmk[16] = { 0x50, 0xD3, 0xE4, 0x93, 0x3F, 0x85, 0x5B, 0x70,
                                     0x40, 0x78, 0x4D, 0xF8, 0x15, 0xAA, 0x8D, 0xB7 };
static const uint8_t fix_nid[7] = { 0xB0, 0xF2, 0xE6, 0x95, 0x66, 0x6B, 0x03 };

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

/* A PIB image: pattern bytes, MAC at 0x0C, NMK at 0x64 and its preferred NID at 0xF8. In a chain the
 * image's own length (0x04) and checksum (0x08) fields are 0: the image header holds both. */
static inline void fix_image(uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) p[i] = (uint8_t)(i * 13 % 251);
    memset(p + 4, 0, 8);
    memcpy(p + 0x0C, fix_mac, 6);
    memcpy(p + 0x64, fix_nmk, 16);
    memcpy(p + 0xF8, fix_nid, 7);
}

/* A flat PIB: the image with its length at 0x04 and checksum at 0x08 (NOT of the XOR, field as 0). */
static inline void fix_flat(uint8_t *p, size_t len)
{
    fix_image(p, len);
    p[4] = (uint8_t)len;
    p[5] = (uint8_t)(len >> 8);
    fix_put32(p + 8, ~fix_xor(p, len));
}

/* nvm_header2: version 1.1, lengths, links and both checksums; the image follows its header. */
static inline void fix_header(uint8_t *h, uint32_t prev, uint32_t len, uint32_t next, uint32_t type)
{
    memset(h, 0, FIX_NVM_HDR);
    fix_put32(h + 0, 0x00010001u);            /* MajorVersion 1, MinorVersion 1 */
    fix_put32(h + 16, len);                    /* ImageLength */
    fix_put32(h + 20, ~fix_xor(h + FIX_NVM_HDR, len)); /* ImageChecksum */
    fix_put32(h + 28, next);                   /* NextHeader */
    fix_put32(h + 32, prev);                   /* PrevHeader */
    fix_put32(h + 36, type);                   /* ImageType */
    fix_put32(h + 92, ~fix_xor(h, FIX_NVM_HDR)); /* HeaderChecksum: the header XORs to 0xFFFFFFFF */
}

/* Recompute a header's checksum after a test changed one of its fields. */
static inline void fix_reseal(uint8_t *h)
{
    fix_put32(h + 92, 0);
    fix_put32(h + 92, ~fix_xor(h, FIX_NVM_HDR));
}

/* An NVM chain: applet (type 7), PIB (type 0x0F), firmware (type 4, last). */
static inline void fix_nvm(uint8_t *f)
{
    for (size_t i = 0; i < FIX_NVM_LEN; i++) f[i] = (uint8_t)(i * 7 % 253);
    fix_image(f + FIX_PIB_DATA, FIX_PIB_LEN);
    fix_header(f, FIX_LAST, FIX_APPLET_LEN, FIX_PIB_HDR, 0x0007);
    fix_header(f + FIX_PIB_HDR, 0, FIX_PIB_LEN, FIX_FW_HDR, 0x000F);
    fix_header(f + FIX_FW_HDR, FIX_PIB_HDR, FIX_FW_LEN, FIX_LAST, 0x0004);
}

#endif
