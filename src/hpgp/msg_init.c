/* hpgp_msg_init: a zeroed message of one kind with the constants every sender uses (key type, MVF length...). */
#include <string.h>

#include "ccsplc/core/hpgp.h"

enum { KEY_TYPE_NMK = 1, PID_HLE = 4, EKS_NMK = 1, MVF_LEN_REQ = 0x3E, MVF_LEN_CNF = 0x56 };
enum { MODOP_READ_DATA_LEN = 18, MODOP_START_DATA_LEN = 25, MODOP_COMMIT_DATA_LEN = 36 };

static void modop_init(hpgp_module_op *m, uint16_t op, uint16_t data_len)
{
    m->num_op = 1;
    m->op = op;
    m->op_data_len = data_len;
}

void hpgp_msg_init(hpgp_msg *msg, hpgp_kind kind, const uint8_t dst[6], const uint8_t src[6])
{
    memset(msg, 0, sizeof *msg);
    msg->kind = kind;
    msg->hdr.mmtype = hpgp_kind_mmtype(kind);
    if (dst) memcpy(msg->hdr.dst, dst, 6);
    if (src) memcpy(msg->hdr.src, src, 6);
    switch (kind) {
    case HPGP_K_SET_KEY_REQ:
        msg->u.set_key_req.key_type = KEY_TYPE_NMK;
        msg->u.set_key_req.pid = PID_HLE;
        msg->u.set_key_req.new_eks = EKS_NMK;
        break;
    case HPGP_K_GET_KEY_REQ:
        msg->u.get_key_req.key_type = KEY_TYPE_NMK;
        msg->u.get_key_req.pid = PID_HLE;
        break;
    case HPGP_K_SLAC_PARAM_CNF: memset(msg->u.slac_param_cnf.msound_target, 0xFF, 6); break;
    case HPGP_K_ATTEN_PROFILE_IND: msg->u.atten_profile.num_groups = HPGP_NUM_GROUPS; break;
    case HPGP_K_ATTEN_CHAR_IND: msg->u.atten_char.num_groups = HPGP_NUM_GROUPS; break;
    case HPGP_K_SLAC_MATCH_REQ: msg->u.slac_match.mvf_length = MVF_LEN_REQ; break;
    case HPGP_K_SLAC_MATCH_CNF: msg->u.slac_match.mvf_length = MVF_LEN_CNF; break;
    case HPGP_K_MODOP_READ_REQ:
    case HPGP_K_MODOP_READ_CNF: modop_init(&msg->u.modop, HPGP_MODOP_READ_MEMORY, MODOP_READ_DATA_LEN); break;
    case HPGP_K_MODOP_START_REQ:
    case HPGP_K_MODOP_START_CNF: modop_init(&msg->u.modop, HPGP_MODOP_START_SESSION, MODOP_START_DATA_LEN); break;
    case HPGP_K_MODOP_WRITE_REQ:
    case HPGP_K_MODOP_WRITE_CNF: modop_init(&msg->u.modop, HPGP_MODOP_WRITE, 0); break;
    case HPGP_K_MODOP_COMMIT_REQ:
    case HPGP_K_MODOP_COMMIT_CNF: modop_init(&msg->u.modop, HPGP_MODOP_COMMIT, MODOP_COMMIT_DATA_LEN); break;
    default: break;
    }
}
