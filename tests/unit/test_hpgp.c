/* Unit tests of the HomePlug codec against frames of the real captures; expected field values are the ones
 * tshark's homeplug-av dissector shows for the same frames (`tshark -r FILE -Y frame.number==N -V`). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/hpgp.h"
#include "pcap_frames.h"

#define ALPI_SLAC "2022-11-17_Dehner_Alpitronic_until_SdpRequest.pcapng"
#define ALPI_LONG "2022-12-20_alpi_currentDemandSequenceErrorShutdown.pcapng"
#define IONIQ "2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng"

static const char *const all_captures[] = {
    ALPI_SLAC,
    "2022-12-13_compleo_with_bulb.pcapng",
    ALPI_LONG,
    "2023-03-02_SuperCharger_CableCheck_error.pcapng",
    "2023-05-03_TaycanLeftside_slacFail.pcapng",
    IONIQ,
    "2024-04-20_ModelY_pyPLC_stop_in_precharge.pcapng",
    "2025-01-21_listenMode_02_mac_spoofing_some_frames_visible.pcapng",
    "2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng",
    "spi_ioniq_alpiHYC150_makerspace_landsberg_left_small_2024-04-03_ok.csv.pcap",
};

static const uint8_t pyplc_mac[6] = { 0xdc, 0x0e, 0xa1, 0x11, 0x67, 0x08 };
static const uint8_t alpi_evse_mac[6] = { 0x9a, 0x8a, 0xb6, 0x6d, 0x2d, 0xf6 };
static const uint8_t pyplc_run_id[8] = { 0xdc, 0x0e, 0xa1, 0x11, 0x67, 0x08, 0x00, 0x00 };

/* Unpack frame `number` of a loaded capture into *m, asserting success and the kind. */
static const uint8_t *frame_as(const pf_list *l, size_t number, hpgp_kind kind, hpgp_msg *m, size_t *len)
{
    const uint8_t *f = pf_frame(l, number, len);
    assert_non_null(f);
    assert_int_equal(hpgp_unpack(f, *len, m), 0);
    assert_int_equal(m->kind, kind);
    return f;
}

/* Load `capture` and unpack its frame `number`. */
static const uint8_t *unpack_frame(const char *capture, size_t number, hpgp_kind kind, hpgp_msg *m,
                                   pf_list *l, size_t *len)
{
    assert_int_equal(pf_load(capture, l), 0);
    return frame_as(l, number, kind, m, len);
}

/* An IEEE 802.1Q tag after the source MAC (dSPACE's captures tag every frame): every HomePlug frame of a real
 * capture, tagged, unpacks to the same message (pointers into the frame moved by the tag's 4 bytes); the
 * header names the tag; frames cut inside the tag or the header are truncated. */
static void vlan_tagged_frames(void **state)
{
    (void)state;
    pf_list l;
    assert_int_equal(pf_load(ALPI_SLAC, &l), 0);
    size_t n = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (!pf_is_homeplug(&l, i))
            continue;
        uint8_t tagged[HPGP_MAX_FRAME + 4];
        size_t len = l.len[i];
        memcpy(tagged, l.data[i], 12);
        tagged[12] = 0x81, tagged[13] = 0x00, tagged[14] = 0xA0, tagged[15] = 0x07; /* PCP 5, VID 7 */
        memcpy(tagged + 16, l.data[i] + 12, len - 12);
        hpgp_msg a, b;
        int ra = hpgp_unpack(l.data[i], len, &a), rb = hpgp_unpack(tagged, len + 4, &b);
        assert_int_equal(rb, ra);
        assert_int_equal(b.hdr.tag_len, 4);
        assert_int_equal(b.hdr.vlan_tci, 0xA007);
        assert_int_equal(b.hdr.payload_off, a.hdr.payload_off + 4);
        b.hdr.tag_len = 0, b.hdr.vlan_tci = 0, b.hdr.payload_off = a.hdr.payload_off;
        assert_memory_equal(&a.hdr, &b.hdr, sizeof a.hdr);
        assert_int_equal(a.kind, b.kind);
        if (a.kind == HPGP_K_SW_VER_CNF) { /* a pointer into the frame: the same bytes, 4 further on */
            assert_int_equal(b.u.sw_ver_cnf.version - tagged, a.u.sw_ver_cnf.version - l.data[i] + 4);
            b.u.sw_ver_cnf.version = a.u.sw_ver_cnf.version;
        }
        assert_memory_equal(&a.u, &b.u, sizeof a.u);
        hpgp_header h;
        assert_int_equal(hpgp_parse_header(tagged, 16, &h), CCS_ETRUNC);
        assert_int_equal(hpgp_parse_header(tagged, 18, &h), CCS_ETRUNC);
        n++;
    }
    assert_true(n >= 20);
    pf_free(&l);
}

