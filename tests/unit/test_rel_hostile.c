/* Hostile peers against the charger (issue 6): V2GTP headers with a length beyond the limit, wrong version
 * bytes or an unknown type; garbage EXI, valid EXI of another schema, a request under a payload type that is not
 * its codec's, a wrong SessionID and requests out of order at every stage of a session; 1000 SDP requests per
 * second for 5 s on the powerline; a TCP client that drips a request byte by byte. Each time the charger answers
 * validly or goes safe (rel_check.h), a real car on the same charger completes its session, and the heap does not
 * grow (the core does not allocate). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "rel_world.h"

#define LIMIT_MS (2u * 3600000u)
#define MAX_PAYLOAD 4096u   /* what the test charger's reassembler accepts */

static rel_world W;
static sess_pev_config PC;
static phys_battery_config BC;
static const rel_faults CLEAN = { .line = { .delay_ms = 2 } };

/* The real car's whole session on the charger: it must end normally. */
static void real_car_completes(const char *after)
{
    rel_link_result link;
    W.tamper = NULL;
    const char *bad = rel_session(&W, 11, &CLEAN, &PC, &BC, LIMIT_MS, &link);
    if (bad || link != REL_LINK_UP || !rel_normal(&W))
        fail_msg("after %s: the real car's session: %s, stops %s / %s", after, bad ? bad : "not normal",
                 sess_stop_name(W.s.evse.stop), sess_stop_name(W.s.pev.stop));
}

/* ---- a second connection to the same charger: its own session and V2GTP reassembler ---- */

typedef struct {
    sess_evse e;
    v2gtp_reasm r;
    uint8_t buf[V2GTP_HEADER_LEN + MAX_PAYLOAD];
    int open;
} conn;

static conn C;
static sess_docs conn_docs;

static void conn_open(uint32_t now)
{
    sess_evse_init(&C.e, &W.s.evse.cfg, &conn_docs);
    assert_int_equal(v2gtp_reasm_init(&C.r, C.buf, sizeof C.buf, MAX_PAYLOAD), 0);
    sess_evse_connect(&C.e, now);
    C.open = 1;
}

/* Bytes from the peer: whole messages go to the session; a framing error closes the connection. */
static void conn_bytes(const uint8_t *p, size_t n, uint32_t now)
{
    while (C.open && n) {
        size_t used = 0;
        v2gtp_msg m;
        int rc = v2gtp_reasm_push(&C.r, p, n, &used, &m);
        p += used;
        n -= used;
        if (rc == CCS_EAGAIN) break;
        if (rc) {
            sess_evse_disconnect(&C.e, now);
            C.open = 0;
            break;
        }
        rc = sess_evse_on_message(&C.e, m.payload_type, m.payload, m.payload_len, now);
        assert_null(rel_evse_ok(&C.e, rc, &W.scratch));
        if (C.e.close) C.open = 0;
    }
}

static void conn_closed_safe(void)
{
    assert_false(C.open);
    assert_int_equal(C.e.phase, SESS_SAFE);
    assert_null(rel_evse_out_ok(&C.e));
    assert_true(C.e.out.safe);
}

static void test_bad_framing(void **state)
{
    (void)state;
    static const struct { const char *name; uint8_t hdr[8]; } cases[] = {
        { "length beyond the limit", { 0x01, 0xfe, 0x80, 0x01, 0x7f, 0xff, 0xff, 0xff } },
        { "length one beyond", { 0x01, 0xfe, 0x80, 0x01, 0x00, 0x00, 0x10, 0x01 } },
        { "wrong version", { 0x02, 0xfd, 0x80, 0x01, 0x00, 0x00, 0x00, 0x04 } },
        { "wrong inverse version", { 0x01, 0x01, 0x80, 0x01, 0x00, 0x00, 0x00, 0x04 } },
        { "unknown payload type", { 0x01, 0xfe, 0x12, 0x34, 0x00, 0x00, 0x00, 0x04 } },
    };
    for (unsigned p = 0; p < REL_NPROTOS; p++) {
        rel_init(&W, p, &PC, &BC);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            conn_open(0);
            conn_bytes(cases[i].hdr, sizeof cases[i].hdr, 0);
            conn_closed_safe();
            assert_int_equal(C.e.stop, SESS_STOP_DISCONNECT);
            real_car_completes(cases[i].name);
        }
    }
}

