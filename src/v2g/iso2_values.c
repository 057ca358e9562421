/* ISO 15118-2 PhysicalValue (Value x 10^Multiplier, Value an int16, Unit mandatory) to and from float. */
#include "iso2_internal.h"

void iso2_pv_set(struct iso2_PhysicalValueType *pv, float x, enum iso2_unitSymbolType unit)
{
    sess_pv_scale(x, &pv->Multiplier, &pv->Value);
    pv->Unit = unit;
}

float iso2_pv_get(const struct iso2_PhysicalValueType *pv) { return sess_pv_value(pv->Multiplier, pv->Value); }
