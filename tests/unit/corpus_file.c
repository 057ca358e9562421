/* Reading the EXI test vectors of ../shared/corpus/<name>.tsv and running a check over every line; needs no
 * codec, so the profile tests (tests/profile) use it with codecs built for another profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "testutil.h"

char *corpus_load(const char *path, struct corpus_line **out, size_t *n)
{
    size_t len;
    char *buf = tu_read_file(path, &len);
    *out = NULL;
    *n = 0;
    if (!buf)
        return NULL;
    size_t cap = 0;
    int lineno = 0;
    for (char *line = buf; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        char *cols[4] = {0};
        char *p = line;
        for (int i = 0; i < 4 && p; i++) {
            cols[i] = p;
            p = strchr(p, '\t');
            if (p && i < 3)
                *p++ = 0;
        }
        if (cols[2]) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 256;
                *out = realloc(*out, cap * sizeof **out);
            }
            (*out)[(*n)++] = (struct corpus_line){lineno, cols[0], cols[1], cols[2], cols[3] ? cols[3] : ""};
        }
        line = next;
    }
    return buf;
}

long corpus_check_file(const char *name, corpus_check_fn check)
{
    struct corpus_line *lines;
    size_t n, failed = 0, notes = 0;
    char *buf = corpus_load(tu_shared(name), &lines, &n);
    for (size_t i = 0; i < n; i++) {
        const char *note = NULL, *why = check(&lines[i], &note);
        const struct corpus_line *l = &lines[i];
        if (why && failed++ < 10)
            printf("%s:%d %s %s: %s\n", name, l->lineno, l->proto, l->message, why);
        if (!why && note) {
            notes++;
            printf("%s:%d %s %s: %s\n", name, l->lineno, l->proto, l->message, note);
        }
    }
    printf("%s: %zu of %zu lines pass (%zu with a note)\n", name, n - failed, n, notes);
    free(lines);
    free(buf);
    return buf && n ? (long)failed : -1;
}

const char *corpus_same_encoding(const uint8_t *in, size_t n, const uint8_t *out, size_t olen)
{
    if (olen > n || memcmp(in, out, olen))
        return "re-encoding differs";
    for (size_t k = olen; k < n; k++)
        if (in[k])
            return "re-encoding is shorter than the input";
    return NULL;
}
