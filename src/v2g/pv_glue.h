/* The codec glue DIN 70121 and ISO 15118-2 share: decode/encode, message ids and names, SessionID access, a new
 * message, the generic response codes into ResponseCode and back, and the DC_EVSEStatus of a response. din_glue.c
 * and iso2_glue.c each include this once after their code_of, with PV(x) naming their symbol x, PV_ROOT their
 * V2G_Message root, PV_PD_PSEUDO(msg) true for their PowerDeliveryReq pseudo ids, PV_PD_MSG(req) the pseudo id of
 * a PowerDeliveryReq (-1: none), PV_MESSAGES(N) their messages (N(m): mReq and mRes), PV_ENERGY_MODE their
 * FAILED_WrongEnergyTransfer* code; PV_METERING: the protocol's MeteringReceiptRes carries a DC status (ISO 15118-2). */
#ifndef PV
#error "define PV(x) before including pv_glue.h"
#endif

#define PV_GLUE_BODY(doc) (&((struct PV(exiDocument) *)(doc))->V2G_Message.Body)

int PV(msg_of)(const void *doc)
{
    const struct PV(exiDocument) *d = doc;
    if (d->root != PV_ROOT) return -1;
    const struct PV(BodyType) *b = &d->V2G_Message.Body;
    int pseudo = b->BodyElement_choice == PV(BodyType_PowerDeliveryReq) ? PV_PD_MSG(&b->PowerDeliveryReq) : -1;
    if (pseudo >= 0) return pseudo;
    return b->BodyElement_choice ? b->BodyElement_choice : -1;
}

/* A pseudo id is named as the PowerDeliveryReq it stands for. */
const char *PV(msg_name)(int msg)
{
#define PV_NAME(m) [PV(BodyType_##m##Req)] = #m "Req", [PV(BodyType_##m##Res)] = #m "Res"
    static const char *const names[] = { PV_MESSAGES(PV_NAME) };
#undef PV_NAME
    if (PV_PD_PSEUDO(msg)) msg = PV(BodyType_PowerDeliveryReq);
    return msg >= 0 && (unsigned)msg < sizeof names / sizeof names[0] && names[msg] ? names[msg] : "?";
}

int PV(glue_decode)(const uint8_t *buf, size_t len, void *doc, struct exi_error *err)
{
    return exi_decode_ex(&PV(codec), buf, len, doc, err);
}
int PV(glue_encode)(const void *doc, uint8_t *buf, size_t cap, size_t *len) { return PV(encode)(doc, buf, cap, len); }

const uint8_t *PV(session_id)(const void *doc, size_t *len)
{
    const struct PV(exiDocument) *d = doc;
    *len = d->V2G_Message.Header.SessionID.len;
    return d->V2G_Message.Header.SessionID.bytes;
}

void PV(start)(void *doc, int msg, const uint8_t *sid, size_t sid_len)
{
    struct PV(exiDocument) *d = doc;
    memset(d, 0, sizeof *d);
    d->root = PV_ROOT;
    if (sid_len > sizeof d->V2G_Message.Header.SessionID.bytes) sid_len = sizeof d->V2G_Message.Header.SessionID.bytes;
    memcpy(d->V2G_Message.Header.SessionID.bytes, sid, sid_len);
    d->V2G_Message.Header.SessionID.len = (uint16_t)sid_len;
    if (PV_PD_PSEUDO(msg)) msg = PV(BodyType_PowerDeliveryReq);
    d->V2G_Message.Body.BodyElement_choice = (uint8_t)msg;
}

void PV(set_code)(void *doc, int generic_code)
{
    static const enum PV(responseCodeType) map[] = {
        [SESS_RC_OK] = PV(responseCodeType_OK),
        [SESS_RC_SEQUENCE] = PV(responseCodeType_FAILED_SequenceError),
        [SESS_RC_UNKNOWN_SESSION] = PV(responseCodeType_FAILED_UnknownSession),
        [SESS_RC_FAILED] = PV(responseCodeType_FAILED),
        [SESS_RC_WRONG_CHARGE_PARAMETER] = PV(responseCodeType_FAILED_WrongChargeParameter),
        [SESS_RC_WRONG_ENERGY_TRANSFER_MODE] = PV_ENERGY_MODE,
        [SESS_RC_TARIFF_SELECTION_INVALID] = PV(responseCodeType_FAILED_TariffSelectionInvalid),
        [SESS_RC_CHARGING_PROFILE_INVALID] = PV(responseCodeType_FAILED_ChargingProfileInvalid),
        [SESS_RC_POWER_DELIVERY_NOT_APPLIED] = PV(responseCodeType_FAILED_PowerDeliveryNotApplied),
    };
    enum PV(responseCodeType) *c = code_of(PV_GLUE_BODY(doc));
    if (c) *c = map[generic_code];
}

int PV(get_code)(const void *doc)
{
    enum PV(responseCodeType) *c = code_of(PV_GLUE_BODY((void *)(uintptr_t)doc));
    return c ? (int)*c : -1;
}

struct PV(DC_EVSEStatusType) *PV(dc_status_of)(struct PV(BodyType) *b)
{
    switch (b->BodyElement_choice) {
    case PV(BodyType_CableCheckRes): return &b->CableCheckRes.DC_EVSEStatus;
    case PV(BodyType_ChargeParameterDiscoveryRes):
        return b->ChargeParameterDiscoveryRes.EVSEChargeParameter_choice ==
                       PV(ChargeParameterDiscoveryResType_DC_EVSEChargeParameter)
                   ? &b->ChargeParameterDiscoveryRes.DC_EVSEChargeParameter.DC_EVSEStatus
                   : NULL;
    case PV(BodyType_CurrentDemandRes): return &b->CurrentDemandRes.DC_EVSEStatus;
    case PV(BodyType_PowerDeliveryRes):
        return b->PowerDeliveryRes.EVSEStatus_choice == PV(PowerDeliveryResType_DC_EVSEStatus)
                   ? &b->PowerDeliveryRes.DC_EVSEStatus
                   : NULL;
#ifdef PV_METERING
    case PV(BodyType_MeteringReceiptRes):
        return b->MeteringReceiptRes.EVSEStatus_choice == PV(MeteringReceiptResType_DC_EVSEStatus)
                   ? &b->MeteringReceiptRes.DC_EVSEStatus
                   : NULL;
#endif
    case PV(BodyType_PreChargeRes): return &b->PreChargeRes.DC_EVSEStatus;
    case PV(BodyType_WeldingDetectionRes): return &b->WeldingDetectionRes.DC_EVSEStatus;
    default: return NULL;
    }
}
