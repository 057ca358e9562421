/* Wire layouts of the Qualcomm vendor messages (MMV 0, OUI 00:B0:52, payload at offset 20; VS_NW_INFO: MMV 1,
 * payload at 22); the VS_MODULE_OPERATION layouts follow the read operation seen in the captures and the
 * notes, VS_NW_INFO / VS_SET_KEY / VS_OP_ATTRIBUTES open-plc-utils' messages (plctool, plcstat). */
#include "layout.h"

typedef hpgp_sw_ver_req SWQ;
static const hpgp_field sw_ver_req[] = { HPGP_FU32(20, SWQ, cookie) };

typedef hpgp_sw_ver_cnf SWC;
static const hpgp_field sw_ver_cnf[] = {
    HPGP_FU8(20, SWC, mstatus), HPGP_FU8(21, SWC, device_class), HPGP_FU8(22, SWC, version_len),
    HPGP_FREF(23, SWC, version, version_len, HPGP_F_U8),
};

typedef hpgp_vs_status VST;
static const hpgp_field status_only[] = { HPGP_FU8(20, VST, mstatus) };
static const hpgp_field status_value[] = { HPGP_FU8(20, VST, mstatus), HPGP_FU8(21, VST, value) };
static const hpgp_field value_only[] = { HPGP_FU8(20, VST, value) };

typedef hpgp_op_attr_req OAQ;
static const hpgp_field op_attr_req[] = { HPGP_FU32(20, OAQ, cookie), HPGP_FU8(24, OAQ, report_type) };

typedef hpgp_op_attr_cnf OAC;
static const hpgp_field op_attr_cnf[] = {
    HPGP_FU16(20, OAC, status), HPGP_FU32(22, OAC, cookie), HPGP_FU8(26, OAC, report_type),
    HPGP_FU16(27, OAC, size), HPGP_FBYTES(29, OAC, hw_platform), HPGP_FBYTES(45, OAC, sw_platform),
    HPGP_FU32(61, OAC, major), HPGP_FU32(65, OAC, minor), HPGP_FU32(69, OAC, composite),
    HPGP_FU32(73, OAC, sustaining), HPGP_FU32(77, OAC, build), HPGP_FBYTES(81, OAC, build_date),
    HPGP_FBYTES(89, OAC, release_type), HPGP_FU8(101, OAC, sdram_type), HPGP_FU8(103, OAC, line_freq),
    HPGP_FU32(104, OAC, sdram_size), HPGP_FU8(141, OAC, auth_mode),
};
#define OP_ATTR_CNF_LEN (29 + 1024) /* the report buffer, as the captured QCA7420 sends it */

typedef hpgp_vs_set_key_req VSK;
static const hpgp_field vs_set_key_req[] = {
    HPGP_FU8(20, VSK, eks), HPGP_FBYTES(21, VSK, nmk), HPGP_FU8(37, VSK, peks), HPGP_FBYTES(38, VSK, rda),
    HPGP_FBYTES(44, VSK, dak),
};

/* VS_NW_INFO.CNF (MMV 1, payload at 22): 22 SUB_VERSION, 23 reserved, 24 DATA_LEN(2), 26 reserved, 27 NUMAVLNS;
 * the AVLN: 28 NID(7), 35 reserved(2), 37 SNID, 38 TEI, 39 reserved(4), 43 ROLE, 44 CCO_MAC(6), 50 CCO_TEI,
 * 51 reserved(3), 54 NUMSTAS, 55 reserved(5); stations from 60. */
typedef hpgp_nw_info_cnf NWI;
static const hpgp_field nw_info_cnf[] = {
    HPGP_FU8(22, NWI, sub_version), HPGP_FU16(24, NWI, data_len), HPGP_FU8(27, NWI, num_avlns),
    HPGP_FBYTES(28, NWI, nid), HPGP_FU8(37, NWI, snid), HPGP_FU8(38, NWI, tei), HPGP_FU8(43, NWI, role),
    HPGP_FBYTES(44, NWI, cco_mac), HPGP_FU8(50, NWI, cco_tei), HPGP_FU8(54, NWI, num_stas),
    HPGP_FREF_RECORDS(60, NWI, stas, num_stas, HPGP_F_U8, HPGP_NW_STA_LEN),
};

