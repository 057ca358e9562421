/* V2GTP stream reassembler: turns arbitrary TCP read chunks into whole V2GTP messages (caller-owned buffer). */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/v2gtp.h"

int v2gtp_reasm_init(v2gtp_reasm *r, uint8_t *buf, size_t cap, uint32_t max_payload)
{
    if (!buf || cap < V2GTP_HEADER_LEN || cap - V2GTP_HEADER_LEN < max_payload) return CCS_EINVAL;
    r->buf = buf;
    r->cap = cap;
    r->max_payload = max_payload;
    v2gtp_reasm_reset(r);
    return 0;
}

void v2gtp_reasm_reset(v2gtp_reasm *r)
{
    r->held = 0;
    r->error = 0;
}

int v2gtp_reasm_pending(const v2gtp_reasm *r) { return r->held > 0; }

/* Copies up to want - r->held bytes of data into buf; returns how many. */
static size_t gather(v2gtp_reasm *r, size_t want, const uint8_t *data, size_t len)
{
    size_t n = want - r->held;
    if (n > len) n = len;
    if (n) memcpy(r->buf + r->held, data, n);
    r->held += n;
    return n;
}

static void emit(const v2gtp_header *h, const uint8_t *msg_start, v2gtp_msg *msg)
{
    msg->payload_type = h->payload_type;
    msg->payload_len = h->payload_len;
    msg->payload = msg_start + V2GTP_HEADER_LEN;
}

int v2gtp_reasm_push(v2gtp_reasm *r, const uint8_t *data, size_t len, size_t *used, v2gtp_msg *msg)
{
    *used = 0;
    if (r->error) return r->error;
    v2gtp_header h;
    if (r->held == 0 && len >= V2GTP_HEADER_LEN) {
        /* Fast path: the header starts this chunk; the whole message may be here too. */
        int rc = v2gtp_parse_header(data, len, r->max_payload, &h);
        if (rc) return r->error = rc;
        size_t total = V2GTP_HEADER_LEN + (size_t)h.payload_len;
        if (len >= total) {
            *used = total;
            emit(&h, data, msg);
            return 0;
        }
    }
    size_t n = 0;
    if (r->held < V2GTP_HEADER_LEN) {
        n += gather(r, V2GTP_HEADER_LEN, data, len);
        if (r->held < V2GTP_HEADER_LEN) {
            *used = n;
            return CCS_EAGAIN;
        }
    }
    int rc = v2gtp_parse_header(r->buf, r->held, r->max_payload, &h);
    if (rc) {
        *used = n;
        return r->error = rc;
    }
    size_t total = V2GTP_HEADER_LEN + (size_t)h.payload_len;
    n += gather(r, total, data + n, len - n);
    *used = n;
    if (r->held < total) return CCS_EAGAIN;
    r->held = 0;
    emit(&h, r->buf, msg);
    return 0;
}
