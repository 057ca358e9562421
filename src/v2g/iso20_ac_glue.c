/* ISO 15118-20 AC glue for the session engine: the AC codec (V2GTP 0x8003) next to CommonMessages (0x8002, ISO-20
 * DC's glue), message ids and names, SessionID and TimeStamp in the AC header, response codes. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/v2gtp.h"
#include "iso20_ac_internal.h"

#if CCS_PROTO_ISO20_AC
static int is_ac(const void *doc) { return ((const struct sess_iso20_doc *)doc)->payload_type == V2GTP_ISO20_AC; }
static int is_ac_msg(int msg) { return msg > ISO20_AC_BASE && msg < ISO20_MSG_POWER_DELIVERY_STOP; }
/* Every AC message starts with its Header, every AC response has its ResponseCode next. */
static struct iso20_ac_MessageHeaderType *header(void *doc) { return &ISO20_ACDOC(doc)->AC_ChargeLoopReq.Header; }
static enum iso20_ac_responseCodeType *code(void *doc)
{
    uint16_t root = ISO20_ACDOC(doc)->root;
    return is_ac(doc) && (root == ISO20_AC_ROOT_AC_ChargeLoopRes || root == ISO20_AC_ROOT_AC_ChargeParameterDiscoveryRes)
               ? &ISO20_ACDOC(doc)->AC_ChargeLoopRes.ResponseCode
               : NULL;
}

/* CommonMessages or AC; a DC payload has no codec here. */
int iso20ac_decode_typed(uint16_t payload_type, const uint8_t *buf, size_t len, void *doc, struct exi_error *err)
{
    if (payload_type == V2GTP_ISO20_MAIN) return iso20_glue_decode_typed(payload_type, buf, len, doc, err);
    ((struct sess_iso20_doc *)doc)->payload_type = payload_type;
    if (payload_type == V2GTP_ISO20_AC) return exi_decode_ex(&iso20_ac_codec, buf, len, ISO20_ACDOC(doc), err);
    return CCS_EPROTO;
}

int iso20ac_glue_decode(const uint8_t *buf, size_t len, void *doc, struct exi_error *err)
{
    return iso20ac_decode_typed(V2GTP_ISO20_MAIN, buf, len, doc, err);
}

int iso20ac_glue_encode(const void *doc, uint8_t *buf, size_t cap, size_t *len)
{
    return is_ac(doc) ? iso20_ac_encode(&((const struct sess_iso20_doc *)doc)->ac, buf, cap, len)
                      : iso20_glue_encode(doc, buf, cap, len);
}

int iso20ac_msg_of(const void *doc)
{
    if (!is_ac(doc)) return iso20_msg_of(doc);
    uint16_t root = ((const struct sess_iso20_doc *)doc)->ac.root;
    return root ? ISO20_AC_BASE + root : -1;
}

const char *iso20ac_msg_name(int msg)
{
    switch (msg) {
    case ISO20_AC(AC_ChargeParameterDiscoveryReq): return "AC_ChargeParameterDiscoveryReq";
    case ISO20_AC(AC_ChargeParameterDiscoveryRes): return "AC_ChargeParameterDiscoveryRes";
    case ISO20_AC(AC_ChargeLoopReq): return "AC_ChargeLoopReq";
    case ISO20_AC(AC_ChargeLoopRes): return "AC_ChargeLoopRes";
    default: return is_ac_msg(msg) ? "?" : iso20_msg_name(msg);
    }
}

int iso20ac_response_of(int req)
{
    if (req == ISO20_AC(AC_ChargeParameterDiscoveryReq) || req == ISO20_AC(AC_ChargeLoopReq)) return req + 1;
    return req < ISO20_DC_BASE || ISO20_IS_PSEUDO(req) ? iso20_response_of(req) : -1;
}

const uint8_t *iso20ac_session_id(const void *doc, size_t *len)
{
    if (!is_ac(doc)) return iso20_session_id(doc, len);
    struct iso20_ac_MessageHeaderType *h = header((void *)(uintptr_t)doc);
    *len = h->SessionID.len;
    return h->SessionID.bytes;
}

void iso20ac_start(void *doc, int msg, const uint8_t *sid, size_t sid_len)
{
    if (!is_ac_msg(msg)) {
        iso20_start(doc, msg, sid, sid_len);
        return;
    }
    struct sess_iso20_doc *d = doc;
    memset(d, 0, sizeof *d);
    d->payload_type = V2GTP_ISO20_AC;
    d->ac.root = (uint16_t)(msg - ISO20_AC_BASE);
    if (sid_len > sizeof header(d)->SessionID.bytes) sid_len = sizeof header(d)->SessionID.bytes;
    memcpy(header(d)->SessionID.bytes, sid, sid_len);
    header(d)->SessionID.len = (uint16_t)sid_len;
}

void iso20ac_stamp(void *doc, uint64_t unix_s)
{
    if (is_ac(doc)) header(doc)->TimeStamp = unix_s;
    else iso20_stamp(doc, unix_s);
}

void iso20ac_set_code(void *doc, int generic_code)
{
    enum iso20_ac_responseCodeType *c = code(doc);
    if (c) *c = (enum iso20_ac_responseCodeType)iso20_code_of(generic_code);
    else iso20_set_code(doc, generic_code);
}

int iso20ac_get_code(const void *doc)
{
    enum iso20_ac_responseCodeType *c = code((void *)(uintptr_t)doc);
    return c ? (int)*c : is_ac(doc) ? -1 : iso20_get_code(doc);
}
#endif
