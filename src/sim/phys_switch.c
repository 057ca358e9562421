/* Contactor and control-pilot models: contactors switch after a delay and count openings under load; the CP
 * state follows from plug and S2 (IEC 61851-1 states A/B/C). */
#include "ccsplc/sim/physics.h"

void phys_contactor_init(phys_contactor *k, uint32_t delay_ms, float max_break_a)
{
    *k = (phys_contactor){ .delay_ms = delay_ms, .max_break_a = max_break_a };
}

void phys_contactor_step(phys_contactor *k, int close, float current_a, uint32_t dt_ms)
{
    if ((close != 0) == k->closed) {
        k->pending_ms = 0;
        return;
    }
    k->pending_ms += dt_ms;
    if (k->pending_ms < k->delay_ms) return;
    k->pending_ms = 0;
    if (k->closed && (current_a > k->max_break_a || current_a < -k->max_break_a)) k->opened_under_load++;
    k->closed = close != 0;
}

phys_cp_state phys_cp_state_of(int plugged, int s2_closed)
{
    if (!plugged) return PHYS_CP_A;
    return s2_closed ? PHYS_CP_C : PHYS_CP_B;
}

float phys_cp_voltage(phys_cp_state s)
{
    static const float v[] = { 12.0f, 9.0f, 6.0f };
    return v[s];
}

char phys_cp_letter(phys_cp_state s) { return (char)('A' + s); }
