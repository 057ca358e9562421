/* libFuzzer target: the EXI text layer (src/tool/exi_text.c, exi_values_text.c, exi_xml_read.c, exi_kv_read.c).
 * Byte 0 selects the codec (exi_protos order = fuzz_exi.h's first eight), the rest is the EXI stream. Whatever
 * decodes prints as key=value and as XML without a control character (only the XML's line breaks), and both read
 * back into a document that encodes to the same bytes as the decoded one (every value survives the text). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/core/exi.h"
#include "ccsplc/tools/exi_text.h"
#include "fuzz_util.h"

#define OUT_CAP 65536

/* Printed text: no C0 control character but line feeds, no DEL. */
static int printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f)
            return 0;
    return 1;
}

static char *print(int xml, const struct exi_proto *p, const void *doc, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    FUZZ_CHECK(f != NULL);
    int rc = xml ? exi_text_xml(f, p, doc) : exi_text_kv(f, p, doc, '\n');
    FUZZ_CHECK(fclose(f) == 0 && rc == 0);
    FUZZ_CHECK(printable(text, *len));
    return text;
}

/* text (XML, or key=value after its schema= and message= lines) read back with p encodes to e1's n1 bytes. */
static void read_back(int xml, const struct exi_proto *p, const char *text, size_t len, void *again,
                      const uint8_t *e1, size_t n1)
{
    static uint8_t e2[OUT_CAP];
    char msg[256];
    size_t n2;
    int rc = xml ? exi_text_from_xml(p, text, len, again, msg, sizeof msg)
                 : exi_text_from_kv(p, text, len, again, msg, sizeof msg);
    if (rc) {
        fprintf(stderr, "%s does not read back: %s\n%s\n", xml ? "XML" : "key=value", msg, text);
        abort();
    }
    FUZZ_CHECK(exi_encode(p->codec, again, e2, sizeof e2, &n2) == 0);
    FUZZ_CHECK(n1 == n2 && !memcmp(e1, e2, n1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static void *doc, *again;
    static uint8_t e1[OUT_CAP];
    if (!doc) {
        size_t max = 0;
        for (size_t i = 0; i < exi_nprotos; i++)
            max = exi_protos[i].doc_size > max ? exi_protos[i].doc_size : max;
        if (!(doc = malloc(max)) || !(again = malloc(max)))
            abort();
    }
    if (size < 1)
        return 0;
    const struct exi_proto *p = &exi_protos[data[0] % exi_nprotos];
    struct exi_error err;
    memset(doc, 0, p->doc_size);
    if (exi_decode_ex(p->codec, data + 1, size - 1, doc, &err)) {
        char msg[1024];
        exi_text_describe_error(p, &err, msg, sizeof msg);
        FUZZ_CHECK(strlen(msg) < sizeof msg);
        return 0;
    }
    size_t n1, len;
    FUZZ_CHECK(exi_encode(p->codec, doc, e1, sizeof e1, &n1) == 0);
    char *kv = print(0, p, doc, &len);
    char *head = NULL;
    size_t hlen;
    FILE *f = open_memstream(&head, &hlen);
    FUZZ_CHECK(f != NULL);
    fprintf(f, "schema=%s\nmessage=%s\n%s", p->name, exi_text_message_name(p, doc), kv);
    FUZZ_CHECK(fclose(f) == 0);
    read_back(0, p, head, hlen, again, e1, n1);
    free(head);
    free(kv);
    char *xml = print(1, p, doc, &len);
    read_back(1, p, xml, len, again, e1, n1);
    free(xml);
    return 0;
}
