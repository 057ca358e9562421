/* Modem management (list, set key, PIB read/write, configure) against the in-process simulated modem:
 * a ccs_frame_io over sim_plc on a virtual clock, so the whole read -> patch -> write -> reset -> wait
 * exchange runs as over a link. The modem holds a flat PIB or, as a QCA7000, an NVM chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/modem.h"
#include "ccsplc/sim/plcsim.h"
#include "ccsplc/linux/random.h"
#include "ccsplc/core/sha256.h"
#include "pib_fixture.h"

enum { RESTART_MS = 700, REPLY_MS = 2 };
static const uint8_t host[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t modem_mac[6] = { 0x02, 0xB0, 0x52, 0, 0, 0x11 };
static const char fw[] = "MAC-QCA7000-1.1.0.727-02-20130826-FINAL";

/* The frame I/O: the host on port 0 of a simulated powerline; recv advances the virtual clock. */
typedef struct {
    sim_plc plc;
    uint32_t now;
    unsigned sent[4];           /* requests by kind of interest: 0 read, 1 start, 2 write, 3 commit */
    int silent;                 /* the modem does not answer at all */
} sim_io;

static sim_io W;
static uint8_t pib[FIX_NVM_LEN + 2 * HPGP_MODOP_MAX]; /* module 0x7002 of the simulated modem, with room */

static int io_send(void *ctx, const uint8_t *frame, size_t len)
{
    sim_io *w = ctx;
    hpgp_msg m;
    if (hpgp_unpack(frame, len, &m) == 0) {
        if (m.kind == HPGP_K_MODOP_READ_REQ) w->sent[0]++;
        if (m.kind == HPGP_K_MODOP_START_REQ) w->sent[1]++;
        if (m.kind == HPGP_K_MODOP_WRITE_REQ) w->sent[2]++;
        if (m.kind == HPGP_K_MODOP_COMMIT_REQ) w->sent[3]++;
    }
    return w->silent ? 0 : sim_plc_send(&w->plc, 0, frame, len, w->now);
}

static int io_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, uint32_t timeout_ms)
{
    sim_io *w = ctx;
    uint32_t deadline = w->now + timeout_ms, due;
    for (;;) {
        int port;
        if (sim_plc_poll(&w->plc, w->now, &port, buf, cap, len) == 1) {
            if (port == 0) return 1;
            continue;
        }
        if (!sim_plc_next_due(&w->plc, &due) || (int32_t)(due - deadline) > 0) {
            w->now = deadline;
            return 0;
        }
        if ((int32_t)(due - w->now) > 0) w->now = due;
    }
}

static uint32_t io_now(void *ctx) { return ((sim_io *)ctx)->now; }

static ccs_frame_io io;
static modem_client client;

/* The modem's module 0x7002 holds `len` bytes: a flat PIB (FIX_PIB_LEN) or the chain (FIX_NVM_LEN). */
static void setup_module(size_t len)
{
    memset(&W, 0, sizeof W);
    W.now = 1000;
    sim_plc_init(&W.plc, &(sim_plc_config){ .delay_ms = 2, .modem_reply_ms = REPLY_MS, .seed = 3 });
    memset(pib, 0xEE, sizeof pib);
    if (len == FIX_NVM_LEN) fix_nvm(pib);
    else fix_flat(pib, len);
    sim_port_config pc = { .device_class = 0x22, .firmware = fw, .restart_ms = RESTART_MS, .setkey_result = 1,
                           .pib = pib, .pib_len = len, .pib_cap = sizeof pib };
    memcpy(pc.host_mac, host, 6);
    memcpy(pc.modem_mac, modem_mac, 6);
    assert_int_equal(sim_plc_add_port(&W.plc, &pc), 0);
    io = (ccs_frame_io){ .send = io_send, .recv = io_recv, .now = io_now, .ctx = &W };
    memcpy(io.mac, host, 6);
    modem_client_init(&client, &io);
}

static int setup(void **state)
{
    (void)state;
    setup_module(FIX_PIB_LEN);
    return 0;
}

