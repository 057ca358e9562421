/* Wire layouts of the CM_* messages (MMV 1, payload at offset 19), from HOMEPLUG-NOTES.md. */
#include "layout.h"

typedef hpgp_set_key_req SKQ;
static const hpgp_field set_key_req[] = {
    HPGP_FU8(19, SKQ, key_type), HPGP_FU32(20, SKQ, my_nonce), HPGP_FU32(24, SKQ, your_nonce),
    HPGP_FU8(28, SKQ, pid), HPGP_FU16(29, SKQ, prn), HPGP_FU8(31, SKQ, pmn), HPGP_FU8(32, SKQ, cco_cap),
    HPGP_FBYTES(33, SKQ, nid), HPGP_FU8(40, SKQ, new_eks), HPGP_FBYTES(41, SKQ, new_key),
};

typedef hpgp_set_key_cnf SKC;
static const hpgp_field set_key_cnf[] = {
    HPGP_FU8(19, SKC, result), HPGP_FU32(20, SKC, my_nonce), HPGP_FU32(24, SKC, your_nonce),
    HPGP_FU8(28, SKC, pid), HPGP_FU16(29, SKC, prn), HPGP_FU8(31, SKC, pmn), HPGP_FU8(32, SKC, cco_cap),
};

typedef hpgp_get_key_req GKQ;
static const hpgp_field get_key_req[] = {
    HPGP_FU8(19, GKQ, req_type), HPGP_FU8(20, GKQ, key_type), HPGP_FBYTES(21, GKQ, nid),
    HPGP_FU32(28, GKQ, my_nonce), HPGP_FU8(32, GKQ, pid), HPGP_FU16(33, GKQ, prn), HPGP_FU8(35, GKQ, pmn),
};

typedef hpgp_get_key_cnf GKC;
static const hpgp_field get_key_cnf[] = {
    HPGP_FU8(19, GKC, result), HPGP_FU8(20, GKC, key_type), HPGP_FU32(21, GKC, my_nonce),
    HPGP_FU32(25, GKC, your_nonce), HPGP_FBYTES(29, GKC, nid), HPGP_FU8(36, GKC, eks), HPGP_FU8(37, GKC, pid),
    HPGP_FU16(38, GKC, prn), HPGP_FU8(40, GKC, pmn), HPGP_FBYTES(41, GKC, key),
};

typedef hpgp_slac_param_req SPQ;
static const hpgp_field slac_param_req[] = {
    HPGP_FU8(19, SPQ, app_type), HPGP_FU8(20, SPQ, sec_type), HPGP_FBYTES(21, SPQ, run_id),
};

typedef hpgp_slac_param_cnf SPC;
static const hpgp_field slac_param_cnf[] = {
    HPGP_FBYTES(19, SPC, msound_target), HPGP_FU8(25, SPC, num_sounds), HPGP_FU8(26, SPC, time_out),
    HPGP_FU8(27, SPC, resp_type), HPGP_FBYTES(28, SPC, forwarding_sta), HPGP_FU8(34, SPC, app_type),
    HPGP_FU8(35, SPC, sec_type), HPGP_FBYTES(36, SPC, run_id),
};

typedef hpgp_start_atten_char_ind SAC;
static const hpgp_field start_atten_char[] = {
    HPGP_FU8(19, SAC, app_type), HPGP_FU8(20, SAC, sec_type), HPGP_FU8(21, SAC, num_sounds),
    HPGP_FU8(22, SAC, time_out), HPGP_FU8(23, SAC, resp_type), HPGP_FBYTES(24, SAC, forwarding_sta),
    HPGP_FBYTES(30, SAC, run_id),
};

typedef hpgp_mnbc_sound_ind MNB;
static const hpgp_field mnbc_sound[] = {
    HPGP_FU8(19, MNB, app_type), HPGP_FU8(20, MNB, sec_type), HPGP_FBYTES(21, MNB, sender_id),
    HPGP_FU8(38, MNB, cnt), HPGP_FBYTES(39, MNB, run_id), HPGP_FBYTES(55, MNB, rnd),
};

typedef hpgp_atten_profile_ind APR;
static const hpgp_field atten_profile[] = {
    HPGP_FBYTES(19, APR, pev_mac), HPGP_FU8(25, APR, num_groups), HPGP_FARRAY(27, APR, aag, num_groups),
};

