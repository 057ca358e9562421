/* ISO 15118-20 charger handlers, session part: SessionSetup (new or resumed session), AuthorizationSetup and
 * Authorization (EIM only), ServiceDiscovery/Detail/Selection (the DC or AC service, Dynamic and Scheduled
 * parameter sets, AC three- and single-phase), ScheduleExchange, SessionStop, and the fields of an error response (the DC steps and PowerDelivery are
 * the session model's, iso20_map.c). */
#include <string.h>

#include "iso20_internal.h"

static struct iso20_exiDocument *req(sess_evse *s) { return ISO20_COMMON(&s->docs->rx); }
static struct iso20_exiDocument *res(sess_evse *s) { return ISO20_COMMON(&s->docs->tx); }

/* The charger's own faults end the session (FAILED, safe). */
int iso20_evse_fault(sess_evse *s)
{
    int h = sess_evse_fault(s);
    if (h == SESS_H_FAIL) iso20_set_code(&s->docs->tx, SESS_RC_FAILED);
    return h;
}

static void parameter_sets(const sess_evse *s, int bpt, struct iso20_ServiceParameterListType *l);

/* The control mode of an error DC_ChargeLoopRes: the session's (the selected parameter set), else the one the
 * request asked in. */
static int error_control_mode(const sess_evse *s)
{
    const struct sess_iso20_doc *q = (const struct sess_iso20_doc *)&s->docs->rx;
    if (s->control_mode) return s->control_mode;
    if (q->payload_type == V2GTP_ISO20_DC && q->dc.root == ISO20_DC_ROOT_DC_ChargeLoopReq &&
        q->dc.DC_ChargeLoopReq.CLReqControlMode_choice == iso20_dc_DC_ChargeLoopReqType_Scheduled_DC_CLReqControlMode)
        return ISO20_CONTROL_SCHEDULED;
    return ISO20_CONTROL_DYNAMIC;
}

/* An error response's mandatory fields: what the safe power stage shows now, the DC service on offer, a stop
 * request where a status goes. */
void iso20_evse_safe_fields(sess_evse *s, void *doc)
{
    struct sess_iso20_doc *d = doc;
    if (d->payload_type == V2GTP_ISO20_DC) {
        struct iso20_dc_exiDocument *x = &d->dc;
        switch (x->root) {
        case ISO20_DC_ROOT_DC_ChargeParameterDiscoveryRes:
            x->DC_ChargeParameterDiscoveryRes.DC_CPDResEnergyTransferMode_choice =
                iso20_dc_DC_ChargeParameterDiscoveryResType_DC_CPDResEnergyTransferMode;
            break;
        case ISO20_DC_ROOT_DC_PreChargeRes:
            iso20_dc_rn_set(&x->DC_PreChargeRes.EVSEPresentVoltage, s->in.present_v);
            break;
        case ISO20_DC_ROOT_DC_WeldingDetectionRes:
            iso20_dc_rn_set(&x->DC_WeldingDetectionRes.EVSEPresentVoltage, s->in.present_v);
            break;
        case ISO20_DC_ROOT_DC_ChargeLoopRes: {
            struct iso20_dc_DC_ChargeLoopResType *r = &x->DC_ChargeLoopRes;
            iso20_dc_rn_set(&r->EVSEPresentVoltage, s->in.present_v);
            iso20_dc_rn_set(&r->EVSEPresentCurrent, s->in.present_a);
            r->has_EVSEStatus = true;
            r->EVSEStatus.EVSENotification = iso20_dc_evseNotificationType_Terminate;
            if (!r->CLResControlMode_choice)
                r->CLResControlMode_choice = error_control_mode(s) == ISO20_CONTROL_SCHEDULED
                                                 ? iso20_dc_DC_ChargeLoopResType_Scheduled_DC_CLResControlMode
                                                 : iso20_dc_DC_ChargeLoopResType_Dynamic_DC_CLResControlMode;
            break;
        }
        default:
            break;
        }
        return;
    }
    struct iso20_exiDocument *x = &d->common;
    switch (x->root) {
    case ISO20_ROOT_AuthorizationSetupRes:
        x->AuthorizationSetupRes.AuthorizationServices.array[0] = iso20_authorizationType_EIM;
        x->AuthorizationSetupRes.AuthorizationServices.count = 1;
        x->AuthorizationSetupRes.choice = iso20_AuthorizationSetupResType_EIM_ASResAuthorizationMode;
        break;
    case ISO20_ROOT_ServiceDiscoveryRes:
        x->ServiceDiscoveryRes.EnergyTransferServiceList.Service.array[0].ServiceID = ISO20_SERVICE_OF(s->proto);
        x->ServiceDiscoveryRes.EnergyTransferServiceList.Service.count = 1;
        iso20_bpt_offer(s, &x->ServiceDiscoveryRes.EnergyTransferServiceList);
        break;
    case ISO20_ROOT_ServiceDetailRes:   /* the schema wants a parameter set: our service's */
        if (!x->ServiceDetailRes.ServiceParameterList.ParameterSet.count)
            parameter_sets(s, s->bpt, &x->ServiceDetailRes.ServiceParameterList);
        break;
    case ISO20_ROOT_PowerDeliveryRes:
        x->PowerDeliveryRes.has_EVSEStatus = true;
        x->PowerDeliveryRes.EVSEStatus.EVSENotification = iso20_evseNotificationType_Terminate;
        break;
    case ISO20_ROOT_CertificateInstallationRes: {   /* a refusal: the schema's mandatory members, zeros */
        struct iso20_SignedInstallationDataType *sd = &x->CertificateInstallationRes.SignedInstallationData;
        x->CertificateInstallationRes.EVSEProcessing = iso20_processingType_Finished;
        if (sd->choice) break;   /* filled already */
        sd->Id.len = 1;           /* an xs:ID is not empty */
        sd->Id.chars[0] = 'X';
        sd->ContractCertificateChain.SubCertificates.Certificate.count = 1;   /* SubCertificates: 1 or more */
        sd->DHPublicKey.len = ISO20_LEN_dhPublicKeyType;                      /* the schema's fixed lengths */
        sd->choice = iso20_SignedInstallationDataType_SECP521_EncryptedPrivateKey;
        sd->SECP521_EncryptedPrivateKey.len = ISO20_LEN_secp521_EncryptedPrivateKeyType;
        break;
    }
    default:
        break;
    }
}

