/* libFuzzer target: `ccsplc decode --keylog`'s parsers. Byte 0 even: the rest is a key-log file's text; odd:
 * the rest is records (fuzz_util.h), each a direction byte (bit 0: from the client) then one TLS record for
 * tls_dec_record, with a key log holding every secret for the client random 00 01 .. 1f (so a hello with it
 * reaches the key schedule and the record ciphers). Application data never exceeds the record. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/tls_decrypt.h"
#include "fuzz_util.h"

#define CR "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define S48 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
static const char keys[] = "CLIENT_RANDOM " CR " " S48 "\n"
                           "CLIENT_HANDSHAKE_TRAFFIC_SECRET " CR " " S48 "\n"
                           "SERVER_HANDSHAKE_TRAFFIC_SECRET " CR " " S48 "\n"
                           "CLIENT_TRAFFIC_SECRET_0 " CR " " S48 "\n"
                           "SERVER_TRAFFIC_SECRET_0 " CR " " S48 "\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[200];
    tls_keylog *k = NULL;
    if (size < 1) return 0;
    if (!(data[0] & 1)) {
        if (tls_keylog_parse((const char *)data + 1, size - 1, &k, err, sizeof err) == 0) {
            uint8_t cr[32] = { 0 }, out[64];
            FUZZ_CHECK(tls_keylog_find(k, "CLIENT_RANDOM", cr, out, sizeof out) <= sizeof out);
            tls_keylog_free(k);
        } else {
            FUZZ_CHECK(k == NULL && memchr(err, 0, sizeof err));
        }
        return 0;
    }
    FUZZ_CHECK(tls_keylog_parse(keys, sizeof keys - 1, &k, err, sizeof err) == 0);
    tls_dec *d = tls_dec_new(k);
    FUZZ_CHECK(d != NULL);
    static uint8_t out[TLS_RECORD_MAX];
    const uint8_t *rec;
    size_t len;
    data++, size--;
    while (fuzz_record(&data, &size, &rec, &len)) {
        if (len < 1) continue;
        int rc = tls_dec_record(d, rec[0] & 1, rec + 1, len - 1, out, sizeof out);
        FUZZ_CHECK(rc <= 0 || (size_t)rc <= len - 1);
    }
    tls_dec_free(d);
    tls_keylog_free(k);
    return 0;
}