static void header_forms(void **state)
{
    (void)state;
    pf_list l;
    hpgp_header h;
    size_t len = 0;
    assert_int_equal(pf_load(ALPI_SLAC, &l), 0);
    const uint8_t *f = pf_frame(&l, 1, &len); /* CM_SLAC_PARM.REQ, Version 1.1 */
    assert_int_equal(hpgp_parse_header(f, len, &h), 0);
    assert_int_equal(h.mmv, 1);
    assert_int_equal(h.mmtype, 0x6064);
    assert_int_equal(h.fmi, 0);
    assert_int_equal(h.payload_off, 19);
    assert_memory_equal(h.src, pyplc_mac, 6);
    assert_memory_equal(h.dst, hpgp_broadcast_mac, 6);
    f = pf_frame(&l, 22, &len); /* GET_SW.REQ, Version 1.0, OUI Qualcomm Atheros */
    assert_int_equal(hpgp_parse_header(f, len, &h), 0);
    assert_int_equal(h.mmv, 0);
    assert_int_equal(h.mmtype, 0xA000);
    assert_memory_equal(h.oui, hpgp_qualcomm_oui, 3);
    assert_int_equal(h.payload_off, 20);
    f = pf_frame(&l, 25, &len); /* not HomePlug (IPv4 syslog / IPv6) */
    assert_false(pf_is_homeplug(&l, 24));
    assert_int_equal(hpgp_parse_header(f, len, &h), CCS_EHEADER);
    assert_int_equal(hpgp_parse_header(f, 10, &h), CCS_ETRUNC);
    pf_free(&l);
}

/* A vendor message with MMV 1 (VS_NW_INFO, as open-plc-utils' QualcommHeader1 writes it): FMSN and FMID
 * after the MMTYPE, the OUI at 19, the payload at 22; packed the same way. */
static void vendor_mmv1_header(void **state)
{
    (void)state;
    uint8_t f[60] = { 0x00, 0xB0, 0x52, 0x00, 0x00, 0x01, 0x02, 0, 0, 0, 0, 0x07, 0x88, 0xE1,
                      0x01, 0x38, 0xA0, 0x00, 0x00, 0x00, 0xB0, 0x52 };
    hpgp_header h;
    assert_int_equal(hpgp_parse_header(f, sizeof f, &h), 0);
    assert_int_equal(h.mmv, 1);
    assert_int_equal(h.mmtype, 0xA038);
    assert_memory_equal(h.oui, hpgp_qualcomm_oui, 3);
    assert_int_equal(h.payload_off, 22);
    assert_int_equal(hpgp_parse_header(f, 21, &h), CCS_ETRUNC);
    hpgp_msg m;
    assert_int_equal(hpgp_unpack(f, sizeof f, &m), 0);
    assert_int_equal(m.kind, HPGP_K_NW_INFO_REQ);
    uint8_t out[HPGP_MAX_FRAME];
    size_t len;
    assert_int_equal(hpgp_pack(&m, out, sizeof out, &len), 0);
    assert_int_equal(len, 60);
    assert_memory_equal(out, f, sizeof f);
    f[14] = 0; /* MMV 0: the payload would start at 20; no layout of ours */
    assert_int_equal(hpgp_unpack(f, sizeof f, &m), CCS_EUNSUPP);
    /* the CNF's station records: as many as NUMSTAS says, all inside the frame */
    uint8_t recs[2 * HPGP_NW_STA_LEN];
    hpgp_nw_sta sta = { .mac = { 2, 0xB0, 0x52, 0, 0, 0x11 }, .tei = 2, .bda = { 2, 0, 0, 0, 0, 2 }, .tx_mbps = 9,
                        .rx_mbps = 8 };
    hpgp_nw_sta_put(recs, &sta);
    hpgp_nw_sta_put(recs + HPGP_NW_STA_LEN, &sta);
    hpgp_msg_init(&m, HPGP_K_NW_INFO_CNF, h.src, h.dst);
    m.u.nw_info_cnf.num_avlns = 1;
    m.u.nw_info_cnf.num_stas = 2;
    m.u.nw_info_cnf.stas = recs;
    assert_int_equal(hpgp_pack(&m, out, sizeof out, &len), 0);
    assert_int_equal(len, 60 + 2 * HPGP_NW_STA_LEN);
    assert_int_equal(out[54], 2);                                     /* NUMSTAS */
    assert_memory_equal(out + 60, "\x02\xB0\x52\x00\x00\x11\x02", 7); /* MAC, TEI */
    assert_memory_equal(out + 70, "\x02\x00\x00\x00\x00\x02\x09\x00", 8); /* BDA, AVGTX */
    assert_int_equal(out[80], 8);                                     /* AVGRX */
    assert_int_equal(hpgp_unpack(out, len, &m), 0);
    assert_int_equal(m.kind, HPGP_K_NW_INFO_CNF);
    assert_ptr_equal(m.u.nw_info_cnf.stas, out + 60);
    assert_int_equal(hpgp_unpack(out, len - 1, &m), CCS_ETRUNC);
    out[54] = 255;
    assert_int_equal(hpgp_unpack(out, len, &m), CCS_ETRUNC);
}