/* ---- hostile messages in place of the car's n-th request ---- */

typedef enum {
    H_GARBAGE, H_OTHER_SCHEMA, H_WRONG_TYPE, H_APP_AGAIN, H_WRONG_SESSION, H_OUT_OF_ORDER, H_COUNT
} hostile_kind;

typedef struct {
    hostile_kind kind;
    unsigned at;
    uint32_t rng;
    int done;
} hostile;

/* Recorded requests of a clean session (for out-of-order replays). */
static uint8_t recorded[256][SESS_TX_CAP];
static size_t recorded_len[256];
static unsigned nrecorded;

static int record(rel_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)w;
    if (dir == SW_TO_EVSE && nrecorded < 256) {
        memcpy(recorded[nrecorded], buf, *len);
        recorded_len[nrecorded++] = *len;
    }
    return 1;
}

/* buf becomes one V2GTP message of the given payload type carrying exi. */
static void put_exi(uint8_t *buf, size_t *len, uint16_t type, const uint8_t *exi, size_t n)
{
    assert_int_equal(v2gtp_pack(type, exi, (uint32_t)n, buf, SESS_TX_CAP, len), 0);
}

static uint16_t type_of(const uint8_t *buf, size_t len)
{
    v2gtp_msg m;
    assert_int_equal(v2gtp_parse(buf, len, SESS_TX_CAP, &m), 0);
    return m.payload_type;
}

/* The request in buf under a payload type that is not its codec's: DIN and ISO-2 (0x8001) as ISO-20 DC
 * (0x8004); ISO-20 common (0x8002) as DC and DC as common. */
static void wrong_type(uint8_t *buf, size_t len)
{
    uint16_t t = type_of(buf, len) == V2GTP_ISO20_DC ? V2GTP_ISO20_MAIN : V2GTP_ISO20_DC;
    buf[2] = (uint8_t)(t >> 8);
    buf[3] = (uint8_t)t;
}

/* Re-encodes the request in buf with its SessionID changed to sid: decoded with the protocol's codec for its
 * payload type, packed again under the type of that document. */
static void set_session_id(const sess_proto *proto, uint8_t *buf, size_t *len, const uint8_t *sid, size_t n)
{
    static sess_docs d;
    uint16_t type = type_of(buf, *len);
    assert_int_equal(sess_decode(proto, type, buf + V2GTP_HEADER_LEN, *len - V2GTP_HEADER_LEN, &d.rx, NULL), 0);
    size_t have;
    uint8_t *id = (uint8_t *)proto->session_id(&d.rx, &have);
    assert_int_equal(have, n);
    memcpy(id, sid, n);
    assert_int_equal(sess_pack(proto, &d.rx, buf, SESS_TX_CAP, len), 0);
}

static int hostile_hook(rel_world *w, int dir, uint8_t *buf, size_t *len)
{
    hostile *h = w->tamper_ctx;
    if (dir != SW_TO_EVSE || h->done || w->sent[dir] != h->at) return 1;
    if ((h->kind == H_WRONG_SESSION || h->kind == H_OUT_OF_ORDER) && h->at < 3)
        return 1;   /* no SessionID yet */
    h->done = 1;
    rel_monitor_fault(&w->mon, w->s.now);
    /* A SessionSetupReq of another schema (0x8001): ../shared/corpus/iso2.tsv line 1 in a DIN or ISO-20 session,
     * din.tsv line 1 in an ISO-2 one. */
    static const uint8_t iso2_setup[] = { 0x80, 0x98, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                          0x11, 0xd0, 0x1b, 0xa9, 0x0b, 0x79, 0xc0, 0xd3, 0xd0, 0x00 };
    static const uint8_t din_setup[] = { 0x80, 0x9a, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                         0x11, 0xd0, 0x00, 0x00 };
    uint8_t garbage[64];
    const sess_proto *proto = w->s.evse.cfg.protos[0];
    switch (h->kind) {
    case H_GARBAGE:   /* under the payload type of the request it replaces */
        for (size_t i = 0; i < sizeof garbage; i++) garbage[i] = (uint8_t)(h->rng = h->rng * 1103515245u + 12345u);
        put_exi(buf, len, type_of(buf, *len), garbage, 1 + h->rng % sizeof garbage);
        break;
    case H_OTHER_SCHEMA:
        if (proto == &sess_proto_iso2) put_exi(buf, len, V2GTP_EXI, din_setup, sizeof din_setup);
        else put_exi(buf, len, V2GTP_EXI, iso2_setup, sizeof iso2_setup);
        break;
    case H_WRONG_TYPE: wrong_type(buf, *len); break;
    case H_APP_AGAIN: memcpy(buf, recorded[0], recorded_len[0]), *len = recorded_len[0]; break;
    case H_WRONG_SESSION:
        memcpy(buf, recorded[h->at - 1], recorded_len[h->at - 1]);
        *len = recorded_len[h->at - 1];
        uint8_t sid[SESS_SESSION_ID_MAX];
        memcpy(sid, w->s.evse.session_id, w->s.evse.session_id_len);
        sid[0] ^= 0x5a;
        set_session_id(proto, buf, len, sid, w->s.evse.session_id_len);
        break;
    case H_OUT_OF_ORDER:   /* SessionSetupReq again, mid-session */
        memcpy(buf, recorded[1], recorded_len[1]);
        *len = recorded_len[1];
        set_session_id(proto, buf, len, w->s.evse.session_id, w->s.evse.session_id_len);
        break;
    default: break;
    }
    return 1;
}

