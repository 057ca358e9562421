/* Reading the EXI test vectors of ../shared/corpus/<name>.tsv (proto, message, hex, expected key=value fields). */
#ifndef CCSPLC_TEST_CORPUS_H
#define CCSPLC_TEST_CORPUS_H
#include <stddef.h>
#include <stdint.h>

struct corpus_line {
    int lineno;
    char *proto, *message, *hex, *fields; /* point into the file buffer */
};

/* Splits the file's lines into out (malloc'd, caller frees *out and the returned buffer). */
char *corpus_load(const char *path, struct corpus_line **out, size_t *n);

/* Decodes into doc (the codec's document struct) the first line of ../shared/corpus/<tsv> of codec proto (a
 * name of exi_proto_find) and message whose fields contain `want` (NULL: any); 0, or -1 when there is none
 * or it does not decode. */
int corpus_decode_first(const char *tsv, const char *proto, const char *message, const char *want, void *doc);

/* A check of one line: NULL when it passes, else why not; it may set *note to a remark on a line that passes. */
typedef const char *(*corpus_check_fn)(const struct corpus_line *l, const char **note);
/* Every line of ../shared/<name> through check: the first 10 failures and every note printed, then a count;
 * the number of failures (-1: the file cannot be read or is empty). */
long corpus_check_file(const char *name, corpus_check_fn check);

#endif
