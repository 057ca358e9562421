/* SLAC in the one machine shape (ccsplc/core/machines.h): events to slac_*_step, its slac_action to a ccs_action. */
#include <string.h>

#include "ccsplc/core/machines.h"

static const slac_event_type kinds[] = {
    [CCS_EV_START] = SLAC_EV_START, [CCS_EV_MESSAGE] = SLAC_EV_FRAME, [CCS_EV_DISCONNECT] = SLAC_EV_STOP,
    [CCS_EV_TIMER] = SLAC_EV_TIMER, [CCS_EV_INPUTS] = SLAC_EV_TIMER,
};

static slac_event event_of(const ccs_event *ev)
{
    slac_event e = { kinds[ev->kind], ev->data, ev->len };
    return e;
}

/* done: the machine is at its goal (charger MATCHED, car LINKED) or not running any more. */
static void action_of(const slac_action *a, slac_status goal, ccs_action *act)
{
    act->n = a->n;
    for (unsigned i = 0; i < a->n; i++) {
        act->out[i] = a->frame[i];
        act->len[i] = a->len[i];
    }
    act->has_wake = a->has_wake;
    act->wake_ms = a->wake_ms;
    act->done = a->status == goal || a->status == SLAC_IDLE;
    act->err = a->err;
}

static void evse_handle(void *self, const ccs_event *ev, uint32_t now_ms, ccs_action *act)
{
    slac_event e = event_of(ev);
    slac_action a = slac_evse_step(self, &e, now_ms);
    action_of(&a, SLAC_MATCHED, act);
}

static void pev_handle(void *self, const ccs_event *ev, uint32_t now_ms, ccs_action *act)
{
    slac_event e = event_of(ev);
    slac_action a = slac_pev_step(self, &e, now_ms);
    action_of(&a, SLAC_LINKED, act);
}

ccs_machine ccs_slac_evse_machine(slac_evse *s) { return (ccs_machine){ evse_handle, s }; }

ccs_machine ccs_slac_pev_machine(slac_pev *s) { return (ccs_machine){ pev_handle, s }; }
