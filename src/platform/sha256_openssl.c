/* SHA-256 for the core (ccs_sha256_fn) from OpenSSL libcrypto. */
#include <openssl/sha.h>

#include "ccsplc/core/sha256.h"

void ccs_sha256_openssl(const uint8_t *data, size_t len, uint8_t out[CCS_SHA256_LEN])
{
    SHA256(data, len, out);
}