static void mmtype_names(void **state)
{
    (void)state;
    char b[40];
    assert_string_equal(hpgp_mmtype_name(0x6064, b, sizeof b), "CM_SLAC_PARAM.REQ");
    assert_string_equal(hpgp_mmtype_name(0x606F, b, sizeof b), "CM_ATTEN_CHAR.RSP");
    assert_string_equal(hpgp_mmtype_name(0x6086, b, sizeof b), "CM_ATTEN_PROFILE.IND");
    assert_string_equal(hpgp_mmtype_name(0xA069, b, sizeof b), "VS_OP_ATTRIBUTES.CNF");
    assert_string_equal(hpgp_mmtype_name(0xA14E, b, sizeof b), "MMTYPE_A14C.IND");
    /* HomePlug AV 1.1 names (as open-plc-utils' homeplug.h lists them) for what foreign captures carry */
    assert_string_equal(hpgp_mmtype_name(0x6038, b, sizeof b), "CM_NW_INFO.REQ");
    assert_string_equal(hpgp_mmtype_name(0x6039, b, sizeof b), "CM_NW_INFO.CNF");
    assert_string_equal(hpgp_mmtype_name(0x0014, b, sizeof b), "CC_DISCOVER_LIST.REQ");
    assert_string_equal(hpgp_mmtype_name(0x0015, b, sizeof b), "CC_DISCOVER_LIST.CNF");
    assert_string_equal(hpgp_mmtype_name(0x6064, b, 6), "CM_SL");
    assert_null(hpgp_mmtype_base_name(0xA14E));
    for (int k = 0; k < HPGP_K_COUNT; k++) assert_non_null(hpgp_mmtype_base_name(hpgp_kind_mmtype((hpgp_kind)k)));
}

static void slac_param(void **state)
{
    (void)state;
    pf_list l;
    hpgp_msg m;
    size_t len;
    unpack_frame(ALPI_SLAC, 1, HPGP_K_SLAC_PARAM_REQ, &m, &l, &len);
    assert_int_equal(m.u.slac_param_req.app_type, 0);
    assert_int_equal(m.u.slac_param_req.sec_type, 0);
    assert_memory_equal(m.u.slac_param_req.run_id, pyplc_run_id, 8);
    const uint8_t *f = frame_as(&l, 2, HPGP_K_SLAC_PARAM_CNF, &m, &len);
    assert_memory_equal(m.u.slac_param_cnf.msound_target, hpgp_broadcast_mac, 6);
    assert_int_equal(m.u.slac_param_cnf.num_sounds, 10);
    assert_int_equal(m.u.slac_param_cnf.time_out, 6);
    assert_int_equal(m.u.slac_param_cnf.resp_type, 1);
    assert_memory_equal(m.u.slac_param_cnf.forwarding_sta, pyplc_mac, 6);
    assert_memory_equal(m.u.slac_param_cnf.run_id, pyplc_run_id, 8);

    /* Built from scratch, the CNF equals the Alpitronic's frame byte for byte. */
    hpgp_msg b;
    hpgp_msg_init(&b, HPGP_K_SLAC_PARAM_CNF, pyplc_mac, alpi_evse_mac);
    b.u.slac_param_cnf.num_sounds = 10;
    b.u.slac_param_cnf.time_out = 6;
    b.u.slac_param_cnf.resp_type = 1;
    memcpy(b.u.slac_param_cnf.forwarding_sta, pyplc_mac, 6);
    memcpy(b.u.slac_param_cnf.run_id, pyplc_run_id, 8);
    uint8_t out[HPGP_MAX_FRAME];
    size_t n;
    assert_int_equal(hpgp_pack(&b, out, sizeof out, &n), 0);
    assert_int_equal(n, len);
    assert_memory_equal(out, f, len);
    pf_free(&l);
}

