/* Unit tests of the simulated modems and powerline: modem answers, AVLN rules, ATTEN_PROFILE, PIB access,
 * loss/delay/duplication, queue limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/hpgp.h"
#include "ccsplc/sim/plcsim.h"
#include "pcap_frames.h"

static const uint8_t evse_host[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t evse_modem[6] = { 0x02, 0, 0, 0, 0, 0x11 };
static const uint8_t pev_host[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t pev_modem[6] = { 0x02, 0, 0, 0, 0, 0x12 };
static const char fw_7000[] = "MAC-QCA7000-1.1.0.727-02-20130826-FINAL";
static const uint8_t key_a[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t key_b[16] = { 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };

enum { DELAY = 3, REPLY = 1, RESTART = 500 };

static sim_plc plc;
static uint8_t pib[0x2000];

/* EVSE on port 0, PEV on port 1, 20 dB between them. */
static void setup_two(const sim_plc_config *cfg)
{
    sim_plc_config def = { .delay_ms = DELAY, .modem_reply_ms = REPLY, .seed = 7 };
    sim_plc_init(&plc, cfg ? cfg : &def);
    sim_port_config e = { .device_class = 0x22, .firmware = fw_7000, .restart_ms = RESTART, .setkey_result = 1,
                          .pib = pib, .pib_len = sizeof pib };
    memcpy(e.host_mac, evse_host, 6);
    memcpy(e.modem_mac, evse_modem, 6);
    sim_port_config p = e;
    memcpy(p.host_mac, pev_host, 6);
    memcpy(p.modem_mac, pev_modem, 6);
    assert_int_equal(sim_plc_add_port(&plc, &e), 0);
    assert_int_equal(sim_plc_add_port(&plc, &p), 1);
    assert_int_equal(sim_plc_set_atten(&plc, 0, 1, 20), 0);
    for (size_t i = 0; i < sizeof pib; i++) pib[i] = (uint8_t)(i * 7);
}

static void send_msg(int port, hpgp_msg *m, uint32_t now)
{
    uint8_t buf[HPGP_MAX_FRAME];
    size_t len;
    assert_int_equal(hpgp_pack(m, buf, sizeof buf, &len), 0);
    assert_int_equal(sim_plc_send(&plc, port, buf, len, now), 0);
}

static uint8_t rx[HPGP_MAX_FRAME];

/* Poll one frame due by `now`; returns its port or -1. */
static int poll_one(uint32_t now, hpgp_msg *m, size_t *len)
{
    int port;
    size_t n;
    if (sim_plc_poll(&plc, now, &port, rx, sizeof rx, &n) != 1) return -1;
    if (len) *len = n;
    if (m) hpgp_unpack(rx, n, m);
    return port;
}

static void get_sw_from_local_modem(void **state)
{
    (void)state;
    setup_two(NULL);
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_SW_VER_REQ, hpgp_local_modem_mac, pev_host);
    send_msg(1, &m, 100);
    uint32_t due;
    assert_int_equal(sim_plc_next_due(&plc, &due), 1);
    assert_int_equal(due, 100 + REPLY);
    assert_int_equal(poll_one(100, NULL, NULL), -1); /* not yet */
    assert_int_equal(poll_one(due, &m, NULL), 1);
    assert_int_equal(m.kind, HPGP_K_SW_VER_CNF);
    assert_memory_equal(m.hdr.src, pev_modem, 6);
    assert_memory_equal(m.hdr.dst, pev_host, 6);
    assert_int_equal(m.u.sw_ver_cnf.device_class, 0x22);
    assert_int_equal(m.u.sw_ver_cnf.version_len, sizeof fw_7000);
    assert_memory_equal(m.u.sw_ver_cnf.version, fw_7000, sizeof fw_7000);
    assert_int_equal(sim_plc_next_due(&plc, &due), 0);
    /* OP_ATTRIBUTES names the chip of the firmware string */
    hpgp_msg_init(&m, HPGP_K_OP_ATTR_REQ, hpgp_local_modem_mac, pev_host);
    m.u.op_attr_req.cookie = 0x2002;
    send_msg(1, &m, 200);
    assert_int_equal(poll_one(200 + REPLY, &m, NULL), 1);
    assert_int_equal(m.kind, HPGP_K_OP_ATTR_CNF);
    assert_int_equal(m.u.op_attr_cnf.cookie, 0x2002);
    assert_string_equal((const char *)m.u.op_attr_cnf.hw_platform, "QCA7000");
}

