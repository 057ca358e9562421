/* ISO 15118-20 options of `ccsplc evse` / `ccsplc pev` (docs/config.md): the value-added services offered or
 * wanted (--vas, [evse]/[pev] vas) and the car's control mode (--control-mode, [pev] control_mode); the r key's
 * service renegotiation. */
#include <string.h>
#include <strings.h>

#include "ccsplc/core/sess.h"
#include "ccsplc/linux/log.h"
#include "live.h"

/* "none" or a comma-separated list of: internet. */
int live_vas_parse(const char *s, uint8_t *out)
{
    static const struct {
        const char *name;
        uint8_t bit;
    } vas[] = { { "internet", SESS_VAS_INTERNET } };
    uint8_t bits = 0;
    if (!strcasecmp(s, "none")) return *out = 0, 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        size_t i = 0;
        while (i < sizeof vas / sizeof vas[0] && (strlen(vas[i].name) != n || strncasecmp(s, vas[i].name, n))) i++;
        if (i == sizeof vas / sizeof vas[0]) return -1;
        bits |= vas[i].bit;
        s += n + (s[n] == ',');
    }
    *out = bits;
    return 0;
}

/* dynamic or scheduled. */
int live_control_parse(const char *s, uint8_t *out)
{
    if (!strcasecmp(s, "dynamic")) return *out = SESS_CONTROL_DYNAMIC, 0;
    if (!strcasecmp(s, "scheduled")) return *out = SESS_CONTROL_SCHEDULED, 0;
    return -1;
}

static int iso20(const sess_proto *p) { return p && !strncmp(sess_proto_name(p), "iso20", 5); }

void live_reneg_request(live *l)
{
    if (l->o.role == LIVE_EVSE) {
        sess_evse *e = l->car ? &l->car->evse : NULL;
        if (!e || e->phase != SESS_RUNNING || !iso20(e->proto) || !e->cfg.service_renegotiation) {
            LOG_W("evse: only an ISO 15118-20 session renegotiates its services (and not with --no-renegotiation)");
            return;
        }
        LOG_I("evse: asking the car to renegotiate the services (EVSENotification ServiceRenegotiation)");
        e->in.notice = SESS_NOTICE_SERVICE_RENEGOTIATION;
        return;
    }
    if (l->pev.phase != SESS_RUNNING || !iso20(l->pev.proto)) {
        LOG_W("pev: only an ISO 15118-20 session renegotiates its services");
        return;
    }
    LOG_I("pev: renegotiating the services (SessionStop ServiceRenegotiation, where the charger supports it)");
    l->pev.in.service_request = 1;
}
