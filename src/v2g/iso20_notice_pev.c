/* ISO 15118-20, the car's side: the charger's notifications honoured (EVSENotification of the charge-loop
 * responses), Standby and schedule and service renegotiation started by the car or the charger, for the DC and AC
 * services. */
#include "iso20_ac_internal.h"

/* An evseNotificationType value (the same in every codec) as a sess_notice; MeteringConfirmation is
 * iso20_pev_take_receipt's. */
static uint8_t notice_of(int has, int n)
{
    if (!has) return SESS_NOTICE_NONE;
    switch (n) {
    case iso20_evseNotificationType_Terminate: return SESS_NOTICE_TERMINATE;
    case iso20_evseNotificationType_Pause: return SESS_NOTICE_PAUSE;
    case iso20_evseNotificationType_ExitStandby: return SESS_NOTICE_EXIT_STANDBY;
    case iso20_evseNotificationType_ScheduleRenegotiation: return SESS_NOTICE_RENEGOTIATE;
    case iso20_evseNotificationType_ServiceRenegotiation: return SESS_NOTICE_SERVICE_RENEGOTIATION;
    default: return SESS_NOTICE_NONE;
    }
}

/* The EVSEStatus of the charge-loop response just received (DC or AC codec). */
static void take_notice(sess_pev *p)
{
    const struct sess_iso20_doc *d = &p->docs->rx.iso20;
    const struct iso20_dc_DC_ChargeLoopResType *r = &d->dc.DC_ChargeLoopRes;
    if (d->payload_type == V2GTP_ISO20_DC) {
        p->notice = notice_of(r->has_EVSEStatus, r->EVSEStatus.EVSENotification);
        p->notice_delay_s = r->EVSEStatus.NotificationMaxDelay;
    }
#if CCS_PROTO_ISO20_AC
    const struct iso20_ac_AC_ChargeLoopResType *a = &d->ac.AC_ChargeLoopRes;
    if (d->payload_type == V2GTP_ISO20_AC) {
        p->notice = notice_of(a->has_EVSEStatus, a->EVSEStatus.EVSENotification);
        p->notice_delay_s = a->EVSEStatus.NotificationMaxDelay;
    }
#endif
    iso20_pev_take_receipt(p);
}

/* A service renegotiation: the charger asked for one, or the car wants one (its input, or once at the configured
 * SoC) where the charger supports it. */
static int service_wanted(const sess_pev *p)
{
    int at_soc = p->cfg.renegotiate_soc && !p->renegotiated && p->in.soc >= p->cfg.renegotiate_soc;
    return p->notice == SESS_NOTICE_SERVICE_RENEGOTIATION || ((p->in.service_request || at_soc) && p->service_reneg_ok);
}

/* Where the charge loop (or the Standby loop, or a metering confirmation) goes next: the metering confirmation
 * the charger asked for first; PowerDelivery Stop when the session stops (full, the
 * user, a Terminate or Pause of the charger's, a fault) or renegotiates its services; out of Standby on ExitStandby
 * or when the car no longer wants it; into renegotiation or Standby on the car's wish or (renegotiation) the
 * charger's. */
static uint8_t leave(const sess_pev *p)
{
    if (p->receipt_due && p->state == ISO20_PEV_CHARGE_LOOP) return ISO20_PEV_METERING;
    if (p->stop != SESS_STOP_NONE || sess_pev_stopping(p) || p->renegotiating) return ISO20_PEV_POWER_STOP;
    if (p->state == ISO20_PEV_STANDBY)
        return p->notice == SESS_NOTICE_EXIT_STANDBY || !p->in.standby_request ? ISO20_PEV_POWER_START
                                                                                : ISO20_PEV_STANDBY;
    if (p->in.renegotiate_request || p->notice == SESS_NOTICE_RENEGOTIATE) return ISO20_PEV_POWER_RENEGOTIATE;
    if (p->in.standby_request) return ISO20_PEV_POWER_STANDBY;
    return ISO20_PEV_CHARGE_LOOP;
}

