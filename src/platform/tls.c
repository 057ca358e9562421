/* TLS for V2GTP with OpenSSL 3 over memory BIOs (include/ccsplc/linux/tls.h): the cipher suites, groups and
 * authentication ISO 15118-2 and ISO 15118-20 ask for, the NSS key log. */
#include "ccsplc/linux/tls.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"

/* ISO 15118-2 [V2G2-602]: TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256 and TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256.
 * OpenSSL 3 has no static-ECDH suites: the ECDHE one only. */
#define TLS12_CIPHERS "ECDHE-ECDSA-AES128-SHA256"
/* ISO 15118-20 [V2G20-2458] (Table 6): TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256. */
#define TLS13_SUITES "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
/* Key exchange: secp521r1 and X448 for ISO 15118-20, secp256r1 for ISO 15118-2 (the curve of its
 * certificates). The first is the one a client sends a key share for. */
#define TLS_GROUPS_13 "P-521:X448:P-256"
#define TLS_GROUPS_12 "P-256"

struct tls_ctx {
    SSL_CTX *ctx;
    FILE *keylog;
    int server, have_ca;
    uint16_t max_version;
};

struct tls_conn {
    SSL *ssl;
    BIO *in, *out;    /* raw bytes from the peer, to the peer (owned by ssl) */
    char err[256];
};

static void keylog_line(const SSL *ssl, const char *line)
{
    tls_ctx *t = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
    if (!t || !t->keylog) return;
    fprintf(t->keylog, "%s\n", line);
    fflush(t->keylog);   /* a reader (Wireshark, ccsplc decode) may use it while the session runs */
}

/* The server's request for the car's certificate, decided from the ClientHello: ISO 15118-20 [V2G20-2400] the
 * SECC requests the EVCC's certificate (TLS 1.3, mutual authentication); ISO 15118-2 has none (TLS 1.2). */
static int offers_tls13(SSL *s)
{
    const unsigned char *p;
    size_t len;
    if (!SSL_client_hello_get0_ext(s, TLSEXT_TYPE_supported_versions, &p, &len) || len < 1) return 0;
    size_t n = p[0];
    if (n + 1 > len) return 0;
    for (size_t i = 1; i + 1 < n + 1; i += 2)
        if (p[i] == 0x03 && p[i + 1] == 0x04) return 1;
    return 0;
}

static int on_client_hello(SSL *s, int *alert, void *arg)
{
    (void)alert;
    tls_ctx *t = arg;
    if (t->max_version >= TLS_V13 && offers_tls13(s))
        SSL_set_verify(s, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    return SSL_CLIENT_HELLO_SUCCESS;
}

static int fail(tls_ctx *t, char *err, size_t cap, const char *what, const char *file)
{
    unsigned long e = ERR_get_error();
    char why[160] = "";
    if (e) ERR_error_string_n(e, why, sizeof why);
    ERR_clear_error();
    snprintf(err, cap, "%s%s%s%s%s", what, file ? " " : "", file ? file : "", *why ? ": " : "", why);
    tls_ctx_free(t);
    return CCS_EINVAL;
}

static int version_of(uint16_t v) { return v == TLS_V13 ? TLS1_3_VERSION : TLS1_2_VERSION; }

int tls_ctx_new(const tls_config *cfg, tls_ctx **out, char *err, size_t errcap)
{
    tls_ctx *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t) return snprintf(err, errcap, "out of memory"), CCS_EIO;
    t->server = cfg->server;
    t->max_version = cfg->max_version;
    t->ctx = SSL_CTX_new(cfg->server ? TLS_server_method() : TLS_client_method());
    if (!t->ctx) return fail(t, err, errcap, "SSL_CTX_new", NULL);
    SSL_CTX_set_app_data(t->ctx, t);
    SSL_CTX *c = t->ctx;
    int v13 = cfg->max_version >= TLS_V13;
    /* No renegotiation, no tickets, no encrypt-then-MAC (RFC 7366 is not among the standard's choices: the
     * CBC suite of ISO 15118-2 MACs then encrypts, as `ccsplc decode --keylog` expects). */
    SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET | SSL_OP_NO_ENCRYPT_THEN_MAC);
    if (!SSL_CTX_set_min_proto_version(c, version_of(cfg->min_version)) ||
        !SSL_CTX_set_max_proto_version(c, version_of(cfg->max_version)) ||
        !SSL_CTX_set_cipher_list(c, TLS12_CIPHERS) || !SSL_CTX_set_ciphersuites(c, TLS13_SUITES) ||
        !SSL_CTX_set1_groups_list(c, v13 ? TLS_GROUPS_13 : TLS_GROUPS_12))
        return fail(t, err, errcap, "TLS settings", NULL);
    if (cfg->server) SSL_CTX_set_num_tickets(c, 0);
    if (cfg->cert && cfg->key) {
        if (SSL_CTX_use_certificate_chain_file(c, cfg->cert) != 1) return fail(t, err, errcap, "certificate", cfg->cert);
        if (SSL_CTX_use_PrivateKey_file(c, cfg->key, SSL_FILETYPE_PEM) != 1)
            return fail(t, err, errcap, "private key", cfg->key);
        if (SSL_CTX_check_private_key(c) != 1) return fail(t, err, errcap, "the key does not match", cfg->cert);
    } else if (cfg->server) {
        snprintf(err, errcap, "a TLS server needs a certificate and its key");
        tls_ctx_free(t);
        return CCS_EINVAL;
    }
    if (cfg->ca) {
        if (SSL_CTX_load_verify_locations(c, cfg->ca, NULL) != 1) return fail(t, err, errcap, "trusted roots", cfg->ca);
        t->have_ca = 1;
    }
    if (!cfg->server) {
        /* The car checks the charger's chain against its V2G root(s) (ISO 15118-2: TLS with server
         * authentication, the EVCC verifies the SECC's certificate chain); a car without roots could not. */
        if (!t->have_ca) {
            snprintf(err, errcap, "a TLS car needs its V2G root certificate(s) (tls ca)");
            tls_ctx_free(t);
            return CCS_EINVAL;
        }
        SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL);
    } else if (v13) {
        if (!t->have_ca) {
            snprintf(err, errcap, "TLS 1.3 (ISO 15118-20) authenticates the car: the charger needs the roots "
                                  "of cars' certificates (tls ca)");
            tls_ctx_free(t);
            return CCS_EINVAL;
        }
        SSL_CTX_set_client_hello_cb(c, on_client_hello, t);
    }
    if (cfg->keylog) {   /* secrets: a new file is readable by its owner only */
        int fd = open(cfg->keylog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        t->keylog = fd >= 0 ? fdopen(fd, "a") : NULL;
        if (!t->keylog) {
            if (fd >= 0) close(fd);
            return fail(t, err, errcap, "cannot open the key log", cfg->keylog);
        }
        SSL_CTX_set_keylog_callback(c, keylog_line);
    }
    *out = t;
    return 0;
}

