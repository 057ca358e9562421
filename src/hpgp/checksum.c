/* Qualcomm checksum32 over modem images and PIB chunks. */
#include "ccsplc/core/hpgp.h"
#include "wire.h"

uint32_t hpgp_checksum32(const uint8_t *data, size_t len)
{
    uint32_t x = 0;
    for (size_t i = 0; i + 4 <= len; i += 4) x ^= wire_le32(data + i);
    return ~x;
}
