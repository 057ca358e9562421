/* Unit tests for the V2GTP listener's port (src/platform/llnet.c) on the loopback address: "any port" is a
 * random dynamic port (49152-65535, what SDP may announce), a port in use is replaced by another, and the
 * retries are bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/llnet.h"

static const uint8_t loopback[16] = { [15] = 1 };

/* A ccs_random_fn that gives the ports of a script, one per call (the last one again when it runs out). */
typedef struct {
    const uint16_t *ports;
    unsigned n, calls;
} script;

static int scripted(void *ctx, uint8_t *out, size_t len)
{
    script *s = ctx;
    uint16_t p = s->ports[s->calls < s->n ? s->calls : s->n - 1];
    s->calls++;
    uint16_t r = (uint16_t)(p - LLNET_DYNAMIC_FIRST);
    assert_int_equal(len, 2);
    out[0] = (uint8_t)(r >> 8);
    out[1] = (uint8_t)r;
    return 0;
}

/* A listener on any port, or skip where ::1 cannot be bound (no IPv6 here). */
static int listener(uint16_t *port)
{
    int fd;
    *port = 0;
    if (llnet_tcp_listen(0, loopback, port, &fd)) skip();
    return fd;
}

/* Linux's "any free port" is 32768-60999: over 200 listeners some would be below 49152 (all in range by
 * chance: (11848/28232)^200). */
static void any_port_is_dynamic(void **state)
{
    (void)state;
    int fds[200];
    for (unsigned i = 0; i < 200; i++) {
        uint16_t port;
        fds[i] = listener(&port);
        assert_true(port >= LLNET_DYNAMIC_FIRST);   /* and at most 65535: a uint16_t */
    }
    for (unsigned i = 0; i < 200; i++) close(fds[i]);
}

/* The random port is in use: the next random one is taken. */
static void port_in_use_is_replaced(void **state)
{
    (void)state;
    uint16_t busy, port;
    int held = listener(&busy);
    uint16_t free_port = (uint16_t)(busy == 65535 ? LLNET_DYNAMIC_FIRST : busy + 1u);
    const uint16_t ports[] = { busy, free_port };
    script s = { ports, 2, 0 };
    int fd;
    int rc = llnet_tcp_listen_dynamic(0, loopback, scripted, &s, &port, &fd);
    if (rc) skip();   /* free_port happened to be taken by another program */
    assert_int_equal(port, free_port);
    assert_int_equal(s.calls, 2);
    close(fd);
    close(held);
}

/* Every port tried is in use: CCS_EIO after LLNET_BIND_TRIES attempts, not an endless loop. */
static void retries_are_bounded(void **state)
{
    (void)state;
    uint16_t busy, port = 0;
    int held = listener(&busy);
    const uint16_t ports[] = { busy };
    script s = { ports, 1, 0 };
    int fd = -1;
    assert_int_equal(llnet_tcp_listen_dynamic(0, loopback, scripted, &s, &port, &fd), CCS_EIO);
    assert_int_equal(s.calls, LLNET_BIND_TRIES);
    assert_int_equal(fd, -1);
    close(held);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(any_port_is_dynamic),
        cmocka_unit_test(port_in_use_is_replaced),
        cmocka_unit_test(retries_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
