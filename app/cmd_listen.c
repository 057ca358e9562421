/* ccsplc listen: a passive listener on an interface (a modem in the car's network, or plcsim's monitor port):
 * the live timeline and session summaries of `ccsplc decode`, plus --pcap, --split, --html and --join. */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/tools/listen.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/loop.h"
#include "ccsplc/linux/random.h"
#include "app_streams.h"
#include "commands.h"

#define FILE_FRAMES_PER_STEP 4096

typedef struct {
    const char *ifname, *file, *modem_if, *html;
    int join;
    double duration_s;
    lis_config cfg;
} opts;

typedef struct {
    lis_listener *l;
    cap_source *src;
    int rc;
} live_ctx;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ccsplc listen (-i IF | -r FILE) [--json | --quiet] [--pcap FILE] [--split DIR] [--html FILE]\n"
            "                     [--join [--modem-if IF]] [--duration S] [-v]\n"
            "\n"
            "Listens passively on IF (a HomePlug modem, or plcsim's --monitor port; needs CAP_NET_RAW) and\n"
            "prints what `ccsplc decode` prints for a capture, as it happens: one timeline line per HomePlug\n"
            "message, SDP datagram, TCP event and V2G message (schema from each connection's handshake), and at\n"
            "the end (SIGINT/SIGTERM, --duration) a summary per session, totals and the chargers seen.\n"
            "\n"
            "  -i, --interface IF   listen on IF (promiscuous)\n"
            "  -r, --read FILE      a pcap/pcapng file through the same pipeline, at full speed\n"
            "  -j, --json           JSON Lines as `ccsplc decode --json`, then one object per charger\n"
            "  -q, --quiet          nothing on stdout\n"
            "      --pcap FILE      save every frame seen (pcapng)\n"
            "      --split DIR      per session N: DIR/session-N.txt (.jsonl with --json) with its timeline\n"
            "                       and summary, and DIR/session-N.pcapng of its frames when --pcap is given\n"
            "  -H, --html FILE      write the HTML report of everything seen at the end\n"
            "      --join           on each new key in a CM_SLAC_MATCH.CNF, set it on our modem (CM_SET_KEY:\n"
            "                       NMK and NID) to enter the car's network, as pyPLC's listen mode does\n"
            "      --modem-if IF    the interface of the modem --join keys (default: the -i interface)\n"
            "  -t, --duration S     stop after S seconds\n"
            "  -v, --verbose        debug log\n"
            "  -h, --help           this text\n"
            "\n"
            "exit: 0 ok, 1 the interface or a file failed or an EXI message did not decode, 2 usage.\n");
}

static int parse(int argc, char **argv, opts *o)
{
    enum { O_PCAP = 256, O_SPLIT, O_JOIN, O_MODEM_IF };
    static const struct option longopts[] = {
        {"interface", required_argument, 0, 'i'}, {"read", required_argument, 0, 'r'},
        {"json", no_argument, 0, 'j'},            {"quiet", no_argument, 0, 'q'},
        {"pcap", required_argument, 0, O_PCAP},   {"split", required_argument, 0, O_SPLIT},
        {"html", required_argument, 0, 'H'},      {"join", no_argument, 0, O_JOIN},
        {"modem-if", required_argument, 0, O_MODEM_IF}, {"duration", required_argument, 0, 't'},
        {"verbose", no_argument, 0, 'v'},         {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->cfg.format = LIS_OUT_TEXT;
    o->cfg.out = stdout;
    optind = 1;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "i:r:jqH:t:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': o->ifname = optarg; break;
        case 'r': o->file = optarg; break;
        case 'j': o->cfg.format = LIS_OUT_JSON; break;
        case 'q': o->cfg.format = LIS_OUT_NONE; o->cfg.out = NULL; break;
        case O_PCAP: o->cfg.pcap_path = optarg; break;
        case O_SPLIT: o->cfg.split_dir = optarg; break;
        case 'H': o->html = optarg; o->cfg.html = 1; break;
        case O_JOIN: o->join = 1; break;
        case O_MODEM_IF: o->modem_if = optarg; break;
        case 't':
            o->duration_s = strtod(optarg, &end);
            if (*end || !(o->duration_s > 0) || o->duration_s > 86400.0 * 24) return CCS_EXIT_USAGE;
            break;
        case 'v': ccs_log_set_level(CCS_LOG_DEBUG); break;
        case 'h': usage(stdout); return CCS_EXIT_OK;
        default: return CCS_EXIT_USAGE;
        }
    }
    if (optind != argc || !o->ifname == !o->file || (o->modem_if && !o->join) || (o->join && o->file))
        return CCS_EXIT_USAGE;
    return -1;
}

