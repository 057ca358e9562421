/* Unit tests for SDP: real request/response datagrams from the captures, malformed input, client retries
 * and server answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/sdp.h"
#include "testutil.h"

/* UDP payloads on port 15118 (tshark -Y udp.port==15118 -T fields -e ipv6.src -e udp.payload). The TCP
 * server port each response names is the one the car then connected to (tshark -z conv,tcp). */
#define REQ_TLS "01fe9000000000020000"  /* Tesla Model X, 2025-07-22 frame 56 */
#define REQ_NONE "01fe9000000000021000" /* pyPLC as car, e.g. 2022-12-13 frame 209 */
static const struct {
    const char *hex, *src;
    uint16_t tcp_port;
} responses[] = {
    {"01fe900100000014fe80000000000000d62b03a3a2e9cf323b0e1000", "fe80::d62b:3a3:a2e9:cf32", 15118},  /* 2025-07-22 #57 */
    {"01fe900100000014fe80000000000000821f12fffee8e647c7ed1000", "fe80::821f:12ff:fee8:e647", 51181}, /* 2022-12-13 #211 */
    {"01fe900100000014fe8000000000000068799cfffe3a1358c7a61000", "fe80::6879:9cff:fe3a:1358", 51110}, /* 2022-12-20 #518 */
    {"01fe900100000014fe80000000000000de4427fffe1fd91b75301000", "fe80::de44:27ff:fe1f:d91b", 30000}, /* 2023-03-02 #553 */
    {"01fe900100000014fe80000000000000c69083f3fbcb980e3b0e1000", "fe80::c690:83f3:fbcb:980e", 15118}, /* 2023-05-24 #98 */
    {"01fe900100000014fe8000000000000050ad92fffe07328bc7a61000", "fe80::50ad:92ff:fe07:328b", 51110}, /* spi_ioniq #49 */
};
#define N_RES (sizeof responses / sizeof responses[0])

static size_t hex(const char *h, uint8_t *out, size_t cap)
{
    long n = tu_hex2bin(h, out, cap);
    assert_true(n >= 0);
    return (size_t)n;
}

static void parses_real_requests(void **state)
{
    (void)state;
    uint8_t b[32], out[32];
    size_t n = hex(REQ_TLS, b, sizeof b), len;
    sdp_request rq;
    assert_int_equal(sdp_parse_request(b, n, &rq), 0);
    assert_int_equal(rq.security, SDP_SECURITY_TLS);
    assert_int_equal(rq.transport, SDP_TRANSPORT_TCP);
    assert_int_equal(sdp_pack_request(&rq, out, sizeof out, &len), 0);
    assert_int_equal(len, SDP_REQ_LEN);
    assert_memory_equal(out, b, n);
    n = hex(REQ_NONE, b, sizeof b);
    assert_int_equal(sdp_parse_request(b, n, &rq), 0);
    assert_int_equal(rq.security, SDP_SECURITY_NONE);
    assert_int_equal(rq.transport, SDP_TRANSPORT_TCP);
    assert_int_equal(sdp_pack_request(&rq, out, sizeof out, &len), 0);
    assert_memory_equal(out, b, n);
    assert_int_equal(sdp_pack_request(&rq, out, SDP_REQ_LEN - 1, &len), CCS_ENOSPC);
}

static void parses_real_responses(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_RES; i++) {
        uint8_t b[64], out[64], addr[16];
        size_t n = hex(responses[i].hex, b, sizeof b), len;
        sdp_response rs;
        assert_int_equal(sdp_parse_response(b, n, &rs), 0);
        assert_int_equal(inet_pton(AF_INET6, responses[i].src, addr), 1);
        assert_memory_equal(rs.addr, addr, 16);
        assert_int_equal(rs.port, responses[i].tcp_port);
        assert_int_equal(rs.security, SDP_SECURITY_NONE);
        assert_int_equal(rs.transport, SDP_TRANSPORT_TCP);
        assert_int_equal(sdp_pack_response(&rs, out, sizeof out, &len), 0);
        assert_int_equal(len, SDP_RES_LEN);
        assert_memory_equal(out, b, n);
        assert_int_equal(sdp_pack_response(&rs, out, SDP_RES_LEN - 1, &len), CCS_ENOSPC);
        /* A response is not a request, and the other way round. */
        sdp_request rq;
        assert_int_equal(sdp_parse_request(b, n, &rq), CCS_EPROTO);
    }
    uint8_t b[16];
    size_t n = hex(REQ_NONE, b, sizeof b);
    sdp_response rs;
    assert_int_equal(sdp_parse_response(b, n, &rs), CCS_EPROTO);
}

