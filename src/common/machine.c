/* The one driver of every machine (SLAC, SDP, sessions): feed an event, route its action through the caller's
 * port, keep the next wake-up (ccsplc/core/machine.h). */
#include <string.h>

#include "ccsplc/core/machine.h"

void ccs_machine_handle(const ccs_machine *m, const ccs_event *ev, uint32_t now_ms, ccs_action *act)
{
    memset(act, 0, sizeof *act);
    m->handle(m->self, ev, now_ms, act);
}

void ccs_driver_init(ccs_driver *d, ccs_machine m, const ccs_port *port)
{
    memset(d, 0, sizeof *d);
    d->m = m;
    d->port = *port;
}

int ccs_driver_event(ccs_driver *d, const ccs_event *ev, uint32_t now_ms)
{
    if (ev->kind == CCS_EV_START) d->closed = 0;
    ccs_machine_handle(&d->m, ev, now_ms, &d->last);
    if (ev->kind == CCS_EV_DISCONNECT) d->closed = 1;
    int rc = 0;
    for (unsigned i = 0; i < d->last.n && !d->closed; i++) {
        int s = d->port.send(d->port.ctx, d->last.out[i], d->last.len[i], i ? NULL : d->last.name);
        if (!rc) rc = s;
    }
    if (d->last.close && !d->closed) {
        d->closed = 1;
        if (d->port.close) d->port.close(d->port.ctx);
    }
    return d->last.err ? d->last.err : rc;
}

static int simple(ccs_driver *d, ccs_event_kind kind, uint32_t now_ms)
{
    ccs_event ev = { .kind = kind };
    return ccs_driver_event(d, &ev, now_ms);
}

int ccs_driver_start(ccs_driver *d, uint32_t now_ms) { return simple(d, CCS_EV_START, now_ms); }

int ccs_driver_disconnect(ccs_driver *d, uint32_t now_ms) { return simple(d, CCS_EV_DISCONNECT, now_ms); }

int ccs_driver_message(ccs_driver *d, uint16_t payload_type, const uint8_t *data, size_t len, uint32_t now_ms)
{
    ccs_event ev = { .kind = CCS_EV_MESSAGE, .payload_type = payload_type, .data = data, .len = len };
    return ccs_driver_event(d, &ev, now_ms);
}

int ccs_driver_inputs(ccs_driver *d, const void *inputs, uint32_t now_ms)
{
    ccs_event ev = { .kind = CCS_EV_INPUTS, .inputs = inputs };
    return ccs_driver_event(d, &ev, now_ms);
}

int ccs_driver_poll(ccs_driver *d, uint32_t now_ms)
{
    if (!d->last.has_wake || (int32_t)(now_ms - d->last.wake_ms) < 0) return 0;
    return simple(d, CCS_EV_TIMER, now_ms);
}

int ccs_driver_next_wake(const ccs_driver *d, uint32_t *at_ms)
{
    if (!d->last.has_wake) return 0;
    *at_ms = d->last.wake_ms;
    return 1;
}

int ccs_driver_done(const ccs_driver *d) { return d->last.done; }