/* SET_KEY: CNF (Result 1 like real QCA modems), restart, then the two hosts share an AVLN. */
static void set_key_joins_avln(void **state)
{
    (void)state;
    setup_two(NULL);
    hpgp_msg m;
    assert_false(sim_plc_same_avln(&plc, 0, 1, 0));
    assert_int_equal(sim_plc_set_nmk(&plc, 0, key_a), 0);
    hpgp_msg_init(&m, HPGP_K_SET_KEY_REQ, hpgp_local_modem_mac, pev_host);
    m.u.set_key_req.my_nonce = 0xaaaaaaaa;
    memcpy(m.u.set_key_req.new_key, key_a, 16);
    send_msg(1, &m, 1000);
    assert_int_equal(poll_one(1000 + REPLY, &m, NULL), 1);
    assert_int_equal(m.kind, HPGP_K_SET_KEY_CNF);
    assert_int_equal(m.u.set_key_cnf.result, 1);
    assert_int_equal(m.u.set_key_cnf.your_nonce, 0xaaaaaaaa);
    assert_false(sim_plc_same_avln(&plc, 0, 1, 1000 + RESTART - 1));
    /* while restarting, the modem takes nothing from its host */
    hpgp_msg_init(&m, HPGP_K_SW_VER_REQ, hpgp_local_modem_mac, pev_host);
    send_msg(1, &m, 1100);
    assert_int_equal(plc.stats.dropped_offline, 1);
    assert_true(sim_plc_same_avln(&plc, 0, 1, 1000 + RESTART));
    /* GET_SW broadcast is now answered by both modems */
    hpgp_msg_init(&m, HPGP_K_SW_VER_REQ, hpgp_broadcast_mac, pev_host);
    send_msg(1, &m, 2000);
    assert_int_equal(poll_one(2000 + REPLY, &m, NULL), 1);
    assert_memory_equal(m.hdr.src, pev_modem, 6);
    assert_int_equal(poll_one(2000 + DELAY + REPLY, &m, NULL), 1);
    assert_memory_equal(m.hdr.src, evse_modem, 6);
    assert_memory_equal(m.hdr.dst, pev_host, 6);
    hpgp_msg_init(&m, HPGP_K_LINK_STATUS_REQ, hpgp_local_modem_mac, pev_host);
    send_msg(1, &m, 3000);
    assert_int_equal(poll_one(3000 + REPLY, &m, NULL), 1);
    assert_int_equal(m.u.status.value, 1);
}

/* A real IPv6 frame (from a capture) crosses only inside an AVLN; SLAC messages always cross. */
static void avln_rules(void **state)
{
    (void)state;
    setup_two(NULL);
    pf_list l;
    assert_int_equal(pf_load("2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng", &l), 0);
    uint8_t ip6[HPGP_MAX_FRAME];
    size_t ip6_len = 0;
    for (size_t i = 0; i < l.n && !ip6_len; i++)
        if (l.len[i] > 54 && l.data[i][12] == 0x86 && l.data[i][13] == 0xDD && !(l.data[i][0] & 1)) {
            ip6_len = l.len[i];
            memcpy(ip6, l.data[i], ip6_len);
        }
    pf_free(&l);
    assert_true(ip6_len > 0);
    memcpy(ip6, evse_host, 6);
    memcpy(ip6 + 6, pev_host, 6);

    assert_int_equal(sim_plc_send(&plc, 1, ip6, ip6_len, 0), 0);
    assert_int_equal(plc.stats.dropped_avln, 1);
    sim_plc_set_nmk(&plc, 0, key_a);
    sim_plc_set_nmk(&plc, 1, key_b);
    assert_int_equal(sim_plc_send(&plc, 1, ip6, ip6_len, 0), 0);
    assert_int_equal(plc.stats.dropped_avln, 2);
    sim_plc_set_nmk(&plc, 1, key_a);
    assert_int_equal(sim_plc_send(&plc, 1, ip6, ip6_len, 0), 0);
    size_t n;
    assert_int_equal(poll_one(DELAY, NULL, &n), 0);
    assert_int_equal(n, ip6_len);
    assert_memory_equal(rx, ip6, n);

    /* SLAC unicast between stations of different AVLNs still passes */
    sim_plc_set_nmk(&plc, 1, key_b);
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_SLAC_PARAM_CNF, pev_host, evse_host);
    send_msg(0, &m, 10);
    assert_int_equal(poll_one(10 + DELAY, &m, NULL), 1);
    assert_int_equal(m.kind, HPGP_K_SLAC_PARAM_CNF);
}

