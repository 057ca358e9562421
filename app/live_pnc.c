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
    if (o->role == LIVE_EVSE && !o->mo_root[0] && (o->revoked[0] || o->allow[0] || o->auth_cmd[0] || o->auth_socket[0])) {
        LOG_E("evse: --revoked, --allow, --auth-cmd and --auth-socket check contracts: they need --mo-root (docs/pnc.md)");
        return -1;
    }
    if (o->role == LIVE_PEV && o->prov_cert[0] && (!o->prov_key[0] || !o->pnc || !o->tls_ca[0])) {
        LOG_E("pev: --prov-cert needs --prov-key, --pnc and --tls-ca (the V2G roots; docs/pnc.md)");
        return -1;
    }
    if (o->role == LIVE_EVSE && o->cps_cert[0] &&
        (!o->cps_key[0] || !o->oem_root[0] || !o->mo_root[0] || !o->install_cert[0] != !o->install_key[0])) {
        LOG_E("evse: --cps-cert needs --cps-key, --oem-root and --mo-root; --install-cert and --install-key go "
              "together (docs/pnc.md)");
        return -1;
    }
    return 0;
}

/* CertificateInstallation / -Update: the charger's CPS, or the car's provisioning credentials (then its contract
 * is loaded, or found missing, there). 0 or -1 (logged). */
static int certinst_init(live *l)
{
    const live_options *o = &l->o;
    char err[320];
    l->pnc_ci = NULL;
    if (o->role == LIVE_EVSE && o->cps_cert[0]) {
        pnc_ci_cps_files f = { o->cps_cert, o->cps_key, o->oem_root, o->install_cert, o->install_key };
        if (pnc_ci_cps_open(&f, &l->pnc_cps, &l->pnc_ci, err, sizeof err)) {
            LOG_E("evse: CertificateInstallation: %s", err);
            return -1;
        }
        LOG_I("pnc: CertificateInstallation/-Update offered, provisioning certificates checked against %s; %s%s",
              o->oem_root, o->install_cert[0] ? "the contract handed out: " : "no contract to hand out",
              o->install_cert);
    } else if (o->role == LIVE_PEV && o->prov_cert[0]) {
        pnc_ci_car_files f = { o->prov_cert, o->prov_key, o->tls_ca, o->contract_cert, o->contract_key,
                               (uint64_t)(o->renew_days * 86400.0f) };
        if (pnc_ci_car_open(&f, &l->pnc_contract, &l->pnc, &l->pnc_installer, &l->pnc_ci, err, sizeof err)) {
            LOG_E("pev: CertificateInstallation: %s", err);
            return -1;
        }
        if (!l->pnc_contract.nchain)
            LOG_I("pnc: no contract in %s yet: one is installed with the provisioning certificate %s",
                  o->contract_cert, o->prov_cert);
    }
    return 0;
}

/* The charger's revocation sources (--revoked, a comma list) and its authorization backend (--allow,
 * --auth-cmd or --auth-socket). 0 or -1 (logged). */
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
    if (!o->allow[0] && !o->auth_cmd[0] && !o->auth_socket[0]) return 0;
    if (auth_backend_open(o->allow[0] ? o->allow : NULL, o->auth_cmd[0] ? o->auth_cmd : NULL, o->auth_timeout_ms,
                          &l->auth, err, sizeof err) ||
        (o->auth_socket[0] && auth_backend_socket(l->auth, o->auth_socket, err, sizeof err))) {
        LOG_E("evse: Plug & Charge: %s", err);
        return -1;
    }
    auth_backend_attach(l->auth, &l->pnc_checker);
    const char *asker = o->auth_cmd[0] ? "the command" : o->auth_socket[0] ? "the socket" : "";
    LOG_I("pnc: contracts authorized by %s%s%s%s", o->allow[0] ? "the allow-list " : "", o->allow,
          o->allow[0] && asker[0] ? " and " : "", asker);
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
        if (contract_checks(l) || certinst_init(l)) return -1;
    } else if (o->role == LIVE_PEV && o->pnc && o->prov_cert[0]) {
        if (certinst_init(l)) return -1;
        if (o->tls == LIVE_TLS_OFF) LOG_W("pev: chargers offer Plug & Charge on TLS only: --tls ask or require");
        if (l->pnc_contract.nchain)
            LOG_I("pnc: contract %s (%u certificates), paying by contract where offered", l->pnc_contract.emaid,
                  l->pnc_contract.nchain);
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
    p->pnc = (l->pnc || l->pnc_ci) && l->o.role == LIVE_PEV ? &l->pnc_contract : NULL;
    e->cps = l->pnc_ci && l->o.role == LIVE_EVSE ? &l->pnc_cps : NULL;
    p->install = l->pnc_ci && l->o.role == LIVE_PEV ? &l->pnc_installer : NULL;
}

void live_pnc_end(live *l)
{
    auth_backend_free(l->auth);
    l->auth = NULL;
    pnc_keys_free(l->pnc);
    l->pnc = NULL;
    pnc_ci_free(l->pnc_ci);
    l->pnc_ci = NULL;
}
