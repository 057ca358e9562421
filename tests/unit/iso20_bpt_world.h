/* ISO 15118-20 bidirectional (DC_BPT, AC_BPT) on the session test harness (sess_world.h): a charger whose power
 * stage can discharge (so it offers the BPT service) and a car set to discharge to a SoC first; ISO-20 messages of
 * any payload type (CommonMessages, DC, AC) decoded and re-encoded with the codec it names. */
#ifndef CCSPLC_TEST_ISO20_BPT_WORLD_H
#define CCSPLC_TEST_ISO20_BPT_WORLD_H
#include "iso20_ac_world.h"

/* The plant's discharge limits are the charger session's (as `ccsplc evse` sets them); the car discharges to
 * discharge_soc (0: it only charges). ac: ISO-20 AC three-phase, else DC. */
static inline void bw_setup(sw_world *w, int ac, uint8_t discharge_soc, aw_tweak tweak)
{
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    if (ac) {
        p.protos[0] = &sess_proto_iso20_ac;
        p.ac = 1;
        phys_charger_default_ac(&c);
    } else {
        p.protos[0] = &sess_proto_iso20;
    }
    p.discharge_soc = discharge_soc;
    if (tweak) tweak(&e, &p, &c, &b);
    e.discharge_max_a = c.discharge_max_a;
    e.discharge_max_w = c.discharge_max_w;
    sw_init(w, &e, &p, &c, &b);
}

/* A V2GTP message of any ISO-20 payload type decoded into d: its message id (iso20ac_msg_of / iso20_msg_of), or
 * -1. */
static inline int bw_msg_of(const uint8_t *buf, size_t len, struct sess_iso20_doc *d)
{
    v2gtp_msg m;
    if (v2gtp_parse(buf, len, SESS_TX_CAP, &m) != 0) return -1;
    if (m.payload_type == V2GTP_ISO20_AC) return aw_msg_of(buf, len, d);
    if (iso20_glue_decode_typed(m.payload_type, m.payload, m.payload_len, d, NULL) != 0) return -1;
    return iso20_msg_of(d);
}

/* A watch hook's decoding: the message's id, or -1 with an undecodable one counted in *bad once the car has the
 * charger's choice (before: SupportedAppProtocol). */
static inline int bw_watch_msg(const sw_world *w, const uint8_t *buf, size_t len, struct sess_iso20_doc *d,
                               unsigned *bad)
{
    int msg = bw_msg_of(buf, len, d);
    if (msg < 0) *bad += w->pev.proto != NULL;
    return msg;
}

#endif