static void rejects_malformed_datagrams(void **state)
{
    (void)state;
    uint8_t good[64], b[64];
    size_t n = hex(responses[0].hex, good, sizeof good);
    sdp_response rs;
    for (size_t cut = 0; cut < n; cut++) assert_int_equal(sdp_parse_response(good, cut, &rs), CCS_ETRUNC);
    memcpy(b, good, n);
    b[n] = 0;
    assert_int_equal(sdp_parse_response(b, n + 1, &rs), CCS_EPROTO); /* trailing byte */
    memcpy(b, good, n);
    b[7] = 21; /* payload length 21 instead of 20 */
    b[n] = 0;
    assert_int_equal(sdp_parse_response(b, n + 1, &rs), CCS_EPROTO);
    memcpy(b, good, n);
    b[1] = 0xff; /* inverse version */
    assert_int_equal(sdp_parse_response(b, n, &rs), CCS_EHEADER);
    /* Every security and transport byte value: only 0x00 and 0x10 are defined. */
    uint8_t rq_good[16];
    size_t rn = hex(REQ_NONE, rq_good, sizeof rq_good);
    for (int v = 0; v < 256; v++) {
        int want = v == 0x00 || v == 0x10 ? 0 : CCS_ERANGE;
        sdp_request rq;
        memcpy(b, rq_good, rn);
        b[8] = (uint8_t)v;
        assert_int_equal(sdp_parse_request(b, rn, &rq), want);
        memcpy(b, rq_good, rn);
        b[9] = (uint8_t)v;
        assert_int_equal(sdp_parse_request(b, rn, &rq), want);
        memcpy(b, good, n);
        b[26] = (uint8_t)v;
        assert_int_equal(sdp_parse_response(b, n, &rs), want);
        memcpy(b, good, n);
        b[27] = (uint8_t)v;
        assert_int_equal(sdp_parse_response(b, n, &rs), want);
    }
    sdp_request bad = {0x01, SDP_TRANSPORT_TCP};
    size_t len;
    assert_int_equal(sdp_pack_request(&bad, b, sizeof b, &len), CCS_ERANGE);
}

/* pyPLC as charger answered the Model X's TLS request with plain TCP on port 15118 (frames 56, 57): our
 * server with TLS off must send the same bytes. */
static void server_answers_tls_request_with_tcp_when_tls_off(void **state)
{
    (void)state;
    sdp_server s = {.tcp_port = 15118, .tls_port = 0};
    assert_int_equal(inet_pton(AF_INET6, "fe80::d62b:3a3:a2e9:cf32", s.addr), 1);
    uint8_t rq[16], want[64], out[64];
    size_t rn = hex(REQ_TLS, rq, sizeof rq), wn = hex(responses[0].hex, want, sizeof want), len = 0;
    assert_int_equal(sdp_server_answer(&s, rq, rn, out, sizeof out, &len), 0);
    assert_int_equal(len, wn);
    assert_memory_equal(out, want, wn);
    /* The same for a request without TLS (2023-05-24 frames 97, 98, pyPLC with another address). */
    assert_int_equal(inet_pton(AF_INET6, "fe80::c690:83f3:fbcb:980e", s.addr), 1);
    rn = hex(REQ_NONE, rq, sizeof rq);
    wn = hex(responses[4].hex, want, sizeof want);
    assert_int_equal(sdp_server_answer(&s, rq, rn, out, sizeof out, &len), 0);
    assert_memory_equal(out, want, wn);
    assert_int_equal(sdp_server_answer(&s, rq, rn, out, SDP_RES_LEN - 1, &len), CCS_ENOSPC);
    assert_int_equal(sdp_server_answer(&s, rq, rn - 1, out, sizeof out, &len), CCS_ETRUNC);
}

static void server_picks_port_by_security(void **state)
{
    (void)state;
    uint8_t tls_rq[16], none_rq[16], out[64];
    size_t tn = hex(REQ_TLS, tls_rq, sizeof tls_rq), nn = hex(REQ_NONE, none_rq, sizeof none_rq), len;
    const struct {
        uint16_t tcp, tls;
        const uint8_t *rq;
        size_t rn;
        uint16_t port;
        uint8_t security;
    } cases[] = {
        {50000, 50001, tls_rq, tn, 50001, SDP_SECURITY_TLS},  {50000, 50001, none_rq, nn, 50000, SDP_SECURITY_NONE},
        {0, 50001, none_rq, nn, 50001, SDP_SECURITY_TLS},     {0, 50001, tls_rq, tn, 50001, SDP_SECURITY_TLS},
        {50000, 0, tls_rq, tn, 50000, SDP_SECURITY_NONE},     {50000, 0, none_rq, nn, 50000, SDP_SECURITY_NONE},
    };
    sdp_server s;
    memcpy(s.addr, ipv6_all_nodes, 16);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s.tcp_port = cases[i].tcp;
        s.tls_port = cases[i].tls;
        assert_int_equal(sdp_server_answer(&s, cases[i].rq, cases[i].rn, out, sizeof out, &len), 0);
        sdp_response rs;
        assert_int_equal(sdp_parse_response(out, len, &rs), 0);
        assert_int_equal(rs.port, cases[i].port);
        assert_int_equal(rs.security, cases[i].security);
        assert_int_equal(rs.transport, SDP_TRANSPORT_TCP);
    }
    s.tcp_port = s.tls_port = 0;
    assert_int_equal(sdp_server_answer(&s, tls_rq, tn, out, sizeof out, &len), CCS_ESTATE);
}