static void sounding(void **state)
{
    (void)state;
    pf_list l;
    hpgp_msg m;
    size_t len;
    unpack_frame(ALPI_SLAC, 3, HPGP_K_START_ATTEN_CHAR_IND, &m, &l, &len);
    assert_int_equal(m.u.start_atten_char.num_sounds, 10);
    assert_int_equal(m.u.start_atten_char.time_out, 10);
    assert_int_equal(m.u.start_atten_char.resp_type, 1);
    assert_memory_equal(m.u.start_atten_char.forwarding_sta, pyplc_mac, 6);
    assert_memory_equal(m.u.start_atten_char.run_id, pyplc_run_id, 8);
    for (size_t fn = 6; fn <= 15; fn++) { /* Remaining Number of Sounds 9 .. 0 */
        frame_as(&l, fn, HPGP_K_MNBC_SOUND_IND, &m, &len);
        assert_int_equal(len, 71);
        assert_int_equal(m.u.mnbc_sound.cnt, 15 - fn);
        assert_memory_equal(m.u.mnbc_sound.run_id, pyplc_run_id, 8);
        for (int i = 0; i < 16; i++) assert_int_equal(m.u.mnbc_sound.rnd[i], 0xFF);
        for (int i = 0; i < 17; i++) assert_int_equal(m.u.mnbc_sound.sender_id[i], 0);
    }
    pf_free(&l);
}

static void atten_char(void **state)
{
    (void)state;
    pf_list l;
    hpgp_msg m;
    size_t len;
    unpack_frame(ALPI_SLAC, 16, HPGP_K_ATTEN_CHAR_IND, &m, &l, &len);
    assert_int_equal(len, 129);
    assert_memory_equal(m.u.atten_char.source_address, pyplc_mac, 6);
    assert_memory_equal(m.u.atten_char.run_id, pyplc_run_id, 8);
    assert_int_equal(m.u.atten_char.num_sounds, 10);
    assert_int_equal(m.u.atten_char.num_groups, 58);
    /* tshark: group #1 11 dB, #2 15, #8 1, #35 26, #56 34, #58 40; all 58 sum to 661 */
    assert_int_equal(m.u.atten_char.aag[0], 11);
    assert_int_equal(m.u.atten_char.aag[1], 15);
    assert_int_equal(m.u.atten_char.aag[7], 1);
    assert_int_equal(m.u.atten_char.aag[34], 26);
    assert_int_equal(m.u.atten_char.aag[55], 34);
    assert_int_equal(m.u.atten_char.aag[57], 40);
    unsigned sum = 0;
    for (int i = 0; i < 58; i++) sum += m.u.atten_char.aag[i];
    assert_int_equal(sum, 661);
    frame_as(&l, 17, HPGP_K_ATTEN_CHAR_RSP, &m, &len);
    assert_int_equal(len, 70);
    assert_memory_equal(m.u.atten_char.source_address, pyplc_mac, 6);
    assert_memory_equal(m.u.atten_char.run_id, pyplc_run_id, 8);
    assert_int_equal(m.u.atten_char.result, 0);
    pf_free(&l);
}

static void atten_profile_from_modem(void **state)
{
    (void)state;
    pf_list l;
    hpgp_msg m;
    size_t len;
    static const uint8_t ioniq[6] = { 0x04, 0x65, 0x65, 0x00, 0x64, 0xc3 };
    unpack_frame(IONIQ, 49, HPGP_K_ATTEN_PROFILE_IND, &m, &l, &len);
    assert_memory_equal(m.u.atten_profile.pev_mac, ioniq, 6);
    assert_int_equal(m.u.atten_profile.num_groups, 0); /* this QCA modem reports no groups */
    pf_free(&l);
}

