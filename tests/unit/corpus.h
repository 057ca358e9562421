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

/* NULL when out[0..olen) re-creates in[0..n), else why not. The input's trailing zero padding after the document
 * (seen from a Tesla Model Y) is not re-created. */
const char *corpus_same_encoding(const uint8_t *in, size_t n, const uint8_t *out, size_t olen);

/* cmocka tests corpus_app, corpus_din, corpus_iso2, corpus_iso20: every line of that corpus file passes check;
 * CORPUS_UNIT_TESTS lists them in a CMUnitTest array. */
#define CORPUS_FILE_TEST(file, check)                                                                             \
    static void corpus_##file(void **state)                                                                       \
    {                                                                                                             \
        (void)state;                                                                                              \
        assert_int_equal(corpus_check_file("corpus/" #file ".tsv", check), 0);                                    \
    }
#define CORPUS_FILE_TESTS(check)                                                                                  \
    CORPUS_FILE_TEST(app, check) CORPUS_FILE_TEST(din, check) CORPUS_FILE_TEST(iso2, check)                        \
    CORPUS_FILE_TEST(iso20, check)
#define CORPUS_UNIT_TESTS                                                                                         \
    cmocka_unit_test(corpus_app), cmocka_unit_test(corpus_din), cmocka_unit_test(corpus_iso2),                    \
        cmocka_unit_test(corpus_iso20)

#endif
