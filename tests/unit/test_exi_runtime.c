/* The EXI runtime on hostile and edge-case input: truncation, capacities, ranges, output space, integers,
 * strings; messages are taken from the corpus and changed in ways whose expected outcome follows from EXI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/tools/exi_text.h"
#include "ccsplc/core/gen/din.h"
#include "ccsplc/core/gen/iso2.h"
#include "corpus.h"
#include "exi/bitstream.h"
#include "testutil.h"

/* Every prefix shorter than the message's own encoding must fail cleanly (never crash, never succeed). */
static void truncated_inputs_fail(void **state)
{
    (void)state;
    static const char *const files[] = {"corpus/app.tsv", "corpus/iso2.tsv", "corpus/iso20.tsv", "corpus/din.tsv"};
    size_t checked = 0;
    for (size_t fi = 0; fi < 4; fi++) {
        struct corpus_line *lines;
        size_t n;
        char *buf = corpus_load(tu_shared(files[fi]), &lines, &n);
        assert_non_null(buf);
        for (size_t i = 0; i < n && i < 300; i++) {
            const struct exi_proto *p = exi_proto_find(lines[i].proto);
            uint8_t in[8192], out[8192];
            long len = tu_hex2bin(lines[i].hex, in, sizeof in);
            void *doc = calloc(1, p->doc_size), *scratch = calloc(1, p->doc_size);
            size_t olen;
            assert_int_equal(exi_decode(p->codec, in, (size_t)len, doc), 0);
            assert_int_equal(exi_encode(p->codec, doc, out, sizeof out, &olen), 0);
            for (size_t k = 0; k < olen; k++) {
                uint8_t *copy = malloc(k ? k : 1); /* exact size, so ASan sees any overread */
                memcpy(copy, in, k);
                assert_true(exi_decode(p->codec, copy, k, scratch) < 0);
                free(copy);
                checked++;
            }
            /* Output space: every buffer smaller than needed is refused, never overrun. */
            for (size_t k = 0; k < olen; k += 3) {
                uint8_t *small = malloc(k ? k : 1);
                assert_int_equal(exi_encode(p->codec, doc, small, k, &olen), CCS_ENOSPC);
                free(small);
            }
            free(doc);
            free(scratch);
        }
        free(lines);
        free(buf);
    }
    assert_true(checked > 10000);
}

/* Bits of an encoding as a '0'/'1' string of exactly nbits (from an encoder run). */
static char *bits_of(const uint8_t *b, size_t nbytes)
{
    char *s = malloc(nbytes * 8 + 1);
    for (size_t i = 0; i < nbytes * 8; i++)
        s[i] = (char)('0' + ((b[i / 8] >> (7 - i % 8)) & 1));
    s[nbytes * 8] = 0;
    return s;
}

static size_t pack_bits(const char *s, uint8_t *out)
{
    size_t n = strlen(s);
    memset(out, 0, (n + 7) / 8);
    for (size_t i = 0; i < n; i++)
        if (s[i] == '1')
            out[i / 8] |= (uint8_t)(0x80 >> (i % 8));
    return (n + 7) / 8;
}

/* A DIN ServiceDiscoveryRes with k identical services, encoded; returns its bit string (trailing padding
 * stripped to the encoder's bit count). */
static char *services(struct din_exiDocument *doc, unsigned k, size_t *nbits)
{
    struct din_ServiceDiscoveryResType *res = &doc->V2G_Message.Body.ServiceDiscoveryRes;
    res->has_ServiceList = true;
    res->ServiceList.Service.count = (uint16_t)k;
    for (unsigned i = 0; i < k; i++) {
        res->ServiceList.Service.array[i].ServiceTag.ServiceID = 7;
        res->ServiceList.Service.array[i].ServiceTag.ServiceCategory = din_serviceCategoryType_Internet;
    }
    uint8_t out[1024];
    size_t len;
    assert_int_equal(din_encode(doc, out, sizeof out, &len), 0);
    char *b = bits_of(out, len);
    *nbits = strlen(b);
    return b;
}

/* More occurrences than the capacity (DIN Service, unbounded in the schema, 8 here) are refused with CCS_ECAP,
 * never truncated. The 9-service stream is built by repeating one service's bits, located by diffing the
 * encodings of 1 and 2 services. */
