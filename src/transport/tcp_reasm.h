/* Passive TCP reassembly of one direction of a connection (sans-I/O, caller-owned memory): segments in any
 * order, duplicated or overlapping, come out as the in-order byte stream, with lost stretches reported as
 * gaps. Used by the capture reader; fed with parsed segments so it can be fuzzed without libpcap. */
#ifndef CCSPLC_TRANSPORT_TCP_REASM_H
#define CCSPLC_TRANSPORT_TCP_REASM_H
#include <stddef.h>
#include <stdint.h>

/* Where the in-order stream goes. data chunks are only valid during the call. */
typedef struct {
    void (*data)(void *ctx, const uint8_t *p, size_t len);
    void (*gap)(void *ctx, uint32_t lost); /* lost bytes that will never be seen */
    void *ctx;
} tcp_reasm_sink;

typedef struct {
    uint8_t *ring;      /* cap bytes: data received ahead of next_seq; ring[head] is next_seq */
    uint8_t *present;   /* cap / 8 bytes: one bit per ring byte */
    size_t cap;
    size_t head;
    size_t buffered;    /* bytes held in ring */
    uint32_t next_seq;  /* first byte not yet delivered */
    int synced;         /* next_seq known (after tcp_reasm_start or the first segment) */
    uint32_t dup_segments, ooo_segments, gaps; /* counters: retransmissions, out-of-order arrivals, gaps */
} tcp_reasm;

/* cap must be a nonzero multiple of 8; present holds cap / 8 bytes. 0 or CCS_EINVAL. */
int tcp_reasm_init(tcp_reasm *t, uint8_t *ring, uint8_t *present, size_t cap);
/* The stream starts at seq (the SYN's sequence number + 1). Without it the first segment seen starts it. */
void tcp_reasm_start(tcp_reasm *t, uint32_t seq);
/* One segment's payload at sequence number seq. Data before next_seq is dropped (retransmission); data
 * ahead of it waits in the ring; data beyond the ring's reach makes the oldest hole a gap. */
void tcp_reasm_segment(tcp_reasm *t, uint32_t seq, const uint8_t *data, size_t len, const tcp_reasm_sink *s);
/* The other side acknowledged everything before ack: a hole before it was lost to the capture, not delayed,
 * so it becomes a gap now. */
void tcp_reasm_ack(tcp_reasm *t, uint32_t ack, const tcp_reasm_sink *s);
/* End of the stream: whatever is held comes out, holes as gaps. */
void tcp_reasm_flush(tcp_reasm *t, const tcp_reasm_sink *s);

#endif
