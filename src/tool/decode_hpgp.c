/* HomePlug frames of a capture as records: MMTYPE names, the SLAC fields that matter, roles (the car sends
 * CM_SLAC_PARAM.REQ, the charger CM_SLAC_MATCH.CNF) and the host<>modem traffic. Host side. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/hpgp.h"
#include "decode_int.h"
#include "exi_values_text.h"

/* SLAC messages by who sends them (ISO 15118-3); everything else is a host talking to its modem. */
static dec_dir direction(const dec_analyzer *a, const hpgp_header *h)
{
    uint16_t base = h->mmtype & (uint16_t)~3u, sub = h->mmtype & 3u;
    switch (base) {
    case HPGP_CM_SLAC_PARAM:
    case HPGP_CM_VALIDATE:
    case HPGP_CM_SLAC_MATCH: return sub == HPGP_REQ ? DEC_DIR_CAR_TO_CHARGER : DEC_DIR_CHARGER_TO_CAR;
    case HPGP_CM_START_ATTEN_CHAR:
    case HPGP_CM_MNBC_SOUND: return DEC_DIR_CAR_TO_CHARGER;
    case HPGP_CM_ATTEN_CHAR: return sub == HPGP_IND ? DEC_DIR_CHARGER_TO_CAR : DEC_DIR_CAR_TO_CHARGER;
    default: break;
    }
    if (a->has_car_mac && (!memcmp(h->src, a->car_mac, 6) || !memcmp(h->dst, a->car_mac, 6)))
        return DEC_DIR_CAR_MODEM;
    if (a->has_charger_mac && (!memcmp(h->src, a->charger_mac, 6) || !memcmp(h->dst, a->charger_mac, 6)))
        return DEC_DIR_CHARGER_MODEM;
    return DEC_DIR_HOST_MODEM;
}

static void put_hex(dec_fieldbuf *f, const char *key, const uint8_t *p, size_t n)
{
    char hex[2 * HPGP_ID_LEN + 1];
    dec_hex(p, n, hex, sizeof hex);
    dec_field_put(f, key, hex);
}

static void put_mac(dec_fieldbuf *f, const char *key, const uint8_t mac[6])
{
    char t[18];
    dec_mac_text(mac, t, sizeof t);
    dec_field_put(f, key, t);
}

static unsigned mean(const uint8_t *v, unsigned n)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += v[i];
    return n ? (sum + n / 2) / n : 0;
}

/* The fields of the messages a SLAC or link-setup reader looks at. */
static void put_fields(dec_fieldbuf *f, const hpgp_msg *m)
{
    const hpgp_slac_match *sm = &m->u.slac_match;
    const hpgp_atten_char *ac = &m->u.atten_char;
    switch (m->kind) {
    case HPGP_K_SLAC_PARAM_REQ: put_hex(f, "RunID", m->u.slac_param_req.run_id, HPGP_RUN_ID_LEN); break;
    case HPGP_K_SLAC_PARAM_CNF:
        put_hex(f, "RunID", m->u.slac_param_cnf.run_id, HPGP_RUN_ID_LEN);
        dec_field_putu(f, "NumSounds", m->u.slac_param_cnf.num_sounds);
        dec_field_putu(f, "TimeOut", m->u.slac_param_cnf.time_out);
        break;
    case HPGP_K_START_ATTEN_CHAR_IND:
        put_hex(f, "RunID", m->u.start_atten_char.run_id, HPGP_RUN_ID_LEN);
        dec_field_putu(f, "NumSounds", m->u.start_atten_char.num_sounds);
        break;
    case HPGP_K_MNBC_SOUND_IND:
        put_hex(f, "RunID", m->u.mnbc_sound.run_id, HPGP_RUN_ID_LEN);
        dec_field_putu(f, "Cnt", m->u.mnbc_sound.cnt);
        break;
    case HPGP_K_ATTEN_PROFILE_IND:
        put_mac(f, "PEV_MAC", m->u.atten_profile.pev_mac);
        dec_field_putu(f, "NumGroups", m->u.atten_profile.num_groups);
        break;
    case HPGP_K_ATTEN_CHAR_IND:
    case HPGP_K_ATTEN_CHAR_RSP:
        put_hex(f, "RunID", ac->run_id, HPGP_RUN_ID_LEN);
        put_mac(f, "SourceAddress", ac->source_address);
        if (m->kind == HPGP_K_ATTEN_CHAR_RSP) {
            dec_field_putu(f, "Result", ac->result);
        } else {
            dec_field_putu(f, "NumSounds", ac->num_sounds);
            dec_field_putu(f, "NumGroups", ac->num_groups);
            dec_field_putu(f, "MeanAttenuation",
                           mean(ac->aag, ac->num_groups < HPGP_NUM_GROUPS ? ac->num_groups : HPGP_NUM_GROUPS));
        }
        break;
    case HPGP_K_VALIDATE_REQ:
    case HPGP_K_VALIDATE_CNF: dec_field_putu(f, "Result", m->u.validate.result); break;
    case HPGP_K_SLAC_MATCH_REQ:
    case HPGP_K_SLAC_MATCH_CNF:
        put_hex(f, "RunID", sm->run_id, HPGP_RUN_ID_LEN);
        put_mac(f, "PEV_MAC", sm->pev_mac);
        put_mac(f, "EVSE_MAC", sm->evse_mac);
        if (m->kind == HPGP_K_SLAC_MATCH_CNF) {
            put_hex(f, "NID", sm->nid, HPGP_NID_LEN);
            put_hex(f, "NMK", sm->nmk, HPGP_NMK_LEN);
        }
        break;
    case HPGP_K_SET_KEY_REQ:
        put_hex(f, "NID", m->u.set_key_req.nid, HPGP_NID_LEN);
        put_hex(f, "NMK", m->u.set_key_req.new_key, HPGP_NMK_LEN);
        break;
    case HPGP_K_SW_VER_CNF: { /* text from the wire: escaped as EXI strings are (%XX), never raw to a terminal */
        char v[3 * 255 + 1];
        exi_text_kv_escape(m->u.sw_ver_cnf.version,
                           strnlen((const char *)m->u.sw_ver_cnf.version, m->u.sw_ver_cnf.version_len), v, sizeof v);
        dec_field_put(f, "Version", v);
        break;
    }
    case HPGP_K_LINK_STATUS_CNF: dec_field_putu(f, "LinkUp", m->u.status.value); break;
    default: break;
    }
}

