/* Session engine pieces both roles share: the protocol registry, stop-reason names, packing a document into
 * a V2GTP message. */
#include <string.h>

#include "ccsplc/errors.h"
#include "ccsplc/v2gtp.h"
#include "sess_internal.h"

/* Every protocol the engine knows by its command-line names; adding one is adding its sess_proto here. ISO-2
 * is one protocol on the wire; the car's energy transfer mode (AC or DC) is a choice of the car. */
static const struct {
    const char *name;
    const sess_proto *proto;
    uint8_t ac;
} registry[] = {
    { "din", &sess_proto_din, 0 },
    { "iso2", &sess_proto_iso2, 0 }, { "iso2-dc", &sess_proto_iso2, 0 }, { "iso2-ac", &sess_proto_iso2, 1 },
};

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
    rc = v2gtp_pack_header(V2GTP_EXI, (uint32_t)len, tx, cap);
    if (rc) return rc;
    *tx_len = V2GTP_HEADER_LEN + len;
    return 0;
}
