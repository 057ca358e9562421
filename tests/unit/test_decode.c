/* Unit tests for the capture analysis behind `ccsplc decode`: the schema chosen by the SupportedAppProtocol
 * exchange (a real request offering DIN and ISO-2), detection without it, roles and the energy integral on a
 * real capture, JSON string escaping. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ccsplc/tools/decode.h"
#include "ccsplc/core/gen/app.h"
#include "ccsplc/core/v2gtp.h"
#include "testutil.h"

/* From ../shared/corpus: a real request offering din (SchemaID 1) and iso2 (SchemaID 0), and a DIN and an
 * ISO-2 SessionSetupReq. */
static const char *const REQ_DIN_ISO2 = "8000dbab9371d3234b71d1b981899189d191818991d26b9b3a232b30020000040001d75726e3a69"
                                        "736f3a31353131383a323a323031333a4d73674465660040000000880";
static const char *const DIN_SETUP = "809a02000000000000000011d00000";
static const char *const ISO2_SETUP = "809802000000000000000011d01ba90b79c0d3d000";

typedef struct {
    char names[8][40], protos[8][16];
    dec_dir dirs[8];
    int n, errors;
} seen;

static void on_record(void *ctx, const dec_record *r)
{
    seen *s = ctx;
    if (r->layer != DEC_LAYER_V2G || s->n >= 8)
        return;
    snprintf(s->names[s->n], sizeof s->names[0], "%s", r->name);
    snprintf(s->protos[s->n], sizeof s->protos[0], "%s", r->proto);
    s->dirs[s->n++] = r->dir;
    s->errors += r->error != NULL;
}

static const uint8_t car_ip[16] = {0xfe, 0x80, [15] = 1}, charger_ip[16] = {0xfe, 0x80, [15] = 2};

static void send(cap_callbacks *cb, uint32_t conn, cap_dir dir, const uint8_t *p, size_t n)
{
    cap_v2gtp m = {.conn = conn, .dir = dir, .src = dir == CAP_DIR_C2S ? car_ip : charger_ip,
                   .dst = dir == CAP_DIR_C2S ? charger_ip : car_ip, .src_port = dir == CAP_DIR_C2S ? 50000 : 15118,
                   .dst_port = dir == CAP_DIR_C2S ? 15118 : 50000, .ts_ns = 1000000000u + conn,
                   .payload_type = V2GTP_EXI, .payload_len = (uint32_t)n, .payload = p};
    cb->v2gtp(cb->ctx, &m);
}

static void send_hex(cap_callbacks *cb, uint32_t conn, cap_dir dir, const char *hex)
{
    uint8_t buf[256];
    long n = tu_hex2bin(hex, buf, sizeof buf);
    assert_true(n > 0);
    send(cb, conn, dir, buf, (size_t)n);
}

static void send_response(cap_callbacks *cb, uint32_t conn, unsigned schema_id)
{
    static struct app_exiDocument d;
    memset(&d, 0, sizeof d);
    d.root = APP_ROOT_supportedAppProtocolRes;
    d.supportedAppProtocolRes.ResponseCode = app_responseCodeType_OK_SuccessfulNegotiation;
    d.supportedAppProtocolRes.has_SchemaID = true;
    d.supportedAppProtocolRes.SchemaID = (uint8_t)schema_id;
    uint8_t buf[16];
    size_t n;
    assert_int_equal(app_encode(&d, buf, sizeof buf, &n), 0);
    send(cb, conn, CAP_DIR_S2C, buf, n);
}

