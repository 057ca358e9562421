/* `ccsplc demo`, session phase: the charger and car sessions, each in the one driver (ccsplc/core/machine.h),
 * exchange V2GTP over loopback TCP (or memory), the plant runs in DEMO_STEP_MS steps of virtual time, one line per
 * message is printed (repeats thinned out to one per every_ms), and the TCP traffic goes to the pcap as a flow
 * between the v2g_link-local addresses. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/machines.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/tcpio.h"
#include "ccsplc/core/v2gtp.h"
#include "demo.h"

#define MAX_PAYLOAD 4096

enum { EVSE, PEV };

typedef struct v2g_link v2g_link;

typedef struct {
    v2g_link *l;
    int who;                         /* EVSE or PEV */
    int fd;                          /* TCP; -1 when closed or in memory */
    v2gtp_reasm r;
    uint8_t rbuf[V2GTP_HEADER_LEN + MAX_PAYLOAD];
    uint8_t mem[2 * SESS_TX_CAP];    /* in memory: bytes the peer sent, not read yet */
    size_t mem_len;
    uint64_t sent, received;
    int eof;                         /* the peer closed */
} side;

struct v2g_link {
    demo *d;
    side s[2];
    ccs_driver drv[2];               /* the sessions' drivers, their ports the two ends of the link */
    int closed[2];
    pcapng_tcp_flow flow;
    const char *last_req;            /* for thinning out repeats */
    uint32_t last_repeat_print;
    unsigned repeats;
    int print_pair;
};

static sess_docs evse_docs, pev_docs;

static void print_msg(v2g_link *l, int from, const char *name)
{
    demo *d = l->d;
    if (!name) return;
    if (from == PEV) {   /* a request decides for itself and its response */
        int repeat = l->last_req && !strcmp(l->last_req, name);
        l->last_req = name;
        l->print_pair = !repeat || !d->every_ms || d->now - l->last_repeat_print >= d->every_ms;
        if (repeat) l->repeats++;
        if (repeat && l->print_pair) l->last_repeat_print = d->now;
        if (!repeat) l->repeats = 0;
    }
    if (!l->print_pair) return;
    printf("%9.3f  %-7s %-30s V=%6.1f A=%6.1f SoC=%5.1f%%", d->now / 1000.0, from == PEV ? "car>" : "<charger",
           name, d->plant.charger.v, d->plant.charger.i, d->plant.battery.soc);
    if (from == PEV && l->repeats) printf("  (#%u)", l->repeats + 1);
    printf("\n");
}

static int send_bytes(v2g_link *l, int from, const uint8_t *buf, size_t len, const char *name)
{
    if (!len || l->closed[from]) return 0;
    demo *d = l->d;
    print_msg(l, from, name);
    if (d->have_pcap)
        pcapng_tcp_flow_data(&d->pcap, &l->flow, d->t0_ns + (uint64_t)d->now * 1000000u,
                             from == EVSE ? PCAPNG_DIR_OUT : PCAPNG_DIR_IN, buf, len);
    side *to = &l->s[!from];
    l->s[from].sent += len;
    if (d->in_memory) {
        if (to->mem_len + len > sizeof to->mem) return CCS_ENOSPC;
        memcpy(to->mem + to->mem_len, buf, len);
        to->mem_len += len;
        return 0;
    }
    return tcpio_write_all(l->s[from].fd, buf, len);
}

static void close_side(v2g_link *l, int who)
{
    if (l->closed[who]) return;
    l->closed[who] = 1;
    if (l->s[who].fd >= 0) close(l->s[who].fd);
    l->s[who].fd = -1;
    l->s[!who].eof = 1;   /* in memory: the peer sees the end after the bytes it still has */
}

/* The drivers' ports: ctx is the link end of that side. */
static v2g_link *link_of(void *end, int *who)
{
    side *s = end;
    *who = s->who;
    return s->l;
}

static int port_send(void *end, const uint8_t *buf, size_t len, const char *name)
{
    int who;
    v2g_link *l = link_of(end, &who);
    return send_bytes(l, who, buf, len, name);
}

static void port_close(void *end)
{
    int who;
    v2g_link *l = link_of(end, &who);
    close_side(l, who);
}

static void on_message(v2g_link *l, int who, const v2gtp_msg *m)
{
    ccs_driver_message(&l->drv[who], m->payload_type, m->payload, m->payload_len, l->d->now);
}

static void peer_closed(v2g_link *l, int who)
{
    ccs_driver_disconnect(&l->drv[who], l->d->now);
    close_side(l, who);
}