static void slac_match(void **state)
{
    (void)state;
    pf_list l;
    hpgp_msg m;
    size_t len;
    static const uint8_t nid[7] = { 0xb4, 0x68, 0xac, 0xe9, 0xff, 0x56, 0x03 };
    static const uint8_t nmk[16] = { 0x9e, 0xd1, 0xf8, 0xa5, 0xb5, 0x66, 0xe8, 0x3d,
                                     0xc4, 0xf1, 0x70, 0x0e, 0x4a, 0x89, 0xaf, 0xec };
    static const uint8_t zero_id[17] = { 0 };
    unpack_frame(ALPI_SLAC, 18, HPGP_K_SLAC_MATCH_REQ, &m, &l, &len);
    assert_int_equal(m.u.slac_match.mvf_length, 0x3e);
    assert_memory_equal(m.u.slac_match.pev_id, zero_id, 17);
    assert_memory_equal(m.u.slac_match.pev_mac, pyplc_mac, 6);
    assert_memory_equal(m.u.slac_match.evse_id, zero_id, 17);
    assert_memory_equal(m.u.slac_match.evse_mac, alpi_evse_mac, 6);
    assert_memory_equal(m.u.slac_match.run_id, pyplc_run_id, 8);
    frame_as(&l, 19, HPGP_K_SLAC_MATCH_CNF, &m, &len);
    assert_int_equal(m.u.slac_match.mvf_length, 0x56);
    assert_memory_equal(m.u.slac_match.evse_mac, alpi_evse_mac, 6);
    assert_memory_equal(m.u.slac_match.nid, nid, 7);
    assert_memory_equal(m.u.slac_match.nmk, nmk, 16);

    /* SET_KEY.REQ that pyPLC then sent to its modem carries the same NID and NMK. */
    frame_as(&l, 20, HPGP_K_SET_KEY_REQ, &m, &len);
    assert_int_equal(m.u.set_key_req.key_type, 1);
    assert_int_equal(m.u.set_key_req.my_nonce, 0xaaaaaaaa);
    assert_int_equal(m.u.set_key_req.your_nonce, 0);
    assert_int_equal(m.u.set_key_req.pid, 4);
    assert_int_equal(m.u.set_key_req.prn, 0);
    assert_int_equal(m.u.set_key_req.pmn, 0);
    assert_int_equal(m.u.set_key_req.cco_cap, 0);
    assert_memory_equal(m.u.set_key_req.nid, nid, 7);
    assert_int_equal(m.u.set_key_req.new_eks, 1);
    assert_memory_equal(m.u.set_key_req.new_key, nmk, 16);
    frame_as(&l, 21, HPGP_K_SET_KEY_CNF, &m, &len);
    assert_int_equal(m.u.set_key_cnf.result, 1);
    assert_int_equal(m.u.set_key_cnf.my_nonce, 0xf65fbc24);
    assert_int_equal(m.u.set_key_cnf.your_nonce, 0xaaaaaaaa);
    assert_int_equal(m.u.set_key_cnf.pid, 4);
    assert_int_equal(m.u.set_key_cnf.pmn, 255);
    pf_free(&l);
}

static void get_sw(void **state)
{
    (void)state;
    pf_list l;
    hpgp_msg m;
    size_t len;
    static const char v7420[] = "MAC-QCA7420-1.4.0.20-00-20171027-CS";
    static const char v7000[] = "MAC-QCA7000-1.1.0.727-02-20130826-FINAL";
    unpack_frame(ALPI_SLAC, 22, HPGP_K_SW_VER_REQ, &m, &l, &len);
    assert_int_equal(m.u.sw_ver_req.cookie, 0);
    frame_as(&l, 23, HPGP_K_SW_VER_CNF, &m, &len);
    assert_int_equal(m.u.sw_ver_cnf.mstatus, 0);
    assert_int_equal(m.u.sw_ver_cnf.device_class, 0x20);
    assert_int_equal(m.u.sw_ver_cnf.version_len, 36);
    assert_memory_equal(m.u.sw_ver_cnf.version, v7420, sizeof v7420); /* length includes the NUL */
    frame_as(&l, 24, HPGP_K_SW_VER_CNF, &m, &len);
    assert_int_equal(m.u.sw_ver_cnf.device_class, 0x22);
    assert_int_equal(m.u.sw_ver_cnf.version_len, 40);
    assert_memory_equal(m.u.sw_ver_cnf.version, v7000, sizeof v7000);
    pf_free(&l);
}

static void get_key(void **state)
{
    (void)state;
    pf_list l;
    hpgp_msg m;
    size_t len;
    static const uint8_t req_nid[7] = { 1, 2, 3, 4, 5, 6, 7 };
    static const uint8_t cnf_nid[7] = { 0x5a, 0x97, 0xfe, 0x49, 0xd9, 0xea, 0x0b };
    unpack_frame(ALPI_LONG, 137, HPGP_K_GET_KEY_REQ, &m, &l, &len);
    assert_int_equal(m.u.get_key_req.req_type, 0);
    assert_int_equal(m.u.get_key_req.key_type, 1);
    assert_memory_equal(m.u.get_key_req.nid, req_nid, 7);
    assert_int_equal(m.u.get_key_req.my_nonce, 0xaaaaaaaa);
    assert_int_equal(m.u.get_key_req.pid, 4);
    frame_as(&l, 138, HPGP_K_GET_KEY_CNF, &m, &len);
    assert_int_equal(m.u.get_key_cnf.result, 1);
    assert_int_equal(m.u.get_key_cnf.key_type, 1);
    assert_int_equal(m.u.get_key_cnf.my_nonce, 0x94a99c15);
    assert_int_equal(m.u.get_key_cnf.your_nonce, 0xaaaaaaaa);
    assert_memory_equal(m.u.get_key_cnf.nid, cnf_nid, 7);
    assert_int_equal(m.u.get_key_cnf.eks, 0);
    assert_int_equal(m.u.get_key_cnf.pid, 4);
    pf_free(&l);
}

