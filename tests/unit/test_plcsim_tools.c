/* open-plc-utils' requests answered by the simulated modems as a QCA7000 answers them: plctool -r (VS_SW_VER),
 * -a (VS_OP_ATTRIBUTES), -m (VS_NW_INFO, MMV 1), -M / -J (VS_SET_KEY), -p (VS_MODULE_OPERATION reads until a
 * short chunk), -I (the first chunk read as an NVM chain), plcstat -t (local GET_SW, VS_NW_INFO, GET_SW to each
 * remote station). Every request is built byte by byte as the tool builds it, every answer field checked at
 * its offset in the tool's message layout (not through our codec). CCS_PLCSIM_PCAP=file dumps all frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/hpgp.h"
#include "ccsplc/core/pib.h"
#include "ccsplc/sim/plcsim.h"
#include "ccsplc/core/sha256.h"
#include "pcap_frames.h"
#include "pib_fixture.h"

enum { REPLY = 1, DELAY = 2, RESTART = 500, MODULE = 1400 /* PLC_MODULE_SIZE */ };
static const char fw[] = "MAC-QCA7000-1.1.0.727-02-20130826-FINAL";
static const uint8_t host[3][6] = { { 2, 0, 0, 0, 0, 0xE1 }, { 2, 0, 0, 0, 0, 0xE2 }, { 2, 0, 0, 0, 0, 0xC1 } };
static const uint8_t modem[3][6] = { { 2, 0xB0, 0x52, 0, 0, 0x10 }, { 2, 0xB0, 0x52, 0, 0, 0x11 },
                                     { 2, 0xB0, 0x52, 0, 0, 0x12 } };
static const uint8_t localcast[6] = { 0x00, 0xB0, 0x52, 0x00, 0x00, 0x01 };
static const uint8_t oui[3] = { 0x00, 0xB0, 0x52 };

static struct {
    sim_plc plc;
    uint32_t now;
    uint8_t pib[3][HPGP_NVM_HEADER_LEN + HPGP_PIB_MIN_LEN];
    pf_writer pcap;
    int dump;
} W;
static uint8_t rx[HPGP_MAX_FRAME];
static size_t rx_len;

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Port 0: EVSE modem (PIB: always CCo), port 1: a second charger (auto), port 2: car (never CCo); nobody keyed
 * by a host yet: each modem runs with the key of its PIB, all different. */
static int setup(void **state)
{
    (void)state;
    memset(&W.plc, 0, sizeof W.plc);
    W.now = 1000;
    sim_plc_init(&W.plc, &(sim_plc_config){ .delay_ms = DELAY, .modem_reply_ms = REPLY, .seed = 5,
                                            .sha256 = ccs_sha256_openssl });
    static const hpgp_pib_role role[3] = { HPGP_PIB_ROLE_EVSE, 0, HPGP_PIB_ROLE_PEV };
    for (int i = 0; i < 3; i++) {
        hpgp_pib_view v;
        uint8_t nmk[16] = { 0x40, (uint8_t)i }, nid[7];
        assert_int_equal(hpgp_pib_init_nvm(W.pib[i], sizeof W.pib[i], modem[i]), 0);
        assert_int_equal(hpgp_pib_open(W.pib[i], sizeof W.pib[i], &v), 0);
        if (role[i]) hpgp_pib_set_role(W.pib[i], &v, role[i]);
        assert_int_equal(hpgp_nid_from_nmk(ccs_sha256_openssl, nmk, 0, nid), 0);
        hpgp_pib_set_key(W.pib[i], &v, nmk, nid);
        sim_port_config pc = { .device_class = 0x22, .firmware = fw, .restart_ms = RESTART, .setkey_result = 1,
                               .pib = W.pib[i], .pib_len = sizeof W.pib[i] };
        memcpy(pc.host_mac, host[i], 6);
        memcpy(pc.modem_mac, modem[i], 6);
        assert_int_equal(sim_plc_add_port(&W.plc, &pc), i);
        assert_int_equal(sim_plc_set_nmk(&W.plc, i, nmk), 0);
    }
    const char *dump = getenv("CCS_PLCSIM_PCAP");
    if (dump && !W.dump) W.dump = pf_writer_open(&W.pcap, dump) == 0;
    return 0;
}

