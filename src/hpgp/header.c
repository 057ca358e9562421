/* The Ethernet + HomePlug management header: parse any 0x88E1 frame, write ours, the well-known MACs. */
#include "header.h"

#include <string.h>

#include "ccsplc/core/errors.h"
#include "wire.h"

const uint8_t hpgp_broadcast_mac[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
const uint8_t hpgp_local_modem_mac[6] = { 0x00, 0xB0, 0x52, 0x00, 0x00, 0x01 };
const uint8_t hpgp_qualcomm_oui[3] = { 0x00, 0xB0, 0x52 };

int hpgp_is_vendor_mmtype(uint16_t mmtype) { return mmtype >= 0xA000 && mmtype <= 0xBFFF; }

int hpgp_parse_header(const uint8_t *frame, size_t len, hpgp_header *h)
{
    if (!frame || !h) return CCS_EINVAL;
    memset(h, 0, sizeof *h);
    if (len < 14) return CCS_ETRUNC;
    if ((frame[12] << 8 | frame[13]) == HPGP_ETHERTYPE_VLAN) { /* IEEE 802.1Q tag: TPID, then PCP/DEI/VID */
        if (len < 18) return CCS_ETRUNC;
        h->tag_len = 4;
        h->vlan_tci = (uint16_t)(frame[14] << 8 | frame[15]);
    }
    const uint8_t *m = frame + h->tag_len; /* the untagged layout from here: ethertype at m + 12 */
    len -= h->tag_len;
    if ((m[12] << 8 | m[13]) != HPGP_ETHERTYPE) return CCS_EHEADER;
    if (len < 17) return CCS_ETRUNC;
    memcpy(h->dst, frame, 6);
    memcpy(h->src, frame + 6, 6);
    h->mmv = m[14];
    h->mmtype = wire_le16(m + 15);
    if (hpgp_is_vendor_mmtype(h->mmtype)) {
        size_t oui = h->mmv >= 1 ? 19 : 17; /* MMV 1: the FMI comes first */
        if (len < oui + 3) return CCS_ETRUNC;
        if (h->mmv >= 1) h->fmi = wire_le16(m + 17);
        memcpy(h->oui, m + oui, 3);
        h->payload_off = (uint8_t)(oui + 3);
    } else if (h->mmv >= 1) {
        if (len < 19) return CCS_ETRUNC;
        h->fmi = wire_le16(m + 17);
        h->payload_off = 19;
    } else {
        h->payload_off = 17;
    }
    h->payload_off = (uint8_t)(h->payload_off + h->tag_len);
    return 0;
}

void hpgp_write_header(uint8_t *frame, const uint8_t dst[6], const uint8_t src[6], uint16_t mmtype, uint8_t mmv)
{
    memcpy(frame, dst, 6);
    memcpy(frame + 6, src, 6);
    frame[12] = (uint8_t)(HPGP_ETHERTYPE >> 8);
    frame[13] = (uint8_t)HPGP_ETHERTYPE;
    wire_put_le16(frame + 15, mmtype);
    if (hpgp_is_vendor_mmtype(mmtype)) {
        frame[14] = mmv;
        if (mmv) wire_put_le16(frame + 17, 0);
        memcpy(frame + (mmv ? 19 : 17), hpgp_qualcomm_oui, 3);
    } else {
        frame[14] = 1;
        wire_put_le16(frame + 17, 0);
    }
}
