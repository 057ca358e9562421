/* V2GTP messages of a capture as records: the EXI schema of each TCP connection comes from its
 * SupportedAppProtocol exchange (detection by trying din, iso2 only when the capture lacks it). Host side. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/gen/app.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/core/v2gtp.h"
#include "decode_int.h"

#define NS_ISO20_PREFIX "urn:iso:std:iso:15118:-20:"

/* ISO 15118-20 messages: the V2GTP payload type names the schema (Table 12). */
static const struct exi_proto *iso20_codec_of(uint16_t type)
{
    static const char *const names[] = {"iso20-common", "iso20-ac", "iso20-dc", "iso20-acdp", "iso20-wpt"};
    if (type < V2GTP_ISO20_MAIN || type > V2GTP_ISO20_WPT)
        return NULL;
    return exi_proto_find(names[type - V2GTP_ISO20_MAIN]);
}

/* The codec of a ProtocolNamespace: DIN 70121, ISO 15118-2; ISO 15118-20 sets *iso20. NULL when unknown. */
static const struct exi_proto *codec_of_namespace(const char *ns, int *iso20)
{
    *iso20 = !strncmp(ns, NS_ISO20_PREFIX, strlen(NS_ISO20_PREFIX));
    if (!strcmp(ns, "urn:din:70121:2012:MsgDef"))
        return exi_proto_find("din");
    if (!strcmp(ns, "urn:iso:15118:2:2013:MsgDef"))
        return exi_proto_find("iso2");
    return NULL;
}

static void keep_offers(dec_conn *c, const struct app_supportedAppProtocolReqType *req)
{
    c->noffer = 0;
    for (unsigned i = 0; i < req->AppProtocol.count && i < DEC_MAX_OFFERS; i++) {
        const struct app_AppProtocolType *ap = &req->AppProtocol.array[i];
        snprintf(c->offer[i].ns, sizeof c->offer[i].ns, "%.*s", (int)ap->ProtocolNamespace.len,
                 ap->ProtocolNamespace.chars);
        c->offer[i].schema_id = ap->SchemaID;
        c->noffer++;
    }
}

/* The response's SchemaID picks one of the request's entries. */
static void negotiate(dec_analyzer *a, dec_conn *c, const struct app_supportedAppProtocolResType *res,
                      char *keys, size_t cap)
{
    const dec_offer *o = NULL;
    for (unsigned i = 0; res->has_SchemaID && i < c->noffer; i++)
        if (c->offer[i].schema_id == res->SchemaID)
            o = &c->offer[i];
    c->hs = DEC_HS_DONE;
    c->proto = o ? codec_of_namespace(o->ns, &c->iso20) : NULL;
    const char *name = c->iso20 ? "iso20" : c->proto ? c->proto->name : "no codec";
    if (o)
        snprintf(keys + strlen(keys), cap - strlen(keys), " -> %s (%s)", o->ns, name);
    if (c->session < 0)
        return;
    dec_session *s = &a->sess[c->session];
    snprintf(s->ns, sizeof s->ns, "%s", o ? o->ns : "");
    s->proto = c->proto ? c->proto->name : c->iso20 ? "iso20" : NULL;
}

/* The handshake itself (decoded with `app`). 1 when the message was one. */
static int handshake(dec_analyzer *a, dec_conn *c, const cap_v2gtp *m, dec_record *r, char *keys, size_t cap)
{
    struct app_exiDocument *d = a->doc;
    if (m->payload_type != V2GTP_EXI || app_decode(m->payload, m->payload_len, d))
        return 0;
    int req = d->root == APP_ROOT_supportedAppProtocolReq;
    if (req == (m->dir != CAP_DIR_C2S))
        return 0; /* a request from the server or a response from the client is no handshake */
    r->exi = exi_proto_find("app");
    r->doc = d;
    if (req) {
        keep_offers(c, &d->supportedAppProtocolReq);
        c->hs = DEC_HS_REQ;
        size_t n = 0;
        keys[0] = 0;
        for (unsigned i = 0; i < c->noffer && n < cap; i++)
            n += (size_t)snprintf(keys + n, cap - n, "%s%s(SchemaID %u)", i ? " " : "", c->offer[i].ns,
                                  c->offer[i].schema_id);
        return 1;
    }
    const struct app_supportedAppProtocolResType *res = &d->supportedAppProtocolRes;
    static const char *const codes[] = {"OK_SuccessfulNegotiation", "OK_SuccessfulNegotiationWithMinorDeviation",
                                        "Failed_NoNegotiation"};
    snprintf(keys, cap, "ResponseCode=%s", (unsigned)res->ResponseCode < 3 ? codes[res->ResponseCode] : "?");
    if (res->has_SchemaID)
        snprintf(keys + strlen(keys), cap - strlen(keys), " SchemaID=%u", res->SchemaID);
    negotiate(a, c, res, keys, cap);
    return 1;
}

