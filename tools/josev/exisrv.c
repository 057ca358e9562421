/* A persistent EXI codec for the manual Josev runs (tools/josev/run.sh, docs/interop.md), on ccsplc's libraries: one request per
 * line on stdin, "E PROTO XML-ON-ONE-LINE" or "D PROTO HEX"; one line out: "OK HEX" / "OK XML-ON-ONE-LINE" or "ERR why". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ccsplc/tools/exi_text.h"
#include "ccsplc/core/exi.h"

static void one(char *line)
{
    char *proto = line + 2, *arg = strchr(proto, ' ');
    if (!arg || (line[0] != 'E' && line[0] != 'D')) { puts("ERR request"); return; }
    *arg++ = 0;
    const struct exi_proto *p = exi_proto_find(proto);
    if (!p) { puts("ERR proto"); return; }
    void *doc = calloc(1, p->doc_size);
    char msg[2048] = "";
    struct exi_error err;
    if (line[0] == 'E') {
        static uint8_t out[1 << 16];
        size_t olen;
        if (exi_text_from_xml(p, arg, strlen(arg), doc, msg, sizeof msg)) printf("ERR %s\n", msg);
        else if (exi_encode_ex(p->codec, doc, out, sizeof out, &olen, &err)) {
            exi_text_describe_error(p, &err, msg, sizeof msg);
            printf("ERR %s\n", msg);
        } else {
            fputs("OK ", stdout);
            for (size_t i = 0; i < olen; i++) printf("%02x", out[i]);
            putchar('\n');
        }
    } else {
        static uint8_t in[1 << 16];
        size_t n = 0;
        for (char *h = arg; h[0] && h[1] && n < sizeof in; h += 2) sscanf(h, "%2hhx", &in[n++]);
        if (exi_decode_ex(p->codec, in, n, doc, &err)) {
            exi_text_describe_error(p, &err, msg, sizeof msg);
            printf("ERR %s\n", msg);
        } else {
            char *buf; size_t blen;
            FILE *m = open_memstream(&buf, &blen);
            exi_text_xml(m, p, doc);
            fclose(m);
            for (char *c = buf; *c; c++) if (*c == '\n') *c = ' ';
            printf("OK %s\n", buf);
            free(buf);
        }
    }
    free(doc);
    fflush(stdout);
}

int main(void)
{
    static char line[1 << 20];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        one(line);
    }
    return 0;
}
