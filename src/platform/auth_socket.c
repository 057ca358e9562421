/* The authorization backend's socket client (auth_int.h): the request line with the contract chain's OCPP hash
 * data, a non-blocking connection to a unix socket or a numeric HOST:PORT, and the answer line read as it comes. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "auth_int.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"

/* addr as a socket address: 0, or -1 when it is neither form. */
static int parse(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    if (strchr(addr, '/')) {
        struct sockaddr_un *u = (struct sockaddr_un *)ss;
        if (strlen(addr) >= sizeof u->sun_path) return -1;
        u->sun_family = AF_UNIX;
        memcpy(u->sun_path, addr, strlen(addr) + 1);
        *len = sizeof *u;
        return 0;
    }
    const char *colon = strrchr(addr, ':');
    char host[64], *end;
    if (!colon || !colon[1]) return -1;
    size_t from = addr[0] == '[', to = (size_t)(colon - addr) - from;   /* [IPv6]:PORT: the brackets dropped */
    if (from && (to < 1 || addr[from + to - 1] != ']')) return -1;
    to -= from;
    if (!to || to >= sizeof host) return -1;
    memcpy(host, addr + from, to);
    host[to] = 0;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535) return -1;
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (!from && inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof *v4;
        return 0;
    }
    if (from && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof *v6;
        return 0;
    }
    return -1;
}

int auth_sock_check(const char *addr, char *err, size_t errcap)
{
    struct sockaddr_storage ss;
    socklen_t len;
    if (!parse(addr, &ss, &len)) return 0;
    snprintf(err, errcap, "--auth-socket: a unix socket's path (with a '/') or HOST:PORT with a numeric host "
             "(127.0.0.1:9000, [::1]:9000), not %s", addr);
    return CCS_EINVAL;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
    out[2 * n] = 0;
}

/* " SHA256 <issuerNameHash> <issuerKeyHash> <serialNumber>" of x issued by issuer into out; 0 or -1. */
static int hash_data(X509 *x, X509 *issuer, char *out, size_t cap)
{
    const unsigned char *name = NULL;
    size_t nlen = 0;
    const ASN1_BIT_STRING *key = X509_get0_pubkey_bitstr(issuer);
    uint8_t nh[32], kh[32];
    char nhex[65], khex[65];
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    char *serial = bn ? BN_bn2hex(bn) : NULL;
    int ok = serial && key && X509_NAME_get0_der(X509_get_issuer_name(x), &name, &nlen) == 1 &&
             EVP_Digest(name, nlen, nh, NULL, EVP_sha256(), NULL) == 1 &&
             EVP_Digest(key->data, (size_t)key->length, kh, NULL, EVP_sha256(), NULL) == 1;
    for (char *c = serial; ok && *c; c++) *c = (char)(*c >= 'A' && *c <= 'F' ? *c - 'A' + 'a' : *c);
    const char *digits = serial;   /* BN_bn2hex writes whole bytes: OCPP's serialNumber has no leading zeros */
    while (ok && digits[0] == '0' && digits[1]) digits++;
    if (ok) {
        hex(nh, sizeof nh, nhex);
        hex(kh, sizeof kh, khex);
        int n = snprintf(out, cap, " SHA256 %s %s %s", nhex, khex, digits);
        ok = n > 0 && (size_t)n < cap;
    }
    OPENSSL_free(serial);
    BN_free(bn);
    return ok ? 0 : -1;
}