static void test_hostile_messages(void **state)
{
    (void)state;
    static const char *const names[] = { "garbage EXI", "EXI of another schema", "wrong payload type",
                                         "handshake again", "wrong SessionID", "request out of order" };
    for (unsigned p = 0; p < REL_NPROTOS; p++) {
        rel_init(&W, p, &PC, &BC);
        nrecorded = 0;
        W.tamper = record;
        rel_link_result link;
        assert_null(rel_session(&W, 3, &CLEAN, &PC, &BC, LIMIT_MS, &link));
        W.tamper = NULL;
        unsigned tried = 0;
        for (int k = 0; k < H_COUNT; k++)
            for (unsigned at = 1; at <= nrecorded; at += at < 40 ? 1 : 25) {
                hostile h = { (hostile_kind)k, at, at * 7919u, 0 };
                W.tamper = hostile_hook;
                W.tamper_ctx = &h;
                const char *bad = rel_session(&W, 5, &CLEAN, &PC, &BC, LIMIT_MS, &link);
                if (bad) fail_msg("%s at request %u: %s", names[k], at, bad);
                if (h.done && !(k == H_APP_AGAIN && at == 1)) {
                    tried++;
                    /* the charger refused (FAILED_* answer or closed) and is safe */
                    if (W.s.evse.phase != SESS_SAFE)
                        fail_msg("%s at request %u: charger %s, stop %s", names[k], at, sess_evse_state_name(&W.s.evse),
                                 sess_stop_name(W.s.evse.stop));
                    if (k == H_WRONG_SESSION) assert_int_equal(W.s.evse.stop, SESS_STOP_UNKNOWN_SESSION);
                    if (k == H_OUT_OF_ORDER) assert_int_equal(W.s.evse.stop, SESS_STOP_SEQUENCE);
                }
                real_car_completes(names[k]);
            }
        printf("# %s: %u hostile requests refused, each followed by a normal session\n", rel_protos[p], tried);
        assert_true(tried > 100);
    }
}

/* ---- 1000 SDP requests per second for 5 s from a third host on the powerline ---- */

static unsigned flood_sent;

static void flood(rel_world *w)
{
    static const uint8_t mcast[6] = { 0x33, 0x33, 0, 0, 0, 1 };
    static const uint8_t req[] = { 0x01, 0xfe, 0x90, 0x00, 0x00, 0x00, 0x00, 0x02, 0x10, 0x00 };
    if (w->s.now >= 5000) return;
    ipv6_frame f = { .ethertype = ETH_TYPE_IPV6, .hop_limit = 255, .proto = IPV6_PROTO_UDP, .src_port = 40000,
                     .dst_port = SDP_UDP_PORT };
    memcpy(f.dst_mac, mcast, 6);
    memcpy(f.src_mac, w->plc.port[2].cfg.host_mac, 6);
    ipv6_link_local_from_mac(f.src_mac, f.src);
    memcpy(f.dst, ipv6_all_nodes, 16);
    uint8_t frame[128];
    size_t n;
    assert_int_equal(ipv6_frame_build(&f, req, sizeof req, frame, sizeof frame, &n), 0);
    sim_plc_send(&w->plc, 2, frame, n, w->s.now);
    flood_sent++;
}