/* A modem bridges every frame of its host, not only HomePlug and IPv6: an ARP request (broadcast) and an IPv4
 * echo request (unicast) cross unchanged inside an AVLN, and not between AVLNs. */
static void ipv4_arp_bridged(void **state)
{
    (void)state;
    setup_two(NULL);
    uint8_t arp[60] = { 0 }, ip4[74] = { 0 };
    memset(arp, 0xFF, 6);
    memcpy(arp + 6, pev_host, 6);
    static const uint8_t arp_body[] = { 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1 }; /* ethertype, htype, ptype, op 1 */
    memcpy(arp + 12, arp_body, sizeof arp_body);
    memcpy(arp + 22, pev_host, 6);
    memcpy(arp + 28, "\x0a\x00\x00\x02", 4); /* sender 10.0.0.2 */
    memcpy(arp + 38, "\x0a\x00\x00\x01", 4); /* target 10.0.0.1 */
    memcpy(ip4, evse_host, 6);
    memcpy(ip4 + 6, pev_host, 6);
    static const uint8_t ip_head[] = { 0x08, 0x00, 0x45, 0, 0, 60, 0, 1, 0x40, 0, 64, 1 }; /* IPv4, ICMP */
    memcpy(ip4 + 12, ip_head, sizeof ip_head);
    ip4[34] = 8; /* echo request */
    sim_plc_set_nmk(&plc, 0, key_a);
    sim_plc_set_nmk(&plc, 1, key_b);
    assert_int_equal(sim_plc_send(&plc, 1, arp, sizeof arp, 0), 0);
    assert_int_equal(sim_plc_send(&plc, 1, ip4, sizeof ip4, 0), 0);
    assert_int_equal(plc.stats.dropped_avln, 2);
    assert_int_equal(poll_one(DELAY, NULL, NULL), -1);
    sim_plc_set_nmk(&plc, 1, key_a);
    const uint8_t *frames[2] = { arp, ip4 };
    const size_t lens[2] = { sizeof arp, sizeof ip4 };
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sim_plc_send(&plc, 1, frames[i], lens[i], 10), 0);
        size_t n;
        assert_int_equal(poll_one(10 + DELAY, NULL, &n), 0);
        assert_int_equal(n, lens[i]);
        assert_memory_equal(rx, frames[i], n);
    }
    assert_int_equal(poll_one(100, NULL, NULL), -1); /* one copy each, to the other host only */
}

/* Each MNBC sound reaches the other host, followed by its modem's ATTEN_PROFILE.IND with the link's
 * attenuation; an AR7420-like modem sends no profile. */
