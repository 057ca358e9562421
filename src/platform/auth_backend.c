/* The charger's authorization backend (ccsplc/linux/auth_backend.h): the allow-list read at start, the operator's
 * command spawned with the contract's eMAID, serial and fingerprint and polled without waiting (waitpid WNOHANG),
 * killed with its process group at its timeout; or the operator's socket asked a line (auth_socket.c). */
#include "ccsplc/linux/auth_backend.h"

#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "auth_int.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/pnc_openssl.h"

#define EMAID_CAP 40u

struct auth_backend {
    char (*allow)[EMAID_CAP];   /* the allow-list; NULL: none */
    size_t nallow;
    int allow_all;              /* it holds "*" */
    char *cmd;                  /* NULL: none */
    char *sock_addr;            /* the socket asked instead (NULL: none) */
    auth_sock sock;             /* its request under way (fd -1: none) */
    uint32_t timeout_ms;
    pid_t pid;                  /* the command running, 0: none */
    uint64_t started_ms;
    char emaid[EMAID_CAP];      /* the contract asked about */
};

extern char **environ;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int load_allow(auth_backend *b, const char *file, char *err, size_t errcap)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(err, errcap, "cannot open the allow-list %s", file);
        return CCS_EINVAL;
    }
    char line[128];
    int rc = 0;
    for (unsigned no = 1; !rc && fgets(line, sizeof line, f); no++) {
        char *save = NULL, *id = strtok_r(line, " \t\r\n", &save);
        if (!id || id[0] == '#') continue;
        if (strtok_r(NULL, " \t\r\n", &save) || strlen(id) >= EMAID_CAP) {
            snprintf(err, errcap, "%s:%u: one eMAID (or *) a line", file, no);
            rc = CCS_EINVAL;
        } else if (!strcmp(id, "*")) {
            b->allow_all = 1;
        } else {
            char (*a)[EMAID_CAP] = realloc(b->allow, (b->nallow + 1) * sizeof *a);
            if (!a) rc = CCS_ENOSPC;
            else strcpy(a[b->nallow++], id), b->allow = a;
        }
    }
    fclose(f);
    if (!rc && !b->allow) b->allow = calloc(1, sizeof *b->allow);   /* an empty list: nobody */
    return rc ? rc : b->allow ? 0 : CCS_ENOSPC;
}

