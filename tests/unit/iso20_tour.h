/* ISO 15118-20 (DC or AC) on the session harness (sess_world.h): a session through every state of the
 * notifications, Standby and renegotiation (iso20_notice_*.c), for the tests that look at every message or state.
 * Header-only (static inline). */
#ifndef CCSPLC_TEST_ISO20_TOUR_H
#define CCSPLC_TEST_ISO20_TOUR_H
#include "sess_world.h"
#include "v2g/iso20_internal.h"

/* Steps until the charger is in `state` (at most limit_ms); 1 when it got there. */
static inline int iso20_tour_until(sw_world *w, uint8_t state, uint32_t limit_ms)
{
    for (uint32_t end = w->now + limit_ms; w->evse.state != state || w->evse.phase != SESS_RUNNING; sw_step(w))
        if ((int32_t)(w->now - end) > 0) return 0;
    return 1;
}

/* From the connection, with the Internet service offered and selected (its ServiceDetail, the SelectedVASList) and
 * a metering confirmation asked for every second of charging: the car renegotiates its schedule at its first
 * charge-loop response and then asks for Standby; the charger ends the Standby (ExitStandby), asks for a new
 * schedule itself (ScheduleRenegotiation), has its meter confirmed (MeteringConfirmation), asks for a service
 * renegotiation (ServiceRenegotiation: SessionStop ServiceRenegotiation, the services and the charge set up again,
 * the VAS selected again) and then pauses the session (Pause). PowerDeliveryReq: Start, ScheduleRenegotiation,
 * Start, Standby, Start, ScheduleRenegotiation, Start, Stop, Start, Stop. 1 when both ended, the charger
 * "paused". */
static inline int iso20_tour(sw_world *w)
{
    w->pev.in.renegotiate_request = w->pev.in.standby_request = 1;
    w->evse.cfg.vas = w->pev.cfg.vas = SESS_VAS_INTERNET;
    w->evse.cfg.receipt_interval_ms = 1000;
    sw_connect(w);
    if (!iso20_tour_until(w, ISO20_EVSE_STANDBY, 10 * 60 * 1000)) return 0;
    w->evse.in.notice = SESS_NOTICE_EXIT_STANDBY;
    if (!iso20_tour_until(w, ISO20_EVSE_CHARGE, 10 * 1000)) return 0;
    w->evse.in.notice = SESS_NOTICE_RENEGOTIATE;
    if (!iso20_tour_until(w, ISO20_EVSE_RESUME, 10 * 1000) || !iso20_tour_until(w, ISO20_EVSE_CHARGE, 10 * 1000))
        return 0;
    for (uint32_t at = w->evse.receipt_at_ms, end = w->now + 10 * 1000; w->evse.receipt_at_ms == at; sw_step(w))
        if ((int32_t)(w->now - end) > 0 || w->evse.state != ISO20_EVSE_CHARGE) return 0;   /* confirmed: the next due */
    if (w->evse.vas_selected != SESS_VAS_INTERNET) return 0;
    w->evse.in.notice = SESS_NOTICE_SERVICE_RENEGOTIATION;
    if (!iso20_tour_until(w, ISO20_EVSE_SERVICE_DISCOVERY, 60 * 1000) ||
        !iso20_tour_until(w, ISO20_EVSE_CHARGE, 60 * 1000))
        return 0;
    if (w->evse.vas_selected != SESS_VAS_INTERNET) return 0;
    w->evse.in.notice = SESS_NOTICE_PAUSE;
    return sw_run(w, w->now + 60 * 1000, sw_both_ended) && w->evse.stop == SESS_STOP_PAUSED;
}

#endif