static void sounds_and_profiles(void **state)
{
    (void)state;
    setup_two(NULL);
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_MNBC_SOUND_IND, hpgp_broadcast_mac, pev_host);
    m.u.mnbc_sound.cnt = 9;
    send_msg(1, &m, 50);
    assert_int_equal(poll_one(50 + DELAY, &m, NULL), 0);
    assert_int_equal(m.kind, HPGP_K_MNBC_SOUND_IND);
    assert_int_equal(poll_one(50 + DELAY, &m, NULL), 0);
    assert_int_equal(m.kind, HPGP_K_ATTEN_PROFILE_IND);
    assert_memory_equal(m.hdr.src, evse_modem, 6);
    assert_memory_equal(m.u.atten_profile.pev_mac, pev_host, 6);
    assert_int_equal(m.u.atten_profile.num_groups, HPGP_NUM_GROUPS);
    for (unsigned g = 0; g < HPGP_NUM_GROUPS; g++) assert_int_equal(m.u.atten_profile.aag[g], 20);
    plc.port[0].cfg.no_atten_profile = 1;
    hpgp_msg_init(&m, HPGP_K_MNBC_SOUND_IND, hpgp_broadcast_mac, pev_host);
    send_msg(1, &m, 60);
    assert_int_equal(poll_one(60 + DELAY, &m, NULL), 0);
    assert_int_equal(poll_one(60 + DELAY, &m, NULL), -1);
    assert_int_equal(plc.stats.atten_profiles, 1);
}

static void pib_rd_wr_mod(void **state)
{
    (void)state;
    setup_two(NULL);
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_RD_MOD_REQ, hpgp_local_modem_mac, evse_host);
    m.u.mod_rw.module_id = 2;
    m.u.mod_rw.length = 16;
    m.u.mod_rw.offset = 0x74;
    send_msg(0, &m, 0);
    assert_int_equal(poll_one(REPLY, &m, NULL), 0);
    assert_int_equal(m.kind, HPGP_K_RD_MOD_CNF);
    assert_int_equal(m.u.mod_rw.mstatus, 0);
    assert_int_equal(m.u.mod_rw.length, 16);
    assert_memory_equal(m.u.mod_rw.data, pib + 0x74, 16);
    assert_int_equal(m.u.mod_rw.checksum, hpgp_checksum32(pib + 0x74, 16));

    static const uint8_t hfid[8] = "EVSE";
    hpgp_msg_init(&m, HPGP_K_WR_MOD_REQ, hpgp_local_modem_mac, evse_host);
    m.u.mod_rw.module_id = 2;
    m.u.mod_rw.length = sizeof hfid;
    m.u.mod_rw.offset = 0x74;
    m.u.mod_rw.data = hfid;
    m.u.mod_rw.checksum = hpgp_checksum32(hfid, sizeof hfid) ^ 1; /* wrong */
    send_msg(0, &m, 10);
    hpgp_msg c;
    assert_int_equal(poll_one(10 + REPLY, &c, NULL), 0);
    assert_int_equal(c.u.mod_rw.mstatus, 1);
    assert_memory_not_equal(pib + 0x74, hfid, sizeof hfid);
    m.u.mod_rw.checksum ^= 1;
    send_msg(0, &m, 20);
    assert_int_equal(poll_one(20 + REPLY, &c, NULL), 0);
    assert_int_equal(c.kind, HPGP_K_WR_MOD_CNF);
    assert_int_equal(c.u.mod_rw.mstatus, 0);
    assert_memory_equal(pib + 0x74, hfid, sizeof hfid);
    /* out of range */
    hpgp_msg_init(&m, HPGP_K_RD_MOD_REQ, hpgp_local_modem_mac, evse_host);
    m.u.mod_rw.module_id = 2;
    m.u.mod_rw.length = 16;
    m.u.mod_rw.offset = sizeof pib - 8;
    send_msg(0, &m, 30);
    assert_int_equal(poll_one(30 + REPLY, &c, NULL), 0);
    assert_int_equal(c.u.mod_rw.mstatus, 1);
}

