/* Session engine pieces both roles share: the protocol registry, stop-reason names, starting a document,
 * packing it into a V2GTP message of its payload type and decoding one with the protocol's codec for its type. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/v2gtp.h"
#include "sess_internal.h"

/* Every protocol the engine knows by its command-line names; adding one is adding its sess_proto here. ISO-2
 * is one protocol on the wire; the car's energy transfer mode (AC or DC) is a choice of the car, and so is
 * ISO-20's bidirectional service (bpt: DC_BPT, AC_BPT, chosen in ServiceSelection). */
static const struct {
    const char *name;
    const sess_proto *proto;
    uint8_t ac, bpt;
} registry[] = {
#if CCS_PROTO_DIN
    { "din", &sess_proto_din, 0, 0 },
#endif
#if CCS_PROTO_ISO2
    { "iso2", &sess_proto_iso2, 0, 0 }, { "iso2-dc", &sess_proto_iso2, 0, 0 }, { "iso2-ac", &sess_proto_iso2, 1, 0 },
#endif
#if CCS_PROTO_ISO20
    { "iso20", &sess_proto_iso20, 0, 0 }, { "iso20-dc", &sess_proto_iso20, 0, 0 },
    { "iso20-dc-bpt", &sess_proto_iso20, 0, 1 },
#endif
#if CCS_PROTO_ISO20 && CCS_PROTO_ISO20_AC
    { "iso20-ac", &sess_proto_iso20_ac, 1, 0 }, { "iso20-ac-bpt", &sess_proto_iso20_ac, 1, 1 },
#endif
};

uint8_t sess_state_map(const uint8_t (*map)[2], uint8_t n, uint8_t state)
{
    for (uint8_t i = 0; i < n; i++)
        if (map[i][0] == state) return map[i][1];
    return state;
}

const char *sess_proto_name(const sess_proto *p) { return p ? p->name : "app"; }

static int registry_index(const char *name)
{
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
        if (!strcmp(registry[i].name, name)) return (int)i;
    return -1;
}

const sess_proto *sess_proto_find(const char *name)
{
    int i = registry_index(name);
    return i < 0 ? NULL : registry[i].proto;
}

int sess_proto_ac(const char *name)
{
    int i = registry_index(name);
    return i >= 0 && registry[i].ac;
}

int sess_proto_bpt(const char *name)
{
    int i = registry_index(name);
    return i >= 0 && registry[i].bpt;
}

const char *sess_stop_name(sess_stop_reason r)
{
    static const char *const names[] = {
        [SESS_STOP_NONE] = "none",
        [SESS_STOP_NORMAL] = "normal",
        [SESS_STOP_NO_PROTOCOL] = "no common protocol",
        [SESS_STOP_SEQUENCE] = "sequence error",
        [SESS_STOP_UNKNOWN_SESSION] = "unknown session",
        [SESS_STOP_FAILED] = "FAILED response",
        [SESS_STOP_EVSE_SHUTDOWN] = "EVSE shutdown",
        [SESS_STOP_EVSE_EMERGENCY] = "EVSE emergency shutdown",
        [SESS_STOP_EVSE_MALFUNCTION] = "EVSE malfunction",
        [SESS_STOP_ISOLATION] = "isolation fault",
        [SESS_STOP_TIMEOUT] = "timeout",
        [SESS_STOP_DISCONNECT] = "disconnected",
        [SESS_STOP_BAD_MESSAGE] = "bad message",
        [SESS_STOP_EV_ERROR] = "EV error",
        [SESS_STOP_USER] = "user stop",
        [SESS_STOP_PAUSED] = "paused",
        [SESS_STOP_NO_PROGRESS] = "no progress",
        [SESS_STOP_EVSE_LIMITS] = "charger limits impossible",
        [SESS_STOP_IMPLAUSIBLE] = "implausible charger value",
        [SESS_STOP_OVERVOLTAGE] = "overvoltage",
        [SESS_STOP_OVERCURRENT] = "overcurrent",
        [SESS_STOP_REVERSE_CURRENT] = "reverse current",
        [SESS_STOP_NO_RANDOM] = "no randomness",
        [SESS_STOP_NO_OFFER] = "nothing usable offered",
    };
    return (unsigned)r < sizeof names / sizeof names[0] && names[r] ? names[r] : "?";
}

int sess_pack(const sess_proto *proto, const void *doc, uint8_t *tx, size_t cap, size_t *tx_len)
{
    size_t len = 0;
    if (cap < V2GTP_HEADER_LEN) return CCS_ENOSPC;
    int rc = proto ? proto->encode(doc, tx + V2GTP_HEADER_LEN, cap - V2GTP_HEADER_LEN, &len)
                   : app_encode(doc, tx + V2GTP_HEADER_LEN, cap - V2GTP_HEADER_LEN, &len);
    if (rc) return rc;
    uint16_t type = proto && proto->payload_type ? proto->payload_type(doc) : V2GTP_EXI;
    rc = v2gtp_pack_header(type, (uint32_t)len, tx, cap);
    if (rc) return rc;
    *tx_len = V2GTP_HEADER_LEN + len;
    return 0;
}

int sess_decode(const sess_proto *proto, uint16_t payload_type, const uint8_t *buf, size_t len, void *doc,
                struct exi_error *err)
{
    if (err) memset(err, 0, sizeof *err);
    if (proto->decode_typed) return proto->decode_typed(payload_type, buf, len, doc, err);
    return payload_type == V2GTP_EXI ? proto->decode(buf, len, doc, err) : CCS_EPROTO;
}

void sess_bad(sess_bad_msg *b, const char *what, uint16_t payload_type, size_t len)
{
    b->what = what;
    b->payload_type = payload_type;
    b->len = len;
}

const char *sess_codec_name(const sess_proto *p, uint16_t payload_type)
{
    if (!p) return payload_type == V2GTP_EXI ? "app" : NULL;
    if (!p->decode_typed) return payload_type == V2GTP_EXI ? p->codec : NULL;
    return payload_type == V2GTP_ISO20_MAIN ? p->codec : payload_type == p->service_payload ? p->codec_dc : NULL;
}

const char *sess_proto_namespace(const sess_proto *p, uint32_t *major, uint32_t *minor)
{
    *major = p->major;
    *minor = p->minor;
    return p->ns;
}

void sess_start(const sess_proto *proto, void *doc, int msg, const uint8_t *sid, size_t sid_len, uint64_t clock_unix_s,
                uint32_t now_ms)
{
    proto->start(doc, msg, sid, sid_len);
    if (proto->stamp) proto->stamp(doc, clock_unix_s + now_ms / 1000u);
}
