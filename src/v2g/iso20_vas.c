/* ISO 15118-20 value-added services, both sides: the charger lists those it offers (cfg.vas) in ServiceDiscoveryRes's
 * VASList, answers ServiceDetail of each with its parameter sets and accepts a selection of them; the car asks
 * ServiceDetail of those it wants (cfg.vas) that are offered and selects one parameter set of each. */
#include <string.h>

#include "iso20_internal.h"

/* Internet access (ServiceID 65 in ISO 15118-20 Table 204, as Josev's ServiceV20 numbers it): the parameter sets of
 * ISO 15118-2 Table 106 (Protocol as a string, Port): 1 ftp 20, 2 ftp 21, 3 http 80, 4 https 443. */
#define ISO20_VAS_INTERNET 65
static const struct {
    const char *protocol;
    int32_t port;
} internet_sets[] = { { "ftp", 20 }, { "ftp", 21 }, { "http", 80 }, { "https", 443 } };
#define INTERNET_SETS (sizeof internet_sets / sizeof internet_sets[0])
#define HTTPS_PORT 443

/* Our services by SESS_VAS_* bit (index = bit number). */
static const uint16_t vas_ids[SESS_VAS_N] = { ISO20_VAS_INTERNET };

static int bit_of(uint16_t service_id)
{
    for (int i = 0; i < SESS_VAS_N; i++)
        if (vas_ids[i] == service_id) return 1 << i;
    return 0;
}

static void param_string(struct iso20_ParameterSetType *set, const char *name, const char *v)
{
    struct iso20_ParameterType *p = &set->Parameter.array[set->Parameter.count++];
    p->Name.len = (uint16_t)strlen(name);
    memcpy(p->Name.chars, name, p->Name.len);
    p->choice = iso20_ParameterType_finiteString;
    p->finiteString.len = (uint16_t)strlen(v);
    memcpy(p->finiteString.chars, v, p->finiteString.len);
}

void iso20_vas_offer(sess_evse *s, struct iso20_ServiceDiscoveryResType *r)
{
    s->vas_selected = 0;
    for (int i = 0; i < SESS_VAS_N; i++) {
        if (!(s->cfg.vas & (1 << i))) continue;
        struct iso20_ServiceType *v = &r->VASList.Service.array[r->VASList.Service.count++];
        v->ServiceID = vas_ids[i];
        v->FreeService = true;
        r->has_VASList = true;
    }
}

int iso20_vas_detail(const sess_evse *s, uint16_t service_id, struct iso20_ServiceParameterListType *l)
{
    if (!(s->cfg.vas & bit_of(service_id))) return 0;
    for (uint16_t k = 0; k < INTERNET_SETS; k++) {
        struct iso20_ParameterSetType *set = &l->ParameterSet.array[l->ParameterSet.count++];
        set->ParameterSetID = (uint16_t)(k + 1);
        param_string(set, "Protocol", internet_sets[k].protocol);
        iso20_param_int(set, "Port", internet_sets[k].port);
    }
    return 1;
}

/* Every selected VAS offered once, with one of its parameter sets. */
int iso20_vas_select(sess_evse *s, const struct iso20_ServiceSelectionReqType *q)
{
    uint8_t got = 0;
    for (uint16_t i = 0; q->has_SelectedVASList && i < q->SelectedVASList.SelectedService.count; i++) {
        const struct iso20_SelectedServiceType *v = &q->SelectedVASList.SelectedService.array[i];
        int bit = bit_of(v->ServiceID);
        if (!(s->cfg.vas & bit) || (got & bit) || v->ParameterSetID < 1 || v->ParameterSetID > INTERNET_SETS)
            return -1;
        got |= (uint8_t)bit;
    }
    s->vas_selected = got;
    return 0;
}

void iso20_vas_choose(sess_pev *p, const struct iso20_ServiceDiscoveryResType *r)
{
    p->vas_todo = p->vas_got = 0;
    for (uint16_t i = 0; r->has_VASList && i < r->VASList.Service.count; i++)
        p->vas_todo |= (uint8_t)(bit_of(r->VASList.Service.array[i].ServiceID) & p->cfg.vas);
}

/* The lowest VAS still to ask about (the row is entered only while there is one: iso20_vas_next). */
static int next_vas(const sess_pev *p)
{
    for (int i = 0; i < SESS_VAS_N; i++)
        if (p->vas_todo & (1 << i)) return i;
    return 0;
}

uint8_t iso20_vas_next(const sess_pev *p, uint8_t next)
{
    return next == ISO20_PEV_SERVICE_SELECTION && p->vas_todo ? ISO20_PEV_VAS_DETAIL : next;
}

int iso20_pev_build_vas_detail(sess_pev *p, uint32_t now)
{
    (void)now;
    ISO20_COMMON(&p->docs->tx)->ServiceDetailReq.ServiceID = vas_ids[next_vas(p)];
    return SESS_H_NEXT;
}

/* Internet: the https set if offered, else the first; a VAS without a parameter set is not selected. */
int iso20_pev_on_vas_detail(sess_pev *p, uint32_t now)
{
    const struct iso20_ServiceDetailResType *r = &ISO20_COMMON(&p->docs->rx)->ServiceDetailRes;
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    int i = next_vas(p);
    p->vas_todo &= (uint8_t)~(1 << i);
    const struct iso20_ServiceParameterListType *l = &r->ServiceParameterList;
    for (uint16_t k = 0; k < l->ParameterSet.count; k++) {
        const struct iso20_ParameterSetType *set = &l->ParameterSet.array[k];
        if (!(p->vas_got & (1 << i)) || iso20_param(set, "Port") == HTTPS_PORT) {
            p->vas_set[i] = set->ParameterSetID;
            p->vas_got |= (uint8_t)(1 << i);
        }
    }
    return SESS_H_NEXT;
}

void iso20_vas_selection(const sess_pev *p, struct iso20_ServiceSelectionReqType *q)
{
    for (int i = 0; i < SESS_VAS_N; i++) {
        if (!(p->vas_got & (1 << i))) continue;
        struct iso20_SelectedServiceType *v = &q->SelectedVASList.SelectedService.array[q->SelectedVASList.SelectedService.count++];
        v->ServiceID = vas_ids[i];
        v->ParameterSetID = p->vas_set[i];
        q->has_SelectedVASList = true;
    }
}