typedef hpgp_mod_rw MRW;
static const hpgp_field rd_mod_req[] = {
    HPGP_FU8(20, MRW, module_id), HPGP_FU8(21, MRW, maccess), HPGP_FU16(22, MRW, length),
    HPGP_FU32(24, MRW, offset),
};
static const hpgp_field rd_mod_cnf[] = {
    HPGP_FU8(20, MRW, mstatus), HPGP_FU8(24, MRW, module_id), HPGP_FU16(26, MRW, length),
    HPGP_FU32(28, MRW, offset), HPGP_FU32(32, MRW, checksum), HPGP_FREF(36, MRW, data, length, HPGP_F_U16),
};
static const hpgp_field wr_mod_req[] = {
    HPGP_FU8(20, MRW, module_id), HPGP_FU16(22, MRW, length), HPGP_FU32(24, MRW, offset),
    HPGP_FU32(28, MRW, checksum), HPGP_FREF(32, MRW, data, length, HPGP_F_U16),
};
static const hpgp_field wr_mod_cnf[] = {
    HPGP_FU8(20, MRW, mstatus), HPGP_FU8(21, MRW, module_id), HPGP_FU16(23, MRW, length),
    HPGP_FU32(25, MRW, offset),
};

/* VS_MODULE_OPERATION: REQ 20 reserved(4), 24 NumOp, 25 Op, 27 OpDataLen, 29 reserved(4), op fields at 33;
 * CNF 20 MSTATUS(2), 22 ErrRecCode(2), 24 reserved(4), 28 NumOp, 29 Op, 31 OpDataLen, 33 reserved(4),
 * op fields at 37. */
typedef hpgp_module_op MOP;
#define MODOP_REQ_HEAD HPGP_FU8(24, MOP, num_op), HPGP_FU16(25, MOP, op), HPGP_FU16(27, MOP, op_data_len)
#define MODOP_CNF_HEAD                                                                                  \
    HPGP_FU16(20, MOP, mstatus), HPGP_FU16(22, MOP, err_rec_code), HPGP_FU8(28, MOP, num_op),           \
        HPGP_FU16(29, MOP, op), HPGP_FU16(31, MOP, op_data_len)
#define MODOP_REQ_SEL 25
#define MODOP_CNF_SEL 29

static const hpgp_field modop_read_req[] = {
    MODOP_REQ_HEAD, HPGP_FU16(33, MOP, module_id), HPGP_FU16(35, MOP, module_sub_id),
    HPGP_FU16(37, MOP, length), HPGP_FU32(39, MOP, offset),
};
static const hpgp_field modop_read_cnf[] = {
    MODOP_CNF_HEAD, HPGP_FU16(37, MOP, module_id), HPGP_FU16(39, MOP, module_sub_id),
    HPGP_FU16(41, MOP, length), HPGP_FU32(43, MOP, offset), HPGP_FREF(47, MOP, data, length, HPGP_F_U16),
};
static const hpgp_field modop_start_req[] = {
    MODOP_REQ_HEAD, HPGP_FU32(33, MOP, session_id), HPGP_FU8(37, MOP, num_modules),
    HPGP_FU16(38, MOP, module_id), HPGP_FU16(40, MOP, module_sub_id), HPGP_FU32(42, MOP, module_length),
    HPGP_FU32(46, MOP, module_checksum),
};
static const hpgp_field modop_start_cnf[] = {
    MODOP_CNF_HEAD, HPGP_FU32(37, MOP, session_id), HPGP_FU8(41, MOP, num_modules),
    HPGP_FU16(42, MOP, mod_status),
};
static const hpgp_field modop_write_req[] = {
    MODOP_REQ_HEAD, HPGP_FU32(33, MOP, session_id), HPGP_FU8(37, MOP, module_idx),
    HPGP_FU16(38, MOP, module_id), HPGP_FU16(40, MOP, module_sub_id), HPGP_FU16(42, MOP, length),
    HPGP_FU32(44, MOP, offset), HPGP_FREF(48, MOP, data, length, HPGP_F_U16),
};
static const hpgp_field modop_write_cnf[] = {
    MODOP_CNF_HEAD, HPGP_FU32(37, MOP, session_id), HPGP_FU8(41, MOP, module_idx),
    HPGP_FU16(42, MOP, module_id), HPGP_FU16(44, MOP, module_sub_id), HPGP_FU16(46, MOP, length),
    HPGP_FU32(48, MOP, offset),
};
static const hpgp_field modop_commit_req[] = {
    MODOP_REQ_HEAD, HPGP_FU32(33, MOP, session_id), HPGP_FU32(37, MOP, commit_code),
};
static const hpgp_field modop_commit_cnf[] = {
    MODOP_CNF_HEAD, HPGP_FU32(37, MOP, session_id), HPGP_FU32(41, MOP, commit_code),
    HPGP_FU8(45, MOP, num_modules), HPGP_FU16(46, MOP, mod_status),
};

#define VS(k) [HPGP_K_##k - HPGP_CM_KINDS]
#define MOD_REQ(op, len, f) HPGP_LAYOUT_SEL(HPGP_VS_MODULE_OPERATION | HPGP_REQ, len, MODOP_REQ_SEL, 0xFFFF, op, f)
#define MOD_CNF(op, len, f) HPGP_LAYOUT_SEL(HPGP_VS_MODULE_OPERATION | HPGP_CNF, len, MODOP_CNF_SEL, 0xFFFF, op, f)

