/* SHA-256 as a function pointer: the core never links a crypto library; the platform layer supplies one. */
#ifndef CCSPLC_SHA256_H
#define CCSPLC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define CCS_SHA256_LEN 32u

typedef void (*ccs_sha256_fn)(const uint8_t *data, size_t len, uint8_t out[CCS_SHA256_LEN]);

/* Platform implementation on OpenSSL libcrypto (src/platform/sha256_openssl.c). */
void ccs_sha256_openssl(const uint8_t *data, size_t len, uint8_t out[CCS_SHA256_LEN]);

#endif
