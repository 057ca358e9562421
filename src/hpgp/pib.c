/* PIB files (flat and NVM chain): recognition with checksum verification, field access, role patching and
 * checksum recomputation. Layouts in include/ccsplc/pib.h and docs/modem.md. */
#include <string.h>

#include "ccsplc/errors.h"
#include "ccsplc/pib.h"
#include "wire.h"

/* checksum32 of a region with the 4-byte field at `field` taken as 0. */
static uint32_t checksum_without(const uint8_t *data, size_t len, size_t field)
{
    return hpgp_checksum32(data, len) ^ wire_le32(data + field);
}

static int open_flat(const uint8_t *file, size_t len, hpgp_pib_view *v)
{
    size_t pib_len = wire_le16(file + HPGP_PIB_OFF_LENGTH);
    if (pib_len != len) return CCS_EHEADER;
    if (hpgp_checksum32(file, len) != 0) return CCS_ECHECKSUM;
    *v = (hpgp_pib_view){ .form = HPGP_PIB_FLAT, .off = 0, .len = len };
    return 0;
}

/* Walk the whole chain, verifying every header and image checksum; remember the PIB image. */
static int open_nvm(const uint8_t *file, size_t len, hpgp_pib_view *v)
{
    size_t off = 0;
    int found = 0;
    for (unsigned n = 0; n < HPGP_NVM_MAX_HEADERS; n++) {
        if (len - off < HPGP_NVM_HEADER_LEN) return CCS_ETRUNC;
        const uint8_t *h = file + off;
        if (hpgp_checksum32(h, HPGP_NVM_HEADER_LEN) != 0) return CCS_ECHECKSUM;
        uint32_t img_len = wire_le32(h + HPGP_NVM_OFF_LENGTH), next = wire_le32(h + HPGP_NVM_OFF_NEXT);
        size_t data = off + HPGP_NVM_HEADER_LEN;
        if (img_len > len - data) return CCS_ETRUNC;
        if (hpgp_checksum32(file + data, img_len) != wire_le32(h + HPGP_NVM_OFF_IMAGE_CHECKSUM)) return CCS_ECHECKSUM;
        if (wire_le32(h + HPGP_NVM_OFF_TYPE) == HPGP_NVM_IMAGE_PIB && !found) {
            if (img_len < HPGP_PIB_MIN_LEN) return CCS_ETRUNC;
            *v = (hpgp_pib_view){ .form = HPGP_PIB_NVM, .off = data, .len = img_len, .header = off };
            found = 1;
        }
        if (next == 0 || next == 0xFFFFFFFFu) return found ? 0 : CCS_ENOTFOUND;
        if (next < data + img_len) return CCS_EHEADER;
        if (next >= len) return CCS_ETRUNC;
        off = next;
    }
    return CCS_EHEADER;
}

int hpgp_pib_open(const uint8_t *file, size_t len, hpgp_pib_view *v)
{
    if (!file || !v) return CCS_EINVAL;
    if (len >= 4 && wire_le32(file) == HPGP_NVM_SIGNATURE) return open_nvm(file, len, v);
    if (len < HPGP_PIB_MIN_LEN) return CCS_ETRUNC;
    return open_flat(file, len, v);
}

void hpgp_pib_get(const uint8_t *file, const hpgp_pib_view *v, hpgp_pib_fields *out)
{
    const uint8_t *p = file + v->off;
    memset(out, 0, sizeof *out);
    memcpy(out->mac, p + HPGP_PIB_OFF_MAC, 6);
    memcpy(out->nmk, p + HPGP_PIB_OFF_NMK, HPGP_NMK_LEN);
    memcpy(out->nid, p + HPGP_PIB_OFF_NID, HPGP_NID_LEN);
    for (size_t i = 0; i < HPGP_PIB_HFID_LEN && p[HPGP_PIB_OFF_HFID + i]; i++)
        out->hfid[i] = (char)p[HPGP_PIB_OFF_HFID + i];
    out->cco_selection = p[HPGP_PIB_OFF_CCO];
    out->slac_mode = p[HPGP_PIB_OFF_SLAC];
    out->link_low_kbps = wire_le32(p + HPGP_PIB_OFF_LINK_LOW);
    out->link_high_kbps = wire_le32(p + HPGP_PIB_OFF_LINK_HIGH);
}

void hpgp_pib_seal(uint8_t *file, const hpgp_pib_view *v)
{
    uint8_t *p = file + v->off;
    if (v->form == HPGP_PIB_FLAT) {
        wire_put_le32(p + HPGP_PIB_OFF_CHECKSUM, checksum_without(p, v->len, HPGP_PIB_OFF_CHECKSUM));
        return;
    }
    uint8_t *h = file + v->header;
    wire_put_le32(h + HPGP_NVM_OFF_IMAGE_CHECKSUM, hpgp_checksum32(p, v->len));
    wire_put_le32(h + HPGP_NVM_OFF_HEADER_CHECKSUM,
                  checksum_without(h, HPGP_NVM_HEADER_LEN, HPGP_NVM_OFF_HEADER_CHECKSUM));
}

int hpgp_pib_set_role(uint8_t *file, const hpgp_pib_view *v, hpgp_pib_role role)
{
    if (!file || !v || (role != HPGP_PIB_ROLE_PEV && role != HPGP_PIB_ROLE_EVSE)) return CCS_EINVAL;
    uint8_t *p = file + v->off;
    const char *hfid = role == HPGP_PIB_ROLE_PEV ? "PEV" : "EVSE";
    memset(p + HPGP_PIB_OFF_HFID, 0, HPGP_PIB_HFID_LEN);
    memcpy(p + HPGP_PIB_OFF_HFID, hfid, strlen(hfid));
    p[HPGP_PIB_OFF_CCO] = (uint8_t)role;   /* PEV: never CCo (1); EVSE: always CCo (2) */
    p[HPGP_PIB_OFF_SLAC] = (uint8_t)role;  /* SLAC enable mode: 1 PEV, 2 EVSE */
    wire_put_le32(p + HPGP_PIB_OFF_LINK_LOW, HPGP_PIB_LINK_LOW_KBPS);
    wire_put_le32(p + HPGP_PIB_OFF_LINK_HIGH, HPGP_PIB_LINK_HIGH_KBPS);
    hpgp_pib_seal(file, v);
    return 0;
}

int hpgp_pib_init_flat(uint8_t *buf, size_t len, const uint8_t mac[6])
{
    if (!buf || !mac || len < HPGP_PIB_MIN_LEN || len > HPGP_PIB_MAX_LEN || len % 4) return CCS_EINVAL;
    memset(buf, 0, len);
    wire_put_le16(buf + HPGP_PIB_OFF_LENGTH, (uint16_t)len);
    memcpy(buf + HPGP_PIB_OFF_MAC, mac, 6);
    hpgp_pib_seal(buf, &(hpgp_pib_view){ .form = HPGP_PIB_FLAT, .len = len });
    return 0;
}
