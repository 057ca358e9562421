/* ISO 15118-20 car side, session part: SessionSetup (resuming a paused session), AuthorizationSetup and
 * Authorization (EIM), ServiceDiscovery/Detail/Selection (the DC or AC service, the configured control mode
 * preferred; value-added services: iso20_vas.c), ScheduleExchange, PowerDelivery, SessionStop, and the check every
 * response goes through. */
#include <string.h>

#include "iso20_internal.h"

static struct iso20_exiDocument *req(sess_pev *p) { return ISO20_COMMON(&p->docs->tx); }
static struct iso20_exiDocument *res(sess_pev *p) { return ISO20_COMMON(&p->docs->rx); }

/* FAILED and WARNING codes are failures (SESS_RC_FAILED), two of them have their own class. */
int iso20_code_class(int code)
{
    return code == iso20_responseCodeType_FAILED_SequenceError         ? SESS_RC_SEQUENCE
           : code == iso20_responseCodeType_FAILED_UnknownSession     ? SESS_RC_UNKNOWN_SESSION
           : code > iso20_responseCodeType_OK_PowerToleranceConfirmed ? SESS_RC_FAILED
                                                                      : SESS_RC_OK;
}

/* FAILED and WARNING codes end the session in the safe state. */
int iso20_pev_check(sess_pev *p, int code)
{
    sess_dc m = { .soc = -1, .code = (uint8_t)iso20_code_class(code) };
    return sess_pev_dc_check(p, &m, 0);
}

/* Our maximum power: DC's limit, or AC what the on-board charger takes at the charger's nominal voltage (from
 * ServiceDetail, in evse_max_v). */
float iso20_pev_max_w(const sess_pev *p)
{
    if (!p->cfg.ac) return p->cfg.max_w;
    return (p->evse_max_v > 0.0f ? p->evse_max_v : ISO20_AC_ASSUMED_V) * p->cfg.ac_max_a * (float)p->cfg.ac_phases;
}

/* DepartureTime and the profile's length: the configured departure (cfg.departure_s), else the seconds to deliver
 * what the battery still needs at our maximum power. */
uint32_t iso20_pev_time_to_full_s(const sess_pev *p)
{
    if (p->cfg.departure_s) return p->cfg.departure_s;
    return (uint32_t)(p->in.energy_request_wh * 3600.0f / iso20_pev_max_w(p));
}

/* EVCCID: the car's MAC in hex. SessionID all zero, or the paused session's to resume it; no service renegotiation
 * under way or done. */
int iso20_pev_build_session_setup(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso20_SessionSetupReqType *q = &req(p)->SessionSetupReq;
    q->Header.SessionID.len = p->resume_id_len ? p->resume_id_len : 8;
    memcpy(q->Header.SessionID.bytes, p->resume_id, p->resume_id_len);
    static const char hex[] = "0123456789ABCDEF";
    for (int i = 0; i < 6; i++) {   /* two upper-case hex digits a byte, no terminator (EVCCID has a length) */
        q->EVCCID.chars[2 * i] = hex[p->cfg.mac[i] >> 4];
        q->EVCCID.chars[2 * i + 1] = hex[p->cfg.mac[i] & 15];
    }
    q->EVCCID.len = 12;
    p->resume_id_len = 0;
    p->renegotiating = p->renegotiated = p->service_reneg_ok = 0;   /* a new (or resumed) session */
    return SESS_H_NEXT;
}

int iso20_pev_build_auth(sess_pev *p, uint32_t now)
{
    (void)now;
#if CCS_PNC && CCS_PROTO_ISO20
    if (p->pnc) return iso20_pev_pnc_build_auth(p);
#endif
    req(p)->AuthorizationReq.SelectedAuthorizationService = iso20_authorizationType_EIM;
    req(p)->AuthorizationReq.choice = iso20_AuthorizationReqType_EIM_AReqAuthorizationMode;
    return SESS_H_NEXT;
}

int iso20_pev_build_service_detail(sess_pev *p, uint32_t now)
{
    (void)now;
    req(p)->ServiceDetailReq.ServiceID = ISO20_SERVICE(p->proto, p->bpt);
    return SESS_H_NEXT;
}

int iso20_pev_build_service_selection(sess_pev *p, uint32_t now)
{
    (void)now;
    req(p)->ServiceSelectionReq.SelectedEnergyTransferService.ServiceID = ISO20_SERVICE(p->proto, p->bpt);
    req(p)->ServiceSelectionReq.SelectedEnergyTransferService.ParameterSetID = p->param_set_id;
    iso20_vas_selection(p, &req(p)->ServiceSelectionReq);
    return SESS_H_NEXT;
}

