/* The DC mapper DIN 70121 and ISO 15118-2 share: their DC messages line up field for field (PhysicalValue,
 * DC_EVStatus, DC_EVSEStatus), so din_map.c and iso2_map.c each include this once with PV(x) naming their symbol x
 * (din_x, iso2_x); what differs (ChargeParameterDiscovery's mode and schedule, ISO-2's meter) stays in them. */
#ifndef PV
#error "define PV(x) before including pv_dc_map.h"
#endif

_Static_assert((int)PV(DC_EVErrorCodeType_NO_ERROR) == SESS_EVERR_NONE &&
                   (int)PV(DC_EVErrorCodeType_FAILED_ChargingCurrentdifferential) == SESS_EVERR_CURRENT &&
                   (int)PV(DC_EVErrorCodeType_FAILED_ChargingVoltageOutOfRange) == SESS_EVERR_VOLTAGE &&
                   (int)PV(DC_EVErrorCodeType_FAILED_ChargingSystemIncompatibility) == SESS_EVERR_INCOMPATIBLE,
               "SESS_EVERR_*: DIN 70121's and ISO 15118-2's DC_EVErrorCodeType values");

#define PV_BODY(doc) (&((struct PV(exiDocument) *)(doc))->V2G_Message.Body)

/* The charger's DC status in a response. */
void PV(evse_dc_status)(const sess_evse *s, struct PV(DC_EVSEStatusType) *st)
{
    static const enum PV(DC_EVSEStatusCodeType) codes[] = {
        [SESS_EVSE_OK] = PV(DC_EVSEStatusCodeType_EVSE_Ready),
        [SESS_EVSE_SHUTDOWN] = PV(DC_EVSEStatusCodeType_EVSE_Shutdown),
        [SESS_EVSE_EMERGENCY] = PV(DC_EVSEStatusCodeType_EVSE_EmergencyShutdown),
        [SESS_EVSE_MALFUNCTION] = PV(DC_EVSEStatusCodeType_EVSE_Malfunction),
    };
    static const enum PV(isolationLevelType) iso[] = {
        [SESS_ISO_UNKNOWN] = PV(isolationLevelType_Invalid),
        [SESS_ISO_VALID] = PV(isolationLevelType_Valid),
        [SESS_ISO_WARNING] = PV(isolationLevelType_Warning),
        [SESS_ISO_FAULT] = PV(isolationLevelType_Fault),
    };
    st->has_EVSEIsolationStatus = true;
    st->EVSEIsolationStatus = iso[s->in.isolation];
    st->EVSEStatusCode = codes[s->in.status];
    st->NotificationMaxDelay = 0;
    st->EVSENotification = s->in.status == SESS_EVSE_OK ? PV(EVSENotificationType_None)
                                                        : PV(EVSENotificationType_StopCharging);
}

/* EVSE: the DC requests both have into m. */
static void pv_evse_in(const struct PV(BodyType) *b, sess_dc *m)
{
    switch (b->BodyElement_choice) {
    case PV(BodyType_CableCheckReq):
        m->soc = b->CableCheckReq.DC_EVStatus.EVRESSSOC;
        break;
    case PV(BodyType_PreChargeReq):
        m->soc = b->PreChargeReq.DC_EVStatus.EVRESSSOC;
        m->target_v = PV(pv_get)(&b->PreChargeReq.EVTargetVoltage);
        m->target_a = PV(pv_get)(&b->PreChargeReq.EVTargetCurrent);
        break;
    case PV(BodyType_PowerDeliveryReq):
        if (b->PowerDeliveryReq.EVPowerDeliveryParameter_choice == PV(PowerDeliveryReqType_DC_EVPowerDeliveryParameter))
            m->soc = b->PowerDeliveryReq.DC_EVPowerDeliveryParameter.DC_EVStatus.EVRESSSOC;
        break;
    case PV(BodyType_CurrentDemandReq): {
        const struct PV(CurrentDemandReqType) *q = &b->CurrentDemandReq;
        m->soc = q->DC_EVStatus.EVRESSSOC;
        m->target_v = PV(pv_get)(&q->EVTargetVoltage);
        m->target_a = PV(pv_get)(&q->EVTargetCurrent);
        m->has_max_v = q->has_EVMaximumVoltageLimit;
        m->has_max_a = q->has_EVMaximumCurrentLimit;
        m->max_v = PV(pv_get)(&q->EVMaximumVoltageLimit);
        m->max_a = PV(pv_get)(&q->EVMaximumCurrentLimit);
        m->limits_said = q->has_EVMaximumVoltageLimit && q->has_EVMaximumCurrentLimit && q->has_EVMaximumPowerLimit;
        break;
    }
    case PV(BodyType_WeldingDetectionReq):
        m->soc = b->WeldingDetectionReq.DC_EVStatus.EVRESSSOC;
        break;
    default:
        break;
    }
}

