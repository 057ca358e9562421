/* DIN 70121 glue for the session engine: decode/encode, message ids and names, SessionID access, response
 * skeletons and response codes. */
#include <string.h>

#include "din_internal.h"

int din_msg_of(const void *doc)
{
    const struct din_exiDocument *d = doc;
    if (d->root != DIN_ROOT_V2G_Message) return -1;
    const struct din_BodyType *b = &d->V2G_Message.Body;
    if (b->BodyElement_choice == din_BodyType_PowerDeliveryReq && !b->PowerDeliveryReq.ReadyToChargeState)
        return DIN_MSG_POWER_DELIVERY_STOP;
    return b->BodyElement_choice ? b->BodyElement_choice : -1;
}

const char *din_msg_name(int msg)
{
    static const char *const names[] = {
        [din_BodyType_CableCheckReq] = "CableCheckReq",
        [din_BodyType_CableCheckRes] = "CableCheckRes",
        [din_BodyType_CertificateInstallationReq] = "CertificateInstallationReq",
        [din_BodyType_CertificateInstallationRes] = "CertificateInstallationRes",
        [din_BodyType_CertificateUpdateReq] = "CertificateUpdateReq",
        [din_BodyType_CertificateUpdateRes] = "CertificateUpdateRes",
        [din_BodyType_ChargeParameterDiscoveryReq] = "ChargeParameterDiscoveryReq",
        [din_BodyType_ChargeParameterDiscoveryRes] = "ChargeParameterDiscoveryRes",
        [din_BodyType_ChargingStatusReq] = "ChargingStatusReq",
        [din_BodyType_ChargingStatusRes] = "ChargingStatusRes",
        [din_BodyType_ContractAuthenticationReq] = "ContractAuthenticationReq",
        [din_BodyType_ContractAuthenticationRes] = "ContractAuthenticationRes",
        [din_BodyType_CurrentDemandReq] = "CurrentDemandReq",
        [din_BodyType_CurrentDemandRes] = "CurrentDemandRes",
        [din_BodyType_MeteringReceiptReq] = "MeteringReceiptReq",
        [din_BodyType_MeteringReceiptRes] = "MeteringReceiptRes",
        [din_BodyType_PaymentDetailsReq] = "PaymentDetailsReq",
        [din_BodyType_PaymentDetailsRes] = "PaymentDetailsRes",
        [din_BodyType_PowerDeliveryReq] = "PowerDeliveryReq",
        [din_BodyType_PowerDeliveryRes] = "PowerDeliveryRes",
        [din_BodyType_PreChargeReq] = "PreChargeReq",
        [din_BodyType_PreChargeRes] = "PreChargeRes",
        [din_BodyType_ServiceDetailReq] = "ServiceDetailReq",
        [din_BodyType_ServiceDetailRes] = "ServiceDetailRes",
        [din_BodyType_ServiceDiscoveryReq] = "ServiceDiscoveryReq",
        [din_BodyType_ServiceDiscoveryRes] = "ServiceDiscoveryRes",
        [din_BodyType_ServicePaymentSelectionReq] = "ServicePaymentSelectionReq",
        [din_BodyType_ServicePaymentSelectionRes] = "ServicePaymentSelectionRes",
        [din_BodyType_SessionSetupReq] = "SessionSetupReq",
        [din_BodyType_SessionSetupRes] = "SessionSetupRes",
        [din_BodyType_SessionStopReq] = "SessionStopReq",
        [din_BodyType_SessionStopRes] = "SessionStopRes",
        [din_BodyType_WeldingDetectionReq] = "WeldingDetectionReq",
        [din_BodyType_WeldingDetectionRes] = "WeldingDetectionRes",
        [DIN_MSG_POWER_DELIVERY_STOP] = "PowerDeliveryReq",
    };
    return msg >= 0 && (unsigned)msg < sizeof names / sizeof names[0] && names[msg] ? names[msg] : "?";
}

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
#define PV_ENERGY_MODE din_responseCodeType_FAILED_WrongEnergyTransferType
#include "pv_glue.h"