static void op_attributes(void **state)
{
    (void)state;
    pf_list l;
    hpgp_msg m;
    size_t len;
    unpack_frame(ALPI_LONG, 8, HPGP_K_OP_ATTR_REQ, &m, &l, &len);
    assert_int_equal(m.u.op_attr_req.cookie, 8194);
    assert_int_equal(m.u.op_attr_req.report_type, 0);
    frame_as(&l, 10, HPGP_K_OP_ATTR_CNF, &m, &len);
    hpgp_op_attr_cnf *a = &m.u.op_attr_cnf;
    assert_int_equal(a->status, 0);
    assert_int_equal(a->cookie, 8194);
    assert_int_equal(a->size, 118);
    assert_string_equal((const char *)a->hw_platform, "QCA7420");
    assert_string_equal((const char *)a->sw_platform, "MAC");
    assert_int_equal(a->major, 1);
    assert_int_equal(a->minor, 3);
    assert_int_equal(a->composite, 0);  /* "MAC-QCA7420-1.3.0.2134-00-20151212-CS" */
    assert_int_equal(a->sustaining, 0);
    assert_int_equal(a->build, 2134);
    assert_memory_equal(a->build_date, "20151212", 8);
    assert_string_equal((const char *)a->release_type, "CS");
    pf_free(&l);
}

/* tshark does not dissect 0xA0B0; values per the notes' layout: read 1400 bytes of module 0x7002 (PIB). */
static void module_operation_read(void **state)
{
    (void)state;
    pf_list l;
    hpgp_msg m;
    size_t len;
    unpack_frame(ALPI_LONG, 18, HPGP_K_MODOP_READ_REQ, &m, &l, &len);
    assert_int_equal(m.u.modop.num_op, 1);
    assert_int_equal(m.u.modop.op, HPGP_MODOP_READ_MEMORY);
    assert_int_equal(m.u.modop.op_data_len, 18);
    assert_int_equal(m.u.modop.module_id, HPGP_MODULE_PIB);
    assert_int_equal(m.u.modop.length, 1400);
    assert_int_equal(m.u.modop.offset, 0);
    const uint8_t *f = frame_as(&l, 20, HPGP_K_MODOP_READ_CNF, &m, &len);
    assert_int_equal(m.u.modop.mstatus, 0);
    assert_int_equal(m.u.modop.op_data_len, 1418);
    assert_int_equal(m.u.modop.module_id, HPGP_MODULE_PIB);
    assert_int_equal(m.u.modop.length, 1400);
    assert_int_equal(m.u.modop.offset, 0);
    assert_ptr_equal(m.u.modop.data, f + 47);
    assert_int_equal(len, 47 + 1400);
    pf_free(&l);
}

