/* ISO 15118-2 glue for the session engine: decode/encode, message ids and names, SessionID access, response
 * skeletons, response codes and where a response keeps its EVSE status. */
#include <string.h>

#include "iso2_internal.h"

/* Requests: AuthorizationReq (1) and the even choice values CableCheckReq (4) .. WeldingDetectionReq (34); the
 * response follows each (3 is the abstract BodyElement). */
int iso2_response_of(int req)
{
    if (req == ISO2_MSG_POWER_DELIVERY_STOP || req == ISO2_MSG_POWER_DELIVERY_RENEGOTIATE)
        return iso2_BodyType_PowerDeliveryRes;
    if (req == iso2_BodyType_AuthorizationReq ||
        (req >= iso2_BodyType_CableCheckReq && req <= iso2_BodyType_WeldingDetectionReq && req % 2 == 0))
        return req + 1;
    return -1;
}

/* Every ISO-2 response (AuthorizationRes, then the odd choice values CableCheckRes .. WeldingDetectionRes)
 * starts with its ResponseCode (a common initial member of the body union). */
static enum iso2_responseCodeType *code_of(struct iso2_BodyType *b)
{
    int m = b->BodyElement_choice;
    if (m != iso2_BodyType_AuthorizationRes &&
        (m < iso2_BodyType_CableCheckRes || m > iso2_BodyType_WeldingDetectionRes || m % 2 == 0))
        return NULL;
    return &b->AuthorizationRes.ResponseCode;
}

#define PV(x) iso2_##x
#define PV_ROOT ISO2_ROOT_V2G_Message
#define PV_PD_PSEUDO(msg) ((msg) == ISO2_MSG_POWER_DELIVERY_STOP || (msg) == ISO2_MSG_POWER_DELIVERY_RENEGOTIATE)
#define PV_PD_MSG(req)                                                                                          \
    ((req)->ChargeProgress == iso2_chargeProgressType_Stop          ? ISO2_MSG_POWER_DELIVERY_STOP              \
     : (req)->ChargeProgress == iso2_chargeProgressType_Renegotiate ? ISO2_MSG_POWER_DELIVERY_RENEGOTIATE       \
                                                                    : -1)
#define PV_MESSAGES(N)                                                                                          \
    N(Authorization), N(CableCheck), N(CertificateInstallation), N(CertificateUpdate), N(ChargeParameterDiscovery), \
    N(ChargingStatus), N(CurrentDemand), N(MeteringReceipt), N(PaymentDetails), N(PaymentServiceSelection),     \
    N(PowerDelivery), N(PreCharge), N(ServiceDetail), N(ServiceDiscovery), N(SessionSetup), N(SessionStop),     \
    N(WeldingDetection)
#define PV_ENERGY_MODE iso2_responseCodeType_FAILED_WrongEnergyTransferMode
#define PV_METERING
#include "pv_glue.h"

struct iso2_AC_EVSEStatusType *iso2_ac_status_of(struct iso2_BodyType *b)
{
    switch (b->BodyElement_choice) {
    case iso2_BodyType_ChargeParameterDiscoveryRes:
        return b->ChargeParameterDiscoveryRes.EVSEChargeParameter_choice ==
                       iso2_ChargeParameterDiscoveryResType_AC_EVSEChargeParameter
                   ? &b->ChargeParameterDiscoveryRes.AC_EVSEChargeParameter.AC_EVSEStatus
                   : NULL;
    case iso2_BodyType_ChargingStatusRes: return &b->ChargingStatusRes.AC_EVSEStatus;
    case iso2_BodyType_PowerDeliveryRes:
        return b->PowerDeliveryRes.EVSEStatus_choice == iso2_PowerDeliveryResType_AC_EVSEStatus
                   ? &b->PowerDeliveryRes.AC_EVSEStatus
                   : NULL;
    case iso2_BodyType_MeteringReceiptRes:
        return b->MeteringReceiptRes.EVSEStatus_choice == iso2_MeteringReceiptResType_AC_EVSEStatus
                   ? &b->MeteringReceiptRes.AC_EVSEStatus
                   : NULL;
    default: return NULL;
    }
}
