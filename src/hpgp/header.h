/* Internal header helpers of the HomePlug codec. */
#ifndef CCSPLC_HPGP_HEADER_H
#define CCSPLC_HPGP_HEADER_H

#include <stdint.h>

#include "ccsplc/core/hpgp.h"

/* MMTYPE 0xA000-0xBFFF: vendor-specific (MMV 0, OUI instead of FMI; MMV 1: FMI, then OUI). */
int hpgp_is_vendor_mmtype(uint16_t mmtype);
/* Write destination, source, ethertype, MMV, MMTYPE and FMI and/or OUI (22 bytes at most); mmv applies to
 * vendor messages (CM_* are always MMV 1). */
void hpgp_write_header(uint8_t *frame, const uint8_t dst[6], const uint8_t src[6], uint16_t mmtype, uint8_t mmv);

#endif
