/* libFuzzer target: whatever a decoder accepts must encode, decode again, and re-encode to the same bytes
 * (first byte selects the codec, see fuzz_exi.h). Aborts with both encodings in hex when it does not. */
#include <stdio.h>
#include <string.h>

#include "fuzz_exi.h"

#define FUZZ_OUT_CAP 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void dump(const char *what, const uint8_t *b, size_t n)
{
    fprintf(stderr, "%s (%zu bytes): ", what, n);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%02x", b[i]);
    fputc('\n', stderr);
}

static void fail(const char *why, int rc, const uint8_t *in, size_t n, const uint8_t *e1, size_t n1)
{
    fprintf(stderr, "round trip: %s (rc %d)\n", why, rc);
    dump("input stream", in, n);
    dump("first encoding", e1, n1);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t e1[FUZZ_OUT_CAP], e2[FUZZ_OUT_CAP];
    int i = fuzz_pick(&data, &size);
    if (i < 0)
        return 0;
    void *doc1 = fuzz_doc(i, 0), *doc2 = fuzz_doc(i, 1);
    if (fuzz_decode(i, data, size, doc1))
        return 0;
    size_t n1 = 0, n2 = 0;
    int rc = fuzz_encode(i, doc1, e1, sizeof e1, &n1);
    if (rc)
        fail("decoded document does not encode", rc, data, size, e1, 0);
    if ((rc = fuzz_decode(i, e1, n1, doc2)))
        fail("encoding does not decode", rc, data, size, e1, n1);
    if ((rc = fuzz_encode(i, doc2, e2, sizeof e2, &n2)))
        fail("re-decoded document does not encode", rc, data, size, e1, n1);
    if (n1 != n2 || memcmp(e1, e2, n1)) {
        dump("second encoding", e2, n2);
        fail("second encoding differs", 0, data, size, e1, n1);
    }
    return 0;
}
