/* The SLAC phase shared by `ccsplc evse` and `ccsplc pev`: link, loop, runner, log of the match. */
#include "slac_phase.h"

#include <stdio.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/random.h"
#include "ccsplc/core/sha256.h"
#include "app_streams.h"

static void log_match(const app_slac *s, ccs_slac_role role)
{
    const slac_match_info *m = ccs_slac_match(&s->slac);
    char mac[CCS_MAC_TEXT], nid[2 * HPGP_NID_LEN + 1];
    for (unsigned i = 0; i < HPGP_NID_LEN; i++) snprintf(nid + 2 * i, 3, "%02X", m->nid[i]);
    LOG_I("slac: matched %s %s, mean attenuation %u dB, NID %s%s", role == CCS_SLAC_EVSE ? "PEV" : "EVSE",
          ccs_mac_format(m->mac, mac), m->atten_db, nid, role == CCS_SLAC_PEV ? ", link up" : "");
}

int app_slac_open(app_slac *s, const char *ifname)
{
    memset(s, 0, sizeof *s);
    ccs_loop_init(&s->loop);
    int rc = ccs_link_open(&s->link, ifname, CCS_LINK_HPGP);
    if (rc) LOG_E("slac: cannot open %s: %s (needs CAP_NET_RAW)", ifname, ccs_strerror(rc));
    else ccs_loop_stop_on_signals(&s->loop, CCS_ESTATE);
    app_streams_watch(&s->loop);
    return rc;
}

int app_slac_run(app_slac *s, ccs_slac_role role, const char *ifname, uint32_t timeout_ms)
{
    int rc;
    char mac[CCS_MAC_TEXT];
    LOG_I("slac: %s on %s (%s)", role == CCS_SLAC_EVSE ? "EVSE" : "PEV", ifname, ccs_mac_format(s->link.mac, mac));
    if (role == CCS_SLAC_EVSE) {
        slac_evse_config c;
        slac_evse_config_default(&c, s->link.mac, ccs_random_getrandom, NULL, ccs_sha256_openssl);
        rc = ccs_slac_run_evse(&s->slac, &s->loop, &s->link, &c, timeout_ms);
    } else {
        slac_pev_config c;
        slac_pev_config_default(&c, s->link.mac, ccs_random_getrandom, NULL);
        rc = ccs_slac_run_pev(&s->slac, &s->loop, &s->link, &c, timeout_ms);
    }
    if (rc == 0) log_match(s, role);
    else if (role == CCS_SLAC_EVSE && rc == CCS_ETIMEOUT)
        LOG_I("slac: not matched: no car within the wait");   /* an idle charger, not an error */
    else
        LOG_E("slac: not matched: %s", rc == CCS_ESTATE ? "interrupted" : ccs_strerror(rc));
    return rc;
}

void app_slac_close(app_slac *s)
{
    ccs_slac_detach(&s->slac);
    ccs_link_close(&s->link);
    ccs_loop_close(&s->loop);
}
