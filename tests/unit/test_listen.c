/* The listener's live pipeline without root: real captures fed frame by frame through lis_pump (the path a
 * live interface takes) give the output of the decode pipeline, byte for byte; --pcap saves frames that decode
 * the same again; --split files hold exactly each session's records and frames; --join keys a modem with the
 * NMK/NID of the capture's CM_SLAC_MATCH.CNF, the same key pyPLC's own listen mode set in that capture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ccsplc/tools/listen.h"
#include "testutil.h"

static const char *const CAPTURES[] = {
    "captures/2022-12-13_compleo_with_bulb.pcapng",
    "captures/2023-03-02_SuperCharger_CableCheck_error.pcapng",
    "captures/2025-01-21_listenMode_02_mac_spoofing_some_frames_visible.pcapng",
    "captures/spi_ioniq_alpiHYC150_makerspace_landsberg_left_small_2024-04-03_ok.csv.pcap",
};
static const char LISTEN_MODE[] = "captures/2025-01-21_listenMode_02_mac_spoofing_some_frames_visible.pcapng";
static const char SUPERCHARGER[] = "captures/2023-03-02_SuperCharger_CableCheck_error.pcapng";

typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} mem;

static FILE *mem_open(mem *m)
{
    memset(m, 0, sizeof *m);
    m->f = open_memstream(&m->buf, &m->len);
    assert_non_null(m->f);
    return m->f;
}

static void mem_close(mem *m) { assert_int_equal(fclose(m->f), 0); }

/* ---- the reference: what `ccsplc decode` does (cmd_decode.c): timeline or JSON records, then sessions ---- */
typedef struct {
    FILE *out;
    int json;
    dec_analyzer *a;
} ref_ctx;

static void ref_record(void *ctx, const dec_record *r)
{
    ref_ctx *x = ctx;
    uint64_t origin = dec_stats(x->a)->first_ns;
    if (x->json)
        dec_json_record(x->out, r, origin);
    else
        dec_text_record(x->out, r, origin);
}

static void decode_file(const char *path, int json, mem *m)
{
    ref_ctx x = {mem_open(m), json, NULL};
    x.a = dec_new(ref_record, &x);
    assert_non_null(x.a);
    cap_callbacks cb = dec_callbacks(x.a);
    cap_stats st;
    char err[256];
    assert_int_equal(cap_read_file(path, &cb, CAP_DEFAULT_MAX_PAYLOAD, &st, err, sizeof err), 0);
    dec_finish(x.a, &st);
    if (json)
        dec_json_sessions(x.out, x.a);
    else
        dec_text_summary(x.out, x.a);
    dec_free(x.a);
    mem_close(m);
}

/* The listener over a capture file: lis_pump in small steps, as the poll loop does with a live source. */
static lis_listener *listen_open(const char *path, lis_config *cfg, mem *m)
{
    cfg->out = mem_open(m);
    lis_listener *l;
    char err[256];
    assert_int_equal(lis_new(cfg, &l, err, sizeof err), 0);
    cap_source *src;
    assert_int_equal(cap_open_file(path, &src, err, sizeof err), 0);
    int n;
    while ((n = lis_pump(l, src, 7)) > 0)
        assert_true(n <= 7);
    assert_int_equal(n, 0);
    cap_source_close(src);
    return l;
}

static void listen_close(lis_listener *l, mem *m)
{
    assert_int_equal(lis_finish(l), 0);
    mem_close(m);
}

static lis_listener *listen_file(const char *path, lis_config *cfg, mem *m)
{
    lis_listener *l = listen_open(path, cfg, m);
    listen_close(l, m);
    return l;
}

/* The listener's output starts with exactly the decode output (then its chargers lines). */
static void same_as_decode(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof CAPTURES / sizeof CAPTURES[0]; i++) {
        for (int json = 0; json <= 1; json++) {
            const char *path = tu_shared(CAPTURES[i]);
            mem want, got;
            decode_file(path, json, &want);
            lis_config cfg = {.format = json ? LIS_OUT_JSON : LIS_OUT_TEXT};
            lis_listener *l = listen_file(tu_shared(CAPTURES[i]), &cfg, &got);
            assert_true(want.len > 1000);
            assert_true(got.len >= want.len);
            assert_memory_equal(got.buf, want.buf, want.len);
            /* what follows: one line per charger seen */
            size_t lines = 0;
            for (size_t k = want.len; k < got.len; k++)
                lines += got.buf[k] == '\n';
            assert_int_equal(lines, lis_nchargers(l) + (lis_nchargers(l) && !json));
            lis_free(l);
            free(want.buf);
            free(got.buf);
        }
    }
}

