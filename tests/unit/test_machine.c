/* Unit tests for the one machine shape and its driver (ccsplc/core/machine.h, machines.h): the driver's routing,
 * closing and wake-ups on a scripted machine, and each adapter against its engine called directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/machines.h"
#include "ccsplc/core/sha256.h"
#include "ccsplc/core/v2gtp.h"

/* ---- a port that records what it was given ---- */

typedef struct {
    unsigned sends, closes;
    size_t len[16];
    uint8_t first[16];
    const char *name[16];
    int fail;            /* the send error to return */
} rec_port;

static int rec_send(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    rec_port *r = ctx;
    if (r->sends < 16) {
        r->len[r->sends] = len;
        r->first[r->sends] = len ? buf[0] : 0;
        r->name[r->sends] = name;
    }
    r->sends++;
    return r->fail;
}

static void rec_close(void *ctx) { ((rec_port *)ctx)->closes++; }

static ccs_port port_of(rec_port *r) { return (ccs_port){ rec_send, rec_close, r }; }

/* ---- a scripted machine: the next action is whatever the test put in `next` ---- */

typedef struct {
    ccs_action next;
    ccs_event_kind seen[16];
    unsigned events;
} script;

static void script_handle(void *self, const ccs_event *ev, uint32_t now_ms, ccs_action *act)
{
    (void)now_ms;
    script *s = self;
    if (s->events < 16) s->seen[s->events] = ev->kind;
    s->events++;
    *act = s->next;
}

static const uint8_t msg_a[] = { 0xA1, 2, 3 }, msg_b[] = { 0xB2 };

/* A scripted machine in a driver whose port records. */
typedef struct {
    ccs_driver d;
    script s;
    rec_port r;
} rig;

static void rig_init(rig *g, ccs_action next)
{
    *g = (rig){ .s = { .next = next } };
    ccs_driver_init(&g->d, (ccs_machine){ script_handle, &g->s }, &(ccs_port){ rec_send, rec_close, &g->r });
}

static void driver_routes_every_message_in_order(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, (ccs_action){ .n = 2, .out = { msg_a, msg_b }, .len = { 3, 1 }, .name = "Req" });
    assert_int_equal(ccs_driver_start(&g.d, 0), 0);
    assert_int_equal(g.r.sends, 2);
    assert_int_equal(g.r.len[0], 3);
    assert_int_equal(g.r.first[0], 0xA1);
    assert_string_equal(g.r.name[0], "Req");
    assert_int_equal(g.r.len[1], 1);
    assert_int_equal(g.r.first[1], 0xB2);
    assert_null(g.r.name[1]);                 /* the name belongs to the first message */
    assert_int_equal(g.r.closes, 0);
    assert_int_equal(g.s.seen[0], CCS_EV_START);
}

static void driver_returns_the_error_of_the_action_then_of_the_port(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, (ccs_action){ .n = 1, .out = { msg_a }, .len = { 3 } });
    g.r.fail = CCS_EIO;
    assert_int_equal(ccs_driver_start(&g.d, 0), CCS_EIO);
    g.s.next.err = CCS_EPROTO;
    assert_int_equal(ccs_driver_message(&g.d, 0, msg_b, 1, 0), CCS_EPROTO);
}

static void driver_closes_once_and_sends_nothing_after(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, (ccs_action){ .n = 1, .out = { msg_a }, .len = { 3 }, .close = 1 });
    ccs_driver_message(&g.d, 0, msg_b, 1, 5);
    assert_int_equal(g.r.sends, 1); /* the last message goes out before the close */
    assert_int_equal(g.r.closes, 1);
    ccs_driver_message(&g.d, 0, msg_b, 1, 6);  /* the machine still says close and has bytes: both dropped */
    assert_int_equal(g.r.sends, 1);
    assert_int_equal(g.r.closes, 1);
    g.s.next.close = 0;
    ccs_driver_start(&g.d, 7);                 /* a new connection: sending again */
    assert_int_equal(g.r.sends, 2);
}

static void driver_sends_nothing_after_the_peer_closed(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, (ccs_action){ .n = 1, .out = { msg_a }, .len = { 3 }, .close = 1 });
    ccs_driver_disconnect(&g.d, 1);
    assert_int_equal(g.s.seen[0], CCS_EV_DISCONNECT);
    assert_int_equal(g.r.sends, 0);
    assert_int_equal(g.r.closes, 0);           /* already closed by the peer */
}

