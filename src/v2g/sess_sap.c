/* SupportedAppProtocol for sessions: the charger picks, among its enabled protocols, the one the car ranks
 * highest and echoes the car's SchemaID; the car offers its protocols in order of preference. */
#include <string.h>

#include "sess_internal.h"

static int ns_equal(const sess_proto *p, const struct app_AppProtocolType *a)
{
    size_t n = strlen(p->ns);
    return a->ProtocolNamespace.len == n && memcmp(a->ProtocolNamespace.chars, p->ns, n) == 0;
}

/* ISO 15118-2:2014 clause 8.2.1 (DIN SPEC 70121 uses the same handshake): the car lists its protocols, each with
 * a unique SchemaID and a Priority, 1 the highest, 20 the lowest, at most 20 entries ([V2G2-167]); the charger
 * answers with the one to use ([V2G2-168]): among the entries whose namespace and major version it supports, the
 * car's highest priority; a minor version other than ours is OK_SuccessfulNegotiationWithMinorDeviation, no
 * entry in common Failed_NoNegotiation without a SchemaID. Priorities the car gave twice (it should not) are
 * decided by an exact minor version first, then by our own order (protos[]). */
static int better(const struct app_AppProtocolType *a, int exact, uint8_t k, const struct app_AppProtocolType *best,
                  int best_exact, uint8_t best_k)
{
    if (!best || a->Priority != best->Priority) return !best || a->Priority < best->Priority;
    if (exact != best_exact) return exact;
    return k < best_k;
}

const sess_proto *sess_sap_choose(const sess_proto *const *protos, uint8_t n, const struct app_exiDocument *req,
                                  struct app_exiDocument *res)
{
    const struct app_AppProtocolType *best = NULL;
    const sess_proto *chosen = NULL;
    int best_exact = 0;
    uint8_t best_k = 0;
    memset(res, 0, sizeof *res);
    res->root = APP_ROOT_supportedAppProtocolRes;
    struct app_supportedAppProtocolResType *r = &res->supportedAppProtocolRes;
    r->ResponseCode = app_responseCodeType_Failed_NoNegotiation;
    if (req->root != APP_ROOT_supportedAppProtocolReq) return NULL;
    const struct app_supportedAppProtocolReqType *q = &req->supportedAppProtocolReq;
    for (uint16_t i = 0; i < q->AppProtocol.count; i++) {
        const struct app_AppProtocolType *a = &q->AppProtocol.array[i];
        for (uint8_t k = 0; k < n; k++) {
            if (!ns_equal(protos[k], a) || a->VersionNumberMajor != protos[k]->major) continue;
            int exact = a->VersionNumberMinor == protos[k]->minor;
            if (better(a, exact, k, best, best_exact, best_k)) {
                best = a;
                chosen = protos[k];
                best_exact = exact;
                best_k = k;
            }
        }
    }
    if (!chosen) return NULL;
    r->ResponseCode = best_exact ? app_responseCodeType_OK_SuccessfulNegotiation
                                 : app_responseCodeType_OK_SuccessfulNegotiationWithMinorDeviation;
    r->has_SchemaID = true;
    r->SchemaID = best->SchemaID;
    return chosen;
}

/* SchemaID i+1 and Priority i+1 for the i-th protocol (1 is the highest priority). */
void sess_sap_offer(const sess_proto *const *protos, uint8_t n, struct app_exiDocument *req)
{
    memset(req, 0, sizeof *req);
    req->root = APP_ROOT_supportedAppProtocolReq;
    struct app_supportedAppProtocolReqType *q = &req->supportedAppProtocolReq;
    for (uint8_t i = 0; i < n && i < 20; i++) {
        struct app_AppProtocolType *a = &q->AppProtocol.array[q->AppProtocol.count++];
        size_t len = strlen(protos[i]->ns);
        if (len > sizeof a->ProtocolNamespace.chars - 1) len = sizeof a->ProtocolNamespace.chars - 1;
        memcpy(a->ProtocolNamespace.chars, protos[i]->ns, len);
        a->ProtocolNamespace.len = (uint16_t)len;
        a->VersionNumberMajor = protos[i]->major;
        a->VersionNumberMinor = protos[i]->minor;
        a->SchemaID = (uint8_t)(i + 1);
        a->Priority = (uint8_t)(i + 1);
    }
}

const sess_proto *sess_sap_agreed(const sess_proto *const *protos, uint8_t n, const struct app_exiDocument *res)
{
    if (res->root != APP_ROOT_supportedAppProtocolRes) return NULL;
    const struct app_supportedAppProtocolResType *r = &res->supportedAppProtocolRes;
    if (r->ResponseCode == app_responseCodeType_Failed_NoNegotiation || !r->has_SchemaID) return NULL;
    if (r->SchemaID < 1 || r->SchemaID > n) return NULL;
    return protos[r->SchemaID - 1];
}
