/* Unit tests for the TLS wrapper of V2GTP (src/platform/tls.c) and the key-log decryption of `ccsplc decode`
 * (tls_keylog.c, tls_decrypt.c): a charger and a car in memory with a PKI made here (ECDSA P-256 for TLS 1.2,
 * P-521 for TLS 1.3), every record they exchange opened again with the key log they wrote; refusals and
 * hostile records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/tls.h"
#include "ccsplc/linux/tls_decrypt.h"
#include "pki_mem.h"

/* A certificate for key, signed by issuer (NULL: itself), valid for a day, written as PEM with its key. */
static X509 *make_cert(const char *name, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, int ca, const char *md)
{
    X509 *x = pki_cert(name, key, issuer, issuer_key, ca, -60, 86400, md);
    char file[64];
    snprintf(file, sizeof file, "%s.pem", name);
    pki_write_cert(pki_path(file), "w", x);
    snprintf(file, sizeof file, "%s.key", name);
    pki_write_key(pki_path(file), key);
    return x;
}

/* root, leaf signed by root (charger), car signed by root, other (an unrelated root), on curve. */
static void make_pki(const char *prefix, const char *curve, const char *md)
{
    char n[4][32];
    const char *names[] = { "root", "secc", "car", "other" };
    for (int i = 0; i < 4; i++) snprintf(n[i], sizeof n[i], "%s_%s", prefix, names[i]);
    EVP_PKEY *k[4];
    for (int i = 0; i < 4; i++) assert_non_null(k[i] = EVP_EC_gen(curve));
    X509 *root = make_cert(n[0], k[0], NULL, NULL, 1, md);
    X509 *secc = make_cert(n[1], k[1], root, k[0], 0, md);
    X509 *car = make_cert(n[2], k[2], root, k[0], 0, md);
    X509 *other = make_cert(n[3], k[3], NULL, NULL, 1, md);
    X509_free(root), X509_free(secc), X509_free(car), X509_free(other);
    for (int i = 0; i < 4; i++) EVP_PKEY_free(k[i]);
}

static int setup(void **state)
{
    (void)state;
    pki_dir_make("tls");
    make_pki("p256", "P-256", "SHA256");
    make_pki("p521", "P-521", "SHA512");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return pki_dir_remove();
}

/* What travelled, in order: each chunk one side's output (whole records), as a capture sees it. */
typedef struct {
    uint8_t bytes[65536];
    size_t n;
    struct { size_t off, len; int from_client; } chunk[64];
    size_t nchunks;
} transcript;

/* Moves what one side has to send to the other, into the transcript t (may be NULL). */
static void move(tls_conn *from, tls_conn *to, int from_client, transcript *t)
{
    uint8_t buf[32768];
    size_t n = tls_conn_take_output(from, buf, sizeof buf);
    if (!n) return;
    assert_int_equal(tls_conn_feed(to, buf, n), 0);
    if (!t) return;
    assert_true(t->n + n <= sizeof t->bytes && t->nchunks < 64);
    memcpy(t->bytes + t->n, buf, n);
    t->chunk[t->nchunks].off = t->n;
    t->chunk[t->nchunks].len = n;
    t->chunk[t->nchunks++].from_client = from_client;
    t->n += n;
}

/* The handshake between car c and charger s: 1 both done, or the first failure (<0) of either. */
static int handshake(tls_conn *c, tls_conn *s, transcript *t)
{
    for (int i = 0; i < 20; i++) {
        int rc = tls_conn_handshake(c);
        move(c, s, 1, t);
        int rs = tls_conn_handshake(s);
        move(s, c, 0, t);
        if (rc < 0 || rs < 0) {
            move(c, s, 1, t);   /* the alert */
            return rc < 0 ? rc : rs;
        }
        if (rc == 1 && rs == 1) return 1;
    }
    return 0;
}