/* A SessionID equal to the paused session's resumes it (OK_OldSessionJoined); anything else is a new one. */
int iso20_evse_session_setup(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct iso20_SessionSetupReqType *q = &req(s)->SessionSetupReq;
    struct iso20_SessionSetupResType *r = &res(s)->SessionSetupRes;
    s->evccid_len = (uint8_t)(q->EVCCID.len < sizeof s->evccid ? q->EVCCID.len : sizeof s->evccid);
    memcpy(s->evccid, q->EVCCID.chars, s->evccid_len);
    s->evccid_text = 1;
    r->ResponseCode = sess_evse_session_begin(s, q->Header.SessionID.bytes, q->Header.SessionID.len)
                          ? iso20_responseCodeType_OK_OldSessionJoined
                          : iso20_responseCodeType_OK_NewSessionEstablished;
    memcpy(r->Header.SessionID.bytes, s->session_id, s->session_id_len);
    r->Header.SessionID.len = s->session_id_len;
    memcpy(r->EVSEID.chars, s->cfg.evse_id, s->cfg.evse_id_len);
    r->EVSEID.len = s->cfg.evse_id_len;
    return SESS_H_NEXT;
}

/* External identification, and Plug & Charge where offered (iso20_pnc_evse.c), with certificate installation when
 * a CPS of ISO 15118-20's suite is configured (iso20_certinst_evse.c). */
int iso20_evse_auth_setup(sess_evse *s, uint32_t now)
{
    (void)now;
    iso20_evse_safe_fields(s, &s->docs->tx);   /* the same fields as an error answer */
    res(s)->AuthorizationSetupRes.CertificateInstallationService = false;
#if CCS_PNC && CCS_PROTO_ISO20
    res(s)->AuthorizationSetupRes.CertificateInstallationService = iso20_evse_certinst_offered(s);
    return iso20_evse_pnc_offer(s);
#else
    return SESS_H_NEXT;
#endif
}

/* EIM: "Ongoing" cfg.auth_ongoing times (waiting for the external identification), then Finished; PnC checked
 * where offered (iso20_pnc_evse.c), else refused. */
