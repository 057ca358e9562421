/* HomePlug Green PHY management messages (CM_* and Qualcomm VS_*): header parsing, bounds-checked
 * pack/unpack of every message SLAC and modem management use, MMTYPE names, NMK/NID derivation. */
#ifndef CCSPLC_HPGP_H
#define CCSPLC_HPGP_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/sha256.h"

#define HPGP_ETHERTYPE 0x88E1u
#define HPGP_MIN_FRAME 60u          /* shorter frames are zero-padded to this length */
#define HPGP_MAX_FRAME 1518u
#define HPGP_NUM_GROUPS 58u         /* attenuation groups in ATTEN_CHAR / ATTEN_PROFILE */
#define HPGP_RUN_ID_LEN 8u
#define HPGP_NMK_LEN 16u
#define HPGP_NID_LEN 7u
#define HPGP_ID_LEN 17u             /* PEV_ID / EVSE_ID / SOURCE_ID / RESP_ID */

/* MMTYPE low two bits. */
enum { HPGP_REQ = 0, HPGP_CNF = 1, HPGP_IND = 2, HPGP_RSP = 3 };

/* MMTYPE base values (low two bits zero). */
enum {
    HPGP_CM_SET_KEY = 0x6008,
    HPGP_CM_GET_KEY = 0x600C,
    HPGP_CM_SLAC_PARAM = 0x6064,
    HPGP_CM_START_ATTEN_CHAR = 0x6068,
    HPGP_CM_ATTEN_CHAR = 0x606C,
    HPGP_CM_MNBC_SOUND = 0x6074,
    HPGP_CM_VALIDATE = 0x6078,
    HPGP_CM_SLAC_MATCH = 0x607C,
    HPGP_CM_ATTEN_PROFILE = 0x6084,
    HPGP_VS_SW_VER = 0xA000,
    HPGP_VS_RS_DEV = 0xA01C,
    HPGP_VS_WR_MOD = 0xA020,
    HPGP_VS_RD_MOD = 0xA024,
    HPGP_VS_MOD_NVM = 0xA028,
    HPGP_VS_NW_INFO = 0xA038,        /* MMV 1: FMI before the OUI, payload at 22 */
    HPGP_VS_SET_KEY = 0xA050,
    HPGP_VS_OP_ATTRIBUTES = 0xA068,
    HPGP_VS_MODULE_OPERATION = 0xA0B0,
    HPGP_VS_PL_LINK_STATUS = 0xA0B8,
};

/* Operations of VS_MODULE_OPERATION. */
enum {
    HPGP_MODOP_READ_MEMORY = 0x00,
    HPGP_MODOP_READ_FLASH = 0x01,
    HPGP_MODOP_START_SESSION = 0x10,
    HPGP_MODOP_WRITE = 0x11,
    HPGP_MODOP_COMMIT = 0x12,
};
#define HPGP_MODULE_PIB 0x7002u      /* VS_MODULE_OPERATION module id of the PIB */
#define HPGP_MODOP_COMMIT_FORCE 0x1u
#define HPGP_MODOP_COMMIT_NO_RESET 0x2u
#define HPGP_MODOP_COMMIT_FACTORY_PIB 0x80000000u
#define HPGP_RD_MOD_MAX 1024u        /* VS_RD_MOD / VS_WR_MOD chunk limit */
#define HPGP_MODOP_MAX 1400u         /* VS_MODULE_OPERATION chunk limit */

/* CM_VALIDATE results. */
enum { HPGP_VALIDATE_NOT_READY, HPGP_VALIDATE_READY, HPGP_VALIDATE_SUCCESS, HPGP_VALIDATE_FAILURE,
       HPGP_VALIDATE_NOT_REQUIRED };

extern const uint8_t hpgp_broadcast_mac[6];   /* ff:ff:ff:ff:ff:ff */
extern const uint8_t hpgp_local_modem_mac[6]; /* 00:b0:52:00:00:01, "the modem attached to this host" */
extern const uint8_t hpgp_qualcomm_oui[3];    /* 00:b0:52 */