int auth_sock_request(const ccs_pnc_cert *chain, size_t n, const char *emaid, char *out, size_t cap)
{
    X509 *x[CCS_PNC_CHAIN_MAX] = { 0 };
    int rc = n && n <= CCS_PNC_CHAIN_MAX ? 0 : CCS_EINVAL;
    for (size_t i = 0; !rc && i < n; i++) {
        const unsigned char *p = chain[i].der;
        if (!(x[i] = d2i_X509(NULL, &p, (long)chain[i].len))) rc = CCS_EINVAL;
    }
    size_t len = rc ? 0 : (size_t)snprintf(out, cap, "AUTHORIZE %s", emaid);
    if (!rc && len >= cap) rc = CCS_ENOSPC;
    for (size_t i = 0; !rc && i + 1 < n; i++) {
        if (hash_data(x[i], x[i + 1], out + len, cap - len)) rc = CCS_ENOSPC;
        else len += strlen(out + len);
    }
    if (!rc && len + 2 > cap) rc = CCS_ENOSPC;
    if (!rc) memcpy(out + len, "\n", 2);
    for (size_t i = 0; i < n && i < CCS_PNC_CHAIN_MAX; i++) X509_free(x[i]);
    return rc;
}

int auth_sock_start(auth_sock *s, const char *addr, const char *line)
{
    struct sockaddr_storage ss;
    socklen_t len;
    s->fd = -1;
    s->olen = strlen(line);
    s->osent = s->ilen = 0;
    if (parse(addr, &ss, &len) || s->olen >= sizeof s->out) return CCS_EINVAL;
    memcpy(s->out, line, s->olen);
    s->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->fd < 0 || (connect(s->fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS)) {
        LOG_W("pnc: cannot reach the authorization socket %s: %s", addr, strerror(errno));
        auth_sock_close(s);
        return CCS_EIO;
    }
    return 0;
}

void auth_sock_close(auth_sock *s)
{
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
}

/* The connection given up: why, logged; REJECT. */
static ccs_pnc_auth give_up(auth_sock *s, const char *why)
{
    LOG_W("pnc: the authorization socket %s: contract rejected", why);
    auth_sock_close(s);
    return CCS_PNC_AUTH_REJECT;
}

/* The answer line (terminated at its '\n', a '\r' before it dropped): ACCEPT for "Accepted". */
static ccs_pnc_auth answer(auth_sock *s, char *nl)
{
    *nl = 0;
    if (nl > s->in && nl[-1] == '\r') nl[-1] = 0;
    for (char *c = s->in; *c; c++)
        if (*c < 0x20 || *c > 0x7e) *c = '?';
    int ok = !strcmp(s->in, "Accepted");
    LOG_I("pnc: the authorization socket answered %s", s->in);
    auth_sock_close(s);
    return ok ? CCS_PNC_AUTH_ACCEPT : CCS_PNC_AUTH_REJECT;
}

ccs_pnc_auth auth_sock_poll(auth_sock *s)
{
    if (s->fd < 0) return CCS_PNC_AUTH_REJECT;
    struct pollfd p = { s->fd, (short)(POLLIN | (s->osent < s->olen ? POLLOUT : 0)), 0 };
    if (poll(&p, 1, 0) <= 0) return CCS_PNC_AUTH_PENDING;
    if (p.revents & (POLLERR | POLLNVAL)) {
        int e = 0;
        socklen_t el = sizeof e;
        getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &el);
        return give_up(s, e ? strerror(e) : "failed");
    }
    if (s->osent < s->olen && (p.revents & POLLOUT)) {
        ssize_t k = send(s->fd, s->out + s->osent, s->olen - s->osent, MSG_NOSIGNAL);
        if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return give_up(s, strerror(errno));
        if (k > 0) s->osent += (size_t)k;
    }
    if (!(p.revents & (POLLIN | POLLHUP))) return CCS_PNC_AUTH_PENDING;
    ssize_t k = recv(s->fd, s->in + s->ilen, sizeof s->in - 1 - s->ilen, 0);
    if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return CCS_PNC_AUTH_PENDING;
    if (k <= 0) return give_up(s, k ? strerror(errno) : "closed without an answer");
    s->ilen += (size_t)k;
    char *nl = memchr(s->in, '\n', s->ilen);
    if (nl) return answer(s, nl);
    return s->ilen < sizeof s->in - 1 ? CCS_PNC_AUTH_PENDING : give_up(s, "answered a line too long");
}
