/* ISO 15118-2 on the session test harness (sess_world.h): a charger and a car that speak ISO-2, DC or AC. */
#ifndef CCSPLC_TEST_ISO2_WORLD_H
#define CCSPLC_TEST_ISO2_WORLD_H
#include "sess_world.h"

/* AC charging: the car asks for AC (ChargingStatus loop), the charger's plant is the AC supply (mains through,
 * 3 x 230 V, 32 A) and the car's on-board charger. */
static inline void iw_ac(sess_pev_config *p, phys_charger_config *c)
{
    p->ac = 1;
    phys_charger_default_ac(c);
}

/* Defaults of sess_world with ISO-2 on both sides (the charger keeps DIN too), an AC supply for AC; tweak(e, p, c, b) may change
 * the configurations before the world starts. */
typedef void (*iw_tweak)(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b);

static inline void iw_setup(sw_world *w, int ac, iw_tweak tweak)
{
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    p.protos[0] = &sess_proto_iso2;
    if (ac) iw_ac(&p, &c);
    if (tweak) tweak(&e, &p, &c, &b);
    sw_init(w, &e, &p, &c, &b);
}

#endif
