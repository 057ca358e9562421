/* Platform glue: the poll loop (timer order, re-arming, fd callbacks, stop on every ending signal), MAC text
 * forms, getrandom,
 * and the raw link on loopback (root only: frames padded to 60 bytes, the outgoing copy not delivered). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/hpgp.h"
#include "ccsplc/linux/link.h"
#include "ccsplc/linux/loop.h"
#include "ccsplc/linux/random.h"

static char order[16];
static int norder;

static void mark(ccs_loop *loop, void *ctx)
{
    (void)loop;
    order[norder++] = *(const char *)ctx;
}

static void stop_loop(ccs_loop *loop, void *ctx)
{
    mark(loop, ctx);
    ccs_loop_stop(loop, 42);
}

/* Timers b (now + 2), C (c armed for now + 4, re-armed for now + 8: fires once, later), d (now + 10: stops the
 * loop); a (now + 6) stopped. The loop's time at the start. */
static uint32_t arm_timers(ccs_loop *loop, ccs_timer t[4])
{
    ccs_loop_init(loop);
    norder = 0;
    uint32_t now = ccs_loop_now(loop);
    assert_int_equal(ccs_loop_timer_at(loop, &t[0], now + 6, mark, "a"), 0);
    assert_int_equal(ccs_loop_timer_at(loop, &t[1], now + 2, mark, "b"), 0);
    assert_int_equal(ccs_loop_timer_at(loop, &t[2], now + 4, mark, "c"), 0);
    assert_int_equal(ccs_loop_timer_at(loop, &t[3], now + 10, stop_loop, "d"), 0);
    assert_int_equal(ccs_loop_timer_at(loop, &t[2], now + 8, mark, "C"), 0);
    ccs_loop_timer_stop(loop, &t[0]);
    assert_false(ccs_loop_timer_armed(loop, &t[0]));
    return now;
}

static void timers_in_order(void **state)
{
    (void)state;
    static ccs_loop loop;
    ccs_timer t[4];
    arm_timers(&loop, t);
    assert_int_equal(ccs_loop_run(&loop), 42);
    assert_int_equal(norder, 3);
    assert_memory_equal(order, "bCd", 3);
    assert_int_equal(loop.ntimers, 0);
    assert_int_equal(ccs_loop_run(&loop), CCS_ESTATE); /* nothing left to wait for */
}

/* A loop that runs late (a loaded machine: every timer due in the same pass) still fires them in the order of
 * their deadlines, not in the order they sit in the table: the same outcome as on time. */
static void late_timers_fire_in_deadline_order(void **state)
{
    (void)state;
    static ccs_loop loop;
    ccs_timer t[4];
    uint32_t now = arm_timers(&loop, t);
    while (ccs_loop_now(&loop) - now <= 10) { /* late for all of them (waiting for an event, not a guess) */
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
    }
    assert_int_equal(ccs_loop_run(&loop), 42);
    assert_int_equal(norder, 3);
    assert_memory_equal(order, "bCd", 3);
}

/* A timer that re-arms itself for "now" fires once per pass, not in a busy loop. */
static ccs_timer again;
static void rearm(ccs_loop *loop, void *ctx)
{
    mark(loop, ctx);
    if (norder < 3) ccs_loop_timer_at(loop, &again, ccs_loop_now(loop), rearm, ctx);
}

static void rearm_once_per_pass(void **state)
{
    (void)state;
    static ccs_loop loop;
    ccs_loop_init(&loop);
    norder = 0;
    ccs_loop_timer_at(&loop, &again, ccs_loop_now(&loop), rearm, "r");
    assert_int_equal(ccs_loop_run_once(&loop, 0), 0);
    assert_int_equal(norder, 1);
    assert_int_equal(ccs_loop_run_once(&loop, 0), 0);
    assert_int_equal(norder, 2);
}

static int got;

static void on_read(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)ctx;
    char buf[8];
    assert_true(revents & POLLIN);
    got += (int)read(fd, buf, sizeof buf);
    ccs_loop_remove_fd(loop, fd); /* removing itself from inside the callback */
    ccs_loop_stop(loop, 7);
}

static void fd_callbacks(void **state)
{
    (void)state;
    static ccs_loop loop;
    int p[2];
    assert_int_equal(pipe(p), 0);
    ccs_loop_init(&loop);
    got = 0;
    assert_int_equal(ccs_loop_add_fd(&loop, p[0], POLLIN, on_read, NULL), 0);
    assert_int_equal(ccs_loop_set_events(&loop, p[0], POLLIN), 0);
    assert_int_equal(ccs_loop_set_events(&loop, 999, POLLIN), CCS_ENOTFOUND);
    assert_int_equal(write(p[1], "abc", 3), 3);
    assert_int_equal(ccs_loop_run(&loop), 7);
    assert_int_equal(got, 3);
    assert_int_equal(loop.nfds, 0);
    for (int i = 0; i < CCS_LOOP_MAX_FDS; i++) assert_int_equal(ccs_loop_add_fd(&loop, 100 + i, POLLIN, on_read, NULL), 0);
    assert_int_equal(ccs_loop_add_fd(&loop, 99, POLLIN, on_read, NULL), CCS_ENOSPC);
    close(p[0]);
    close(p[1]);
}

/* Every signal that would end the process stops a loop that takes signals, with its rc and the signal noted, so
 * that the program ends through its own safe stop (a closed terminal: SIGHUP; SIGUSR1, ...). One still pending
 * when the loop closes is taken, not delivered. */
