/* Unit tests for the IPv6 link-local helpers: EUI-64 addresses seen in the captures, text form vs libc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/ipv6.h"
#include "testutil.h"

/* MAC and IPv6 source of SDP requests and responses in the captures (tshark -Y udp.port==15118 -T fields
 * -e eth.src -e ipv6.src). */
static const struct {
    const char *mac, *ip;
} seen[] = {
    {"98:ed:5c:b7:2a:40", "fe80::9aed:5cff:feb7:2a40"}, /* 2025-07-22 Model X, frame 56 */
    {"98:ed:5c:da:d9:98", "fe80::9aed:5cff:feda:d998"}, /* 2024-04-20 Model Y, frame 123 */
    {"04:65:65:00:64:c3", "fe80::665:65ff:fe00:64c3"},  /* 2023-05-24 Ioniq, frame 97 */
    {"e0:0e:e1:ff:d3:e2", "fe80::e20e:e1ff:feff:d3e2"}, /* spi_ioniq_alpiHYC150, frame 46 */
};

static void eui64_matches_captures(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof seen / sizeof seen[0]; i++) {
        uint8_t mac[6], want[16], got[16];
        assert_int_equal(tu_hex2bin(seen[i].mac, mac, sizeof mac), 6);
        assert_int_equal(inet_pton(AF_INET6, seen[i].ip, want), 1);
        ipv6_link_local_from_mac(mac, got);
        assert_memory_equal(got, want, 16);
        assert_true(ipv6_is_link_local(got));
        char text[IPV6_TEXT_MAX];
        assert_int_equal(ipv6_format(got, text, sizeof text), (int)strlen(seen[i].ip));
        assert_string_equal(text, seen[i].ip);
        uint8_t back[6];
        assert_int_equal(ipv6_mac_from_link_local(want, back), 0);
        assert_memory_equal(back, mac, 6);
    }
}

/* Addresses without the EUI-64 ff:fe (a stable-privacy identifier, a global address, ff02::1) give no MAC. */
static void no_mac_without_eui64(void **state)
{
    (void)state;
    static const char *const none[] = {"fe80::1c2b:3aff:fd4e:5f60", "2001:db8::9aed:5cff:feb7:2a40", "ff02::1"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        uint8_t a[16], mac[6];
        assert_int_equal(inet_pton(AF_INET6, none[i], a), 1);
        assert_int_equal(ipv6_mac_from_link_local(a, mac), CCS_ENOTFOUND);
    }
}

static void link_local_is_fe80_slash_10(void **state)
{
    (void)state;
    uint8_t a[16] = {0};
    for (int b1 = 0; b1 < 256; b1++) {
        a[0] = 0xfe;
        a[1] = (uint8_t)b1;
        assert_int_equal(ipv6_is_link_local(a), b1 >= 0x80 && b1 <= 0xbf);
        a[0] = 0xff; /* ff02::1 and friends are multicast, not link-local unicast */
        assert_false(ipv6_is_link_local(a));
    }
    assert_false(ipv6_is_link_local(ipv6_all_nodes));
    uint8_t ff02_1[16];
    assert_int_equal(inet_pton(AF_INET6, "ff02::1", ff02_1), 1);
    assert_memory_equal(ipv6_all_nodes, ff02_1, 16);
}

static unsigned rng = 7;
static unsigned next_rand(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 16;
}

/* Random addresses rich in zero groups; libc's inet_ntop/inet_pton are the reference (RFC 5952). */
static void format_and_parse_agree_with_libc(void **state)
{
    (void)state;
    for (int iter = 0; iter < 20000; iter++) {
        uint8_t a[16];
        for (int g = 0; g < 8; g++) {
            unsigned v = next_rand() % 3 ? 0 : next_rand() & (next_rand() % 2 ? 0xffff : 0x00ff);
            a[2 * g] = (uint8_t)(v >> 8);
            a[2 * g + 1] = (uint8_t)v;
        }
        char want[INET6_ADDRSTRLEN], got[IPV6_TEXT_MAX];
        assert_non_null(inet_ntop(AF_INET6, a, want, sizeof want));
        uint8_t back[16];
        if (strchr(want, '.')) continue; /* libc writes IPv4-mapped/compatible forms dotted; we do not */
        assert_int_equal(ipv6_format(a, got, sizeof got), (int)strlen(want));
        assert_string_equal(got, want);
        assert_int_equal(ipv6_parse(got, strlen(got), back), 0);
        assert_memory_equal(back, a, 16);
    }
}

static void parse_accepts_and_rejects_like_libc(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "::", "::1", "1::", "fe80::1", "FE80::ABCD:1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
        "0001:0002::0003", "fe80:0:0:0:9aed:5cff:feb7:2a40", "", ":", ":::", "1:::2", "1::2::3", "1:2",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "12345::", "1:", ":1", "g::1", "1: :2",
        "1::2:", "::ffff", "ffff::ffff:ffff:ffff:ffff:ffff:ffff", "1:2:3:4::5:6:7:8",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t want[16], got[16];
        int ok = inet_pton(AF_INET6, cases[i], want) == 1;
        int rc = ipv6_parse(cases[i], strlen(cases[i]), got);
        assert_int_equal(rc, ok ? 0 : CCS_ESYNTAX);
        if (ok) assert_memory_equal(got, want, 16);
    }
    /* Only len characters are read: the zone of "fe80::1%eth0" is the caller's business. */
    uint8_t a[16], b[16];
    assert_int_equal(ipv6_parse("fe80::1%eth0", 7, a), 0);
    assert_int_equal(inet_pton(AF_INET6, "fe80::1", b), 1);
    assert_memory_equal(a, b, 16);
    assert_int_equal(ipv6_parse("fe80::1%eth0", 12, a), CCS_ESYNTAX);
}

static void format_reports_short_buffer(void **state)
{
    (void)state;
    uint8_t a[16];
    memset(a, 0xab, sizeof a);
    char text[IPV6_TEXT_MAX];
    assert_int_equal(ipv6_format(a, text, sizeof text), IPV6_TEXT_MAX - 1);
    assert_string_equal(text, "abab:abab:abab:abab:abab:abab:abab:abab");
    assert_int_equal(ipv6_format(a, text, IPV6_TEXT_MAX - 1), CCS_ENOSPC);
    assert_int_equal(ipv6_format(ipv6_all_nodes, text, 8), 7);
    assert_int_equal(ipv6_format(ipv6_all_nodes, text, 7), CCS_ENOSPC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eui64_matches_captures),
        cmocka_unit_test(no_mac_without_eui64),
        cmocka_unit_test(link_local_is_fe80_slash_10),
        cmocka_unit_test(format_and_parse_agree_with_libc),
        cmocka_unit_test(parse_accepts_and_rejects_like_libc),
        cmocka_unit_test(format_reports_short_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