/* Messages no capture holds: pack, unpack, compare. */
static void round_trip_uncaptured(void **state)
{
    (void)state;
    static const uint8_t chunk[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    uint8_t buf[HPGP_MAX_FRAME];
    size_t n;
    hpgp_msg a, b;

    hpgp_msg_init(&a, HPGP_K_VALIDATE_CNF, pyplc_mac, alpi_evse_mac);
    a.u.validate.timer_or_toggles = 3;
    a.u.validate.result = HPGP_VALIDATE_NOT_REQUIRED;
    assert_int_equal(hpgp_pack(&a, buf, sizeof buf, &n), 0);
    assert_int_equal(n, 60);
    assert_int_equal(hpgp_unpack(buf, n, &b), 0);
    assert_int_equal(b.kind, HPGP_K_VALIDATE_CNF);
    assert_int_equal(b.u.validate.timer_or_toggles, 3);
    assert_int_equal(b.u.validate.result, HPGP_VALIDATE_NOT_REQUIRED);

    hpgp_msg_init(&a, HPGP_K_WR_MOD_REQ, hpgp_local_modem_mac, pyplc_mac);
    a.u.mod_rw.module_id = 2;
    a.u.mod_rw.length = sizeof chunk;
    a.u.mod_rw.offset = 0x74;
    a.u.mod_rw.checksum = hpgp_checksum32(chunk, sizeof chunk);
    a.u.mod_rw.data = chunk;
    assert_int_equal(hpgp_pack(&a, buf, sizeof buf, &n), 0);
    assert_int_equal(buf[14], 0); /* MMV 0 */
    assert_memory_equal(buf + 17, hpgp_qualcomm_oui, 3);
    assert_int_equal(hpgp_unpack(buf, n, &b), 0);
    assert_int_equal(b.kind, HPGP_K_WR_MOD_REQ);
    assert_int_equal(b.u.mod_rw.offset, 0x74);
    assert_int_equal(b.u.mod_rw.checksum, a.u.mod_rw.checksum);
    assert_memory_equal(b.u.mod_rw.data, chunk, sizeof chunk);

    hpgp_msg_init(&a, HPGP_K_MODOP_COMMIT_REQ, hpgp_local_modem_mac, pyplc_mac);
    a.u.modop.session_id = 0x12345678;
    a.u.modop.commit_code = HPGP_MODOP_COMMIT_FORCE | HPGP_MODOP_COMMIT_NO_RESET | HPGP_MODOP_COMMIT_FACTORY_PIB;
    assert_int_equal(hpgp_pack(&a, buf, sizeof buf, &n), 0);
    assert_int_equal(n, 61);
    assert_int_equal(hpgp_unpack(buf, n, &b), 0);
    assert_int_equal(b.kind, HPGP_K_MODOP_COMMIT_REQ);
    assert_int_equal(b.u.modop.commit_code, a.u.modop.commit_code);
    assert_int_equal(b.u.modop.session_id, 0x12345678);

    for (int k = 0; k < HPGP_K_COUNT; k++) { /* every kind: a zeroed message survives the trip */
        hpgp_msg_init(&a, (hpgp_kind)k, hpgp_broadcast_mac, pyplc_mac);
        assert_int_equal(hpgp_pack(&a, buf, sizeof buf, &n), 0);
        assert_true(n >= HPGP_MIN_FRAME);
        assert_int_equal(hpgp_unpack(buf, n, &b), 0);
        assert_int_equal(b.kind, k);
        assert_int_equal(b.hdr.mmtype, hpgp_kind_mmtype((hpgp_kind)k));
    }
}

static void pack_errors(void **state)
{
    (void)state;
    uint8_t buf[HPGP_MAX_FRAME];
    size_t n;
    hpgp_msg a;
    hpgp_msg_init(&a, HPGP_K_ATTEN_CHAR_IND, pyplc_mac, alpi_evse_mac);
    assert_int_equal(hpgp_pack(&a, buf, 128, &n), CCS_ENOSPC);
    assert_int_equal(hpgp_pack(&a, buf, 129, &n), 0);
    a.u.atten_char.num_groups = 59;
    assert_int_equal(hpgp_pack(&a, buf, sizeof buf, &n), CCS_ECAP);
    hpgp_msg_init(&a, HPGP_K_SW_VER_CNF, pyplc_mac, alpi_evse_mac);
    a.u.sw_ver_cnf.version_len = 4; /* but no pointer */
    assert_int_equal(hpgp_pack(&a, buf, sizeof buf, &n), CCS_EINVAL);
    a.kind = HPGP_K_COUNT;
    assert_int_equal(hpgp_pack(&a, buf, sizeof buf, &n), CCS_EINVAL);

    /* ATTEN_CHAR.IND claiming 59 groups; vendor frame with a foreign OUI. */
    hpgp_msg_init(&a, HPGP_K_ATTEN_CHAR_IND, pyplc_mac, alpi_evse_mac);
    assert_int_equal(hpgp_pack(&a, buf, sizeof buf, &n), 0);
    buf[70] = 59;
    assert_int_equal(hpgp_unpack(buf, n, &a), CCS_ECAP);
    hpgp_msg_init(&a, HPGP_K_SW_VER_REQ, pyplc_mac, alpi_evse_mac);
    assert_int_equal(hpgp_pack(&a, buf, sizeof buf, &n), 0);
    buf[19] = 0x53;
    assert_int_equal(hpgp_unpack(buf, n, &a), CCS_EUNSUPP);
}

/* Every HomePlug frame of every capture: unpack -> pack -> unpack -> pack is stable; SLAC frames (which
 * have no vendor padding) pack back to exactly the captured bytes; every prefix unpacks to an error or
 * a result, never past the buffer (run under ASan: -DCCS_SANITIZE=ON). */
static void all_captured_frames(void **state)
{
    (void)state;
    unsigned decoded = 0, exact = 0;
    for (size_t c = 0; c < sizeof all_captures / sizeof all_captures[0]; c++) {
        pf_list l;
        assert_int_equal(pf_load(all_captures[c], &l), 0);
        for (size_t i = 0; i < l.n; i++) {
            hpgp_msg m, m2;
            uint8_t p1[HPGP_MAX_FRAME], p2[HPGP_MAX_FRAME];
            size_t n1, n2;
            for (size_t cut = 0; pf_is_homeplug(&l, i) && cut < l.len[i]; cut++) { /* exactly `cut` bytes */
                uint8_t *t = malloc(cut ? cut : 1);
                memcpy(t, l.data[i], cut);
                int rc = hpgp_unpack(t, cut, &m);
                assert_true(rc <= 0);
                free(t);
            }
            if (!pf_is_homeplug(&l, i) || hpgp_unpack(l.data[i], l.len[i], &m) != 0) continue;
            decoded++;
            assert_int_equal(hpgp_pack(&m, p1, sizeof p1, &n1), 0);
            assert_int_equal(hpgp_unpack(p1, n1, &m2), 0);
            assert_int_equal(m2.kind, m.kind);
            assert_int_equal(hpgp_pack(&m2, p2, sizeof p2, &n2), 0);
            assert_int_equal(n1, n2);
            assert_memory_equal(p1, p2, n1);
            if (m.kind >= HPGP_K_SLAC_PARAM_REQ && m.kind <= HPGP_K_SLAC_MATCH_CNF &&
                m.kind != HPGP_K_ATTEN_PROFILE_IND) {
                assert_int_equal(n1, l.len[i]);
                assert_memory_equal(p1, l.data[i], n1);
                exact++;
            }
        }
        pf_free(&l);
    }
    print_message("%u HomePlug frames decoded, %u packed back byte-exact\n", decoded, exact);
    assert_true(decoded > 500);
    assert_true(exact > 100);
}

/* Check values of HOMEPLUG-NOTES.md ("HomePlugAV"). */
static void keys_check_values(void **state)
{
    (void)state;
    static const uint8_t want_nmk[16] = { 0x50, 0xD3, 0xE4, 0x93, 0x3F, 0x85, 0x5B, 0x70,
                                          0x40, 0x78, 0x4D, 0xF8, 0x15, 0xAA, 0x8D, 0xB7 };
    static const uint8_t want_nid0[7] = { 0xB0, 0xF2, 0xE6, 0x95, 0x66, 0x6B, 0x03 };
    static const uint8_t want_nid1[7] = { 0xB0, 0xF2, 0xE6, 0x95, 0x66, 0x6B, 0x13 };
    uint8_t nmk[16], nid[7];
    assert_int_equal(hpgp_nmk_from_password(ccs_sha256_openssl, "HomePlugAV", 10, nmk), 0);
    assert_memory_equal(nmk, want_nmk, 16);
    assert_int_equal(hpgp_nid_from_nmk(ccs_sha256_openssl, nmk, 0, nid), 0);
    assert_memory_equal(nid, want_nid0, 7);
    assert_int_equal(hpgp_nid_from_nmk(ccs_sha256_openssl, nmk, 1, nid), 0);
    assert_memory_equal(nid, want_nid1, 7);
    char long_pw[HPGP_PASSWORD_MAX + 1];
    memset(long_pw, 'x', sizeof long_pw);
    assert_int_equal(hpgp_nmk_from_password(ccs_sha256_openssl, long_pw, sizeof long_pw, nmk), CCS_EINVAL);
    assert_int_equal(hpgp_nmk_from_password(ccs_sha256_openssl, long_pw, 0, nmk), CCS_EINVAL);
    assert_int_equal(hpgp_nid_from_nmk(ccs_sha256_openssl, nmk, 16, nid), CCS_EINVAL);
}

/* A flat PIB stores ~XOR at 0x08 computed with that field as 0, so the whole image then checks to 0. */
static void checksum32_property(void **state)
{
    (void)state;
    uint8_t pib[64];
    for (size_t i = 0; i < sizeof pib; i++) pib[i] = (uint8_t)(i * 37 + 5);
    memset(pib + 8, 0, 4);
    uint32_t c = hpgp_checksum32(pib, sizeof pib);
    for (int i = 0; i < 4; i++) pib[8 + i] = (uint8_t)(c >> (8 * i));
    assert_int_equal(hpgp_checksum32(pib, sizeof pib), 0);
    assert_int_equal(hpgp_checksum32(pib, 0), 0xFFFFFFFFu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_forms),
        cmocka_unit_test(vlan_tagged_frames),
        cmocka_unit_test(mmtype_names),
        cmocka_unit_test(slac_param),
        cmocka_unit_test(sounding),
        cmocka_unit_test(atten_char),
        cmocka_unit_test(atten_profile_from_modem),
        cmocka_unit_test(slac_match),
        cmocka_unit_test(get_sw),
        cmocka_unit_test(get_key),
        cmocka_unit_test(op_attributes),
        cmocka_unit_test(vendor_mmv1_header),
        cmocka_unit_test(module_operation_read),
        cmocka_unit_test(round_trip_uncaptured),
        cmocka_unit_test(pack_errors),
        cmocka_unit_test(all_captured_frames),
        cmocka_unit_test(keys_check_values),
        cmocka_unit_test(checksum32_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
