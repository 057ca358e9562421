/* ISO 15118-20 glue for the session engine: each payload type's codec (CommonMessages 0x8002, DC 0x8004),
 * message ids and names over both, SessionID and TimeStamp in the header, response skeletons and codes. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/v2gtp.h"
#include "iso20_internal.h"

int iso20_glue_decode_typed(uint16_t payload_type, const uint8_t *buf, size_t len, void *doc, struct exi_error *err)
{
    struct sess_iso20_doc *d = doc;
    d->payload_type = payload_type;
    if (payload_type == V2GTP_ISO20_MAIN) return exi_decode_ex(&iso20_codec, buf, len, &d->common, err);
    if (payload_type == V2GTP_ISO20_DC) return exi_decode_ex(&iso20_dc_codec, buf, len, &d->dc, err);
    return CCS_EPROTO;
}

/* Without a payload type (tools that only have the EXI): a CommonMessages document. */
int iso20_glue_decode(const uint8_t *buf, size_t len, void *doc, struct exi_error *err)
{
    return iso20_glue_decode_typed(V2GTP_ISO20_MAIN, buf, len, doc, err);
}

int iso20_glue_encode(const void *doc, uint8_t *buf, size_t cap, size_t *len)
{
    const struct sess_iso20_doc *d = doc;
    return d->payload_type == V2GTP_ISO20_DC ? iso20_dc_encode(&d->dc, buf, cap, len)
                                             : iso20_encode(&d->common, buf, cap, len);
}

uint16_t iso20_payload_type(const void *doc) { return ((const struct sess_iso20_doc *)doc)->payload_type; }

int iso20_msg_of(const void *doc)
{
    const struct sess_iso20_doc *d = doc;
    if (d->payload_type == V2GTP_ISO20_DC) return d->dc.root ? ISO20_DC_BASE + d->dc.root : -1;
    if (d->common.root == ISO20_ROOT_PowerDeliveryReq) {
        switch (d->common.PowerDeliveryReq.ChargeProgress) {
        case iso20_chargeProgressType_Stop: return ISO20_MSG_POWER_DELIVERY_STOP;
        case iso20_chargeProgressType_Standby: return ISO20_MSG_POWER_DELIVERY_STANDBY;
        case iso20_chargeProgressType_ScheduleRenegotiation: return ISO20_MSG_POWER_DELIVERY_RENEGOTIATE;
        default: break;
        }
    }
    if (d->common.root == ISO20_ROOT_SessionStopReq &&
        d->common.SessionStopReq.ChargingSession == iso20_chargingSessionType_ServiceRenegotiation)
        return ISO20_MSG_SESSION_STOP_RENEGOTIATE;
    return d->common.root ? d->common.root : -1;
}

const char *iso20_msg_name(int msg)
{
#define N(m) [ISO20_ROOT_##m##Req] = #m "Req", [ISO20_ROOT_##m##Res] = #m "Res"
#define D(m) [ISO20_DC(m##Req)] = #m "Req", [ISO20_DC(m##Res)] = #m "Res"
    static const char *const names[] = {
        N(Authorization), N(AuthorizationSetup), N(CertificateInstallation), N(MeteringConfirmation),
        N(PowerDelivery), N(ScheduleExchange), N(ServiceDetail), N(ServiceDiscovery), N(ServiceSelection),
        N(SessionSetup), N(SessionStop), N(VehicleCheckIn), N(VehicleCheckOut),
        D(DC_CableCheck), D(DC_ChargeLoop), D(DC_ChargeParameterDiscovery), D(DC_PreCharge), D(DC_WeldingDetection),
        [ISO20_MSG_POWER_DELIVERY_STOP] = "PowerDeliveryReq", [ISO20_MSG_POWER_DELIVERY_STANDBY] = "PowerDeliveryReq",
        [ISO20_MSG_POWER_DELIVERY_RENEGOTIATE] = "PowerDeliveryReq",
        [ISO20_MSG_SESSION_STOP_RENEGOTIATE] = "SessionStopReq",
    };
#undef N
#undef D
    return msg >= 0 && (unsigned)msg < sizeof names / sizeof names[0] && names[msg] ? names[msg] : "?";
}

/* Every request; its response is the next root of the same codec. */
static const uint8_t requests[] = {
    ISO20_ROOT_AuthorizationReq, ISO20_ROOT_AuthorizationSetupReq, ISO20_ROOT_CertificateInstallationReq,
    ISO20_ROOT_MeteringConfirmationReq, ISO20_ROOT_PowerDeliveryReq, ISO20_ROOT_ScheduleExchangeReq,
    ISO20_ROOT_ServiceDetailReq, ISO20_ROOT_ServiceDiscoveryReq, ISO20_ROOT_ServiceSelectionReq,
    ISO20_ROOT_SessionSetupReq, ISO20_ROOT_SessionStopReq, ISO20_ROOT_VehicleCheckInReq,
    ISO20_ROOT_VehicleCheckOutReq, ISO20_DC(DC_CableCheckReq), ISO20_DC(DC_ChargeLoopReq),
    ISO20_DC(DC_ChargeParameterDiscoveryReq), ISO20_DC(DC_PreChargeReq), ISO20_DC(DC_WeldingDetectionReq),
};

