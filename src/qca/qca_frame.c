/* QCA7000 serial framing of Ethernet frames: the encoder and the byte-stream decoder that resynchronises on the
 * next start-of-frame marker after garbage, a bad length or a missing end marker. */
#include <string.h>

#include "ccsplc/core/qca7000.h"
#include "ccsplc/core/errors.h"

#define SOF_BYTE 0xAA
#define EOF_BYTE 0x55
#define SOF_LEN 4

enum { ST_HW, ST_SOF, ST_LEN, ST_RSVD, ST_DATA, ST_EOF };

int qca_frame_encode(const uint8_t *eth, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    if (len > QCA_ETH_MAX_LEN) return CCS_EINVAL;
    size_t padded = len < QCA_ETH_MIN_LEN ? QCA_ETH_MIN_LEN : len;
    if (cap < padded + QCA_FRM_OVERHEAD) return CCS_ENOSPC;
    memset(out, SOF_BYTE, SOF_LEN);
    out[4] = (uint8_t)padded; /* little-endian, unlike everything else on this link */
    out[5] = (uint8_t)(padded >> 8);
    out[6] = out[7] = 0;
    if (len) memcpy(out + QCA_FRM_HEADER_LEN, eth, len);
    memset(out + QCA_FRM_HEADER_LEN + len, 0, padded - len);
    out[QCA_FRM_HEADER_LEN + padded] = out[QCA_FRM_HEADER_LEN + padded + 1] = EOF_BYTE;
    *out_len = padded + QCA_FRM_OVERHEAD;
    return 0;
}

static void restart(qca_rx *d)
{
    d->state = d->spi ? ST_HW : ST_SOF;
    d->hunting = 0;
    d->count = 0;
    d->hw_len = 0;
}

void qca_rx_init(qca_rx *d, int spi)
{
    memset(d, 0, sizeof *d);
    d->spi = spi != 0;
    restart(d);
}

/* Out of sync: look for the next start of frame; the hardware length of that frame is not known. */
static void hunt(qca_rx *d)
{
    d->state = ST_SOF;
    d->hunting = 1;
    d->count = 0;
    d->hw_len = 0;
}

/* One byte; returns the frame length when it completes a frame, 0 otherwise. *again is set when the byte
 * broke the expected layout and must be looked at once more while hunting. */
static int step(qca_rx *d, uint8_t b, int *again)
{
    switch (d->state) {
    case ST_HW: /* 32-bit big-endian framed length; the upper half is always 0 */
        if (d->count < 2 && b != 0) {
            d->stats.bad_head++;
            hunt(d);
            *again = 1;
            return 0;
        }
        d->hw_len = d->hw_len << 8 | b;
        if (++d->count == 4) {
            d->state = ST_SOF;
            d->count = 0;
        }
        return 0;
    case ST_SOF:
        if (b == SOF_BYTE) {
            if (d->count < SOF_LEN) d->count++;
            if (d->count == SOF_LEN && !d->hunting) {
                d->state = ST_LEN;
                d->count = 0;
            }
            return 0;
        }
        if (d->hunting && d->count == SOF_LEN) { /* the end of a run of 0xAA: this is the length's low byte */
            d->hunting = 0;
            d->state = ST_LEN;
            d->count = 0;
            return step(d, b, again);
        }
        if (d->hunting) {
            d->stats.skipped += d->count + 1u;
            d->count = 0;
            return 0;
        }
        d->stats.bad_head++;
        hunt(d);
        *again = 1;
        return 0;
    case ST_LEN:
        if (d->count++ == 0) {
            d->len = b;
        } else {
            d->len = (uint16_t)(d->len | b << 8);
            d->state = ST_RSVD;
            d->count = 0;
        }
        return 0;
    case ST_RSVD:
        if (++d->count < 2) return 0;
        if (d->len < QCA_ETH_MIN_LEN || d->len > QCA_ETH_MAX_LEN ||
            (d->hw_len && d->hw_len != (uint32_t)d->len + QCA_FRM_OVERHEAD)) {
            d->stats.bad_len++;
            hunt(d);
            return 0;
        }
        d->state = ST_DATA;
        d->count = 0;
        return 0;
    case ST_DATA:
        d->frame[d->count++] = b;
        if (d->count == d->len) {
            d->state = ST_EOF;
            d->count = 0;
        }
        return 0;
    default: /* ST_EOF */
        if (b != EOF_BYTE) {
            d->stats.bad_tail++;
            hunt(d);
            *again = 1;
            return 0;
        }
        if (++d->count < 2) return 0;
        d->stats.frames++;
        restart(d);
        return d->len;
    }
}

int qca_rx_feed(qca_rx *d, const uint8_t *in, size_t len, size_t *used)
{
    for (size_t i = 0; i < len; i++) {
        int again = 0, n = step(d, in[i], &again);
        if (again) n = step(d, in[i], &again);
        if (n > 0) {
            *used = i + 1;
            return n;
        }
    }
    *used = len;
    return 0;
}