/* The host of `port` sends `len` bytes (zero-padded to 60, as the tools send ETHER_MIN_LEN - ETHER_CRC_LEN). */
static void send_raw(int port, const uint8_t *frame, size_t len)
{
    uint8_t f[HPGP_MAX_FRAME] = { 0 };
    memcpy(f, frame, len);
    if (len < 60) len = 60;
    if (W.dump) pf_writer_put(&W.pcap, f, len, W.now);
    assert_int_equal(sim_plc_send(&W.plc, port, f, len, W.now), 0);
}

/* The next frame for the host of `port` within 1 s (the clock advances to it); 0 when none came. */
static int recv_raw(int port)
{
    uint32_t end = W.now + 1000, due;
    int p;
    while (sim_plc_next_due(&W.plc, &due) && (int32_t)(due - end) <= 0) {
        if ((int32_t)(due - W.now) > 0) W.now = due;
        if (sim_plc_poll(&W.plc, W.now, &p, rx, sizeof rx, &rx_len) != 1) continue;
        if (W.dump) pf_writer_put(&W.pcap, rx, rx_len, W.now);
        if (p == port) return 1;
    }
    return 0;
}

/* Ethernet header + QualcommHeader (MMV 0, OUI at 17) or QualcommHeader1 (MMV 1, FMSN/FMID, OUI at 19). */
static size_t request(uint8_t *f, const uint8_t dst[6], int from, uint16_t mmtype, int mmv)
{
    memset(f, 0, HPGP_MAX_FRAME);
    memcpy(f, dst, 6);
    memcpy(f + 6, host[from], 6);
    f[12] = 0x88;
    f[13] = 0xE1;
    f[14] = (uint8_t)mmv;
    f[15] = (uint8_t)mmtype;
    f[16] = (uint8_t)(mmtype >> 8);
    memcpy(f + (mmv ? 19 : 17), oui, 3);
    return mmv ? 22 : 20;
}

/* The answer's header: to the asking host, from modem `from`, MMTYPE and the vendor header of its MMV. */
static void check_header(int to, int from, uint16_t mmtype, int mmv)
{
    assert_true(rx_len >= 60); /* open-plc-utils drops shorter frames (UnwantedMessage) */
    assert_memory_equal(rx, host[to], 6);
    assert_memory_equal(rx + 6, modem[from], 6);
    assert_int_equal(rx[12] << 8 | rx[13], 0x88E1);
    assert_int_equal(rx[14], mmv);
    assert_int_equal(le16(rx + 15), mmtype);
    if (mmv) assert_int_equal(le16(rx + 17), 0); /* FMSN, FMID: one fragment */
    assert_memory_equal(rx + (mmv ? 19 : 17), oui, 3);
}

/* plctool -r: VS_SW_VER.REQ with a cookie (VersionInfo2). */
static void sw_ver(void **state)
{
    (void)state;
    uint8_t f[HPGP_MAX_FRAME];
    size_t n = request(f, localcast, 2, 0xA000, 0);
    memcpy(f + n, "\x78\x56\x34\x12", 4); /* COOKIE */
    send_raw(2, f, n + 4);
    assert_true(recv_raw(2));
    check_header(2, 2, 0xA001, 0);
    assert_int_equal(rx[20], 0);                 /* MSTATUS */
    assert_int_equal(rx[21], 0x22);              /* MDEVICE_CLASS */
    assert_int_equal(rx[22], sizeof fw);         /* MVERLENGTH, with the NUL */
    assert_memory_equal(rx + 23, fw, sizeof fw); /* MVERSION */
    assert_false(recv_raw(2));                   /* the local-modem address reaches one modem */
}

