/* Internals of the capture analysis (src/tool/decode_*.c): the analyzer's state and the steps that build
 * records from each kind of traffic. Host side. */
#ifndef CCSPLC_TOOL_DECODE_INT_H
#define CCSPLC_TOOL_DECODE_INT_H

#include <stdio.h>
#include <string.h>

#include "ccsplc/tools/decode.h"
#include "ccsplc/core/sess_observe.h"
#include "ccsplc/core/slac_watch.h"

#define DEC_MAX_OFFERS 20 /* AppProtocol entries of a supportedAppProtocolReq */

typedef struct {
    char ns[128];
    unsigned schema_id;
} dec_offer;

enum { DEC_HS_NONE, DEC_HS_REQ, DEC_HS_DONE, DEC_HS_DETECT };

/* One TCP connection: its session and how its EXI messages are decoded. */
typedef struct {
    int session;
    int hs;                         /* DEC_HS_* */
    const struct exi_proto *proto;  /* negotiated (DIN, ISO-2) or last detected */
    int iso20;                      /* negotiated ISO 15118-20: the codec follows the payload type */
    dec_offer offer[DEC_MAX_OFFERS];
    unsigned noffer;
    sess_sid_watch sid;             /* the SessionID the charger assigned */
    char pending[48];               /* the last request while it waits for its response, else "" */
    uint64_t pending_ns;
} dec_conn;

/* The fields of an EXI record by leaf: an open-addressed hash table (the first field of each leaf), rebuilt per
 * record; records with more fields than half its slots have none (dec_field_find scans). */
#define DEC_INDEX_SLOTS 256
struct dec_field_index {
    uint64_t bloom[4]; /* bit (hash >> 24) of each leaf: most leaves a record lacks are told by one bit */
    uint32_t hash[DEC_INDEX_SLOTS];
    uint16_t at[DEC_INDEX_SLOTS]; /* field number + 1, 0: empty */
};

/* Fields of the record being built: "key=value" lines appended to ms, then split in place; for EXI,
 * "key\0value\0" pairs written straight into buf by exi_text_kv_pairs with their offsets, and an index. */
typedef struct {
    char *ms;           /* the lines' text (kept from record to record) */
    size_t mslen, mscap;
    int failed;         /* out of memory: the record gets no fields */
    char *buf;
    size_t len, bufcap;
    dec_field *v;
    size_t n, cap;
    exi_kv_pair *pairs;
    size_t pcap;
    struct dec_field_index index;
} dec_fieldbuf;

struct dec_analyzer {
    dec_record_fn fn;
    void *ctx;
    dec_session *sess;
    size_t nsess, capsess;
    int cur;                        /* session new link traffic belongs to, -1 */
    dec_conn *conns;
    size_t nconns, capconns;
    int has_car_mac, has_charger_mac, has_car_ip, has_charger_ip;
    uint8_t car_mac[6], charger_mac[6], car_ip[16], charger_ip[16];
    void *doc;                      /* one decoded document, the size of the largest codec's */
    dec_fieldbuf fb;
    dec_totals totals;
    uint64_t end_ns;                /* time of the last frame when connections were still open at the end */
    slac_watch slac;                /* the RunID of the car's SLAC run */
    struct {
        uint8_t addr[16];
        uint16_t port;
        char text[56];
    } ep[4];                        /* endpoints as text, the last ones used (dec_endpoint) */
    unsigned nep;
};

/* decode_session.c */
int dec_session_new(dec_analyzer *a, uint64_t ts_ns);    /* index, or -1 when out of memory */
int dec_session_for_link(dec_analyzer *a, uint64_t ts_ns); /* current one unless it already used TCP */
void dec_emit(dec_analyzer *a, dec_record *r);            /* totals, session summary, then the callback */
void dec_learn_car_mac(dec_analyzer *a, const uint8_t mac[6]);
void dec_learn_charger_mac(dec_analyzer *a, const uint8_t mac[6]);

/* decode_fields.c */
/* A growable array (v of *cap elements, n used) with room for one more: v, or v moved (*cap updated); NULL
 * when out of memory (v is left as it was). */
