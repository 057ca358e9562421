/* Captured TLS records decrypted with a key log (include/ccsplc/linux/tls_decrypt.h): the hellos in the clear
 * give the randoms, version and suite; TLS 1.2 keys come from the master secret (RFC 5246 6.3, the PRF of
 * libcrypto's TLS1-PRF), TLS 1.3 keys from the traffic secrets (RFC 8446 7.3, HKDF-Expand-Label on libcrypto's
 * HKDF); records open with libcrypto's ciphers. */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/tls_decrypt.h"

enum { CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APPDATA = 23 };
enum { HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_FINISHED = 20 };
#define EXT_ENCRYPT_THEN_MAC 0x0016
#define EXT_SUPPORTED_VERSIONS 0x002b

typedef struct {
    uint16_t id;
    int tls13;
    const char *md;            /* the suite's hash: the PRF's or HKDF's */
    const EVP_CIPHER *(*cipher)(void);
    size_t key_len, mac_len;   /* mac_len: TLS 1.2 HMAC; 0 for AEAD */
} suite_info;

static const suite_info suites[] = {
    { 0xC023, 0, "SHA256", EVP_aes_128_cbc, 16, 32 },   /* TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 (ISO 15118-2) */
    { 0xC025, 0, "SHA256", EVP_aes_128_cbc, 16, 32 },   /* TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256 (ISO 15118-2) */
    { 0x1301, 1, "SHA256", EVP_aes_128_gcm, 16, 0 },    /* TLS_AES_128_GCM_SHA256 */
    { 0x1302, 1, "SHA384", EVP_aes_256_gcm, 32, 0 },    /* TLS_AES_256_GCM_SHA384 (ISO 15118-20) */
    { 0x1303, 1, "SHA256", EVP_chacha20_poly1305, 32, 0 }, /* TLS_CHACHA20_POLY1305_SHA256 (ISO 15118-20) */
};

/* The random of a HelloRetryRequest (RFC 8446 4.1.3): SHA-256 of "HelloRetryRequest". */
static const uint8_t hrr_random[32] = { 0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                        0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                        0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C };

typedef struct {
    int enc;           /* this direction's records are encrypted */
    int app;           /* TLS 1.3: the application keys (else the handshake keys) */
    uint64_t seq;
    uint8_t key[32], iv[12], mac[32];
    uint32_t hs_left;  /* TLS 1.3: bytes of a handshake message that go on in the next record */
} dir_state;

struct tls_dec {
    const tls_keylog *k;
    int have_cr, have_sh, etm;
    int missing;       /* the key log lacks this connection's secrets: every encrypted record says so */
    uint8_t cr[32], sr[32];
    uint16_t version;
    const suite_info *suite;
    dir_state d[2];    /* [0] the client's records, [1] the server's */
    char text[32];
};

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be24(const uint8_t *p) { return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]; }

tls_dec *tls_dec_new(const tls_keylog *k)
{
    tls_dec *d = calloc(1, sizeof *d);
    if (d) d->k = k;
    return d;
}

void tls_dec_free(tls_dec *d)
{
    if (!d) return;
    OPENSSL_cleanse(d, sizeof *d);
    free(d);
}

const char *tls_dec_describe(const tls_dec *d) { return d->text; }

/* libcrypto KDF by name over params; 0 or CCS_EPROTO. */
static int kdf(const char *name, OSSL_PARAM *params, uint8_t *out, size_t len)
{
    EVP_KDF *k = EVP_KDF_fetch(NULL, name, NULL);
    EVP_KDF_CTX *c = k ? EVP_KDF_CTX_new(k) : NULL;
    int ok = c && EVP_KDF_derive(c, out, len, params) == 1;
    EVP_KDF_CTX_free(c);
    EVP_KDF_free(k);
    return ok ? 0 : CCS_EPROTO;
}

