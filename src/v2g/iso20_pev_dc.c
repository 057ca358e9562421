/* ISO 15118-20 car side, DC service: the parameter set ServiceDetail offers (Dynamic control mode preferred); the
 * DC steps themselves are the session model's (sess_dc_pev.c, iso20_map.c). */
#include <string.h>

#include "iso20_internal.h"


/* The control mode of a parameter set: its intValue "ControlMode", or -1. */
static int control_mode(const struct iso20_ParameterSetType *set)
{
    for (uint16_t i = 0; i < set->Parameter.count; i++) {
        const struct iso20_ParameterType *x = &set->Parameter.array[i];
        if (x->choice == iso20_ParameterType_intValue && x->Name.len == 11 && !memcmp(x->Name.chars, "ControlMode", 11))
            return x->intValue;
    }
    return -1;
}

/* A parameter set of the DC service: Dynamic if there is one, else Scheduled. */
int iso20_pev_on_service_detail(sess_pev *p, uint32_t now)
{
    const struct iso20_ServiceParameterListType *l = &ISO20_COMMON(&p->docs->rx)->ServiceDetailRes.ServiceParameterList;
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    int found = 0;
    p->dynamic = 0;
    for (uint16_t i = 0; i < l->ParameterSet.count; i++) {
        int mode = control_mode(&l->ParameterSet.array[i]);
        if ((mode == ISO20_CONTROL_DYNAMIC && !p->dynamic) || (mode == ISO20_CONTROL_SCHEDULED && !found)) {
            p->param_set_id = l->ParameterSet.array[i].ParameterSetID;
            p->dynamic = mode == ISO20_CONTROL_DYNAMIC;
            found = 1;
        }
    }
    if (found) return SESS_H_NEXT;
    sess_pev_safe(p, SESS_STOP_FAILED);
    return SESS_H_FAIL;
}