/* Our DC limits in ChargeParameterDiscoveryRes, every optional one filled: some cars stop when one is missing. */
static void pv_evse_limits(const sess_evse *s, struct PV(DC_EVSEChargeParameterType) *c)
{
    PV(pv_set)(&c->EVSEMaximumCurrentLimit, s->cfg.max_a, PV(unitSymbolType_A));
    PV(pv_set)(&c->EVSEMaximumPowerLimit, s->cfg.max_w, PV(unitSymbolType_W));
    PV(pv_set)(&c->EVSEMaximumVoltageLimit, s->cfg.max_v, PV(unitSymbolType_V));
    PV(pv_set)(&c->EVSEMinimumCurrentLimit, s->cfg.min_a, PV(unitSymbolType_A));
    PV(pv_set)(&c->EVSEMinimumVoltageLimit, s->cfg.min_v, PV(unitSymbolType_V));
    c->has_EVSECurrentRegulationTolerance = c->has_EVSEEnergyToBeDelivered = true;
    PV(pv_set)(&c->EVSECurrentRegulationTolerance, s->cfg.current_tolerance_a, PV(unitSymbolType_A));
    PV(pv_set)(&c->EVSEPeakCurrentRipple, s->cfg.peak_ripple_a, PV(unitSymbolType_A));
    PV(pv_set)(&c->EVSEEnergyToBeDelivered, 0.0f, PV(unitSymbolType_Wh));
}

/* EVSE: the charger's present values in the responses that carry them (also in an error response). */
void PV(evse_present)(const sess_evse *s, struct PV(BodyType) *b)
{
    switch (b->BodyElement_choice) {
    case PV(BodyType_PreChargeRes):
        PV(pv_set)(&b->PreChargeRes.EVSEPresentVoltage, s->in.present_v, PV(unitSymbolType_V));
        break;
    case PV(BodyType_CurrentDemandRes):
        PV(pv_set)(&b->CurrentDemandRes.EVSEPresentVoltage, s->in.present_v, PV(unitSymbolType_V));
        PV(pv_set)(&b->CurrentDemandRes.EVSEPresentCurrent, s->in.present_a, PV(unitSymbolType_A));
        break;
    case PV(BodyType_WeldingDetectionRes):
        PV(pv_set)(&b->WeldingDetectionRes.EVSEPresentVoltage, s->in.present_v, PV(unitSymbolType_V));
        break;
    default:
        break;
    }
}

/* EVSE: the DC responses both have from m and the charger's present values and limits. */
static void pv_evse_out(const sess_evse *s, struct PV(BodyType) *b, const sess_dc *m)
{
    switch (b->BodyElement_choice) {
    case PV(BodyType_ChargeParameterDiscoveryRes):
        b->ChargeParameterDiscoveryRes.EVSEProcessing = m->ongoing ? PV(EVSEProcessingType_Ongoing)
                                                                   : PV(EVSEProcessingType_Finished);
        break;
    case PV(BodyType_CableCheckRes):
        b->CableCheckRes.EVSEProcessing = m->ongoing ? PV(EVSEProcessingType_Ongoing) : PV(EVSEProcessingType_Finished);
        if (m->isolation_active)
            b->CableCheckRes.DC_EVSEStatus.EVSEStatusCode = PV(DC_EVSEStatusCodeType_EVSE_IsolationMonitoringActive);
        break;
    case PV(BodyType_CurrentDemandRes): {
        struct PV(CurrentDemandResType) *r = &b->CurrentDemandRes;
        r->has_EVSEMaximumVoltageLimit = r->has_EVSEMaximumCurrentLimit = r->has_EVSEMaximumPowerLimit = true;
        PV(pv_set)(&r->EVSEMaximumVoltageLimit, s->cfg.max_v, PV(unitSymbolType_V));
        PV(pv_set)(&r->EVSEMaximumCurrentLimit, s->cfg.max_a, PV(unitSymbolType_A));
        PV(pv_set)(&r->EVSEMaximumPowerLimit, s->cfg.max_w, PV(unitSymbolType_W));
        r->EVSECurrentLimitAchieved = m->hit.current;
        r->EVSEVoltageLimitAchieved = m->hit.voltage;
        r->EVSEPowerLimitAchieved = m->hit.power;
        break;
    }
    default:
        break;
    }
    PV(evse_present)(s, b);
}