static void beyond_capacity_is_refused(void **state)
{
    (void)state;
    struct din_exiDocument *doc = calloc(1, sizeof *doc);
    assert_int_equal(corpus_decode_first("din.tsv", "din", "ServiceDiscoveryRes", NULL, doc), 0);
    size_t n1, n2, n7, n8;
    char *b1 = services(doc, 1, &n1), *b2 = services(doc, 2, &n2);
    char *b7 = services(doc, 7, &n7), *b8 = services(doc, 8, &n8);
    /* Find the service's bits: inserting b[k..k+d) again turns 1 service into 2 and 7 into 8 (up to the
     * final padding byte). */
    size_t d = 0, k = 0;
    char *tmp = malloc(n8 + 256);
    for (size_t dd = (n2 - n1) - 7; dd <= (n2 - n1) + 7 && !d; dd++)
        for (size_t kk = 8; kk + dd <= n1 && !d; kk++) {
            memcpy(tmp, b1, kk);
            memcpy(tmp + kk, b1 + kk, dd);
            strcpy(tmp + kk + dd, b1 + kk);
            if (strncmp(tmp, b2, n2 - 8))
                continue;
            memcpy(tmp, b7, kk);
            memcpy(tmp + kk, b7 + kk, dd);
            strcpy(tmp + kk + dd, b7 + kk);
            if (!strncmp(tmp, b8, n8 - 8))
                d = dd, k = kk;
        }
    assert_true(d > 0);
    /* Insert one more copy of the service's bits into the 8-service stream. */
    char *b9 = malloc(n8 + d + 1);
    memcpy(b9, b8, k);
    memcpy(b9 + k, b8 + k, d);
    strcpy(b9 + k + d, b8 + k);
    uint8_t s9[1024];
    size_t l9 = pack_bits(b9, s9);
    struct exi_error err;
    assert_int_equal(exi_decode_ex(&din_codec, s9, l9, doc, &err), CCS_ECAP);
    /* And the encoder refuses a count above the capacity. */
    doc->V2G_Message.Body.ServiceDiscoveryRes.ServiceList.Service.count = 9;
    uint8_t out[1024];
    size_t olen;
    assert_int_equal(din_encode(doc, out, sizeof out, &olen), CCS_EINVAL);
    free(b1); free(b2); free(b7); free(b8); free(b9); free(tmp); free(doc);
}

/* Values outside their type are refused by the encoder. */
static void encoder_checks_ranges(void **state)
{
    (void)state;
    struct din_exiDocument *doc = calloc(1, sizeof *doc);
    uint8_t out[256];
    size_t len;
    doc->root = DIN_ROOT_V2G_Message;
    doc->V2G_Message.Header.SessionID.len = 8;
    doc->V2G_Message.Body.BodyElement_choice = din_BodyType_SessionStopReq;
    assert_int_equal(din_encode(doc, out, sizeof out, &len), 0);
    doc->V2G_Message.Header.SessionID.len = 9; /* above maxLength 8 */
    assert_int_equal(din_encode(doc, out, sizeof out, &len), CCS_EINVAL);
    doc->V2G_Message.Header.SessionID.len = 8;
    doc->V2G_Message.Body.BodyElement_choice = din_BodyType_CurrentDemandReq;
    struct din_CurrentDemandReqType *r = &doc->V2G_Message.Body.CurrentDemandReq;
    r->DC_EVStatus.EVRESSSOC = 100;
    assert_int_equal(din_encode(doc, out, sizeof out, &len), 0);
    r->DC_EVStatus.EVRESSSOC = (int8_t)-1; /* below the n-bit range 0..100 */
    assert_int_equal(din_encode(doc, out, sizeof out, &len), CCS_ERANGE);
    r->DC_EVStatus.EVRESSSOC = 50;
    r->EVTargetVoltage.Multiplier = 4; /* Multiplier is -3..3 */
    assert_int_equal(din_encode(doc, out, sizeof out, &len), CCS_ERANGE);
    r->EVTargetVoltage.Multiplier = 0;
    r->DC_EVStatus.EVErrorCode = (enum din_DC_EVErrorCodeType)12; /* 12 literals */
    assert_int_equal(din_encode(doc, out, sizeof out, &len), CCS_ERANGE);
    doc->V2G_Message.Body.BodyElement_choice = 0;
    doc->V2G_Message.Body.BodyElement_choice = 200; /* no such alternative: Body is then empty */
    assert_int_equal(din_encode(doc, out, sizeof out, &len), 0);
    assert_int_equal(din_decode(out, len, doc), 0);
    assert_int_equal(doc->V2G_Message.Body.BodyElement_choice, 0);
    free(doc);
}