/* No usable handshake in the capture: try din, then iso2 (the codec that worked last goes first). On failure,
 * the error is the first codec's. */
static int detect(dec_analyzer *a, dec_conn *c, const cap_v2gtp *m, dec_record *r, struct exi_error *err)
{
    if (c->hs != DEC_HS_DETECT) {
        c->hs = DEC_HS_DETECT;
        LOG_W("TCP connection %u: no usable SupportedAppProtocol handshake in the capture; detecting the "
              "schema (trying din, iso2)", m->conn);
        if (c->session >= 0)
            a->sess[c->session].detected = 1;
    }
    const struct exi_proto *order[] = {c->proto, exi_proto_find("din"), exi_proto_find("iso2")};
    int first = 0;
    struct exi_error e;
    for (size_t i = 0; i < 3; i++) {
        if (!order[i])
            continue;
        int rc = exi_decode_ex(order[i]->codec, m->payload, m->payload_len, a->doc, &e);
        if (!rc) {
            c->proto = r->exi = order[i];
            if (c->session >= 0)
                a->sess[c->session].proto = order[i]->name;
            return 0;
        }
        if (!first) {
            first = rc;
            r->exi = order[i];
            *err = e;
        }
    }
    return first;
}

static int decode(dec_analyzer *a, dec_conn *c, const cap_v2gtp *m, dec_record *r, char *keys, size_t cap)
{
    struct exi_error err = {0};
    int rc;
    if ((c->hs == DEC_HS_NONE || c->hs == DEC_HS_REQ) && handshake(a, c, m, r, keys, cap))
        return 0;
    const struct exi_proto *p = m->payload_type != V2GTP_EXI ? iso20_codec_of(m->payload_type)
                              : c->hs == DEC_HS_DONE ? c->proto : NULL;
    if (p) {
        r->exi = p;
        rc = exi_decode_ex(p->codec, m->payload, m->payload_len, a->doc, &err);
    } else if (m->payload_type == V2GTP_EXI) {
        rc = detect(a, c, m, r, &err);
    } else {
        return 0; /* no codec for this payload type */
    }
    r->doc = a->doc;
    if (rc) {
        static char msg[512];
        exi_text_describe_error(r->exi, &err, msg, sizeof msg);
        r->error = msg;
    }
    return rc;
}

void dec_on_v2gtp(void *ctx, const cap_v2gtp *m)
{
    dec_analyzer *a = ctx;
    dec_conn *c = dec_conn_get(a, m->conn, m->ts_ns, 1);
    if (!c)
        return;
    char keys[1024], name[32];
    keys[0] = 0; /* not the whole array: this runs once per message */
    const char *src = dec_endpoint(a, m->src, m->src_port), *dst = dec_endpoint(a, m->dst, m->dst_port);
    dec_record r = {.ts_ns = m->ts_ns, .session = c->session, .conn = (int)m->conn,
                    .dir = dec_ip_dir(a, m->src, m->dir == CAP_DIR_C2S), .layer = DEC_LAYER_V2G, .keys = keys,
                    .src = src, .dst = dst, .raw = m->payload, .raw_len = m->payload_len};
    int rc = decode(a, c, m, &r, keys, sizeof keys);
    dec_fields_exi(&a->fb, rc ? NULL : r.exi, r.doc, &r);
    if (r.exi) {
        r.proto = r.exi->name;
        r.name = rc ? "?" : exi_text_message_name(r.exi, r.doc);
        if (!rc && !keys[0])
            dec_keys_v2g(&r, keys, sizeof keys);
        static char fault[512];
        dec_faults_v2g(a, c, &r, fault, sizeof fault);
    } else {
        snprintf(name, sizeof name, "V2GTP 0x%04x", m->payload_type);
        r.proto = "v2gtp";
        r.name = name;
        r.doc = NULL;
    }
    dec_emit(a, &r);
}
