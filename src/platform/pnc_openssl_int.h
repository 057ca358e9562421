/* What pnc_openssl.c shares with pnc_certinst_openssl.c (Plug & Charge crypto on OpenSSL 3, platform-internal). */
#ifndef CCSPLC_PNC_OPENSSL_INT_H
#define CCSPLC_PNC_OPENSSL_INT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "ccsplc/core/pnc.h"

/* 1 when k is an EC key on P-256 (prime256v1). */
int pnc_openssl_is_p256(const EVP_PKEY *k);
/* A public key from its uncompressed P-256 point (04 || X || Y), or NULL. */
EVP_PKEY *pnc_openssl_p256_key(const uint8_t point[CCS_PNC_KEY_LEN]);
/* The eMAID against the CN: equal but for case and the '-' separators an eMAID may be written with. */
int pnc_openssl_same_emaid(const char *a, size_t na, const char *b, size_t nb);

#endif
