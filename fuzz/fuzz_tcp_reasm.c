/* libFuzzer target: passive TCP reassembly with a small ring (wrap-around, overflow into gaps). Records
 * (fuzz_util.h) are segments: 4-byte sequence number, 1 byte of flags (bit 0: it is an ACK of the sequence
 * number instead; bit 1 on the first record: tcp_reasm_start there, as after a SYN), then the payload. Every byte that comes out must be
 * the byte some segment carried at that stream position, and nothing comes out twice. */
#include <string.h>

#include "fuzz_util.h"
#include "transport/tcp_reasm.h"

#define RING 64
#define MAX_SEGS 512

typedef struct {
    uint32_t seq;
    const uint8_t *data;
    size_t len;
} seg;

typedef struct {
    seg segs[MAX_SEGS];
    size_t nsegs;
    uint32_t pos; /* stream position of the next byte out */
    int synced;
} model;

static void on_data(void *ctx, const uint8_t *p, size_t len)
{
    model *m = ctx;
    FUZZ_CHECK(m->synced);
    for (size_t i = 0; i < len; i++, m->pos++) {
        int found = 0;
        for (size_t k = 0; k < m->nsegs && !found; k++)
            found = m->pos - m->segs[k].seq < m->segs[k].len && m->segs[k].data[m->pos - m->segs[k].seq] == p[i];
        FUZZ_CHECK(found);
    }
}

static void on_gap(void *ctx, uint32_t lost)
{
    model *m = ctx;
    FUZZ_CHECK(m->synced && lost > 0);
    m->pos += lost;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t ring[RING], present[RING / 8];
    static model m;
    memset(&m, 0, sizeof m);
    tcp_reasm t;
    FUZZ_CHECK(tcp_reasm_init(&t, ring, present, RING) == 0);
    tcp_reasm_sink sink = { on_data, on_gap, &m };
    const uint8_t *rec;
    size_t len;
    while (fuzz_record(&data, &size, &rec, &len) && m.nsegs < MAX_SEGS) {
        if (len < 5)
            continue;
        uint32_t seq = (uint32_t)rec[0] << 24 | (uint32_t)rec[1] << 16 | (uint32_t)rec[2] << 8 | rec[3];
        if ((rec[4] & 2) && !m.synced && !m.nsegs) {
            tcp_reasm_start(&t, seq);
            m.pos = seq;
            m.synced = 1;
        }
        if (rec[4] & 1) {
            tcp_reasm_ack(&t, seq, &sink);
            continue;
        }
        m.segs[m.nsegs++] = (seg){ seq, rec + 5, len - 5 };
        if (!m.synced && len > 5) {
            m.synced = 1;
            m.pos = seq;
        }
        tcp_reasm_segment(&t, seq, rec + 5, len - 5, &sink);
        FUZZ_CHECK(t.buffered <= RING && t.next_seq == m.pos);
    }
    tcp_reasm_flush(&t, &sink);
    FUZZ_CHECK(t.buffered == 0);
    return 0;
}
