/* Modem management requests over a frame I/O: request/confirmation exchange with retries, and the simple
 * operations (list by VS_SW_VER, CM_SET_KEY, VS_RS_DEV, wait for a modem to answer again). */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/modem.h"
#include "modem_int.h"

void modem_client_init(modem_client *c, ccs_frame_io *io)
{
    memset(c, 0, sizeof *c);
    c->io = io;
    memcpy(c->dst, hpgp_local_modem_mac, 6);
    c->reply_ms = MODEM_REPLY_MS;
}

void modem_progress(modem_client *c, const char *stage, size_t done, size_t total)
{
    if (c->progress) c->progress(c->progress_ctx, stage, done, total);
}

int modem_send(modem_client *c, hpgp_msg *m)
{
    uint8_t buf[HPGP_MAX_FRAME];
    size_t len;
    memcpy(m->hdr.dst, c->dst, 6);
    memcpy(m->hdr.src, c->io->mac, 6);
    int rc = hpgp_pack(m, buf, sizeof buf, &len);
    return rc ? rc : c->io->send(c->io->ctx, buf, len);
}

/* A confirmation for us: addressed to our MAC, and from the modem we asked unless we asked a group or the
 * local-modem address. */
static int for_us(const modem_client *c, const hpgp_msg *m)
{
    int any_src = (c->dst[0] & 1) || !memcmp(c->dst, hpgp_local_modem_mac, 6);
    return !memcmp(m->hdr.dst, c->io->mac, 6) && (any_src || !memcmp(m->hdr.src, c->dst, 6));
}

int modem_recv(modem_client *c, hpgp_kind kind, uint32_t deadline, hpgp_msg *cnf)
{
    for (;;) {
        int32_t left = (int32_t)(deadline - c->io->now(c->io->ctx));
        if (left <= 0) return 0;
        size_t len;
        int rc = c->io->recv(c->io->ctx, c->rx, sizeof c->rx, &len, (uint32_t)left);
        if (rc <= 0) return rc;
        if (hpgp_unpack(c->rx, len, cnf) == 0 && cnf->kind == kind && for_us(c, cnf)) return 1;
    }
}

int modem_transact(modem_client *c, hpgp_msg *req, hpgp_kind kind, hpgp_msg *cnf)
{
    for (unsigned attempt = 0; attempt <= MODEM_RETRIES; attempt++) {
        int rc = modem_send(c, req);
        if (rc) return rc;
        rc = modem_recv(c, kind, c->io->now(c->io->ctx) + c->reply_ms, cnf);
        if (rc) return rc < 0 ? rc : 0;
    }
    return CCS_ETIMEOUT;
}

static void info_of(const hpgp_msg *m, modem_info *out)
{
    const hpgp_sw_ver_cnf *v = &m->u.sw_ver_cnf;
    memset(out, 0, sizeof *out);
    memcpy(out->mac, m->hdr.src, 6);
    out->device_class = v->device_class;
    for (size_t i = 0; i < v->version_len && i < MODEM_FIRMWARE_MAX && v->version[i]; i++)
        out->firmware[i] = (char)v->version[i];
}

int modem_list(modem_client *c, uint32_t wait_ms, modem_info *out, size_t cap, size_t *n)
{
    hpgp_msg m, cnf;
    hpgp_msg_init(&m, HPGP_K_SW_VER_REQ, NULL, NULL);
    *n = 0;
    int rc = modem_send(c, &m);
    uint32_t deadline = c->io->now(c->io->ctx) + wait_ms;
    while (rc == 0 && (rc = modem_recv(c, HPGP_K_SW_VER_CNF, deadline, &cnf)) == 1) {
        rc = 0;
        size_t i = 0;
        while (i < *n && memcmp(out[i].mac, cnf.hdr.src, 6)) i++;
        if (i == *n && *n < cap) info_of(&cnf, &out[(*n)++]);
    }
    return rc;
}

int modem_set_key(modem_client *c, const uint8_t nmk[HPGP_NMK_LEN], ccs_sha256_fn sha256, ccs_random_fn rng,
                  void *rng_ctx)
{
    uint8_t nid[HPGP_NID_LEN];
    int rc = hpgp_nid_from_nmk(sha256, nmk, 0, nid);
    return rc ? rc : modem_set_key_nid(c, nmk, nid, rng, rng_ctx);
}

int modem_set_key_nid(modem_client *c, const uint8_t nmk[HPGP_NMK_LEN], const uint8_t nid[HPGP_NID_LEN],
                      ccs_random_fn rng, void *rng_ctx)
{
    hpgp_msg m, cnf;
    hpgp_msg_init(&m, HPGP_K_SET_KEY_REQ, NULL, NULL);
    memcpy(m.u.set_key_req.nid, nid, HPGP_NID_LEN);
    memcpy(m.u.set_key_req.new_key, nmk, HPGP_NMK_LEN);
    if (rng(rng_ctx, (uint8_t *)&m.u.set_key_req.my_nonce, sizeof m.u.set_key_req.my_nonce) != 0) return CCS_ERANDOM;
    return modem_transact(c, &m, HPGP_K_SET_KEY_CNF, &cnf);
}

int modem_reset(modem_client *c)
{
    hpgp_msg m, cnf;
    hpgp_msg_init(&m, HPGP_K_RS_DEV_REQ, NULL, NULL);
    modem_progress(c, "reset", 0, 1);
    int rc = modem_transact(c, &m, HPGP_K_RS_DEV_CNF, &cnf);
    if (!rc) modem_progress(c, "reset", 1, 1);
    return rc;
}

int modem_wait(modem_client *c, uint32_t timeout_ms, modem_info *info)
{
    uint32_t start = c->io->now(c->io->ctx);
    hpgp_msg m, cnf;
    for (;;) {
        uint32_t now = c->io->now(c->io->ctx), waited = now - start;
        if (waited >= timeout_ms) return CCS_ETIMEOUT;
        modem_progress(c, "wait", waited, timeout_ms);
        hpgp_msg_init(&m, HPGP_K_SW_VER_REQ, NULL, NULL);
        int rc = modem_send(c, &m);
        uint32_t poll = timeout_ms - waited < MODEM_WAIT_POLL_MS ? timeout_ms - waited : MODEM_WAIT_POLL_MS;
        if (rc == 0) rc = modem_recv(c, HPGP_K_SW_VER_CNF, now + poll, &cnf);
        if (rc < 0) return rc;
        if (rc == 1) {
            if (info) info_of(&cnf, info);
            modem_progress(c, "wait", c->io->now(c->io->ctx) - start, c->io->now(c->io->ctx) - start);
            return 0;
        }
    }
}