/* RFC 8446 7.1 HKDF-Expand-Label(secret, label, "", len). */
static int expand_label(const char *md, const uint8_t *secret, size_t slen, const char *label, uint8_t *out, size_t len)
{
    uint8_t info[2 + 1 + 6 + 32 + 1];
    size_t ll = strlen(label), n = 0;
    info[n++] = (uint8_t)(len >> 8);
    info[n++] = (uint8_t)len;
    info[n++] = (uint8_t)(6 + ll);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, ll);
    n += ll;
    info[n++] = 0;   /* empty context */
    int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
    OSSL_PARAM p[] = { OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
                       OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)md, 0),
                       OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)secret, slen),
                       OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, n), OSSL_PARAM_construct_end() };
    return kdf("HKDF", p, out, len);
}

/* TLS 1.3: this direction's keys from its traffic secret in the key log. */
static int keys13(tls_dec *d, int server, int app)
{
    static const char *const labels[2][2] = { { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0" },
                                              { "SERVER_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0" } };
    uint8_t secret[64];
    dir_state *s = &d->d[server];
    size_t n = tls_keylog_find(d->k, labels[server][app], d->cr, secret, sizeof secret);
    int rc = !n ? CCS_ENOTFOUND
             : expand_label(d->suite->md, secret, n, "key", s->key, d->suite->key_len)
                 ? CCS_EPROTO
                 : expand_label(d->suite->md, secret, n, "iv", s->iv, 12);
    OPENSSL_cleanse(secret, sizeof secret);
    d->missing |= rc == CCS_ENOTFOUND;
    s->enc = 1;
    s->app = app;
    s->seq = 0;
    s->hs_left = 0;
    return rc;
}

/* TLS 1.2: both directions' keys from the master secret (RFC 5246 6.3: key_block = PRF(master, "key expansion",
 * server_random + client_random): client MAC key, server MAC key, client key, server key). */
static int keys12(tls_dec *d)
{
    uint8_t master[48], seed[13 + 64], block[2 * 32 + 2 * 32];
    if (tls_keylog_find(d->k, "CLIENT_RANDOM", d->cr, master, sizeof master) != sizeof master) return CCS_ENOTFOUND;
    memcpy(seed, "key expansion", 13);
    memcpy(seed + 13, d->sr, 32);
    memcpy(seed + 45, d->cr, 32);
    size_t m = d->suite->mac_len, kl = d->suite->key_len;
    OSSL_PARAM p[] = { OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)d->suite->md, 0),
                       OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, master, sizeof master),
                       OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed, sizeof seed),
                       OSSL_PARAM_construct_end() };
    int rc = kdf("TLS1-PRF", p, block, 2 * m + 2 * kl);
    if (!rc) {
        memcpy(d->d[0].mac, block, m);
        memcpy(d->d[1].mac, block + m, m);
        memcpy(d->d[0].key, block + 2 * m, kl);
        memcpy(d->d[1].key, block + 2 * m + kl, kl);
    }
    OPENSSL_cleanse(master, sizeof master);
    OPENSSL_cleanse(block, sizeof block);
    return rc;
}

/* The ServerHello's extensions: the version (supported_versions) and encrypt-then-MAC. */
static int server_extensions(tls_dec *d, const uint8_t *p, size_t len)
{
    while (len >= 4) {
        uint32_t type = be16(p), n = be16(p + 2);
        if (n > len - 4) return CCS_ETRUNC;
        if (type == EXT_SUPPORTED_VERSIONS && n == 2) d->version = (uint16_t)be16(p + 4);
        if (type == EXT_ENCRYPT_THEN_MAC) d->etm = 1;
        p += 4 + n;
        len -= 4 + n;
    }
    return 0;
}