/* plctool -a: VS_OP_ATTRIBUTES.REQ, COOKIE and RTYPE 0 (Attributes2); the binary report. */
static void op_attributes(void **state)
{
    (void)state;
    uint8_t f[HPGP_MAX_FRAME];
    size_t n = request(f, localcast, 0, 0xA068, 0);
    memcpy(f + n, "\x02\x20\x00\x00", 4); /* COOKIE 0x2002 */
    send_raw(0, f, n + 5);
    assert_true(recv_raw(0));
    check_header(0, 0, 0xA069, 0);
    assert_int_equal(rx_len, 29 + 1024);               /* the report buffer, as the captured QCA7420 sends */
    assert_int_equal(le16(rx + 20), 0);                /* MSTATUS */
    assert_memory_equal(rx + 22, "\x02\x20\x00\x00", 4); /* COOKIE echoed */
    assert_int_equal(rx[26], 0);                       /* RTYPE */
    assert_int_equal(le16(rx + 27), 118);              /* MLENGTH */
    /* "MAC-QCA7000-1.1.0.727-02-20130826-FINAL": DEVICETYPE-DEVICEFAMILY-major.minor.composite.build-
     * sustaining-date-release */
    assert_memory_equal(rx + 29, "QCA7000\0\0\0\0\0\0\0\0\0", 16); /* DEVICEFAMILY */
    assert_memory_equal(rx + 45, "MAC\0\0\0\0\0\0\0\0\0\0\0\0\0", 16); /* DEVICETYPE */
    assert_int_equal(fix_le32(rx + 61), 1);     /* FWMAJORVERSION */
    assert_int_equal(fix_le32(rx + 65), 1);     /* FWMINORVERSION */
    assert_int_equal(fix_le32(rx + 69), 0);     /* COMPOSITEVERSION */
    assert_int_equal(fix_le32(rx + 73), 2);     /* SUSTAININGVERSION */
    assert_int_equal(fix_le32(rx + 77), 727);   /* BUILDNUMBER */
    assert_memory_equal(rx + 81, "20130826", 8); /* BUILDDATE */
    assert_memory_equal(rx + 89, "FINAL\0\0\0\0\0\0\0", 12); /* RELEASETYPE */
    for (size_t i = 101; i < rx_len; i++) assert_int_equal(rx[i], 0); /* flags, DRAM, counters, auth mode */
}

/* plctool -m / plcstat -t: VS_NW_INFO.REQ with MMV 1 (NetInfo2, Topology2); the CNF as they read it. */
static void nw_info_request(int from, const uint8_t dst[6])
{
    uint8_t f[HPGP_MAX_FRAME];
    send_raw(from, f, request(f, dst, from, 0xA038, 1));
}

typedef struct {
    int avlns, tei, role, cco, stas;
} nw_want;

static void check_nw_info(int to, int from, const nw_want *w, const uint8_t nid[7])
{
    assert_true(recv_raw(to));
    check_header(to, from, 0xA039, 1);
    assert_int_equal(rx[27], w->avlns); /* NUMAVLNS */
    if (!w->avlns) {
        assert_int_equal(le16(rx + 24), 2); /* DATA_LEN: reserved + NUMAVLNS */
        return;
    }
    assert_int_equal(le16(rx + 24), 2 + 32 + 24 * w->stas);
    assert_memory_equal(rx + 28, nid, 7);          /* NID */
    assert_int_equal(rx[37], nid[0] & 0x0F);       /* SNID */
    assert_int_equal(rx[38], w->tei);              /* TEI */
    assert_int_equal(rx[43], w->role);             /* ROLE: 0 STA, 2 CCO */
    assert_memory_equal(rx + 44, modem[w->cco], 6); /* CCO_MAC */
    assert_int_equal(rx[50], 1);                   /* CCO_TEI */
    assert_int_equal(rx[54], w->stas);             /* NUMSTAS */
    assert_int_equal(rx_len, w->stas ? 60 + 24 * (size_t)w->stas : 60);
}

/* One station record: MAC, TEI, BDA (the host behind it), AVGTX / AVGRX in Mbit/s. */
static void check_station(int k, int port, int tei)
{
    const uint8_t *s = rx + 60 + 24 * k;
    assert_memory_equal(s, modem[port], 6);
    assert_int_equal(s[6], tei);
    assert_memory_equal(s + 10, host[port], 6);
    assert_int_equal(le16(s + 16), 10);
    assert_int_equal(le16(s + 20), 10);
}

/* plctool -M (local) and -J (remote): VS_SET_KEY.REQ (SetNMK), 60 bytes: EKS, NMK, PEKS, RDA, DAK. */
static void set_key(int from, const uint8_t nmk[16], const uint8_t *rda)
{
    uint8_t f[HPGP_MAX_FRAME];
    size_t n = request(f, localcast, from, 0xA050, 0);
    f[n] = 0x01;                 /* EKS */
    memcpy(f + n + 1, nmk, 16);  /* NMK */
    f[n + 17] = rda ? 0x00 : 0x0F; /* PEKS: 0x0F sets the local device's key */
    if (rda) memcpy(f + n + 18, rda, 6);
    send_raw(from, f, 60);
    assert_true(recv_raw(from));
    check_header(from, from, 0xA051, 0);
    assert_int_equal(rx[20], 0); /* MSTATUS */
}

