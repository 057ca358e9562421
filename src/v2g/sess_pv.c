/* PhysicalValue (Value x 10^Multiplier with an int16 Value) to and from float, for every protocol that has one
 * (DIN 70121, ISO 15118-2). */
#include "sess_internal.h"

void sess_pv_scale(float x, int8_t *multiplier, int16_t *value)
{
    int8_t m = -1;
    float v = x * 10.0f;
    while ((v > 32767.0f || v < -32768.0f) && m < 3) {
        v /= 10.0f;
        m++;
    }
    if (v > 32767.0f) v = 32767.0f;
    if (v < -32768.0f) v = -32768.0f;
    *multiplier = m;
    *value = (int16_t)(v >= 0 ? v + 0.5f : v - 0.5f);
}

float sess_pv_value(int8_t multiplier, int16_t value)
{
    float v = value;
    for (int8_t m = multiplier; m > 0; m--) v *= 10.0f;
    for (int8_t m = multiplier; m < 0; m++) v /= 10.0f;
    return v;
}
