/* ccsplc decode: a capture (pcap/pcapng) as a timeline of decoded messages and a summary per charging session,
 * or as JSON Lines, XML, and an HTML report. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccsplc/tools/decode.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/tls_decrypt.h"
#include "app_io.h"
#include "commands.h"

#define PROGRESS_MIN_BYTES (8u << 20) /* files at least this large get a progress bar on a terminal */
#define FRAMES_PER_STEP 4096

enum mode { MODE_TEXT, MODE_JSON, MODE_XML, MODE_QUIET };

struct out {
    enum mode mode;
    dec_analyzer *a;
    dec_html *html;
};

static tls_keylog *keylog; /* --keylog: TLS streams decrypted */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ccsplc decode [--json | --xml | --quiet] [--html FILE|DIR] [--keylog FILE] [--progress] CAPTURE...\n"
            "\n"
            "Decodes a pcap/pcapng capture: HomePlug (SLAC, modem management), SDP, and the V2G messages of every\n"
            "TCP connection with the schema its SupportedAppProtocol handshake chose (detected by trying din,\n"
            "iso2 only when the capture lacks it). Roles come from SLAC and SDP: the car sends\n"
            "CM_SLAC_PARAM.REQ and the SDP request. Other traffic (syslog, mDNS, ...) is counted and skipped.\n"
            "\n"
            "default         a timeline (time since the first message, direction, layer, message, key values),\n"
            "                then per session: protocol, car and charger, stages with durations, voltage and\n"
            "                current ranges, energy, how it ended; then totals\n"
            "  -j, --json    JSON Lines: one object per message with every decoded field, one per session\n"
            "  -x, --xml     one XML document: <ccsplc-decode>, a <capture file> per capture, a <message t ts\n"
            "                session dir proto name> around each V2G message's XML\n"
            "  -q, --quiet   nothing on stdout (with --html, or to check a capture: the exit code)\n"
            "  -H, --html F  also write a self-contained HTML report: per session its faults, summary and plots\n"
            "                of voltage, current and SoC; message sequence chart, timeline. With several\n"
            "                captures F is a directory (made if absent): F/CAPTURE-NAME.html each\n"
            "  -k, --keylog F  decrypt V2G over TLS with the session keys in F (NSS key-log format, as written by\n"
            "                ccsplc evse/pev --keylog or SSLKEYLOGFILE): TLS 1.2 AES-CBC-SHA256 (ISO 15118-2) and\n"
            "                TLS 1.3 AES-GCM / ChaCha20-Poly1305 (ISO 15118-20); without it TLS records are counted\n"
            "  -p, --progress  show the progress bar (default: on a terminal, for files of 8 MiB or more)\n"
            "  -h, --help    this text\n"
            "\n"
            "Several captures are decoded one after the other, each on its own (text: a \"== capture FILE\"\n"
            "line before each; JSON: a {\"layer\":\"capture\",\"file\":...} object before each).\n"
            "\n"
            "exit: 0 ok, 1 a capture cannot be read or an EXI message does not decode, 2 usage.\n");
}

static void on_record(void *ctx, const dec_record *r)
{
    struct out *o = ctx;
    uint64_t origin = dec_stats(o->a)->first_ns;
    if (o->html)
        dec_html_record(o->html, r);
    int rc = 0;
    switch (o->mode) {
    case MODE_TEXT: rc = dec_text_record(stdout, r, origin); break;
    case MODE_JSON: rc = dec_json_record(stdout, r, origin); break;
    case MODE_XML: rc = dec_xml_record(stdout, r, origin); break;
    default: break;
    }
    if (rc)
        app_stdout_failed(); /* one fwrite per record: the reason is lost unless kept now */
}

/* The descriptor libpcap reads the file through (same device and inode), for the progress bar. */
static int find_fd(const char *path)
{
    struct stat want, st;
    if (stat(path, &want))
        return -1;
    for (int fd = 3; fd < 1024; fd++)
        if (!fstat(fd, &st) && st.st_dev == want.st_dev && st.st_ino == want.st_ino)
            return fd;
    return -1;
}

static void progress(int fd, off_t size)
{
    off_t pos = lseek(fd, 0, SEEK_CUR);
    if (pos < 0 || size <= 0)
        return;
    int pct = (int)(pos * 100 / size), w = 40, fill = pct * w / 100;
    fprintf(stderr, "\r[%.*s%*s] %3d%% %.1f MB", fill, "########################################", w - fill, "",
            pct > 100 ? 100 : pct, (double)pos / 1e6);
}

enum { RUN_NOT_OPENED = -2 };

/* Reads the capture through the analyzer: 0, -1 (a read error part way), RUN_NOT_OPENED. */
static int run(const char *path, struct out *o, int show_progress)
{
    char err[256];
    cap_source *src;
    if (cap_open_file(path, &src, err, sizeof err)) {
        LOG_E("%s%s%s", strncmp(err, path, strlen(path)) ? path : "", strncmp(err, path, strlen(path)) ? ": " : "",
              err); /* libpcap names the path itself in some messages */
        return RUN_NOT_OPENED;
    }
    cap_callbacks cb = dec_callbacks(o->a);
    cap_reader *r = cap_new(&cb, CAP_DEFAULT_MAX_PAYLOAD);
    if (r && keylog)
        cap_set_keylog(r, keylog);
    struct stat st;
    int fd = show_progress && !stat(path, &st) ? find_fd(path) : -1;
    int rc = 0;
    while (r && !ferror(stdout) && (rc = cap_source_read(src, r, FRAMES_PER_STEP)) > 0) /* stop when output fails */
        if (fd >= 0)
            progress(fd, st.st_size);
    if (fd >= 0)
        fprintf(stderr, "\r%60s\r", "");
    if (!r || rc < 0)
        LOG_E("%s: %s", path, r ? "read error" : "out of memory");
    if (r) {
        cap_finish(r);
        dec_finish(o->a, cap_get_stats(r));
        cap_free(r);
    }
    cap_source_close(src);
    return r && rc == 0 ? 0 : -1;
}

