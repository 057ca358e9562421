/* ccsplc exi: decode EXI messages to XML (or key=value), or encode XML (or key=value) to EXI hex; the EXI fragments
 * a message's signature covers. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_io.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/tools/exi_sig.h"
#include "ccsplc/tools/exi_text.h"
#include "ccsplc/core/v2gtp.h"
#include "commands.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ccsplc exi decode [--proto P] [--kv] HEX|-\n"
            "       ccsplc exi encode [--proto P] [--kv] FILE|-\n"
            "       ccsplc exi fragment [--proto P] HEX\n"
            "\n"
            "decode  prints the message as XML with the schema's element names and namespaces (--kv: the\n"
            "        key=value form of the test corpus, one per line, after schema=P and message=NAME). The\n"
            "        input is hex (whitespace allowed), a bare EXI stream or a whole V2GTP frame (01 FE ...),\n"
            "        which is unwrapped. With -, standard input holds one message per line: each gives one\n"
            "        result (--kv: on one line, pairs space-separated), an error names its line number.\n"
            "encode  reads that XML, or that key=value text (--kv, or found by its first pair schema=P: one\n"
            "        message with a pair per line, or one message per line with space-separated pairs), and\n"
            "        prints the EXI stream as hex (one line per message).\n"
            "fragment  the bytes the message's XML signature covers, as our fragment grammars encode them:\n"
            "        a line '- SignedInfo HEX' (SignedInfo as an EXI fragment of the xmldsig schema: what the\n"
            "        SignatureValue signs), then per Reference 'URI ELEMENT HEX' (the element with that Id as an\n"
            "        EXI fragment of the schema set: what its DigestValue digests). ISO-2 and ISO-20 messages\n"
            "        with a Signature.\n"
            "\n"
            "  -p, --proto P   app din iso2 iso20-common iso20-dc iso20-ac iso20-acdp iso20-wpt, or auto\n"
            "                  (default: auto; decode only: tries every schema and says which matched)\n"
            "  -k, --kv        decode: key=value lines instead of XML; encode: read key=value\n"
            "  -h, --help      this text\n"
            "\n"
            "exit: 0 ok, 1 the input (any line of it) does not decode/encode (the message names the bit offset and\n"
            "what the grammar expected) or, for fragment, has no signature or a Reference naming no element;\n"
            "2 usage.\n");
}

/* Unwrap a V2GTP frame if the input is one. */
static int unwrap(uint8_t **buf, size_t *len)
{
    if (*len < V2GTP_HEADER_LEN || (*buf)[0] != V2GTP_VERSION || (*buf)[1] != V2GTP_VERSION_INV)
        return 0;
    v2gtp_msg m;
    int rc = v2gtp_parse(*buf, *len, 0xFFFFFFFFu, &m);
    if (rc) {
        fprintf(stderr, "ccsplc exi: bad V2GTP frame: %s\n", ccs_strerror(rc));
        return -1;
    }
    fprintf(stderr, "ccsplc exi: V2GTP frame, payload type 0x%04x, %u bytes\n", m.payload_type, m.payload_len);
    memmove(*buf, m.payload, m.payload_len);
    *len = m.payload_len;
    return 0;
}

/* Decode with p; on success also checks that re-encoding gives the same bytes. */
static int try_decode(const struct exi_proto *p, const uint8_t *buf, size_t len, void *doc, struct exi_error *err,
                      int *exact)
{
    int rc = exi_decode_ex(p->codec, buf, len, doc, err);
    if (rc)
        return rc;
    uint8_t *out = malloc(len + 16);
    size_t olen = 0;
    *exact = out && !exi_encode(p->codec, doc, out, len + 16, &olen) && olen <= len && !memcmp(out, buf, olen);
    for (size_t i = olen; *exact && i < len; i++)
        *exact = buf[i] == 0;
    free(out);
    return 0;
}

static const struct exi_proto *auto_detect(const uint8_t *buf, size_t len, void **doc)
{
    const struct exi_proto *best = NULL;
    int best_exact = 0, matches = 0;
    char others[256] = "";
    for (size_t i = 0; i < exi_nprotos; i++) {
        const struct exi_proto *p = &exi_protos[i];
        void *d = calloc(1, p->doc_size);
        struct exi_error err;
        int exact = 0;
        if (d && !try_decode(p, buf, len, d, &err, &exact)) {
            matches++;
            if (!best || (exact && !best_exact)) {
                if (best) {
                    strncat(others, " ", sizeof others - strlen(others) - 1);
                    strncat(others, best->name, sizeof others - strlen(others) - 1);
                    free(*doc);
                }
                best = p;
                best_exact = exact;
                *doc = d;
                continue;
            }
            strncat(others, " ", sizeof others - strlen(others) - 1);
            strncat(others, p->name, sizeof others - strlen(others) - 1);
        }
        free(d);
    }
    if (best)
        fprintf(stderr, "ccsplc exi: detected %s (%s%s%s)\n", best->name,
                matches == 1 ? "the only schema that decodes it" : "ambiguous: also decodes as",
                matches == 1 ? "" : others, best_exact ? "; re-encodes to the same bytes" : "");
    else
        fprintf(stderr, "ccsplc exi: no schema decodes this input (use --proto to see where it fails)\n");
    return best;
}