/* -m before and after -M: alone, the car's modem is in no AVLN and the charger's ("always CCo") is the CCo of
 * its own; after the key is set on both (locally, and remotely with -J), the AVLN lists the other station. */
static void nw_info_and_set_key(void **state)
{
    (void)state;
    nw_info_request(2, localcast);
    check_nw_info(2, 2, &(nw_want){ .avlns = 0 }, NULL);
    uint8_t nid0[7];
    memcpy(nid0, W.plc.port[0].nid, 7);
    nw_info_request(0, localcast);
    check_nw_info(0, 0, &(nw_want){ .avlns = 1, .tei = 1, .role = 2, .cco = 0, .stas = 0 }, nid0);

    set_key(2, fix_nmk, NULL);            /* plctool -M -K key1 on the car's host: its modem restarts */
    W.now += RESTART;
    set_key(2, fix_nmk, modem[0]);        /* plctool -J <charger's modem> -K key1 from there */
    W.now += RESTART;
    assert_true(sim_plc_same_avln(&W.plc, 0, 2, W.now));
    assert_false(sim_plc_same_avln(&W.plc, 1, 2, W.now));
    nw_info_request(2, localcast);
    check_nw_info(2, 2, &(nw_want){ .avlns = 1, .tei = 2, .role = 0, .cco = 0, .stas = 1 }, fix_nid);
    check_station(0, 0, 1);
    nw_info_request(0, modem[0]);         /* plctool -m <MAC of the local modem> */
    check_nw_info(0, 0, &(nw_want){ .avlns = 1, .tei = 1, .role = 2, .cco = 0, .stas = 1 }, fix_nid);
    check_station(0, 2, 2);
    /* a remote station's MAC unknown to the powerline: VS_SET_KEY refused */
    uint8_t f[HPGP_MAX_FRAME];
    size_t n = request(f, localcast, 2, 0xA050, 0);
    memcpy(f + n + 18, "\x02\x99\x99\x99\x99\x99", 6);
    send_raw(2, f, 60);
    assert_true(recv_raw(2));
    assert_int_equal(rx[20], 1);
}

/* plcstat -t (Topology2): GET_SW to the local-modem address finds the local modem, VS_NW_INFO to it lists the
 * stations, GET_SW to each station's MAC (Platform) is answered by that remote modem over the line. */
static void plcstat_topology(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) sim_plc_set_nmk(&W.plc, i, fix_nmk);
    uint8_t f[HPGP_MAX_FRAME];
    send_raw(0, f, request(f, localcast, 0, 0xA000, 0));
    assert_true(recv_raw(0));
    check_header(0, 0, 0xA001, 0);
    assert_false(recv_raw(0));
    nw_info_request(0, modem[0]);
    check_nw_info(0, 0, &(nw_want){ .avlns = 1, .tei = 1, .role = 2, .cco = 0, .stas = 2 }, fix_nid);
    check_station(0, 1, 2);
    check_station(1, 2, 3);
    for (int q = 1; q < 3; q++) {
        uint32_t t0 = W.now;
        send_raw(0, f, request(f, modem[q], 0, 0xA000, 0));
        assert_true(recv_raw(0));
        check_header(0, q, 0xA001, 0);
        assert_true(W.now - t0 >= DELAY); /* over the line */
        assert_memory_equal(rx + 23, fw, sizeof fw);
    }
    /* the car's view: the charger with "always CCo" is the CCo, not the first port that may be one */
    nw_info_request(2, localcast);
    check_nw_info(2, 2, &(nw_want){ .avlns = 1, .tei = 3, .role = 0, .cco = 0, .stas = 2 }, fix_nid);
}

/* One VS_MODULE_OPERATION read as ModuleRead builds it: MOD_OP 0 (read memory), MOD_OP_DATA_LEN 18, module
 * 0x7002, sub 0, MODULE_LENGTH, MODULE_OFFSET. Returns the CNF's data length after checking its fields. */