static void test_sdp_flood(void **state)
{
    (void)state;
    for (unsigned p = 0; p < REL_NPROTOS; p++) {
        rel_init(&W, p, &PC, &BC);
        real_car_completes("warm-up");   /* stdio and the like have allocated what they need */
        size_t heap = mallinfo2().uordblks;
        rel_plug(&W, 13, &CLEAN);
        sim_port_config pc = W.plc.port[REL_PEV_PORT].cfg;
        pc.host_mac[5] = 0x66;
        pc.modem_mac[5] = 0x66;
        assert_int_equal(sim_plc_add_port(&W.plc, &pc), 2);
        sim_plc_set_nmk(&W.plc, 2, slac_evse_nmk(&W.slac_e));   /* the attacker is inside the charger's AVLN */
        flood_sent = 0;
        W.other_sdp = W.sdp_answers = 0;
        assert_int_equal(rel_link_up(&W, flood), REL_LINK_UP);
        while (++W.s.now < 5000) {   /* the flood goes on after the car's SDP */
            rel_line_due(&W);
            flood(&W);
        }
        assert_int_equal(flood_sent, 5000);
        /* every request that reached the charger was answered, and every answer arrived (but the last few, still
         * in flight); the requests lost were sent while the charger's modem restarted with the new key */
        assert_in_range(W.other_sdp, W.sdp_answers - 5, W.sdp_answers);
        assert_in_range(W.sdp_answers, 5000 - W.plc.stats.dropped_offline - W.plc.stats.dropped_avln, 5000);
        assert_int_equal(W.plc.stats.dropped_full, 0);
        rel_connect(&W, &PC, &BC);
        assert_true(rel_run(&W, LIMIT_MS));
        assert_null(rel_monitor_verdict(&W.mon, rel_safe_bound_ms(PC.protos[0])));
        assert_true(rel_normal(&W));
        assert_int_equal(mallinfo2().uordblks, heap);
        printf("# %s: SDP flood of %u requests in 5 s, %u answered; the car then charged normally\n", rel_protos[p],
               flood_sent, W.sdp_answers);
    }
}

/* ---- a client that drips a valid request one byte every 3 s while the real car charges ---- */

static void test_slow_drip(void **state)
{
    (void)state;
    for (unsigned p = 0; p < REL_NPROTOS; p++) {
        rel_init(&W, p, &PC, &BC);
        real_car_completes("warm-up");
        size_t heap = mallinfo2().uordblks;
        nrecorded = 0;
        W.tamper = record;
        rel_plug(&W, 17, &CLEAN);
        assert_int_equal(rel_link_up(&W, NULL), REL_LINK_UP);
        rel_connect(&W, &PC, &BC);
        conn_open(W.s.now);
        uint32_t opened = W.s.now, closed_at = 0;
        unsigned dripped = 0;
        while ((!rel_ended(&W) || C.open) && W.s.now - W.v2g_start < LIMIT_MS) {
            if (C.open && (W.s.now - opened) % 3000 == 0 && dripped < recorded_len[0])
                conn_bytes(&recorded[0][dripped++], 1, W.s.now);
            uint32_t at;
            if (C.open && sess_evse_next_timeout(&C.e, &at) && (int32_t)(W.s.now - at) >= 0) {
                sess_evse_tick(&C.e, W.s.now);
                assert_null(rel_evse_ok(&C.e, 0, &W.scratch));
                if (C.e.close) C.open = 0, closed_at = W.s.now;
            }
            rel_step(&W);
        }
        assert_true(rel_ended(&W) && rel_normal(&W));
        assert_null(rel_monitor_verdict(&W.mon, rel_safe_bound_ms(PC.protos[0])));
        conn_closed_safe();
        assert_int_equal(C.e.stop, SESS_STOP_TIMEOUT);
        assert_true(closed_at - opened <= SESS_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS + SW_STEP_MS);
        assert_true(dripped < recorded_len[0]);
        assert_int_equal(mallinfo2().uordblks, heap);
        W.tamper = NULL;
        printf("# %s: slow drip of %u bytes in %u ms, then closed (V2G_EVCC_CommunicationSetup_Timeout); the car "
               "charged normally meanwhile\n", rel_protos[p], dripped, closed_at - opened);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_framing), cmocka_unit_test(test_hostile_messages),
        cmocka_unit_test(test_sdp_flood), cmocka_unit_test(test_slow_drip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
