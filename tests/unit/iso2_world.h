/* ISO 15118-2 on the session test harness (sess_world.h): a charger and a car that speak ISO-2, DC or AC. */
#ifndef CCSPLC_TEST_ISO2_WORLD_H
#define CCSPLC_TEST_ISO2_WORLD_H
#include "ccsplc/core/v2gtp.h"
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

/* The ISO-2 document of a V2GTP message in flight (decoded into doc): 1 when it is one. */
static inline int iw_decode(const uint8_t *buf, size_t len, struct iso2_exiDocument *doc)
{
    return len > V2GTP_HEADER_LEN && iso2_decode(buf + V2GTP_HEADER_LEN, len - V2GTP_HEADER_LEN, doc) == 0;
}

/* doc as a V2GTP message into buf (SESS_TX_CAP bytes), a hook's rewrite: 0, or a negative CCS_E* code (no
 * cmocka here: the fuzz targets share this header). */
static inline int iw_encode(const struct iso2_exiDocument *doc, uint8_t *buf, size_t *len)
{
    size_t n;
    int rc = iso2_encode(doc, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN, &n);
    if (!rc) rc = v2gtp_pack_header(V2GTP_EXI, (uint32_t)n, buf, V2GTP_HEADER_LEN);
    if (!rc) *len = V2GTP_HEADER_LEN + n;
    return rc;
}

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
