/* One V2GTP connection of `ccsplc evse` / `ccsplc pev`: non-blocking reads through the stream reassembler
 * (payload limit; a bad header or an oversize length ends the connection), writes that never block the loop,
 * TLS as a byte-stream wrapper under V2GTP (the handshake bounded in time), the pcap flow, the close. */
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/llnet.h"
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
    ccs_loop_timer_stop(&c->l->s.loop, &c->hs_timer);
    close(c->fd);
    c->fd = -1;
    tls_conn_free(c->tls);
    c->tls = NULL;
    c->ready = 0;
}

/* The whole of buf, or nothing more for this peer: a peer that leaves its receive window full is not served. */
static int send_all(int fd, const uint8_t *buf, size_t len)
{
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    return n == (ssize_t)len ? 0 : CCS_EIO;
}

/* Bytes onto the wire, into the pcap as they travel. */
static int send_raw(live_conn *c, const uint8_t *buf, size_t len)
{
    live *l = c->l;
    if (l->have_pcap) pcapng_tcp_flow_data(&l->pcap, &c->flow, live_wall_ns(), PCAPNG_DIR_OUT, buf, len);
    return send_all(c->fd, buf, len);
}

/* What TLS has to send: handshake flights, records, alerts. */
static int push_tls(live_conn *c)
{
    uint8_t buf[4096];
    size_t n;
    while ((n = tls_conn_take_output(c->tls, buf, sizeof buf)) > 0)
        if (send_raw(c, buf, n)) return CCS_EIO;
    return 0;
}

void live_conn_flush(live_conn *c, const uint8_t *tx, size_t *len, const char *name, int close_after)
{
    if (*len && c->fd >= 0) {
        LOG_D("v2g: > %s%s", name ? name : "?", live_conn_tag(c));
        c->messages++;
        int rc = c->tls ? tls_conn_write(c->tls, tx, *len) : send_raw(c, tx, *len);
        if (!rc && c->tls) rc = push_tls(c);
        if (rc) {
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

static const char *peer_name(const live_conn *c) { return c->l->o.role == LIVE_EVSE ? "car" : "charger"; }

static void set_ready(live_conn *c)
{
    c->ready = 1;
    if (c->on_ready) c->on_ready(c);
}

/* Raw bytes into TLS: the handshake, then the plaintext into the reassembler. 0, or -1 when the connection
 * was closed meanwhile. */
static int tls_in(live_conn *c, const uint8_t *p, size_t n)
{
    int fd = c->fd;
    if (tls_conn_feed(c->tls, p, n)) {
        LOG_W("tls: out of memory%s: closed", live_conn_tag(c));
        c->on_closed(c);
        return -1;
    }
    if (!c->ready) {
        int rc = tls_conn_handshake(c->tls);
        push_tls(c);   /* the next flight, or the alert that says why not */
        if (rc < 0) {
            LOG_W("tls: handshake with the %s failed%s: %s", peer_name(c), live_conn_tag(c), tls_conn_error(c->tls));
            c->on_closed(c);
            return -1;
        }
        if (rc == 0) return 0;
        ccs_loop_timer_stop(&c->l->s.loop, &c->hs_timer);
        LOG_I("tls: %s%s", tls_conn_describe(c->tls), live_conn_tag(c));
        set_ready(c);
        if (c->fd != fd) return -1;
    }
    uint8_t plain[2048];
    ssize_t m;
    while ((m = tls_conn_read(c->tls, plain, sizeof plain)) > 0) {
        take(c, plain, (size_t)m);
        if (c->fd != fd) return -1;
    }
    if (m == CCS_EAGAIN && !push_tls(c)) return 0;
    if (m == 0) LOG_I("tls: the %s ended the TLS session%s", peer_name(c), live_conn_tag(c));
    else LOG_W("tls: connection broken%s: %s", live_conn_tag(c), m == CCS_EAGAIN ? "cannot send" : tls_conn_error(c->tls));
    c->on_closed(c);
    return -1;
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
            LOG_I("v2g: the %s closed the connection%s%s", peer_name(c), live_conn_tag(c),
                  c->ready ? "" : " (during the TLS handshake)");
            c->on_closed(c);
            return;
        }
        if (c->l->have_pcap)
            pcapng_tcp_flow_data(&c->l->pcap, &c->flow, live_wall_ns(), PCAPNG_DIR_IN, buf, (size_t)n);
        if (!c->tls) take(c, buf, (size_t)n);
        else if (tls_in(c, buf, (size_t)n)) return;
    }
}

static void on_handshake_timeout(ccs_loop *loop, void *ctx)
{
    (void)loop;
    live_conn *c = ctx;
    LOG_W("tls: no handshake with the %s within %u s%s: closed", peer_name(c), LIVE_TLS_HANDSHAKE_MS / 1000u,
          live_conn_tag(c));
    c->on_closed(c);
}

void live_conn_open(live_conn *c, live *l, int fd, int we_connect, int tls, live_conn_msg_fn on_msg,
                    live_conn_closed_fn on_closed)
{
    char t[IPV6_TEXT_MAX];
    c->l = l;
    c->fd = fd;
    c->on_msg = on_msg;
    c->on_closed = on_closed;
    c->messages = 0;
    ipv6_format(c->peer_ip, t, sizeof t);
    uint16_t port = l->port;   /* ours: the server's port of this connection (plain or TLS), the car's own */
    llnet_local(fd, NULL, &port);
    LOG_I("v2g: connected %s [%s]:%u%s%s", we_connect ? "to" : "from", t, c->peer_port, live_conn_tag(c),
          tls ? " (TLS)" : "");
    v2gtp_reasm_init(&c->r, c->rbuf, sizeof c->rbuf, LIVE_MAX_PAYLOAD);
    if (l->have_pcap) {
        uint8_t peer_mac[6];
        live_peer_mac(l, c->peer_ip, peer_mac);
        pcapng_tcp_flow_open(&l->pcap, &c->flow, live_wall_ns(), we_connect, l->s.link.mac, l->ip, port,
                             peer_mac, c->peer_ip, c->peer_port);
    }
    if (ccs_loop_add_fd(&l->s.loop, fd, POLLIN, on_data, c)) {
        LOG_W("v2g: too many open connections%s", live_conn_tag(c));
        live_conn_close(c);
        return;
    }
    c->ready = 0;
    if (!tls) {
        set_ready(c);
        return;
    }
    if (tls_conn_new(l->tls, &c->tls) || push_tls(c)) {   /* the car's ClientHello goes out at once */
        LOG_W("tls: cannot start the handshake%s", live_conn_tag(c));
        c->on_closed(c);
        return;
    }
    ccs_loop_timer_at(&l->s.loop, &c->hs_timer, ccs_loop_now(&l->s.loop) + LIVE_TLS_HANDSHAKE_MS,
                      on_handshake_timeout, c);
}