/* The Ethernet + management-message header. MMV 1 frames (CM_*) carry a 2-byte FMI and the payload starts
 * at 19; vendor frames (MMTYPE 0xA000-0xBFFF) carry a 3-byte OUI and the payload starts at 20, or with MMV 1
 * (VS_NW_INFO) the FMI first, the OUI at 19 and the payload at 22. An IEEE 802.1Q tag after the source MAC
 * (TPID 0x8100: dSPACE's captures tag every frame) moves everything after it by 4. */
typedef struct {
    uint8_t dst[6];
    uint8_t src[6];
    uint8_t mmv;
    uint16_t mmtype;
    uint16_t fmi;          /* MMV 1 only */
    uint8_t oui[3];        /* vendor messages only */
    uint8_t payload_off;   /* 17, 19, 20 (vendor MMV 0) or 22 (vendor MMV 1: FMI, then OUI); + tag_len */
    uint8_t tag_len;       /* 4 after an 802.1Q tag, else 0 */
    uint16_t vlan_tci;     /* the tag's priority, DEI and VLAN ID */
} hpgp_header;

#define HPGP_ETHERTYPE_VLAN 0x8100 /* IEEE 802.1Q tag protocol identifier */

/* Parse the header of any 0x88E1 frame, tagged or not. 0, CCS_ETRUNC, or CCS_EHEADER (not HomePlug AV). */
int hpgp_parse_header(const uint8_t *frame, size_t len, hpgp_header *h);

/* "CM_SLAC_PARAM.REQ"; unknown types as "MMTYPE_A14C.IND". Always NUL-terminates when cap > 0;
 * returns out. */
const char *hpgp_mmtype_name(uint16_t mmtype, char *out, size_t cap);
/* The name without the suffix ("CM_SLAC_PARAM"), or NULL when unknown. */
const char *hpgp_mmtype_base_name(uint16_t mmtype);

/* ---- message payloads (fields in host order; on the wire everything multi-byte is little-endian) ---- */

typedef struct {
    uint8_t key_type;       /* 1 = NMK */
    uint32_t my_nonce, your_nonce;
    uint8_t pid;            /* 4 = HLE */
    uint16_t prn;
    uint8_t pmn, cco_cap;
    uint8_t nid[HPGP_NID_LEN];
    uint8_t new_eks;        /* 1 */
    uint8_t new_key[HPGP_NMK_LEN];
} hpgp_set_key_req;

typedef struct {
    uint8_t result;         /* implementations disagree on its meaning: do not rely on it */
    uint32_t my_nonce, your_nonce;
    uint8_t pid;
    uint16_t prn;
    uint8_t pmn, cco_cap;
} hpgp_set_key_cnf;

typedef struct {
    uint8_t req_type, key_type;
    uint8_t nid[HPGP_NID_LEN];
    uint32_t my_nonce;
    uint8_t pid;
    uint16_t prn;
    uint8_t pmn;
} hpgp_get_key_req;

typedef struct {
    uint8_t result, key_type;
    uint32_t my_nonce, your_nonce;
    uint8_t nid[HPGP_NID_LEN];
    uint8_t eks, pid;
    uint16_t prn;
    uint8_t pmn;
    uint8_t key[HPGP_NMK_LEN];
} hpgp_get_key_cnf;

typedef struct {
    uint8_t app_type, sec_type;
    uint8_t run_id[HPGP_RUN_ID_LEN];
} hpgp_slac_param_req;

typedef struct {
    uint8_t msound_target[6];
    uint8_t num_sounds, time_out, resp_type;
    uint8_t forwarding_sta[6];
    uint8_t app_type, sec_type;
    uint8_t run_id[HPGP_RUN_ID_LEN];
} hpgp_slac_param_cnf;

typedef struct {
    uint8_t app_type, sec_type, num_sounds, time_out, resp_type;
    uint8_t forwarding_sta[6];
    uint8_t run_id[HPGP_RUN_ID_LEN];
} hpgp_start_atten_char_ind;

typedef struct {
    uint8_t app_type, sec_type;
    uint8_t sender_id[HPGP_ID_LEN];
    uint8_t cnt;            /* remaining sounds, 9..0 */
    uint8_t run_id[HPGP_RUN_ID_LEN];
    uint8_t rnd[16];
} hpgp_mnbc_sound_ind;

