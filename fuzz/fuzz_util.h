/* Shared by the parser fuzz targets: the libFuzzer entry point's prototype, a record splitter (inputs that are
 * a sequence of frames or chunks: 2-byte big-endian length, then that many bytes) and a loud check. */
#ifndef CCSPLC_FUZZ_UTIL_H
#define CCSPLC_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Takes the next record off the input: 1 with *rec and *len set (a short last record is cut to what is left),
 * 0 at the end. The seeds of make_parser_seeds.py use the same format. */
static inline int fuzz_record(const uint8_t **data, size_t *size, const uint8_t **rec, size_t *len)
{
    if (*size < 2)
        return 0;
    size_t n = (size_t)(*data)[0] << 8 | (*data)[1];
    *data += 2;
    *size -= 2;
    if (n > *size)
        n = *size;
    *rec = *data;
    *len = n;
    *data += n;
    *size -= n;
    return 1;
}

/* A property the target checks: abort (libFuzzer saves the input) with the reason. */
#define FUZZ_CHECK(cond)                                                                          \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                              \
        }                                                                                         \
    } while (0)

#endif
