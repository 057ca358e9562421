/* DIN 70121: our car against a charger that lies (sess_lies.h): negative current, a current above the car's
 * maximum or its request, a voltage above its maximum in PreCharge and while charging, 32767e3, negative or
 * impossible limits (a 40 V maximum), no current at all -> the car's stop reason, in time, the protocol's way
 * (PowerDelivery(stop) with EVReady false and the DC_EVErrorCode), the plant safe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sess_lies.h"
#include "v2g/din_internal.h"

static void edit(void *doc, sl_field f, float x)
{
    struct din_BodyType *b = DIN_BODY(doc);
    struct din_DC_EVSEChargeParameterType *c = &b->ChargeParameterDiscoveryRes.DC_EVSEChargeParameter;
    int loop = b->BodyElement_choice == din_BodyType_CurrentDemandRes;
    switch (f) {
    case SL_CURRENT: din_pv_set(&b->CurrentDemandRes.EVSEPresentCurrent, x, din_unitSymbolType_A); break;
    case SL_VOLTAGE:
        din_pv_set(loop ? &b->CurrentDemandRes.EVSEPresentVoltage : &b->PreChargeRes.EVSEPresentVoltage, x,
                   din_unitSymbolType_V);
        break;
    case SL_MAX_V: din_pv_set(&c->EVSEMaximumVoltageLimit, x, din_unitSymbolType_V); break;
    case SL_MAX_A: din_pv_set(&c->EVSEMaximumCurrentLimit, x, din_unitSymbolType_A); break;
    default: fail_msg("DIN has no field %d", (int)f);
    }
}

/* The DC_EVStatus of PowerDeliveryReq (the request the car stops with). */
static int ev_error(const void *doc)
{
    const struct din_BodyType *b = DIN_BODY(doc);
    if (b->BodyElement_choice != din_BodyType_PowerDeliveryReq) return -1;
    return (int)b->PowerDeliveryReq.DC_EVPowerDeliveryParameter.DC_EVStatus.EVErrorCode;
}

static const sl_proto P = { &sess_proto_din, din_BodyType_CurrentDemandReq, -1, DIN_MSG_POWER_DELIVERY_STOP, edit,
                            ev_error };

int main(void)
{
    static sl_case cases[SL_MAX_CASES];
    unsigned n = sl_dc_cases(cases, din_BodyType_ChargeParameterDiscoveryReq, din_BodyType_PreChargeReq,
                             din_BodyType_CurrentDemandReq, 1);
    return sl_main("din_lies", &P, cases, n);
}
