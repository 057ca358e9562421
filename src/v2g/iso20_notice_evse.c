/* ISO 15118-20, the charger's side of its notifications (EVSEStatus: EVSENotification with NotificationMaxDelay),
 * of the car's Standby and of schedule and service renegotiation started by either side, for the DC and AC
 * services. */
#include "iso20_internal.h"

/* What the charge loop's response asks of the car (EVSEStatusType of ISO 15118-20's schemas): Terminate for a stop
 * request of ours (our status or in.notice), Pause, ExitStandby while the car is in Standby, ScheduleRenegotiation
 * and (where we support it) ServiceRenegotiation while it charges. */
int iso20_evse_notice(const sess_evse *s)
{
    uint8_t n = s->in.notice;
    int charging = s->state == ISO20_EVSE_CHARGE || s->state == ISO20_EVSE_CHARGE_START;
    if (s->in.status != SESS_EVSE_OK || n == SESS_NOTICE_TERMINATE) return iso20_evseNotificationType_Terminate;
    if (n == SESS_NOTICE_PAUSE) return iso20_evseNotificationType_Pause;
    if (n == SESS_NOTICE_EXIT_STANDBY && (s->state == ISO20_EVSE_STANDBY || s->state == ISO20_EVSE_STANDBY_START))
        return iso20_evseNotificationType_ExitStandby;
    if (n == SESS_NOTICE_RENEGOTIATE && charging) return iso20_evseNotificationType_ScheduleRenegotiation;
    if (n == SESS_NOTICE_SERVICE_RENEGOTIATION && charging && s->cfg.service_renegotiation)
        return iso20_evseNotificationType_ServiceRenegotiation;
    return -1;
}

/* NotificationMaxDelay (EVSEStatusType): the car reacts to a notification within that many seconds. Counted from
 * the first charge-loop response that carried it (afresh at each first loop request after PowerDelivery); a car
 * still looping after it: FAILED, safe, the timer named. */
static int within_delay(sess_evse *s, uint32_t now, int h)
{
    if (s->state == ISO20_EVSE_CHARGE_START || s->state == ISO20_EVSE_STANDBY_START) s->notice_sent = 0;
    int n = iso20_evse_loop_notice(s, sess_evse_receipt_due(s, now));
    if (h == SESS_H_FAIL) return h;
    if (n < 0) {
        s->notice_sent = 0;
        return h;
    }
    if (s->notice_sent != n + 1) {
        s->notice_sent = (uint8_t)(n + 1);
        s->notice_at_ms = now;
        return h;
    }
    if (now - s->notice_at_ms < (uint32_t)s->cfg.notice_delay_s * 1000u) return h;
    s->timer = "NotificationMaxDelay";
    if (s->stop == SESS_STOP_NONE) s->stop = SESS_STOP_TIMEOUT;
    s->proto->set_code(&s->docs->tx, SESS_RC_FAILED);
    return SESS_H_FAIL;
}

int iso20_evse_dc_loop(sess_evse *s, uint32_t now) { return within_delay(s, now, sess_dc_evse_current_demand(s, now)); }

int iso20_evse_ac_loop(sess_evse *s, uint32_t now) { return within_delay(s, now, sess_ac_evse_charge_loop(s, now)); }

/* The PowerDeliveryRes of Standby and renegotiation: our faults, a Terminate of ours in its EVSEStatus. */
static int power_delivery_res(sess_evse *s)
{
    sess_dc m = { .soc = -1 };
    int h = iso20_evse_fault(s);
    s->proto->evse_dc_out(s, &m);
    return h;
}

/* PowerDelivery Standby (chargeProgressType Standby): the energy transfer pauses, the session goes on: no current
 * (DC: the output stays on, the contactors closed, the car's loop asks for none; AC: no power signalled), the car
 * keeps up its charge loop until PowerDelivery Start or Stop. */
int iso20_evse_standby(sess_evse *s, uint32_t now)
{
    (void)now;
    s->out.target_a = 0.0f;
    return power_delivery_res(s);
}

/* PowerDelivery Start from Standby: the car left it (honouring our ExitStandby or on its own); the charge loop
 * again. */
int iso20_evse_exit_standby(sess_evse *s, uint32_t now)
{
    if (s->in.notice == SESS_NOTICE_EXIT_STANDBY) s->in.notice = SESS_NOTICE_NONE;
    return sess_dc_evse_power_start(s, now);
}

/* PowerDelivery ScheduleRenegotiation (the car's wish or honouring ours): ScheduleExchange next, then PowerDelivery
 * Start; no current until then (no charge-loop request regulates it). */
int iso20_evse_renegotiate(sess_evse *s, uint32_t now)
{
    (void)now;
    if (s->in.notice == SESS_NOTICE_RENEGOTIATE) s->in.notice = SESS_NOTICE_NONE;
    s->out.target_a = 0.0f;
    return power_delivery_res(s);
}

/* SessionStop ServiceRenegotiation after PowerDelivery Stop (the car's wish or honouring ours): where we support it
 * ([V2G20-1477] as Josev's SECC cites it) OK and back to ServiceDiscovery in the same session, the charge's
 * bookkeeping reset (the output is off since PowerDelivery Stop: DC goes through CableCheck and PreCharge again);
 * else FAILED_NoServiceRenegotiationSupported, safe. */
int iso20_evse_service_renegotiation(sess_evse *s, uint32_t now)
{
    (void)now;
    if (!s->cfg.service_renegotiation) {
        ISO20_COMMON(&s->docs->tx)->SessionStopRes.ResponseCode =
            iso20_responseCodeType_FAILED_NoServiceRenegotiationSupported;
        s->stop = SESS_STOP_FAILED;
        return SESS_H_FAIL;
    }
    if (s->in.notice == SESS_NOTICE_SERVICE_RENEGOTIATION) s->in.notice = SESS_NOTICE_NONE;
    sess_evse_dc_off(s);
    s->charging = s->notice_sent = s->bpt = s->vas_selected = s->control_mode = 0;
    s->ev_target_v = s->ev_target_a = 0.0f;
    return SESS_H_NEXT;
}
