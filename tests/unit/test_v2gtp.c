/* Unit tests for the V2GTP header (pack, parse, every malformed variant) and the stream reassembler. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/v2gtp.h"
#include "testutil.h"

/* The first seven TCP payloads of 2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng
 * (frames 61 71 73 79 82 88 91: tshark -Y 'tcp.len>0' -T fields -e tcp.payload), one V2GTP message each. */
static const char *const real_msgs[] = {
    ("01fe8001000000428000dbab9371d3234b71d1b981899189d191818991d26b9b3a232b30020000040801b75726e3a7465736c61"
     "3a64696e3a323031383a4d736744656600001c0100880"),
    "01fe80010000000480400040",
    "01fe800100000015809a02000000000000000011d01a63b572dca90000",
    "01fe800100000017809a02004080c1014181c211e0201d6968c0c0c0c0c080",
    "01fe80010000000e809a02004080c1014181c2119400",
    "01fe800100000013809a02004080c1014181c211a00120024100c4",
    "01fe800100000010809a02004080c1014181c211b2001280",
};
#define N_REAL (sizeof real_msgs / sizeof real_msgs[0])

static uint8_t stream[1024];
static size_t stream_len;
static size_t msg_off[N_REAL], msg_len[N_REAL];

static int load_stream(void **state)
{
    (void)state;
    stream_len = 0;
    for (size_t i = 0; i < N_REAL; i++) {
        long n = tu_hex2bin(real_msgs[i], stream + stream_len, sizeof stream - stream_len);
        if (n < 0) return -1;
        msg_off[i] = stream_len;
        msg_len[i] = (size_t)n;
        stream_len += (size_t)n;
    }
    return 0;
}

static void parses_real_headers(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_REAL; i++) {
        v2gtp_header h;
        assert_int_equal(v2gtp_parse_header(stream + msg_off[i], msg_len[i], 65536, &h), 0);
        assert_int_equal(h.payload_type, V2GTP_EXI);
        assert_int_equal(h.payload_len, msg_len[i] - V2GTP_HEADER_LEN);
        v2gtp_msg m;
        assert_int_equal(v2gtp_parse(stream + msg_off[i], msg_len[i], 65536, &m), 0);
        assert_ptr_equal(m.payload, stream + msg_off[i] + V2GTP_HEADER_LEN);
    }
    /* The first message announces 0x42 payload bytes (frame 61). */
    v2gtp_header h;
    assert_int_equal(v2gtp_parse_header(stream, stream_len, 65536, &h), 0);
    assert_int_equal(h.payload_len, 0x42);
}

static void packs_real_headers(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_REAL; i++) {
        uint8_t out[256];
        size_t len = 0;
        const uint8_t *src = stream + msg_off[i];
        uint32_t plen = (uint32_t)(msg_len[i] - V2GTP_HEADER_LEN);
        assert_int_equal(v2gtp_pack(V2GTP_EXI, src + V2GTP_HEADER_LEN, plen, out, sizeof out, &len), 0);
        assert_int_equal(len, msg_len[i]);
        assert_memory_equal(out, src, len);
        assert_int_equal(v2gtp_pack(V2GTP_EXI, src + V2GTP_HEADER_LEN, plen, out, len - 1, &len), CCS_ENOSPC);
    }
    uint8_t hdr[V2GTP_HEADER_LEN];
    assert_int_equal(v2gtp_pack_header(V2GTP_SDP_REQ, 2, hdr, sizeof hdr - 1), CCS_ENOSPC);
    assert_int_equal(v2gtp_pack_header(V2GTP_SDP_REQ, 2, hdr, sizeof hdr), 0);
    /* The SDP request header of the same capture, frame 56. */
    uint8_t want[V2GTP_HEADER_LEN];
    assert_int_equal(tu_hex2bin("01fe900000000002", want, sizeof want), V2GTP_HEADER_LEN);
    assert_memory_equal(hdr, want, sizeof want);
}

