/* Plug & Charge of `ccsplc evse` / `ccsplc pev` (ISO 15118-2 and -20, docs/pnc.md): the charger's MO roots (and
 * ISO-20 providers) or the car's contract from the options, loaded with the OpenSSL hooks and handed to the
 * session engines. */
#include <stdio.h>
#include <string.h>

#include "ccsplc/linux/log.h"
#include "live.h"

int live_pnc_check(const live_options *o)
{
    if (o->role == LIVE_PEV && o->pnc && (!o->contract_cert[0] || !o->contract_key[0])) {
        LOG_E("pev: --pnc needs --contract-cert and --contract-key (docs/pnc.md)");
        return -1;
    }
    if (o->role == LIVE_EVSE && !o->mo_root[0] && (o->revoked[0] || o->allow[0] || o->auth_cmd[0])) {
        LOG_E("evse: --revoked, --allow and --auth-cmd check contracts: they need --mo-root (docs/pnc.md)");
        return -1;
    }
    return 0;
}

/* The charger's revocation sources (--revoked, a comma list) and its authorization backend (--allow,
 * --auth-cmd). 0 or -1 (logged). */
static int contract_checks(live *l)
{
    const live_options *o = &l->o;
    char err[320], list[sizeof o->revoked];
    snprintf(list, sizeof list, "%s", o->revoked);
    char *save = NULL;
    for (char *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        if (pnc_checker_revoked(l->pnc, f, err, sizeof err)) {
            LOG_E("evse: Plug & Charge: %s", err);
            return -1;
        }
        LOG_I("pnc: revoked certificates and eMAIDs from %s", f);
    }
    l->auth = NULL;
    if (!o->allow[0] && !o->auth_cmd[0]) return 0;
    if (auth_backend_open(o->allow[0] ? o->allow : NULL, o->auth_cmd[0] ? o->auth_cmd : NULL, o->auth_timeout_ms,
                          &l->auth, err, sizeof err)) {
        LOG_E("evse: Plug & Charge: %s", err);
        return -1;
    }
    auth_backend_attach(l->auth, &l->pnc_checker);
    LOG_I("pnc: contracts authorized by %s%s%s", o->allow[0] ? "the allow-list " : "", o->allow,
          o->auth_cmd[0] ? (o->allow[0] ? " and the command" : "the command") : "");
    return 0;
}

/* The providers option at its commas (empty names skipped). */
static void split_providers(live *l)
{
    snprintf(l->provider_buf, sizeof l->provider_buf, "%s", l->o.providers);
    l->nproviders = 0;
    char *save = NULL;
    for (char *t = strtok_r(l->provider_buf, ",", &save); t && l->nproviders < LIVE_PROVIDERS_MAX;
         t = strtok_r(NULL, ",", &save))
        l->providers[l->nproviders++] = t;
}

int live_pnc_init(live *l)
{
    const live_options *o = &l->o;
    char err[320];
    l->pnc = NULL;
    if (o->role == LIVE_EVSE && o->mo_root[0]) {
        if (pnc_checker_open(o->mo_root, &l->pnc_checker, &l->pnc, err, sizeof err)) {
            LOG_E("evse: Plug & Charge: %s", err);
            return -1;
        }
        if (!o->tls_cert[0]) LOG_W("evse: Plug & Charge is offered on TLS only, and this charger has no --tls-cert");
        LOG_I("pnc: Contract payment / PnC offered on TLS, contracts checked against %s", o->mo_root);
        split_providers(l);
        if (contract_checks(l)) return -1;
    } else if (o->role == LIVE_PEV && o->pnc) {
        if (pnc_contract_open(o->contract_cert, o->contract_key, &l->pnc_contract, &l->pnc, err, sizeof err)) {
            LOG_E("pev: Plug & Charge: %s", err);
            return -1;
        }
        if (o->tls == LIVE_TLS_OFF) LOG_W("pev: chargers offer Plug & Charge on TLS only: --tls ask or require");
        LOG_I("pnc: contract %s (%u certificates), paying by contract where offered", l->pnc_contract.emaid,
              l->pnc_contract.nchain);
    }
    return 0;
}

void live_pnc_attach(live *l, sess_evse_config *e, sess_pev_config *p)
{
    e->pnc = l->pnc && l->o.role == LIVE_EVSE ? &l->pnc_checker : NULL;
    e->providers = l->providers;
    e->nproviders = e->pnc ? l->nproviders : 0;
    p->pnc = l->pnc && l->o.role == LIVE_PEV ? &l->pnc_contract : NULL;
}

void live_pnc_end(live *l)
{
    auth_backend_free(l->auth);
    l->auth = NULL;
    pnc_keys_free(l->pnc);
    l->pnc = NULL;
}
