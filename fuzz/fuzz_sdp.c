/* libFuzzer target: SDP request/response parsing, the server's answer (whatever it answers must parse as a
 * response carrying its own address and port) and the client taking a datagram while it waits. */
#include <string.h>

#include "ccsplc/core/sdp.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sdp_request req;
    sdp_response res;
    if (sdp_parse_request(data, size, &req) == 0)
        FUZZ_CHECK(size == SDP_REQ_LEN);
    if (sdp_parse_response(data, size, &res) == 0)
        FUZZ_CHECK(size == SDP_RES_LEN);

    static const sdp_server servers[] = {
        { { 0xfe, 0x80, [15] = 1 }, 15119, 0 }, { { 0xfe, 0x80, [15] = 2 }, 0, 15120 },
        { { 0xfe, 0x80, [15] = 3 }, 15119, 15120 }, { { 0xfe, 0x80, [15] = 4 }, 0, 0 },
    };
    for (size_t i = 0; i < sizeof servers / sizeof servers[0]; i++) {
        uint8_t out[SDP_RES_LEN];
        size_t n = 0;
        if (sdp_server_answer(&servers[i], data, size, out, sizeof out, &n) != 0)
            continue;
        FUZZ_CHECK(sdp_parse_response(out, n, &res) == 0);
        FUZZ_CHECK(memcmp(res.addr, servers[i].addr, IPV6_ADDR_LEN) == 0);
        FUZZ_CHECK(res.port == servers[i].tcp_port || res.port == servers[i].tls_port);
        FUZZ_CHECK(res.port != 0);
    }

    sdp_client c;
    FUZZ_CHECK(sdp_client_init(&c, SDP_SECURITY_NONE, SDP_TRANSPORT_TCP) == 0);
    FUZZ_CHECK(sdp_client_start(&c, 0) == SDP_ACT_SEND_REQUEST);
    sdp_action a = sdp_client_on_datagram(&c, data, size);
    FUZZ_CHECK(a == SDP_ACT_NONE || a == SDP_ACT_DONE);
    FUZZ_CHECK((a == SDP_ACT_DONE) == (c.state == SDP_CLIENT_DONE));
    return 0;
}