static void on_readable(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)fd;
    (void)revents;
    live_ctx *x = ctx;
    int rc = lis_pump(x->l, x->src, -1);
    if (rc < 0) {
        LOG_E("listen: read error on the interface");
        x->rc = rc;
        ccs_loop_stop(loop, rc);
    }
}

static void on_duration(ccs_loop *loop, void *ctx)
{
    (void)ctx;
    ccs_loop_stop(loop, 0);
}

/* Live: the capture's descriptor on the poll loop (with the output queues) until a signal or --duration. */
static int run_live(const opts *o, ccs_loop *loop, lis_listener *l, cap_source *src)
{
    ccs_timer stop;
    live_ctx x = {l, src, 0};
    int rc = ccs_loop_stop_on_signals(loop, 0);
    app_streams_watch(loop);
    if (!rc) rc = ccs_loop_add_fd(loop, cap_source_fd(src), POLLIN, on_readable, &x);
    if (!rc && o->duration_s > 0) rc = ccs_loop_timer_at(loop, &stop, (uint32_t)(o->duration_s * 1000), on_duration, NULL);
    if (!rc) {
        LOG_I("listen: on %s%s (SIGINT to stop)", o->ifname, o->join ? ", --join" : "");
        rc = ccs_loop_run(loop);
    }
    if (rc >= 0 && lis_pump(l, src, -1) < 0) rc = CCS_EIO; /* what arrived before the stop */
    ccs_loop_close(loop);
    uint64_t dropped;
    if (!cap_source_drops(src, &dropped) && dropped)
        LOG_W("listen: the kernel dropped %llu frames (capture buffer full)", (unsigned long long)dropped);
    return rc;
}

static int run_file(lis_listener *l, cap_source *src)
{
    int rc;
    while ((rc = lis_pump(l, src, FILE_FRAMES_PER_STEP)) > 0) {
    }
    if (rc < 0) LOG_E("listen: read error");
    return rc;
}

static int write_html(lis_listener *l, const char *path, const char *title)
{
    FILE *f = fopen(path, "w");
    int rc = f ? lis_write_html(l, f, title) : -1;
    if (f && fclose(f)) rc = -1;
    if (rc) LOG_E("listen: %s: cannot write the report", path);
    return rc;
}

/* Everything after the options: source, modem link, listener, run, summary. */
static int listen_with(opts *o)
{
    char err[256];
    cap_source *src = NULL;
    int rc = o->file ? cap_open_file(o->file, &src, err, sizeof err) : cap_open_live(o->ifname, &src, err, sizeof err);
    if (rc) {
        LOG_E("listen: %s", err);
        return CCS_EXIT_FAIL;
    }
    ccs_link link = {.fd = -1};
    ccs_frame_io io;
    if (o->join) {
        const char *mif = o->modem_if ? o->modem_if : o->ifname;
        if ((rc = ccs_link_open(&link, mif, CCS_LINK_HPGP)) != 0) {
            LOG_E("listen: --join: cannot open %s: %s", mif, ccs_strerror(rc));
            cap_source_close(src);
            return CCS_EXIT_FAIL;
        }
        ccs_link_frame_io(&link, &io);
        o->cfg.modem = &io;
        o->cfg.rng = ccs_random_getrandom;
    }
    ccs_loop loop;
    if (!o->file) {   /* live: output never blocks the loop, each record goes out as it arrives */
        app_streams_live();
        if (o->cfg.out) o->cfg.out = stdout;
        ccs_loop_init(&loop);
        o->cfg.loop = &loop;
    }
    lis_listener *l = NULL;
    if ((rc = lis_new(&o->cfg, &l, err, sizeof err)) != 0) {
        LOG_E("listen: %s", err);
    } else {
        rc = o->file ? run_file(l, src) : run_live(o, &loop, l, src);
        if (lis_finish(l)) rc = CCS_EIO;
        if (o->cfg.out && app_streams_end()) {
            LOG_E("listen: the timeline on stdout is incomplete");
            rc = CCS_EIO;
        }
        if (o->html && write_html(l, o->html, o->file ? o->file : o->ifname)) rc = CCS_EIO;
        const dec_totals *t = dec_stats(lis_analyzer(l));
        if (t->exi_errors) LOG_E("listen: %u of %u EXI messages do not decode", t->exi_errors, t->exi);
        LOG_I("listen: %u EXI messages, %zu sessions, %zu chargers", t->exi, dec_nsessions(lis_analyzer(l)),
              lis_nchargers(l));
        if (!rc && t->exi_errors) rc = CCS_EPROTO;
    }
    lis_free(l);
    ccs_link_close(&link);
    cap_source_close(src);
    return rc ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}

int cmd_listen(int argc, char **argv)
{
    opts o;
    int rc = parse(argc, argv, &o);
    if (rc == CCS_EXIT_USAGE) usage(stderr);
    return rc >= 0 ? rc : listen_with(&o);
}
