/* libFuzzer target: every EXI decoder on hostile input (first byte selects the codec, see fuzz_exi.h); the
 * decoder must return 0 or an error code without any memory error or undefined behaviour. */
#include "fuzz_exi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int i = fuzz_pick(&data, &size);
    if (i >= 0)
        fuzz_decode(i, data, size, fuzz_doc(i, 0));
    return 0;
}