static void driver_polls_only_when_the_wake_up_is_due(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, (ccs_action){ .has_wake = 1, .wake_ms = 100 });
    uint32_t at = 0;
    assert_int_equal(ccs_driver_next_wake(&g.d, &at), 0);
    assert_int_equal(ccs_driver_poll(&g.d, 1000), 0);
    assert_int_equal(g.s.events, 0);           /* no wake-up asked for: nothing fed */
    ccs_driver_start(&g.d, 0);
    assert_int_equal(ccs_driver_next_wake(&g.d, &at), 1);
    assert_int_equal(at, 100);
    ccs_driver_poll(&g.d, 99);
    assert_int_equal(g.s.events, 1);
    g.s.next.has_wake = 0;
    g.s.next.done = 1;
    ccs_driver_poll(&g.d, 100);
    assert_int_equal(g.s.events, 2);
    assert_int_equal(g.s.seen[1], CCS_EV_TIMER);
    assert_int_equal(ccs_driver_next_wake(&g.d, &at), 0);
    assert_true(ccs_driver_done(&g.d));
    ccs_driver_inputs(&g.d, NULL, 200);
    assert_int_equal(g.s.seen[2], CCS_EV_INPUTS);
}

/* ---- SLAC: the adapter gives exactly what slac_*_step gives a twin machine ---- */

static int rng(void *ctx, uint8_t *out, size_t len)
{
    uint32_t *x = ctx;
    for (size_t i = 0; i < len; i++) {
        *x = *x * 1103515245u + 12345u;
        out[i] = (uint8_t)(*x >> 16);
    }
    return 0;
}

static void same_action(const slac_action *a, const ccs_action *b)
{
    assert_int_equal(a->n, b->n);
    for (unsigned i = 0; i < a->n; i++) {
        assert_int_equal(a->len[i], b->len[i]);
        assert_memory_equal(a->frame[i], b->out[i], a->len[i]);
    }
    assert_int_equal(a->has_wake, b->has_wake);
    if (a->has_wake) assert_int_equal(a->wake_ms, b->wake_ms);
    assert_int_equal(a->err, b->err);
}

static void slac_pev_adapter_is_the_engine(void **state)
{
    (void)state;
    static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x11 };
    uint32_t x1 = 7, x2 = 7;
    slac_pev_config c1, c2;
    static slac_pev direct, adapted;
    slac_pev_config_default(&c1, mac, rng, &x1);
    slac_pev_config_default(&c2, mac, rng, &x2);
    slac_pev_init(&direct, &c1);
    slac_pev_init(&adapted, &c2);
    ccs_machine m = ccs_slac_pev_machine(&adapted);
    ccs_action b;
    slac_event ev = { SLAC_EV_START, NULL, 0 };
    ccs_event ce = { .kind = CCS_EV_START };
    uint32_t now = 0;
    slac_action a = slac_pev_step(&direct, &ev, now);
    ccs_machine_handle(&m, &ce, now, &b);
    same_action(&a, &b);
    assert_true(b.n > 0);                    /* the first request goes out at once */
    assert_false(b.done);
    for (int i = 0; i < 30 && a.has_wake; i++) {   /* no charger answers: its retries, then it gives up */
        now = a.wake_ms;
        ev.type = SLAC_EV_TIMER;
        ce.kind = i % 2 ? CCS_EV_TIMER : CCS_EV_INPUTS;   /* both are the timers */
        a = slac_pev_step(&direct, &ev, now);
        ccs_machine_handle(&m, &ce, now, &b);
        same_action(&a, &b);
        assert_int_equal(b.done, a.status == SLAC_IDLE);
    }
    ev.type = SLAC_EV_STOP;
    ce.kind = CCS_EV_DISCONNECT;
    a = slac_pev_step(&direct, &ev, now);
    ccs_machine_handle(&m, &ce, now, &b);
    same_action(&a, &b);
    assert_true(b.done);
}

static void sha(const uint8_t *data, size_t len, uint8_t out[CCS_SHA256_LEN])
{
    memset(out, 0, CCS_SHA256_LEN);
    for (size_t i = 0; i < len; i++) out[i % CCS_SHA256_LEN] ^= data[i];
}

static void slac_evse_adapter_is_the_engine(void **state)
{
    (void)state;
    static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x22 };
    uint32_t x[2] = { 9, 9 };   /* the same random numbers for both */
    slac_evse_config c;
    static slac_evse direct, adapted;
    slac_evse_config_default(&c, mac, rng, &x[0], sha);
    slac_evse_init(&direct, &c);
    c.rng_ctx = &x[1];
    slac_evse_init(&adapted, &c);
    ccs_machine m = ccs_slac_evse_machine(&adapted);
    ccs_action b;
    slac_action a = slac_evse_step(&direct, &(slac_event){ SLAC_EV_START, NULL, 0 }, 0);
    ccs_machine_handle(&m, &(ccs_event){ .kind = CCS_EV_START }, 0, &b);
    same_action(&a, &b);
    assert_true(b.n > 0);   /* SET_KEY.REQ to its modem */
    uint8_t junk[20] = { 0 };   /* not a HomePlug frame */
    a = slac_evse_step(&direct, &(slac_event){ SLAC_EV_FRAME, junk, sizeof junk }, 3);
    ccs_machine_handle(&m, &(ccs_event){ .kind = CCS_EV_MESSAGE, .data = junk, .len = sizeof junk }, 3, &b);
    same_action(&a, &b);
    assert_int_equal(direct.stats.frames, adapted.stats.frames);
    assert_int_equal(direct.stats.ignored_bad, adapted.stats.ignored_bad);
}

