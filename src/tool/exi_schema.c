/* The codec of a SupportedAppProtocol namespace and of an ISO 15118-20 V2GTP payload type, and a connection's
 * handshake followed message by message (detection of din/iso2 only without one). Host side. */
#include "ccsplc/tools/exi_schema.h"

#include <stdio.h>
#include <string.h>

#include "ccsplc/core/gen/app.h"
#include "ccsplc/core/v2gtp.h"

const struct exi_proto *exi_proto_of_namespace(const char *ns, int *iso20)
{
    *iso20 = !strncmp(ns, EXI_NS_ISO20_PREFIX, strlen(EXI_NS_ISO20_PREFIX));
    if (!strcmp(ns, EXI_NS_DIN))
        return exi_proto_find("din");
    if (!strcmp(ns, EXI_NS_ISO2))
        return exi_proto_find("iso2");
    return NULL;
}

const struct exi_proto *exi_proto_of_payload_type(uint16_t type)
{
    static const char *const names[] = {"iso20-common", "iso20-ac", "iso20-dc", "iso20-acdp", "iso20-wpt"};
    if (type < V2GTP_ISO20_MAIN || type > V2GTP_ISO20_WPT)
        return NULL;
    return exi_proto_find(names[type - V2GTP_ISO20_MAIN]);
}

size_t exi_doc_max_size(void)
{
    size_t m = 0;
    for (size_t i = 0; i < exi_nprotos; i++)
        m = exi_protos[i].doc_size > m ? exi_protos[i].doc_size : m;
    return m;
}

void exi_hs_init(exi_hs *h)
{
    memset(h, 0, sizeof *h);
    h->chosen = -1;
}

/* A handshake message (decoded with `app`) where one belongs: 1 when it was one. */
static int handshake(exi_hs *h, const uint8_t *payload, size_t len, int from_client, void *doc)
{
    struct app_exiDocument *d = doc;
    if (app_decode(payload, len, d))
        return 0;
    int req = d->root == APP_ROOT_supportedAppProtocolReq;
    if (req != from_client)
        return 0; /* a request from the server or a response from the client is no handshake */
    if (req) {
        h->noffer = 0;
        for (unsigned i = 0; i < d->supportedAppProtocolReq.AppProtocol.count && i < EXI_HS_MAX_OFFERS; i++) {
            const struct app_AppProtocolType *ap = &d->supportedAppProtocolReq.AppProtocol.array[i];
            snprintf(h->offer[i].ns, sizeof h->offer[i].ns, "%.*s", (int)ap->ProtocolNamespace.len,
                     ap->ProtocolNamespace.chars);
            h->offer[i].schema_id = ap->SchemaID;
            h->noffer++;
        }
        h->state = EXI_HS_REQ;
        return 1;
    }
    const struct app_supportedAppProtocolResType *res = &d->supportedAppProtocolRes;
    h->chosen = -1;
    for (unsigned i = 0; res->has_SchemaID && i < h->noffer; i++)
        if (h->offer[i].schema_id == res->SchemaID)
            h->chosen = (int)i;
    h->state = EXI_HS_DONE;
    h->iso20 = 0;
    h->proto = h->chosen >= 0 ? exi_proto_of_namespace(h->offer[h->chosen].ns, &h->iso20) : NULL;
    return 1;
}

/* No usable handshake: try the codec that worked last, din, then iso2. */
static int detect(exi_hs *h, const uint8_t *payload, size_t len, void *doc, const struct exi_proto **used,
                  struct exi_error *err)
{
    h->state = EXI_HS_DETECT;
    const struct exi_proto *order[] = {h->proto, exi_proto_find("din"), exi_proto_find("iso2")};
    int first = 0;
    struct exi_error e;
    for (size_t i = 0; i < 3; i++) {
        if (!order[i])
            continue;
        int rc = exi_decode_ex(order[i]->codec, payload, len, doc, &e);
        if (!rc) {
            h->proto = *used = order[i];
            return 0;
        }
        if (!first) {
            first = rc;
            *used = order[i];
            *err = e;
        }
    }
    return first;
}

int exi_hs_decode(exi_hs *h, uint16_t payload_type, const uint8_t *payload, size_t len, int from_client, void *doc,
                  const struct exi_proto **used, exi_msg_class *cls, struct exi_error *err)
{
    *used = NULL;
    if (payload_type == V2GTP_EXI && (h->state == EXI_HS_NONE || h->state == EXI_HS_REQ) &&
        handshake(h, payload, len, from_client, doc)) {
        *used = exi_proto_find("app");
        *cls = h->state == EXI_HS_REQ ? EXI_MSG_HS_REQ : EXI_MSG_HS_RES;
        return 0;
    }
    const struct exi_proto *p = payload_type != V2GTP_EXI ? exi_proto_of_payload_type(payload_type)
                              : h->state == EXI_HS_DONE ? h->proto : NULL;
    if (p) {
        *used = p;
        *cls = EXI_MSG_AGREED;
        return exi_decode_ex(p->codec, payload, len, doc, err);
    }
    if (payload_type != V2GTP_EXI) {
        *cls = EXI_MSG_NO_CODEC;
        return 0;
    }
    *cls = EXI_MSG_DETECTED;
    return detect(h, payload, len, doc, used, err);
}