/* Reads whatever arrived for `who` and hands complete messages to its session. Returns bytes consumed. */
static size_t pump(v2g_link *l, int who)
{
    side *s = &l->s[who];
    uint8_t buf[2048];
    size_t total = 0;
    while (!l->closed[who]) {
        ssize_t n;
        if (l->d->in_memory) {
            n = (ssize_t)(s->mem_len < sizeof buf ? s->mem_len : sizeof buf);
            memcpy(buf, s->mem, (size_t)n);
            memmove(s->mem, s->mem + n, s->mem_len - (size_t)n);
            s->mem_len -= (size_t)n;
            if (n == 0 && !s->eof) break;
        } else {
            n = tcpio_read(s->fd, buf, sizeof buf);
            if (n == CCS_EAGAIN) break;
        }
        if (n <= 0) {
            peer_closed(l, who);
            break;
        }
        s->received += (size_t)n;
        total += (size_t)n;
        const uint8_t *p = buf;
        size_t left = (size_t)n;
        while (left > 0) {
            size_t used;
            v2gtp_msg m;
            int rc = v2gtp_reasm_push(&s->r, p, left, &used, &m);
            p += used;
            left -= used;
            if (rc == 0) on_message(l, who, &m);
            else if (rc != CCS_EAGAIN) {
                LOG_E("demo: bad V2GTP stream: %s", ccs_strerror(rc));
                peer_closed(l, who);
                break;
            }
        }
    }
    return total;
}

static int in_flight(const v2g_link *l)
{
    for (int w = 0; w < 2; w++)
        if (!l->closed[!w] && l->s[w].sent > l->s[!w].received) return 1;
    return 0;
}

static int finished(const demo *d)
{
    int e = d->evse.phase == SESS_DONE || d->evse.phase == SESS_SAFE;
    int p = d->pev.phase == SESS_DONE || d->pev.phase == SESS_SAFE;
    return e && p && !d->plant.evse_contactor.closed && !d->plant.pev_contactor.closed &&
           !(d->car_held && d->car_held(d->car_ctx));
}

static int open_link(v2g_link *l)
{
    demo *d = l->d;
    for (int w = 0; w < 2; w++) {
        l->s[w].l = l;
        l->s[w].who = w;
        l->s[w].fd = -1;
        const ccs_port port = { port_send, port_close, &l->s[w] };
        ccs_driver_init(&l->drv[w], w == EVSE ? ccs_sess_evse_machine(&d->evse) : ccs_sess_pev_machine(&d->pev), &port);
        v2gtp_reasm_init(&l->s[w].r, l->s[w].rbuf, sizeof l->s[w].rbuf, MAX_PAYLOAD);
    }
    if (!d->in_memory) {
        int lfd, family;
        uint16_t port;
        if (tcpio_listen_loopback(&lfd, &port, &family) != 0) return CCS_EIO;
        int rc = demo_link_up(d, port);
        if (!rc) rc = tcpio_connect_loopback(lfd, family, d->port, &l->s[PEV].fd, &l->s[EVSE].fd);
        close(lfd);
        if (rc) return rc;
    } else {
        int rc = demo_link_up(d, 15118);
        if (rc) return rc;
    }
    if (d->have_pcap)
        pcapng_tcp_flow_open(&d->pcap, &l->flow, d->t0_ns + (uint64_t)d->now * 1000000u, 0, d->evse_mac, d->evse_ip,
                             d->port, d->pev_mac, d->pev_ip, 49152);
    return 0;
}

int demo_session(demo *d)
{
    static v2g_link l;
    memset(&l, 0, sizeof l);
    l.d = d;
    int rc = open_link(&l);
    if (rc) return rc;
    sess_evse_init(&d->evse, &d->evse.cfg, &evse_docs);
    sess_pev_init(&d->pev, &d->pev.cfg, &pev_docs);
    phys_plant_sense(&d->plant, &d->evse, &d->pev);
    ccs_driver_start(&l.drv[EVSE], d->now);
    ccs_driver_start(&l.drv[PEV], d->now);
    while (!finished(d)) {
        size_t moved = pump(&l, EVSE) + pump(&l, PEV);
        if (in_flight(&l)) {
            if (!moved && !d->in_memory) usleep(50);   /* loopback delivery is a matter of microseconds */
            continue;
        }
        if (d->now > DEMO_LIMIT_MS) {
            LOG_E("demo: no end after %u s", DEMO_LIMIT_MS / 1000);
            return CCS_ETIMEOUT;
        }
        demo_advance(d, DEMO_STEP_MS);
        if (d->car_step) d->car_step(d->car_ctx, d->now, DEMO_STEP_MS);
        else phys_plant_step(&d->plant, &d->evse, &d->pev, DEMO_STEP_MS);
        if (!d->first_current_ms && phys_plant_current_flows(&d->plant)) d->first_current_ms = d->now;
        if (d->plant.battery.soc < d->low_soc) d->low_soc = d->plant.battery.soc;
        ccs_driver_poll(&l.drv[EVSE], d->now);          /* the charger's timers */
        ccs_driver_inputs(&l.drv[PEV], NULL, d->now);   /* the car's timers, its contactors as the current falls */
    }
    for (int w = 0; w < 2; w++) close_side(&l, w);
    return 0;
}