int iso20_pev_build_schedule(sess_pev *p, uint32_t now)
{
    (void)now;
    struct iso20_ScheduleExchangeReqType *q = &req(p)->ScheduleExchangeReq;
    q->MaximumSupportingPoints = 1024;   /* the schema's maximum */
    if (p->dynamic) {
        struct iso20_Dynamic_SEReqControlModeType *d = &q->Dynamic_SEReqControlMode;
        q->choice = iso20_ScheduleExchangeReqType_Dynamic_SEReqControlMode;
        d->DepartureTime = iso20_pev_time_to_full_s(p);
        d->has_TargetSOC = true;
        d->TargetSOC = p->cfg.full_soc;
        iso20_rn_set(&d->EVTargetEnergyRequest, p->in.energy_request_wh);
        iso20_rn_set(&d->EVMaximumEnergyRequest, p->in.energy_request_wh);
        iso20_rn_set(&d->EVMinimumEnergyRequest, 0.0f);
        return SESS_H_NEXT;
    }
    struct iso20_Scheduled_SEReqControlModeType *c = &q->Scheduled_SEReqControlMode;
    q->choice = iso20_ScheduleExchangeReqType_Scheduled_SEReqControlMode;
    c->has_DepartureTime = c->has_EVTargetEnergyRequest = c->has_EVMaximumEnergyRequest = true;
    c->DepartureTime = iso20_pev_time_to_full_s(p);
    iso20_rn_set(&c->EVTargetEnergyRequest, p->in.energy_request_wh);
    iso20_rn_set(&c->EVMaximumEnergyRequest, p->in.energy_request_wh);
    return SESS_H_NEXT;
}

int iso20_pev_build_session_stop(sess_pev *p, uint32_t now)
{
    (void)now;
    enum iso20_chargingSessionType how = p->stop == SESS_STOP_PAUSED ? iso20_chargingSessionType_Pause
                                                                       : iso20_chargingSessionType_Terminate;
    req(p)->SessionStopReq.ChargingSession = p->renegotiating ? iso20_chargingSessionType_ServiceRenegotiation : how;
    return SESS_H_NEXT;
}

/* Responses with nothing to look at but the code. */
int iso20_pev_on_simple(sess_pev *p, uint32_t now)
{
    (void)now;
    return iso20_pev_check(p, iso20_get_code(&p->docs->rx));
}

/* Plug & Charge where the charger offers it and we have a contract for it (iso20_pnc_pev.c), else external
 * identification must be on offer. */
int iso20_pev_on_auth_setup(sess_pev *p, uint32_t now)
{
    const struct iso20_AuthorizationSetupResType *r = &res(p)->AuthorizationSetupRes;
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
#if CCS_PNC && CCS_PROTO_ISO20
    if (iso20_pev_pnc_choose(p, r, now)) return SESS_H_NEXT;
#endif
    for (uint16_t i = 0; i < r->AuthorizationServices.count; i++)
        if (r->AuthorizationServices.array[i] == iso20_authorizationType_EIM) return SESS_H_NEXT;
    sess_pev_safe(p, SESS_STOP_NO_OFFER);
    return SESS_H_FAIL;
}

/* Authorization loops while the charger says Ongoing (bounded by V2G_EVCC_Ongoing_Timeout). */
int iso20_pev_on_auth(sess_pev *p, uint32_t now)
{
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    return res(p)->AuthorizationRes.EVSEProcessing == iso20_processingType_Finished ? SESS_H_NEXT : SESS_H_STAY;
}

/* The energy service of our protocol (DC, AC; its BPT service when we discharge and it is offered) must be on
 * offer. */
int iso20_pev_on_service_discovery(sess_pev *p, uint32_t now)
{
    const struct iso20_ServiceListType *l = &res(p)->ServiceDiscoveryRes.EnergyTransferServiceList;
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    p->service_reneg_ok = res(p)->ServiceDiscoveryRes.ServiceRenegotiationSupported;
    iso20_bpt_choose(p, l);
    iso20_vas_choose(p, &res(p)->ServiceDiscoveryRes);
    for (uint16_t i = 0; i < l->Service.count; i++)
        if (l->Service.array[i].ServiceID == ISO20_SERVICE(p->proto, p->bpt)) return SESS_H_NEXT;
    sess_pev_safe(p, SESS_STOP_NO_OFFER);
    return SESS_H_FAIL;
}

/* Ongoing: ask again; Finished: in Scheduled mode, the first schedule tuple and its first power. */
int iso20_pev_on_schedule(sess_pev *p, uint32_t now)
{
    const struct iso20_ScheduleExchangeResType *r = &res(p)->ScheduleExchangeRes;
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    if (r->EVSEProcessing != iso20_processingType_Finished) return SESS_H_STAY;
    if (p->dynamic) return SESS_H_NEXT;
    const struct iso20_Scheduled_SEResControlModeType *c = &r->Scheduled_SEResControlMode;
    if (r->choice != iso20_ScheduleExchangeResType_Scheduled_SEResControlMode || !c->ScheduleTuple.count ||
        !c->ScheduleTuple.array[0].ChargingSchedule.PowerSchedule.PowerScheduleEntries.PowerScheduleEntry.count) {
        sess_pev_safe(p, SESS_STOP_NO_OFFER);
        return SESS_H_FAIL;
    }
    p->sa_tuple_id = (uint8_t)c->ScheduleTuple.array[0].ScheduleTupleID;
    p->pmax_w = iso20_rn_get(
        &c->ScheduleTuple.array[0].ChargingSchedule.PowerSchedule.PowerScheduleEntries.PowerScheduleEntry.array[0].Power);
    return SESS_H_NEXT;
}

int iso20_pev_on_session_stop(sess_pev *p, uint32_t now)
{
    if (iso20_pev_on_simple(p, now) == SESS_H_FAIL) return SESS_H_FAIL;
    sess_pev_keep_paused(p);
    return SESS_H_END;
}