/* PEV: the car's DC status in a request (DIN 70121 adds its conditioning flags, as real cars send them). */
static void pv_pev_ev_status(const sess_pev *p, struct PV(DC_EVStatusType) *st)
{
    st->EVReady = !p->out.stop_requested;
    st->EVErrorCode = (enum PV(DC_EVErrorCodeType))sess_pev_ev_error(p);
    st->EVRESSSOC = p->in.soc;
#ifdef PV_CONDITIONING
    st->has_EVCabinConditioning = st->has_EVRESSConditioning = true;
    st->EVCabinConditioning = st->EVRESSConditioning = false;
#endif
}

/* PEV: the DC requests both have, from m and the car's configuration and battery. */
static void pv_pev_out(const sess_pev *p, struct PV(BodyType) *b, const sess_dc *m)
{
    switch (b->BodyElement_choice) {
    case PV(BodyType_ChargeParameterDiscoveryReq): {
        struct PV(DC_EVChargeParameterType) *c = &b->ChargeParameterDiscoveryReq.DC_EVChargeParameter;
        if (b->ChargeParameterDiscoveryReq.EVChargeParameter_choice != PV(ChargeParameterDiscoveryReqType_DC_EVChargeParameter))
            break;
        pv_pev_ev_status(p, &c->DC_EVStatus);
        PV(pv_set)(&c->EVMaximumCurrentLimit, p->cfg.max_a, PV(unitSymbolType_A));
        PV(pv_set)(&c->EVMaximumVoltageLimit, p->cfg.max_v, PV(unitSymbolType_V));
        c->has_EVMaximumPowerLimit = c->has_EVEnergyCapacity = c->has_EVEnergyRequest = true;
        PV(pv_set)(&c->EVMaximumPowerLimit, p->cfg.max_w, PV(unitSymbolType_W));
        PV(pv_set)(&c->EVEnergyCapacity, p->cfg.capacity_wh, PV(unitSymbolType_Wh));
        PV(pv_set)(&c->EVEnergyRequest, p->in.energy_request_wh, PV(unitSymbolType_Wh));
        c->has_FullSOC = c->has_BulkSOC = true;
        c->FullSOC = p->cfg.full_soc;
        c->BulkSOC = p->cfg.bulk_soc;
        break;
    }
    case PV(BodyType_CableCheckReq):
        pv_pev_ev_status(p, &b->CableCheckReq.DC_EVStatus);
        break;
    case PV(BodyType_PreChargeReq):
        pv_pev_ev_status(p, &b->PreChargeReq.DC_EVStatus);
        PV(pv_set)(&b->PreChargeReq.EVTargetVoltage, m->target_v, PV(unitSymbolType_V));
        PV(pv_set)(&b->PreChargeReq.EVTargetCurrent, m->target_a, PV(unitSymbolType_A));
        break;
    case PV(BodyType_PowerDeliveryReq): {
        struct PV(DC_EVPowerDeliveryParameterType) *d = &b->PowerDeliveryReq.DC_EVPowerDeliveryParameter;
        if (b->PowerDeliveryReq.EVPowerDeliveryParameter_choice != PV(PowerDeliveryReqType_DC_EVPowerDeliveryParameter))
            break;
        pv_pev_ev_status(p, &d->DC_EVStatus);
        d->has_BulkChargingComplete = true;
        d->BulkChargingComplete = p->in.soc >= p->cfg.bulk_soc;
        d->ChargingComplete = m->stop && p->in.charge_complete;
        break;
    }
    case PV(BodyType_CurrentDemandReq): {
        struct PV(CurrentDemandReqType) *q = &b->CurrentDemandReq;
        pv_pev_ev_status(p, &q->DC_EVStatus);
        PV(pv_set)(&q->EVTargetCurrent, m->target_a, PV(unitSymbolType_A));
        PV(pv_set)(&q->EVTargetVoltage, m->target_v, PV(unitSymbolType_V));
        q->has_EVMaximumVoltageLimit = q->has_EVMaximumCurrentLimit = q->has_EVMaximumPowerLimit = true;
        PV(pv_set)(&q->EVMaximumVoltageLimit, p->cfg.max_v, PV(unitSymbolType_V));
        PV(pv_set)(&q->EVMaximumCurrentLimit, p->cfg.max_a, PV(unitSymbolType_A));
        PV(pv_set)(&q->EVMaximumPowerLimit, p->cfg.max_w, PV(unitSymbolType_W));
        q->has_BulkChargingComplete = true;
        q->BulkChargingComplete = p->in.soc >= p->cfg.bulk_soc;
        q->ChargingComplete = p->in.charge_complete;
        break;
    }
    case PV(BodyType_WeldingDetectionReq):
        pv_pev_ev_status(p, &b->WeldingDetectionReq.DC_EVStatus);
        break;
    default:
        break;
    }
}

