/* ISO 15118-20 bidirectional power transfer (DC_BPT, AC_BPT), session part: the charger offers the BPT service of
 * its protocol where its power stage can discharge, with BPT's own ServiceDetail parameters; the car takes it when
 * it is set to discharge. The charging steps are the model's (sess_bpt.c), the messages the BPT mapper's. */
#include "iso20_internal.h"

static int can_discharge(const sess_evse *s) { return s->cfg.discharge_max_a > 0.0f; }

/* ServiceDiscoveryRes: the BPT service after the energy service. */
void iso20_bpt_offer(const sess_evse *s, struct iso20_ServiceListType *l)
{
    if (!can_discharge(s) || l->Service.count >= sizeof l->Service.array / sizeof l->Service.array[0]) return;
    l->Service.array[l->Service.count++] = (struct iso20_ServiceType){ .ServiceID = ISO20_SERVICE(s->proto, 1) };
}

int iso20_bpt_offered(const sess_evse *s, uint16_t service_id)
{
    return can_discharge(s) && service_id == ISO20_SERVICE(s->proto, 1);
}

/* One energy channel for both directions, the car's inverter following the grid (AC: passive islanding
 * detection). */
void iso20_bpt_params(const sess_evse *s, struct iso20_ParameterSetType *set)
{
    iso20_param_int(set, "BPTChannel", ISO20_BPT_CHANNEL_UNIFIED);
    iso20_param_int(set, "GeneratorMode", ISO20_BPT_GRID_FOLLOWING);
    if (ISO20_IS_AC(s->proto)) iso20_param_int(set, "GridCodeIslandingDetectionMethod", ISO20_BPT_ISLANDING_PASSIVE);
}

/* A car set to discharge (cfg.discharge_soc) takes the BPT service when it is on offer; else it only charges. */
void iso20_bpt_choose(sess_pev *p, const struct iso20_ServiceListType *l)
{
    p->bpt = 0;
    for (uint16_t i = 0; p->cfg.discharge_soc && i < l->Service.count; i++)
        if (l->Service.array[i].ServiceID == ISO20_SERVICE(p->proto, 1)) p->bpt = 1;
}