static tls_ctx *ctx(int server, const char *cert, const char *key, const char *ca, const char *keylog, uint16_t min,
                    uint16_t max)
{
    tls_config cfg = { .server = server, .cert = cert, .key = key, .ca = ca, .keylog = keylog, .min_version = min,
                       .max_version = max };
    tls_ctx *t;
    char err[320];
    int rc = tls_ctx_new(&cfg, &t, err, sizeof err);
    if (rc) print_error("%s\n", err);
    assert_int_equal(rc, 0);
    return t;
}

/* The transcript's records opened with the key log k: the application data each side sent (out[1]: the car's,
 * out[0]: the charger's); the last record's result. */
static int replay(const transcript *t, const tls_keylog *k, uint8_t out[2][256], size_t n[2], tls_dec **keep)
{
    tls_dec *d = tls_dec_new(k);
    uint8_t plain[TLS_RECORD_MAX];
    int rc = 0;
    assert_non_null(d);
    n[0] = n[1] = 0;
    for (size_t i = 0; i < t->nchunks; i++) {
        const uint8_t *b = t->bytes + t->chunk[i].off;
        int fc = t->chunk[i].from_client;
        for (size_t off = 0; off + 5 <= t->chunk[i].len;) {
            size_t len = 5 + ((size_t)b[off + 3] << 8 | b[off + 4]);
            assert_true(off + len <= t->chunk[i].len);   /* OpenSSL writes whole records */
            rc = tls_dec_record(d, fc, b + off, len, plain, sizeof plain);
            if (rc > 0) {
                assert_true(n[fc] + (size_t)rc <= 256);
                memcpy(out[fc] + n[fc], plain, (size_t)rc);
                n[fc] += (size_t)rc;
            }
            off += len;
        }
    }
    if (keep) *keep = d;
    else tls_dec_free(d);
    return rc;
}

/* A session on TLS version v between a car and a charger of PKI p: the handshake, V2GTP both ways, the
 * version and suite; then every record of the transcript opened with the key log the car wrote (NSS format),
 * and a record changed on the way refused. */
