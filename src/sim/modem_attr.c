/* A simulated modem's version reports from its firmware string: VS_SW_VER.CNF, and VS_OP_ATTRIBUTES.CNF with
 * the fields of "MAC-QCA7000-1.1.0.727-02-20130826-FINAL" (type, family, major.minor.composite.build,
 * sustaining, date, release) where the captured QCA7420 puts them. */
#include <string.h>

#include "sim_internal.h"

enum { OP_ATTR_REPORT_LEN = 118 /* what the captured QCA7420 reports */ };

static size_t text_len(const char *s, size_t max)
{
    size_t n = 0;
    while (s && n < max && s[n]) n++;
    return n;
}

/* The n-th '-'-separated field of s: its start and length (0 when absent). */
static size_t field(const char *s, unsigned n, const char **start)
{
    size_t len = text_len(s, 255), a = 0;
    for (; n && a < len; a++)
        if (s[a] == '-') n--;
    size_t b = a;
    while (b < len && s[b] != '-') b++;
    *start = s ? s + a : "";
    return n ? 0 : b - a;
}

static void copy_field(const char *fw, unsigned n, uint8_t *out, size_t cap)
{
    const char *f;
    size_t len = field(fw, n, &f);
    memcpy(out, f, len < cap ? len : cap);
}

/* Decimal numbers separated by '.' (or one number) in a field: up to `max` of them into out. */
static void numbers(const char *fw, unsigned n, uint32_t *out, unsigned max)
{
    const char *f;
    size_t len = field(fw, n, &f);
    unsigned k = 0;
    for (size_t i = 0; i < len && k < max; i++) {
        if (f[i] == '.') k++;
        else if (f[i] >= '0' && f[i] <= '9') out[k] = out[k] * 10 + (uint32_t)(f[i] - '0');
    }
}

static void op_attr(const sim_port *m, const hpgp_op_attr_req *r, hpgp_op_attr_cnf *c)
{
    const char *fw = m->cfg.firmware;
    uint32_t v[4] = { 0 }, sustaining = 0;
    c->cookie = r->cookie;
    c->report_type = r->report_type;
    c->size = OP_ATTR_REPORT_LEN;
    copy_field(fw, 1, c->hw_platform, sizeof c->hw_platform - 1); /* device family: "QCA7000" */
    copy_field(fw, 0, c->sw_platform, sizeof c->sw_platform - 1); /* device type: "MAC" */
    numbers(fw, 2, v, 4);
    numbers(fw, 3, &sustaining, 1);
    c->major = v[0];
    c->minor = v[1];
    c->composite = v[2];
    c->build = v[3];
    c->sustaining = sustaining;
    copy_field(fw, 4, c->build_date, sizeof c->build_date);
    copy_field(fw, 5, c->release_type, sizeof c->release_type - 1);
}

int sim_attr_answer(sim_plc *plc, int port, const hpgp_msg *req, hpgp_msg *cnf)
{
    const sim_port *m = &plc->port[port];
    switch (req->kind) {
    case HPGP_K_SW_VER_REQ: {
        hpgp_msg_init(cnf, HPGP_K_SW_VER_CNF, NULL, NULL);
        size_t n = text_len(m->cfg.firmware, 253);
        cnf->u.sw_ver_cnf.device_class = m->cfg.device_class;
        cnf->u.sw_ver_cnf.version_len = (uint8_t)(n + 1); /* with its NUL, like real modems */
        cnf->u.sw_ver_cnf.version = (const uint8_t *)(m->cfg.firmware ? m->cfg.firmware : "");
        return 1;
    }
    case HPGP_K_OP_ATTR_REQ:
        hpgp_msg_init(cnf, HPGP_K_OP_ATTR_CNF, NULL, NULL);
        op_attr(m, &req->u.op_attr_req, &cnf->u.op_attr_cnf);
        return 1;
    default: return 0;
    }
}
