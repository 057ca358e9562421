/* SDP on the interface's link-local address: the charger answers requests on UDP 15118 (and opens the V2GTP
 * listener it announces), the car multicasts requests to ff02::1 with the standard's retries; either machine in
 * the one driver (ccsplc/core/machine.h), the UDP socket its port. */
#include <poll.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/llnet.h"
#include "ccsplc/linux/log.h"
#include "live.h"

#define SDP_CLIENT_PORT 0   /* the car's UDP port: any free one */

static void log_peer(const char *what, const uint8_t ip[16], uint16_t port)
{
    char t[IPV6_TEXT_MAX];
    ipv6_format(ip, t, sizeof t);
    LOG_I("sdp: %s [%s]:%u", what, t, port);
}

static const char *security_name(uint8_t s) { return s == SDP_SECURITY_TLS ? "TLS" : "no TLS"; }

/* The charger's first answer in a plug-in: to whom, what the car asked for (l->sdp_asked) and what we offer. */
static void log_answer(const live *l, const uint8_t *res, size_t res_len)
{
    char t[IPV6_TEXT_MAX];
    sdp_response rs;
    ipv6_format(l->sdp_peer, t, sizeof t);
    if (sdp_parse_response(res, res_len, &rs)) return;
    LOG_I("sdp: answered [%s]:%u: the car asks for %s, offered %s on port %u", t, l->sdp_peer_port,
          security_name(l->sdp_asked), security_name(rs.security), rs.port);
}

#define LIVE_SDP_BATCH 16

/* The drivers' ports: the car's request to ff02::1, the charger's answer to the request's sender. */
static int send_request(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    (void)name;
    live *l = ctx;
    if (llnet_udp_send(l->udp, l->ifindex, ipv6_all_nodes, SDP_UDP_PORT, buf, len) != 0) return CCS_EIO;
    live_pcap_udp(l, 1, ipv6_all_nodes, l->port, SDP_UDP_PORT, buf, len);
    return 0;
}

static int send_answer(void *ctx, const uint8_t *buf, size_t len, const char *name)
{
    (void)name;
    live *l = ctx;
    if (llnet_udp_send(l->udp, l->ifindex, l->sdp_peer, l->sdp_peer_port, buf, len) != 0) return CCS_EIO;
    live_pcap_udp(l, 1, l->sdp_peer, SDP_UDP_PORT, l->sdp_peer_port, buf, len);
    if (l->sdp_answered++ == 0) log_answer(l, buf, len);   /* repeats are counted */
    if (!l->t_sdp) {
        l->t_sdp = ccs_loop_now(&l->s.loop);
        ccs_loop_stop(&l->s.loop, 0);   /* the phase is done; the socket keeps answering repeats */
    }
    return 0;
}

static void on_udp(ccs_loop *loop, int fd, short revents, void *ctx)
{
    (void)revents;
    live *l = ctx;
    uint8_t buf[256];
    size_t len;
    /* At most LIVE_SDP_BATCH datagrams per wake-up: under an SDP flood the loop still serves the V2G
     * connections and timers in between (the socket stays readable, poll returns at once). */
    for (int batch = 0;
         batch < LIVE_SDP_BATCH && llnet_udp_recv(fd, buf, sizeof buf, &len, l->sdp_peer, &l->sdp_peer_port) == 1;
         batch++) {
        live_pcap_udp(l, 0, l->sdp_peer, l->o.role == LIVE_EVSE ? SDP_UDP_PORT : l->port, l->sdp_peer_port, buf, len);
        int waiting = l->sdp.state == SDP_CLIENT_WAITING;
        sdp_request rq;
        if (l->o.role == LIVE_EVSE && !sdp_parse_request(buf, len, &rq)) l->sdp_asked = rq.security;
        ccs_driver_message(&l->sdp_drv, 0, buf, len, ccs_loop_now(loop));   /* the charger answers in send_answer */
        if (l->o.role == LIVE_PEV) {
            if (!waiting || l->sdp.state != SDP_CLIENT_DONE) continue;
            ccs_loop_timer_stop(loop, &l->sdp_timer);
            log_peer("charger at", l->sdp.result.addr, l->sdp.result.port);
            if (!l->t_sdp) l->t_sdp = ccs_loop_now(loop);   /* the first SDP (again after a Pause) */
            ccs_loop_remove_fd(loop, fd);
            ccs_loop_stop(loop, 0);
            return;
        }
    }
}

static void on_retry(ccs_loop *loop, void *ctx)
{
    live *l = ctx;
    uint32_t at;
    ccs_driver_poll(&l->sdp_drv, ccs_loop_now(loop));
    if (l->sdp.state == SDP_CLIENT_FAILED) {
        LOG_E("sdp: no answer to %u requests", l->sdp.sent);
        ccs_loop_stop(loop, CCS_ETIMEOUT);
        return;
    }
    if (ccs_driver_next_wake(&l->sdp_drv, &at)) ccs_loop_timer_at(loop, &l->sdp_timer, at, on_retry, l);
}

