/* Decryption of captured TLS streams with an NSS key log (platform, libcrypto): TLS 1.2 with AES-CBC + HMAC
 * suites (ISO 15118-2) and TLS 1.3 with AES-GCM / ChaCha20-Poly1305 (ISO 15118-20), record by record, for
 * `ccsplc decode --keylog`. The captured bytes are untrusted: every length is checked. */
#ifndef CCSPLC_TLS_DECRYPT_H
#define CCSPLC_TLS_DECRYPT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TLS_RECORD_MAX (5 + 16384 + 2048) /* header + the largest ciphertext TLS allows */

/* The lines of an NSS key-log file (SSLKEYLOGFILE): CLIENT_RANDOM (TLS 1.2 master secrets) and the TLS 1.3
 * traffic secrets; comments and other labels are skipped. */
typedef struct tls_keylog tls_keylog;
/* 0, or CCS_EIO (cannot read) / CCS_ESYNTAX (a line that is not "LABEL HEX HEX") with the reason in err. */
int tls_keylog_load(const char *path, tls_keylog **out, char *err, size_t errcap);
/* Parses the text of a key log (the same rules). */
int tls_keylog_parse(const char *text, size_t len, tls_keylog **out, char *err, size_t errcap);
void tls_keylog_free(tls_keylog *k);
size_t tls_keylog_count(const tls_keylog *k);
/* The secret of label for this client random: its length (copied into out), 0 when the log has none. */
size_t tls_keylog_find(const tls_keylog *k, const char *label, const uint8_t client_random[32], uint8_t *out,
                       size_t cap);

/* One TCP connection's TLS: the hellos teach the randoms, version and suite; records after the keys change
 * are decrypted with the secrets of the key log. */
typedef struct tls_dec tls_dec;
tls_dec *tls_dec_new(const tls_keylog *k); /* NULL when out of memory */
void tls_dec_free(tls_dec *d);
/* One whole record (header and body) sent by the client (from_client 1) or the server. Returns the length of
 * application data written to out (>0), 0 for a record that carries none (handshake, change cipher spec, alert,
 * or anything before the keys are known), CCS_ENOTFOUND when the key log has no secret for this connection,
 * CCS_EPROTO when a record does not decrypt (wrong keys, corrupt), CCS_EUNSUPP for a cipher suite not
 * handled, CCS_ESTATE for application data before any key change (the handshake is not in the capture),
 * CCS_ETRUNC / CCS_EHEADER for a malformed record, CCS_ENOSPC when out is too small. */
int tls_dec_record(tls_dec *d, int from_client, const uint8_t *rec, size_t len, uint8_t *out, size_t cap);
/* "TLSv1.2 0xc023", "TLSv1.3 0x1302" once the ServerHello was seen, else "". */
const char *tls_dec_describe(const tls_dec *d);

#ifdef __cplusplus
}
#endif

#endif
