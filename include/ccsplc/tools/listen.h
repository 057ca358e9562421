/* The listener behind `ccsplc listen` (host side): frames from a live interface (or a capture file, at full
 * speed) through the capture reader and the decode analyzer, with live output, a pcapng of what it saw,
 * one set of files per session, the chargers seen, and --join (our modem takes the car's network key). */
#ifndef CCSPLC_LISTEN_H
#define CCSPLC_LISTEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ccsplc/linux/capture.h"
#include "ccsplc/tools/decode.h"
#include "ccsplc/core/hpgp.h"
#include "ccsplc/linux/link.h"
#include "ccsplc/linux/loop.h"
#include "ccsplc/core/slac.h"

#define LIS_SPLIT_OPEN 16 /* default: sessions whose split files stay open (the most recent ones) */

typedef enum { LIS_OUT_TEXT, LIS_OUT_JSON, LIS_OUT_NONE } lis_format;

typedef struct {
    lis_format format;     /* of out and of the split files */
    FILE *out;             /* timeline or JSON Lines as records arrive, then the summary; NULL: nothing */
    const char *pcap_path; /* save every frame to this pcapng file; NULL: no */
    const char *split_dir; /* per session N: DIR/session-N.txt (.jsonl), and DIR/session-N.pcapng with pcap_path */
    unsigned split_open;   /* how many of the newest sessions keep their split files open (0: LIS_SPLIT_OPEN) */
    int html;              /* keep the records for lis_write_html */
    ccs_frame_io *modem;   /* --join: key this modem with each new NMK/NID a CM_SLAC_MATCH.CNF carries; NULL: no */
    ccs_random_fn rng;     /* the SET_KEY nonce (with modem) */
    void *rng_ctx;
    ccs_loop *loop;        /* live: the --pcap output never blocks this loop (it writes the queue); NULL: writes
                            * wait (a file source) */
} lis_config;

/* A charger seen sending CM_SLAC_MATCH.CNF (its source MAC), with the network key it gave the car. */
typedef struct {
    uint8_t mac[6];
    uint8_t nid[HPGP_NID_LEN], nmk[HPGP_NMK_LEN]; /* from its last CM_SLAC_MATCH.CNF */
    unsigned matches;                            /* CM_SLAC_MATCH.CNFs from it */
    int joined;                                  /* our modem confirmed its key (--join) */
} lis_charger;

typedef struct lis_listener lis_listener;

/* 0, or CCS_EIO (pcap file or split directory cannot be created) / CCS_ENOSPC with a message in err. */
int lis_new(const lis_config *cfg, lis_listener **out, char *err, size_t errlen);
/* One Ethernet frame: saved, decoded, written out; a join happens here, after the frame's records. */
void lis_frame(lis_listener *l, uint64_t ts_ns, const uint8_t *frame, size_t len);
/* Up to max_frames frames (all that are ready when negative) from src through lis_frame: the count, 0 at the
 * end of a file or when a live source has nothing ready, CCS_EIO on a read error. */
int lis_pump(lis_listener *l, cap_source *src, int max_frames);
/* End of listening: flushes held TCP data, closes the sessions, writes the summaries (out, split files) and
 * closes the files. 0, or CCS_EIO when a file could not be written. */
int lis_finish(lis_listener *l);
/* The HTML report of everything seen (cfg.html), after lis_finish. 0 or -1. */
int lis_write_html(lis_listener *l, FILE *f, const char *title);
const dec_analyzer *lis_analyzer(const lis_listener *l);
size_t lis_nchargers(const lis_listener *l);
const lis_charger *lis_charger_get(const lis_listener *l, size_t i);
void lis_free(lis_listener *l);

#endif
