/* Session engine timing (issue 4): (a) the charger's request-to-response time over a simulated CurrentDemand
 * loop — V2GTP parse, decode, handler, encode, in memory on a virtual clock; (b) one process serving 32
 * sessions at once over loopback TCP in real time: the time from a car's write of a request to its read of the
 * whole response. Prints p50 / p99 / max; asserts nothing. Usage: bench_sess [a|b]. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../tests/unit/sess_world.h"
#include "ccsplc/core/errors.h"
#include "ccsplc/linux/tcpio.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_u64);
    printf("%-52s n=%-7zu p50 %8.1f us   p99 %8.1f us   max %8.1f us\n", what, n, v[n / 2] / 1e3,
           v[n * 99 / 100] / 1e3, v[n - 1] / 1e3);
}

/* (a) A DIN charge from 20 to 80 % of 60 kWh (~30 000 CurrentDemand requests); each request the charger gets
 * is timed from the V2GTP bytes to the response bytes. */
static void bench_engine(void)
{
    static sw_world w;
    sess_evse_config ec;
    sess_pev_config pc;
    phys_charger_config cc;
    phys_battery_config bc;
    sw_default_configs(&ec, &pc, &cc, &bc);
    bc.capacity_wh = pc.capacity_wh = 60000.0f;
    bc.target_soc = 80.0f;
    sw_init(&w, &ec, &pc, &cc, &bc);
    sw_connect(&w);
    size_t cap = 100000, n = 0, all_n = 0;
    uint64_t *cd = malloc(cap * sizeof *cd), *all = malloc(cap * sizeof *all);
    while (!sw_both_ended(&w) && w.now < 6u * 3600000u && n < cap && all_n < cap) {
        if (w.msg_len[SW_TO_EVSE] && (int32_t)(w.now - w.msg_at[SW_TO_EVSE]) >= 0) {
            uint64_t t0 = now_ns();
            sw_deliver(&w, SW_TO_EVSE);
            uint64_t dt = now_ns() - t0;
            all[all_n++] = dt;
            if (w.evse.rx_name && !strcmp(w.evse.rx_name, "CurrentDemandReq")) cd[n++] = dt;
        }
        sw_step(&w);
    }
    printf("(a) charger engine, DIN, %.1f min of charging, SoC %.1f %%\n", w.now / 60000.0, w.plant.battery.soc);
    report("    CurrentDemandReq -> CurrentDemandRes", cd, n);
    report("    every request -> response", all, all_n);
    free(cd);
    free(all);
}

/* (b) 32 charger sessions and 32 car sessions in this process, each pair on its own loopback TCP connection
 * and plant, one poll loop; real time, physics stepped every 10 ms. */
#define PAIRS 32
#define STEP_MS 10u
#define MAXP 4096

typedef struct {
    int fd[2];                    /* [SW_TO_EVSE]: the charger's socket (reads requests); [SW_TO_PEV]: the car's */
    v2gtp_reasm r[2];
    uint8_t rbuf[2][V2GTP_HEADER_LEN + MAXP];
    sess_evse evse;
    sess_pev pev;
    phys_plant plant;
    sess_docs docs[2];
    uint64_t sent_ns;             /* the car's last request went out */
} pair;

static uint64_t *lat;
static size_t nlat, caplat;

static void send_tx(pair *p, int who)
{
    const uint8_t *tx = who == SW_TO_EVSE ? p->pev.tx : p->evse.tx;
    size_t len = who == SW_TO_EVSE ? p->pev.tx_len : p->evse.tx_len;
    if (!len || p->fd[who] < 0) return;
    if (who == SW_TO_EVSE) p->sent_ns = now_ns();
    tcpio_write_all(p->fd[!who], tx, len);   /* the peer of `who` writes on its own socket */
}

static void on_msg(pair *p, int who, const v2gtp_msg *m, uint32_t now)
{
    if (who == SW_TO_EVSE) {
        sess_evse_on_message(&p->evse, m->payload_type, m->payload, m->payload_len, now);
        send_tx(p, SW_TO_PEV);
    } else {
        if (nlat < caplat) lat[nlat++] = now_ns() - p->sent_ns;
        sess_pev_on_message(&p->pev, m->payload_type, m->payload, m->payload_len, now);
        send_tx(p, SW_TO_EVSE);
    }
}