/* One message's hex (a V2GTP frame is unwrapped) decoded with proto ("auto": the codec that fits): its codec and
 * document (the caller frees it), or NULL with the reason on stderr (cmd: "decode"; where: "" or "line N: "). */
static const struct exi_proto *load(const char *cmd, const char *proto, const char *text, const char *where,
                                    void **doc)
{
    size_t len;
    uint8_t *buf = app_parse_hex(text, &len);
    *doc = NULL;
    if (!buf) {
        fprintf(stderr, "ccsplc exi %s: %sthe input is not hex\n", cmd, where);
        return NULL;
    }
    if (unwrap(&buf, &len)) {
        free(buf);
        return NULL;
    }
    const struct exi_proto *p;
    if (!strcmp(proto, "auto")) {
        p = auto_detect(buf, len, doc);
    } else {
        p = exi_proto_find(proto);
        *doc = calloc(1, p->doc_size);
        struct exi_error err;
        int rc = *doc ? exi_decode_ex(p->codec, buf, len, *doc, &err) : CCS_ENOSPC;
        if (rc) {
            char msg[2048] = "out of memory";
            if (*doc)
                exi_text_describe_error(p, &err, msg, sizeof msg);
            fprintf(stderr, "ccsplc exi %s: %snot a valid %s message: %s\n", cmd, where, p->meta->title, msg);
            p = NULL;
        }
    }
    free(buf);
    if (!p) {
        free(*doc);
        *doc = NULL;
    }
    return p;
}

/* One message's hex: its XML, or (kv) "schema=P", "message=NAME" and its key=value pairs separated by sep.
 * where: "" or "line N: " for the messages. 0 or -1. */
static int decode_one(const char *proto, int kv, char sep, const char *text, const char *where)
{
    void *doc;
    const struct exi_proto *p = load("decode", proto, text, where, &doc);
    if (!p)
        return -1;
    int rc;
    if (kv) {
        printf("schema=%s%cmessage=%s%c", p->name, sep, exi_text_message_name(p, doc), sep);
        rc = exi_text_kv(stdout, p, doc, sep);
        putchar('\n');
    } else {
        rc = exi_text_xml(stdout, p, doc);
    }
    free(doc);
    return rc ? -1 : 0;
}

static int blank(const char *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
            return 0;
    return 1;
}

/* HEX, or "-": standard input, one message per line (blank lines skipped). With several, each result is one
 * line (--kv: the pairs space-separated, as in the corpus) and an error names its line. */
static int do_decode(const char *proto, int kv, const char *arg)
{
    if (strcmp(arg, "-"))
        return decode_one(proto, kv, '\n', arg, "") ? CCS_EXIT_FAIL : CCS_EXIT_OK;
    size_t tlen;
    char *text = app_read_all("-", &tlen);
    if (!text) {
        fprintf(stderr, "ccsplc exi decode: cannot read the standard input\n");
        return CCS_EXIT_FAIL;
    }
    unsigned lines = 0, failed = 0;
    for (int pass = 0; pass < 2; pass++) { /* count the messages, then decode them */
        unsigned no = 0;
        for (char *l = text; *l;) {
            size_t n = strcspn(l, "\n");
            char end = l[n];
            no++;
            if (!blank(l, n) && !pass) {
                lines++;
            } else if (!blank(l, n)) {
                char where[32] = "";
                if (lines > 1)
                    snprintf(where, sizeof where, "line %u: ", no);
                l[n] = 0;
                failed += decode_one(proto, kv, lines > 1 ? ' ' : '\n', l, where) != 0;
                l[n] = end;
            }
            l += n + (end != 0);
        }
    }
    if (!lines) {
        fprintf(stderr, "ccsplc exi decode: no input\n");
        failed = 1;
    }
    free(text);
    return failed ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}

/* doc (of p) as EXI hex on one line; 0 or -1. */
static int encode_print(const struct exi_proto *p, const void *doc, const char *where)
{
    size_t cap = 1u << 20, olen;
    uint8_t *out = malloc(cap);
    struct exi_error err;
    int rc = out ? exi_encode_ex(p->codec, doc, out, cap, &olen, &err) : CCS_ENOSPC;
    if (rc) {
        char d[2048] = "out of memory";
        if (out)
            exi_text_describe_error(p, &err, d, sizeof d);
        fprintf(stderr, "ccsplc exi encode: %scannot encode as %s: %s\n", where, p->meta->title, d);
        free(out);
        return -1;
    }
    for (size_t i = 0; i < olen; i++)
        printf("%02x", out[i]);
    putchar('\n');
    free(out);
    return 0;
}