/* A hello in the clear: the client's random; the server's random, version and suite. */
static int hello(tls_dec *d, const uint8_t *p, size_t len)
{
    if (len < 4 + 2 + 32) return 0;   /* another handshake message, or a fragment: nothing to learn */
    uint32_t n = be24(p + 1);
    if (n > len - 4) n = (uint32_t)(len - 4);
    const uint8_t *b = p + 4;
    if (p[0] == HS_CLIENT_HELLO) {
        memcpy(d->cr, b + 2, 32);
        d->have_cr = 1;
        return 0;
    }
    if (p[0] != HS_SERVER_HELLO || n < 2 + 32 + 1) return 0;
    if (!memcmp(b + 2, hrr_random, 32)) return 0;   /* a HelloRetryRequest: the ServerHello comes later */
    if (d->d[0].enc || d->d[1].enc) return CCS_EPROTO;   /* a second ServerHello after the keys changed */
    size_t off = 2 + 32, sid = b[off];
    if (off + 1 + sid + 3 > n) return CCS_ETRUNC;
    off += 1 + sid;
    uint32_t suite = be16(b + off);
    off += 3;
    memcpy(d->sr, b + 2, 32);
    d->version = (uint16_t)be16(b);
    if (off + 2 <= n) {
        uint32_t el = be16(b + off);
        if (el > n - off - 2) return CCS_ETRUNC;
        int rc = server_extensions(d, b + off + 2, el);
        if (rc) return rc;
    }
    d->have_sh = 1;
    d->suite = NULL;
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        if (suites[i].id == suite && suites[i].tls13 == (d->version == 0x0304)) d->suite = &suites[i];
    snprintf(d->text, sizeof d->text, "TLSv1.%u 0x%04x", d->version == 0x0304 ? 3u : 2u, suite);
    if (!d->suite) return CCS_EUNSUPP;
    if (d->version == 0x0304) {   /* everything after the ServerHello is encrypted, both ways */
        int rs = keys13(d, 1, 0), rc = keys13(d, 0, 0);
        return rs ? rs : rc;
    }
    return 0;
}

/* TLS 1.3: the nonce of record seq (RFC 8446 5.3), the AEAD opened over the record header. */
static int open13(dir_state *s, const suite_info *su, const uint8_t *rec, size_t len, uint8_t *out, size_t *n)
{
    uint8_t nonce[12];
    if (len < 5 + 16 + 1) return CCS_ETRUNC;
    memcpy(nonce, s->iv, 12);
    for (int i = 0; i < 8; i++) nonce[11 - i] ^= (uint8_t)(s->seq >> (8 * i));
    size_t ct = len - 5 - 16;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int outl = 0, fl = 0;
    int ok = c && EVP_DecryptInit_ex(c, su->cipher(), NULL, NULL, NULL) == 1 &&
             EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) == 1 &&
             EVP_DecryptInit_ex(c, NULL, NULL, s->key, nonce) == 1 && EVP_DecryptUpdate(c, NULL, &outl, rec, 5) == 1 &&
             EVP_DecryptUpdate(c, out, &outl, rec + 5, (int)ct) == 1 &&
             EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, (void *)(rec + 5 + ct)) == 1 &&
             EVP_DecryptFinal_ex(c, out + outl, &fl) == 1;
    EVP_CIPHER_CTX_free(c);
    if (!ok) return CCS_EPROTO;
    *n = (size_t)outl + (size_t)fl;
    s->seq++;
    return 0;
}

/* TLS 1.2 CBC: explicit IV, then MAC-then-encrypt (RFC 5246 6.2.3.2) or encrypt-then-MAC (RFC 7366); the MAC
 * over seq, type, version, length and the MACed bytes is checked. */
