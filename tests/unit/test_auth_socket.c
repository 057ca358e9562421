/* The authorization backend's socket (--auth-socket, docs/pnc.md): a server started by the test on a unix socket in
 * its own directory (and one on 127.0.0.1) reads the request line — the eMAID and, per certificate below the root,
 * the OCPP hash data, compared with what `openssl ocsp -req_text` computes for the same certificates (the serial
 * without leading zeros: the contract's is 0a1b2c3d) — and answers;
 * the hooks say PENDING while it has not, ACCEPT for "Accepted", REJECT for another answer, a connection closed
 * without one, no server, an eMAID off the allow-list (never asked) or the timeout. Bad addresses are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/auth_backend.h"
#include "pki_mem.h"

#define EMAID "DEABCC12345678"

static ccs_pnc_cert chain[2];
static uint8_t *der[2];
static char want[1024];   /* the request line, from openssl ocsp */
static int server = -1;
static char addr[100];   /* fits sun_path */

/* "Issuer Name Hash", "Issuer Key Hash", "Serial Number" of `openssl ocsp -req_text` for cert issued by issuer,
 * lowercase, as " SHA256 <name> <key> <serial>" appended to want. */
static void openssl_hash_data(const char *cert, const char *issuer)
{
    char cmd[768], line[256], f[3][80] = { "", "", "" };
    static const char *const keys[] = { "Issuer Name Hash: ", "Issuer Key Hash: ", "Serial Number: " };
    snprintf(cmd, sizeof cmd, "openssl ocsp -sha256 -issuer '%s' -cert '%s' -no_nonce -req_text", pki_path(issuer),
             pki_path(cert));
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    while (fgets(line, sizeof line, p))
        for (int i = 0; i < 3; i++) {
            char *at = strstr(line, keys[i]);
            if (at) sscanf(at + strlen(keys[i]), "%79s", f[i]);
        }
    assert_int_equal(pclose(p), 0);
    for (int i = 0; i < 3; i++) {
        assert_true(f[i][0]);
        for (char *c = f[i]; *c; c++) *c = (char)tolower((unsigned char)*c);
    }
    const char *serial = f[2];   /* openssl prints whole bytes; OCPP's serialNumber has no leading zeros */
    while (serial[0] == '0' && serial[1]) serial++;
    size_t n = strlen(want);
    snprintf(want + n, sizeof want - n, " SHA256 %s %s %s", f[0], f[1], serial);
}

static int setup(void **state)
{
    (void)state;
    pki_dir_make("authsock");
    EVP_PKEY *k[3];
    X509 *x[3];
    pki_mo_contract(EMAID, 86400, k, x);
    ASN1_INTEGER_set(X509_get_serialNumber(x[2]), 0x0a1b2c3d);   /* a leading zero digit in whole bytes */
    assert_true(X509_sign(x[2], k[1], EVP_sha256()) > 0);
    pki_write_cert(pki_path("contract.pem"), "w", x[2]);
    pki_write_cert(pki_path("sub.pem"), "w", x[1]);
    pki_write_cert(pki_path("root.pem"), "w", x[0]);
    for (int i = 0; i < 2; i++) {
        der[i] = NULL;
        int n = i2d_X509(x[2 - i], &der[i]);
        assert_true(n > 0);
        chain[i] = (ccs_pnc_cert){ der[i], (size_t)n };
    }
    snprintf(want, sizeof want, "AUTHORIZE %s", EMAID);
    openssl_hash_data("contract.pem", "sub.pem");   /* the Sub-CA's issuer, the root, is not in the chain */
    strcat(want, "\n");
    for (int i = 0; i < 3; i++) X509_free(x[i]), EVP_PKEY_free(k[i]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) OPENSSL_free(der[i]);
    if (server >= 0) close(server);
    return pki_dir_remove();
}