typedef struct {
    uint8_t pev_mac[6];
    uint8_t num_groups;     /* real QCA modems often send 0 */
    uint8_t aag[HPGP_NUM_GROUPS];
} hpgp_atten_profile_ind;

/* CM_ATTEN_CHAR.IND; the RSP has the same fields up to resp_id and then result. */
typedef struct {
    uint8_t app_type, sec_type;
    uint8_t source_address[6];
    uint8_t run_id[HPGP_RUN_ID_LEN];
    uint8_t source_id[HPGP_ID_LEN], resp_id[HPGP_ID_LEN];
    uint8_t num_sounds, num_groups;
    uint8_t aag[HPGP_NUM_GROUPS];
    uint8_t result;         /* RSP only */
} hpgp_atten_char;

typedef struct {
    uint8_t signal_type;
    uint8_t timer_or_toggles;  /* REQ: Timer; CNF: ToggleNum */
    uint8_t result;
} hpgp_validate;

/* CM_SLAC_MATCH.REQ and .CNF (nid/nmk only in the CNF). */
typedef struct {
    uint8_t app_type, sec_type;
    uint16_t mvf_length;    /* 0x3E in the REQ, 0x56 in the CNF */
    uint8_t pev_id[HPGP_ID_LEN], pev_mac[6];
    uint8_t evse_id[HPGP_ID_LEN], evse_mac[6];
    uint8_t run_id[HPGP_RUN_ID_LEN];
    uint8_t nid[HPGP_NID_LEN];
    uint8_t nmk[HPGP_NMK_LEN];
} hpgp_slac_match;

typedef struct {
    uint32_t cookie;
} hpgp_sw_ver_req;

typedef struct {
    uint8_t mstatus, device_class, version_len;
    const uint8_t *version;  /* points into the frame (unpack) or caller memory (pack); not NUL-terminated */
} hpgp_sw_ver_cnf;

/* Single-status confirmations: VS_RS_DEV.CNF, VS_PL_LINK_STATUS.CNF, VS_MOD_NVM, VS_SET_KEY.CNF. */
typedef struct {
    uint8_t mstatus;
    uint8_t value;           /* LINK_STATUS: 1 = link up; MOD_NVM: module id */
} hpgp_vs_status;

typedef struct {
    uint32_t cookie;
    uint8_t report_type;
} hpgp_op_attr_req;

/* VS_OP_ATTRIBUTES.CNF, binary report (open-plc-utils' Attributes2; a QCA7420 in the captures agrees: its
 * "MAC-QCA7420-1.3.0.2134-00-20151212-CS" has build 2134 at 77). The report fills a 1024-byte buffer. */
typedef struct {
    uint16_t status;
    uint32_t cookie;
    uint8_t report_type;
    uint16_t size;                              /* bytes of the report that mean something (118 in the capture) */
    uint8_t hw_platform[16], sw_platform[16];   /* NUL-padded text: device family ("QCA7000"), type ("MAC") */
    uint32_t major, minor, composite, sustaining, build;
    uint8_t build_date[8];
    uint8_t release_type[12];
    uint8_t sdram_type, line_freq;              /* line_freq: bits 0-1 frequency, 2-3 zero crossing */
    uint32_t sdram_size;                        /* Mbyte */
    uint8_t auth_mode;
} hpgp_op_attr_cnf;

/* VS_SET_KEY.REQ (plctool -M / -J): the NMK for the local modem (PEKS 0x0F, RDA and DAK zero) or for the remote
 * station RDA, encrypted with its DAK (PEKS 0). The CNF is a single MSTATUS (hpgp_vs_status). */
typedef struct {
    uint8_t eks;
    uint8_t nmk[HPGP_NMK_LEN];
    uint8_t peks;
    uint8_t rda[6];
    uint8_t dak[16];
} hpgp_vs_set_key_req;
#define HPGP_VS_SET_KEY_PEKS_LOCAL 0x0Fu

/* VS_NW_INFO.CNF (MMV 1, as plctool -m and plcstat -t read it): at most one AVLN (the modem's own), then its
 * stations as HPGP_NW_STA_LEN-byte records (hpgp_nw_sta_put). */
