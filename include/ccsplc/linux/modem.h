/* Modem management for the CLI (blocking, over a ccs_frame_io): list modems, set the NMK, reset and wait,
 * read and write the PIB with VS_MODULE_OPERATION, and configure a modem for a role in one call. */
#ifndef CCSPLC_MODEM_H
#define CCSPLC_MODEM_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/hpgp.h"
#include "ccsplc/linux/link.h"
#include "ccsplc/core/pib.h"
#include "ccsplc/core/slac.h"

#define MODEM_REPLY_MS 1000u       /* wait for one confirmation */
#define MODEM_RETRIES 2u           /* repeats of a request that got no confirmation */
#define MODEM_WAIT_POLL_MS 250u    /* GET_SW interval while waiting for a modem to come back */
#define MODEM_WAIT_MS 15000u       /* default: how long a reset modem may take */
#define MODEM_FIRMWARE_MAX 254u

/* stage: "read", "write", "reset", "wait"; done/total in bytes (read, write) or ms (wait); done == total
 * ends a stage (for "wait": the time the modem took). */
typedef void (*modem_progress_fn)(void *ctx, const char *stage, size_t done, size_t total);

typedef struct {
    ccs_frame_io *io;
    uint8_t dst[6];              /* the modem: hpgp_local_modem_mac unless set */
    uint32_t reply_ms;
    modem_progress_fn progress;  /* may be NULL */
    void *progress_ctx;
    uint8_t rx[HPGP_MAX_FRAME];  /* the last confirmation (unpacked messages point into it) */
} modem_client;

typedef struct {
    uint8_t mac[6];
    uint8_t device_class;
    char firmware[MODEM_FIRMWARE_MAX + 1];
} modem_info;

void modem_client_init(modem_client *c, ccs_frame_io *io);

/* VS_SW_VER.REQ to c->dst; collect every confirmation for wait_ms (each modem once). 0 or CCS_E*. */
int modem_list(modem_client *c, uint32_t wait_ms, modem_info *out, size_t cap, size_t *n);
/* CM_SET_KEY.REQ with the NMK and its NID (security level 0); 0 once confirmed (its Result is not trusted). */
int modem_set_key(modem_client *c, const uint8_t nmk[HPGP_NMK_LEN], ccs_sha256_fn sha256, ccs_random_fn rng,
                  void *rng_ctx);
/* The same with a given NID (e.g. the one a CM_SLAC_MATCH.CNF carried: `ccsplc listen --join`). */
int modem_set_key_nid(modem_client *c, const uint8_t nmk[HPGP_NMK_LEN], const uint8_t nid[HPGP_NID_LEN],
                      ccs_random_fn rng, void *rng_ctx);
/* VS_RS_DEV.REQ; 0 once confirmed. */
int modem_reset(modem_client *c);
/* GET_SW every MODEM_WAIT_POLL_MS until the modem answers (info may be NULL). 0 or CCS_ETIMEOUT. */
int modem_wait(modem_client *c, uint32_t timeout_ms, modem_info *info);
/* Read the PIB (VS_MODULE_OPERATION read of module 0x7002) in chunks of up to 1400 bytes until the file's own
 * headers say it is complete: a flat PIB's length field, or the last image of an NVM chain (what a QCA7000
 * returns). 0, CCS_ENOSPC, CCS_EPROTO (the modem refused), CCS_ETRUNC (the module ended before the file),
 * CCS_EHEADER, CCS_ETIMEOUT; the checksums are not verified here (hpgp_pib_open does). */
int modem_pib_read(modem_client *c, uint8_t *buf, size_t cap, size_t *len);
/* Write a PIB file: verified first (nothing is sent for a bad one), then the whole file goes in a session
 * (start with its length and checksum32, chunks, commit with force + no reset + factory PIB), as plctool -P
 * writes a chain. The modem keeps running the old PIB until reset. 0 or CCS_E*. */
int modem_pib_write(modem_client *c, const uint8_t *file, size_t len);
/* Read, patch for the role, write, reset, wait for the modem (up to wait_ms). 0 or CCS_E*. */
int modem_configure(modem_client *c, hpgp_pib_role role, uint32_t wait_ms);

#endif
