/* The XML form of `ccsplc decode`: one well-formed document (<ccsplc-decode>), a <capture> per file, and a
 * <message> per decoded V2G message holding the message's own XML (exi_text_xml, without its declaration). */
#include <stdlib.h>
#include <string.h>

#include "decode_int.h"

void dec_markup_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

void dec_xml_begin(FILE *out) { fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ccsplc-decode>\n", out); }
void dec_xml_end(FILE *out) { fputs("</ccsplc-decode>\n", out); }

void dec_xml_capture(FILE *out, const char *path)
{
    fputs("<capture file=\"", out);
    dec_markup_text(out, path);
    fputs("\">\n", out);
}

void dec_xml_capture_end(FILE *out) { fputs("</capture>\n", out); }

int dec_xml_record(FILE *out, const dec_record *r, uint64_t origin_ns)
{
    if (!r->doc || r->error || !r->exi)
        return 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return -1;
    int rc = exi_text_xml(m, r->exi, r->doc);
    if (fclose(m) || rc) {
        free(buf);
        return -1;
    }
    const char *doc = buf;
    if (!strncmp(doc, "<?xml", 5) && strchr(doc, '\n'))
        doc = strchr(doc, '\n') + 1; /* one declaration, the document's */
    fprintf(out, "<message t=\"%.6f\" ts=\"%llu.%09llu\" session=\"%d\" dir=\"", (double)(int64_t)(r->ts_ns - origin_ns) / 1e9,
            (unsigned long long)(r->ts_ns / 1000000000u), (unsigned long long)(r->ts_ns % 1000000000u), r->session);
    dec_markup_text(out, dec_dir_name(r->dir));
    fprintf(out, "\" proto=\"%s\" name=\"", r->proto);
    dec_markup_text(out, r->name);
    fputs("\">\n", out);
    fputs(doc, out);
    fputs("</message>\n", out);
    free(buf);
    return ferror(out) ? -1 : 0;
}