static void session(const char *p, uint16_t v, int mutual, const char *suite)
{
    char root[64], cert[64], key[64], car[64], carkey[64], keylog[128];
    snprintf(root, sizeof root, "%s_root.pem", p);
    snprintf(cert, sizeof cert, "%s_secc.pem", p);
    snprintf(key, sizeof key, "%s_secc.key", p);
    snprintf(car, sizeof car, "%s_car.pem", p);
    snprintf(carkey, sizeof carkey, "%s_car.key", p);
    snprintf(keylog, sizeof keylog, "%s", pki_path(v == TLS_V13 ? "keys13" : "keys12"));
    unlink(keylog);
    tls_ctx *sc = ctx(1, pki_path(cert), pki_path(key), v == TLS_V13 ? pki_path(root) : NULL, NULL, TLS_V12, v);
    tls_ctx *cc = ctx(0, mutual ? pki_path(car) : NULL, mutual ? pki_path(carkey) : NULL, pki_path(root), keylog, v, v);
    tls_conn *c, *s;
    assert_int_equal(tls_conn_new(cc, &c), 0);
    assert_int_equal(tls_conn_new(sc, &s), 0);
    static transcript t;
    memset(&t, 0, sizeof t);
    assert_int_equal(handshake(c, s, &t), 1);
    assert_int_equal(tls_conn_version(c), v);
    assert_int_equal(tls_conn_version(s), v);
    assert_non_null(strstr(tls_conn_describe(c), suite));
    assert_non_null(strstr(tls_conn_describe(c), "_secc"));   /* the car names the charger's certificate */
    if (mutual) assert_non_null(strstr(tls_conn_describe(s), "CN=p521_car"));
    static const uint8_t req[] = { 0x01, 0xfe, 0x80, 0x01, 0, 0, 0, 3, 'a', 'b', 'c' };
    static const uint8_t res[] = { 0x01, 0xfe, 0x80, 0x01, 0, 0, 0, 2, 'd', 'e' };
    uint8_t got[64];
    assert_int_equal(tls_conn_read(s, got, sizeof got), CCS_EAGAIN);
    assert_int_equal(tls_conn_write(c, req, sizeof req), 0);
    move(c, s, 1, &t);
    assert_int_equal(tls_conn_read(s, got, sizeof got), sizeof req);
    assert_memory_equal(got, req, sizeof req);
    assert_int_equal(tls_conn_write(s, res, sizeof res), 0);
    move(s, c, 0, &t);
    assert_int_equal(tls_conn_read(c, got, sizeof got), sizeof res);
    assert_memory_equal(got, res, sizeof res);
    assert_int_equal(tls_conn_write(c, req, sizeof req), 0);   /* once more: the sequence numbers advance */
    move(c, s, 1, &t);
    assert_int_equal(tls_conn_read(s, got, sizeof got), sizeof req);

    struct stat st;   /* the secrets are the owner's only */
    assert_int_equal(stat(keylog, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
    tls_keylog *k;
    char err[200];
    assert_int_equal(tls_keylog_load(keylog, &k, err, sizeof err), 0);
    assert_int_equal(tls_keylog_count(k), v == TLS_V13 ? 5u : 1u);   /* 1.3: 4 traffic + exporter secrets */
    uint8_t out[2][256];
    size_t n[2];
    tls_dec *d;
    assert_int_equal(replay(&t, k, out, n, &d), sizeof req);
    assert_non_null(strstr(tls_dec_describe(d), v == TLS_V13 ? "TLSv1.3" : "TLSv1.2 0xc023"));
    tls_dec_free(d);
    assert_int_equal(n[1], 2 * sizeof req);
    assert_memory_equal(out[1], req, sizeof req);
    assert_memory_equal(out[1] + sizeof req, req, sizeof req);
    assert_int_equal(n[0], sizeof res);
    assert_memory_equal(out[0], res, sizeof res);
    t.bytes[t.n - 20] ^= 1;   /* in the car's last record */
    assert_int_equal(replay(&t, k, out, n, NULL), CCS_EPROTO);
    tls_keylog_free(k);
    /* a key log without this connection's secrets */
    assert_int_equal(tls_keylog_parse("", 0, &k, err, sizeof err), 0);
    t.bytes[t.n - 20] ^= 1;
    assert_int_equal(replay(&t, k, out, n, NULL), CCS_ENOTFOUND);
    tls_keylog_free(k);
    tls_conn_free(c);
    tls_conn_free(s);
    tls_ctx_free(cc);
    tls_ctx_free(sc);
}

static void test_tls12(void **state)
{
    (void)state;
    session("p256", TLS_V12, 0, "TLSv1.2 ECDHE-ECDSA-AES128-SHA256");
}

static void test_tls13_mutual(void **state)
{
    (void)state;
    session("p521", TLS_V13, 1, "TLSv1.3 TLS_AES_256_GCM_SHA384");
}

/* A car that trusts another root refuses the charger's certificate: the handshake fails with the reason. */
static void test_wrong_root(void **state)
{
    (void)state;
    tls_ctx *sc = ctx(1, pki_path("p256_secc.pem"), pki_path("p256_secc.key"), NULL, NULL, TLS_V12, TLS_V12);
    tls_ctx *cc = ctx(0, NULL, NULL, pki_path("p256_other.pem"), NULL, TLS_V12, TLS_V12);
    tls_conn *c, *s;
    assert_int_equal(tls_conn_new(cc, &c), 0);
    assert_int_equal(tls_conn_new(sc, &s), 0);
    assert_int_equal(handshake(c, s, NULL), CCS_EPROTO);
    assert_non_null(strstr(tls_conn_error(c), "unable to get local issuer certificate"));
    assert_int_equal(tls_conn_version(c), 0);
    tls_conn_free(c), tls_conn_free(s), tls_ctx_free(cc), tls_ctx_free(sc);
}

/* ISO 15118-20: a TLS 1.3 car without a certificate is refused by the charger (mutual authentication). */
static void test_tls13_needs_car_cert(void **state)
{
    (void)state;
    tls_ctx *sc = ctx(1, pki_path("p521_secc.pem"), pki_path("p521_secc.key"), pki_path("p521_root.pem"), NULL, TLS_V12, TLS_V13);
    tls_ctx *cc = ctx(0, NULL, NULL, pki_path("p521_root.pem"), NULL, TLS_V13, TLS_V13);
    tls_conn *c, *s;
    assert_int_equal(tls_conn_new(cc, &c), 0);
    assert_int_equal(tls_conn_new(sc, &s), 0);
    assert_int_equal(handshake(c, s, NULL), CCS_EPROTO);
    tls_conn_free(c), tls_conn_free(s), tls_ctx_free(cc), tls_ctx_free(sc);
}

/* Settings a context refuses, each with its reason. */
static void test_ctx_refusals(void **state)
{
    (void)state;
    struct { tls_config cfg; const char *why; } cases[] = {
        { { .server = 0, .min_version = TLS_V12, .max_version = TLS_V12 }, "V2G root" },
        { { .server = 1, .min_version = TLS_V12, .max_version = TLS_V12 }, "certificate and its key" },
        { { .server = 1, .cert = pki_path("p521_secc.pem"), .key = pki_path("p521_secc.key"), .min_version = TLS_V12,
            .max_version = TLS_V13 }, "roots" },
        { { .server = 1, .cert = pki_path("p256_secc.pem"), .key = pki_path("p521_secc.key"), .min_version = TLS_V12,
            .max_version = TLS_V12 }, "private key" },
        { { .server = 0, .ca = pki_path("missing.pem"), .min_version = TLS_V12, .max_version = TLS_V12 }, "roots" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tls_ctx *t = (tls_ctx *)1;
        char err[320];
        assert_int_equal(tls_ctx_new(&cases[i].cfg, &t, err, sizeof err), CCS_EINVAL);
        assert_null(t);
        if (!strstr(err, cases[i].why)) print_error("case %zu: %s\n", i, err);
        assert_non_null(strstr(err, cases[i].why));
    }
}

static void test_keylog_parse(void **state)
{
    (void)state;
    const char *cr = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    char text[512];
    snprintf(text, sizeof text, "# a comment\n\nCLIENT_RANDOM %s 0011\r\nCLIENT_RANDOM %s 2233\nOTHER %s ff\n", cr, cr, cr);
    tls_keylog *k;
    char err[200];
    assert_int_equal(tls_keylog_parse(text, strlen(text), &k, err, sizeof err), 0);
    assert_int_equal(tls_keylog_count(k), 3);
    uint8_t r[32], out[64];
    for (int i = 0; i < 32; i++) r[i] = (uint8_t)i;
    assert_int_equal(tls_keylog_find(k, "CLIENT_RANDOM", r, out, sizeof out), 2);
    assert_int_equal(out[0], 0x22);   /* the newest line wins */
    assert_int_equal(tls_keylog_find(k, "SERVER_TRAFFIC_SECRET_0", r, out, sizeof out), 0);
    r[0] = 1;
    assert_int_equal(tls_keylog_find(k, "CLIENT_RANDOM", r, out, sizeof out), 0);
    tls_keylog_free(k);
    const char *bad[] = { "CLIENT_RANDOM 0011 2233\n", "CLIENT_RANDOM\n", "X 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g 00\n",
                          "X 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f 001\n",
                          "X 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f 00 extra\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(tls_keylog_parse(bad[i], strlen(bad[i]), &k, err, sizeof err), CCS_ESYNTAX);
        assert_null(k);
        assert_non_null(strstr(err, "line 1"));
    }
}

/* Hostile records: short, lying lengths, garbage before a hello, application data without a handshake. */
static void test_dec_hostile(void **state)
{
    (void)state;
    tls_keylog *k;
    char err[64];
    assert_int_equal(tls_keylog_parse("", 0, &k, err, sizeof err), 0);
    tls_dec *d = tls_dec_new(k);
    uint8_t out[TLS_RECORD_MAX];
    static const uint8_t short_rec[] = { 22, 3, 3, 0 };
    static const uint8_t lying[] = { 22, 3, 3, 0, 9, 2, 0, 0 };
    static const uint8_t appdata[] = { 23, 3, 3, 0, 3, 1, 2, 3 };
    /* a ServerHello whose session id runs past the end */
    static const uint8_t sh[] = { 22, 3, 3, 0, 40, 2, 0, 0, 36, 3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 200, 0 };
    assert_int_equal(tls_dec_record(d, 1, short_rec, sizeof short_rec, out, sizeof out), CCS_ETRUNC);
    assert_int_equal(tls_dec_record(d, 1, lying, sizeof lying, out, sizeof out), CCS_EHEADER);
    assert_int_equal(tls_dec_record(d, 1, appdata, sizeof appdata, out, sizeof out), CCS_ESTATE);
    assert_int_equal(tls_dec_record(d, 0, sh, sizeof sh, out, sizeof out), CCS_ETRUNC);
    /* random records never crash and never give application data */
    srandom(7);
    uint8_t rec[600];
    for (int i = 0; i < 2000; i++) {
        size_t len = 5 + (size_t)(random() % 590);
        for (size_t j = 5; j < len; j++) rec[j] = (uint8_t)random();
        rec[0] = (uint8_t)(20 + random() % 4);
        rec[1] = 3, rec[2] = 3, rec[3] = (uint8_t)((len - 5) >> 8), rec[4] = (uint8_t)(len - 5);
        assert_true(tls_dec_record(d, (int)(random() & 1), rec, len, out, sizeof out) <= 0);
    }
    tls_dec_free(d);
    tls_keylog_free(k);
}

/* A TLS 1.2 hello record: type, 32-byte random (byte i = first + i), then a session id of 0 and the suite. */
static size_t hello12(uint8_t *rec, uint8_t type, uint8_t first, uint16_t suite)
{
    static const uint8_t head[] = { 22, 3, 3, 0, 42, 0, 0, 0, 38, 3, 3 };
    memcpy(rec, head, sizeof head);
    rec[5] = type;
    for (int i = 0; i < 32; i++) rec[11 + i] = (uint8_t)(first + i);
    rec[43] = 0;
    rec[44] = (uint8_t)(suite >> 8), rec[45] = (uint8_t)suite, rec[46] = 0;
    return 47;
}

/* A second ServerHello after the client's keys changed (found by fuzz_tls: it cleared the suite the client's
 * next record then used) is refused, and the decoder goes on with the suite it has. */
static void test_dec_second_server_hello(void **state)
{
    (void)state;
    tls_keylog *k;
    char err[64], log[300];
    snprintf(log, sizeof log, "CLIENT_RANDOM %s %s\n",
             "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
             "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    assert_int_equal(tls_keylog_parse(log, strlen(log), &k, err, sizeof err), 0);
    tls_dec *d = tls_dec_new(k);
    uint8_t rec[64], out[TLS_RECORD_MAX];
    static const uint8_t ccs[] = { 20, 3, 3, 0, 1, 1 };
    static const uint8_t appdata[] = { 23, 3, 3, 0, 32, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
    assert_int_equal(tls_dec_record(d, 1, rec, hello12(rec, 1, 0, 0), out, sizeof out), 0);
    assert_int_equal(tls_dec_record(d, 0, rec, hello12(rec, 2, 64, 0xC023), out, sizeof out), 0);
    assert_int_equal(tls_dec_record(d, 1, ccs, sizeof ccs, out, sizeof out), 0);
    assert_int_equal(tls_dec_record(d, 0, rec, hello12(rec, 2, 64, 0x0000), out, sizeof out), CCS_EPROTO);
    assert_non_null(strstr(tls_dec_describe(d), "TLSv1.2 0xc023"));
    assert_int_equal(tls_dec_record(d, 1, appdata, sizeof appdata, out, sizeof out), CCS_EPROTO);   /* bad MAC */
    tls_dec_free(d);
    tls_keylog_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tls12),          cmocka_unit_test(test_tls13_mutual),
        cmocka_unit_test(test_wrong_root),     cmocka_unit_test(test_tls13_needs_car_cert),
        cmocka_unit_test(test_ctx_refusals),   cmocka_unit_test(test_keylog_parse),
        cmocka_unit_test(test_dec_second_server_hello),
        cmocka_unit_test(test_dec_hostile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
