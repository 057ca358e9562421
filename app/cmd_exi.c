/* ccsplc exi: decode one EXI message to XML (or key=value), or encode XML to EXI hex. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_io.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/tools/exi_text.h"
#include "ccsplc/core/v2gtp.h"
#include "commands.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ccsplc exi decode [--proto P] [--kv] HEX|-\n"
            "       ccsplc exi encode [--proto P] FILE|-\n"
            "\n"
            "decode  prints the message as XML with the schema's element names and namespaces (--kv: the\n"
            "        key=value form of the test corpus, one per line). The input is hex (whitespace allowed),\n"
            "        a bare EXI stream or a whole V2GTP frame (01 FE ...), which is unwrapped.\n"
            "encode  reads that XML and prints the EXI stream as hex.\n"
            "\n"
            "  -p, --proto P   app din iso2 iso20-common iso20-dc iso20-ac iso20-acdp iso20-wpt, or auto\n"
            "                  (default: auto; decode only: tries every schema and says which matched)\n"
            "  -k, --kv        decode: key=value lines instead of XML\n"
            "  -h, --help      this text\n"
            "\n"
            "exit: 0 ok, 1 the input does not decode/encode (the message names the bit offset and what the\n"
            "grammar expected), 2 usage.\n");
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

static int do_decode(const char *proto, int kv, const char *arg)
{
    size_t tlen, len;
    char *text = strcmp(arg, "-") ? strdup(arg) : app_read_all("-", &tlen);
    uint8_t *buf = text ? app_parse_hex(text, &len) : NULL;
    free(text);
    if (!buf) {
        fprintf(stderr, "ccsplc exi decode: the input is not hex\n");
        return CCS_EXIT_FAIL;
    }
    if (unwrap(&buf, &len)) {
        free(buf);
        return CCS_EXIT_FAIL;
    }
    void *doc = NULL;
    const struct exi_proto *p;
    if (!strcmp(proto, "auto")) {
        p = auto_detect(buf, len, &doc);
    } else {
        p = exi_proto_find(proto);
        doc = calloc(1, p->doc_size);
        struct exi_error err;
        int rc = exi_decode_ex(p->codec, buf, len, doc, &err);
        if (rc) {
            char msg[2048];
            exi_text_describe_error(p, &err, msg, sizeof msg);
            fprintf(stderr, "ccsplc exi decode: not a valid %s message: %s\n", p->meta->title, msg);
            p = NULL;
        }
    }
    free(buf);
    if (!p) {
        free(doc);
        return CCS_EXIT_FAIL;
    }
    int rc = kv ? exi_text_kv(stdout, p, doc, '\n') : exi_text_xml(stdout, p, doc);
    if (kv)
        putchar('\n');
    free(doc);
    return rc ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}

static int do_encode(const char *proto, const char *arg)
{
    size_t len;
    char *xml = app_read_all(arg, &len);
    if (!xml) {
        perror(arg);
        return CCS_EXIT_FAIL;
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
    size_t cap = 1u << 20, olen;
    uint8_t *out = malloc(cap);
    struct exi_error err;
    int rc = out ? exi_encode_ex(p->codec, doc, out, cap, &olen, &err) : CCS_ENOSPC;
    free(doc);
    if (rc) {
        char d[2048];
        exi_text_describe_error(p, &err, d, sizeof d);
        fprintf(stderr, "ccsplc exi encode: cannot encode as %s: %s\n", p->meta->title, d);
        free(out);
        return CCS_EXIT_FAIL;
    }
    for (size_t i = 0; i < olen; i++)
        printf("%02x", out[i]);
    putchar('\n');
    free(out);
    return CCS_EXIT_OK;
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
        return do_encode(proto, argv[optind + 1]);
    usage(stderr);
    return CCS_EXIT_USAGE;
}