/* ---- SDP ---- */

static void sdp_client_adapter_sends_retries_and_ends(void **state)
{
    (void)state;
    sdp_client c;
    assert_int_equal(sdp_client_init(&c, SDP_SECURITY_NONE, SDP_TRANSPORT_TCP), 0);
    c.max_requests = 2;
    rec_port r = { 0 };
    ccs_port p = port_of(&r);
    ccs_driver d;
    ccs_driver_init(&d, ccs_sdp_client_machine(&c), &p);
    ccs_driver_start(&d, 1000);
    assert_int_equal(r.sends, 1);
    assert_int_equal(r.len[0], SDP_REQ_LEN);
    uint32_t at;
    assert_int_equal(ccs_driver_next_wake(&d, &at), 1);
    assert_int_equal(at, 1000 + SDP_TIMEOUT_MS);
    ccs_driver_poll(&d, 1000 + SDP_TIMEOUT_MS - 1);
    assert_int_equal(r.sends, 1);
    ccs_driver_poll(&d, 1000 + SDP_TIMEOUT_MS);   /* the second and last request */
    assert_int_equal(r.sends, 2);
    assert_int_equal(ccs_driver_poll(&d, 1000 + 2 * SDP_TIMEOUT_MS), CCS_ETIMEOUT);
    assert_int_equal(r.sends, 2);
    assert_true(ccs_driver_done(&d));
    assert_int_equal(ccs_driver_next_wake(&d, &at), 0);
}

static void sdp_server_and_client_adapters_find_each_other(void **state)
{
    (void)state;
    sdp_client c;
    sdp_server_machine srv = { .srv = { .addr = { 0xfe, 0x80, [15] = 7 }, .tcp_port = 15118 } };
    assert_int_equal(sdp_client_init(&c, SDP_SECURITY_NONE, SDP_TRANSPORT_TCP), 0);
    rec_port rc = { 0 }, rs = { 0 };
    ccs_port pc = port_of(&rc), ps = port_of(&rs);
    ccs_driver dc, ds;
    ccs_driver_init(&dc, ccs_sdp_client_machine(&c), &pc);
    ccs_driver_init(&ds, ccs_sdp_server_machine(&srv), &ps);
    ccs_driver_start(&dc, 0);
    ccs_driver_message(&ds, 0, msg_a, sizeof msg_a, 1);   /* not a request: no answer */
    assert_int_equal(rs.sends, 0);
    ccs_driver_message(&ds, 0, c.tx, c.tx_len, 1);
    assert_int_equal(rs.sends, 1);
    assert_int_equal(rs.len[0], SDP_RES_LEN);
    assert_false(ccs_driver_done(&ds));
    assert_int_equal(ccs_driver_next_wake(&ds, &(uint32_t){ 0 }), 0);
    ccs_driver_message(&dc, 0, srv.tx, SDP_RES_LEN, 2);
    assert_true(ccs_driver_done(&dc));
    assert_int_equal(ccs_driver_next_wake(&dc, &(uint32_t){ 0 }), 0);
    assert_int_equal(c.result.port, 15118);
    assert_memory_equal(c.result.addr, srv.srv.addr, 16);
}

/* ---- sessions: a charger and a car driven in memory, message by message ---- */

typedef struct {
    uint8_t buf[SESS_TX_CAP];
    size_t len;
    unsigned closes;
} mailbox;

static int mail_send(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    (void)name;
    mailbox *m = ctx;
    assert_true(len <= sizeof m->buf);
    memcpy(m->buf, buf, len);
    m->len = len;
    return 0;
}

static void mail_close(void *ctx) { ((mailbox *)ctx)->closes++; }

/* Delivers what is in the mailbox to driver d (one V2GTP message). */
static void deliver(mailbox *m, ccs_driver *d, uint32_t now)
{
    v2gtp_msg msg;
    assert_int_equal(v2gtp_parse(m->buf, m->len, 65536, &msg), 0);
    m->len = 0;
    ccs_driver_message(d, msg.payload_type, msg.payload, msg.payload_len, now);
}

static sess_docs evse_docs, pev_docs;