/* EXI Unsigned Integer: 7-bit groups; values beyond 64 bits are refused. */
static void unsigned_integers(void **state)
{
    (void)state;
    static const uint64_t values[] = {0, 1, 127, 128, 16383, 16384, UINT32_MAX, UINT64_MAX};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        uint8_t buf[16];
        struct exi_writer w = {buf, sizeof buf, 0, 0, 0};
        assert_int_equal(exi_write_uint(&w, values[i]), 0);
        size_t bits = exi_writer_pos(&w);
        assert_int_equal(exi_writer_flush(&w), 0);
        struct exi_reader r;
        exi_reader_init(&r, buf, (bits + 7) / 8, 0);
        uint64_t v;
        assert_int_equal(exi_read_uint(&r, &v), 0);
        assert_true(v == values[i]);
        assert_int_equal(exi_reader_pos(&r), bits);
    }
    uint8_t big[11];
    memset(big, 0xFF, 10);
    big[10] = 0x01; /* 11 groups: 71 bits */
    struct exi_reader r;
    exi_reader_init(&r, big, sizeof big, 0);
    uint64_t v;
    assert_int_equal(exi_read_uint(&r, &v), CCS_ERANGE);
    uint8_t two65[10] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}; /* 2^64 */
    exi_reader_init(&r, two65, sizeof two65, 0);
    assert_int_equal(exi_read_uint(&r, &v), CCS_ERANGE);
}

/* Integers at every 7-bit group boundary survive a round trip through the one-read/one-write paths for
 * small integers and the general path for the rest. */
static void integer_boundaries(void **state)
{
    (void)state;
    static const int16_t values[] = {0, 1, -1, 63, 64, 127, 128, -128, -129, 16383, 16384, -16384, -16385,
                                     32767, -32768};
    struct din_exiDocument *doc = calloc(1, sizeof *doc), *back = calloc(1, sizeof *back);
    doc->root = DIN_ROOT_V2G_Message;
    doc->V2G_Message.Header.SessionID.len = 8;
    doc->V2G_Message.Body.BodyElement_choice = din_BodyType_CurrentDemandReq;
    struct din_CurrentDemandReqType *r = &doc->V2G_Message.Body.CurrentDemandReq;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        r->EVTargetVoltage.Value = values[i];
        r->EVTargetCurrent.Value = (int16_t)-values[i / 2];
        uint8_t out[256];
        size_t len;
        assert_int_equal(din_encode(doc, out, sizeof out, &len), 0);
        assert_int_equal(din_decode(out, len, back), 0);
        const struct din_CurrentDemandReqType *b = &back->V2G_Message.Body.CurrentDemandReq;
        assert_int_equal(b->EVTargetVoltage.Value, values[i]);
        assert_int_equal(b->EVTargetCurrent.Value, (int16_t)-values[i / 2]);
    }
    free(doc);
    free(back);
}

/* Strings keep their code points (UTF-8 in C) through a round trip; a string-table hit is refused. */
static void strings_round_trip(void **state)
{
    (void)state;
    struct iso2_exiDocument *doc = calloc(1, sizeof *doc), *back = calloc(1, sizeof *back);
    doc->root = ISO2_ROOT_V2G_Message;
    doc->V2G_Message.Header.SessionID.len = 8;
    doc->V2G_Message.Body.BodyElement_choice = iso2_BodyType_SessionSetupRes;
    struct iso2_SessionSetupResType *r = &doc->V2G_Message.Body.SessionSetupRes;
    const char *id = "DE*Gr\xc3\xbc\xc3\x9f" "e*\xe2\x82\xac*\xf0\x9f\x94\x8c";
    r->EVSEID.len = (uint16_t)strlen(id);
    memcpy(r->EVSEID.chars, id, strlen(id) + 1);
    uint8_t out[256];
    size_t len;
    assert_int_equal(iso2_encode(doc, out, sizeof out, &len), 0);
    assert_int_equal(iso2_decode(out, len, back), 0);
    assert_string_equal(back->V2G_Message.Body.SessionSetupRes.EVSEID.chars, id);
    r->EVSEID.chars[2] = (char)0xC3; /* broken UTF-8 */
    assert_int_equal(iso2_encode(doc, out, sizeof out, &len), CCS_EINVAL);
    free(doc);
    free(back);
}

/* An ISO-2 PaymentDetailsReq of the corpus whose eMAID (maxLength 15: characters) is `ncp` code points: encoded
 * with 15 ASCII letters, then the letters' bits and the length before them (15 + 2, one 8-bit group) replaced
 * (EXI 7.1.10: a string is its length in characters + 2, then each character as an unsigned integer). The
 * letters start where the encodings with "AAA..." and "BBB..." differ, 6 bits into the first character's group
 * ('A' = 0 1000001, 'B' = 0 1000010). Returns the stream length in bytes. */
