/* ISO 15118-20 car side, the energy service's parameter set from ServiceDetail (the configured control mode, Dynamic
 * by default, preferred; AC: of the car's phases, with the charger's nominal voltage); the charging steps themselves
 * are the session model's (sess_dc_pev.c, iso20_map.c, iso20_ac_map.c). */
#include <string.h>

#include "iso20_internal.h"

int iso20_param(const struct iso20_ParameterSetType *set, const char *name)
{
    size_t n = strlen(name);
    for (uint16_t i = 0; i < set->Parameter.count; i++) {
        const struct iso20_ParameterType *x = &set->Parameter.array[i];
        if (x->choice == iso20_ParameterType_intValue && x->Name.len == n && !memcmp(x->Name.chars, name, n))
            return x->intValue;
    }
    return -1;
}

/* AC: a set for the car's phases (Table 205's Connector; three-phase also as EVerest's libiso15118 writes it). */
static int usable(const sess_pev *p, const struct iso20_ParameterSetType *set)
{
    if (!ISO20_IS_AC(p->proto)) return 1;
    int c = iso20_param(set, "Connector");
    if (p->cfg.ac_phases == 1) return c == ISO20_AC_SINGLE_PHASE;
    return c == ISO20_AC_THREE_PHASE || c == ISO20_AC_THREE_PHASE_ALT;
}

/* A parameter set of the service in the control mode we want (cfg.control_mode; Dynamic by default) if there is
 * one, else one of the other mode. AC: its EVSENominalVoltage (kept in evse_max_v, where ChargeParameterDiscovery's
 * check finds it). */
int iso20_pev_on_service_detail(sess_pev *p, uint32_t now)
{
    const struct iso20_ServiceParameterListType *l = &ISO20_COMMON(&p->docs->rx)->ServiceDetailRes.ServiceParameterList;
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    int want = p->cfg.control_mode == SESS_CONTROL_SCHEDULED ? ISO20_CONTROL_SCHEDULED : ISO20_CONTROL_DYNAMIC;
    const struct iso20_ParameterSetType *chosen = NULL;
    int chosen_mode = 0;
    for (uint16_t i = 0; i < l->ParameterSet.count; i++) {
        int mode = iso20_param(&l->ParameterSet.array[i], "ControlMode");
        if (!usable(p, &l->ParameterSet.array[i])) continue;
        if ((mode == want && chosen_mode != want) ||
            (!chosen && (mode == ISO20_CONTROL_DYNAMIC || mode == ISO20_CONTROL_SCHEDULED))) {
            chosen = &l->ParameterSet.array[i];
            chosen_mode = mode;
        }
    }
    p->dynamic = chosen_mode == ISO20_CONTROL_DYNAMIC;
    if (chosen) {
        p->param_set_id = chosen->ParameterSetID;
        p->evse_max_v = ISO20_IS_AC(p->proto) ? (float)iso20_param(chosen, "EVSENominalVoltage") : 0.0f;
        return SESS_H_NEXT;
    }
    sess_pev_safe(p, SESS_STOP_NO_OFFER);
    return SESS_H_FAIL;
}