/* The response's SchemaID picks the request's entry; its namespace picks the codec. */
static void schema_from_handshake(void **state)
{
    (void)state;
    static const struct {
        unsigned schema_id;
        const char *msg, *proto, *ns;
    } cases[] = {{0, ISO2_SETUP, "iso2", "urn:iso:15118:2:2013:MsgDef"},
                 {1, DIN_SETUP, "din", "urn:din:70121:2012:MsgDef"}};
    for (size_t i = 0; i < 2; i++) {
        seen s = {0};
        dec_analyzer *a = dec_new(on_record, &s);
        assert_non_null(a);
        cap_callbacks cb = dec_callbacks(a);
        send_hex(&cb, 0, CAP_DIR_C2S, REQ_DIN_ISO2);
        send_response(&cb, 0, cases[i].schema_id);
        send_hex(&cb, 0, CAP_DIR_C2S, cases[i].msg);
        dec_finish(a, NULL);
        assert_int_equal(s.n, 3);
        assert_int_equal(s.errors, 0);
        assert_string_equal(s.names[0], "supportedAppProtocolReq");
        assert_string_equal(s.names[1], "supportedAppProtocolRes");
        assert_string_equal(s.names[2], "SessionSetupReq");
        assert_string_equal(s.protos[2], cases[i].proto);
        assert_int_equal(s.dirs[0], DEC_DIR_CAR_TO_CHARGER);
        assert_int_equal(s.dirs[1], DEC_DIR_CHARGER_TO_CAR);
        const dec_session *se = dec_session_get(a, 0);
        assert_int_equal(dec_nsessions(a), 1);
        assert_string_equal(se->proto, cases[i].proto);
        assert_string_equal(se->ns, cases[i].ns);
        assert_false(se->detected);
        assert_true(se->stage[DEC_STAGE_HANDSHAKE].done);
        assert_int_equal(se->exi_messages, 3);
        dec_free(a);
    }
}

/* Without the handshake, ISO-2 bytes are found by trying din, then iso2; the session says so. The handshake
 * response 80400040 is a valid DIN document too, so it must not be read as one inside a handshake. */
static void detection_without_handshake(void **state)
{
    (void)state;
    seen s = {0};
    dec_analyzer *a = dec_new(on_record, &s);
    cap_callbacks cb = dec_callbacks(a);
    send_hex(&cb, 0, CAP_DIR_C2S, ISO2_SETUP);
    send_hex(&cb, 0, CAP_DIR_C2S, DIN_SETUP);
    send_hex(&cb, 1, CAP_DIR_C2S, REQ_DIN_ISO2);
    send_hex(&cb, 1, CAP_DIR_S2C, "80400040");
    dec_finish(a, NULL);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.protos[0], "iso2");
    assert_string_equal(s.protos[1], "din");
    assert_string_equal(s.protos[3], "app");
    assert_string_equal(s.names[3], "supportedAppProtocolRes");
    assert_int_equal(dec_nsessions(a), 2);
    assert_true(dec_session_get(a, 0)->detected);
    assert_false(dec_session_get(a, 1)->detected);
    assert_string_equal(dec_session_get(a, 1)->proto, "din"); /* SchemaID 1 of the request: DIN */
    dec_free(a);
}

typedef struct {
    double wh, last_p;
    uint64_t last_ns;
    int have, bad_dir, v2g;
} energy;

/* Independent trapezoid sum of EVSEPresentVoltage x EVSEPresentCurrent, and the direction of every V2G
 * message: requests come from the car, responses from the charger. */
static void on_energy(void *ctx, const dec_record *r)
{
    energy *e = ctx;
    if (r->layer != DEC_LAYER_V2G || !r->exi || r->error)
        return;
    size_t n = strlen(r->name);
    e->v2g++;
    e->bad_dir += n > 3 && !strcmp(r->name + n - 3, "Req") && r->dir != DEC_DIR_CAR_TO_CHARGER;
    e->bad_dir += n > 3 && !strcmp(r->name + n - 3, "Res") && r->dir != DEC_DIR_CHARGER_TO_CAR;
    double v, i;
    if (dec_field_number(r, "EVSEPresentVoltage", &v) || dec_field_number(r, "EVSEPresentCurrent", &i))
        return;
    if (e->have)
        e->wh += (v * i + e->last_p) / 2 * (double)(r->ts_ns - e->last_ns) / 3.6e12;
    e->have = 1;
    e->last_p = v * i;
    e->last_ns = r->ts_ns;
}