/* One message in key=value form (schema=P message=NAME first); where: "" or "line N: ". 0 or -1. */
static int encode_kv(const char *proto, const char *text, size_t len, const char *where)
{
    const struct exi_proto *p = exi_text_kv_schema(text, len);
    if (!p || (strcmp(proto, "auto") && strcmp(proto, p->name))) {
        fprintf(stderr, "ccsplc exi encode: %sthe first pair must be schema=P with P %s\n", where,
                strcmp(proto, "auto") ? proto : "a known schema (see --proto)");
        return -1;
    }
    void *doc = malloc(p->doc_size);
    char msg[1024] = "out of memory";
    int rc = doc ? exi_text_from_kv(p, text, len, doc, msg, sizeof msg) : CCS_ENOSPC;
    if (rc)
        fprintf(stderr, "ccsplc exi encode: %s%s\n", where, msg);
    else
        rc = encode_print(p, doc, where);
    free(doc);
    return rc ? -1 : 0;
}

/* key=value input: one message (pairs one per line), or one message per line (pairs space-separated, as
 * `exi decode --kv -` prints several): then one hex line each, an error names its line. */
static int do_encode_kv(const char *proto, char *text, size_t len)
{
    size_t first = strcspn(text, "\n");
    if (!memchr(text, ' ', first) || !strstr(text, "message="))
        return encode_kv(proto, text, len, "") ? CCS_EXIT_FAIL : CCS_EXIT_OK;
    unsigned no = 0, failed = 0;
    for (char *l = text; *l;) {
        size_t n = strcspn(l, "\n");
        char where[32];
        snprintf(where, sizeof where, "line %u: ", ++no);
        if (!blank(l, n))
            failed += encode_kv(proto, l, n, where) != 0;
        l += n + (l[n] != 0);
    }
    return failed ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}

static int do_encode(const char *proto, int kv, const char *arg)
{
    size_t len;
    char *xml = app_read_all(arg, &len);
    if (!xml) {
        perror(arg);
        return CCS_EXIT_FAIL;
    }
    if (kv || exi_text_kv_schema(xml, len)) {
        int rc = do_encode_kv(proto, xml, len);
        free(xml);
        return rc;
    }
    const struct exi_proto *p = NULL;
    void *doc = NULL;
    char msg[1024] = "";
    for (size_t i = 0; i < exi_nprotos && !p; i++) {
        const struct exi_proto *q = &exi_protos[i];
        if (strcmp(proto, "auto") && strcmp(proto, q->name))
            continue;
        void *d = calloc(1, q->doc_size);
        char m[1024];
        if (d && !exi_text_from_xml(q, xml, len, d, m, sizeof m)) {
            p = q;
            doc = d;
        } else {
            if (strcmp(proto, "auto") || !msg[0])
                snprintf(msg, sizeof msg, "%s", m);
            free(d);
        }
    }
    free(xml);
    if (!p) {
        fprintf(stderr, "ccsplc exi encode: %s\n", msg[0] ? msg : "no schema accepts this XML");
        return CCS_EXIT_FAIL;
    }
    int rc = encode_print(p, doc, "");
    free(doc);
    return rc ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}

static void print_fragment(void *ctx, const char *uri, const char *element, const uint8_t *fragment, size_t len)
{
    int *bad = ctx;
    if (!fragment) {
        fprintf(stderr, "ccsplc exi fragment: Reference %s: %s\n", uri,
                element ? "does not encode" : "no element has that Id");
        *bad = 1;
        return;
    }
    printf("%s %s ", uri ? uri : "-", element);
    for (size_t i = 0; i < len; i++)
        printf("%02x", fragment[i]);
    putchar('\n');
}

static int do_fragment(const char *proto, const char *arg)
{
    void *doc;
    const struct exi_proto *p = load("fragment", proto, arg, "", &doc);
    if (!p)
        return CCS_EXIT_FAIL;
    int bad = 0, n = exi_sig_fragments(p, doc, print_fragment, &bad);
    free(doc);
    if (n <= 0)
        fprintf(stderr, "ccsplc exi fragment: %s\n", n ? ccs_strerror(n) : "the message has no signature");
    return n <= 0 || bad ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}

int cmd_exi(int argc, char **argv)
{
    static const struct option opts[] = {
        {"proto", required_argument, NULL, 'p'}, {"kv", no_argument, NULL, 'k'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *proto = "auto";
    int kv = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:kh", opts, NULL)) != -1) {
        switch (c) {
        case 'p': proto = optarg; break;
        case 'k': kv = 1; break;
        case 'h': usage(stdout); return CCS_EXIT_OK;
        default: usage(stderr); return CCS_EXIT_USAGE;
        }
    }
    if (strcmp(proto, "auto") && !exi_proto_find(proto)) {
        fprintf(stderr, "ccsplc exi: unknown --proto '%s'\n", proto);
        usage(stderr);
        return CCS_EXIT_USAGE;
    }
    if (argc - optind != 2) {
        usage(stderr);
        return CCS_EXIT_USAGE;
    }
    if (!strcmp(argv[optind], "decode"))
        return do_decode(proto, kv, argv[optind + 1]);
    if (!strcmp(argv[optind], "encode"))
        return do_encode(proto, kv, argv[optind + 1]);
    if (!strcmp(argv[optind], "fragment"))
        return do_fragment(proto, argv[optind + 1]);
    usage(stderr);
    return CCS_EXIT_USAGE;
}