static void client_retries_then_fails(void **state)
{
    (void)state;
    sdp_client c;
    assert_int_equal(sdp_client_init(&c, 0x20, SDP_TRANSPORT_TCP), CCS_ERANGE);
    assert_int_equal(sdp_client_init(&c, SDP_SECURITY_TLS, SDP_TRANSPORT_TCP), 0);
    uint8_t want[16];
    size_t wn = hex(REQ_TLS, want, sizeof want);
    assert_int_equal(c.tx_len, wn);
    assert_memory_equal(c.tx, want, wn);
    assert_int_equal(sdp_client_tick(&c, 0), SDP_ACT_NONE); /* not started */
    /* Start close to the 32-bit wrap of the millisecond clock. */
    uint32_t t = 0xffffff00u;
    assert_int_equal(sdp_client_start(&c, t), SDP_ACT_SEND_REQUEST);
    for (unsigned sent = 1; sent < SDP_MAX_REQUESTS; sent++) {
        assert_int_equal(c.sent, sent);
        assert_int_equal(sdp_client_tick(&c, t + SDP_TIMEOUT_MS - 1), SDP_ACT_NONE);
        t += SDP_TIMEOUT_MS;
        assert_int_equal(sdp_client_tick(&c, t), SDP_ACT_SEND_REQUEST);
    }
    assert_int_equal(c.sent, SDP_MAX_REQUESTS);
    assert_int_equal(sdp_client_tick(&c, t + SDP_TIMEOUT_MS - 1), SDP_ACT_NONE);
    assert_int_equal(sdp_client_tick(&c, t + SDP_TIMEOUT_MS), SDP_ACT_FAILED);
    assert_int_equal(c.state, SDP_CLIENT_FAILED);
    assert_int_equal(sdp_client_tick(&c, t + 10 * SDP_TIMEOUT_MS), SDP_ACT_NONE);
    uint8_t rs[64];
    size_t rn = hex(responses[0].hex, rs, sizeof rs);
    assert_int_equal(sdp_client_on_datagram(&c, rs, rn), SDP_ACT_NONE); /* too late */
}

static void client_takes_first_valid_response(void **state)
{
    (void)state;
    sdp_client c;
    assert_int_equal(sdp_client_init(&c, SDP_SECURITY_TLS, SDP_TRANSPORT_TCP), 0);
    uint8_t rs[64], rq[16];
    size_t rn = hex(responses[1].hex, rs, sizeof rs), qn = hex(REQ_TLS, rq, sizeof rq);
    assert_int_equal(sdp_client_on_datagram(&c, rs, rn), SDP_ACT_NONE); /* not started */
    assert_int_equal(sdp_client_start(&c, 1000), SDP_ACT_SEND_REQUEST);
    assert_int_equal(sdp_client_on_datagram(&c, rq, qn), SDP_ACT_NONE);     /* our own multicast echo */
    assert_int_equal(sdp_client_on_datagram(&c, rs, rn - 1), SDP_ACT_NONE); /* truncated */
    assert_int_equal(c.state, SDP_CLIENT_WAITING);
    assert_int_equal(sdp_client_on_datagram(&c, rs, rn), SDP_ACT_DONE);
    assert_int_equal(c.result.port, 51181); /* whatever port the SECC names */
    assert_int_equal(c.result.security, SDP_SECURITY_NONE);
    assert_int_equal(sdp_client_tick(&c, 1000 + SDP_TIMEOUT_MS), SDP_ACT_NONE);
    assert_int_equal(sdp_client_on_datagram(&c, rs, rn), SDP_ACT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_real_requests),
        cmocka_unit_test(parses_real_responses),
        cmocka_unit_test(rejects_malformed_datagrams),
        cmocka_unit_test(server_answers_tls_request_with_tcp_when_tls_off),
        cmocka_unit_test(server_picks_port_by_security),
        cmocka_unit_test(client_retries_then_fails),
        cmocka_unit_test(client_takes_first_valid_response),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