/* VS_MODULE_OPERATION: read a chunk, then a write session over the whole image and a commit. */
static void pib_module_operation(void **state)
{
    (void)state;
    setup_two(NULL);
    static uint8_t image[sizeof pib];
    hpgp_msg m, c;
    hpgp_msg_init(&m, HPGP_K_MODOP_READ_REQ, hpgp_local_modem_mac, evse_host);
    m.u.modop.module_id = HPGP_MODULE_PIB;
    m.u.modop.length = HPGP_MODOP_MAX;
    m.u.modop.offset = 0x100;
    send_msg(0, &m, 0);
    size_t n;
    assert_int_equal(poll_one(REPLY, &c, &n), 0);
    assert_int_equal(c.kind, HPGP_K_MODOP_READ_CNF);
    assert_int_equal(n, 47 + HPGP_MODOP_MAX);
    assert_int_equal(c.u.modop.op_data_len, 18 + HPGP_MODOP_MAX);
    assert_memory_equal(c.u.modop.data, pib + 0x100, HPGP_MODOP_MAX);

    for (size_t i = 0; i < sizeof image; i++) image[i] = (uint8_t)(i ^ 0x5A);
    hpgp_msg_init(&m, HPGP_K_MODOP_START_REQ, hpgp_local_modem_mac, evse_host);
    m.u.modop.session_id = 77;
    m.u.modop.num_modules = 1;
    m.u.modop.module_id = HPGP_MODULE_PIB;
    m.u.modop.module_length = sizeof image;
    m.u.modop.module_checksum = hpgp_checksum32(image, sizeof image);
    uint32_t t = 10;
    send_msg(0, &m, t);
    assert_int_equal(poll_one(t + REPLY, &c, NULL), 0);
    assert_int_equal(c.kind, HPGP_K_MODOP_START_CNF);
    assert_int_equal(c.u.modop.mstatus, 0);
    for (uint32_t off = 0; off < sizeof image; off += HPGP_MODOP_MAX) {
        uint32_t len = sizeof image - off < HPGP_MODOP_MAX ? sizeof image - off : HPGP_MODOP_MAX;
        hpgp_msg_init(&m, HPGP_K_MODOP_WRITE_REQ, hpgp_local_modem_mac, evse_host);
        m.u.modop.session_id = 77;
        m.u.modop.module_id = HPGP_MODULE_PIB;
        m.u.modop.length = (uint16_t)len;
        m.u.modop.offset = off;
        m.u.modop.op_data_len = (uint16_t)(23 + len);
        m.u.modop.data = image + off;
        send_msg(0, &m, ++t);
        assert_int_equal(poll_one(t + REPLY, &c, NULL), 0);
        assert_int_equal(c.kind, HPGP_K_MODOP_WRITE_CNF);
        assert_int_equal(c.u.modop.mstatus, 0);
        assert_int_equal(c.u.modop.offset, off);
    }
    assert_memory_equal(pib, image, sizeof image);
    hpgp_msg_init(&m, HPGP_K_MODOP_COMMIT_REQ, hpgp_local_modem_mac, evse_host);
    m.u.modop.session_id = 76; /* wrong session */
    send_msg(0, &m, ++t);
    assert_int_equal(poll_one(t + REPLY, &c, NULL), 0);
    assert_int_equal(c.u.modop.mstatus, 1);
    /* a fresh session, committed with reset: the modem restarts */
    hpgp_msg_init(&m, HPGP_K_MODOP_START_REQ, hpgp_local_modem_mac, evse_host);
    m.u.modop.session_id = 78;
    m.u.modop.module_id = HPGP_MODULE_PIB;
    m.u.modop.module_length = sizeof image;
    m.u.modop.module_checksum = hpgp_checksum32(image, sizeof image);
    send_msg(0, &m, ++t);
    assert_int_equal(poll_one(t + REPLY, &c, NULL), 0);
    hpgp_msg_init(&m, HPGP_K_MODOP_COMMIT_REQ, hpgp_local_modem_mac, evse_host);
    m.u.modop.session_id = 78;
    m.u.modop.commit_code = HPGP_MODOP_COMMIT_FORCE | HPGP_MODOP_COMMIT_FACTORY_PIB;
    send_msg(0, &m, ++t);
    assert_int_equal(poll_one(t + REPLY, &c, NULL), 0);
    assert_int_equal(c.kind, HPGP_K_MODOP_COMMIT_CNF);
    assert_int_equal(c.u.modop.mstatus, 0);
    uint32_t before = plc.stats.dropped_offline;
    hpgp_msg_init(&m, HPGP_K_SW_VER_REQ, hpgp_local_modem_mac, evse_host);
    send_msg(0, &m, t + 1);
    assert_int_equal(plc.stats.dropped_offline, before + 1);
}