uint8_t iso20_pev_next(const sess_pev *p, const sess_pev_row *row)
{
#if CCS_PNC && CCS_PROTO_ISO20
    if (row->state == ISO20_PEV_AUTH_SETUP && p->cert_op) return ISO20_PEV_CERT_INSTALL;   /* a contract first */
#endif
    if (row->state == ISO20_PEV_CHARGE_LOOP || row->state == ISO20_PEV_STANDBY || row->state == ISO20_PEV_METERING)
        return leave(p);
    if (row->next == ISO20_PEV_SESSION_STOP && p->renegotiating) return ISO20_PEV_SERVICE_RENEGOTIATE;
    return iso20_vas_next(p, row->next);   /* a value-added service's ServiceDetail before ServiceSelection */
}

/* After the model's loop step (h): the charger's notification honoured at once, with the next request, well within
 * its NotificationMaxDelay. Terminate the model has taken already (a stop request); Pause stops the same way, the
 * session then paused (SessionStop Pause), and so does a service renegotiation (the charger's or ours: SessionStop
 * ServiceRenegotiation); ExitStandby ends our Standby wish. */
static int honour(sess_pev *p, int h)
{
    take_notice(p);
    if (h != SESS_H_STAY) return h;
    if (p->state == ISO20_PEV_CHARGE_LOOP && service_wanted(p)) p->renegotiating = 1;
    if (p->notice == SESS_NOTICE_PAUSE || p->renegotiating) {
        if (!p->renegotiating) p->stop = SESS_STOP_PAUSED;
        if (p->cfg.ac) p->out.stop_requested = 1;   /* the on-board charger stops drawing, as for any stop */
        return SESS_H_NEXT;
    }
    if (p->state == ISO20_PEV_STANDBY && p->notice == SESS_NOTICE_EXIT_STANDBY) p->in.standby_request = 0;
    return leave(p) == p->state ? SESS_H_STAY : SESS_H_NEXT;
}

int iso20_pev_on_dc_loop(sess_pev *p, uint32_t now) { return honour(p, sess_dc_pev_on_current_demand(p, now)); }

int iso20_pev_on_ac_loop(sess_pev *p, uint32_t now) { return honour(p, sess_ac_pev_on_charge_loop(p, now)); }

/* The charge loop in Standby: no current, no power, no energy asked (the mapper's stopping request). */
int iso20_pev_build_standby(sess_pev *p, uint32_t now)
{
    sess_dc m = { .soc = -1, .stop = 1, .target_v = p->cfg.max_v, .now = now };
    m.target_a = sess_pev_ask_a(p, 1);
    p->proto->pev_dc_out(p, &m);
    return SESS_H_NEXT;
}

/* PowerDeliveryReq with ChargeProgress Standby or ScheduleRenegotiation (its EVPowerProfile is optional: the new
 * one goes with PowerDelivery Start after ScheduleExchange). */
int iso20_pev_build_power_progress(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso20_PowerDeliveryReqType *q = &ISO20_COMMON(&p->docs->tx)->PowerDeliveryReq;
    q->EVProcessing = iso20_processingType_Finished;
    if (p->state == ISO20_PEV_POWER_STANDBY) {
        q->ChargeProgress = iso20_chargeProgressType_Standby;
    } else {
        q->ChargeProgress = iso20_chargeProgressType_ScheduleRenegotiation;
        p->in.renegotiate_request = 0;
    }
    return SESS_H_NEXT;
}

/* SessionStop ServiceRenegotiation accepted: the car's model back to where it was before ServiceDiscovery (no stop,
 * the contactors open since PowerDelivery Stop (DC: closed again after PreCharge), CP state B until CableCheck or
 * PowerDelivery Start, the loop's checks and the charger's notification forgotten); its wish done. Refused: the
 * safe state. */
int iso20_pev_on_service_renegotiation(sess_pev *p, uint32_t now)
{
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    p->renegotiating = p->in.service_request = 0;
    p->renegotiated = 1;
    p->notice = SESS_NOTICE_NONE;
    p->out.stop_requested = p->out.cp_state_c = 0;
    p->over = p->idle = p->receipt_due = 0;
    p->target_a = 0.0f;
    return SESS_H_NEXT;
}
