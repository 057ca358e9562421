/* ISO 15118-2: our car against a charger that lies (sess_lies.h). DC: the cases every protocol shares (a negative
 * current, a current above the car's maximum or its request, a voltage above its maximum in PreCharge and while
 * charging, 32767e3, impossible limits, no current). AC: a negative EVSEMaxCurrent while charging, a negative
 * maximum or a nominal voltage above the on-board charger's maximum at ChargeParameterDiscovery. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sess_lies.h"
#include "v2g/iso2_internal.h"

static void edit(void *doc, sl_field f, float x)
{
    struct iso2_BodyType *b = ISO2_BODY(doc);
    struct iso2_DC_EVSEChargeParameterType *c = &b->ChargeParameterDiscoveryRes.DC_EVSEChargeParameter;
    struct iso2_AC_EVSEChargeParameterType *a = &b->ChargeParameterDiscoveryRes.AC_EVSEChargeParameter;
    int ac = b->ChargeParameterDiscoveryRes.EVSEChargeParameter_choice ==
             iso2_ChargeParameterDiscoveryResType_AC_EVSEChargeParameter;
    int loop = b->BodyElement_choice == iso2_BodyType_CurrentDemandRes;
    switch (f) {
    case SL_CURRENT: iso2_pv_set(&b->CurrentDemandRes.EVSEPresentCurrent, x, iso2_unitSymbolType_A); break;
    case SL_VOLTAGE:
        iso2_pv_set(loop ? &b->CurrentDemandRes.EVSEPresentVoltage : &b->PreChargeRes.EVSEPresentVoltage, x,
                    iso2_unitSymbolType_V);
        break;
    case SL_MAX_V: iso2_pv_set(&c->EVSEMaximumVoltageLimit, x, iso2_unitSymbolType_V); break;
    case SL_MAX_A: iso2_pv_set(ac ? &a->EVSEMaxCurrent : &c->EVSEMaximumCurrentLimit, x, iso2_unitSymbolType_A); break;
    case SL_AC_NOMINAL_V: iso2_pv_set(&a->EVSENominalVoltage, x, iso2_unitSymbolType_V); break;
    case SL_AC_MAX_A:
        b->ChargingStatusRes.has_EVSEMaxCurrent = true;
        iso2_pv_set(&b->ChargingStatusRes.EVSEMaxCurrent, x, iso2_unitSymbolType_A);
        break;
    default: fail_msg("ISO-2 has no field %d", (int)f);
    }
}

/* The DC_EVStatus of PowerDeliveryReq (the request the car stops with; AC has none). */
static int ev_error(const void *doc)
{
    const struct iso2_BodyType *b = ISO2_BODY(doc);
    const struct iso2_PowerDeliveryReqType *q = &b->PowerDeliveryReq;
    if (b->BodyElement_choice != iso2_BodyType_PowerDeliveryReq ||
        q->EVPowerDeliveryParameter_choice != iso2_PowerDeliveryReqType_DC_EVPowerDeliveryParameter)
        return -1;
    return (int)q->DC_EVPowerDeliveryParameter.DC_EVStatus.EVErrorCode;
}

static const sl_proto P = { &sess_proto_iso2, iso2_BodyType_CurrentDemandReq, iso2_BodyType_ChargingStatusReq,
                            ISO2_MSG_POWER_DELIVERY_STOP, edit, ev_error };

int main(void)
{
    static sl_case cases[SL_MAX_CASES];
    unsigned n = sl_dc_cases(cases, iso2_BodyType_ChargeParameterDiscoveryReq, iso2_BodyType_PreChargeReq,
                             iso2_BodyType_CurrentDemandReq, 1);
    /* AC: our car's on-board charger takes at most 400 V (sess_pev_config_default's ac_max_v); the lie's 1000 V
     * and -16 A (the negative of the car's 16 A) as the DC ones. */
    const int cpd = iso2_BodyType_ChargeParameterDiscoveryReq, status = iso2_BodyType_ChargingStatusReq;
    const sl_case ac[] = {
        { "AC: negative EVSEMaxCurrent", status, 5, SL_AC_MAX_A, -16.0f, NULL, 1, SESS_STOP_IMPLAUSIBLE, 0, -1 },
        { "AC: negative maximum current", cpd, 1, SL_MAX_A, -16.0f, NULL, 1, SESS_STOP_EVSE_LIMITS, 0, -1 },
        { "AC: nominal voltage above the car's maximum", cpd, 1, SL_AC_NOMINAL_V, 1000.0f, NULL, 1,
          SESS_STOP_EVSE_LIMITS, 0, -1 },
    };
    for (unsigned i = 0; i < sizeof ac / sizeof ac[0]; i++) cases[n++] = ac[i];
    return sl_main("iso2_lies", &P, cases, n);
}
