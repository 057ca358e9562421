/* Every real request type of DIN 70121 and ISO 15118-2 (the first of each in ../shared/corpus), sent to a charger
 * in a running session with a wrong SessionID: the answer is the matching response, valid EXI, with
 * FAILED_UnknownSession, and the charger is safe. The session is set up with the corpus's own handshake request
 * (a car offering DIN and ISO-2) and SessionSetupReq. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/gen/din.h"
#include "ccsplc/core/gen/iso2.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/core/v2gtp.h"
#include "corpus.h"
#include "testutil.h"

static sess_docs docs;
static sess_evse running, e;

/* The protocol's codec as the test needs it: decode, body choice, SessionID, re-encode, response code. */
struct codec_ops {
    const char *proto, *file;
    int failed_unknown_session;
    int (*decode)(const uint8_t *, size_t, void *);
    int (*encode)(const void *, uint8_t *, size_t, size_t *);
    uint8_t *(*sid)(void *, uint16_t **len);
    unsigned (*body)(const void *);
};

static int din_dec(const uint8_t *b, size_t n, void *d) { return din_decode(b, n, d); }
static int din_enc(const void *d, uint8_t *b, size_t c, size_t *n) { return din_encode(d, b, c, n); }
static uint8_t *din_sid(void *d, uint16_t **len)
{
    struct din_exiDocument *x = d;
    *len = &x->V2G_Message.Header.SessionID.len;
    return x->V2G_Message.Header.SessionID.bytes;
}
static unsigned din_body(const void *d) { return ((const struct din_exiDocument *)d)->V2G_Message.Body.BodyElement_choice; }
static int iso2_dec(const uint8_t *b, size_t n, void *d) { return iso2_decode(b, n, d); }
static int iso2_enc(const void *d, uint8_t *b, size_t c, size_t *n) { return iso2_encode(d, b, c, n); }
static uint8_t *iso2_sid(void *d, uint16_t **len)
{
    struct iso2_exiDocument *x = d;
    *len = &x->V2G_Message.Header.SessionID.len;
    return x->V2G_Message.Header.SessionID.bytes;
}
static unsigned iso2_body(const void *d)
{
    return ((const struct iso2_exiDocument *)d)->V2G_Message.Body.BodyElement_choice;
}

static const struct codec_ops ops[] = {
    {"din", "corpus/din.tsv", din_responseCodeType_FAILED_UnknownSession, din_dec, din_enc, din_sid, din_body},
    {"iso2", "corpus/iso2.tsv", iso2_responseCodeType_FAILED_UnknownSession, iso2_dec, iso2_enc, iso2_sid, iso2_body},
};

/* Feed one hex message from a corpus line to the charger. */
static void feed_hex(sess_evse *s, const char *hex, uint32_t now)
{
    uint8_t in[8192];
    long n = tu_hex2bin(hex, in, sizeof in);
    assert_true(n > 0);
    sess_evse_on_message(s, V2GTP_EXI, in, (size_t)n, now);
}

static void check_proto(const struct codec_ops *op)
{
    struct corpus_line *app, *lines;
    size_t napp, n;
    char *abuf = corpus_load(tu_shared("corpus/app.tsv"), &app, &napp);
    char *buf = corpus_load(tu_shared(op->file), &lines, &n);
    assert_non_null(abuf);
    assert_non_null(buf);
    sess_evse_config ec;
    sess_evse_config_default(&ec);
    ec.protos[0] = sess_proto_find(op->proto);
    ec.nprotos = 1;
    sess_evse_init(&running, &ec, &docs);
    sess_evse_connect(&running, 0);
    for (size_t i = 0; i < napp && !running.proto; i++) /* the first handshake request that offers the protocol */
        if (!strcmp(app[i].message, "supportedAppProtocolReq")) {
            sess_evse_init(&running, &ec, &docs);
            sess_evse_connect(&running, 0);
            feed_hex(&running, app[i].hex, 10);
        }
    assert_non_null(running.proto);
    for (size_t i = 0; i < n && !running.session_id_len; i++)
        if (!strcmp(lines[i].message, "SessionSetupReq"))
            feed_hex(&running, lines[i].hex, 20);
    assert_true(running.session_id_len > 0);
    static union {
        struct din_exiDocument din;
        struct iso2_exiDocument iso2;
    } req, res;
    uint64_t seen = 0;
    unsigned tried = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(lines[i].message);
        if (len < 3 || strcmp(lines[i].message + len - 3, "Req") || !strcmp(lines[i].message, "SessionSetupReq"))
            continue;
        uint8_t in[8192];
        long hl = tu_hex2bin(lines[i].hex, in, sizeof in);
        assert_int_equal(op->decode(in, (size_t)hl, &req), 0);
        unsigned body = op->body(&req);
        if (seen & (UINT64_C(1) << (body % 64)))
            continue;
        seen |= UINT64_C(1) << (body % 64);
        uint16_t *sid_len;
        uint8_t *sid = op->sid(&req, &sid_len);
        memcpy(sid, running.session_id, running.session_id_len);
        *sid_len = running.session_id_len;
        sid[0] ^= 0x5A;
        size_t el;
        assert_int_equal(op->encode(&req, in, sizeof in, &el), 0);
        e = running;
        sess_evse_on_message(&e, V2GTP_EXI, in, el, 30);
        if (e.tx_len <= V2GTP_HEADER_LEN)
            print_message("%s: no answer to %s with a wrong SessionID\n", op->proto, lines[i].message);
        assert_true(e.tx_len > V2GTP_HEADER_LEN);
        assert_int_equal(op->decode(e.tx + V2GTP_HEADER_LEN, e.tx_len - V2GTP_HEADER_LEN, &res), 0);
        assert_int_equal(op->body(&res), body + 1); /* each Res follows its Req in the body choice */
        assert_int_equal(e.last_code, op->failed_unknown_session);
        assert_int_equal(e.phase, SESS_SAFE);
        assert_true(e.out.safe);
        tried++;
    }
    print_message("%s: %u request types answered FAILED_UnknownSession\n", op->proto, tried);
    assert_true(tried >= 9);
    free(app);
    free(abuf);
    free(lines);
    free(buf);
}

static void din_requests(void **state) { (void)state; check_proto(&ops[0]); }
static void iso2_requests(void **state) { (void)state; check_proto(&ops[1]); }

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(din_requests), cmocka_unit_test(iso2_requests)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
