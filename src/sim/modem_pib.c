/* A simulated modem's PIB (module 0x7002) in caller memory: VS_RD_MOD / VS_WR_MOD / VS_MOD_NVM and the
 * VS_MODULE_OPERATION read (a short last chunk at the module's end, as plctool -p reads it), start-session,
 * write and commit operations (a commit gives the module the session's length). */
#include <string.h>

#include "sim_internal.h"

enum { MODULE_PIB_RDMOD = 0x02, MSTATUS_FAIL = 1, MODOP_RW_DATA_LEN = 18, MODOP_WRITE_DATA_LEN = 23 };

/* The range [off, off + len) of the first `end` bytes of the module buffer if len <= max, else NULL. */
static uint8_t *pib_range(sim_port *p, uint32_t off, uint32_t len, uint32_t max, size_t end)
{
    if (!p->cfg.pib || len > max || off > end || len > end - off) return NULL;
    return p->cfg.pib + off;
}

/* The CNF of a VS_RD_MOD / VS_WR_MOD echoing the request; returns the PIB range it names, or NULL. */
static uint8_t *mod_rw_cnf(sim_port *p, const hpgp_mod_rw *r, hpgp_msg *cnf, hpgp_kind kind)
{
    hpgp_msg_init(cnf, kind, NULL, NULL);
    hpgp_mod_rw *c = &cnf->u.mod_rw;
    c->module_id = r->module_id;
    c->length = r->length;
    c->offset = r->offset;
    c->mstatus = MSTATUS_FAIL;
    return r->module_id == MODULE_PIB_RDMOD ? pib_range(p, r->offset, r->length, HPGP_RD_MOD_MAX, p->pib_len) : NULL;
}

static void rd_mod(sim_port *p, const hpgp_mod_rw *r, hpgp_msg *cnf)
{
    uint8_t *d = mod_rw_cnf(p, r, cnf, HPGP_K_RD_MOD_CNF);
    hpgp_mod_rw *c = &cnf->u.mod_rw;
    if (!d) {
        c->length = 0;
        return;
    }
    c->mstatus = 0;
    c->checksum = hpgp_checksum32(d, r->length);
    c->data = d;
}

static void wr_mod(sim_port *p, const hpgp_mod_rw *r, hpgp_msg *cnf)
{
    uint8_t *d = mod_rw_cnf(p, r, cnf, HPGP_K_WR_MOD_CNF);
    if (!d || hpgp_checksum32(r->data, r->length) != r->checksum) return;
    memcpy(d, r->data, r->length);
    cnf->u.mod_rw.mstatus = 0;
}

static void modop_read(sim_port *p, const hpgp_module_op *r, hpgp_msg *cnf)
{
    hpgp_msg_init(cnf, HPGP_K_MODOP_READ_CNF, NULL, NULL);
    hpgp_module_op *c = &cnf->u.modop;
    /* what is left from the offset, at most the length asked for: short (or empty) at the module's end */
    uint32_t left = r->offset <= p->pib_len ? (uint32_t)(p->pib_len - r->offset) : 0;
    uint16_t n = left < r->length ? (uint16_t)left : r->length;
    uint8_t *d = r->module_id == HPGP_MODULE_PIB ? pib_range(p, r->offset, n, HPGP_MODOP_MAX, p->pib_len) : NULL;
    c->op = r->op;
    c->module_id = r->module_id;
    c->module_sub_id = r->module_sub_id;
    c->offset = r->offset;
    c->mstatus = d ? 0 : MSTATUS_FAIL;
    if (!d) return;
    c->length = n;
    c->op_data_len = (uint16_t)(MODOP_RW_DATA_LEN + n);
    c->data = d;
}

static void modop_start(sim_port *p, const hpgp_module_op *r, hpgp_msg *cnf)
{
    hpgp_msg_init(cnf, HPGP_K_MODOP_START_CNF, NULL, NULL);
    hpgp_module_op *c = &cnf->u.modop;
    c->session_id = r->session_id;
    c->num_modules = r->num_modules;
    p->session_open = r->module_id == HPGP_MODULE_PIB && pib_range(p, 0, r->module_length, UINT32_MAX, p->cfg.pib_cap);
    c->mstatus = p->session_open ? 0 : MSTATUS_FAIL;
    p->session_id = r->session_id;
    p->session_len = r->module_length;
    p->session_checksum = r->module_checksum;
}

static int in_session(const sim_port *p, const hpgp_module_op *r) { return p->session_open && r->session_id == p->session_id; }

static void modop_write(sim_port *p, const hpgp_module_op *r, hpgp_msg *cnf)
{
    hpgp_msg_init(cnf, HPGP_K_MODOP_WRITE_CNF, NULL, NULL);
    hpgp_module_op *c = &cnf->u.modop;
    c->session_id = r->session_id;
    c->module_idx = r->module_idx;
    c->module_id = r->module_id;
    c->module_sub_id = r->module_sub_id;
    c->length = r->length;
    c->offset = r->offset;
    c->op_data_len = MODOP_WRITE_DATA_LEN;
    uint8_t *d = in_session(p, r) ? pib_range(p, r->offset, r->length, HPGP_MODOP_MAX, p->session_len) : NULL;
    c->mstatus = d ? 0 : MSTATUS_FAIL;
    if (d) memcpy(d, r->data, r->length);
}

static void modop_commit(sim_plc *plc, int port, const hpgp_module_op *r, hpgp_msg *cnf, uint32_t now)
{
    sim_port *p = &plc->port[port];
    hpgp_msg_init(cnf, HPGP_K_MODOP_COMMIT_CNF, NULL, NULL);
    hpgp_module_op *c = &cnf->u.modop;
    c->session_id = r->session_id;
    c->commit_code = r->commit_code;
    c->num_modules = 1;
    int ok = in_session(p, r) && hpgp_checksum32(p->cfg.pib, p->session_len) == p->session_checksum;
    c->mstatus = ok ? 0 : MSTATUS_FAIL;
    p->session_open = 0;
    if (ok) p->pib_len = p->session_len;
    if (ok && !(r->commit_code & HPGP_MODOP_COMMIT_NO_RESET)) sim_modem_restart(plc, port, now);
}

int sim_pib_answer(sim_plc *plc, int port, const hpgp_msg *req, hpgp_msg *cnf, uint32_t now)
{
    sim_port *p = &plc->port[port];
    switch (req->kind) {
    case HPGP_K_RD_MOD_REQ: rd_mod(p, &req->u.mod_rw, cnf); return 1;
    case HPGP_K_WR_MOD_REQ: wr_mod(p, &req->u.mod_rw, cnf); return 1;
    case HPGP_K_MOD_NVM_REQ:
        hpgp_msg_init(cnf, HPGP_K_MOD_NVM_CNF, NULL, NULL);
        cnf->u.status.value = req->u.status.value;
        return 1;
    case HPGP_K_MODOP_READ_REQ: modop_read(p, &req->u.modop, cnf); return 1;
    case HPGP_K_MODOP_START_REQ: modop_start(p, &req->u.modop, cnf); return 1;
    case HPGP_K_MODOP_WRITE_REQ: modop_write(p, &req->u.modop, cnf); return 1;
    case HPGP_K_MODOP_COMMIT_REQ: modop_commit(plc, port, &req->u.modop, cnf, now); return 1;
    default: return 0;
    }
}
