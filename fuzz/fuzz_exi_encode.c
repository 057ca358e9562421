/* libFuzzer target: every EXI encoder on a document struct filled with arbitrary bytes (first byte selects the
 * codec, the rest overwrites the start of the zeroed struct): a bad count, length or selector is an error, never
 * an out-of-bounds access. */
#include <string.h>

#include "fuzz_exi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[65536];
    int i = fuzz_pick(&data, &size);
    if (i < 0)
        return 0;
    uint8_t *doc = fuzz_doc(i, 0);
    size_t n = size < fuzz_codecs[i].doc_size ? size : fuzz_codecs[i].doc_size;
    memset(doc, 0, fuzz_codecs[i].doc_size);
    memcpy(doc, data, n);
    size_t len;
    fuzz_encode(i, doc, out, sizeof out, &len);
    return 0;
}
