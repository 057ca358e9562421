/* cannelloni's UDP packet format (mguentner/cannelloni doc/udp_format.md, version 2): a 5-byte header (version,
 * op code DATA, sequence number, frame count, big endian), then each frame as can_id (32 bit, big endian, with
 * <linux/can.h>'s flag bits), len (its 0x80 bit marks CAN FD, followed by a flags byte) and the data. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/can.h"

#define CAN_EFF_RTR_ERR 0xE0000000u   /* <linux/can.h>: CAN_EFF_FLAG | CAN_RTR_FLAG | CAN_ERR_FLAG */
#define CANFD_LEN_FLAG 0x80u           /* cannelloni.h CANFD_FRAME */

int ccs_cannelloni_decode(const uint8_t *buf, size_t len, cdm_frame *out, size_t cap, size_t *n)
{
    *n = 0;
    if (len < CCS_CANNELLONI_HEADER) return CCS_ETRUNC;
    if (buf[0] != CCS_CANNELLONI_VERSION || buf[1] != CCS_CANNELLONI_DATA) return CCS_EHEADER;
    unsigned count = (unsigned)buf[3] << 8 | buf[4];
    size_t at = CCS_CANNELLONI_HEADER;
    for (unsigned i = 0; i < count; i++) {
        if (len - at < 5) return CCS_ETRUNC;
        uint32_t id = (uint32_t)buf[at] << 24 | (uint32_t)buf[at + 1] << 16 | (uint32_t)buf[at + 2] << 8 | buf[at + 3];
        uint8_t l = buf[at + 4];
        int fd = l & CANFD_LEN_FLAG;
        size_t dlen = l & ~CANFD_LEN_FLAG, head = 5u + (fd ? 1u : 0u);
        if (dlen > (fd ? 64u : 8u)) return CCS_ERANGE;
        if (len - at < head + dlen) return CCS_ETRUNC;
        if (!fd && !(id & CAN_EFF_RTR_ERR)) {   /* a classic data frame with an 11-bit identifier */
            if (*n >= cap) return CCS_ECAP;
            cdm_frame *f = &out[(*n)++];
            memset(f, 0, sizeof *f);
            f->id = id & 0x7FFu;
            f->len = (uint8_t)dlen;
            memcpy(f->data, buf + at + head, dlen);
        }
        at += head + dlen;
    }
    return 0;
}

int ccs_cannelloni_encode(const cdm_frame *f, size_t n, uint8_t seq, uint8_t *buf, size_t cap, size_t *len)
{
    size_t at = CCS_CANNELLONI_HEADER;
    if (cap < at || n > 0xFFFFu) return CCS_ENOSPC;
    buf[0] = CCS_CANNELLONI_VERSION;
    buf[1] = CCS_CANNELLONI_DATA;
    buf[2] = seq;
    buf[3] = (uint8_t)(n >> 8);
    buf[4] = (uint8_t)n;
    for (size_t i = 0; i < n; i++) {
        uint8_t l = f[i].len > 8 ? 8 : f[i].len;
        if (cap - at < 5u + l) return CCS_ENOSPC;
        uint32_t id = f[i].id & 0x7FFu;
        buf[at] = 0;
        buf[at + 1] = 0;
        buf[at + 2] = (uint8_t)(id >> 8);
        buf[at + 3] = (uint8_t)id;
        buf[at + 4] = l;
        memcpy(buf + at + 5, f[i].data, l);
        at += 5u + l;
    }
    *len = at;
    return 0;
}
