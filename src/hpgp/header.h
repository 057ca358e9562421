/* Internal header helpers of the HomePlug codec. */
#ifndef CCSPLC_HPGP_HEADER_H
#define CCSPLC_HPGP_HEADER_H

#include <stdint.h>

#include "ccsplc/hpgp.h"

/* MMTYPE 0xA000-0xBFFF: vendor-specific (MMV 0, OUI instead of FMI). */
int hpgp_is_vendor_mmtype(uint16_t mmtype);
/* Write destination, source, ethertype, MMV, MMTYPE and FMI or OUI (20 bytes at most). */
void hpgp_write_header(uint8_t *frame, const uint8_t dst[6], const uint8_t src[6], uint16_t mmtype);

#endif
