/* One V2GTP connection of `ccsplc evse` / `ccsplc pev`: non-blocking reads through the stream reassembler
 * (payload limit; a bad header or an oversize length ends the connection), writes that never block the loop,
 * the pcap flow, the close. */
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/tcpio.h"
#include "live.h"

const char *live_conn_tag(const live_conn *c)
{
    static char tag[32];
    long i = c - c->l->conn;
    if (c->l->o.role != LIVE_EVSE || i == 0) return "";
    snprintf(tag, sizeof tag, " (connection %ld)", i + 1);
    return tag;
}

void live_conn_close(live_conn *c)
{
    if (c->fd < 0) return;
    ccs_loop_remove_fd(&c->l->s.loop, c->fd);
    close(c->fd);
    c->fd = -1;
}

/* The whole of buf, or nothing more for this peer: a peer that leaves its receive window full is not served. */
static int send_all(int fd, const uint8_t *buf, size_t len)
{
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    return n == (ssize_t)len ? 0 : CCS_EIO;
}

void live_conn_flush(live_conn *c, const uint8_t *tx, size_t *len, const char *name, int close_after)
{
    live *l = c->l;
    if (*len && c->fd >= 0) {
        LOG_D("v2g: > %s%s", name ? name : "?", live_conn_tag(c));
        c->messages++;
        if (l->have_pcap) pcapng_tcp_flow_data(&l->pcap, &c->flow, live_wall_ns(), PCAPNG_DIR_OUT, tx, *len);
        if (send_all(c->fd, tx, *len)) {
            LOG_W("v2g: cannot send %s%s (the peer is gone or does not read): closed", name ? name : "?",
                  live_conn_tag(c));
            live_conn_close(c);
        }
    }
    *len = 0;
    if (close_after) live_conn_close(c);
}

static int port_send(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    live_conn *c = ctx;
    c->out = buf;   /* a session sends at most one message per event */
    c->out_len = len;
    c->out_name = name;
    return 0;
}

static void port_close(void *ctx) { ((live_conn *)ctx)->out_close = 1; }

ccs_port live_conn_port(live_conn *c) { return (ccs_port){ port_send, port_close, c }; }

void live_conn_send(live_conn *c)
{
    live_conn_flush(c, c->out, &c->out_len, c->out_name, c->out_close);
    c->out_close = 0;
}

/* Bytes from the peer into the reassembler; each whole message to on_msg (which may close the connection). */
static void take(live_conn *c, const uint8_t *p, size_t left)
{
    int fd = c->fd;
    while (left > 0 && c->fd == fd) {
        size_t used;
        v2gtp_msg m;
        int rc = v2gtp_reasm_push(&c->r, p, left, &used, &m);
        p += used;
        left -= used;
        if (rc == 0) {
            c->messages++;
            c->on_msg(c, &m);
        } else if (rc != CCS_EAGAIN) {
            LOG_W("v2g: bad V2GTP stream%s: %s", live_conn_tag(c), ccs_strerror(rc));
            c->on_closed(c);
        }
    }
}

static void on_data(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)loop;
    (void)revents;
    live_conn *c = ctx;
    uint8_t buf[2048];
    while (c->fd == fd) {
        ssize_t n = tcpio_read(fd, buf, sizeof buf);
        if (n == CCS_EAGAIN) return;
        if (n <= 0) {
            LOG_I("v2g: the %s closed the connection%s", c->l->o.role == LIVE_EVSE ? "car" : "charger",
                  live_conn_tag(c));
            c->on_closed(c);
            return;
        }
        if (c->l->have_pcap)
            pcapng_tcp_flow_data(&c->l->pcap, &c->flow, live_wall_ns(), PCAPNG_DIR_IN, buf, (size_t)n);
        take(c, buf, (size_t)n);
    }
}

void live_conn_open(live_conn *c, live *l, int fd, int we_connect, live_conn_msg_fn on_msg,
                    live_conn_closed_fn on_closed)
{
    char t[IPV6_TEXT_MAX];
    c->l = l;
    c->fd = fd;
    c->on_msg = on_msg;
    c->on_closed = on_closed;
    c->messages = 0;
    ipv6_format(c->peer_ip, t, sizeof t);
    LOG_I("v2g: connected %s [%s]:%u%s", we_connect ? "to" : "from", t, c->peer_port, live_conn_tag(c));
    v2gtp_reasm_init(&c->r, c->rbuf, sizeof c->rbuf, LIVE_MAX_PAYLOAD);
    if (l->have_pcap)
        pcapng_tcp_flow_open(&l->pcap, &c->flow, live_wall_ns(), we_connect, l->s.link.mac, l->ip, l->port,
                             l->peer_mac, c->peer_ip, c->peer_port);
    if (ccs_loop_add_fd(&l->s.loop, fd, POLLIN, on_data, c)) {
        LOG_W("v2g: too many open connections%s", live_conn_tag(c));
        live_conn_close(c);
    }
}