void tls_ctx_free(tls_ctx *t)
{
    if (!t) return;
    if (t->keylog) fclose(t->keylog);
    SSL_CTX_free(t->ctx);
    free(t);
}

int tls_conn_new(tls_ctx *t, tls_conn **out)
{
    tls_conn *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c) return CCS_EIO;
    c->ssl = SSL_new(t->ctx);
    c->in = BIO_new(BIO_s_mem());
    c->out = BIO_new(BIO_s_mem());
    if (!c->ssl || !c->in || !c->out) {
        BIO_free(c->in);
        BIO_free(c->out);
        SSL_free(c->ssl);
        free(c);
        return CCS_EIO;
    }
    BIO_set_mem_eof_return(c->in, -1);   /* an empty input means "more to come", not the end */
    SSL_set_bio(c->ssl, c->in, c->out);
    if (t->server) SSL_set_accept_state(c->ssl);
    else SSL_set_connect_state(c->ssl);
    *out = c;
    if (!t->server) tls_conn_handshake(c);   /* the ClientHello */
    return 0;
}

void tls_conn_free(tls_conn *c)
{
    if (!c) return;
    SSL_free(c->ssl);
    free(c);
}

int tls_conn_feed(tls_conn *c, const uint8_t *buf, size_t len)
{
    return len > INT32_MAX || BIO_write(c->in, buf, (int)len) != (int)len ? CCS_EIO : 0;
}

/* The failure's reason: the certificate check's, else OpenSSL's. */
static int failed(tls_conn *c)
{
    long v = SSL_get_verify_result(c->ssl);
    unsigned long e = ERR_get_error();
    char why[160] = "connection closed";
    if (e) ERR_error_string_n(e, why, sizeof why);
    ERR_clear_error();
    if (v != X509_V_OK) snprintf(c->err, sizeof c->err, "certificate: %s (%s)", X509_verify_cert_error_string(v), why);
    else snprintf(c->err, sizeof c->err, "%s", why);
    return CCS_EPROTO;
}

int tls_conn_handshake(tls_conn *c)
{
    if (SSL_is_init_finished(c->ssl)) return 1;
    int rc = SSL_do_handshake(c->ssl);
    if (rc == 1) return 1;
    int e = SSL_get_error(c->ssl, rc);
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : failed(c);
}

ssize_t tls_conn_read(tls_conn *c, uint8_t *buf, size_t cap)
{
    int n = SSL_read(c->ssl, buf, cap > INT32_MAX ? INT32_MAX : (int)cap);
    if (n > 0) return n;
    int e = SSL_get_error(c->ssl, n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return CCS_EAGAIN;
    if (e == SSL_ERROR_ZERO_RETURN) return 0;
    return failed(c);
}

int tls_conn_write(tls_conn *c, const uint8_t *buf, size_t len)
{
    if (len > INT32_MAX) return CCS_EPROTO;
    size_t done;
    return SSL_write_ex(c->ssl, buf, len, &done) == 1 && done == len ? 0 : failed(c);
}

size_t tls_conn_take_output(tls_conn *c, uint8_t *buf, size_t cap)
{
    int n = BIO_read(c->out, buf, cap > INT32_MAX ? INT32_MAX : (int)cap);
    return n > 0 ? (size_t)n : 0;
}

const char *tls_conn_error(tls_conn *c) { return c->err[0] ? c->err : "unknown"; }

uint16_t tls_conn_version(const tls_conn *c)
{
    if (!SSL_is_init_finished(c->ssl)) return 0;
    return SSL_version(c->ssl) == TLS1_3_VERSION ? TLS_V13 : TLS_V12;
}

const char *tls_conn_describe(tls_conn *c)
{
    static char text[320];
    char cn[128] = "none";
    X509 *peer = SSL_get1_peer_certificate(c->ssl);
    if (peer) {
        if (X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn) < 0)
            snprintf(cn, sizeof cn, "?");
        X509_free(peer);
    }
    const char *group = SSL_group_to_name(c->ssl, SSL_get_negotiated_group(c->ssl));
    snprintf(text, sizeof text, "%s %s, key exchange %s, peer certificate CN=%s", SSL_get_version(c->ssl),
             SSL_get_cipher_name(c->ssl), group ? group : "?", cn);
    return text;
}
