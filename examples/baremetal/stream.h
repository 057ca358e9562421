/* The TCP stream into V2GTP messages for the bare-metal loops (main.c, charger.c): one push into the
 * reassembler, the input advanced past what it took. */
#ifndef EXAMPLE_STREAM_H
#define EXAMPLE_STREAM_H

#include "ccsplc/core/v2gtp.h"

/* 0 with a whole message in m; CCS_EAGAIN: all input taken, no message yet; else the stream is broken. */
static inline int stream_next(v2gtp_reasm *r, const uint8_t **data, size_t *len, v2gtp_msg *m)
{
    size_t used = 0;
    int rc = v2gtp_reasm_push(r, *data, *len, &used, m);
    *data += used;
    *len -= used;
    return rc;
}

#endif
