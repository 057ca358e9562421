/* The reliability invariant checker, protocol-generic (fault injection, hostile peers, soak, fuzz_sess): after
 * every call into a session engine, what it sends is one valid V2GTP/EXI message and its commands are within
 * limits (DC: its voltage and current; AC: the mains voltage, a current limit per phase within its own and the
 * car's, no DC isolation check); an error leaves it in its safe state; across a run, nothing opens under load
 * and the charger is safe (no current, contactors open, AC mains off) within a bound after a fault. Checks
 * return NULL or what is violated. */
#ifndef CCSPLC_TEST_REL_CHECK_H
#define CCSPLC_TEST_REL_CHECK_H
#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/sim/plant.h"
#include "ccsplc/core/sess.h"
#include "ccsplc/core/v2gtp.h"
#include "v2g/sess_internal.h"

/* The protocols every reliability test runs for (sess_proto_find names; "iso2-ac", "iso20-ac": the car charges AC
 * from the charger's AC supply, sess_proto_ac; "iso20-dc": ISO 15118-20 DC, its messages of V2GTP payload types
 * 0x8002 and 0x8004; "iso20-ac": 0x8002 and 0x8003; "iso20-dc-bpt", "iso20-ac-bpt": their bidirectional services,
 * sess_proto_bpt). */
static const char *const rel_protos[] = { "din", "iso2-dc", "iso2-ac", "iso20-dc", "iso20-ac", "iso20-dc-bpt",
                                          "iso20-ac-bpt" };
#define REL_NPROTOS (sizeof rel_protos / sizeof rel_protos[0])

/* tx[0..len) is one V2GTP message that decodes by its payload type: SupportedAppProtocol (0x8001), or with
 * proto's codec for that type (0x8001 for DIN and ISO-2; ISO-20: 0x8002 common, 0x8004 DC, 0x8003 AC). */
static inline const char *rel_msg_valid(const sess_proto *proto, const uint8_t *tx, size_t len, sess_docs *scratch)
{
    v2gtp_msg m;
    if (v2gtp_parse(tx, len, SESS_TX_CAP, &m) != 0) return "sent a bad V2GTP frame";
    if (m.payload_type == V2GTP_EXI && app_decode(m.payload, m.payload_len, &scratch->rx.app) == 0) return NULL;
    if (proto && sess_decode(proto, m.payload_type, m.payload, m.payload_len, &scratch->rx, NULL) == 0) return NULL;
    return "sent EXI that does not decode by its payload type";
}

/* The most current the charger may command or let flow: DC its own limit; AC (the car chose it in
 * ChargeParameterDiscovery) its limit per phase, or the car's EVMaxCurrent when that is lower. */
static inline float rel_limit_a(const sess_evse *e)
{
    if (!e->ac) return e->cfg.max_a;
    return e->ev_max_a > 0.0f && e->ev_max_a < e->cfg.ac_max_a ? e->ev_max_a : e->cfg.ac_max_a;
}

/* The most current the charger may sink from a discharging car: none outside BPT; DC_BPT its discharge limit, AC_BPT
 * its limit per phase. */
static inline float rel_discharge_limit_a(const sess_evse *e)
{
    return !e->bpt ? 0.0f : e->ac ? e->cfg.ac_max_a : e->cfg.discharge_max_a;
}

/* The charger's commands on their own: safe means off, open and no current; never beyond its limits. AC has no
 * DC targets: the voltage is the mains' (or none) and the isolation monitor (CableCheck) never runs. */
static inline const char *rel_evse_out_ok(const sess_evse *e)
{
    const sess_evse_output *o = &e->out;
    if (o->safe && (o->output_on || o->contactors_closed || o->target_a != 0.0f)) return "charger safe but not off";
    if (e->phase == SESS_SAFE && !o->safe) return "charger SAFE phase without the safe outputs";
    if (o->target_a > rel_limit_a(e) || o->target_v > e->cfg.max_v) return "charger commands beyond its limits";
    if (o->target_a < -rel_discharge_limit_a(e) || o->target_v < 0.0f) return "charger commands a negative target";
    if (e->ac && o->target_v != 0.0f && o->target_v != e->cfg.ac_nominal_v)
        return "AC charger commands a voltage other than the mains'";
    if (e->ac && o->isolation_check) return "AC charger runs the DC isolation check";
    return NULL;
}

