/* The first corpus line of a message decoded with the host codecs (corpus_file.c reads the files). */
#include "corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/tools/exi_text.h"
#include "testutil.h"

int corpus_decode_first(const char *tsv, const char *proto, const char *message, const char *want, void *doc)
{
    char rel[256];
    snprintf(rel, sizeof rel, "corpus/%s", tsv);
    struct corpus_line *lines;
    size_t n;
    char *buf = corpus_load(tu_shared(rel), &lines, &n);
    const struct exi_proto *p = exi_proto_find(proto);
    int rc = -1;
    for (size_t i = 0; buf && p && i < n && rc; i++) {
        if (strcmp(lines[i].proto, proto) || strcmp(lines[i].message, message) ||
            (want && !strstr(lines[i].fields, want)))
            continue;
        uint8_t in[8192];
        long len = tu_hex2bin(lines[i].hex, in, sizeof in);
        rc = len > 0 && !exi_decode(p->codec, in, (size_t)len, doc) ? 0 : -1;
        break;
    }
    free(lines);
    free(buf);
    return rc;
}
