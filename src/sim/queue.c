/* The simulator's frame queue (fixed capacity, delivery by due time then send order) and its PRNG. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "sim_internal.h"

uint32_t sim_rand(sim_plc *plc)
{
    uint32_t x = plc->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return plc->rng = x;
}

int sim_chance(sim_plc *plc, uint16_t permille) { return permille && sim_rand(plc) % 1000u < permille; }

int sim_enqueue(sim_plc *plc, int port, const uint8_t *frame, size_t len, uint32_t due)
{
    if (len > SIM_FRAME_MAX) return CCS_EINVAL;
    for (size_t i = 0; i < SIM_QUEUE_CAP; i++) {
        sim_frame *f = &plc->q[i];
        if (f->used) continue;
        f->used = 1;
        f->port = (uint8_t)port;
        f->due = due;
        f->seq = plc->seq++;
        f->len = (uint16_t)len;
        memcpy(f->data, frame, len);
        return 0;
    }
    plc->stats.dropped_full++;
    return CCS_ENOSPC;
}

/* Index of the earliest queued frame (by due time, then send order), or -1. */
static int earliest(const sim_plc *plc)
{
    int best = -1;
    for (int i = 0; i < SIM_QUEUE_CAP; i++) {
        const sim_frame *f = &plc->q[i];
        if (!f->used) continue;
        if (best < 0) {
            best = i;
            continue;
        }
        const sim_frame *b = &plc->q[best];
        int32_t d = (int32_t)(f->due - b->due);
        if (d < 0 || (d == 0 && (int32_t)(f->seq - b->seq) < 0)) best = i;
    }
    return best;
}

int sim_plc_next_due(const sim_plc *plc, uint32_t *due_ms)
{
    int i = earliest(plc);
    if (i < 0) return 0;
    *due_ms = plc->q[i].due;
    return 1;
}

int sim_plc_poll(sim_plc *plc, uint32_t now_ms, int *port_out, uint8_t *buf, size_t cap, size_t *len)
{
    int i = earliest(plc);
    if (i < 0 || !sim_reached(now_ms, plc->q[i].due)) return 0;
    sim_frame *f = &plc->q[i];
    if (f->len > cap) return CCS_ENOSPC;
    memcpy(buf, f->data, f->len);
    *len = f->len;
    *port_out = f->port;
    f->used = 0;
    plc->stats.delivered++;
    return 1;
}
