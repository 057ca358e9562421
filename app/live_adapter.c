/* `ccsplc pev --bridge chademo` in the live run: the adapter's CHAdeMO side opened and bound to the car session
 * and its hardware stack, and the waits around the CCS session (the CHAdeMO car's contactors closed before SLAC:
 * its battery voltage is the PreCharge target; the CHAdeMO sequence's end after the session). */
#include "ccsplc/linux/log.h"
#include "live.h"

int live_bridge_attach(live *l, sess_pev *p)
{
    if (live_bridge_open(&l->br, l->o.can, l->o.pev_max_a)) return -1;
    l->have_bridge = 1;
    l->br.pev = p;
    l->br.sup = &l->hw.st.sup;
    l->br.hw = &l->hw;
    live_hw_wires_attach(&l->hw);
    l->hw.bridge = &l->br.br;
    l->br.br.hw = &l->hw.st.meas;   /* k, the connector's voltage, the insulation monitor where wired */
    const hw_gpio_config *g = &l->o.hw.ext.gpio_cfg;
    l->br.br.wired_outputs = l->o.hw.ext.gpio && g->pin[HW_GPIO_CDM_D1] >= 0 && g->pin[HW_GPIO_CDM_D2] >= 0;
    return 0;
}

int live_bridge_wait(live *l, int ready, uint32_t ms)
{
    ccs_loop *loop = &l->s.loop;
    uint32_t end = ccs_loop_now(loop) + ms;
    int (*cond)(const live_bridge *) = ready ? live_bridge_ready : live_bridge_done;
    loop->stopped = 0;   /* the session's end stopped the loop: the CHAdeMO side still ends safely */
    while (!cond(&l->br) && !(ready && live_bridge_done(&l->br)) && !l->quit && !loop->stopped &&
           (int32_t)(ccs_loop_now(loop) - end) < 0)   /* the sequence ended before charging: it failed */
        if (ccs_loop_run_once(loop, 10)) break;
    if (cond(&l->br)) return 0;
    LOG_E("chademo: %s: %s", ready ? "the car did not get to charging (its contactors closed): no CCS session"
                                   : "the CHAdeMO sequence did not end", cdm_state_name(l->br.br.ch.state));
    return -1;
}