int auth_backend_open(const char *allow, const char *cmd, uint32_t timeout_ms, auth_backend **out, char *err,
                      size_t errcap)
{
    auth_backend *b = calloc(1, sizeof *b);
    if (!b) return CCS_ENOSPC;
    b->timeout_ms = timeout_ms;
    b->sock.fd = -1;
    int rc = allow ? load_allow(b, allow, err, errcap) : 0;
    if (!rc && cmd && !(b->cmd = strdup(cmd))) rc = CCS_ENOSPC;
    if (rc) {
        auth_backend_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

int auth_backend_socket(auth_backend *b, const char *addr, char *err, size_t errcap)
{
    if (b->cmd) {
        snprintf(err, errcap, "--auth-cmd and --auth-socket exclude each other");
        return CCS_EINVAL;
    }
    int rc = auth_sock_check(addr, err, errcap);
    if (!rc && !(b->sock_addr = strdup(addr))) rc = CCS_ENOSPC;
    return rc;
}

void auth_backend_attach(auth_backend *b, ccs_pnc_checker *k)
{
    k->authorize = auth_backend_authorize;
    k->authorize_poll = auth_backend_poll;
    k->auth_ctx = b;
}

/* The command still running: killed with what it started (its own process group), reaped; a socket request
 * dropped. */
static void cancel(auth_backend *b)
{
    auth_sock_close(&b->sock);
    if (!b->pid) return;
    kill(-b->pid, SIGKILL);
    waitpid(b->pid, NULL, 0);
    b->pid = 0;
}

void auth_backend_free(auth_backend *b)
{
    if (!b) return;
    cancel(b);
    free(b->allow);
    free(b->cmd);
    free(b->sock_addr);
    free(b);
}

/* The contract certificate's serial number and SHA-256 fingerprint, in hex ("" when it does not parse). */
static void cert_ids(const ccs_pnc_cert *c, char *serial, size_t scap, char fp[65])
{
    const unsigned char *p = c->der;
    X509 *x = d2i_X509(NULL, &p, (long)c->len);
    uint8_t md[32];
    unsigned mdlen = 0;
    BIGNUM *bn = x ? ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL) : NULL;
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    snprintf(serial, scap, "%s", hex ? hex : "");
    fp[0] = 0;
    if (x && X509_digest(x, EVP_sha256(), md, &mdlen) == 1)
        for (unsigned i = 0; i < mdlen && i < 32; i++) snprintf(fp + 2 * i, 3, "%02X", md[i]);
    OPENSSL_free(hex);
    BN_free(bn);
    X509_free(x);
}

/* The command, run by /bin/sh -c with $1 = the eMAID, $2 = the serial, $3 = the fingerprint (and the same in
 * CCSPLC_EMAID, CCSPLC_CONTRACT_SERIAL, CCSPLC_CONTRACT_SHA256); stdin /dev/null, stdout to our stderr. */
static int spawn(auth_backend *b, const char *serial, const char *fp)
{
    char e1[64], e2[160], e3[96];
    snprintf(e1, sizeof e1, "CCSPLC_EMAID=%s", b->emaid);
    snprintf(e2, sizeof e2, "CCSPLC_CONTRACT_SERIAL=%s", serial);
    snprintf(e3, sizeof e3, "CCSPLC_CONTRACT_SHA256=%s", fp);
    size_t n = 0;
    while (environ && environ[n]) n++;
    char **env = calloc(n + 4, sizeof *env);
    if (!env) return CCS_ENOSPC;
    memcpy(env, environ, n * sizeof *env);
    env[n] = e1, env[n + 1] = e2, env[n + 2] = e3;
    char *argv[] = { "/bin/sh", "-c", b->cmd, "ccsplc-auth", b->emaid, (char *)serial, (char *)fp, NULL };
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, 2, 1);
    int rc = posix_spawn(&b->pid, "/bin/sh", &fa, &attr, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    free(env);
    if (rc) {
        b->pid = 0;
        LOG_E("pnc: cannot run the authorization command: %s", strerror(rc));
        return CCS_EIO;
    }
    b->started_ms = now_ms();
    return 0;
}

/* The socket asked about the chain: 0, or the request could not start (logged). */
static int ask_socket(auth_backend *b, const ccs_pnc_cert *chain, size_t n)
{
    char line[AUTH_SOCK_LINE];
    if (auth_sock_request(chain, n, b->emaid, line, sizeof line)) {
        LOG_W("pnc: the contract chain gives no request for the authorization socket");
        return CCS_EINVAL;
    }
    if (auth_sock_start(&b->sock, b->sock_addr, line)) return CCS_EIO;
    b->started_ms = now_ms();
    LOG_I("pnc: asking the authorization socket %s about eMAID %s", b->sock_addr, b->emaid);
    return 0;
}

ccs_pnc_auth auth_backend_authorize(void *ctx, const ccs_pnc_cert *chain, size_t n, const char *emaid,
                                    size_t emaid_len)
{
    auth_backend *b = ctx;
    cancel(b);   /* a command of an earlier session */
    int ok = emaid_len > 0 && emaid_len < EMAID_CAP;
    for (size_t i = 0; ok && i < emaid_len; i++) ok = isalnum((unsigned char)emaid[i]) || emaid[i] == '-';
    if (!ok) return CCS_PNC_AUTH_REJECT;   /* only an eMAID's characters reach the list and the command */
    memcpy(b->emaid, emaid, emaid_len);
    b->emaid[emaid_len] = 0;
    int listed = !b->allow || b->allow_all;
    for (size_t i = 0; !listed && i < b->nallow; i++)
        listed = pnc_emaid_equal(b->allow[i], strlen(b->allow[i]), emaid, emaid_len);
    if (!listed) {
        LOG_W("pnc: eMAID %s is not on the allow-list: rejected", b->emaid);
        return CCS_PNC_AUTH_REJECT;
    }
    if (b->sock_addr) return ask_socket(b, chain, n) ? CCS_PNC_AUTH_REJECT : auth_backend_poll(b);
    if (!b->cmd) return CCS_PNC_AUTH_ACCEPT;
    char serial[128], fp[65];
    cert_ids(&chain[0], serial, sizeof serial, fp);
    if (spawn(b, serial, fp)) return CCS_PNC_AUTH_REJECT;
    LOG_I("pnc: asking the authorization command about eMAID %s (pid %d)", b->emaid, (int)b->pid);
    return auth_backend_poll(b);
}

ccs_pnc_auth auth_backend_poll(void *ctx)
{
    auth_backend *b = ctx;
    if (b->sock.fd >= 0) {
        ccs_pnc_auth a = auth_sock_poll(&b->sock);
        if (a != CCS_PNC_AUTH_PENDING || now_ms() - b->started_ms < b->timeout_ms) return a;
        LOG_W("pnc: the authorization socket took over %u ms: eMAID %s rejected", b->timeout_ms, b->emaid);
        auth_sock_close(&b->sock);
        return CCS_PNC_AUTH_REJECT;
    }
    if (!b->pid) return CCS_PNC_AUTH_REJECT;   /* nothing asked: nothing accepted */
    int st = 0;
    pid_t w = waitpid(b->pid, &st, WNOHANG);
    if (w == 0 && now_ms() - b->started_ms < b->timeout_ms) return CCS_PNC_AUTH_PENDING;
    if (w == 0) {
        LOG_W("pnc: the authorization command took over %u ms: eMAID %s rejected", b->timeout_ms, b->emaid);
        cancel(b);
        return CCS_PNC_AUTH_REJECT;
    }
    b->pid = 0;
    int accept = w > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    if (w > 0 && WIFEXITED(st) && WEXITSTATUS(st) > 1)
        LOG_W("pnc: the authorization command exited %d (0 accepts, 1 rejects)", WEXITSTATUS(st));
    LOG_I("pnc: the authorization command %s eMAID %s", accept ? "accepted" : "rejected", b->emaid);
    return accept ? CCS_PNC_AUTH_ACCEPT : CCS_PNC_AUTH_REJECT;
}
