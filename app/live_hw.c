/* The hardware stack of `ccsplc pev` (-i, --sim) and `ccsplc evse -i`: open the car's board from the INI's pyPLC
 * keys, attach the plant and the board behind the supervisor, step it with the session, log what the hardware
 * does (info with a board, debug on the plant alone). */
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "live_hw.h"

#define LIVE_HW_STEP_MS 10u   /* the session's step (LIVE_STEP_MS) */

int live_hw_open(live_hw *h, const live_hw_options *o, int sim)
{
    char port[128];
    memset(h, 0, sizeof *h);
    h->board.fd = -1;
    if (live_ext_open(&h->ext, &o->ext)) return -1;
    if (o->digital == HW_BOARD_NONE) return 0;
    snprintf(port, sizeof port, "%s", o->port);
    if ((!*port || !strcmp(port, "auto")) && hw_serial_find_port(port, sizeof port)) {
        if (sim) {
            LOG_W("hw: digital_output_device = %s, serial_port = auto: no serial port found; --sim goes on with the "
                  "simulated hardware", hw_board_name(o->digital));
            return 0;
        }
        LOG_E("hw: digital_output_device = %s, serial_port = auto: no /dev/ttyUSB* or /dev/ttyACM* found; set "
              "serial_port, or digital_output_device = none for the simulated hardware", hw_board_name(o->digital));
        return -1;
    }
    if (o->analog != HW_BOARD_NONE && o->analog != o->digital)
        LOG_W("hw: analog_input_device = %s on another board than digital_output_device = %s: not read (one serial "
              "port)", hw_board_name(o->analog), hw_board_name(o->digital));
    if (hw_serial_open(&h->board, o->digital, o->analog == o->digital, port, o->baud ? o->baud : HW_SERIAL_BAUD))
        return -1;
    h->have_board = 1;
    return 0;
}

void live_hw_attach(live_hw *h, phys_plant *pl, sess_evse *evse, sess_pev *pev)
{
    hw_backend b;
    h->pev = pev;
    hw_stack_init(&h->st, pev ? HW_CAR : HW_CHARGER);
    phys_hw_init(&h->plant, pl, evse, pev, &b);
    hw_stack_add(&h->st, &b);
    if (h->have_board) {
        hw_serial_backend(&h->board, &b);
        hw_stack_add(&h->st, &b);
    }
    if (h->bridge) {
        cdm_bridge_backend(h->bridge, &b);
        hw_stack_add(&h->st, &b);
    }
    live_ext_attach(&h->ext, &h->st);
    hw_stack_sense(&h->st, 0);
}

static void log_events(live_hw *h, uint32_t now)
{
    double t = now / 1000.0;
    const hw_sup *s = &h->st.sup;
    enum ccs_log_level lv = live_hw_real(h) ? CCS_LOG_INFO : CCS_LOG_DEBUG;
    for (uint8_t i = 0; i < s->nev; i++) {
        const hw_event *e = &s->ev[i];
        switch (e->kind) {
        case HW_EV_FAULT:
            ccs_log(!s->faults ? lv : CCS_LOG_WARN,
                    "hw: %.3f s: fault: %s: current target 0 A, contactors open below %.0f A", t,
                    hw_fault_name(s->active), (double)s->cfg.break_a);
            break;
        case HW_EV_FORCED_OPEN:
            LOG_E("hw: %.3f s: contactors opened at %.1f A: the current did not fall below %.0f A within %u ms", t,
                  (double)e->present_a, (double)s->cfg.break_a, s->cfg.break_wait_ms);
            break;
        case HW_EV_CP: ccs_log(lv, "hw: %.3f s: CP state %c", t, e->value > 0 ? 'C' : 'B'); break;
        case HW_EV_PWM: ccs_log(lv, "hw: %.3f s: CP PWM %.0f %%", t, (double)e->value); break;
        case HW_EV_LOCK: ccs_log(lv, "hw: %.3f s: connector %s", t, e->value > 0 ? "locked" : "unlocked"); break;
        case HW_EV_HELD:
            if (h->held) break;
            if (s->cfg.role == HW_CHARGER)
                ccs_log(lv, "hw: %.3f s: contactors held open: CP %c, not C or D", t, hw_cp_letter(h->st.meas.cp));
            else
                ccs_log(lv, "hw: %.3f s: contactors held open: not in CP C, or the inlet not precharged", t);
            h->held = 1;
            break;
        case HW_EV_CONTACTORS:
            h->held = 0;
            ccs_log(lv, "hw: %.3f s: contactors %s at %.1f A", t, e->value > 0 ? "close" : "open", (double)e->present_a);
            break;
        case HW_EV_TARGET_A: ccs_log(lv, "hw: %.3f s: current target %.1f A", t, (double)e->value); break;
        default: break;
        }
    }
}