typedef hpgp_atten_char ACH;
#define ATTEN_CHAR_HEAD                                                                                 \
    HPGP_FU8(19, ACH, app_type), HPGP_FU8(20, ACH, sec_type), HPGP_FBYTES(21, ACH, source_address),     \
        HPGP_FBYTES(27, ACH, run_id), HPGP_FBYTES(35, ACH, source_id), HPGP_FBYTES(52, ACH, resp_id)
static const hpgp_field atten_char_ind[] = {
    ATTEN_CHAR_HEAD, HPGP_FU8(69, ACH, num_sounds), HPGP_FU8(70, ACH, num_groups),
    HPGP_FARRAY(71, ACH, aag, num_groups),
};
static const hpgp_field atten_char_rsp[] = { ATTEN_CHAR_HEAD, HPGP_FU8(69, ACH, result) };

typedef hpgp_validate VAL;
static const hpgp_field validate[] = {
    HPGP_FU8(19, VAL, signal_type), HPGP_FU8(20, VAL, timer_or_toggles), HPGP_FU8(21, VAL, result),
};

typedef hpgp_slac_match SMA;
#define SLAC_MATCH_HEAD                                                                                 \
    HPGP_FU8(19, SMA, app_type), HPGP_FU8(20, SMA, sec_type), HPGP_FU16(21, SMA, mvf_length),           \
        HPGP_FBYTES(23, SMA, pev_id), HPGP_FBYTES(40, SMA, pev_mac), HPGP_FBYTES(46, SMA, evse_id),     \
        HPGP_FBYTES(63, SMA, evse_mac), HPGP_FBYTES(69, SMA, run_id)
static const hpgp_field slac_match_req[] = { SLAC_MATCH_HEAD };
static const hpgp_field slac_match_cnf[] = { SLAC_MATCH_HEAD, HPGP_FBYTES(85, SMA, nid), HPGP_FBYTES(93, SMA, nmk) };

const hpgp_layout hpgp_cm_layouts[HPGP_CM_KINDS] = {
    [HPGP_K_SET_KEY_REQ] = HPGP_LAYOUT(HPGP_CM_SET_KEY | HPGP_REQ, 57, set_key_req),
    [HPGP_K_SET_KEY_CNF] = HPGP_LAYOUT(HPGP_CM_SET_KEY | HPGP_CNF, 33, set_key_cnf),
    [HPGP_K_GET_KEY_REQ] = HPGP_LAYOUT(HPGP_CM_GET_KEY | HPGP_REQ, 36, get_key_req),
    [HPGP_K_GET_KEY_CNF] = HPGP_LAYOUT(HPGP_CM_GET_KEY | HPGP_CNF, 57, get_key_cnf),
    [HPGP_K_SLAC_PARAM_REQ] = HPGP_LAYOUT(HPGP_CM_SLAC_PARAM | HPGP_REQ, 29, slac_param_req),
    [HPGP_K_SLAC_PARAM_CNF] = HPGP_LAYOUT(HPGP_CM_SLAC_PARAM | HPGP_CNF, 44, slac_param_cnf),
    [HPGP_K_START_ATTEN_CHAR_IND] = HPGP_LAYOUT(HPGP_CM_START_ATTEN_CHAR | HPGP_IND, 38, start_atten_char),
    [HPGP_K_MNBC_SOUND_IND] = HPGP_LAYOUT(HPGP_CM_MNBC_SOUND | HPGP_IND, 71, mnbc_sound),
    [HPGP_K_ATTEN_PROFILE_IND] = HPGP_LAYOUT(HPGP_CM_ATTEN_PROFILE | HPGP_IND, 27, atten_profile),
    [HPGP_K_ATTEN_CHAR_IND] = HPGP_LAYOUT(HPGP_CM_ATTEN_CHAR | HPGP_IND, 71, atten_char_ind),
    [HPGP_K_ATTEN_CHAR_RSP] = HPGP_LAYOUT(HPGP_CM_ATTEN_CHAR | HPGP_RSP, 70, atten_char_rsp),
    [HPGP_K_VALIDATE_REQ] = HPGP_LAYOUT(HPGP_CM_VALIDATE | HPGP_REQ, 22, validate),
    [HPGP_K_VALIDATE_CNF] = HPGP_LAYOUT(HPGP_CM_VALIDATE | HPGP_CNF, 22, validate),
    [HPGP_K_SLAC_MATCH_REQ] = HPGP_LAYOUT(HPGP_CM_SLAC_MATCH | HPGP_REQ, 85, slac_match_req),
    [HPGP_K_SLAC_MATCH_CNF] = HPGP_LAYOUT(HPGP_CM_SLAC_MATCH | HPGP_CNF, 109, slac_match_cnf),
};