#define HPGP_NW_STA_LEN 24u
typedef struct {
    uint8_t sub_version;
    uint16_t data_len;       /* bytes from 26 to the end of the last station */
    uint8_t num_avlns;       /* 0 (not in an AVLN) or 1 */
    uint8_t nid[HPGP_NID_LEN];
    uint8_t snid, tei;
    uint8_t role;            /* this station's role: 0 STA, 1 PCo, 2 CCo */
    uint8_t cco_mac[6];
    uint8_t cco_tei;
    uint8_t num_stas;
    const uint8_t *stas;     /* num_stas records of HPGP_NW_STA_LEN bytes (into the frame after unpack) */
} hpgp_nw_info_cnf;

/* One station of VS_NW_INFO.CNF: its modem's MAC and TEI, the host behind it (bridged address), the average PHY
 * rates to and from it in Mbit/s. */
typedef struct {
    uint8_t mac[6];
    uint8_t tei;
    uint8_t bda[6];
    uint16_t tx_mbps, rx_mbps;
} hpgp_nw_sta;
void hpgp_nw_sta_put(uint8_t rec[HPGP_NW_STA_LEN], const hpgp_nw_sta *s);

/* VS_RD_MOD / VS_WR_MOD: chunks of a module (PIB = module 0x02). */
typedef struct {
    uint8_t mstatus;         /* CNF only */
    uint8_t module_id, maccess;
    uint16_t length;
    uint32_t offset, checksum;
    const uint8_t *data;     /* RD CNF, WR REQ: `length` bytes */
} hpgp_mod_rw;

/* VS_MODULE_OPERATION (QCA7000/AR7420), all operations; which fields are on the wire depends on the
 * operation and direction (see docs/homeplug.md). */
typedef struct {
    uint16_t mstatus, err_rec_code;  /* CNF only */
    uint8_t num_op;          /* 1 */
    uint16_t op;             /* HPGP_MODOP_* */
    uint16_t op_data_len;
    uint32_t session_id;     /* start / write / commit */
    uint8_t module_idx, num_modules;
    uint16_t module_id, module_sub_id;
    uint16_t length;         /* read / write chunk length */
    uint32_t offset;         /* read / write chunk offset */
    uint32_t module_length, module_checksum;  /* start session */
    uint32_t commit_code;    /* commit */
    uint16_t mod_status;     /* start / commit CNF */
    const uint8_t *data;     /* read CNF, write REQ: `length` bytes */
} hpgp_module_op;

/* Every message this module packs and unpacks. */
typedef enum {
    HPGP_K_SET_KEY_REQ, HPGP_K_SET_KEY_CNF, HPGP_K_GET_KEY_REQ, HPGP_K_GET_KEY_CNF,
    HPGP_K_SLAC_PARAM_REQ, HPGP_K_SLAC_PARAM_CNF, HPGP_K_START_ATTEN_CHAR_IND, HPGP_K_MNBC_SOUND_IND,
    HPGP_K_ATTEN_PROFILE_IND, HPGP_K_ATTEN_CHAR_IND, HPGP_K_ATTEN_CHAR_RSP, HPGP_K_VALIDATE_REQ,
    HPGP_K_VALIDATE_CNF, HPGP_K_SLAC_MATCH_REQ, HPGP_K_SLAC_MATCH_CNF,
    HPGP_K_SW_VER_REQ, HPGP_K_SW_VER_CNF, HPGP_K_RS_DEV_REQ, HPGP_K_RS_DEV_CNF,
    HPGP_K_LINK_STATUS_REQ, HPGP_K_LINK_STATUS_CNF, HPGP_K_OP_ATTR_REQ, HPGP_K_OP_ATTR_CNF,
    HPGP_K_RD_MOD_REQ, HPGP_K_RD_MOD_CNF, HPGP_K_WR_MOD_REQ, HPGP_K_WR_MOD_CNF,
    HPGP_K_MOD_NVM_REQ, HPGP_K_MOD_NVM_CNF,
    HPGP_K_MODOP_READ_REQ, HPGP_K_MODOP_READ_CNF, HPGP_K_MODOP_START_REQ, HPGP_K_MODOP_START_CNF,
    HPGP_K_MODOP_WRITE_REQ, HPGP_K_MODOP_WRITE_CNF, HPGP_K_MODOP_COMMIT_REQ, HPGP_K_MODOP_COMMIT_CNF,
    HPGP_K_NW_INFO_REQ, HPGP_K_NW_INFO_CNF, HPGP_K_VS_SET_KEY_REQ, HPGP_K_VS_SET_KEY_CNF,
    HPGP_K_COUNT
} hpgp_kind;