/* One capture through a new analyzer: its records, summary and report. 0 ok, -1 failed. */
static int decode_one(const char *path, enum mode mode, const char *html_path, int force_progress, int several)
{
    struct out o = {.mode = mode};
    struct stat st;
    int show_progress = force_progress || (isatty(2) && !stat(path, &st) && st.st_size >= (off_t)PROGRESS_MIN_BYTES);
    if (several && mode == MODE_TEXT)
        printf("== capture %s\n", path);
    if (several && mode == MODE_JSON) {
        fputs("{\"layer\":\"capture\",\"file\":", stdout);
        dec_json_string(stdout, path);
        fputs("}\n", stdout);
    }
    if (mode == MODE_XML)
        dec_xml_capture(stdout, path);
    o.a = dec_new(on_record, &o);
    o.html = html_path ? dec_html_new() : NULL;
    int rc = !o.a || (html_path && !o.html) ? RUN_NOT_OPENED : run(path, &o, show_progress);
    if (!o.a || (html_path && !o.html))
        LOG_E("out of memory");
    if (mode == MODE_XML)
        dec_xml_capture_end(stdout);
    if (rc == RUN_NOT_OPENED) { /* nothing was read: no summary, no totals */
        dec_free(o.a);
        dec_html_free(o.html);
        return -1;
    }
    if ((mode == MODE_TEXT && dec_text_summary(stdout, o.a)) || (mode == MODE_JSON && dec_json_sessions(stdout, o.a)))
        app_stdout_failed();
    const dec_totals *t = dec_stats(o.a);
    if (!rc && html_path) {
        FILE *f = fopen(html_path, "w");
        int wrc = f ? dec_html_write(o.html, f, o.a, path) : -1;
        if (f && fclose(f))
            wrc = -1;
        if (wrc) {
            LOG_E("%s: cannot write the report", html_path);
            rc = -1;
        }
    }
    if (ferror(stdout))
        rc = -1; /* main() names the error */
    else if (t->exi_errors)
        LOG_E("%s: %u of %u EXI messages do not decode", path, t->exi_errors, t->exi);
    else if (mode != MODE_TEXT)
        LOG_I("%s: %u EXI messages, %zu sessions, %llu frames of other traffic skipped", path, t->exi,
              dec_nsessions(o.a), (unsigned long long)t->capture.other);
    int fail = rc || t->exi_errors;
    dec_free(o.a);
    dec_html_free(o.html);
    return fail ? -1 : 0;
}

/* Several captures: --html names a directory, one report per capture in it (DIR/NAME.html). */
static char *report_path(const char *dir, const char *capture)
{
    const char *base = strrchr(capture, '/') ? strrchr(capture, '/') + 1 : capture;
    size_t n = strlen(dir) + strlen(base) + 7;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s.html", dir, base);
    return p;
}

int cmd_decode(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, 0, 'j'}, {"xml", no_argument, 0, 'x'},
                                         {"quiet", no_argument, 0, 'q'}, {"html", required_argument, 0, 'H'},
                                         {"progress", no_argument, 0, 'p'}, {"help", no_argument, 0, 'h'},
                                         {"keylog", required_argument, 0, 'k'}, {0, 0, 0, 0}};
    enum mode mode = MODE_TEXT;
    const char *html_path = NULL, *keylog_path = NULL;
    int force_progress = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jxqH:phk:", opts, NULL)) != -1) {
        switch (c) {
        case 'j': mode = MODE_JSON; break;
        case 'x': mode = MODE_XML; break;
        case 'q': mode = MODE_QUIET; break;
        case 'H': html_path = optarg; break;
        case 'p': force_progress = 1; break;
        case 'k': keylog_path = optarg; break;
        case 'h': usage(stdout); return CCS_EXIT_OK;
        default: usage(stderr); return CCS_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CCS_EXIT_USAGE;
    }
    char err[320];
    if (keylog_path && tls_keylog_load(keylog_path, &keylog, err, sizeof err)) {
        LOG_E("--keylog %s", err);
        return CCS_EXIT_FAIL;
    }
    int several = argc - optind > 1, failed = 0;
    if (several && html_path && mkdir(html_path, 0777) && errno != EEXIST) {
        LOG_E("%s: %s", html_path, strerror(errno));
        tls_keylog_free(keylog);
        return CCS_EXIT_FAIL;
    }
    if (mode == MODE_XML)
        dec_xml_begin(stdout);
    for (int i = optind; i < argc && !ferror(stdout); i++) {
        char *report = several && html_path ? report_path(html_path, argv[i]) : NULL;
        if (several && html_path && !report) {
            LOG_E("out of memory");
            failed = 1;
            break;
        }
        failed |= decode_one(argv[i], mode, several ? report : html_path, force_progress, several) != 0;
        free(report);
    }
    if (mode == MODE_XML)
        dec_xml_end(stdout);
    tls_keylog_free(keylog);
    keylog = NULL;
    return failed || ferror(stdout) ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}