const hpgp_layout hpgp_vs_layouts[HPGP_K_COUNT - HPGP_CM_KINDS] = {
    VS(SW_VER_REQ) = HPGP_LAYOUT(HPGP_VS_SW_VER | HPGP_REQ, 24, sw_ver_req),
    /* the version text occupies a 64-byte field, an "upgradable" byte follows (as tshark reads it) */
    VS(SW_VER_CNF) = HPGP_LAYOUT(HPGP_VS_SW_VER | HPGP_CNF, 23 + 64 + 1, sw_ver_cnf),
    VS(RS_DEV_REQ) = HPGP_LAYOUT_EMPTY(HPGP_VS_RS_DEV | HPGP_REQ, 20),
    VS(RS_DEV_CNF) = HPGP_LAYOUT(HPGP_VS_RS_DEV | HPGP_CNF, 21, status_only),
    VS(LINK_STATUS_REQ) = HPGP_LAYOUT_EMPTY(HPGP_VS_PL_LINK_STATUS | HPGP_REQ, 20),
    VS(LINK_STATUS_CNF) = HPGP_LAYOUT(HPGP_VS_PL_LINK_STATUS | HPGP_CNF, 22, status_value),
    VS(OP_ATTR_REQ) = HPGP_LAYOUT(HPGP_VS_OP_ATTRIBUTES | HPGP_REQ, 25, op_attr_req),
    VS(OP_ATTR_CNF) = HPGP_LAYOUT(HPGP_VS_OP_ATTRIBUTES | HPGP_CNF, OP_ATTR_CNF_LEN, op_attr_cnf),
    VS(RD_MOD_REQ) = HPGP_LAYOUT(HPGP_VS_RD_MOD | HPGP_REQ, 28, rd_mod_req),
    VS(RD_MOD_CNF) = HPGP_LAYOUT(HPGP_VS_RD_MOD | HPGP_CNF, 36, rd_mod_cnf),
    VS(WR_MOD_REQ) = HPGP_LAYOUT(HPGP_VS_WR_MOD | HPGP_REQ, 32, wr_mod_req),
    VS(WR_MOD_CNF) = HPGP_LAYOUT(HPGP_VS_WR_MOD | HPGP_CNF, 29, wr_mod_cnf),
    VS(MOD_NVM_REQ) = HPGP_LAYOUT(HPGP_VS_MOD_NVM | HPGP_REQ, 21, value_only),
    VS(MOD_NVM_CNF) = HPGP_LAYOUT(HPGP_VS_MOD_NVM | HPGP_CNF, 22, status_value),
    VS(MODOP_READ_REQ) = HPGP_LAYOUT_SEL(HPGP_VS_MODULE_OPERATION | HPGP_REQ, 43, MODOP_REQ_SEL, 0xFFFE,
                                         HPGP_MODOP_READ_MEMORY, modop_read_req),
    VS(MODOP_READ_CNF) = HPGP_LAYOUT_SEL(HPGP_VS_MODULE_OPERATION | HPGP_CNF, 47, MODOP_CNF_SEL, 0xFFFE,
                                         HPGP_MODOP_READ_MEMORY, modop_read_cnf),
    VS(MODOP_START_REQ) = MOD_REQ(HPGP_MODOP_START_SESSION, 50, modop_start_req),
    VS(MODOP_START_CNF) = MOD_CNF(HPGP_MODOP_START_SESSION, 46, modop_start_cnf),
    VS(MODOP_WRITE_REQ) = MOD_REQ(HPGP_MODOP_WRITE, 48, modop_write_req),
    VS(MODOP_WRITE_CNF) = MOD_CNF(HPGP_MODOP_WRITE, 52, modop_write_cnf),
    VS(MODOP_COMMIT_REQ) = MOD_REQ(HPGP_MODOP_COMMIT, 61, modop_commit_req),
    VS(MODOP_COMMIT_CNF) = MOD_CNF(HPGP_MODOP_COMMIT, 48, modop_commit_cnf),
    VS(NW_INFO_REQ) = HPGP_LAYOUT_EMPTY_MMV1(HPGP_VS_NW_INFO | HPGP_REQ, 22),
    VS(NW_INFO_CNF) = HPGP_LAYOUT_MMV1(HPGP_VS_NW_INFO | HPGP_CNF, 60, nw_info_cnf),
    VS(VS_SET_KEY_REQ) = HPGP_LAYOUT(HPGP_VS_SET_KEY | HPGP_REQ, 60, vs_set_key_req),
    VS(VS_SET_KEY_CNF) = HPGP_LAYOUT(HPGP_VS_SET_KEY | HPGP_CNF, 21, status_only),
};