int iso20_response_of(int req)
{
    if (ISO20_IS_PSEUDO(req)) return ISO20_PSEUDO_ROOT(req) + 1;
    for (size_t i = 0; i < sizeof requests; i++)
        if (requests[i] == req) return req + 1;
    return -1;
}

static int is_response(int msg)
{
    for (size_t i = 0; i < sizeof requests; i++)
        if (requests[i] + 1 == msg) return 1;
    return 0;
}

/* Every message of both codecs starts with its Header (a common initial member of each union). */
static struct iso20_MessageHeaderType *common_header(struct sess_iso20_doc *d) { return &d->common.AuthorizationReq.Header; }
static struct iso20_dc_MessageHeaderType *dc_header(struct sess_iso20_doc *d) { return &d->dc.DC_CableCheckReq.Header; }

const uint8_t *iso20_session_id(const void *doc, size_t *len)
{
    struct sess_iso20_doc *d = (struct sess_iso20_doc *)(uintptr_t)doc;
    if (d->payload_type == V2GTP_ISO20_DC) {
        *len = dc_header(d)->SessionID.len;
        return dc_header(d)->SessionID.bytes;
    }
    *len = common_header(d)->SessionID.len;
    return common_header(d)->SessionID.bytes;
}

void iso20_start(void *doc, int msg, const uint8_t *sid, size_t sid_len)
{
    struct sess_iso20_doc *d = doc;
    memset(d, 0, sizeof *d);
    if (sid_len > sizeof common_header(d)->SessionID.bytes) sid_len = sizeof common_header(d)->SessionID.bytes;
    if (ISO20_IS_PSEUDO(msg)) msg = ISO20_PSEUDO_ROOT(msg);
    if (msg > ISO20_DC_BASE) {
        d->payload_type = V2GTP_ISO20_DC;
        d->dc.root = (uint16_t)(msg - ISO20_DC_BASE);
        memcpy(dc_header(d)->SessionID.bytes, sid, sid_len);
        dc_header(d)->SessionID.len = (uint16_t)sid_len;
    } else {
        d->payload_type = V2GTP_ISO20_MAIN;
        d->common.root = (uint16_t)msg;
        memcpy(common_header(d)->SessionID.bytes, sid, sid_len);
        common_header(d)->SessionID.len = (uint16_t)sid_len;
    }
}

/* TimeStamp: Unix time in seconds as the standard means it; the engine has no clock: the platform gives the Unix
 * time of its now_ms 0 (sess_*_config.clock_unix_s), added here. */
void iso20_stamp(void *doc, uint64_t unix_s)
{
    struct sess_iso20_doc *d = doc;
    if (d->payload_type == V2GTP_ISO20_DC) dc_header(d)->TimeStamp = unix_s;
    else common_header(d)->TimeStamp = unix_s;
}

/* Every response of both codecs has its ResponseCode right after the Header; the two enums are the same
 * responseCodeType. */
static enum iso20_responseCodeType *common_code(struct sess_iso20_doc *d)
{
    return d->payload_type != V2GTP_ISO20_DC && is_response(d->common.root) ? &d->common.AuthorizationRes.ResponseCode
                                                                            : NULL;
}

static enum iso20_dc_responseCodeType *dc_code(struct sess_iso20_doc *d)
{
    return d->payload_type == V2GTP_ISO20_DC && is_response(ISO20_DC_BASE + d->dc.root)
               ? &d->dc.DC_CableCheckRes.ResponseCode
               : NULL;
}

int iso20_code_of(int generic_code)
{
    static const enum iso20_responseCodeType map[] = {
        [SESS_RC_OK] = iso20_responseCodeType_OK,
        [SESS_RC_SEQUENCE] = iso20_responseCodeType_FAILED_SequenceError,
        [SESS_RC_UNKNOWN_SESSION] = iso20_responseCodeType_FAILED_UnknownSession,
        [SESS_RC_FAILED] = iso20_responseCodeType_FAILED,
        [SESS_RC_WRONG_CHARGE_PARAMETER] = iso20_responseCodeType_FAILED_WrongChargeParameter,
        [SESS_RC_WRONG_ENERGY_TRANSFER_MODE] = iso20_responseCodeType_FAILED_WrongChargeParameter,
        [SESS_RC_TARIFF_SELECTION_INVALID] = iso20_responseCodeType_FAILED_ScheduleSelectionInvalid,
        [SESS_RC_CHARGING_PROFILE_INVALID] = iso20_responseCodeType_FAILED_EVPowerProfileInvalid,
        [SESS_RC_POWER_DELIVERY_NOT_APPLIED] = iso20_responseCodeType_FAILED_PowerDeliveryNotApplied,
    };
    return (int)map[generic_code];
}

void iso20_set_code(void *doc, int generic_code)
{
    enum iso20_responseCodeType *c = common_code(doc);
    enum iso20_dc_responseCodeType *dc = dc_code(doc);
    if (c) *c = (enum iso20_responseCodeType)iso20_code_of(generic_code);
    if (dc) *dc = (enum iso20_dc_responseCodeType)iso20_code_of(generic_code);
}

int iso20_get_code(const void *doc)
{
    struct sess_iso20_doc *d = (struct sess_iso20_doc *)(uintptr_t)doc;
    enum iso20_responseCodeType *c = common_code(d);
    enum iso20_dc_responseCodeType *dc = dc_code(d);
    return c ? (int)*c : dc ? (int)*dc : -1;
}
