/* DIN 70121 glue for the session engine: decode/encode, message ids and names, SessionID access, response
 * skeletons and response codes. */
#include <string.h>

#include "din_internal.h"

/* Requests are the even choice values CableCheckReq .. WeldingDetectionReq; the response follows each. */
int din_response_of(int req)
{
    if (req == DIN_MSG_POWER_DELIVERY_STOP) return din_BodyType_PowerDeliveryRes;
    if (req >= din_BodyType_CableCheckReq && req <= din_BodyType_WeldingDetectionReq && req % 2 == 0) return req + 1;
    return -1;
}

static enum din_responseCodeType *code_of(struct din_BodyType *b)
{
    switch (b->BodyElement_choice) {
    case din_BodyType_CableCheckRes: return &b->CableCheckRes.ResponseCode;
    case din_BodyType_CertificateInstallationRes: return &b->CertificateInstallationRes.ResponseCode;
    case din_BodyType_CertificateUpdateRes: return &b->CertificateUpdateRes.ResponseCode;
    case din_BodyType_ChargeParameterDiscoveryRes: return &b->ChargeParameterDiscoveryRes.ResponseCode;
    case din_BodyType_ChargingStatusRes: return &b->ChargingStatusRes.ResponseCode;
    case din_BodyType_ContractAuthenticationRes: return &b->ContractAuthenticationRes.ResponseCode;
    case din_BodyType_CurrentDemandRes: return &b->CurrentDemandRes.ResponseCode;
    case din_BodyType_MeteringReceiptRes: return &b->MeteringReceiptRes.ResponseCode;
    case din_BodyType_PaymentDetailsRes: return &b->PaymentDetailsRes.ResponseCode;
    case din_BodyType_PowerDeliveryRes: return &b->PowerDeliveryRes.ResponseCode;
    case din_BodyType_PreChargeRes: return &b->PreChargeRes.ResponseCode;
    case din_BodyType_ServiceDetailRes: return &b->ServiceDetailRes.ResponseCode;
    case din_BodyType_ServiceDiscoveryRes: return &b->ServiceDiscoveryRes.ResponseCode;
    case din_BodyType_ServicePaymentSelectionRes: return &b->ServicePaymentSelectionRes.ResponseCode;
    case din_BodyType_SessionSetupRes: return &b->SessionSetupRes.ResponseCode;
    case din_BodyType_SessionStopRes: return &b->SessionStopRes.ResponseCode;
    case din_BodyType_WeldingDetectionRes: return &b->WeldingDetectionRes.ResponseCode;
    default: return NULL;
    }
}

#define PV(x) din_##x
#define PV_ROOT DIN_ROOT_V2G_Message
#define PV_PD_PSEUDO(msg) ((msg) == DIN_MSG_POWER_DELIVERY_STOP)
#define PV_PD_MSG(req) ((req)->ReadyToChargeState ? -1 : DIN_MSG_POWER_DELIVERY_STOP)
#define PV_MESSAGES(N)                                                                                          \
    N(CableCheck), N(CertificateInstallation), N(CertificateUpdate), N(ChargeParameterDiscovery), N(ChargingStatus), \
    N(ContractAuthentication), N(CurrentDemand), N(MeteringReceipt), N(PaymentDetails), N(PowerDelivery),       \
    N(PreCharge), N(ServiceDetail), N(ServiceDiscovery), N(ServicePaymentSelection), N(SessionSetup),           \
    N(SessionStop), N(WeldingDetection)
#define PV_ENERGY_MODE din_responseCodeType_FAILED_WrongEnergyTransferType
#include "pv_glue.h"
