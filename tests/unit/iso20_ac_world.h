/* ISO 15118-20 AC on the session test harness (sess_world.h): a charger offering its default protocols (ISO-20 AC
 * among them) and a car that speaks ISO-20 AC, the AC supply (3 x 230 V, 32 A; single-phase when the car is) and
 * the car's on-board charger; the V2GTP message decoded with the codec its payload type names, re-encoded, and a
 * ServiceDetailRes cut to some parameter sets. */
#ifndef CCSPLC_TEST_ISO20_AC_WORLD_H
#define CCSPLC_TEST_ISO20_AC_WORLD_H
#include "sess_world.h"
#include "v2g/iso20_ac_internal.h"

typedef void (*aw_tweak)(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b);

static inline void aw_setup(sw_world *w, int phases, aw_tweak tweak)
{
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    p.protos[0] = &sess_proto_iso20_ac;
    p.ac = 1;
    p.ac_phases = (uint8_t)phases;
    phys_charger_default_ac(&c);
    c.ac_phases = (uint8_t)phases;
    if (tweak) tweak(&e, &p, &c, &b);
    sw_init(w, &e, &p, &c, &b);
}

/* aw_setup's tweak for ISO-20 DC instead: the car and the charger's power stage (the default charger offers both). */
static inline void aw_dc_car(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)e, (void)b;
    p->protos[0] = &sess_proto_iso20;
    p->ac = 0;
    phys_charger_default(c);
}

/* A V2GTP message of either ISO-20 service decoded with the codec of its payload type (the AC protocol's glue for
 * 0x8002 and 0x8003, the DC protocol's for 0x8004): its message id (the AC glue names both), or -1. */
static inline int aw_msg_of(const uint8_t *buf, size_t len, struct sess_iso20_doc *d)
{
    v2gtp_msg m;
    if (v2gtp_parse(buf, len, SESS_TX_CAP, &m) != 0) return -1;
    int rc = m.payload_type == V2GTP_ISO20_DC ? iso20_glue_decode_typed(m.payload_type, m.payload, m.payload_len, d, NULL)
                                              : iso20ac_decode_typed(m.payload_type, m.payload, m.payload_len, d, NULL);
    return rc ? -1 : iso20ac_msg_of(d);
}

/* d re-encoded into buf as a V2GTP message of its payload type. */
static inline int aw_encode(const struct sess_iso20_doc *d, uint8_t *buf, size_t *len)
{
    size_t n;
    if (iso20ac_glue_encode(d, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN, &n) ||
        v2gtp_pack_header(d->payload_type, (uint32_t)n, buf, SESS_TX_CAP))
        return -1;
    *len = n + V2GTP_HEADER_LEN;
    return 0;
}

/* Keep only the parameter sets whose intValue `name` is `value` in a ServiceDetailRes d (decoded from buf) and
 * re-encode it into buf: the car then selects one of those. */
static inline int aw_keep_sets(struct sess_iso20_doc *d, const char *name, int value, uint8_t *buf, size_t *len)
{
    struct iso20_ServiceParameterListType *l = &d->common.ServiceDetailRes.ServiceParameterList;
    uint16_t k = 0;
    for (uint16_t i = 0; i < l->ParameterSet.count; i++)
        if (iso20_param(&l->ParameterSet.array[i], name) == value) l->ParameterSet.array[k++] = l->ParameterSet.array[i];
    l->ParameterSet.count = k;
    return aw_encode(d, buf, len);
}

#endif
