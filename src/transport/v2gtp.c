/* V2GTP header: pack, parse and check (version, inverse version, payload type, length limit). */
#include "ccsplc/core/v2gtp.h"

#include <string.h>

#include "ccsplc/core/errors.h"
#include "common/wire.h"

int v2gtp_known_type(uint16_t type)
{
    switch (type) {
    case V2GTP_EXI:
    case V2GTP_ISO20_MAIN:
    case V2GTP_ISO20_AC:
    case V2GTP_ISO20_DC:
    case V2GTP_ISO20_ACDP:
    case V2GTP_ISO20_WPT:
    case V2GTP_ISO20_SCHED_RENEG:
    case V2GTP_ISO20_METERING_CONF:
    case V2GTP_ISO20_ACDP_STATUS:
    case V2GTP_ISO20_PARKING_STATUS:
    case V2GTP_SDP_REQ:
    case V2GTP_SDP_RES:
    case V2GTP_SDP_REQ_WIRELESS:
    case V2GTP_SDP_RES_WIRELESS: return 1;
    default: return 0;
    }
}

int v2gtp_pack_header(uint16_t payload_type, uint32_t payload_len, uint8_t *buf, size_t cap)
{
    if (cap < V2GTP_HEADER_LEN) return CCS_ENOSPC;
    buf[0] = V2GTP_VERSION;
    buf[1] = V2GTP_VERSION_INV;
    be16_put(buf + 2, payload_type);
    be32_put(buf + 4, payload_len);
    return 0;
}

int v2gtp_pack(uint16_t payload_type, const uint8_t *payload, uint32_t payload_len, uint8_t *buf, size_t cap,
               size_t *len)
{
    if (cap < V2GTP_HEADER_LEN || cap - V2GTP_HEADER_LEN < payload_len) return CCS_ENOSPC;
    v2gtp_pack_header(payload_type, payload_len, buf, cap);
    if (payload_len) memcpy(buf + V2GTP_HEADER_LEN, payload, payload_len);
    *len = V2GTP_HEADER_LEN + (size_t)payload_len;
    return 0;
}

int v2gtp_parse_header(const uint8_t *buf, size_t len, uint32_t max_payload, v2gtp_header *out)
{
    if (len < V2GTP_HEADER_LEN) return CCS_ETRUNC;
    if (buf[0] != V2GTP_VERSION || buf[1] != V2GTP_VERSION_INV) return CCS_EHEADER;
    uint16_t type = be16_get(buf + 2);
    uint32_t plen = be32_get(buf + 4);
    if (!v2gtp_known_type(type)) return CCS_EUNSUPP;
    if (plen > max_payload) return CCS_ERANGE;
    out->payload_type = type;
    out->payload_len = plen;
    return 0;
}

int v2gtp_parse(const uint8_t *buf, size_t len, uint32_t max_payload, v2gtp_msg *msg)
{
    v2gtp_header h;
    int rc = v2gtp_parse_header(buf, len, max_payload, &h);
    if (rc) return rc;
    size_t rest = len - V2GTP_HEADER_LEN;
    if (rest < h.payload_len) return CCS_ETRUNC;
    if (rest > h.payload_len) return CCS_EPROTO;
    msg->payload_type = h.payload_type;
    msg->payload_len = h.payload_len;
    msg->payload = buf + V2GTP_HEADER_LEN;
    return 0;
}