static char *tmpdir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/ccs_test_listen_XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void rm_dir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* --pcap: the saved file decodes to the same output as the original. */
static void saved_pcap_decodes_the_same(void **state)
{
    (void)state;
    char *dir = tmpdir(), path[128];
    snprintf(path, sizeof path, "%s/saved.pcapng", dir);
    mem want, got, again;
    decode_file(tu_shared(SUPERCHARGER), 0, &want);
    lis_config cfg = {.format = LIS_OUT_NONE, .pcap_path = path};
    lis_free(listen_file(tu_shared(SUPERCHARGER), &cfg, &got));
    assert_int_equal(got.len, 0);
    decode_file(path, 0, &again);
    assert_int_equal(again.len, want.len);
    assert_memory_equal(again.buf, want.buf, want.len);
    free(want.buf);
    free(got.buf);
    free(again.buf);
    rm_dir(dir);
}

/* Lines of text holding needle, in order. */
static char *lines_with(const char *text, const char *needle)
{
    size_t n = strlen(text);
    char *out = calloc(1, n + 1), *o = out;
    assert_non_null(out);
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        e = e ? e + 1 : p + strlen(p);
        const char *hit = strstr(p, needle);
        if (hit && hit < e) {
            memcpy(o, p, (size_t)(e - p));
            o += e - p;
        }
        p = e;
    }
    return out;
}

/* --split: session-N.jsonl holds the records and the summary of session N-1 of the main output, in order;
 * session-N.pcapng alone decodes to that session's V2G messages. With only `open` sessions' files open, the
 * older sessions' text is still whole (appended), their pcapng ends when they left the window. */
static void split_check(unsigned open)
{
    char *dir = tmpdir(), pcap[128];
    snprintf(pcap, sizeof pcap, "%s/all.pcapng", dir);
    mem main_out;
    lis_config cfg = {.format = LIS_OUT_JSON, .pcap_path = pcap, .split_dir = dir, .split_open = open};
    lis_listener *l = listen_file(tu_shared(SUPERCHARGER), &cfg, &main_out);
    const dec_analyzer *a = lis_analyzer(l);
    size_t n = dec_nsessions(a);
    assert_true(n >= 3);
    unsigned v2g_total = 0;
    for (size_t i = 0; i < n; i++) {
        char path[160], key[32];
        snprintf(path, sizeof path, "%s/session-%03zu.jsonl", dir, i + 1);
        snprintf(key, sizeof key, "\"session\":%zu,", i);
        size_t len;
        char *file = tu_read_file(path, &len);
        assert_non_null(file);
        char *want = lines_with(main_out.buf, key);
        assert_string_equal(file, want);
        assert_non_null(strstr(file, "\"layer\":\"session\""));
        free(file);
        free(want);
        const dec_session *s = dec_session_get(a, i);
        snprintf(path, sizeof path, "%s/session-%03zu.pcapng", dir, i + 1);
        mem alone;
        decode_file(path, 0, &alone);
        unsigned exi = 0;
        const char *p = strstr(alone.buf, "totals:");
        assert_non_null(p);
        assert_int_equal(sscanf(strstr(p, "EXI messages "), "EXI messages %u", &exi), 1);
        if (open && i + open < n)
            assert_true(exi <= s->exi_messages);
        else
            assert_int_equal(exi, s->exi_messages);
        v2g_total += exi;
        free(alone.buf);
    }
    if (open && open < n)
        assert_true(v2g_total <= dec_stats(a)->exi);
    else
        assert_int_equal(v2g_total, dec_stats(a)->exi);
    lis_free(l);
    free(main_out.buf);
    rm_dir(dir);
}

static void split_per_session(void **state)
{
    (void)state;
    split_check(0); /* the default window holds all five sessions */
    split_check(2);
}

/* ---- --join against a modem that confirms CM_SET_KEY (or stays silent) ---- */
typedef struct {
    uint32_t now;
    int silent;
    unsigned requests;
    hpgp_set_key_req last;
    int pending;
    uint8_t reply[HPGP_MAX_FRAME];
    size_t reply_len;
} fake_modem;

static const uint8_t HOST[6] = {0x02, 0, 0, 0, 0, 0x99}, MODEM[6] = {0x00, 0xb0, 0x52, 0, 0, 0x42};

static int fm_send(void *ctx, const uint8_t *frame, size_t len)
{
    fake_modem *m = ctx;
    hpgp_msg req, cnf;
    assert_int_equal(hpgp_unpack(frame, len, &req), 0);
    assert_int_equal(req.kind, HPGP_K_SET_KEY_REQ);
    assert_memory_equal(req.hdr.src, HOST, 6);
    m->requests++;
    m->last = req.u.set_key_req;
    hpgp_msg_init(&cnf, HPGP_K_SET_KEY_CNF, HOST, MODEM);
    cnf.u.set_key_cnf.result = 1;
    assert_int_equal(hpgp_pack(&cnf, m->reply, sizeof m->reply, &m->reply_len), 0);
    m->pending = !m->silent;
    return 0;
}

