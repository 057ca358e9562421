/* Internals of the listener (src/tool/listen*.c): its state, the per-session split files and the chargers
 * table with --join. Host side. */
#ifndef CCSPLC_TOOL_LISTEN_INT_H
#define CCSPLC_TOOL_LISTEN_INT_H

#include "ccsplc/tools/listen.h"
#include "ccsplc/linux/modem.h"
#include "ccsplc/linux/pcapng.h"

#define LIS_FRAME_SESSIONS 4 /* distinct sessions one frame's records may belong to */

/* The files of one session under --split. */
typedef struct {
    FILE *text;         /* timeline (or JSON Lines), open while the session is among the recent ones */
    pcapng_writer pcap;
    int pcap_open;
    int retired;        /* left the recent ones: files closed, later text is appended, frames are dropped */
} lis_split;

struct lis_listener {
    lis_config cfg;
    dec_analyzer *a;
    cap_reader *r;
    dec_html *html;
    pcapng_writer pcap;
    int pcap_open;
    lis_split *split;
    size_t nsplit, capsplit;
    int frame_sess[LIS_FRAME_SESSIONS]; /* sessions of the records the current frame produced */
    int nframe_sess;
    unsigned split_dropped;             /* frames of retired sessions not written to their pcapng */
    lis_charger *ch;
    size_t nch, capch;
    int join;                           /* charger whose key our modem should take next, -1 */
    int has_key;
    uint8_t key[HPGP_NMK_LEN];          /* the NMK our modem confirmed last */
    modem_client modem;
    unsigned write_errors;
};

/* listen.c */
/* Writing to what (a path, "stdout") failed (why: strerror of the errno): the first failure is said with its
 * reason, every one is counted (lis_finish then fails). */
void lis_write_failed(lis_listener *l, const char *what, const char *why);

/* listen_split.c */
/* The record goes to its session's text file; the session is noted for the frame. */
void lis_split_record(lis_listener *l, const dec_record *r);
/* The frame goes to the pcapng of each session its records belong to (else of the newest session). */
void lis_split_frame(lis_listener *l, uint64_t ts_ns, const uint8_t *frame, size_t len);
/* Summaries appended, files closed. */
void lis_split_finish(lis_listener *l);
/* Files closed (no summaries). */
void lis_split_close(lis_listener *l);

/* listen_join.c */
/* A CM_SLAC_MATCH.CNF record: remember its charger and key; with --join, a new key is scheduled. */
void lis_chargers_record(lis_listener *l, const dec_record *r);
/* Key our modem with the scheduled charger's NMK/NID (blocking modem transaction). */
void lis_join_run(lis_listener *l);
/* The chargers as text lines or JSON objects (format of out). */
void lis_chargers_write(const lis_listener *l, FILE *out);

#endif
