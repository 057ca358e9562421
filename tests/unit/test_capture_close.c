/* How a TCP connection ended, from synthetic frames: FIN both ways, RST, or still open when the input ends;
 * the capture reader's close event says which, and the decode summary says "TCP closed" / "TCP reset" / no end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ccsplc/tools/decode.h"
#include "ccsplc/core/v2gtp.h"
#include "testutil.h"

/* From ../shared/corpus: a real supportedAppProtocolReq offering din (SchemaID 1) and iso2 (SchemaID 0). */
static const char *const REQ_DIN_ISO2 = "8000dbab9371d3234b71d1b981899189d191818991d26b9b3a232b30020000040001d75726e3a69"
                                        "736f3a31353131383a323a323031333a4d73674465660040000000880";
enum { CAR_PORT = 50000, CHARGER_PORT = 15118, CAR_ISN = 1000, CHARGER_ISN = 7000 };
enum { END_FIN, END_RST, END_NONE };

typedef struct {
    uint8_t frame[16][256];
    size_t len[16];
    int n;
    uint32_t seq[2]; /* next sequence number of car (0) and charger (1) */
    int last;        /* the frame that ends the connection (1-based): the second FIN, the RST, the last one */
} conv;

static void segment(conv *c, int from_charger, uint8_t flags, const uint8_t *data, size_t len)
{
    ipv6_frame f = {.ethertype = ETH_TYPE_IPV6, .hop_limit = 64, .proto = IPV6_PROTO_TCP, .window = 8192};
    uint8_t car_mac[6] = {0x02, 0, 0, 0, 0, 0x01}, charger_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
    memcpy(f.src_mac, from_charger ? charger_mac : car_mac, 6);
    memcpy(f.dst_mac, from_charger ? car_mac : charger_mac, 6);
    ipv6_link_local_from_mac(f.src_mac, f.src);
    ipv6_link_local_from_mac(f.dst_mac, f.dst);
    f.src_port = from_charger ? CHARGER_PORT : CAR_PORT;
    f.dst_port = from_charger ? CAR_PORT : CHARGER_PORT;
    f.seq = c->seq[from_charger];
    f.ack = c->seq[!from_charger];
    f.tcp_flags = flags;
    assert_true(c->n < 16);
    assert_int_equal(ipv6_frame_build(&f, data, len, c->frame[c->n], sizeof c->frame[0], &c->len[c->n]), 0);
    c->n++;
    c->seq[from_charger] += (uint32_t)len + ((flags & (TCP_SYN | TCP_FIN)) != 0);
}

/* Handshake, the car's supportedAppProtocolReq, the charger's ACK, then the ending. */
static void conversation(conv *c, int end)
{
    memset(c, 0, sizeof *c);
    c->seq[0] = CAR_ISN;
    c->seq[1] = CHARGER_ISN;
    uint8_t exi[128], msg[160];
    long n = tu_hex2bin(REQ_DIN_ISO2, exi, sizeof exi);
    size_t mlen;
    assert_true(n > 0);
    assert_int_equal(v2gtp_pack(V2GTP_EXI, exi, (uint32_t)n, msg, sizeof msg, &mlen), 0);
    segment(c, 0, TCP_SYN, NULL, 0);
    segment(c, 1, TCP_SYN | TCP_ACK, NULL, 0);
    segment(c, 0, TCP_ACK, NULL, 0);
    segment(c, 0, TCP_PSH | TCP_ACK, msg, mlen);
    segment(c, 1, TCP_ACK, NULL, 0);
    if (end == END_FIN) {
        segment(c, 0, TCP_FIN | TCP_ACK, NULL, 0);
        segment(c, 1, TCP_FIN | TCP_ACK, NULL, 0);
        c->last = c->n;
        segment(c, 0, TCP_ACK, NULL, 0); /* after the close: ignored */
        return;
    }
    if (end == END_RST) segment(c, 1, TCP_RST | TCP_ACK, NULL, 0);
    c->last = c->n;
}

typedef struct {
    int closes;
    uint32_t how;
    uint64_t ts;
} closes;

static void on_event(void *ctx, const cap_event *e)
{
    closes *k = ctx;
    if (e->kind != CAP_EV_CLOSE) return;
    k->closes++;
    k->how = e->value;
    k->ts = e->ts_ns;
}

static void feed(const conv *c, const cap_callbacks *cb, cap_stats *st)
{
    cap_reader *r = cap_new(cb, CAP_DEFAULT_MAX_PAYLOAD);
    assert_non_null(r);
    for (int i = 0; i < c->n; i++) cap_frame(r, (uint64_t)(i + 1) * 1000000000u, c->frame[i], c->len[i]);
    cap_finish(r);
    *st = *cap_get_stats(r);
    cap_free(r);
}

/* The reader: one close event per connection, with how it ended and the time of the frame that ended it. */
static void reader_tells_fin_rst_end(void **state)
{
    (void)state;
    static const uint32_t want[] = {CAP_CLOSE_FIN, CAP_CLOSE_RST, CAP_CLOSE_END};
    for (int end = END_FIN; end <= END_NONE; end++) {
        conv c;
        conversation(&c, end);
        closes k = {0};
        cap_callbacks cb = {.event = on_event, .ctx = &k};
        cap_stats st;
        feed(&c, &cb, &st);
        assert_int_equal(k.closes, 1);
        assert_int_equal(k.how, want[end]);
        assert_int_equal(k.ts, (uint64_t)c.last * 1000000000u);
        assert_int_equal(st.connections, 1);
    }
}

typedef struct {
    int closes, resets;
} tcp_records;

static void on_record(void *ctx, const dec_record *r)
{
    tcp_records *t = ctx;
    t->closes += r->layer == DEC_LAYER_TCP && !strcmp(r->name, "close");
    t->resets += r->layer == DEC_LAYER_TCP && !strcmp(r->name, "reset");
}

/* The decode summary: "TCP closed (FIN both ways) after ...", "TCP reset (RST) after ...", or no end seen. */
static void summary_says_closed_or_reset(void **state)
{
    (void)state;
    static const struct {
        dec_end end;
        const char *text;
        int closes, resets;
    } want[] = {
        {DEC_END_TCP_CLOSE, "TCP closed (FIN both ways) after supportedAppProtocolReq", 1, 0},
        {DEC_END_TCP_RESET, "TCP reset (RST) after supportedAppProtocolReq", 0, 1},
        {DEC_END_NONE, "no end seen: the capture stops 1.0 s after the last message supportedAppProtocolReq, "
                       "connection still open", 0, 0},
    };
    for (int end = END_FIN; end <= END_NONE; end++) {
        conv c;
        conversation(&c, end);
        tcp_records t = {0};
        dec_analyzer *a = dec_new(on_record, &t);
        assert_non_null(a);
        cap_callbacks cb = dec_callbacks(a);
        cap_stats st;
        feed(&c, &cb, &st);
        dec_finish(a, &st);
        assert_int_equal(dec_nsessions(a), 1);
        const dec_session *s = dec_session_get(a, 0);
        assert_int_equal(s->end, want[end].end);
        assert_string_equal(s->end_text, want[end].text);
        assert_int_equal(t.closes, want[end].closes);
        assert_int_equal(t.resets, want[end].resets);
        assert_int_equal(s->exi_messages, 1);
        dec_free(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reader_tells_fin_rst_end),
        cmocka_unit_test(summary_says_closed_or_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
