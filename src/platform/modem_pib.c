/* PIB transfer with a QCA modem (VS_MODULE_OPERATION on module 0x7002): read in chunks until the file's own
 * headers (flat or NVM chain) say it is complete, write the whole file in a session (start, chunks, commit) as
 * plctool -P does, and the one-call role configuration (read, patch, write, reset, wait). */
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/modem.h"
#include "modem_int.h"

enum { MODOP_WRITE_DATA_LEN = 23 };

static size_t chunk_len(size_t total, size_t off) { return total - off < HPGP_MODOP_MAX ? total - off : HPGP_MODOP_MAX; }

/* Up to len bytes at off into out; *got is what the modem returned (short at the module's end). */
static int read_chunk(modem_client *c, uint32_t off, uint16_t len, uint8_t *out, size_t *got)
{
    hpgp_msg m, cnf;
    hpgp_msg_init(&m, HPGP_K_MODOP_READ_REQ, NULL, NULL);
    m.u.modop.module_id = HPGP_MODULE_PIB;
    m.u.modop.length = len;
    m.u.modop.offset = off;
    int rc = modem_transact(c, &m, HPGP_K_MODOP_READ_CNF, &cnf);
    if (rc) return rc;
    const hpgp_module_op *r = &cnf.u.modop;
    if (r->mstatus || r->length > len || r->offset != off || r->module_id != HPGP_MODULE_PIB) return CCS_EPROTO;
    memcpy(out, r->data, r->length);
    *got = r->length;
    return 0;
}

int modem_pib_read(modem_client *c, uint8_t *buf, size_t cap, size_t *len)
{
    size_t off = 0, total = 0;
    int rc = CCS_ETRUNC; /* until the file's headers give its length (hpgp_pib_extent) */
    while (rc == CCS_ETRUNC || off < total) {
        size_t want = chunk_len(rc == CCS_ETRUNC ? cap : total, off), got;
        if (!want) return CCS_ENOSPC;
        if (rc == 0) modem_progress(c, "read", off, total);
        int r = read_chunk(c, (uint32_t)off, (uint16_t)want, buf + off, &got);
        if (r) return r;
        off += got;
        if (rc == CCS_ETRUNC && (rc = hpgp_pib_extent(buf, off, &total)) != 0 && rc != CCS_ETRUNC) return rc;
        if (rc == 0 && total > cap) return CCS_ENOSPC;
        if (got < want && (rc || off < total)) return CCS_ETRUNC; /* the module ended before the file did */
    }
    modem_progress(c, "read", total, total);
    *len = total;
    return 0;
}

/* Send one VS_MODULE_OPERATION request of the write session; 0 if the modem confirmed it with status 0. */
static int session_step(modem_client *c, hpgp_msg *m, hpgp_kind cnf_kind)
{
    hpgp_msg cnf;
    int rc = modem_transact(c, m, cnf_kind, &cnf);
    if (rc) return rc;
    return cnf.u.modop.mstatus || cnf.u.modop.session_id != m->u.modop.session_id ? CCS_EPROTO : 0;
}

static int write_file(modem_client *c, const uint8_t *img, size_t n)
{
    hpgp_msg m;
    uint32_t session = c->io->now(c->io->ctx) | 1u;
    hpgp_msg_init(&m, HPGP_K_MODOP_START_REQ, NULL, NULL);
    m.u.modop.session_id = session;
    m.u.modop.num_modules = 1;
    m.u.modop.module_id = HPGP_MODULE_PIB;
    m.u.modop.module_length = (uint32_t)n;
    m.u.modop.module_checksum = hpgp_checksum32(img, n);
    int rc = session_step(c, &m, HPGP_K_MODOP_START_CNF);
    for (size_t off = 0; rc == 0 && off < n; off += HPGP_MODOP_MAX) {
        modem_progress(c, "write", off, n);
        size_t len = chunk_len(n, off);
        hpgp_msg_init(&m, HPGP_K_MODOP_WRITE_REQ, NULL, NULL);
        m.u.modop.session_id = session;
        m.u.modop.module_id = HPGP_MODULE_PIB;
        m.u.modop.length = (uint16_t)len;
        m.u.modop.offset = (uint32_t)off;
        m.u.modop.op_data_len = (uint16_t)(MODOP_WRITE_DATA_LEN + len);
        m.u.modop.data = img + off;
        rc = session_step(c, &m, HPGP_K_MODOP_WRITE_CNF);
    }
    if (rc) return rc;
    modem_progress(c, "write", n, n);
    hpgp_msg_init(&m, HPGP_K_MODOP_COMMIT_REQ, NULL, NULL);
    m.u.modop.session_id = session;
    m.u.modop.commit_code = HPGP_MODOP_COMMIT_FORCE | HPGP_MODOP_COMMIT_NO_RESET | HPGP_MODOP_COMMIT_FACTORY_PIB;
    return session_step(c, &m, HPGP_K_MODOP_COMMIT_CNF);
}

int modem_pib_write(modem_client *c, const uint8_t *file, size_t len)
{
    hpgp_pib_view v;
    int rc = hpgp_pib_open(file, len, &v);
    return rc ? rc : write_file(c, file, len);
}

int modem_configure(modem_client *c, hpgp_pib_role role, uint32_t wait_ms)
{
    uint8_t *pib = malloc(HPGP_PIB_MAX_LEN);
    if (!pib) return CCS_ENOSPC;
    size_t len = 0;
    hpgp_pib_view v;
    int rc = modem_pib_read(c, pib, HPGP_PIB_MAX_LEN, &len);
    if (!rc) rc = hpgp_pib_open(pib, len, &v);
    if (!rc) rc = hpgp_pib_set_role(pib, &v, role);
    if (!rc) rc = write_file(c, pib, len);
    if (!rc) rc = modem_reset(c);
    if (!rc) rc = modem_wait(c, wait_ms, NULL);
    free(pib);
    return rc;
}