static void pump(pair *p, int who, uint32_t now)
{
    uint8_t buf[2048];
    ssize_t n;
    while (p->fd[who] >= 0 && (n = tcpio_read(p->fd[who], buf, sizeof buf)) != CCS_EAGAIN) {
        if (n <= 0) {
            close(p->fd[who]);
            p->fd[who] = -1;
            return;
        }
        const uint8_t *q = buf;
        size_t left = (size_t)n;
        while (left) {
            size_t used;
            v2gtp_msg m;
            int rc = v2gtp_reasm_push(&p->r[who], q, left, &used, &m);
            q += used;
            left -= used;
            if (rc == 0) on_msg(p, who, &m, now);
            else if (rc != CCS_EAGAIN) return;
        }
    }
}

static int ended(const pair *p)
{
    return (p->evse.phase == SESS_DONE || p->evse.phase == SESS_SAFE) &&
           (p->pev.phase == SESS_DONE || p->pev.phase == SESS_SAFE);
}

static void bench_many(void)
{
    pair *ps = calloc(PAIRS, sizeof *ps);
    caplat = 1000000;
    lat = malloc(caplat * sizeof *lat);
    int lfd, family;
    uint16_t port;
    if (!ps || !lat || tcpio_listen_loopback(&lfd, &port, &family)) {
        fprintf(stderr, "bench_sess: loopback TCP unavailable\n");
        exit(1);
    }
    uint64_t t0 = now_ns();
    for (int i = 0; i < PAIRS; i++) {
        pair *p = &ps[i];
        sess_evse_config ec;
        sess_pev_config pc;
        phys_charger_config cc;
        phys_battery_config bc;
        sw_default_configs(&ec, &pc, &cc, &bc);
        pc.mac[5] = (uint8_t)i;
        bc.capacity_wh = pc.capacity_wh = 2000.0f;   /* 20 -> 30 % of 2 kWh: seconds of charging */
        if (tcpio_connect_loopback(lfd, family, port, &p->fd[SW_TO_PEV], &p->fd[SW_TO_EVSE])) exit(1);
        for (int k = 0; k < 2; k++) v2gtp_reasm_init(&p->r[k], p->rbuf[k], sizeof p->rbuf[k], MAXP);
        sess_evse_init(&p->evse, &ec, &p->docs[0]);
        sess_pev_init(&p->pev, &pc, &p->docs[1]);
        phys_plant_init(&p->plant, &cc, &bc);
        phys_plant_sense(&p->plant, &p->evse, &p->pev);
        sess_evse_connect(&p->evse, 0);
        sess_pev_start(&p->pev, 0);
        send_tx(p, SW_TO_EVSE);
    }
    close(lfd);
    uint32_t next_step = STEP_MS;
    for (;;) {
        uint32_t now = (uint32_t)((now_ns() - t0) / 1000000u);
        int all = 1;
        for (int i = 0; i < PAIRS; i++) all &= ended(&ps[i]);
        if (all || now > 120000u) break;
        struct pollfd pf[2 * PAIRS];
        for (int i = 0; i < 2 * PAIRS; i++) pf[i] = (struct pollfd){ ps[i / 2].fd[i % 2], POLLIN, 0 };
        int wait = (int32_t)(next_step - now) > 0 ? (int)(next_step - now) : 0;
        if (poll(pf, 2 * PAIRS, wait) > 0)
            for (int i = 0; i < 2 * PAIRS; i++)
                if (pf[i].revents) pump(&ps[i / 2], i % 2, now);
        now = (uint32_t)((now_ns() - t0) / 1000000u);
        if ((int32_t)(now - next_step) < 0) continue;
        for (int i = 0; i < PAIRS; i++) {
            pair *p = &ps[i];
            uint32_t at;
            phys_plant_step(&p->plant, &p->evse, &p->pev, STEP_MS);
            if (sess_evse_next_timeout(&p->evse, &at) && (int32_t)(now - at) >= 0) {
                sess_evse_tick(&p->evse, now);
                send_tx(p, SW_TO_PEV);
            }
            sess_pev_tick(&p->pev, now);
            send_tx(p, SW_TO_EVSE);
        }
        next_step += STEP_MS;
    }
    unsigned normal = 0;
    for (int i = 0; i < PAIRS; i++) {
        normal += ps[i].evse.stop == SESS_STOP_NORMAL && ps[i].pev.stop == SESS_STOP_NORMAL;
        for (int k = 0; k < 2; k++)
            if (ps[i].fd[k] >= 0) close(ps[i].fd[k]);
    }
    printf("(b) %d DIN sessions at once over loopback TCP, one poll loop: %u/%d ended normally in %.1f s\n", PAIRS,
           normal, PAIRS, (now_ns() - t0) / 1e9);
    report("    car write -> whole response read (all messages)", lat, nlat);
    free(lat);
    free(ps);
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "ab";
    if (strchr(which, 'a')) bench_engine();
    if (strchr(which, 'b')) bench_many();
    return 0;
}
