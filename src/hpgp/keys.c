/* HomePlug key derivation: NMK from a password and NID from an NMK, with SHA-256 supplied by the caller. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/hpgp.h"

/* Salt appended to the password before hashing (HomePlug AV "NMK-HS"). */
static const uint8_t nmk_salt[8] = { 0x08, 0x85, 0x6D, 0xAF, 0x7C, 0xF5, 0x81, 0x86 };
enum { NMK_ROUNDS = 1000, NID_ROUNDS = 5, NID_LEVEL_MAX = 15 };

/* Hash d in place (rounds - 1) more times. */
static void rehash(ccs_sha256_fn sha256, uint8_t d[CCS_SHA256_LEN], unsigned rounds)
{
    for (unsigned i = 1; i < rounds; i++) {
        uint8_t next[CCS_SHA256_LEN];
        sha256(d, CCS_SHA256_LEN, next);
        memcpy(d, next, CCS_SHA256_LEN);
    }
}

int hpgp_nmk_from_password(ccs_sha256_fn sha256, const char *password, size_t len, uint8_t nmk[HPGP_NMK_LEN])
{
    if (!sha256 || !password || !nmk || len == 0 || len > HPGP_PASSWORD_MAX) return CCS_EINVAL;
    uint8_t in[HPGP_PASSWORD_MAX + sizeof nmk_salt];
    memcpy(in, password, len);
    memcpy(in + len, nmk_salt, sizeof nmk_salt);
    uint8_t d[CCS_SHA256_LEN];
    sha256(in, len + sizeof nmk_salt, d);
    rehash(sha256, d, NMK_ROUNDS);
    memcpy(nmk, d, HPGP_NMK_LEN);
    return 0;
}

int hpgp_nid_from_nmk(ccs_sha256_fn sha256, const uint8_t nmk[HPGP_NMK_LEN], unsigned level,
                      uint8_t nid[HPGP_NID_LEN])
{
    if (!sha256 || !nmk || !nid || level > NID_LEVEL_MAX) return CCS_EINVAL;
    uint8_t d[CCS_SHA256_LEN];
    sha256(nmk, HPGP_NMK_LEN, d);
    rehash(sha256, d, NID_ROUNDS);
    memcpy(nid, d, HPGP_NID_LEN - 1);
    nid[HPGP_NID_LEN - 1] = (uint8_t)(level << 4 | d[HPGP_NID_LEN - 1] >> 4);
    return 0;
}