void *dec_grow(void *v, size_t *cap, size_t n, size_t elem);
void dec_fields_begin(dec_fieldbuf *fb);                  /* no lines yet */
void dec_field_put(dec_fieldbuf *fb, const char *key, const char *value); /* a "key=value" line */
void dec_field_putu(dec_fieldbuf *fb, const char *key, unsigned value);
void dec_fields_end(dec_fieldbuf *fb, dec_record *r);     /* the lines split into r->fields */
/* The key=value fields of an EXI document (p NULL: none) into r->fields, without a stream. */
void dec_fields_exi(dec_fieldbuf *fb, const struct exi_proto *p, const void *doc, dec_record *r);
void dec_fields_free(dec_fieldbuf *fb);
void dec_keys_v2g(const dec_record *r, char *out, size_t cap); /* the timeline's key values of a message */
/* A hash of a leaf name of n bytes (the index's): its first and last 8 (or 4) bytes and its length. */
static inline uint32_t dec_leaf_hash(const char *s, size_t n)
{
    uint64_t a = 0, b = n;
    if (n >= 8) {
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
    } else if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, s, 4);
        memcpy(&y, s + n - 4, 4);
        a = (uint64_t)x << 32 | y;
    } else {
        for (size_t i = 0; i < n; i++)
            a = a << 8 | (uint8_t)s[i];
    }
    uint64_t h = (a ^ (b + n) * 0x9E3779B97F4A7C15u) * 0xC2B2AE3D27D4EB4Fu;
    return (uint32_t)(h >> 32);
}
/* dec_field_find of a leaf of n bytes whose dec_leaf_hash is h; dec_find: the same for a literal (its length and
 * hash folded at compile time). */
const char *dec_field_find_h(const dec_record *r, const char *leaf, size_t n, uint32_t h);
static inline const char *dec_find(const dec_record *r, const char *leaf)
{
    size_t n = strlen(leaf);
    uint32_t h = dec_leaf_hash(leaf, n);
    if (r->index && !(r->index->bloom[h >> 30] >> (h >> 24 & 63) & 1))
        return NULL;
    return dec_field_find_h(r, leaf, n, h);
}
void dec_keys_join(const dec_record *r, size_t skip, char *out, size_t cap); /* fields from skip on */
void dec_hex(const uint8_t *p, size_t n, char *out, size_t cap);
/* src into dst as snprintf(dst, cap, "%s", src) leaves it (truncated, NUL-terminated), without printf. */
static inline void dec_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (!cap)
        return;
    n = n < cap - 1 ? n : cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}
void dec_mac_text(const uint8_t mac[6], char *out, size_t cap);
void dec_utc_text(uint64_t ts_ns, char *out, size_t cap); /* "2023-03-02 14:05:06.123 UTC" */

/* decode_hpgp.c, decode_net.c, decode_exi.c: one record per frame / datagram / event / message. */
void dec_on_homeplug(void *ctx, uint64_t ts_ns, const uint8_t *frame, size_t len);
void dec_on_sdp(void *ctx, const cap_sdp *d);
void dec_on_event(void *ctx, const cap_event *e);
void dec_on_v2gtp(void *ctx, const cap_v2gtp *m);
/* Sender of an IP packet: by the addresses SDP taught, else the TCP client is the car. */
dec_dir dec_ip_dir(const dec_analyzer *a, const uint8_t src[16], int from_client);
void dec_endpoint_text(const uint8_t addr[16], uint16_t port, char *out, size_t cap); /* "[fe80::1]:15118" */
const char *dec_endpoint(dec_analyzer *a, const uint8_t addr[16], uint16_t port); /* the same, remembered */
/* Connection id's state; claim: its first V2G message makes it the current session's (or a new one's). NULL
 * when out of memory. */
dec_conn *dec_conn_get(dec_analyzer *a, uint32_t id, uint64_t ts_ns, int claim);

/* decode_faults.c: what a record shows wrong (r->fault, text in buf), and the session's list of faults. */
void dec_faults_v2g(dec_analyzer *a, dec_conn *c, dec_record *r, char *buf, size_t cap);
void dec_faults_slac(dec_analyzer *a, const hpgp_msg *m, dec_record *r, char *buf, size_t cap);
void dec_fault_add(dec_session *s, uint64_t ts_ns, const char *text);
void dec_faults_finish(dec_analyzer *a);  /* end of capture: requests never answered */

/* decode_html_assets.c: the report's inline style sheet and script. */
extern const char dec_html_css[], dec_html_js[];

/* decode_text.c: a session's faults, one line each (the text summary's list). */
void dec_text_faults(FILE *out, const dec_session *s, uint64_t origin_ns);

/* decode_stats.c: a record's contribution to its session's summary. */
void dec_stats_note(dec_session *s, const dec_record *r);
void dec_stats_close(dec_session *s, uint64_t end_ns);
/* "20 tries since 60.279" when a stage took several tries (SLAC), else "". */
void dec_stage_tries(const dec_stage *g, uint64_t origin_ns, char *out, size_t cap);

#endif