static int open12(tls_dec *d, dir_state *s, const uint8_t *rec, size_t len, uint8_t *out, size_t *n)
{
    const size_t m = d->suite->mac_len, bs = 16;
    size_t body = len - 5, ct = d->etm ? body - m : body;
    if (body < bs + bs + (d->etm ? m : 0) || (ct - bs) % bs) return CCS_ETRUNC;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int outl = 0, fl = 0;
    int ok = c && EVP_DecryptInit_ex(c, d->suite->cipher(), NULL, s->key, rec + 5) == 1 &&
             EVP_CIPHER_CTX_set_padding(c, 0) == 1 && EVP_DecryptUpdate(c, out, &outl, rec + 5 + bs, (int)(ct - bs)) == 1 &&
             EVP_DecryptFinal_ex(c, out + outl, &fl) == 1;
    EVP_CIPHER_CTX_free(c);
    size_t pt = (size_t)outl + (size_t)fl, pad = pt ? out[pt - 1] : 0;
    if (!ok || pad + 1 > pt || pad + 1 + (d->etm ? 0 : m) > pt) return CCS_EPROTO;
    size_t content = pt - pad - 1 - (d->etm ? 0 : m);
    /* the MAC input: seq (8), type, version, length, then the content (MtE) or IV + ciphertext (EtM) */
    const uint8_t *macd = d->etm ? rec + 5 : out;
    size_t macn = d->etm ? ct : content;
    uint8_t hdr[13], mac[EVP_MAX_MD_SIZE];
    unsigned ml = 0;
    for (int i = 0; i < 8; i++) hdr[i] = (uint8_t)(s->seq >> (56 - 8 * i));
    memcpy(hdr + 8, rec, 3);
    hdr[11] = (uint8_t)(macn >> 8);
    hdr[12] = (uint8_t)macn;
    uint8_t *joined = malloc(13 + macn);
    if (!joined) return CCS_ENOSPC;
    memcpy(joined, hdr, 13);
    memcpy(joined + 13, macd, macn);
    ok = HMAC(EVP_get_digestbyname(d->suite->md), s->mac, (int)m, joined, 13 + macn, mac, &ml) != NULL && ml == m &&
         !CRYPTO_memcmp(mac, d->etm ? rec + 5 + ct : out + content, m);
    free(joined);
    if (!ok) return CCS_EPROTO;
    *n = content;
    s->seq++;
    return 0;
}

/* TLS 1.3: the handshake messages of a decrypted record: after this direction's Finished the application keys
 * follow (the record after it). */
static int walk_handshake(dir_state *s, const uint8_t *p, size_t len, int *finished)
{
    while (len > 0) {
        if (s->hs_left) {
            size_t n = len < s->hs_left ? len : s->hs_left;
            s->hs_left -= (uint32_t)n;
            p += n;
            len -= n;
            continue;
        }
        if (len < 4) return CCS_EUNSUPP;   /* a header split across records: not followed */
        if (p[0] == HS_FINISHED) *finished = 1;
        s->hs_left = be24(p + 1);
        p += 4;
        len -= 4;
    }
    return 0;
}

int tls_dec_record(tls_dec *d, int from_client, const uint8_t *rec, size_t len, uint8_t *out, size_t cap)
{
    if (len < 5) return CCS_ETRUNC;
    if (be16(rec + 3) != len - 5 || rec[1] != 3) return CCS_EHEADER;
    int server = !from_client;
    dir_state *s = &d->d[server];
    uint8_t type = rec[0];
    if (!s->enc) {
        if (type == CT_HANDSHAKE) return hello(d, rec + 5, len - 5);
        if (type == CT_CCS && d->have_sh && d->suite && !d->suite->tls13) {   /* TLS 1.2: the keys change here */
            int rc = !d->d[0].enc && !d->d[1].enc ? keys12(d) : 0;
            d->missing |= rc == CCS_ENOTFOUND;
            s->enc = 1;
            s->seq = 0;
            return rc;
        }
        if (type == CT_APPDATA) return d->have_sh && !d->suite ? CCS_EUNSUPP : CCS_ESTATE; /* no handshake seen */
        return 0;
    }
    if (d->missing) return CCS_ENOTFOUND;
    if (type == CT_CCS && d->suite->tls13) return 0;   /* TLS 1.3's compatibility record, in the clear */
    if (cap < len) return CCS_ENOSPC;
    size_t n = 0;
    int rc = d->suite->tls13 ? open13(s, d->suite, rec, len, out, &n) : open12(d, s, rec, len, out, &n);
    if (rc) return rc;
    if (d->suite->tls13) {   /* the inner type: the last non-zero byte (RFC 8446 5.4) */
        while (n > 0 && out[n - 1] == 0) n--;
        if (!n) return CCS_EPROTO;
        type = out[--n];
        int finished = 0;
        if (type == CT_HANDSHAKE && !s->app && (rc = walk_handshake(s, out, n, &finished)) != 0) return rc;
        if (finished) return keys13(d, server, 1);
    }
    return type == CT_APPDATA ? (int)n : 0;
}