static void real_session(void **state)
{
    (void)state;
    energy e = {0};
    dec_analyzer *a = dec_new(on_energy, &e);
    cap_callbacks cb = dec_callbacks(a);
    cap_stats st;
    char err[256];
    const char *path = tu_shared("captures/spi_ioniq_alpiHYC150_makerspace_landsberg_left_small_2024-04-03_ok.csv.pcap");
    assert_int_equal(cap_read_file(path, &cb, CAP_DEFAULT_MAX_PAYLOAD, &st, err, sizeof err), 0);
    dec_finish(a, &st);
    assert_int_equal(dec_nsessions(a), 1);
    const dec_session *s = dec_session_get(a, 0);
    /* tshark: CM_SLAC_PARAM.REQ from e0:0e:e1:ff:d3:e2, CM_SLAC_MATCH.CNF from 52:ad:92:07:32:8b */
    static const uint8_t car[6] = {0xe0, 0x0e, 0xe1, 0xff, 0xd3, 0xe2}, charger[6] = {0x52, 0xad, 0x92, 0x07, 0x32, 0x8b};
    assert_memory_equal(s->car_mac, car, 6);
    assert_memory_equal(s->charger_mac, charger, 6);
    assert_string_equal(s->proto, "din");
    assert_string_equal(s->evccid, "e00ee1ffd3e2");
    assert_int_equal(s->end, DEC_END_SESSION_STOP);
    for (int k = 0; k < DEC_NSTAGES; k++)
        assert_true(s->stage[k].seen);
    assert_int_equal(s->exi_messages, 1120);
    assert_int_equal(e.v2g, 1120);
    assert_int_equal(e.bad_dir, 0);
    assert_true(e.wh > 100);
    assert_true(fabs(s->energy_wh - e.wh) < 1e-9 * e.wh);
    assert_true(s->voltage.max >= s->voltage.min && s->current.max > 0);
    dec_free(a);
}

static void json_escaping(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    dec_json_string(f, "a\"b\\c\n</script>\x01\xc3\xa9");
    fclose(f);
    assert_string_equal(buf, "\"a\\\"b\\\\c\\u000a\\u003c/script>\\u0001\\u00c3\\u00a9\"");
    free(buf);
    for (int c = 1; c < 256; c++) { /* every byte at every place of 19 (words of 8 are looked at at once) */
        char esc[8];
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f || c == '<')
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c);
        else
            snprintf(esc, sizeof esc, "%c", c);
        for (int at = 0; at < 19; at++) {
            char in[20], want[64];
            memset(in, 'a', 19);
            in[19] = 0;
            in[at] = (char)c;
            snprintf(want, sizeof want, "\"%.*s%s%.*s\"", at, in, esc, 18 - at, in + at + 1);
            f = open_memstream(&buf, &len);
            dec_json_string(f, in);
            fclose(f);
            assert_string_equal(buf, want);
            free(buf);
        }
    }
}

/* A CurrentDemandReq ns after the origin, with keys, as writer (text or JSON) writes it, into got. */
static void write_record(int (*writer)(FILE *, const dec_record *, uint64_t), int64_t ns, const char *keys, char *got,
                         size_t cap)
{
    const uint64_t origin = 1000000000000000000u;
    dec_record r = {.ts_ns = origin + (uint64_t)ns, .dir = DEC_DIR_CAR_TO_CHARGER, .layer = DEC_LAYER_V2G,
                    .proto = "din", .name = "CurrentDemandReq", .keys = keys};
    memset(got, 0, cap);
    FILE *f = fmemopen(got, cap, "w");
    assert_non_null(f);
    assert_int_equal(writer(f, &r, origin), 0);
    fclose(f);
}

