/* The adapter's CHAdeMO side on a real or virtual CAN bus, stepped every 10 ms. */
#include <stdio.h>
#include <string.h>

#include "ccsplc/linux/log.h"
#include "live_bridge.h"

#define STEP_MS 10u

int live_bridge_open(live_bridge *b, const char *bus, float max_a)
{
    cdm_charger_config c;
    memset(b, 0, sizeof *b);
    snprintf(b->bus, sizeof b->bus, "%s", bus);
    cdm_charger_config_default(&c);
    c.avail_a = max_a;
    cdm_bridge_init(&b->br, &c);
    b->br.ch.in.plugged = 1;
    if (ccs_can_open(&b->can, bus)) return -1;
    LOG_I("chademo: adapter on %s: d1 on, waiting for the car's CAN (up to %.0f V, %.0f A)", bus, (double)c.avail_v,
          (double)c.avail_a);
    return 0;
}

static void log_step(live_bridge *b, uint32_t now)
{
    const cdm_charger *ch = &b->br.ch;
    b->shown = ch->state;
    ccs_log(cdm_bridge_faulted(&b->br) ? CCS_LOG_WARN : CCS_LOG_INFO,
            "chademo: %.3f s: %s (d1=%u d2=%u k=%u lock=%u; car: %u A of %u V, SoC %u %%, at the inlet %.0f V)%s%s",
            now / 1000.0, cdm_state_name(ch->state), ch->out.d1, ch->out.d2, ch->in.k, ch->out.lock,
            ch->ev_status.request_a, ch->ev_status.target_v, cdm_charger_soc(ch), (double)ch->in.inlet_v,
            ch->stop != CDM_STOP_NONE ? ": stop: " : "", ch->stop != CDM_STOP_NONE ? cdm_stop_name(ch->stop) : "");
}

void live_bridge_step(live_bridge *b, uint32_t now)
{
    cdm_frame f[CCS_CAN_BATCH];
    size_t n;
    b->at = now;
    if (ccs_can_recv(&b->can, f, CCS_CAN_BATCH, &n) == 0)
        for (size_t i = 0; i < n; i++) cdm_bridge_rx(&b->br, &f[i], now);
    b->frames += (uint32_t)n;
    cdm_bridge_step(&b->br, b->pev, b->sup, now);
    if (b->hw) live_hw_wires(b->hw, now);   /* d1, d2, the lock out now (the last too); k and the voltage for the next */
    n = cdm_bridge_tx(&b->br, f);
    if (ccs_can_send(&b->can, f, n) && !b->send_failed++) LOG_W("chademo: %s: send failed", b->bus);
    if (b->br.ch.state != b->shown) log_step(b, now);
}

static void on_timer(ccs_loop *loop, void *ctx)
{
    live_bridge *b = ctx;
    uint32_t now = ccs_loop_now(loop);
    live_bridge_step(b, now);
    ccs_loop_timer_at(loop, &b->timer, now + STEP_MS, on_timer, b);
}

void live_bridge_start(live_bridge *b, ccs_loop *loop)
{
    b->loop = loop;
    ccs_loop_timer_at(loop, &b->timer, ccs_loop_now(loop), on_timer, b);
}

int live_bridge_ready(const live_bridge *b) { return b->br.ch.out.ready; }
void live_bridge_end(live_bridge *b) { b->br.ch.in.stop = 1; }
int live_bridge_done(const live_bridge *b) { return b->br.ch.state == CDM_DONE; }

const char *live_bridge_verdict(const live_bridge *b)
{
    static char text[96];
    const cdm_charger *ch = &b->br.ch;
    if (ch->state == CDM_DONE && ch->stop == CDM_STOP_CAR_STOP && !ch->flags && !ch->forced_open) return NULL;
    snprintf(text, sizeof text, "FAILED (CHAdeMO: %s%s%s)", ch->state == CDM_DONE ? cdm_stop_name(ch->stop) : "not ended",
             ch->flags ? ", fault flags sent" : "", ch->forced_open ? ", d2 off under load" : "");
    return text;
}

void live_bridge_close(live_bridge *b)
{
    if (b->loop) ccs_loop_timer_stop(b->loop, &b->timer);
    b->loop = NULL;
    ccs_can_close(&b->can);
}

void live_bridge_print(const live_bridge *b)
{
    const cdm_charger *ch = &b->br.ch;
    printf("  chademo     car SoC %u %%, %s, stop: %s, %u CAN frames received\n", cdm_charger_soc(ch),
           cdm_state_name(ch->state), cdm_stop_name(ch->stop), b->frames);
}

void live_bridge_print_early(const live_bridge *b)
{
    const char *v = live_bridge_verdict(b);
    live_bridge_print(b);
    if (v) printf("  result      %s\n", v);
}
