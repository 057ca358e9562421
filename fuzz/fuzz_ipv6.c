/* libFuzzer target: Ethernet/IPv6/UDP/TCP frame parsing on hostile frames. Whatever parses must rebuild into a
 * frame that parses to the same addresses, ports, TCP fields and payload. */
#include <string.h>

#include "ccsplc/core/ipv6.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t again[70000];
    ipv6_frame f, g;
    const uint8_t *pl, *pl2;
    size_t n, n2, len;
    if (ipv6_frame_parse(data, size, &f, &pl, &n) != 0)
        return 0;
    FUZZ_CHECK(pl >= data && n <= size && (size_t)(pl - data) <= size - n);
    FUZZ_CHECK(f.proto == IPV6_PROTO_UDP || f.proto == IPV6_PROTO_TCP);
    if (ipv6_frame_build(&f, pl, n, again, sizeof again, &len) != 0)
        return 0;
    FUZZ_CHECK(ipv6_frame_parse(again, len, &g, &pl2, &n2) == 0);
    FUZZ_CHECK(n2 == n && memcmp(pl2, pl, n) == 0);
    FUZZ_CHECK(!memcmp(g.src, f.src, IPV6_ADDR_LEN) && !memcmp(g.dst, f.dst, IPV6_ADDR_LEN));
    FUZZ_CHECK(!memcmp(g.src_mac, f.src_mac, 6) && !memcmp(g.dst_mac, f.dst_mac, 6));
    FUZZ_CHECK(g.proto == f.proto && g.src_port == f.src_port && g.dst_port == f.dst_port);
    if (f.proto == IPV6_PROTO_TCP)
        FUZZ_CHECK(g.seq == f.seq && g.ack == f.ack && g.tcp_flags == f.tcp_flags && g.window == f.window);
    return 0;
}