/* Count the frames the EVSE host receives when the PEV host broadcasts `count` sounds. */
static unsigned broadcast_and_count(const sim_plc_config *cfg, unsigned count)
{
    setup_two(cfg);
    plc.port[0].cfg.no_atten_profile = 1;
    unsigned got = 0;
    for (unsigned i = 0; i < count; i++) {
        hpgp_msg m;
        hpgp_msg_init(&m, HPGP_K_MNBC_SOUND_IND, hpgp_broadcast_mac, pev_host);
        send_msg(1, &m, i * 10);
        while (poll_one(i * 10 + 100, NULL, NULL) == 0) got++;
    }
    return got;
}

/* Loss and duplication follow the seeded PRNG: the same seed gives the same run. */
static void loss_dup_delay(void **state)
{
    (void)state;
    sim_plc_config lossy = { .delay_ms = 5, .jitter_ms = 4, .loss_permille = 300, .seed = 42 };
    unsigned a = broadcast_and_count(&lossy, 200);
    unsigned lost = plc.stats.dropped_loss;
    unsigned b = broadcast_and_count(&lossy, 200);
    assert_int_equal(a, b);
    assert_int_equal(a + lost, 200);
    assert_true(lost > 30 && lost < 100); /* about 30 % */
    lossy.seed = 43;
    broadcast_and_count(&lossy, 200);
    assert_int_not_equal(plc.stats.dropped_loss, 0);

    sim_plc_config dup = { .delay_ms = 5, .dup_permille = 1000, .seed = 1 };
    assert_int_equal(broadcast_and_count(&dup, 20), 40);
    assert_int_equal(plc.stats.duplicated, 20);

    /* jitter: every delivery between delay and delay + jitter */
    setup_two(&lossy);
    plc.cfg.loss_permille = 0;
    plc.port[0].cfg.no_atten_profile = 1;
    for (int i = 0; i < 50; i++) {
        hpgp_msg m;
        hpgp_msg_init(&m, HPGP_K_MNBC_SOUND_IND, hpgp_broadcast_mac, pev_host);
        send_msg(1, &m, 1000);
        uint32_t due;
        assert_int_equal(sim_plc_next_due(&plc, &due), 1);
        assert_true(due >= 1005 && due <= 1009);
        assert_int_equal(poll_one(due, NULL, NULL), 0);
    }
}

static void queue_limits(void **state)
{
    (void)state;
    setup_two(NULL);
    plc.port[0].cfg.no_atten_profile = 1;
    hpgp_msg m;
    hpgp_msg_init(&m, HPGP_K_MNBC_SOUND_IND, hpgp_broadcast_mac, pev_host);
    for (int i = 0; i < SIM_QUEUE_CAP + 3; i++) send_msg(1, &m, 0);
    assert_int_equal(plc.stats.dropped_full, 3);
    int port;
    size_t n;
    assert_int_equal(sim_plc_poll(&plc, DELAY, &port, rx, 10, &n), CCS_ENOSPC);
    assert_int_equal(sim_plc_send(&plc, 1, rx, 13, 0), CCS_ETRUNC);
    assert_int_equal(sim_plc_send(&plc, 5, rx, 60, 0), CCS_EINVAL);
    assert_int_equal(sim_plc_set_atten(&plc, 0, 9, 1), CCS_EINVAL);
    sim_port_config pc = { .restart_ms = 0 };
    for (int i = 2; i < SIM_MAX_PORTS; i++) assert_int_equal(sim_plc_add_port(&plc, &pc), i);
    assert_int_equal(sim_plc_add_port(&plc, &pc), CCS_ENOSPC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(get_sw_from_local_modem),
        cmocka_unit_test(set_key_joins_avln),
        cmocka_unit_test(avln_rules),
        cmocka_unit_test(ipv4_arp_bridged),
        cmocka_unit_test(sounds_and_profiles),
        cmocka_unit_test(pib_rd_wr_mod),
        cmocka_unit_test(pib_module_operation),
        cmocka_unit_test(loss_dup_delay),
        cmocka_unit_test(queue_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