void live_hw_step(live_hw *h, uint32_t now, uint32_t dt)
{
    sess_pev *p = h->pev;
    hw_cmd want = hw_want_pev(p);
    if (h->bridge) cdm_bridge_want(h->bridge, &want);   /* the adapter's d1, d2 and CHAdeMO lock */
    h->stepped_at = now;
    h->stepped = 1;
    hw_stack_apply(&h->st, &want, p->out.safe ? HW_FAULT_SAFE : 0, now);
    log_events(h, now);
    phys_hw_step(&h->plant, dt);
    hw_stack_sense(&h->st, now);
    hw_sense_pev(&h->st.sup, &h->st.meas, p);
    live_ext_report_pev(&h->ext, p, now);
}

void live_hw_step_evse(live_hw *h, sess_evse *e, uint32_t now, uint32_t dt)
{
    hw_cmd want = hw_want_evse(e);
    h->plant.evse = e;
    hw_stack_apply(&h->st, &want, e->out.safe ? HW_FAULT_SAFE : 0, now);
    log_events(h, now);
    phys_hw_step(&h->plant, dt);
    hw_stack_sense(&h->st, now);
    hw_sense_evse(&h->st.sup, &h->st.meas, e);
    live_ext_report_evse(&h->ext, e, now);
}

void live_hw_wires_attach(live_hw *h)
{
    hw_stack_init(&h->st, HW_CAR);
    live_ext_attach(&h->ext, &h->st);
}

void live_hw_wires(live_hw *h, uint32_t now)
{
    if (!h->bridge || (h->stepped && now - h->stepped_at < 2 * LIVE_HW_STEP_MS)) return;   /* the session steps */
    hw_cmd want = h->st.sup.out;
    cdm_bridge_want(h->bridge, &want);
    hw_stack_apply(&h->st, &want, 0, now);
    hw_stack_sense(&h->st, now);
}

void live_hw_wires_own(live_hw *h, uint32_t now)
{
    h->stepped = 0;
    live_hw_wires(h, now);
}

void live_hw_close(live_hw *h)
{
    if (h->have_board) hw_serial_close(&h->board);
    h->have_board = 0;
    live_ext_close(&h->ext);
}

int live_hw_contactors_held(const live_hw *h)
{
    return h->st.meas.contactors == HW_FB_CLOSED && !(h->st.sup.faults & HW_FAULT_CONTACTOR);
}

int live_hw_at_rest(const live_hw *h)
{
    return (!h->st.sup.out.lock && !live_hw_contactors_held(h)) || (h->st.sup.faults & HW_FAULT_CONTACTOR);
}

int live_hw_real(const live_hw *h) { return h->have_board || h->bridge || live_ext_any(&h->ext); }

const char *live_hw_verdict(const live_hw *h)
{
    static char text[80];
    uint32_t f = h->st.sup.faults;
    if (!f && !h->st.sup.forced_open) return NULL;
    snprintf(text, sizeof text, "FAILED (hardware: %s%s)", f ? hw_fault_name(f) : "contactors opened under load",
             f && h->st.sup.forced_open ? ", contactors opened under load" : "");
    return text;
}
