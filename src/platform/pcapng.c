/* pcapng file writer: Section Header, Ethernet Interface Description and Enhanced Packet Blocks. */
#include "ccsplc/linux/pcapng.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define OPT_ENDOFOPT 0
#define OPT_SHB_USERAPPL 4
#define OPT_EPB_FLAGS 2
#define OPT_IF_TSRESOL 9
#define TSRESOL_NS 9 /* 10^-9 s */
#define PAD4(n) (((n) + 3u) & ~(size_t)3u)

/* Little-endian stores; the Section Header's byte-order magic tells readers which order we chose. */
static void le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void le32(uint8_t *p, uint32_t v)
{
    le16(p, (uint16_t)v);
    le16(p + 2, (uint16_t)(v >> 16));
}

/* One block, whole: head (block type and total length filled in here), body, padding, tail, total length. */
static int put_block(pcapng_writer *w, uint32_t type, uint8_t *head, size_t head_len, const uint8_t *body,
                     size_t body_len, const uint8_t *tail, size_t tail_len)
{
    static const uint8_t zeros[4];
    size_t total = head_len + PAD4(body_len) + tail_len + 4;
    uint8_t len_le[4];
    le32(head, type);
    le32(head + 4, (uint32_t)total);
    le32(len_le, (uint32_t)total);
    struct iovec v[] = { { head, head_len }, { (void *)body, body_len }, { (void *)zeros, PAD4(body_len) - body_len },
                         { (void *)tail, tail_len }, { len_le, 4 } };
    return ccs_outq_writev(&w->q, v, 5);
}

static int open_with(pcapng_writer *w, const char *path, int flags)
{
    w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);   /* a FIFO: waits for its reader */
    if (w->fd < 0) return CCS_EIO;
    if (ccs_outq_init(&w->q, w->fd, PCAPNG_LIVE_QUEUE, flags | CCS_OUTQ_WHOLE)) {
        close(w->fd);
        w->fd = -1;
        errno = ENOMEM;
        return CCS_EIO;
    }
    static const char app[] = "ccsplc";
    uint8_t shb[24], opts[4 + PAD4(sizeof app - 1) + 4];
    le32(shb + 8, BYTE_ORDER_MAGIC);
    le16(shb + 12, 1); /* version 1.0 */
    le16(shb + 14, 0);
    memset(shb + 16, 0xff, 8); /* section length not given */
    memset(opts, 0, sizeof opts);
    le16(opts, OPT_SHB_USERAPPL);
    le16(opts + 2, sizeof app - 1);
    memcpy(opts + 4, app, sizeof app - 1);
    uint8_t idb[16], idb_opts[12] = {0};
    le16(idb + 8, PCAPNG_LINKTYPE_ETHERNET);
    le16(idb + 10, 0);
    le32(idb + 12, PCAPNG_SNAPLEN);
    le16(idb_opts, OPT_IF_TSRESOL);
    le16(idb_opts + 2, 1);
    idb_opts[4] = TSRESOL_NS;
    if (put_block(w, BT_SHB, shb, sizeof shb, opts, sizeof opts, NULL, 0) == CCS_EIO ||
        put_block(w, BT_IDB, idb, sizeof idb, idb_opts, sizeof idb_opts, NULL, 0) == CCS_EIO) {
        int err = w->q.err;
        pcapng_close(w);
        errno = err;
        return CCS_EIO;
    }
    return 0;
}

int pcapng_open(pcapng_writer *w, const char *path) { return open_with(w, path, CCS_OUTQ_WAIT); }
int pcapng_open_live(pcapng_writer *w, const char *path) { return open_with(w, path, 0); }

int pcapng_write(pcapng_writer *w, uint64_t ts_ns, pcapng_dir dir, const uint8_t *frame, size_t len)
{
    if (len > PCAPNG_SNAPLEN) return CCS_EINVAL;
    uint8_t epb[28], opts[12];
    le32(epb + 8, 0); /* interface 0 */
    le32(epb + 12, (uint32_t)(ts_ns >> 32));
    le32(epb + 16, (uint32_t)ts_ns);
    le32(epb + 20, (uint32_t)len);
    le32(epb + 24, (uint32_t)len);
    le16(opts, OPT_EPB_FLAGS);
    le16(opts + 2, 4);
    le32(opts + 4, (uint32_t)dir);
    le32(opts + 8, OPT_ENDOFOPT);
    return put_block(w, BT_EPB, epb, sizeof epb, frame, len, opts, sizeof opts);
}

int pcapng_write_ipv6(pcapng_writer *w, uint64_t ts_ns, pcapng_dir dir, const ipv6_frame *h, const uint8_t *payload,
                      size_t len)
{
    size_t cap = ETH_HDR_LEN + IPV6_HDR_LEN + TCP_HDR_LEN + len, n;
    uint8_t *buf = malloc(cap);
    if (!buf) return CCS_ENOSPC;
    int rc = ipv6_frame_build(h, payload, len, buf, cap, &n);
    if (!rc) rc = pcapng_write(w, ts_ns, dir, buf, n);
    free(buf);
    return rc;
}

int pcapng_close(pcapng_writer *w)
{
    if (w->fd < 0) return 0;
    int rc = ccs_outq_drain(&w->q, PCAPNG_CLOSE_WAIT_MS) || w->q.dropped ? CCS_EIO : 0;
    if (close(w->fd) && !rc) rc = CCS_EIO;
    ccs_outq_free(&w->q);
    w->fd = -1;
    return rc;
}
