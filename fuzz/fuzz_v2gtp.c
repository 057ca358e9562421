/* libFuzzer target: V2GTP header/datagram parsing and the stream reassembler. The input is a TCP byte stream;
 * byte 0 picks the chunk sizes it arrives in. Whatever the chunking, the reassembler must return the same
 * messages (type, length, bytes) and the same sticky error as when the stream arrives in one piece. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/v2gtp.h"
#include "fuzz_util.h"

#define MAX_PAYLOAD 512
#define MAX_MSGS 256

typedef struct {
    uint16_t type;
    uint32_t len;
    uint32_t sum; /* FNV-1a of the payload */
} seen;

static uint32_t fnv(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* Pushes the stream in chunks of 1 + (pattern's next byte % 37) bytes (pattern NULL: one chunk). Returns the
 * number of messages, their summary in out, *err the final error (0, or the sticky header error). */
static size_t reassemble(const uint8_t *s, size_t n, const uint8_t *pattern, size_t plen, seen *out, int *err)
{
    static uint8_t buf[V2GTP_HEADER_LEN + MAX_PAYLOAD];
    v2gtp_reasm r;
    FUZZ_CHECK(v2gtp_reasm_init(&r, buf, sizeof buf, MAX_PAYLOAD) == 0);
    size_t count = 0, off = 0, k = 0;
    *err = 0;
    while (off < n && count < MAX_MSGS) {
        size_t chunk = pattern && plen ? 1 + pattern[k++ % plen] % 37u : n - off;
        if (chunk > n - off)
            chunk = n - off;
        const uint8_t *p = s + off;
        size_t left = chunk;
        off += chunk;
        while (left && count < MAX_MSGS) {
            size_t used = 0;
            v2gtp_msg m;
            int rc = v2gtp_reasm_push(&r, p, left, &used, &m);
            FUZZ_CHECK(used <= left);
            p += used;
            left -= used;
            if (rc == CCS_EAGAIN)
                break;
            if (rc) {
                *err = rc;
                FUZZ_CHECK(v2gtp_reasm_push(&r, p, left, &used, &m) == rc); /* sticky */
                return count;
            }
            FUZZ_CHECK(m.payload_len <= MAX_PAYLOAD);
            out[count++] = (seen){ m.payload_type, m.payload_len, fnv(m.payload, m.payload_len) };
        }
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static seen a[MAX_MSGS], b[MAX_MSGS];
    v2gtp_msg m;
    v2gtp_header h;
    if (v2gtp_parse(data, size, MAX_PAYLOAD, &m) == 0)
        FUZZ_CHECK(m.payload_len == size - V2GTP_HEADER_LEN && m.payload == data + V2GTP_HEADER_LEN);
    if (v2gtp_parse_header(data, size, MAX_PAYLOAD, &h) == 0)
        FUZZ_CHECK(h.payload_len <= MAX_PAYLOAD && v2gtp_known_type(h.payload_type));
    if (size < 1)
        return 0;
    int ea, eb;
    size_t na = reassemble(data + 1, size - 1, NULL, 0, a, &ea);
    size_t nb = reassemble(data + 1, size - 1, data, size < 8 ? size : 8, b, &eb);
    FUZZ_CHECK(na == nb && ea == eb && memcmp(a, b, na * sizeof a[0]) == 0);
    return 0;
}