/* Sessions and roles: a new SLAC run of the car after a V2G session starts the next session. */
static int learn(dec_analyzer *a, const hpgp_msg *m, int unpacked, uint64_t ts_ns)
{
    if (!unpacked)
        return a->cur;
    switch (m->kind) {
    case HPGP_K_SLAC_PARAM_REQ:
        dec_session_for_link(a, ts_ns);
        dec_learn_car_mac(a, m->hdr.src);
        break;
    case HPGP_K_SLAC_MATCH_CNF:
        dec_learn_car_mac(a, m->u.slac_match.pev_mac);
        dec_learn_charger_mac(a, m->hdr.src);
        break;
    default: break;
    }
    return a->cur;
}

void dec_on_homeplug(void *ctx, uint64_t ts_ns, const uint8_t *frame, size_t len)
{
    dec_analyzer *a = ctx;
    hpgp_msg m;
    char name[32] = "HomePlug", src[18] = "", dst[18] = "", keys[512], fault[160];
    int rc = hpgp_unpack(frame, len, &m);
    int have_hdr = rc == 0 || rc == CCS_EUNSUPP || rc == CCS_ECAP;
    dec_record r = {.ts_ns = ts_ns, .conn = -1, .layer = DEC_LAYER_HOMEPLUG, .proto = "hpgp", .name = name,
                    .keys = keys, .src = src, .dst = dst, .raw = frame, .raw_len = len};
    dec_fields_begin(&a->fb);
    if (have_hdr) {
        hpgp_mmtype_name(m.hdr.mmtype, name, sizeof name);
        dec_mac_text(m.hdr.src, src, sizeof src);
        dec_mac_text(m.hdr.dst, dst, sizeof dst);
        r.dir = direction(a, &m.hdr);
        if (rc == 0)
            put_fields(&a->fb, &m);
    } else {
        r.error = ccs_strerror(rc);
    }
    if (rc == CCS_ECAP)
        r.error = ccs_strerror(rc);
    dec_fields_end(&a->fb, &r);
    r.session = learn(a, &m, rc == 0, ts_ns);
    if (have_hdr && r.dir >= DEC_DIR_CAR_MODEM)
        r.dir = direction(a, &m.hdr); /* roles may have been learned from this very frame */
    dec_keys_join(&r, 0, keys, sizeof keys);
    if (rc == 0)
        dec_faults_slac(a, &m, &r, fault, sizeof fault);
    dec_emit(a, &r);
}