static void session_adapters_set_up_a_session(void **state)
{
    (void)state;
    static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x11 };
    static sess_evse e;
    static sess_pev p;
    sess_evse_config ec;
    sess_pev_config pc;
    sess_evse_config_default(&ec);
    sess_pev_config_default(&pc, mac);
    sess_evse_init(&e, &ec, &evse_docs);
    sess_pev_init(&p, &pc, &pev_docs);
    mailbox to_evse = { 0 }, to_pev = { 0 };
    ccs_port pe = { mail_send, mail_close, &to_pev }, pp = { mail_send, mail_close, &to_evse };
    ccs_driver de, dp;
    ccs_driver_init(&de, ccs_sess_evse_machine(&e), &pe);
    ccs_driver_init(&dp, ccs_sess_pev_machine(&p), &pp);
    ccs_driver_start(&de, 0);
    uint32_t at;
    assert_int_equal(ccs_driver_next_wake(&de, &at), 1);
    assert_int_equal(at, SESS_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS);   /* waiting for SupportedAppProtocolReq */
    assert_int_equal(ccs_driver_start(&dp, 0), 0);
    assert_string_equal(dp.last.name, p.tx_name);
    assert_true(to_evse.len > V2GTP_HEADER_LEN);
    uint32_t now = 0;
    for (int i = 0; i < 3; i++) {   /* SupportedAppProtocol, SessionSetup, ServiceDiscovery */
        deliver(&to_evse, &de, now += 10);
        assert_true(to_pev.len > 0);
        deliver(&to_pev, &dp, now += 10);
    }
    assert_non_null(e.proto);
    assert_ptr_equal(e.proto, p.proto);
    assert_int_equal(e.session_id_len, p.session_id_len);
    assert_memory_equal(e.session_id, p.session_id, e.session_id_len);
    assert_int_equal(ccs_driver_next_wake(&de, &at), 1);
    assert_int_equal(at, now - 10 + SESS_SECC_SEQUENCE_TIMEOUT_MS);

    /* The inputs event replaces the measurements. */
    sess_evse_input in = e.in;
    in.present_v = 123.0f;
    in.status = SESS_EVSE_EMERGENCY;
    ccs_driver_inputs(&de, &in, now);
    assert_true(e.in.present_v == 123.0f);
    assert_int_equal(e.in.status, SESS_EVSE_EMERGENCY);
    sess_pev_input pin = p.in;
    pin.stop_request = 1;
    ccs_driver_inputs(&dp, &pin, now);
    assert_int_equal(p.in.stop_request, 1);

    /* Silence: the charger's sequence timer ends it safe, closing once; the car sees the close. */
    assert_false(ccs_driver_done(&de));
    ccs_driver_poll(&de, at);
    assert_true(ccs_driver_done(&de));
    assert_int_equal(e.stop, SESS_STOP_TIMEOUT);
    assert_int_equal(to_pev.closes, 1);
    ccs_driver_poll(&de, at + 1);
    assert_int_equal(to_pev.closes, 1);
    ccs_driver_disconnect(&dp, at);
    assert_true(ccs_driver_done(&dp));
    assert_int_equal(p.stop, SESS_STOP_DISCONNECT);
}

static void offer_resume_sets_the_paused_id(void **state)
{
    (void)state;
    static sess_evse e;
    sess_evse_config ec;
    sess_evse_config_default(&ec);
    sess_evse_init(&e, &ec, &evse_docs);
    const uint8_t id[4] = { 1, 2, 3, 4 };
    sess_evse_offer_resume(&e, id, 4);
    assert_int_equal(e.resume_id_len, 4);
    assert_memory_equal(e.resume_id, id, 4);
    uint8_t big[SESS_SESSION_ID_MAX + 1] = { 0 };
    sess_evse_offer_resume(&e, big, sizeof big);   /* longer than a SessionID: none */
    assert_int_equal(e.resume_id_len, 0);
    sess_evse_offer_resume(&e, id, 4);
    sess_evse_offer_resume(&e, NULL, 0);
    assert_int_equal(e.resume_id_len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(driver_routes_every_message_in_order),
        cmocka_unit_test(driver_returns_the_error_of_the_action_then_of_the_port),
        cmocka_unit_test(driver_closes_once_and_sends_nothing_after),
        cmocka_unit_test(driver_sends_nothing_after_the_peer_closed),
        cmocka_unit_test(driver_polls_only_when_the_wake_up_is_due),
        cmocka_unit_test(slac_pev_adapter_is_the_engine),
        cmocka_unit_test(slac_evse_adapter_is_the_engine),
        cmocka_unit_test(sdp_client_adapter_sends_retries_and_ends),
        cmocka_unit_test(sdp_server_and_client_adapters_find_each_other),
        cmocka_unit_test(session_adapters_set_up_a_session),
        cmocka_unit_test(offer_resume_sets_the_paused_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
