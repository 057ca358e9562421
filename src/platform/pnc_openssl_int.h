/* What pnc_openssl.c shares with pnc_certinst_openssl.c (Plug & Charge crypto on OpenSSL 3, platform-internal). */
#ifndef CCSPLC_PNC_OPENSSL_INT_H
#define CCSPLC_PNC_OPENSSL_INT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "ccsplc/core/pnc.h"

/* The suite of an EC key on one of the suites' curves (P-256: ISO 15118-2, P-521: ISO 15118-20), else -1. */
int pnc_openssl_suite_of(const EVP_PKEY *k);
/* A public key from its uncompressed point (04 || X || Y) on the suite's curve, or NULL. */
EVP_PKEY *pnc_openssl_public_key(ccs_pnc_suite suite, const uint8_t *point);

#endif