static size_t emaid_stream(const uint32_t *cps, size_t ncp, uint8_t *out, size_t cap)
{
    struct iso2_exiDocument *doc = calloc(1, sizeof *doc);
    assert_int_equal(corpus_decode_first("iso2.tsv", "iso2", "PaymentDetailsReq", NULL, doc), 0);
    struct iso2_PaymentDetailsReqType *r = &doc->V2G_Message.Body.PaymentDetailsReq;
    assert_int_equal(doc->V2G_Message.Body.BodyElement_choice, iso2_BodyType_PaymentDetailsReq);
    uint8_t a[2048], b[2048];
    size_t la, lb;
    r->eMAID.len = 15;
    memset(r->eMAID.chars, 'A', 15);
    assert_int_equal(iso2_encode(doc, a, sizeof a, &la), 0);
    memset(r->eMAID.chars, 'B', 15);
    assert_int_equal(iso2_encode(doc, b, sizeof b, &lb), 0);
    assert_int_equal(la, lb);
    size_t d = 0;
    while ((a[d / 8] >> (7 - d % 8) & 1) == (b[d / 8] >> (7 - d % 8) & 1))
        d++;
    size_t start = d - 6 - 8, end = d - 6 + 8 * 15;
    struct exi_reader rd;
    exi_reader_init(&rd, a, la, start);
    uint32_t bit = 0;
    assert_int_equal(exi_read_bits(&rd, 8, &bit), 0);
    assert_int_equal(bit, 15 + 2);
    exi_reader_init(&rd, a, la, 0);
    struct exi_writer w = {out, cap, 0, 0, 0};
    while (exi_reader_pos(&rd) < start) {
        assert_int_equal(exi_read_bits(&rd, 1, &bit), 0);
        assert_int_equal(exi_write_bits(&w, 1, bit), 0);
    }
    assert_int_equal(exi_write_uint(&w, ncp + 2), 0);
    for (size_t i = 0; i < ncp; i++)
        assert_int_equal(exi_write_uint(&w, cps[i]), 0);
    exi_reader_init(&rd, a, la, end);
    while (exi_reader_pos(&rd) < la * 8) {
        assert_int_equal(exi_read_bits(&rd, 1, &bit), 0);
        assert_int_equal(exi_write_bits(&w, 1, bit), 0);
    }
    assert_int_equal(exi_writer_flush(&w), 0);
    free(doc);
    return w.nbytes;
}

/* Strings are bounded in characters, as the schema's maxLength counts them (XML Schema 4.3.3 "length": for
 * string, in characters): a 15-character eMAID is valid however many UTF-8 bytes it takes; 16 are refused with
 * a message about the length (not "repetitions"). The stream with 'A's decodes to an eMAID of 'A's first: the
 * construction above is what the encoder writes. */
static void string_capacity_counts_characters(void **state)
{
    (void)state;
    static const uint32_t mixed[15] = {'D', 'E', '*', 0xD6, 0x20AC, 0xDF, '*', 0x1F50C, '1', '2', '3', '4', '5',
                                       '*', 'X'};
    static const char mixed_utf8[] = "DE*\xc3\x96\xe2\x82\xac\xc3\x9f*\xf0\x9f\x94\x8c" "12345*X";
    uint32_t plugs[16], as[15];
    char plugs_utf8[16 * 4 + 1] = "";
    for (int i = 0; i < 16; i++) {
        plugs[i] = 0x1F50C; /* U+1F50C ELECTRIC PLUG: 4 UTF-8 bytes */
        if (i < 15)
            strcat(plugs_utf8, "\xf0\x9f\x94\x8c");
    }
    for (int i = 0; i < 15; i++)
        as[i] = 'A';
    const struct {
        const uint32_t *cps;
        size_t n;
        const char *utf8;
    } ok[] = {{as, 15, "AAAAAAAAAAAAAAA"}, {mixed, 15, mixed_utf8}, {plugs, 15, plugs_utf8}};
    struct iso2_exiDocument *doc = calloc(1, sizeof *doc);
    uint8_t s[4096], again[4096];
    for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++) {
        size_t len = emaid_stream(ok[k].cps, ok[k].n, s, sizeof s), alen;
        struct exi_error err;
        int rc = exi_decode_ex(&iso2_codec, s, len, doc, &err);
        if (rc) {
            char msg[512];
            exi_text_describe_error(exi_proto_find("iso2"), &err, msg, sizeof msg);
            fail_msg("case %zu: %s", k, msg);
        }
        const struct iso2_PaymentDetailsReqType *r = &doc->V2G_Message.Body.PaymentDetailsReq;
        assert_int_equal(r->eMAID.len, strlen(ok[k].utf8));
        assert_memory_equal(r->eMAID.chars, ok[k].utf8, r->eMAID.len);
        assert_int_equal(iso2_encode(doc, again, sizeof again, &alen), 0);
        assert_int_equal(alen, len);
        assert_memory_equal(again, s, len);
    }
    /* 16 characters: refused by the decoder and by the encoder, with the length named */
    size_t len = emaid_stream(plugs, 16, s, sizeof s);
    struct exi_error err;
    assert_int_equal(exi_decode_ex(&iso2_codec, s, len, doc, &err), CCS_ELENGTH);
    char msg[512];
    exi_text_describe_error(exi_proto_find("iso2"), &err, msg, sizeof msg);
    assert_non_null(strstr(msg, "longer than"));
    assert_non_null(strstr(msg, "<eMAID>"));
    assert_null(strstr(msg, "repetitions"));
    assert_int_equal(exi_decode(&iso2_codec, s, emaid_stream(plugs, 15, s, sizeof s), doc), 0);
    struct iso2_PaymentDetailsReqType *r = &doc->V2G_Message.Body.PaymentDetailsReq;
    memcpy(r->eMAID.chars + r->eMAID.len - 4, "ab", 3); /* 16 characters in 58 bytes */
    r->eMAID.len = (uint16_t)(r->eMAID.len - 2);
    assert_int_equal(iso2_encode(doc, again, sizeof again, &len), CCS_ELENGTH);
    free(doc);
}

