/* The protocol lists of `ccsplc evse` / `ccsplc pev` (--proto, [general] proto): "din,iso2-dc,iso2-ac,iso20-dc,iso20-ac"
 * into the engine's protocols and ISO-2's energy transfer modes, the name of a negotiated protocol for results and
 * status lines, and the log lines of the negotiation. */
#include <stdio.h>
#include <string.h>

#include "ccsplc/linux/log.h"
#include "live.h"

static void add(live_protos *ps, const sess_proto *p)
{
    for (uint8_t i = 0; i < ps->n; i++)
        if (ps->protos[i] == p) return;   /* iso2-dc and iso2-ac are one protocol on the wire */
    ps->protos[ps->n++] = p;
}

int live_protos_parse(const char *list, live_protos *ps)
{
    char name[32];
    memset(ps, 0, sizeof *ps);
    for (const char *s = list; *s;) {
        size_t n = strcspn(s, ",");
        const char *b = s, *e = s + n;
        while (b < e && *b == ' ') b++;
        while (e > b && e[-1] == ' ') e--;
        s += n + (s[n] == ',');
        if (b == e || (size_t)(e - b) >= sizeof name) return -1;
        memcpy(name, b, (size_t)(e - b));
        name[e - b] = 0;
        const sess_proto *p = sess_proto_find(name);   /* BPT is --discharge-to's (a charger offers it anyway) */
        if (!p || sess_proto_bpt(name) || ps->n == SESS_MAX_PROTOS) return -1;
        int ac = sess_proto_ac(name);
        if (p == &sess_proto_iso2) ps->iso2_dc |= !ac, ps->iso2_ac |= ac;
        ps->dc |= !ac;
        ps->ac |= ac;
        add(ps, p);
    }
    return ps->n ? 0 : -1;
}

const char *live_proto_label(const sess_proto *p, int ac)
{
    static char t[24];
    if (!p) return "no protocol";
    if (p == &sess_proto_din) return "din";   /* DIN 70121 is DC only */
#if CCS_PROTO_ISO20_AC
    if (p == &sess_proto_iso20_ac) return "iso20-ac";   /* its own protocol on the wire */
#endif
    snprintf(t, sizeof t, "%s-%s", sess_proto_name(p), ac ? "ac" : "dc");
    return t;
}

/* "urn:din:70121:2012:MsgDef 2.0 (SchemaID 1, priority 1), ..." of the car's request (nothing for another
 * message: a supportedAppProtocolRes sent to us decodes too). */
static void offered(const struct app_exiDocument *d, char *t, size_t cap)
{
    const struct app_supportedAppProtocolReqType *q = &d->supportedAppProtocolReq;
    size_t n = 0, max = sizeof q->AppProtocol.array / sizeof q->AppProtocol.array[0];
    t[0] = 0;
    for (uint16_t i = 0; d->root == APP_ROOT_supportedAppProtocolReq && i < q->AppProtocol.count && i < max && n < cap;
         i++) {
        const struct app_AppProtocolType *a = &q->AppProtocol.array[i];
        n += (size_t)snprintf(t + n, cap - n, "%s%.*s %u.%u (SchemaID %u, priority %u)", i ? ", " : "",
                              (int)a->ProtocolNamespace.len, a->ProtocolNamespace.chars, a->VersionNumberMajor,
                              a->VersionNumberMinor, a->SchemaID, a->Priority);
    }
}

/* "urn:din:70121:2012:MsgDef 2.0, ..." of a list of ours. */
static void ours(const sess_proto *const *protos, uint8_t count, char *t, size_t cap)
{
    size_t n = 0;
    t[0] = 0;
    for (uint8_t i = 0; i < count && n < cap; i++) {
        uint32_t major, minor;
        const char *ns = sess_proto_namespace(protos[i], &major, &minor);
        n += (size_t)snprintf(t + n, cap - n, "%s%s %u.%u", i ? ", " : "", ns, major, minor);
    }
}

void live_log_negotiation(const sess_evse *e, const char *tag)
{
    char car[512], we[256];
    offered(&e->docs->rx.app, car, sizeof car);
    ours(e->cfg.protos, e->cfg.nprotos, we, sizeof we);
    if (e->proto) {
        const struct app_supportedAppProtocolResType *r = &e->docs->tx.app.supportedAppProtocolRes;
        LOG_I("v2g: the car offers %s; we offer %s; chosen: %s (SchemaID %u%s)%s", car, we, sess_proto_name(e->proto),
              r->SchemaID, r->ResponseCode == app_responseCodeType_OK_SuccessfulNegotiationWithMinorDeviation
                               ? ", minor version deviation" : "", tag);
    } else {
        LOG_W("v2g: no common protocol (Failed_NoNegotiation)%s: the car offers %s; we offer %s", tag,
              car[0] ? car : "nothing", we);
    }
}

void live_log_agreed(const sess_pev *p)
{
    char we[256];
    ours(p->cfg.protos, p->cfg.nprotos, we, sizeof we);
    if (p->proto)
        LOG_I("v2g: we offer %s; the charger chose %s", we, live_proto_label(p->proto, p->cfg.ac));
    else if (p->stop == SESS_STOP_NO_PROTOCOL)
        LOG_W("v2g: the charger supports none of our protocols (Failed_NoNegotiation): we offer %s", we);
}
