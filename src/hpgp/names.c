/* Names of HomePlug MMTYPEs for logs and decoders ("CM_SLAC_PARAM.REQ"). */
#include "ccsplc/core/hpgp.h"

/* The HomePlug AV 1.1 / Green PHY management messages (central coordination CC_, proxy CP_, neighbour network
 * NN_, station-station CM_) as the specification names them, then Qualcomm's vendor messages we meet. */
static const struct {
    uint16_t base;
    const char *name;
} names[] = {
    { 0x0000, "CC_CCO_APPOINT" },
    { 0x0004, "CC_BACKUP_APPOINT" },
    { 0x0008, "CC_LINK_INFO" },
    { 0x000C, "CC_HANDOVER" },
    { 0x0010, "CC_HANDOVER_INFO" },
    { 0x0014, "CC_DISCOVER_LIST" },
    { 0x0018, "CC_LINK_NEW" },
    { 0x001C, "CC_LINK_MOD" },
    { 0x0020, "CC_LINK_SQZ" },
    { 0x0024, "CC_LINK_REL" },
    { 0x0028, "CC_DETECT_REPORT" },
    { 0x002C, "CC_WHO_RU" },
    { 0x0030, "CC_ASSOC" },
    { 0x0034, "CC_LEAVE" },
    { 0x0038, "CC_SET_TEI_MAP" },
    { 0x003C, "CC_RELAY" },
    { 0x0040, "CC_BEACON_RELIABILITY" },
    { 0x0044, "CC_ALLOC_MOVE" },
    { 0x0048, "CC_ACCESS_NEW" },
    { 0x004C, "CC_ACCESS_REL" },
    { 0x0050, "CC_DCPPC" },
    { 0x0054, "CC_HP1_DET" },
    { 0x0058, "CC_BLE_UPDATE" },
    { 0x2000, "CP_PROXY_APPOINT" },
    { 0x2004, "PH_PROXY_APPOINT" },
    { 0x2008, "CP_PROXY_WAKE" },
    { 0x4000, "NN_INL" },
    { 0x4004, "NN_NEW_NET" },
    { 0x4008, "NN_ADD_ALLOC" },
    { 0x400C, "NN_REL_ALLOC" },
    { 0x4010, "NN_REL_NET" },
    { 0x6000, "CM_ASSOCIATED_STA" },
    { 0x6004, "CM_ENCRYPTED_PAYLOAD" },
    { HPGP_CM_SET_KEY, "CM_SET_KEY" },
    { HPGP_CM_GET_KEY, "CM_GET_KEY" },
    { 0x6010, "CM_SC_JOIN" },
    { 0x6014, "CM_CHAN_EST" },
    { 0x6018, "CM_TM_UPDATE" },
    { 0x601C, "CM_AMP_MAP" },
    { 0x6020, "CM_BRG_INFO" },
    { 0x6024, "CM_CONN_NEW" },
    { 0x6028, "CM_CONN_REL" },
    { 0x602C, "CM_CONN_MOD" },
    { 0x6030, "CM_CONN_INFO" },
    { 0x6034, "CM_STA_CAP" },
    { 0x6038, "CM_NW_INFO" },
    { 0x603C, "CM_GET_BEACON" },
    { 0x6040, "CM_HFID" },
    { 0x6044, "CM_MME_ERROR" },
    { 0x6048, "CM_NW_STATS" },
    { HPGP_CM_SLAC_PARAM, "CM_SLAC_PARAM" },
    { HPGP_CM_START_ATTEN_CHAR, "CM_START_ATTEN_CHAR" },
    { HPGP_CM_ATTEN_CHAR, "CM_ATTEN_CHAR" },
    { 0x6070, "CM_PKCS_CERT" },
    { HPGP_CM_MNBC_SOUND, "CM_MNBC_SOUND" },
    { HPGP_CM_VALIDATE, "CM_VALIDATE" },
    { HPGP_CM_SLAC_MATCH, "CM_SLAC_MATCH" },
    { 0x6080, "CM_SLAC_USER_DATA" },
    { HPGP_CM_ATTEN_PROFILE, "CM_ATTEN_PROFILE" },
    { HPGP_VS_SW_VER, "VS_SW_VER" },
    { HPGP_VS_RS_DEV, "VS_RS_DEV" },
    { HPGP_VS_WR_MOD, "VS_WR_MOD" },
    { HPGP_VS_RD_MOD, "VS_RD_MOD" },
    { HPGP_VS_MOD_NVM, "VS_MOD_NVM" },
    { 0xA030, "VS_LNK_STATS" },
    { HPGP_VS_NW_INFO, "VS_NW_INFO" },
    { 0xA048, "VS_FR_LBK" },
    { HPGP_VS_SET_KEY, "VS_SET_KEY" },
    { HPGP_VS_OP_ATTRIBUTES, "VS_OP_ATTRIBUTES" },
    { 0xA06C, "VS_GET_ENET_PHY" },
    { 0xA070, "VS_TONE_MAP_TX" },
    { 0xA090, "VS_TONE_MAP_RX" },
    { HPGP_VS_MODULE_OPERATION, "VS_MODULE_OPERATION" },
    { HPGP_VS_PL_LINK_STATUS, "VS_PL_LINK_STATUS" },
};

const char *hpgp_mmtype_base_name(uint16_t mmtype)
{
    uint16_t base = (uint16_t)(mmtype & ~3u);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].base == base) return names[i].name;
    return NULL;
}

/* Append s at *pos, keeping room for the terminator. */
static void append(char *out, size_t cap, size_t *pos, const char *s)
{
    while (*s && *pos + 1 < cap) out[(*pos)++] = *s++;
}

const char *hpgp_mmtype_name(uint16_t mmtype, char *out, size_t cap)
{
    static const char *const suffix[4] = { ".REQ", ".CNF", ".IND", ".RSP" };
    static const char hex[] = "0123456789ABCDEF";
    if (!out || !cap) return out;
    size_t pos = 0;
    const char *base = hpgp_mmtype_base_name(mmtype);
    if (base) {
        append(out, cap, &pos, base);
    } else {
        char num[] = "MMTYPE_0000";
        uint16_t b = (uint16_t)(mmtype & ~3u);
        for (int i = 0; i < 4; i++) num[7 + i] = hex[(b >> (12 - 4 * i)) & 0xF];
        append(out, cap, &pos, num);
    }
    append(out, cap, &pos, suffix[mmtype & 3]);
    out[pos] = 0;
    return out;
}
