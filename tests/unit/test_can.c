/* The CAN backends (src/platform/can*.c): cannelloni's UDP packet format (mguentner/cannelloni
 * doc/udp_format.md) encoded and decoded, its bounds, and two endpoints over loopback UDP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/can.h"

/* Version 2, DATA (0), sequence 7, 2 frames: 0x102 with 8 bytes, then 0x7F0 with 1 byte (big-endian can_id). */
static const uint8_t packet[] = { 2, 0, 7, 0, 2,
                                  0, 0, 0x01, 0x02, 8, 0x02, 0x9A, 0x01, 0x73, 0x00, 0x81, 0x8F, 0x00,
                                  0, 0, 0x07, 0xF0, 1, 0x03 };

static void test_decode_encode(void **state)
{
    (void)state;
    cdm_frame f[4];
    size_t n, len;
    uint8_t out[64];
    assert_int_equal(ccs_cannelloni_decode(packet, sizeof packet, f, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(f[0].id, 0x102);
    assert_int_equal(f[0].len, 8);
    assert_int_equal(f[0].data[1], 0x9A);
    assert_int_equal(f[1].id, 0x7F0);
    assert_int_equal(f[1].len, 1);
    assert_int_equal(f[1].data[0], 3);
    assert_int_equal(ccs_cannelloni_encode(f, n, 7, out, sizeof out, &len), 0);
    assert_int_equal(len, sizeof packet);
    assert_memory_equal(out, packet, sizeof packet);
    assert_int_equal(ccs_cannelloni_encode(f, n, 7, out, 10, &len), CCS_ENOSPC);
}

static void test_decode_bounds(void **state)
{
    (void)state;
    cdm_frame f[4];
    size_t n;
    uint8_t p[sizeof packet];
    for (size_t cut = 0; cut < sizeof packet; cut++)   /* every cut-short packet */
        assert_int_not_equal(ccs_cannelloni_decode(packet, cut, f, 4, &n), 0);
    memcpy(p, packet, sizeof p);
    p[0] = 1;
    assert_int_equal(ccs_cannelloni_decode(p, sizeof p, f, 4, &n), CCS_EHEADER);
    assert_int_equal(ccs_cannelloni_decode(packet, sizeof packet, f, 1, &n), CCS_ECAP);
    memcpy(p, packet, sizeof p);
    p[9] = 9;   /* a classic frame longer than 8 */
    assert_int_equal(ccs_cannelloni_decode(p, sizeof p, f, 4, &n), CCS_ERANGE);
    /* an extended-identifier frame and a CAN FD frame are skipped, the classic one after them kept */
    static const uint8_t mixed[] = { 2, 0, 0, 0, 3, 0x80, 0, 0x01, 0x02, 1, 0xAA, 0, 0, 0x01, 0x09, 0x82, 0x00, 1, 2,
                                     0, 0, 0x01, 0x08, 0 };
    assert_int_equal(ccs_cannelloni_decode(mixed, sizeof mixed, f, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(f[0].id, 0x108);
}

static uint16_t port_of(const ccs_can *c)
{
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    getsockname(c->fd, (struct sockaddr *)&a, &l);
    return ntohs(a.sin_port);
}

static void test_udp_loopback(void **state)
{
    (void)state;
    ccs_can a, b;
    char spec[64];
    assert_int_equal(ccs_can_open(&a, "udp:0:127.0.0.1:9"), 0);
    snprintf(spec, sizeof spec, "udp:0:127.0.0.1:%u", port_of(&a));
    assert_int_equal(ccs_can_open(&b, spec), 0);
    cdm_frame f[2] = { { .id = 0x109, .len = 8, .data = { 1, 2, 3, 4, 5, 6, 7, 8 } }, { .id = 0x108, .len = 8 } }, g[4];
    size_t n = 0;
    assert_int_equal(ccs_can_send(&b, f, 2), 0);
    struct pollfd p = { .fd = a.fd, .events = POLLIN };
    assert_int_equal(poll(&p, 1, 5000), 1);
    assert_int_equal(ccs_can_recv(&a, g, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(g[0].id, 0x109);
    assert_memory_equal(g[0].data, f[0].data, 8);
    assert_int_equal(ccs_can_recv(&a, g, 4, &n), 0);   /* nothing more: not an error */
    assert_int_equal(n, 0);
    ccs_can_close(&a);
    ccs_can_close(&b);
    assert_int_equal(ccs_can_open(&a, "udp:70000:127.0.0.1:9"), -1);
    assert_int_equal(ccs_can_open(&a, "udp:127.0.0.1"), -1);
    assert_int_equal(ccs_can_open(&a, "nosuchcan9"), -1);   /* SocketCAN: no such interface */
    assert_int_equal(a.fd, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_encode),
        cmocka_unit_test(test_decode_bounds),
        cmocka_unit_test(test_udp_loopback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