static size_t module_read(uint32_t off, uint16_t status)
{
    uint8_t f[HPGP_MAX_FRAME];
    size_t n = request(f, localcast, 0, 0xA0B0, 0);
    f[n + 4] = 1; /* NUM_OP_DATA */
    const uint8_t spec[18] = { 0x00, 0x00, 18, 0x00, 0, 0, 0, 0, 0x02, 0x70, 0x00, 0x00, MODULE & 0xFF, MODULE >> 8,
                               (uint8_t)off, (uint8_t)(off >> 8), (uint8_t)(off >> 16), (uint8_t)(off >> 24) };
    memcpy(f + n + 5, spec, sizeof spec);
    send_raw(0, f, n + 5 + sizeof spec);
    assert_true(recv_raw(0));
    check_header(0, 0, 0xA0B1, 0);
    assert_int_equal(le16(rx + 20), status); /* MSTATUS */
    if (status) return 0;
    uint16_t len = le16(rx + 41);
    assert_int_equal(le16(rx + 22), 0);          /* ERR_REC_CODE */
    assert_int_equal(rx[28], 1);                 /* NUM_OP_DATA */
    assert_int_equal(le16(rx + 29), 0);          /* MOD_OP: read memory */
    assert_int_equal(le16(rx + 31), 18 + len);   /* MOD_OP_DATA_LEN */
    assert_int_equal(le16(rx + 37), 0x7002);     /* MODULE_ID */
    assert_int_equal(le16(rx + 39), 0);          /* MODULE_SUB_ID */
    assert_int_equal(fix_le32(rx + 43), off);    /* MODULE_OFFSET */
    assert_true(len <= MODULE);
    assert_int_equal(rx_len, len ? 47 + (size_t)len : 60);
    return len;
}

/* plctool -p: chunks of 1400 until one is shorter; the file is the modem's chain, which chkpib's rules accept. */
static void read_pib(void **state)
{
    (void)state;
    static uint8_t file[sizeof W.pib[0] + MODULE];
    size_t total = 0, len = MODULE;
    while (len == MODULE) {
        len = module_read((uint32_t)total, 0);
        memcpy(file + total, rx + 47, len);
        total += len;
    }
    assert_int_equal(total, sizeof W.pib[0]);
    assert_memory_equal(file, W.pib[0], total);
    hpgp_pib_view v;
    assert_int_equal(hpgp_pib_open(file, total, &v), 0);
    assert_int_equal(fix_le32(file + 32), 0xFFFFFFFFu); /* PrevHeader of the first header */
    uint8_t nid[7];
    assert_int_equal(hpgp_nid_from_nmk(ccs_sha256_openssl, file + v.off + 0x64, file[v.off + 0xF8 + 6] >> 4, nid), 0);
    assert_memory_equal(nid, file + v.off + 0xF8, 7); /* the preferred NID is the NMK's */
    /* a module of exactly 5 chunks: the sixth read gets 0 bytes and status 0, which ends ModuleRead's loop */
    W.plc.port[0].pib_len = 5 * MODULE;
    assert_int_equal(module_read(5 * MODULE, 0), 0);
    assert_int_equal(module_read(5 * MODULE + 4, 1), 0); /* beyond the end: refused */
}

/* plctool -I (Identity2): one read of 1400 bytes at 0, taken as an NVM chain: version 1.1, PrevHeader
 * 0xFFFFFFFF, a header that verifies, a PIB image whose MAC and keys follow it. */
static void identity(void **state)
{
    (void)state;
    assert_int_equal(module_read(0, 0), MODULE);
    const uint8_t *h = rx + 47;
    assert_int_equal(le16(h), 1);                      /* MajorVersion */
    assert_int_equal(le16(h + 2), 1);                  /* MinorVersion */
    assert_int_equal(fix_le32(h + 32), 0xFFFFFFFFu);   /* PrevHeader */
    assert_int_equal(fix_xor(h, 96), 0xFFFFFFFFu);     /* HeaderChecksum */
    assert_int_equal(fix_le32(h + 36), 0x000F);        /* ImageType: PIB */
    assert_int_equal(fix_le32(h + 16), HPGP_PIB_MIN_LEN); /* ImageLength */
    assert_memory_equal(h + 96 + 0x0C, modem[0], 6);   /* the PIB's MAC */
    assert_string_equal((const char *)h + 96 + 0x74, "EVSE");
    assert_int_equal(h[96 + 0xF4], 2);                 /* CCo selection: always */
}

static int teardown_all(void **state)
{
    (void)state;
    if (W.dump) pf_writer_close(&W.pcap);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(sw_ver, setup),
        cmocka_unit_test_setup(op_attributes, setup),
        cmocka_unit_test_setup(nw_info_and_set_key, setup),
        cmocka_unit_test_setup(plcstat_topology, setup),
        cmocka_unit_test_setup(read_pib, setup),
        cmocka_unit_test_setup(identity, setup),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_all);
}
