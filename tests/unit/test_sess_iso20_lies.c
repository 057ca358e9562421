/* ISO 15118-20 DC: our car against a charger that lies (sess_lies.h): the cases every protocol shares, and a
 * RationalNumber with the schema's largest Exponent, 127 (value x 10^127: -inf and inf as a float) in the
 * charge loop's present current and voltage. ISO-20 has no DC_EVErrorCode: the stop says nothing more. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sess_lies.h"
#include "v2g/iso20_internal.h"

static void exponent_127(struct iso20_dc_RationalNumberType *rn, float value)
{
    rn->Value = (int16_t)value;
    rn->Exponent = 127;
}

static void edit(void *doc, sl_field f, float x)
{
    struct iso20_dc_exiDocument *d = ISO20_DCDOC(doc);
    struct iso20_dc_DC_ChargeLoopResType *loop = &d->DC_ChargeLoopRes;
    struct iso20_dc_DC_CPDResEnergyTransferModeType *m = &d->DC_ChargeParameterDiscoveryRes.DC_CPDResEnergyTransferMode;
    int in_loop = iso20_msg_of(doc) == ISO20_DC(DC_ChargeLoopRes);
    switch (f) {
    case SL_CURRENT: iso20_dc_rn_set(&loop->EVSEPresentCurrent, x); break;
    case SL_VOLTAGE:
        iso20_dc_rn_set(in_loop ? &loop->EVSEPresentVoltage : &d->DC_PreChargeRes.EVSEPresentVoltage, x);
        break;
    case SL_MAX_V: iso20_dc_rn_set(&m->EVSEMaximumVoltage, x); break;
    case SL_MAX_A: iso20_dc_rn_set(&m->EVSEMaximumChargeCurrent, x); break;
    case SL_EXP_CURRENT: exponent_127(&loop->EVSEPresentCurrent, x); break;
    case SL_EXP_VOLTAGE: exponent_127(&loop->EVSEPresentVoltage, x); break;
    default: fail_msg("ISO-20 DC has no field %d", (int)f);
    }
}

static int no_error_code(const void *doc)
{
    (void)doc;
    return -1;
}

static const sl_proto P = { &sess_proto_iso20, ISO20_DC(DC_ChargeLoopReq), -1, ISO20_MSG_POWER_DELIVERY_STOP, edit,
                            no_error_code };

int main(void)
{
    static sl_case cases[SL_MAX_CASES];
    const int loop = ISO20_DC(DC_ChargeLoopReq);
    unsigned n = sl_dc_cases(cases, ISO20_DC(DC_ChargeParameterDiscoveryReq), ISO20_DC(DC_PreChargeReq), loop, 0);
    const sl_case exp[] = {
        { "current -1 x 10^127", loop, 5, SL_EXP_CURRENT, -1.0f, NULL, 0, SESS_STOP_IMPLAUSIBLE, 0, -1 },
        { "voltage 1 x 10^127", loop, 5, SL_EXP_VOLTAGE, 1.0f, NULL, 0, SESS_STOP_IMPLAUSIBLE, 0, -1 },
    };
    for (unsigned i = 0; i < sizeof exp / sizeof exp[0]; i++) cases[n++] = exp[i];
    return sl_main("iso20_lies", &P, cases, n);
}
