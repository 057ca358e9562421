/* DIN 70121 PhysicalValue (Value x 10^Multiplier, Value an int16) to and from float. */
#include "din_internal.h"

void din_pv_set(struct din_PhysicalValueType *pv, float x, enum din_unitSymbolType unit)
{
    sess_pv_scale(x, &pv->Multiplier, &pv->Value);
    pv->has_Unit = true;
    pv->Unit = unit;
}

float din_pv_get(const struct din_PhysicalValueType *pv) { return sess_pv_value(pv->Multiplier, pv->Value); }
