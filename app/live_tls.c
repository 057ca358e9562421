/* TLS of `ccsplc evse` / `ccsplc pev` (docs/pnc.md): the context from the options (credentials, roots, key log;
 * TLS 1.2 for ISO 15118-2, TLS 1.3 for ISO 15118-20 by the protocol list), the security the car's SDP request
 * asks for, and the car's decision on the charger's answer. */
#include <string.h>
#include <strings.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "live.h"

int live_tls_mode_parse(const char *s, live_tls_mode *out)
{
    static const char *const names[][2] = { { "off", "no" }, { "ask", "yes" }, { "require", "required" } };
    for (int i = 0; i < 3; i++)
        if (!strcasecmp(s, names[i][0]) || !strcasecmp(s, names[i][1])) return *out = (live_tls_mode)i, 0;
    return -1;
}

static const char *opt(const char *s) { return s[0] ? s : NULL; }

/* ISO 15118-20, DC or AC (TLS 1.3). */
static int is_iso20(const sess_proto *p)
{
#if CCS_PROTO_ISO20_AC
    if (p == &sess_proto_iso20_ac) return 1;
#endif
    return p == &sess_proto_iso20;
}

/* Whether the options ask for TLS at all: a car that asks for it, a charger with a certificate. */
static int wanted(const live_options *o)
{
    return o->role == LIVE_PEV ? o->tls != LIVE_TLS_OFF : o->tls_cert[0] || o->tls == LIVE_TLS_REQUIRE;
}

int live_tls_init(live *l)
{
    const live_options *o = &l->o;
    l->tls = NULL;
    if (live_pnc_init(l)) return -1;
    if (!wanted(o)) {
        if (o->keylog[0]) LOG_W("%s: a key log without TLS stays empty", live_role_name(l));
        return 0;
    }
    if (o->sim) {
        LOG_E("%s: TLS runs on an interface (-i), not with --sim", live_role_name(l));
        live_pnc_end(l);
        return -1;
    }
    int iso20 = 0, older = 0;
    for (uint8_t i = 0; i < l->protos.n; i++) {
        if (is_iso20(l->protos.protos[i])) iso20 = 1;
        else older = 1;
    }
    /* ISO 15118-2: TLS 1.2; ISO 15118-20: TLS 1.3 (DIN 70121 has no TLS: its session stays plain if TLS fails to
     * be offered) */
    tls_config cfg = { .server = o->role == LIVE_EVSE, .cert = opt(o->tls_cert), .key = opt(o->tls_key),
                       .ca = opt(o->tls_ca), .keylog = opt(o->keylog), .min_version = older ? TLS_V12 : TLS_V13,
                       .max_version = iso20 ? TLS_V13 : TLS_V12 };
    char err[320];
    if (tls_ctx_new(&cfg, &l->tls, err, sizeof err)) {
        LOG_E("%s: TLS: %s", live_role_name(l), err);
        live_pnc_end(l);
        return -1;
    }
    LOG_I("tls: TLS %s%s%s%s%s", cfg.min_version == TLS_V12 ? "1.2" : "1.3",
          cfg.max_version != cfg.min_version ? " and 1.3" : "",
          o->role == LIVE_EVSE ? (o->tls == LIVE_TLS_REQUIRE ? ", required" : ", offered when the car asks")
                               : (o->tls == LIVE_TLS_REQUIRE ? ", required" : ", asked for"),
          cfg.cert ? ", certificate " : "", cfg.cert ? cfg.cert : "");
    if (cfg.keylog) LOG_W("tls: session keys written to %s (anyone with this file can decrypt the sessions)", cfg.keylog);
    return 0;
}

void live_tls_end(live *l)
{
    tls_ctx_free(l->tls);
    l->tls = NULL;
    live_pnc_end(l);
}

uint8_t live_tls_security(const live *l) { return l->tls ? SDP_SECURITY_TLS : SDP_SECURITY_NONE; }

int live_tls_choose(live *l)
{
    int tls = l->sdp.result.security == SDP_SECURITY_TLS;
    if (tls && !l->tls) {
        LOG_E("sdp: the charger offers TLS only, and this car has no TLS (--tls, docs/pnc.md): no session");
        return CCS_EPROTO;
    }
    if (!tls && l->tls && l->o.tls == LIVE_TLS_REQUIRE) {
        LOG_E("sdp: the charger offers no TLS and this car requires it (--tls require): no session");
        return CCS_EPROTO;
    }
    if (!tls && l->tls) LOG_W("sdp: the charger offers no TLS: plain TCP (--tls require refuses it)");
    return tls;
}