static int fm_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, uint32_t timeout_ms)
{
    fake_modem *m = ctx;
    if (!m->pending) {
        m->now += timeout_ms;
        return 0;
    }
    assert_true(m->reply_len <= cap);
    memcpy(buf, m->reply, m->reply_len);
    *len = m->reply_len;
    m->pending = 0;
    return 1;
}

static uint32_t fm_now(void *ctx) { return ((fake_modem *)ctx)->now; }

static int fixed_rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    memset(out, 0x5a, len);
    return 0;
}

/* The capture's own frames of one kind, unpacked (the first one). */
static int capture_msg(const char *path, hpgp_kind kind, hpgp_msg *m, uint8_t *frame, size_t *flen)
{
    cap_source *src;
    char err[256];
    assert_int_equal(cap_open_file(path, &src, err, sizeof err), 0);
    const uint8_t *f;
    size_t len;
    uint64_t ts;
    int found = 0;
    while (!found && cap_source_next(src, &f, &len, &ts) == 1) {
        if (hpgp_unpack(f, len, m) == 0 && m->kind == kind) {
            memcpy(frame, f, len);
            *flen = len;
            found = 1;
        }
    }
    cap_source_close(src);
    return found;
}

static void join_takes_the_match_key(void **state)
{
    (void)state;
    const char *path = tu_shared(LISTEN_MODE);
    /* what pyPLC's listen mode sent its modem in this capture, and the CNF it took it from */
    hpgp_msg pyplc, cnf;
    uint8_t cnf_frame[HPGP_MAX_FRAME], other[HPGP_MAX_FRAME];
    size_t cnf_len, other_len;
    assert_true(capture_msg(path, HPGP_K_SET_KEY_REQ, &pyplc, other, &other_len));
    assert_true(capture_msg(path, HPGP_K_SLAC_MATCH_CNF, &cnf, cnf_frame, &cnf_len));

    fake_modem fm = {.now = 1};
    ccs_frame_io io = {.send = fm_send, .recv = fm_recv, .now = fm_now, .ctx = &fm};
    memcpy(io.mac, HOST, 6);
    mem out;
    lis_config cfg = {.format = LIS_OUT_TEXT, .modem = &io, .rng = fixed_rng};
    lis_listener *l = listen_open(path, &cfg, &out);
    assert_int_equal(fm.requests, 1);
    assert_memory_equal(fm.last.new_key, pyplc.u.set_key_req.new_key, HPGP_NMK_LEN);
    assert_memory_equal(fm.last.nid, pyplc.u.set_key_req.nid, HPGP_NID_LEN);
    assert_memory_equal(fm.last.new_key, cnf.u.slac_match.nmk, HPGP_NMK_LEN);
    assert_memory_equal(fm.last.nid, cnf.u.slac_match.nid, HPGP_NID_LEN);
    assert_int_equal(lis_nchargers(l), 1);
    const lis_charger *c = lis_charger_get(l, 0);
    assert_memory_equal(c->mac, cnf.hdr.src, 6);
    assert_memory_equal(c->mac, cnf.u.slac_match.evse_mac, 6);
    assert_int_equal(c->matches, 1);
    assert_true(c->joined);

    /* the same key again: no new request; a new key: one more */
    uint64_t ts = dec_stats(lis_analyzer(l))->last_ns;
    lis_frame(l, ++ts, cnf_frame, cnf_len);
    assert_int_equal(fm.requests, 1);
    cnf_frame[cnf_len - 1] ^= 0xff; /* the NMK is the CNF's last field */
    lis_frame(l, ++ts, cnf_frame, cnf_len);
    assert_int_equal(fm.requests, 2);
    assert_int_equal(fm.last.new_key[HPGP_NMK_LEN - 1], cnf.u.slac_match.nmk[HPGP_NMK_LEN - 1] ^ 0xff);

    /* a silent modem: tried (with the client's retries), not joined, tried again on the next CNF */
    fm.silent = 1;
    cnf_frame[cnf_len - 1] ^= 0x0f;
    lis_frame(l, ++ts, cnf_frame, cnf_len);
    unsigned after_silence = fm.requests;
    assert_true(after_silence > 2);
    lis_frame(l, ++ts, cnf_frame, cnf_len);
    assert_true(fm.requests > after_silence);
    assert_int_equal(lis_charger_get(l, 0)->matches, 5);
    listen_close(l, &out);
    char want[160];
    snprintf(want, sizeof want, "\nchargers: b8:27:eb:27:33:53: NID 01020304050607, NMK 77770175777777777777777777777787, "
             "5 CM_SLAC_MATCH.CNFs, joined\n");
    assert_non_null(strstr(out.buf, want));
    lis_free(l);
    free(out.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_as_decode),
        cmocka_unit_test(saved_pcap_decodes_the_same),
        cmocka_unit_test(split_per_session),
        cmocka_unit_test(join_takes_the_match_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