/* The charger's V2GTP servers, announced by SDP (sdp_server_answer): plain TCP on --port (none when TLS is
 * required), TLS on a port of its own when it has credentials. A car asking for TLS from a charger without
 * them gets plain TCP (SDP response security 0x10, "no transport layer security"); it decides whether to
 * connect (ISO 15118-2 SDP: the response says which security the SECC offers; DIN 70121 has no TLS). */
static int listen_v2gtp(live *l, const char *addr)
{
    int rc = 0;
    memcpy(l->srv.srv.addr, l->ip, 16);
    l->srv.srv.tcp_port = l->srv.srv.tls_port = 0;
    if (l->o.tls != LIVE_TLS_REQUIRE) {
        l->port = l->o.tcp_port;
        rc = llnet_tcp_listen(l->ifindex, l->ip, &l->port, &l->lfd);
        l->srv.srv.tcp_port = l->port;
        if (!rc) LOG_I("sdp: listening on UDP %u, V2GTP server [%s%%%s]:%u", SDP_UDP_PORT, addr, l->o.ifname, l->port);
    }
    if (!rc && l->tls) {
        uint16_t port = l->o.tls == LIVE_TLS_REQUIRE ? l->o.tcp_port : 0;
        rc = llnet_tcp_listen(l->ifindex, l->ip, &port, &l->tls_lfd);
        l->srv.srv.tls_port = port;
        if (!rc) LOG_I("sdp: listening on UDP %u, V2GTP TLS server [%s%%%s]:%u%s", SDP_UDP_PORT, addr, l->o.ifname,
                       port, l->o.tls == LIVE_TLS_REQUIRE ? " (TLS required: no plain TCP)" : "");
        if (!rc && !l->srv.srv.tcp_port) l->port = port;
    }
    return rc;
}

/* The link-local address, waiting out duplicate address detection. */
static int wait_address(live *l)
{
    ccs_loop *loop = &l->s.loop;
    uint32_t t0 = ccs_loop_now(loop);
    int rc;
    while ((rc = llnet_addr(l->o.ifname, l->ip, &l->ifindex)) == CCS_EAGAIN &&
           ccs_loop_now(loop) - t0 < LIVE_ADDR_WAIT_MS) {
        if (ccs_loop_run_once(loop, 100) || loop->stopped) return loop->stopped ? loop->rc : CCS_EIO;
    }
    if (rc) LOG_E("sdp: no usable IPv6 link-local address on %s: %s", l->o.ifname, ccs_strerror(rc));
    return rc;
}

int live_sdp(live *l)
{
    ccs_loop *loop = &l->s.loop;
    int rc = wait_address(l);
    if (rc) return rc;
    char t[IPV6_TEXT_MAX];
    ipv6_format(l->ip, t, sizeof t);
    if (l->udp >= 0) {   /* the charger's next plug-in, the car's SDP after a Pause: the same sockets */
        rc = l->o.role == LIVE_PEV ? llnet_local(l->udp, NULL, &l->port) : 0;
    } else if (l->o.role == LIVE_EVSE) {
        rc = listen_v2gtp(l, t);
        if (!rc) rc = llnet_udp_open(l->ifindex, NULL, SDP_UDP_PORT, &l->udp);
    } else {
        rc = llnet_udp_open(l->ifindex, l->ip, SDP_CLIENT_PORT, &l->udp);
        if (!rc) rc = llnet_local(l->udp, NULL, &l->port);
        if (!rc) rc = sdp_client_init(&l->sdp, live_tls_security(l), SDP_TRANSPORT_TCP);
    }
    if (!rc) rc = ccs_loop_add_fd(loop, l->udp, POLLIN, on_udp, l);
    if (rc) {
        LOG_E("sdp: sockets on %s: %s", l->o.ifname, ccs_strerror(rc));
        return rc;
    }
    const ccs_port client = { send_request, NULL, l }, server = { send_answer, NULL, l };
    if (l->o.role == LIVE_PEV) {
        ccs_driver_init(&l->sdp_drv, ccs_sdp_client_machine(&l->sdp), &client);
        ccs_driver_start(&l->sdp_drv, ccs_loop_now(loop));
        LOG_I("sdp: request from [%s]:%u to [ff02::1]:%u", t, l->port, SDP_UDP_PORT);
        ccs_loop_timer_at(loop, &l->sdp_timer, l->sdp.deadline_ms, on_retry, l);
    } else {
        ccs_driver_init(&l->sdp_drv, ccs_sdp_server_machine(&l->srv), &server);
    }
    rc = ccs_loop_run(loop);
    ccs_loop_timer_stop(loop, &l->sdp_timer);
    return rc;
}
