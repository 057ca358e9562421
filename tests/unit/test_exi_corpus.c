/* Every line of ../shared/corpus/<name>.tsv: decodes to the named message, every expected key=value matches the
 * decoded fields exactly (no field missing, none extra), and re-encoding gives the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/tools/exi_text.h"
#include "corpus.h"
#include "testutil.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split "k=v k=v" (sep) into a sorted array of strings; returns the count. */
static size_t split_sorted(char *text, char sep, char ***out)
{
    size_t n = 0, cap = 16;
    char **v = malloc(cap * sizeof *v);
    for (char *p = text; p && *p;) {
        char *q = strchr(p, sep);
        if (q)
            *q++ = 0;
        if (*p) {
            if (n == cap)
                v = realloc(v, (cap *= 2) * sizeof *v);
            v[n++] = p;
        }
        p = q;
    }
    qsort(v, n, sizeof *v, cmp_str);
    *out = v;
    return n;
}

/* Returns NULL when the line passes, else a description (static buffer). */
static const char *check_line(const struct corpus_line *cl, const char **note)
{
    (void)note;
    static char why[4096];
    const struct exi_proto *p = exi_proto_find(cl->proto);
    if (!p)
        return "unknown proto";
    uint8_t in[8192], out[8192];
    long n = tu_hex2bin(cl->hex, in, sizeof in);
    if (n < 0)
        return "bad hex in corpus";
    void *doc = calloc(1, p->doc_size);
    struct exi_error err;
    int rc = exi_decode_ex(p->codec, in, (size_t)n, doc, &err);
    if (rc) {
        char d[1024];
        exi_text_describe_error(p, &err, d, sizeof d);
        snprintf(why, sizeof why, "decode: %s", d);
        free(doc);
        return why;
    }
    if (strcmp(exi_text_message_name(p, doc), cl->message)) {
        snprintf(why, sizeof why, "decoded as %s", exi_text_message_name(p, doc));
        free(doc);
        return why;
    }
    char *kv = NULL;
    size_t kvlen = 0;
    FILE *f = open_memstream(&kv, &kvlen);
    exi_text_kv(f, p, doc, '\n');
    fclose(f);
    char *exp = strdup(cl->fields);
    char **got_v, **exp_v;
    size_t ng = split_sorted(kv, '\n', &got_v), ne = split_sorted(exp, ' ', &exp_v);
    why[0] = 0;
    size_t i = 0, j = 0, wl = 0;
    while ((i < ng || j < ne) && wl < sizeof why - 200) {
        int c = i == ng ? 1 : j == ne ? -1 : strcmp(got_v[i], exp_v[j]);
        if (c == 0) {
            i++;
            j++;
        } else if (c < 0) {
            wl += (size_t)snprintf(why + wl, sizeof why - wl, " extra:%s", got_v[i++]);
        } else {
            wl += (size_t)snprintf(why + wl, sizeof why - wl, " missing:%s", exp_v[j++]);
        }
    }
    free(got_v);
    free(exp_v);
    free(kv);
    free(exp);
    if (why[0]) {
        free(doc);
        return why;
    }
    size_t olen;
    rc = exi_encode_ex(p->codec, doc, out, sizeof out, &olen, &err);
    free(doc);
    if (rc) {
        char d[1024];
        exi_text_describe_error(p, &err, d, sizeof d);
        snprintf(why, sizeof why, "encode: %s", d);
        return why;
    }
    return corpus_same_encoding(in, (size_t)n, out, olen);
}

CORPUS_FILE_TESTS(check_line)

int main(void)
{
    const struct CMUnitTest tests[] = {
        CORPUS_UNIT_TESTS,
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