/* After sess_evse_on_message (rc) or sess_evse_tick (rc 0). An error leaves the charger safe and closing: in SAFE,
 * or still DONE when a message came after a session that had already ended normally (CCS_ESTATE). */
static inline const char *rel_evse_ok(const sess_evse *e, int rc, sess_docs *scratch)
{
    int ended = e->phase == SESS_SAFE || (e->phase == SESS_DONE && rc == CCS_ESTATE);
    if (rc < 0 && (!ended || !e->close || !e->out.safe)) return "charger error without its safe state";
    if (e->tx_len && rel_msg_valid(e->proto, e->tx, e->tx_len, scratch)) return "charger answered invalidly";
    return rel_evse_out_ok(e);
}

/* The car: SAFE means stop requested, CP state B and the safe flag; what it sends is valid. */
static inline const char *rel_pev_ok(const sess_pev *p, int rc, sess_docs *scratch)
{
    const sess_pev_output *o = &p->out;
    if (rc < 0 && p->phase != SESS_SAFE && p->phase != SESS_DONE) return "car error without ending";
    if (p->phase == SESS_SAFE && (!o->safe || !o->stop_requested || o->cp_state_c)) return "car SAFE but not stopped";
    if (p->tx_len && rel_msg_valid(p->proto, p->tx, p->tx_len, scratch)) return "car sent an invalid request";
    return NULL;
}

/* Nothing opened with current flowing (the plant counts openings above PLANT_MAX_BREAK_A). */
static inline const char *rel_plant_ok(const phys_plant *pl)
{
    if (pl->pev_contactor.opened_under_load) return "car opened its contactors under load";
    if (pl->evse_contactor.opened_under_load) return "charger opened its contactors under load";
    return NULL;
}

/* No current, the charger's contactors open and, from an AC supply, the mains switched off. */
static inline int rel_charger_safe(const phys_plant *pl)
{
    int mains_off = !pl->charger.cfg.ac_phases || pl->charger.v == 0.0f;
    return pl->charger.i == 0.0f && !pl->evse_contactor.closed && mains_off;
}

/* Watches a run step by step: the first violation (and when), and when the charger was safe after a fault. */
typedef struct {
    uint8_t fault_set;       /* a fault was injected at fault_at */
    uint32_t fault_at;
    uint8_t safe_seen;       /* the charger was safe at safe_at, at or after the fault */
    uint32_t safe_at;
    const char *violation;
    uint32_t violation_at;
} rel_monitor;

static inline void rel_monitor_fault(rel_monitor *m, uint32_t now)
{
    if (m->fault_set) return;
    m->fault_set = 1;
    m->fault_at = now;
}

static inline void rel_monitor_flag(rel_monitor *m, const char *what, uint32_t now)
{
    if (what && !m->violation) {
        m->violation = what;
        m->violation_at = now;
    }
}

/* Once per time step, after the plant step. */
static inline void rel_monitor_step(rel_monitor *m, uint32_t now, const sess_evse *e, const phys_plant *pl)
{
    rel_monitor_flag(m, rel_evse_out_ok(e), now);
    rel_monitor_flag(m, rel_plant_ok(pl), now);
    if (pl->charger.i > rel_limit_a(e) + 0.5f) rel_monitor_flag(m, "charger current above its limit", now);
    if (m->fault_set && !m->safe_seen && (int32_t)(now - m->fault_at) >= 0 && rel_charger_safe(pl) &&
        (e->phase == SESS_SAFE || e->phase == SESS_DONE)) {
        m->safe_seen = 1;
        m->safe_at = now;
    }
}

/* The verdict at the end of a run: no violation, and a fault was followed by the charger's safe state within
 * bound_ms. */
static inline const char *rel_monitor_verdict(const rel_monitor *m, uint32_t bound_ms)
{
    if (m->violation) return m->violation;
    if (m->fault_set && !m->safe_seen) return "charger never reached its safe state after the fault";
    if (m->fault_set && m->safe_at - m->fault_at > bound_ms) return "charger safe too late after the fault";
    return NULL;
}

#endif
