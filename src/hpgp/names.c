/* Names of HomePlug MMTYPEs for logs and decoders ("CM_SLAC_PARAM.REQ"). */
#include "ccsplc/hpgp.h"

static const struct {
    uint16_t base;
    const char *name;
} names[] = {
    { 0x6004, "CM_ENCRYPTED_PAYLOAD" },
    { HPGP_CM_SET_KEY, "CM_SET_KEY" },
    { HPGP_CM_GET_KEY, "CM_GET_KEY" },
    { 0x6020, "CM_BRG_INFO" },
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