static void every_ending_signal_stops_the_loop(void **state)
{
    (void)state;
    const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
                         SIGIO, SIGPWR, SIGRTMIN, SIGRTMIN + 3, SIGRTMAX };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        static ccs_loop loop;
        ccs_timer t;
        ccs_loop_init(&loop);
        assert_int_equal(ccs_loop_stop_on_signals(&loop, 5), 0);
        ccs_loop_timer_at(&loop, &t, ccs_loop_now(&loop) + 10000, stop_loop, "x"); /* never reached */
        raise(sigs[i]);
        assert_int_equal(ccs_loop_run(&loop), 5);
        assert_int_equal(loop.last_signal, sigs[i]);
        raise(sigs[i]);   /* after the loop's end: taken at close */
        ccs_loop_timer_stop(&loop, &t);
        ccs_loop_close(&loop);
        assert_int_equal(loop.last_signal, sigs[i]);
    }
    char buf[16];
    assert_string_equal(ccs_signal_name(SIGHUP, buf), "SIGHUP");
    assert_string_equal(ccs_signal_name(SIGRTMIN + 3, buf), "SIGRTMIN+3");
}

static void mac_text(void **state)
{
    (void)state;
    uint8_t mac[6];
    char text[CCS_MAC_TEXT];
    assert_int_equal(ccs_mac_parse("00:B0:52:0a:ff:01", mac), 0);
    assert_memory_equal(mac, ((uint8_t[]){ 0x00, 0xB0, 0x52, 0x0A, 0xFF, 0x01 }), 6);
    assert_string_equal(ccs_mac_format(mac, text), "00:b0:52:0a:ff:01");
    assert_int_equal(ccs_mac_parse("00-b0-52-0a-ff-01", mac), 0);
    const char *bad[] = { "", "00:b0:52:0a:ff", "00:b0:52:0a:ff:01:", "00:b0:52:0a:ff:0g", "00b0520aff01", "0:b0:52:0a:ff:01" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_int_equal(ccs_mac_parse(bad[i], mac), CCS_ESYNTAX);
}

static void randomness(void **state)
{
    (void)state;
    uint8_t a[32] = { 0 }, b[32] = { 0 };
    ccs_random_getrandom(NULL, a, sizeof a);
    ccs_random_getrandom(NULL, b, sizeof b);
    assert_memory_not_equal(a, b, sizeof a); /* equal with probability 2^-256 */
}

/* Frames on l that carry this GET_SW cookie (others on the loopback, e.g. a test running beside this one, are
 * read and skipped), the last one copied to out/len: waits (up to 5 s: an event, not a guess at scheduling)
 * until at least one has arrived, then takes what else is there. */
static int count_ours(ccs_link *l, uint32_t cookie, uint8_t out[HPGP_MAX_FRAME], size_t *len)
{
    int n = 0;
    uint8_t rx[HPGP_MAX_FRAME];
    size_t n_rx;
    hpgp_msg m;
    for (int polls = 0; n == 0 && polls < 50; polls++) {
        struct pollfd p = { .fd = l->fd, .events = POLLIN };
        poll(&p, 1, 100);
        while (ccs_link_recv(l, rx, sizeof rx, &n_rx) == 1)
            if (hpgp_unpack(rx, n_rx, &m) == 0 && m.kind == HPGP_K_SW_VER_REQ && m.u.sw_ver_req.cookie == cookie) {
                n++;
                memcpy(out, rx, n_rx);
                *len = n_rx;
            }
    }
    return n;
}

static void loopback_link(void **state)
{
    (void)state;
    static ccs_link tx, rx;
    int rc = ccs_link_open(&rx, "lo", CCS_LINK_HPGP);
    if (rc == CCS_EIO && getuid() != 0) skip(); /* raw sockets need root / CAP_NET_RAW */
    assert_int_equal(rc, 0);
    assert_int_equal(ccs_link_open(&tx, "no-such-if0", CCS_LINK_HPGP), CCS_ENOTFOUND);
    assert_int_equal(tx.fd, -1);
    assert_int_equal(ccs_link_open(&tx, "lo", 0), CCS_EINVAL);
    assert_int_equal(ccs_link_open(&tx, "lo", CCS_LINK_HPGP), 0);
    hpgp_msg m;
    uint8_t frame[HPGP_MAX_FRAME], buf[HPGP_MAX_FRAME];
    size_t len = 0;
    uint32_t cookie;
    ccs_random_getrandom(NULL, (uint8_t *)&cookie, sizeof cookie); /* ours among whatever else is on lo */
    hpgp_msg_init(&m, HPGP_K_SW_VER_REQ, hpgp_broadcast_mac, tx.mac);
    m.u.sw_ver_req.cookie = cookie;
    assert_int_equal(hpgp_pack(&m, frame, sizeof frame, &len), 0);
    assert_int_equal(ccs_link_send(&tx, frame, 24), 0); /* short: padded to 60 */
    /* the sender's socket sees the loopback (its incoming copy), but not its own outgoing copy; the receiver gets
     * the incoming copy only (an outgoing copy, if the filter let it through, would be queued in the send itself,
     * before it) */
    assert_int_equal(count_ours(&tx, cookie, buf, &len), 1);
    assert_int_equal(count_ours(&rx, cookie, buf, &len), 1); /* exactly one copy */
    assert_int_equal(len, HPGP_MIN_FRAME);
    assert_memory_equal(buf, frame, 24);
    assert_int_equal(ccs_link_send(&tx, frame, 10), CCS_EINVAL);
    ccs_link_close(&tx);
    ccs_link_close(&rx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timers_in_order), cmocka_unit_test(late_timers_fire_in_deadline_order),
        cmocka_unit_test(rearm_once_per_pass), cmocka_unit_test(fd_callbacks),
        cmocka_unit_test(every_ending_signal_stops_the_loop),
        cmocka_unit_test(mac_text),        cmocka_unit_test(randomness),          cmocka_unit_test(loopback_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
