/* DIN 70121 PhysicalValue (Value x 10^Multiplier, Value an int16) to and from float. */
#include "din_internal.h"

void din_pv_set(struct din_PhysicalValueType *pv, float x, enum din_unitSymbolType unit)
{
    int8_t m = -1;
    float v = x * 10.0f;
    while ((v > 32767.0f || v < -32768.0f) && m < 3) {
        v /= 10.0f;
        m++;
    }
    if (v > 32767.0f) v = 32767.0f;
    if (v < -32768.0f) v = -32768.0f;
    pv->Multiplier = m;
    pv->Value = (int16_t)(v >= 0 ? v + 0.5f : v - 0.5f);
    pv->has_Unit = true;
    pv->Unit = unit;
}

float din_pv_get(const struct din_PhysicalValueType *pv)
{
    float v = pv->Value;
    for (int8_t m = pv->Multiplier; m > 0; m--) v *= 10.0f;
    for (int8_t m = pv->Multiplier; m < 0; m++) v /= 10.0f;
    return v;
}