/* The test's server: a unix socket in the test's directory (tcp: 127.0.0.1, a port the kernel picks). */
static void listen_on(int tcp)
{
    if (server >= 0) close(server);
    if (tcp) {
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t len = sizeof a;
        assert_true((server = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
        assert_int_equal(bind(server, (struct sockaddr *)&a, sizeof a), 0);
        assert_int_equal(getsockname(server, (struct sockaddr *)&a, &len), 0);
        snprintf(addr, sizeof addr, "127.0.0.1:%u", ntohs(a.sin_port));
    } else {
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        assert_true(strlen(pki_path("auth.sock")) < sizeof addr);
        snprintf(addr, sizeof addr, "%s", pki_path("auth.sock"));
        unlink(addr);
        memcpy(a.sun_path, addr, strlen(addr) + 1);
        assert_true((server = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
        assert_int_equal(bind(server, (struct sockaddr *)&a, sizeof a), 0);
    }
    assert_int_equal(listen(server, 4), 0);
}

/* The next connection (within 2 s), its request line read whole; -1 when nobody connected in 100 ms (quick). */
static int accept_request(int quick, char *line, size_t cap)
{
    struct pollfd p = { server, POLLIN, 0 };
    if (poll(&p, 1, quick ? 100 : 2000) != 1) return -1;
    int c = accept(server, NULL, NULL);
    assert_true(c >= 0);
    size_t n = 0;
    while (n < cap - 1 && (!n || line[n - 1] != '\n')) {
        struct pollfd q = { c, POLLIN, 0 };
        assert_int_equal(poll(&q, 1, 2000), 1);
        ssize_t k = read(c, line + n, cap - 1 - n);
        assert_true(k > 0);
        n += (size_t)k;
    }
    line[n] = 0;
    return c;
}

static auth_backend *open_backend(const char *allow, uint32_t timeout_ms)
{
    auth_backend *b;
    char err[256];
    assert_int_equal(auth_backend_open(allow, NULL, timeout_ms, &b, err, sizeof err), 0);
    assert_int_equal(auth_backend_socket(b, addr, err, sizeof err), 0);
    return b;
}

/* One contract asked about: the server answers reply (NULL: closes without a word); the final verdict. */
static ccs_pnc_auth ask(const char *reply)
{
    auth_backend *b = open_backend(NULL, 5000);
    assert_int_equal(auth_backend_authorize(b, chain, 2, EMAID, strlen(EMAID)), CCS_PNC_AUTH_PENDING);
    char line[1024];
    int c = accept_request(0, line, sizeof line);
    assert_true(c >= 0);
    assert_string_equal(line, want);
    assert_int_equal(auth_backend_poll(b), CCS_PNC_AUTH_PENDING);   /* nothing answered yet */
    if (reply) assert_int_equal(write(c, reply, strlen(reply)), (ssize_t)strlen(reply));
    close(c);
    ccs_pnc_auth a = CCS_PNC_AUTH_PENDING;
    for (int i = 0; i < 200 && a == CCS_PNC_AUTH_PENDING; i++) {
        a = auth_backend_poll(b);
        if (a == CCS_PNC_AUTH_PENDING) usleep(10 * 1000);
    }
    auth_backend_free(b);
    return a;
}

static void test_answers(void **state)
{
    (void)state;
    for (int tcp = 0; tcp < 2; tcp++) {
        listen_on(tcp);
        assert_int_equal(ask("Accepted\n"), CCS_PNC_AUTH_ACCEPT);
        assert_int_equal(ask("Accepted\r\n"), CCS_PNC_AUTH_ACCEPT);
        assert_int_equal(ask("Rejected\n"), CCS_PNC_AUTH_REJECT);
        assert_int_equal(ask("NoCredit\n"), CCS_PNC_AUTH_REJECT);
        assert_int_equal(ask("accepted\n"), CCS_PNC_AUTH_REJECT);
        assert_int_equal(ask("Accepted"), CCS_PNC_AUTH_REJECT);   /* no end of line, then closed */
        assert_int_equal(ask(NULL), CCS_PNC_AUTH_REJECT);
    }
}

/* No answer: PENDING until the timeout, then REJECT; no server: REJECT at once; off the list: never asked. */
static void test_timeout_and_nobody(void **state)
{
    (void)state;
    listen_on(0);
    auth_backend *b = open_backend(NULL, 150);
    assert_int_equal(auth_backend_authorize(b, chain, 2, EMAID, strlen(EMAID)), CCS_PNC_AUTH_PENDING);
    char line[1024];
    int c = accept_request(0, line, sizeof line);
    assert_true(c >= 0);
    assert_int_equal(auth_backend_poll(b), CCS_PNC_AUTH_PENDING);
    usleep(200 * 1000);
    assert_int_equal(auth_backend_poll(b), CCS_PNC_AUTH_REJECT);
    close(c);
    auth_backend_free(b);

    FILE *f = fopen(pki_path("allow.txt"), "w");
    assert_non_null(f);
    fputs("DEABCC00000001\n", f);
    fclose(f);
    b = open_backend(pki_path("allow.txt"), 5000);
    assert_int_equal(auth_backend_authorize(b, chain, 2, EMAID, strlen(EMAID)), CCS_PNC_AUTH_REJECT);
    assert_int_equal(accept_request(1, line, sizeof line), -1);   /* nobody asked */
    auth_backend_free(b);

    close(server);
    server = -1;
    unlink(addr);
    b = open_backend(NULL, 5000);
    assert_int_equal(auth_backend_authorize(b, chain, 2, EMAID, strlen(EMAID)), CCS_PNC_AUTH_REJECT);
    auth_backend_free(b);
}

static void test_addresses(void **state)
{
    (void)state;
    static const char *const good[] = { "/run/ccsplc/auth.sock", "127.0.0.1:9000", "[::1]:9000" };
    static const char *const bad[] = { "auth.sock", "localhost:9000", "127.0.0.1:0", "127.0.0.1:65536",
                                       "127.0.0.1:", "::1:9000", "[::1]9000", "[127.0.0.1]:9000", ":9000" };
    char err[256];
    auth_backend *b;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(auth_backend_open(NULL, NULL, 1000, &b, err, sizeof err), 0);
        assert_int_equal(auth_backend_socket(b, good[i], err, sizeof err), 0);
        auth_backend_free(b);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(auth_backend_open(NULL, NULL, 1000, &b, err, sizeof err), 0);
        assert_int_equal(auth_backend_socket(b, bad[i], err, sizeof err), CCS_EINVAL);
        assert_non_null(strstr(err, "HOST:PORT"));
        auth_backend_free(b);
    }
    assert_int_equal(auth_backend_open(NULL, "true", 1000, &b, err, sizeof err), 0);
    assert_int_equal(auth_backend_socket(b, "127.0.0.1:9000", err, sizeof err), CCS_EINVAL);   /* both: refused */
    auth_backend_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers),
        cmocka_unit_test(test_timeout_and_nobody),
        cmocka_unit_test(test_addresses),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