static void rejects_every_malformed_header(void **state)
{
    (void)state;
    const uint8_t good[V2GTP_HEADER_LEN] = {0x01, 0xfe, 0x80, 0x01, 0x00, 0x00, 0x00, 0x04};
    v2gtp_header h;
    for (size_t n = 0; n < V2GTP_HEADER_LEN; n++)
        assert_int_equal(v2gtp_parse_header(good, n, 100, &h), CCS_ETRUNC);
    uint8_t b[V2GTP_HEADER_LEN];
    for (int v = 0; v < 256; v++) {
        memcpy(b, good, sizeof b);
        b[0] = (uint8_t)v;
        assert_int_equal(v2gtp_parse_header(b, sizeof b, 100, &h), v == 0x01 ? 0 : CCS_EHEADER);
        memcpy(b, good, sizeof b);
        b[1] = (uint8_t)v;
        assert_int_equal(v2gtp_parse_header(b, sizeof b, 100, &h), v == 0xfe ? 0 : CCS_EHEADER);
    }
    /* Every payload type: only the ones ISO 15118-2/-20 define are accepted. */
    static const uint16_t known[] = {0x8001, 0x8002, 0x8003, 0x8004, 0x8005, 0x8006, 0x8101,
                                     0x8102, 0x8103, 0x8104, 0x9000, 0x9001, 0x9002, 0x9003};
    for (uint32_t t = 0; t <= 0xffff; t++) {
        int is_known = 0;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) is_known |= known[k] == t;
        memcpy(b, good, sizeof b);
        b[2] = (uint8_t)(t >> 8);
        b[3] = (uint8_t)t;
        assert_int_equal(v2gtp_parse_header(b, sizeof b, 100, &h), is_known ? 0 : CCS_EUNSUPP);
        assert_int_equal(v2gtp_known_type((uint16_t)t), is_known);
    }
    /* Length limit: max accepted, max + 1 and the largest 32-bit value refused. */
    memcpy(b, good, sizeof b);
    assert_int_equal(v2gtp_parse_header(b, sizeof b, 4, &h), 0);
    assert_int_equal(v2gtp_parse_header(b, sizeof b, 3, &h), CCS_ERANGE);
    memset(b + 4, 0xff, 4);
    assert_int_equal(v2gtp_parse_header(b, sizeof b, 0xfffffffe, &h), CCS_ERANGE);
    assert_int_equal(v2gtp_parse_header(b, sizeof b, 0xffffffff, &h), 0);
    assert_int_equal(h.payload_len, 0xffffffff);
}

static void datagram_length_must_match(void **state)
{
    (void)state;
    uint8_t b[16] = {0x01, 0xfe, 0x90, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00};
    v2gtp_msg m;
    assert_int_equal(v2gtp_parse(b, 10, 100, &m), 0);
    assert_int_equal(m.payload_len, 2);
    assert_int_equal(v2gtp_parse(b, 9, 100, &m), CCS_ETRUNC);
    assert_int_equal(v2gtp_parse(b, 11, 100, &m), CCS_EPROTO);
    assert_int_equal(v2gtp_parse(b, 10, 1, &m), CCS_ERANGE);
}

/* Feeds the whole stream in chunks from next_chunk and checks every real message comes out, in order. */
static void feed_and_check(size_t (*next_chunk)(void), size_t cap)
{
    uint8_t *buf = malloc(cap);
    v2gtp_reasm r;
    assert_int_equal(v2gtp_reasm_init(&r, buf, cap, (uint32_t)(cap - V2GTP_HEADER_LEN)), 0);
    size_t got = 0, pos = 0;
    while (pos < stream_len) {
        size_t chunk = next_chunk();
        if (chunk > stream_len - pos) chunk = stream_len - pos;
        const uint8_t *p = stream + pos;
        size_t left = chunk;
        pos += chunk;
        while (left > 0) {
            size_t used;
            v2gtp_msg m;
            int rc = v2gtp_reasm_push(&r, p, left, &used, &m);
            assert_true(used <= left);
            p += used;
            left -= used;
            if (rc == CCS_EAGAIN) {
                assert_int_equal(left, 0);
                continue;
            }
            assert_int_equal(rc, 0);
            assert_true(got < N_REAL);
            assert_int_equal(m.payload_type, V2GTP_EXI);
            assert_int_equal(m.payload_len + V2GTP_HEADER_LEN, msg_len[got]);
            assert_memory_equal(m.payload, stream + msg_off[got] + V2GTP_HEADER_LEN, m.payload_len);
            got++;
        }
    }
    assert_int_equal(got, N_REAL);
    assert_false(v2gtp_reasm_pending(&r));
    free(buf);
}