/* PEV: a response's code (as its class) and DC status (st may be NULL) into m. sess_isolation numbers the levels as
 * isolationLevelType does (Invalid, Valid, Warning, Fault). */
static void pv_pev_answer(int code, const struct PV(DC_EVSEStatusType) *st, sess_dc *m)
{
    m->code = code == PV(responseCodeType_FAILED_SequenceError)     ? SESS_RC_SEQUENCE
              : code == PV(responseCodeType_FAILED_UnknownSession) ? SESS_RC_UNKNOWN_SESSION
              : code >= PV(responseCodeType_FAILED)                ? SESS_RC_FAILED
                                                                   : SESS_RC_OK;
    if (!st) return;
    m->has_status = 1;
    m->status.status = st->EVSEStatusCode == PV(DC_EVSEStatusCodeType_EVSE_EmergencyShutdown) ? SESS_EVSE_EMERGENCY
                       : st->EVSEStatusCode == PV(DC_EVSEStatusCodeType_EVSE_Malfunction)    ? SESS_EVSE_MALFUNCTION
                       : st->EVSEStatusCode == PV(DC_EVSEStatusCodeType_EVSE_Shutdown)       ? SESS_EVSE_SHUTDOWN
                                                                                              : SESS_EVSE_OK;
    m->status.stop_notice = st->EVSENotification == PV(EVSENotificationType_StopCharging);
    m->status.isolation = st->has_EVSEIsolationStatus && st->EVSEIsolationStatus <= PV(isolationLevelType_Fault)
                              ? (uint8_t)st->EVSEIsolationStatus
                              : SESS_ISO_UNKNOWN;
}

/* PEV: the DC responses both have into m. */
static void pv_pev_in(const struct PV(BodyType) *b, sess_dc *m)
{
    switch (b->BodyElement_choice) {
    case PV(BodyType_ChargeParameterDiscoveryRes): {
        const struct PV(ChargeParameterDiscoveryResType) *r = &b->ChargeParameterDiscoveryRes;
        const struct PV(DC_EVSEChargeParameterType) *c = &r->DC_EVSEChargeParameter;
        m->ongoing = r->EVSEProcessing != PV(EVSEProcessingType_Finished);
        m->right_kind = r->EVSEChargeParameter_choice == PV(ChargeParameterDiscoveryResType_DC_EVSEChargeParameter);
        m->limits = (sess_evse_limits){
            .max_v = PV(pv_get)(&c->EVSEMaximumVoltageLimit),
            .max_a = PV(pv_get)(&c->EVSEMaximumCurrentLimit),
            .max_w = PV(pv_get)(&c->EVSEMaximumPowerLimit),
            .min_v = PV(pv_get)(&c->EVSEMinimumVoltageLimit),
            .min_a = PV(pv_get)(&c->EVSEMinimumCurrentLimit),
            .tolerance_a = c->has_EVSECurrentRegulationTolerance ? PV(pv_get)(&c->EVSECurrentRegulationTolerance) : 0.0f,
            .ripple_a = PV(pv_get)(&c->EVSEPeakCurrentRipple),
        };
        break;
    }
    case PV(BodyType_CableCheckRes):
        m->ongoing = b->CableCheckRes.EVSEProcessing != PV(EVSEProcessingType_Finished);
        break;
    case PV(BodyType_PreChargeRes):
        m->present_v = PV(pv_get)(&b->PreChargeRes.EVSEPresentVoltage);
        break;
    case PV(BodyType_CurrentDemandRes):
        m->present_v = PV(pv_get)(&b->CurrentDemandRes.EVSEPresentVoltage);
        m->present_a = PV(pv_get)(&b->CurrentDemandRes.EVSEPresentCurrent);
        break;
    case PV(BodyType_WeldingDetectionRes):
        m->present_v = PV(pv_get)(&b->WeldingDetectionRes.EVSEPresentVoltage);
        break;
    default:
        break;
    }
}
