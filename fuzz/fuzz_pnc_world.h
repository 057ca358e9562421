/* Shared by fuzz_sess and fuzz_pnc_*: one whole session with Plug & Charge between our engines on TLS (protocol
 * proto of rel_protos, named so: ISO-2 DC paying by contract or ISO-20 DC identified by PnC; rel_world.h's
 * configuration), with the crypto hooks given (cps, in: certificate installation, or NULL) and a hook watching
 * every message; FUZZ_CHECKed to end normally. */
#ifndef CCSPLC_FUZZ_PNC_WORLD_H
#define CCSPLC_FUZZ_PNC_WORLD_H

#include "fuzz_util.h"
#include "rel_world.h"

/* A seed file DIR/name: byte first, then b[n]. */
static inline void fuzz_pnc_write_seed(const char *dir, const char *name, uint8_t first, const uint8_t *b, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    fputc(first, f);
    fwrite(b, 1, n, f);
    fclose(f);
}

/* The charger's random source: a fixed challenge (the seeds stay valid). */
static inline int fuzz_pnc_rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    memset(out, 0x11, len);
    return 0;
}

static void fuzz_pnc_session(sw_world *w, unsigned proto, const char *name, const ccs_pnc_checker *k,
                             const ccs_pnc_contract *c, ccs_random_fn rng, uint64_t clock_unix_s, sw_hook hook,
                             const ccs_pnc_cps *cps, const ccs_pnc_installer *in)
{
    sess_evse_config ec;
    sess_pev_config pc;
    phys_charger_config cc;
    phys_battery_config bc;
    FUZZ_CHECK(!strcmp(rel_protos[proto], name));
    rel_configs(proto, &ec, &pc, &cc, &bc);
    ec.pnc = k;
    ec.rng = rng;
    ec.clock_unix_s = pc.clock_unix_s = clock_unix_s;
    pc.pnc = c;
    ec.cps = cps;
    pc.install = in;
    sw_init(w, &ec, &pc, &cc, &bc);
    w->evse.tls = 1;
    w->hook = hook;
    sw_connect(w);
    FUZZ_CHECK(sw_run(w, 3600000, sw_both_ended) && w->evse.stop == SESS_STOP_NORMAL && w->evse.pnc);
}

#endif