static int setup_chain(void **state)
{
    (void)state;
    setup_module(FIX_NVM_LEN);
    return 0;
}

static size_t chunks(size_t len) { return (len + HPGP_MODOP_MAX - 1) / HPGP_MODOP_MAX; }

static void list_and_wait(void **state)
{
    (void)state;
    modem_info m[4];
    size_t n = 9;
    memcpy(client.dst, hpgp_broadcast_mac, 6);
    assert_int_equal(modem_list(&client, 300, m, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_memory_equal(m[0].mac, modem_mac, 6);
    assert_int_equal(m[0].device_class, 0x22);
    assert_string_equal(m[0].firmware, fw);
    assert_int_equal(W.now, 1000 + 300); /* listened for the whole window */
    modem_info info;
    memcpy(client.dst, hpgp_local_modem_mac, 6);
    assert_int_equal(modem_wait(&client, 1000, &info), 0);
    assert_string_equal(info.firmware, fw);
    W.silent = 1;
    assert_int_equal(modem_wait(&client, 1000, NULL), CCS_ETIMEOUT);
    assert_int_equal(modem_reset(&client), CCS_ETIMEOUT);
}

static void set_key(void **state)
{
    (void)state;
    const uint8_t nmk[16] = { 0x50, 0xD3, 0xE4, 0x93, 0x3F, 0x85, 0x5B, 0x70, 0x40, 0x78, 0x4D, 0xF8, 0x15, 0xAA, 0x8D, 0xB7 };
    assert_int_equal(modem_set_key(&client, nmk, ccs_sha256_openssl, ccs_random_getrandom, NULL), 0);
    assert_true(W.plc.port[0].has_nmk);
    assert_memory_equal(W.plc.port[0].nmk, nmk, 16);
}

/* A flat PIB: its length at 0x04, read in chunks of 1400 as plctool -p reads. */
static void pib_read(void **state)
{
    (void)state;
    static uint8_t buf[HPGP_PIB_MAX_LEN];
    size_t len = 0;
    assert_int_equal(modem_pib_read(&client, buf, sizeof buf, &len), 0);
    assert_int_equal(len, FIX_PIB_LEN);
    assert_memory_equal(buf, pib, FIX_PIB_LEN);
    assert_int_equal(W.sent[0], chunks(FIX_PIB_LEN));
    assert_int_equal(modem_pib_read(&client, buf, FIX_PIB_LEN - 1, &len), CCS_ENOSPC);
}

/* A QCA7000 returns module 0x7002 as an NVM chain (its offset 0x04 is no length): read to the end of its last
 * image, not beyond, although the modem has more bytes. */
static void pib_read_chain(void **state)
{
    (void)state;
    static uint8_t buf[HPGP_PIB_MAX_LEN];
    size_t len = 0;
    W.plc.port[0].pib_len = sizeof pib; /* the module goes on after the chain */
    assert_int_equal(modem_pib_read(&client, buf, sizeof buf, &len), 0);
    assert_int_equal(len, FIX_NVM_LEN);
    assert_memory_equal(buf, pib, FIX_NVM_LEN);
    assert_int_equal(W.sent[0], chunks(FIX_NVM_LEN));
    hpgp_pib_view v;
    assert_int_equal(hpgp_pib_open(buf, len, &v), 0);
    assert_int_equal(v.off, FIX_PIB_DATA);
    /* a module that ends before its chain does: the read says so */
    W.plc.port[0].pib_len = FIX_NVM_LEN - 4;
    assert_int_equal(modem_pib_read(&client, buf, sizeof buf, &len), CCS_ETRUNC);
    /* a broken header: refused as soon as it is read */
    W.plc.port[0].pib_len = FIX_NVM_LEN;
    pib[FIX_PIB_HDR] = 2; /* major version 2 */
    assert_int_equal(modem_pib_read(&client, buf, sizeof buf, &len), CCS_EHEADER);
}

/* read -> patch -> write -> reset -> wait, for a flat PIB and for a chain: the whole file goes back. */
static void configure_roles(void **state)
{
    (void)state;
    size_t len = W.plc.port[0].pib_len;
    hpgp_pib_view v;
    assert_int_equal(hpgp_pib_open(pib, len, &v), 0);
    static const struct { hpgp_pib_role role; const char *hfid; } roles[] = {
        { HPGP_PIB_ROLE_EVSE, "EVSE" }, { HPGP_PIB_ROLE_PEV, "PEV" } };
    for (size_t r = 0; r < 2; r++) {
        uint32_t t0 = W.now;
        assert_int_equal(modem_configure(&client, roles[r].role, MODEM_WAIT_MS), 0);
        assert_int_equal(W.plc.port[0].pib_len, len);
        hpgp_pib_view again;
        assert_int_equal(hpgp_pib_open(pib, len, &again), 0);
        const uint8_t *img = pib + v.off;
        if (v.form == HPGP_PIB_FLAT) assert_int_equal(fix_xor(pib, len), 0xFFFFFFFFu);
        else assert_int_equal(fix_xor(pib + v.header, FIX_NVM_HDR), 0xFFFFFFFFu);
        assert_string_equal((const char *)img + 0x74, roles[r].hfid);
        assert_int_equal(img[0xF4], roles[r].role);
        assert_int_equal(img[0x1653], roles[r].role);
        assert_int_equal(fix_le32(img + 0x1C98), 10240);
        assert_int_equal(fix_le32(img + 0x1C9C), 102400);
        assert_memory_equal(img + 0x0C, fix_mac, 6);
        /* the modem was reset (VS_RS_DEV after the commit, which asked for no reset) and has answered since */
        uint32_t online = W.plc.port[0].online_at;
        assert_true(online - t0 >= RESTART_MS);
        assert_true((int32_t)(W.now - online) >= 0);
    }
    assert_int_equal(W.sent[1], 2);
    assert_int_equal(W.sent[2], 2 * chunks(len));
    assert_int_equal(W.sent[3], 2);
}

static void corrupt_not_written(void **state)
{
    (void)state;
    pib[0x500] ^= 0x10; /* the modem's PIB no longer verifies */
    static uint8_t before[sizeof pib];
    memcpy(before, pib, sizeof pib);
    assert_int_equal(modem_configure(&client, HPGP_PIB_ROLE_EVSE, MODEM_WAIT_MS), CCS_ECHECKSUM);
    assert_memory_equal(pib, before, sizeof pib);
    assert_int_equal(W.sent[1] + W.sent[2] + W.sent[3], 0);
    /* a bad file is refused before anything is sent */
    static uint8_t file[FIX_NVM_LEN];
    fix_nvm(file);
    file[FIX_PIB_DATA + 3] ^= 1;
    assert_int_equal(modem_pib_write(&client, file, sizeof file), CCS_ECHECKSUM);
    assert_int_equal(modem_pib_write(&client, file, 100), CCS_ETRUNC);
    assert_int_equal(W.sent[1] + W.sent[2] + W.sent[3], 0);
}

/* A chain file goes to the modem whole, as plctool -P writes it (length and checksum of the file). */
static void write_nvm_file(void **state)
{
    (void)state;
    static uint8_t file[FIX_NVM_LEN];
    fix_nvm(file);
    hpgp_pib_view v;
    assert_int_equal(hpgp_pib_open(file, sizeof file, &v), 0);
    assert_int_equal(hpgp_pib_set_role(file, &v, HPGP_PIB_ROLE_PEV), 0);
    assert_int_equal(modem_pib_write(&client, file, sizeof file), 0);
    assert_int_equal(W.plc.port[0].pib_len, sizeof file);
    assert_memory_equal(pib, file, sizeof file);
    assert_int_equal(W.sent[2], chunks(sizeof file));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(list_and_wait, setup),
        cmocka_unit_test_setup(set_key, setup),
        cmocka_unit_test_setup(pib_read, setup),
        cmocka_unit_test_setup(pib_read_chain, setup_chain),
        cmocka_unit_test_setup(configure_roles, setup),
        cmocka_unit_test_setup(configure_roles, setup_chain),
        cmocka_unit_test_setup(corrupt_not_written, setup),
        cmocka_unit_test_setup(write_nvm_file, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