static size_t one(void) { return 1; }
static size_t whole(void) { return SIZE_MAX; }
static unsigned rng_state;
static size_t random_chunk(void)
{
    rng_state = rng_state * 1103515245u + 12345u; /* deterministic LCG */
    return 1 + (rng_state >> 16) % 40;
}

static void reassembles_byte_by_byte(void **state)
{
    (void)state;
    feed_and_check(one, 256);
}

static void reassembles_several_per_read(void **state)
{
    (void)state;
    feed_and_check(whole, 256);
}

static void reassembles_random_chunks(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 200; seed++) {
        rng_state = seed;
        feed_and_check(random_chunk, 256);
    }
}

static void whole_message_in_one_chunk_is_not_copied(void **state)
{
    (void)state;
    uint8_t buf[128];
    v2gtp_reasm r;
    assert_int_equal(v2gtp_reasm_init(&r, buf, sizeof buf, 120), 0);
    size_t used;
    v2gtp_msg m;
    assert_int_equal(v2gtp_reasm_push(&r, stream, stream_len, &used, &m), 0);
    assert_int_equal(used, msg_len[0]);
    assert_ptr_equal(m.payload, stream + V2GTP_HEADER_LEN);
}

static void errors_are_sticky_until_reset(void **state)
{
    (void)state;
    uint8_t buf[64];
    v2gtp_reasm r;
    assert_int_equal(v2gtp_reasm_init(&r, buf, sizeof buf, 57), CCS_EINVAL);
    assert_int_equal(v2gtp_reasm_init(&r, buf, sizeof buf, 56), 0);
    size_t used;
    v2gtp_msg m;
    /* A header split 3 + 5 bytes with a bad inverse version: the error shows once all 8 bytes are in. */
    const uint8_t bad[V2GTP_HEADER_LEN] = {0x01, 0xff, 0x80, 0x01, 0, 0, 0, 1};
    assert_int_equal(v2gtp_reasm_push(&r, bad, 3, &used, &m), CCS_EAGAIN);
    assert_true(v2gtp_reasm_pending(&r));
    assert_int_equal(v2gtp_reasm_push(&r, bad + 3, 5, &used, &m), CCS_EHEADER);
    assert_int_equal(v2gtp_reasm_push(&r, stream, stream_len, &used, &m), CCS_EHEADER);
    assert_int_equal(used, 0);
    v2gtp_reasm_reset(&r);
    assert_false(v2gtp_reasm_pending(&r));
    /* The first real message (74 bytes) is larger than this reassembler's 56-byte limit. */
    assert_int_equal(v2gtp_reasm_push(&r, stream, stream_len, &used, &m), CCS_ERANGE);
    v2gtp_reasm_reset(&r);
    assert_int_equal(v2gtp_reasm_push(&r, stream + msg_off[1], msg_len[1], &used, &m), 0);
    assert_int_equal(m.payload_len, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_real_headers),
        cmocka_unit_test(packs_real_headers),
        cmocka_unit_test(rejects_every_malformed_header),
        cmocka_unit_test(datagram_length_must_match),
        cmocka_unit_test(reassembles_byte_by_byte),
        cmocka_unit_test(reassembles_several_per_read),
        cmocka_unit_test(reassembles_random_chunks),
        cmocka_unit_test(whole_message_in_one_chunk_is_not_copied),
        cmocka_unit_test(errors_are_sticky_until_reset),
    };
    return cmocka_run_group_tests(tests, load_stream, NULL);
}