int iso20_evse_auth(sess_evse *s, uint32_t now)
{
    (void)now;   /* without Plug & Charge */
    const struct iso20_AuthorizationReqType *q = &req(s)->AuthorizationReq;
    struct iso20_AuthorizationResType *r = &res(s)->AuthorizationRes;
    r->EVSEProcessing = iso20_processingType_Finished;
#if CCS_PNC && CCS_PROTO_ISO20
    if (q->SelectedAuthorizationService == iso20_authorizationType_PnC) return iso20_evse_pnc_auth(s, now);
#endif
    if (q->SelectedAuthorizationService != iso20_authorizationType_EIM) {
        r->ResponseCode = iso20_responseCodeType_WARNING_AuthorizationSelectionInvalid;
        return SESS_H_FAIL;
    }
    if (sess_evse_ongoing(s, ISO20_EVSE_AUTH, s->cfg.auth_ongoing)) {
        r->EVSEProcessing = iso20_processingType_Ongoing;
        return SESS_H_STAY;
    }
    return SESS_H_NEXT;
}

int iso20_evse_service_discovery(sess_evse *s, uint32_t now)
{
    (void)now;
    iso20_evse_safe_fields(s, &s->docs->tx);   /* the DC service */
    res(s)->ServiceDiscoveryRes.ServiceRenegotiationSupported = s->cfg.service_renegotiation != 0;
    iso20_vas_offer(s, &res(s)->ServiceDiscoveryRes);
    return SESS_H_NEXT;
}

void iso20_param_int(struct iso20_ParameterSetType *set, const char *name, int32_t v)
{
    if (set->Parameter.count == sizeof set->Parameter.array / sizeof set->Parameter.array[0]) return;
    struct iso20_ParameterType *p = &set->Parameter.array[set->Parameter.count++];
    p->Name.len = (uint16_t)strlen(name);
    memcpy(p->Name.chars, name, p->Name.len);
    p->choice = iso20_ParameterType_intValue;
    p->intValue = v;
}

/* Parameter sets 1: Dynamic, 2: Scheduled control mode; AC: three-phase, then 3 and 4 the same single-phase. */
static int control_mode_of(const sess_evse *s, uint16_t set_id)
{
    uint16_t n = ISO20_IS_AC(s->proto) ? 4 : 2;
    if (set_id < ISO20_PARAMETER_SET_ID || set_id >= ISO20_PARAMETER_SET_ID + n) return -1;
    return (set_id - ISO20_PARAMETER_SET_ID) % 2 ? ISO20_CONTROL_SCHEDULED : ISO20_CONTROL_DYNAMIC;
}

static int phases_of(uint16_t set_id) { return set_id < ISO20_PARAMETER_SET_ID + 2 ? 3 : 1; }

/* The service's parameter sets (as many as the document holds): connector (AC: its phases, with our nominal
 * voltage), control mode, mobility needs, pricing; BPT's own parameters. */
static void parameter_sets(const sess_evse *s, int bpt, struct iso20_ServiceParameterListType *l)
{
    int ac = ISO20_IS_AC(s->proto);
    for (uint16_t id = ISO20_PARAMETER_SET_ID;
         control_mode_of(s, id) > 0 && l->ParameterSet.count < sizeof l->ParameterSet.array / sizeof l->ParameterSet.array[0];
         id++) {
        struct iso20_ParameterSetType *set = &l->ParameterSet.array[l->ParameterSet.count++];
        set->ParameterSetID = id;
        iso20_param_int(set, "Connector", !ac ? ISO20_CONNECTOR_EXTENDED
                                    : phases_of(id) == 3 ? ISO20_AC_THREE_PHASE : ISO20_AC_SINGLE_PHASE);
        iso20_param_int(set, "ControlMode", control_mode_of(s, id));
        if (ac) iso20_param_int(set, "EVSENominalVoltage", (int32_t)s->cfg.ac_nominal_v);
        iso20_param_int(set, "MobilityNeedsMode", ISO20_MOBILITY_NEEDS_EVCC);
        iso20_param_int(set, "Pricing", ISO20_PRICING_NONE);
        if (bpt) iso20_bpt_params(s, set);
    }
}

int iso20_evse_service_detail(sess_evse *s, uint32_t now)
{
    (void)now;
    struct iso20_ServiceDetailResType *r = &res(s)->ServiceDetailRes;
    r->ServiceID = req(s)->ServiceDetailReq.ServiceID;
    if (iso20_vas_detail(s, r->ServiceID, &r->ServiceParameterList)) return SESS_H_NEXT;
    int bpt = iso20_bpt_offered(s, r->ServiceID);
    parameter_sets(s, bpt, &r->ServiceParameterList);
    if (bpt || r->ServiceID == ISO20_SERVICE_OF(s->proto)) return SESS_H_NEXT;
    r->ResponseCode = iso20_responseCodeType_FAILED_ServiceIDInvalid;
    return SESS_H_FAIL;
}

