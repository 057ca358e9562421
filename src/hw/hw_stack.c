/* The backends of one side behind the supervisor: one command to all, their measurements merged in order. */
#include <string.h>

#include "ccsplc/core/hw.h"
#include "ccsplc/core/errors.h"

void hw_stack_init(hw_stack *h, hw_role role)
{
    hw_sup_config c;
    memset(h, 0, sizeof *h);
    hw_sup_config_default(&c, role);
    hw_sup_init(&h->sup, &c);
    h->meas.link_ok = 1;
}

int hw_stack_add(hw_stack *h, const hw_backend *b)
{
    if (h->n >= HW_MAX_BACKENDS) return CCS_ERANGE;
    h->b[h->n++] = *b;
    return 0;
}

const hw_cmd *hw_stack_apply(hw_stack *h, const hw_cmd *want, uint32_t faults, uint32_t now_ms)
{
    hw_sup_step(&h->sup, want, &h->meas, faults, now_ms);
    for (uint8_t i = 0; i < h->n; i++) h->b[i].apply(h->b[i].ctx, &h->sup.out, now_ms);
    return &h->sup.out;
}

const hw_meas *hw_stack_sense(hw_stack *h, uint32_t now_ms)
{
    memset(&h->meas, 0, sizeof h->meas);
    h->meas.link_ok = 1;
    for (uint8_t i = 0; i < h->n; i++) {
        hw_meas m;
        memset(&m, 0, sizeof m);
        m.link_ok = 1;
        h->b[i].sense(h->b[i].ctx, &m, now_ms);
        hw_meas_merge(&h->meas, &m);
    }
    return &h->meas;
}