/* Binaries (DIN SessionID, 0 to 8 bytes) round trip, and an element whose EE after the bytes is not 0 is refused
 * (EXI 8.5.4.4.1: the simple type's EE is the only first-level event there; another code is second level, which
 * this profile does not decode). The bytes are found in the stream as CH 0, the length as one 8-bit group, the
 * bytes, then the EE bit, in the bit string the encoder wrote. */
static void binaries_round_trip(void **state)
{
    (void)state;
    struct din_exiDocument *doc = calloc(1, sizeof *doc), *back = calloc(1, sizeof *back);
    assert_int_equal(corpus_decode_first("din.tsv", "din", "SessionSetupReq", NULL, doc), 0);
    unsigned flipped = 0;
    for (unsigned n = 0; n <= DIN_LEN_sessionIDType; n++) {
        uint8_t out[256];
        size_t len;
        doc->V2G_Message.Header.SessionID.len = (uint16_t)n;
        for (unsigned i = 0; i < n && i < sizeof doc->V2G_Message.Header.SessionID.bytes; i++)   /* gcc -O3 */
            doc->V2G_Message.Header.SessionID.bytes[i] = (uint8_t)(0xA5 ^ (i * 37));
        assert_int_equal(din_encode(doc, out, sizeof out, &len), 0);
        assert_int_equal(din_decode(out, len, back), 0);
        assert_int_equal(back->V2G_Message.Header.SessionID.len, n);
        assert_memory_equal(back->V2G_Message.Header.SessionID.bytes, doc->V2G_Message.Header.SessionID.bytes, n);
        /* the value's bits: CH, length, bytes; flip the EE bit after them */
        char want[9 + 8 * DIN_LEN_sessionIDType + 1];
        want[0] = '0';
        for (int b = 7; b >= 0; b--)
            want[8 - b] = (char)('0' + ((n >> b) & 1));
        for (unsigned i = 0; i < n; i++)
            for (int b = 7; b >= 0; b--)
                want[9 + 8 * i + (unsigned)(7 - b)] = (char)('0' + ((doc->V2G_Message.Header.SessionID.bytes[i] >> b) & 1));
        want[9 + 8 * n] = 0;
        char *bits = bits_of(out, len), *at = strstr(bits, want);
        assert_non_null(at);
        if (n == 0 || strstr(at + 1, want)) { /* not unique: no flip */
            free(bits);
            continue;
        }
        size_t ee = (size_t)(at - bits) + 9 + 8 * n;
        assert_int_equal(bits[ee], '0');
        out[ee / 8] ^= (uint8_t)(0x80 >> (ee % 8));
        assert_int_equal(din_decode(out, len, back), CCS_EUNSUPP);
        flipped++;
        free(bits);
    }
    assert_true(flipped >= DIN_LEN_sessionIDType - 1);
    free(doc);
    free(back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truncated_inputs_fail),
        cmocka_unit_test(beyond_capacity_is_refused),
        cmocka_unit_test(encoder_checks_ranges),
        cmocka_unit_test(unsigned_integers),
        cmocka_unit_test(integer_boundaries),
        cmocka_unit_test(strings_round_trip),
        cmocka_unit_test(string_capacity_counts_characters),
        cmocka_unit_test(binaries_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
