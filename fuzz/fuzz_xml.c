/* libFuzzer target: the XML -> EXI reader (libxml2 + the codec's field tables) and the key=value reader. Byte 0
 * selects the codec (exi_protos order), the rest is XML or key=value text (starting schema=P). A document a
 * reader accepts and the encoder takes must decode again. */
#include <string.h>

#include "ccsplc/core/exi.h"
#include "ccsplc/tools/exi_text.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static void *doc, *again;
    static uint8_t out[65536];
    size_t max = 0;
    for (size_t i = 0; i < exi_nprotos; i++)
        if (exi_protos[i].doc_size > max)
            max = exi_protos[i].doc_size;
    if (!doc && (!(doc = malloc(max)) || !(again = malloc(max))))
        abort();
    if (size < 1)
        return 0;
    const struct exi_proto *p = &exi_protos[data[0] % exi_nprotos];
    char msg[256];
    const char *text = (const char *)data + 1;
    int rc = exi_text_kv_schema(text, size - 1) ? exi_text_from_kv(p, text, size - 1, doc, msg, sizeof msg)
                                                : exi_text_from_xml(p, text, size - 1, doc, msg, sizeof msg);
    if (rc != 0)
        return 0;
    FUZZ_CHECK(exi_text_message_name(p, doc) != NULL);
    size_t n;
    if (exi_encode(p->codec, doc, out, sizeof out, &n) == 0)
        FUZZ_CHECK(exi_decode(p->codec, out, n, again) == 0);
    return 0;
}
