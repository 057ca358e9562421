/* PIB files (flat and NVM chain): recognition with checksum and chain-link verification, the length of a
 * file from its first bytes, field access, role and key patching, checksum recomputation, and the chain a
 * simulated modem holds. Layouts in include/ccsplc/core/pib.h and docs/modem.md. */
#include <stdint.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/pib.h"
#include "wire.h"

/* checksum32 of a region with the 4-byte field at `field` taken as 0. */
static uint32_t checksum_without(const uint8_t *data, size_t len, size_t field)
{
    return hpgp_checksum32(data, len) ^ wire_le32(data + field);
}

static int is_nvm(const uint8_t *file, size_t len) { return len >= 4 && wire_le32(file) == HPGP_NVM_SIGNATURE; }

/* One header of a chain at `off` (all HPGP_NVM_HEADER_LEN bytes present), as open-plc-utils reads and builds
 * chains (chkpib, nvmfile2, nvmmerge): version 1.1, a header that verifies, and a NextHeader that is either
 * HPGP_NVM_LAST or the offset right after this header's image. *end: where the image ends (CCS_ETRUNC beyond
 * limit). */
static int nvm_header(const uint8_t *h, size_t off, size_t limit, size_t *end, int *last)
{
    if (wire_le32(h) != HPGP_NVM_SIGNATURE) return CCS_EHEADER;
    if (hpgp_checksum32(h, HPGP_NVM_HEADER_LEN) != 0) return CCS_ECHECKSUM;
    uint32_t next = wire_le32(h + HPGP_NVM_OFF_NEXT);
    uint64_t e = (uint64_t)off + HPGP_NVM_HEADER_LEN + wire_le32(h + HPGP_NVM_OFF_LENGTH);
    if (e > limit) return CCS_ETRUNC;
    *end = (size_t)e;
    *last = next == HPGP_NVM_LAST;
    return *last || next == *end ? 0 : CCS_EHEADER;
}

int hpgp_pib_extent(const uint8_t *head, size_t have, size_t *total)
{
    if (!head || !total) return CCS_EINVAL;
    if (have < 4) return CCS_ETRUNC;
    if (!is_nvm(head, have)) {
        if (have < HPGP_PIB_OFF_LENGTH + 2) return CCS_ETRUNC;
        *total = wire_le16(head + HPGP_PIB_OFF_LENGTH);
        return *total < HPGP_PIB_MIN_LEN ? CCS_EHEADER : 0;
    }
    size_t off = 0, end;
    for (unsigned n = 0; n < HPGP_NVM_MAX_HEADERS; n++, off = end) {
        int last;
        if (have - off < HPGP_NVM_HEADER_LEN) return CCS_ETRUNC;
        int rc = nvm_header(head + off, off, SIZE_MAX, &end, &last);
        if (rc) return rc;
        if (last) {
            *total = end;
            return 0;
        }
        if (end > have) return CCS_ETRUNC;
    }
    return CCS_EHEADER;
}

static int open_flat(const uint8_t *file, size_t len, hpgp_pib_view *v)
{
    size_t pib_len = wire_le16(file + HPGP_PIB_OFF_LENGTH);
    if (pib_len != len) return CCS_EHEADER;
    if (hpgp_checksum32(file, len) != 0) return CCS_ECHECKSUM;
    *v = (hpgp_pib_view){ .form = HPGP_PIB_FLAT, .off = 0, .len = len };
    return 0;
}

/* Walk the whole chain, verifying every header, link and image checksum; remember the PIB image. */
static int open_nvm(const uint8_t *file, size_t len, hpgp_pib_view *v)
{
    size_t off = 0, end;
    uint32_t prev = HPGP_NVM_LAST;
    int found = 0, last = 0;
    for (unsigned n = 0; n < HPGP_NVM_MAX_HEADERS && !last; n++, prev = (uint32_t)off, off = end) {
        if (len - off < HPGP_NVM_HEADER_LEN) return CCS_ETRUNC;
        const uint8_t *h = file + off;
        int rc = nvm_header(h, off, len, &end, &last);
        if (rc) return rc;
        if (wire_le32(h + HPGP_NVM_OFF_PREV) != prev) return CCS_EHEADER;
        size_t data = off + HPGP_NVM_HEADER_LEN, img_len = end - data;
        if (hpgp_checksum32(file + data, img_len) != wire_le32(h + HPGP_NVM_OFF_IMAGE_CHECKSUM)) return CCS_ECHECKSUM;
        if (wire_le32(h + HPGP_NVM_OFF_TYPE) == HPGP_NVM_IMAGE_PIB && !found) {
            if (img_len < HPGP_PIB_MIN_LEN) return CCS_ETRUNC;
            *v = (hpgp_pib_view){ .form = HPGP_PIB_NVM, .off = data, .len = img_len, .header = off };
            found = 1;
        }
    }
    if (!last || off != len) return CCS_EHEADER; /* too many headers, or bytes after the last image */
    return found ? 0 : CCS_ENOTFOUND;
}

int hpgp_pib_open(const uint8_t *file, size_t len, hpgp_pib_view *v)
{
    if (!file || !v) return CCS_EINVAL;
    if (is_nvm(file, len)) return open_nvm(file, len, v);
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

void hpgp_pib_set_key(uint8_t *file, const hpgp_pib_view *v, const uint8_t nmk[HPGP_NMK_LEN],
                      const uint8_t nid[HPGP_NID_LEN])
{
    memcpy(file + v->off + HPGP_PIB_OFF_NMK, nmk, HPGP_NMK_LEN);
    memcpy(file + v->off + HPGP_PIB_OFF_NID, nid, HPGP_NID_LEN);
    hpgp_pib_seal(file, v);
}

int hpgp_pib_init_nvm(uint8_t *buf, size_t len, const uint8_t mac[6])
{
    size_t img = len - HPGP_NVM_HEADER_LEN;
    if (!buf || !mac || len < HPGP_NVM_HEADER_LEN + HPGP_PIB_MIN_LEN || len % 4 || img > UINT32_MAX) return CCS_EINVAL;
    memset(buf, 0, len);
    wire_put_le32(buf, HPGP_NVM_SIGNATURE);
    wire_put_le32(buf + HPGP_NVM_OFF_LENGTH, (uint32_t)img);
    wire_put_le32(buf + HPGP_NVM_OFF_NEXT, HPGP_NVM_LAST);
    wire_put_le32(buf + HPGP_NVM_OFF_PREV, HPGP_NVM_LAST);
    wire_put_le32(buf + HPGP_NVM_OFF_TYPE, HPGP_NVM_IMAGE_PIB);
    memcpy(buf + HPGP_NVM_HEADER_LEN + HPGP_PIB_OFF_MAC, mac, 6);
    hpgp_pib_seal(buf, &(hpgp_pib_view){ .form = HPGP_PIB_NVM, .off = HPGP_NVM_HEADER_LEN, .len = img });
    return 0;
}
