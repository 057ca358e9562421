/* The CCS->CHAdeMO adapter's bridge (sans-I/O): the CHAdeMO car, through the charger's sequence, is the battery
 * of the adapter's CCS car session (a hardware backend), and the CCS session is the charger's supply: its
 * charger's present values go back in 0x109, its limits in 0x108, its end or fault stops the CHAdeMO side. */
#include <string.h>

#include "ccsplc/core/chademo.h"

void cdm_bridge_init(cdm_bridge *b, const cdm_charger_config *cfg)
{
    memset(b, 0, sizeof *b);
    cdm_charger_init(&b->ch, cfg);
}

int cdm_bridge_faulted(const cdm_bridge *b)
{
    switch (b->ch.stop) {
    case CDM_STOP_NONE: case CDM_STOP_NORMAL: case CDM_STOP_CAR_STOP: case CDM_STOP_SUPPLY: case CDM_STOP_LOCAL:
        return 0;
    default: return 1;
    }
}

/* The backend measures; what it would switch (d1, d2, the lock) is the charger's own output. */
static void apply(void *ctx, const hw_cmd *cmd, uint32_t now_ms)
{
    (void)ctx;
    (void)cmd;
    (void)now_ms;
}

/* The CHAdeMO car as the CCS session's battery: its voltage at the connector, its current request (0 unless
 * charging), its SoC; done once the charger stops for the car's request; a fault as the link lost (the
 * supervisor then takes the current to 0 at once and opens the contactors below 5 A). */
static void sense(void *ctx, hw_meas *m, uint32_t now_ms)
{
    (void)now_ms;
    const cdm_bridge *b = ctx;
    const cdm_charger *c = &b->ch;
    uint8_t soc = cdm_charger_soc(c);
    m->link_ok = !cdm_bridge_faulted(b);
    m->has_battery = 1;
    m->battery_v = c->in.inlet_v;
    m->request_a = c->out.target_a;
    m->soc = soc;
    m->charge_complete = c->state >= CDM_STOPPING;
    m->energy_request_wh = c->ev_time.capacity_100wh * 100.0f * (float)(100u - soc) / 100.0f;
}

void cdm_bridge_backend(cdm_bridge *b, hw_backend *out)
{
    *out = (hw_backend){ "CHAdeMO car", b, apply, sense };
}

void cdm_bridge_step(cdm_bridge *b, sess_pev *p, const hw_sup *sup, uint32_t now_ms)
{
    cdm_charger_input *in = &b->ch.in;
    b->pev = p;
    if (p) {
        in->present_a = p->in.present_a;
        in->present_v = p->out.contactors_closed ? p->evse_v : 0.0f;
        in->avail_v = p->evse_max_v;
        in->avail_a = p->evse_max_a;
        in->supply_fault = p->out.safe || p->phase == SESS_SAFE || (sup && (sup->faults & ~HW_FAULT_LINK_LOST));
        in->supply_done = p->phase == SESS_DONE;
        if (b->ch.ev_status.target_v) p->cfg.max_v = b->ch.ev_status.target_v;   /* EVTargetVoltage, EVMaximumVoltageLimit */
    }
    in->k = b->hw && b->hw->has_cdm_k ? b->hw->cdm_k : b->sim_k;
    in->inlet_v = b->hw && b->hw->has_cdm_v ? b->hw->cdm_v : b->sim_v;
    in->insulation = b->hw ? b->hw->isolation : HW_ISO_UNKNOWN;
    cdm_charger_step(&b->ch, now_ms);
}

int cdm_bridge_rx(cdm_bridge *b, const cdm_frame *f, uint32_t now_ms)
{
    cdm_charger *c = &b->ch;
    if (f->id == CDM_ID_SIM_EV_WIRES) return cdm_decode_sim_ev(f, &b->sim_k, &b->sim_v);
    return cdm_charger_rx(c, f, now_ms);
}

unsigned cdm_bridge_tx(const cdm_bridge *b, cdm_frame out[CDM_BRIDGE_TX])
{
    const cdm_charger *c = &b->ch;
    unsigned n = 0;
    for (; n < c->ntx; n++) out[n] = c->tx[n];
    if (c->state != CDM_IDLE && !b->wired_outputs) cdm_encode_sim_evse(c->out.d1, c->out.d2, &out[n++]);
    return n;
}

void cdm_bridge_want(const cdm_bridge *b, hw_cmd *cmd)
{
    cmd->cdm_d1 = b->ch.out.d1;
    cmd->cdm_d2 = b->ch.out.d2;
    cmd->cdm_lock = b->ch.out.lock;
}
