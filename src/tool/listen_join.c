/* The chargers a listener saw (source of CM_SLAC_MATCH.CNF) with the NID/NMK each gave the car, and --join:
 * our modem takes a new key with CM_SET_KEY.REQ (as pyPLC's listen mode does) to enter the car's network.
 * Host side. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "decode_int.h"
#include "listen_int.h"

static lis_charger *charger(lis_listener *l, const uint8_t mac[6])
{
    for (size_t i = 0; i < l->nch; i++)
        if (!memcmp(l->ch[i].mac, mac, 6))
            return &l->ch[i];
    lis_charger *v = dec_grow(l->ch, &l->capch, l->nch, sizeof *v);
    if (!v)
        return NULL;
    l->ch = v;
    lis_charger *c = &l->ch[l->nch++];
    memset(c, 0, sizeof *c);
    memcpy(c->mac, mac, 6);
    return c;
}

void lis_chargers_record(lis_listener *l, const dec_record *r)
{
    hpgp_msg m;
    if (r->layer != DEC_LAYER_HOMEPLUG || r->error || hpgp_unpack(r->raw, r->raw_len, &m) ||
        m.kind != HPGP_K_SLAC_MATCH_CNF)
        return;
    lis_charger *c = charger(l, m.hdr.src);
    if (!c)
        return;
    c->matches++;
    memcpy(c->nid, m.u.slac_match.nid, HPGP_NID_LEN);
    memcpy(c->nmk, m.u.slac_match.nmk, HPGP_NMK_LEN);
    if (l->cfg.modem && (!l->has_key || memcmp(l->key, c->nmk, HPGP_NMK_LEN)))
        l->join = (int)(c - l->ch);
}

void lis_join_run(lis_listener *l)
{
    if (l->join < 0)
        return;
    lis_charger *c = &l->ch[l->join];
    l->join = -1;
    char mac[18], nid[2 * HPGP_NID_LEN + 1];
    dec_mac_text(c->mac, mac, sizeof mac);
    dec_hex(c->nid, HPGP_NID_LEN, nid, sizeof nid);
    int rc = modem_set_key_nid(&l->modem, c->nmk, c->nid, l->cfg.rng, l->cfg.rng_ctx);
    if (rc) {
        LOG_W("listen: --join: our modem did not confirm CM_SET_KEY for charger %s (NID %s): %s", mac, nid,
              ccs_strerror(rc));
        return;
    }
    c->joined = 1;
    l->has_key = 1;
    memcpy(l->key, c->nmk, HPGP_NMK_LEN);
    LOG_I("listen: joined the network of charger %s: our modem took NID %s and its NMK", mac, nid);
}

void lis_chargers_write(const lis_listener *l, FILE *out)
{
    for (size_t i = 0; i < l->nch; i++) {
        const lis_charger *c = &l->ch[i];
        char mac[18], nid[2 * HPGP_NID_LEN + 1], nmk[2 * HPGP_NMK_LEN + 1];
        dec_mac_text(c->mac, mac, sizeof mac);
        dec_hex(c->nid, HPGP_NID_LEN, nid, sizeof nid);
        dec_hex(c->nmk, HPGP_NMK_LEN, nmk, sizeof nmk);
        if (l->cfg.format == LIS_OUT_JSON)
            fprintf(out,
                    "{\"layer\":\"charger\",\"mac\":\"%s\",\"nid\":\"%s\",\"nmk\":\"%s\",\"matches\":%u,"
                    "\"joined\":%s}\n",
                    mac, nid, nmk, c->matches, c->joined ? "true" : "false");
        else
            fprintf(out, "%s %s: NID %s, NMK %s, %u CM_SLAC_MATCH.CNF%s%s\n", i ? "        " : "\nchargers:", mac, nid,
                    nmk, c->matches, c->matches == 1 ? "" : "s", c->joined ? ", joined" : "");
    }
}
