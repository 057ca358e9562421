/* The listener: each frame is saved (--pcap), demultiplexed by the capture reader and decoded by the analyzer;
 * records go out as they come (timeline or JSON Lines), to the split files, the HTML report and the chargers
 * table. The same path serves a live interface and a capture file. Host side. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "listen_int.h"

void lis_write_failed(lis_listener *l, const char *what, const char *why)
{
    if (!l->write_errors++)
        LOG_E("listen: %s: %s", what, why);
}

static void on_record(void *ctx, const dec_record *r)
{
    lis_listener *l = ctx;
    uint64_t origin = dec_stats(l->a)->first_ns;
    if (l->cfg.out) {
        int rc = l->cfg.format == LIS_OUT_TEXT   ? dec_text_record(l->cfg.out, r, origin)
                 : l->cfg.format == LIS_OUT_JSON ? dec_json_record(l->cfg.out, r, origin)
                                                 : 0;
        if (rc)
            lis_write_failed(l, "stdout", strerror(errno));
    }
    if (l->html)
        dec_html_record(l->html, r);
    if (l->cfg.split_dir)
        lis_split_record(l, r);
    lis_chargers_record(l, r);
}

int lis_new(const lis_config *cfg, lis_listener **out, char *err, size_t errlen)
{
    lis_listener *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return CCS_ENOSPC;
    }
    l->cfg = *cfg;
    if (!l->cfg.split_open)
        l->cfg.split_open = LIS_SPLIT_OPEN;
    l->join = -1;
    l->a = dec_new(on_record, l);
    cap_callbacks cb = l->a ? dec_callbacks(l->a) : (cap_callbacks){0};
    l->r = l->a ? cap_new(&cb, CAP_DEFAULT_MAX_PAYLOAD) : NULL;
    l->html = cfg->html ? dec_html_new() : NULL;
    if (!l->r || (cfg->html && !l->html)) {
        lis_free(l);
        snprintf(err, errlen, "out of memory");
        return CCS_ENOSPC;
    }
    if (cfg->modem)
        modem_client_init(&l->modem, cfg->modem);
    if (cfg->split_dir && mkdir(cfg->split_dir, 0777) && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", cfg->split_dir, strerror(errno));
        lis_free(l);
        return CCS_EIO;
    }
    if (cfg->pcap_path) {
        if (cfg->loop ? pcapng_open_live(&l->pcap, cfg->pcap_path) : pcapng_open(&l->pcap, cfg->pcap_path)) {
            snprintf(err, errlen, "%s: cannot create: %s", cfg->pcap_path, strerror(errno));
            lis_free(l);
            return CCS_EIO;
        }
        l->pcap_open = 1;
        if (cfg->loop)
            ccs_loop_add_outq(cfg->loop, &l->pcap.q);
    }
    *out = l;
    return 0;
}

void lis_frame(lis_listener *l, uint64_t ts_ns, const uint8_t *frame, size_t len)
{
    if (l->pcap_open && pcapng_write(&l->pcap, ts_ns, PCAPNG_DIR_IN, frame, len) == CCS_EIO)
        lis_write_failed(l, l->cfg.pcap_path, strerror(l->pcap.q.err)); /* (dropped for a reader behind: said at the end) */
    l->nframe_sess = 0;
    cap_frame(l->r, ts_ns, frame, len);
    if (l->cfg.split_dir && l->cfg.pcap_path)
        lis_split_frame(l, ts_ns, frame, len);
    lis_join_run(l);
}

int lis_pump(lis_listener *l, cap_source *src, int max_frames)
{
    int n = 0;
    while (max_frames < 0 || n < max_frames) {
        const uint8_t *frame;
        size_t len;
        uint64_t ts;
        int rc = cap_source_next(src, &frame, &len, &ts);
        if (rc < 0)
            return rc;
        if (rc == 0)
            break;
        lis_frame(l, ts, frame, len);
        n++;
    }
    return n;
}

int lis_finish(lis_listener *l)
{
    cap_finish(l->r);
    dec_finish(l->a, cap_get_stats(l->r));
    FILE *out = l->cfg.out;
    int rc = 0;
    if (out && l->cfg.format == LIS_OUT_TEXT)
        rc = dec_text_summary(out, l->a);
    if (out && l->cfg.format == LIS_OUT_JSON)
        rc = dec_json_sessions(out, l->a);
    if (out && l->cfg.format != LIS_OUT_NONE)
        lis_chargers_write(l, out);
    if (out && (fflush(out) || rc || ferror(out)))
        lis_write_failed(l, "stdout", strerror(errno));
    if (l->cfg.split_dir)
        lis_split_finish(l);
    if (l->pcap_open) {
        if (l->cfg.loop)
            ccs_loop_remove_outq(l->cfg.loop, &l->pcap.q);
        if (pcapng_close(&l->pcap) && l->pcap.q.err)
            lis_write_failed(l, l->cfg.pcap_path, strerror(l->pcap.q.err));
        else if (l->pcap.q.dropped_bytes)
            lis_write_failed(l, l->cfg.pcap_path, "frames dropped: it was not read in time");
        l->pcap_open = 0;
    }
    if (l->split_dropped)
        LOG_W("listen: %u frames of older sessions not written to their split pcapng (only the %u newest stay open)",
              l->split_dropped, l->cfg.split_open);
    return l->write_errors ? CCS_EIO : 0;
}

int lis_write_html(lis_listener *l, FILE *f, const char *title)
{
    return l->html ? dec_html_write(l->html, f, l->a, title) : -1;
}

const dec_analyzer *lis_analyzer(const lis_listener *l) { return l->a; }
size_t lis_nchargers(const lis_listener *l) { return l->nch; }
const lis_charger *lis_charger_get(const lis_listener *l, size_t i) { return i < l->nch ? &l->ch[i] : NULL; }

void lis_free(lis_listener *l)
{
    if (!l)
        return;
    if (l->pcap_open)
        pcapng_close(&l->pcap);
    lis_split_close(l);
    cap_free(l->r);
    dec_free(l->a);
    dec_html_free(l->html);
    free(l->split);
    free(l->ch);
    free(l);
}
