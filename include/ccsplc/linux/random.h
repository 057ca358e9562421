/* Randomness for the core's ccs_random_fn callbacks (NMKs, RunIDs, nonces) from the Linux kernel. */
#ifndef CCSPLC_RANDOM_H
#define CCSPLC_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/slac.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A ccs_random_fn on getrandom(2); ctx is unused. 0, or CCS_ERANDOM if the kernel cannot give randomness (keys
 * must never silently be predictable: the caller stops). */
int ccs_random_getrandom(void *ctx, uint8_t *out, size_t len);

#ifdef __cplusplus
}
#endif

#endif