typedef struct {
    hpgp_kind kind;
    hpgp_header hdr;  /* pack uses dst and src; it derives MMV, MMTYPE, FMI and OUI from `kind` */
    union {
        hpgp_set_key_req set_key_req;
        hpgp_set_key_cnf set_key_cnf;
        hpgp_get_key_req get_key_req;
        hpgp_get_key_cnf get_key_cnf;
        hpgp_slac_param_req slac_param_req;
        hpgp_slac_param_cnf slac_param_cnf;
        hpgp_start_atten_char_ind start_atten_char;
        hpgp_mnbc_sound_ind mnbc_sound;
        hpgp_atten_profile_ind atten_profile;
        hpgp_atten_char atten_char;         /* IND and RSP */
        hpgp_validate validate;             /* REQ and CNF */
        hpgp_slac_match slac_match;         /* REQ and CNF */
        hpgp_sw_ver_req sw_ver_req;
        hpgp_sw_ver_cnf sw_ver_cnf;
        hpgp_vs_status status;              /* RS_DEV.CNF, LINK_STATUS.CNF, MOD_NVM REQ/CNF */
        hpgp_op_attr_req op_attr_req;
        hpgp_op_attr_cnf op_attr_cnf;
        hpgp_mod_rw mod_rw;                 /* RD_MOD, WR_MOD REQ/CNF */
        hpgp_module_op modop;               /* all VS_MODULE_OPERATION kinds */
        hpgp_nw_info_cnf nw_info_cnf;       /* the REQ has no payload */
        hpgp_vs_set_key_req vs_set_key_req; /* the CNF is hpgp_vs_status */
    } u;
} hpgp_msg;

/* Unpack any supported frame. 0 on success; CCS_ETRUNC / CCS_EHEADER for bad frames; CCS_EUNSUPP for
 * a valid HomePlug header of a type we do not decode (msg->hdr is still filled); CCS_ECAP for a count
 * beyond its array. Pointer fields point into `frame`. */
int hpgp_unpack(const uint8_t *frame, size_t len, hpgp_msg *msg);
/* Pack msg into buf (zero-padded to 60 bytes). 0, CCS_EINVAL, CCS_ENOSPC or CCS_ECAP. */
int hpgp_pack(const hpgp_msg *msg, uint8_t *buf, size_t cap, size_t *len);
/* MMTYPE of a kind (e.g. HPGP_K_SLAC_PARAM_CNF -> 0x6065); 0 for an invalid kind. */
uint16_t hpgp_kind_mmtype(hpgp_kind kind);
/* A zeroed message of `kind` from src to dst. */
void hpgp_msg_init(hpgp_msg *msg, hpgp_kind kind, const uint8_t dst[6], const uint8_t src[6]);

/* ---- keys ---- */
#define HPGP_PASSWORD_MAX 64u
/* NMK from a password (1..64 bytes): SHA-256 of password || fixed salt, rehashed to 1000 rounds. */
int hpgp_nmk_from_password(ccs_sha256_fn sha256, const char *password, size_t len, uint8_t nmk[HPGP_NMK_LEN]);
/* NID from an NMK and a security level (0 simple connect, 1 secure): 5 rounds of SHA-256. */
int hpgp_nid_from_nmk(ccs_sha256_fn sha256, const uint8_t nmk[HPGP_NMK_LEN], unsigned level,
                      uint8_t nid[HPGP_NID_LEN]);

/* ---- modem images ---- */
/* Qualcomm checksum32: bitwise NOT of the XOR of all little-endian 32-bit words (len rounded down to 4). */
uint32_t hpgp_checksum32(const uint8_t *data, size_t len);

#endif