/* The timeline's time column is "%10.3f" of the seconds since the origin, written without printf: the same text
 * for ties of the rounding (the double's binary value decides), negative times, long spans. */
static void timeline_time_column(void **state)
{
    (void)state;
    static const int64_t ns[] = {0, 1, 499999, 500000, 500001, 1500000, 62500000, 187500000, 999500000,
                                 21449000000, -1, -400000, -500000, -62500000, -2000000000, 3600123456789,
                                 1000000000000000, 123456789012345678};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        char got[256], want[256];
        write_record(dec_text_record, ns[i], "SoC=1", got, sizeof got);
        snprintf(want, sizeof want, "%10.3f  %-14s %-12s %-30s %s\n", (double)ns[i] / 1e9, "car->charger", "din",
                 "CurrentDemandReq", "SoC=1");
        assert_string_equal(got, want);
    }
}

/* The JSON "t" (seconds since the origin) is "%.9f" of ns / 1e9, written without printf below 2^22 s: the same
 * text for negative times, nanoseconds that a double cannot hold exactly, spans past the fast path. */
static void json_seconds_as_printf(void **state)
{
    (void)state;
    static const int64_t ns[] = {0, 1, -1, 999999999, 1000000000, 123456789, -123456789, 3999999999999999,
                                 -3999999999999999, 4000000000000000, 4194304000000001, 9007199254740993,
                                 86400123456789, 1500000000, 8400000000000003};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        char got[1024], want[64];
        write_record(dec_json_record, ns[i], "", got, sizeof got);
        snprintf(want, sizeof want, ",\"t\":%.9f,", (double)ns[i] / 1e9);
        if (!strstr(got, want))
            fail_msg("%s lacks %s", got, want);
    }
}

static void assert_number_as_strtod(const char *text)
{
    dec_field f = {"x.Value", text, "Value"};
    dec_record r = {.fields = &f, .nfields = 1};
    double got, want = strtod(text, NULL);
    assert_int_equal(dec_field_number(&r, "Value", &got), 0);
    if (memcmp(&got, &want, sizeof got))
        fail_msg("'%s' read as %.17g, strtod: %.17g", text, got, want);
}

/* dec_field_number reads a field's text as strtod does, to the bit: plain decimals (read without strtod), and
 * what only strtod reads (more digits, exponents, hex, leading space); text that is not all a number is none. */
static void field_numbers_as_strtod(void **state)
{
    (void)state;
    static const char *const texts[] = {"0", "-0", "412.8", "-412.8", "0.005", "1.", ".5", "37810", "3.14159265358979",
                                        "123456789012345", "999999999999999", "1234567890123456", "9007199254740993",
                                        "0.1", "-0.30000000000000004", "1e3", "100.000", "000000000000000000012.5",
                                        " 5", "0x10", "inf", "1e400"};
    static const char *const none[] = {"", "-", ".", "1.2.3", "12a", "5 ", "--1", "+"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_number_as_strtod(texts[i]);
    for (int i = -20000; i <= 20000; i += 7) { /* every fraction length 1..4, as PhysicalValues print */
        char text[32];
        snprintf(text, sizeof text, "%d.%0*d", i / 10000, 1 + (i & 3), abs(i) % 10000 % (int)pow(10, 1 + (i & 3)));
        assert_number_as_strtod(text);
    }
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        dec_field f = {"x.Value", none[i], "Value"};
        dec_record r = {.fields = &f, .nfields = 1};
        double got;
        assert_int_equal(dec_field_number(&r, "Value", &got), -1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schema_from_handshake),
        cmocka_unit_test(detection_without_handshake),
        cmocka_unit_test(real_session),
        cmocka_unit_test(json_escaping),
        cmocka_unit_test(timeline_time_column),
        cmocka_unit_test(field_numbers_as_strtod),
        cmocka_unit_test(json_seconds_as_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