/* Our energy service (DC, AC, or its BPT service where offered) with one of its parameter sets; value-added
 * services we offer (iso20_vas.c). */
int iso20_evse_service_selection(sess_evse *s, uint32_t now)
{
    (void)now;
    const struct iso20_ServiceSelectionReqType *q = &req(s)->ServiceSelectionReq;
    uint16_t id = q->SelectedEnergyTransferService.ParameterSetID;
    int mode = control_mode_of(s, id), bpt = iso20_bpt_offered(s, q->SelectedEnergyTransferService.ServiceID);
    if ((bpt || q->SelectedEnergyTransferService.ServiceID == ISO20_SERVICE_OF(s->proto)) && mode > 0 &&
        iso20_vas_select(s, q) == 0) {
        s->control_mode = (uint8_t)mode;
        s->ac_phases = (uint8_t)phases_of(id);
        s->bpt = (uint8_t)bpt;
        return SESS_H_NEXT;
    }
    res(s)->ServiceSelectionRes.ResponseCode = iso20_responseCodeType_FAILED_ServiceSelectionInvalid;
    return SESS_H_FAIL;
}

/* Ongoing cfg.cpd_ongoing times, then the answer in the car's control mode: Dynamic (the charger follows the
 * car's energy requests) or one schedule tuple of our maximum power (AC: at our nominal voltage on the selected
 * phases) for 24 h. */
int iso20_evse_schedule(sess_evse *s, uint32_t now)
{
    const struct iso20_ScheduleExchangeReqType *q = &req(s)->ScheduleExchangeReq;
    struct iso20_ScheduleExchangeResType *r = &res(s)->ScheduleExchangeRes;
    int h = iso20_evse_fault(s);
    if (h != SESS_H_NEXT) return h;
    if (sess_evse_ongoing(s, ISO20_EVSE_SCHEDULE, s->cfg.cpd_ongoing)) {
        r->EVSEProcessing = iso20_processingType_Ongoing;
        return SESS_H_STAY;
    }
    r->EVSEProcessing = iso20_processingType_Finished;
    if (q->choice == iso20_ScheduleExchangeReqType_Dynamic_SEReqControlMode) {
        r->choice = iso20_ScheduleExchangeResType_Dynamic_SEResControlMode;
        return SESS_H_NEXT;
    }
    r->choice = iso20_ScheduleExchangeResType_Scheduled_SEResControlMode;
    struct iso20_ScheduleTupleType *t = &r->Scheduled_SEResControlMode.ScheduleTuple.array[0];
    r->Scheduled_SEResControlMode.ScheduleTuple.count = 1;
    t->ScheduleTupleID = ISO20_SCHEDULE_TUPLE_ID;
    t->ChargingSchedule.PowerSchedule.TimeAnchor = s->cfg.clock_unix_s + now / 1000u;   /* Unix time, as the header's */
    struct iso20_PowerScheduleEntryType *e = &t->ChargingSchedule.PowerSchedule.PowerScheduleEntries.PowerScheduleEntry.array[0];
    t->ChargingSchedule.PowerSchedule.PowerScheduleEntries.PowerScheduleEntry.count = 1;
    e->Duration = ISO20_SCHEDULE_S;
    iso20_rn_set(&e->Power, ISO20_IS_AC(s->proto) ? s->cfg.ac_nominal_v * s->cfg.ac_max_a * (float)s->ac_phases
                                                  : s->cfg.max_w);
    return SESS_H_NEXT;
}

/* Terminate ends the session, Pause keeps the SessionID for the car's next SessionSetupReq (ServiceRenegotiation
 * has its own message id: iso20_evse_service_renegotiation). A Terminate or Pause notice of ours is honoured. */
int iso20_evse_session_stop(sess_evse *s, uint32_t now)
{
    (void)now;
    if (s->in.notice == SESS_NOTICE_TERMINATE || s->in.notice == SESS_NOTICE_PAUSE) s->in.notice = SESS_NOTICE_NONE;
    if (req(s)->SessionStopReq.ChargingSession == iso20_chargingSessionType_Pause) sess_evse_pause(s);
    return SESS_H_END;
}
