/* `ccsplc evse` as a charger that stays ready: plug-in after plug-in (SLAC with a fresh NMK, SDP, the session
 * with its extra connections; the UDP socket and the V2GTP listener stay open between plug-ins) until a
 * signal, q, the time limit or --sessions N; --stop-after session serves exactly one. */
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "commands.h"
#include "live.h"

/* The waits the car allows itself are over: without any session the plug-in ends now; sessions that left before
 * using the power stage kept it open for the car, which has not come: it ends once none runs (live_slots.c). */
static void on_car_timer(ccs_loop *loop, void *ctx)
{
    live *l = ctx;
    l->car_wait_over = 1;
    if (l->car) {
        if (l->owner < 0 && live_slots_finished(l) && !l->resume_id_len) {
            LOG_W("evse: no session used the power stage within %u s of the SLAC match: the plug-in ends",
                  LIVE_CAR_SETUP_MS / 1000u);
            ccs_loop_stop(loop, 0);
        }
        return;   /* a session runs: the engine's timers bound it */
    }
    LOG_W("evse: no session within %u s of the SLAC match: waiting for the next car", LIVE_CAR_SETUP_MS / 1000u);
    l->no_car = 1;
    ccs_loop_stop(loop, 0);
}

/* One plug-in: 0 when a session was served (its result printed), 1 when there was none (no car, or it did not
 * connect: wait again), -1 when the run ends here (a stop, or sockets that failed). */
static int plug_in(live *l)
{
    ccs_loop *loop = &l->s.loop;
    l->t_start = ccs_loop_now(loop);
    l->t_linked = l->t_sdp = l->t_first_current = 0;
    l->car = NULL;
    l->no_car = l->car_wait_over = 0;
    l->sdp_answered = 0;
    int rc = l->o.no_slac ? 0 : app_slac_run(&l->s, CCS_SLAC_EVSE, l->o.ifname, 0);
    if (rc == CCS_ESTATE) l->quit = 1;
    if (rc) return !l->quit && rc == CCS_ETIMEOUT ? 1 : -1;
    l->t_linked = ccs_loop_now(loop);
    if (!l->o.no_slac) memcpy(l->peer_mac, ccs_slac_match(&l->s.slac)->mac, 6);
    ccs_loop_timer_at(loop, &l->car_timer, l->t_linked + LIVE_CAR_SETUP_MS, on_car_timer, l);
    rc = live_sdp(l);
    if (!rc && !l->no_car) rc = live_session(l);
    if (rc == CCS_ESTATE) l->quit = 1;
    ccs_loop_timer_stop(loop, &l->car_timer);
    ccs_slac_detach(&l->s.slac);      /* the next plug-in starts a new SLAC machine (a new NMK) */
    if (l->udp >= 0) ccs_loop_remove_fd(loop, l->udp);   /* SDP is answered again after that SLAC */
    if (l->sdp_answered > 1) LOG_I("sdp: %u requests answered in this plug-in", l->sdp_answered);
    int session = l->car && l->car->evse.phase != SESS_IDLE;
    if (session) {
        if (live_result(l, rc) == CCS_EXIT_OK) l->served_ok++;
        l->served++;
    }
    if (rc) return -1;
    return session ? 0 : 1;
}

int live_serve(live *l)
{
    uint32_t want = l->o.until == LIVE_UNTIL_SESSION ? 1u : l->o.sessions;
    int cut = 0;
    while (!l->quit && (!want || l->served < want)) {
        if (l->served) LOG_I("evse: ready for the next car (%u served)", l->served);
        int r = plug_in(l);
        if (r < 0) {
            cut = !l->quit || l->t_linked;   /* a stop while waiting for a car is not a failure */
            break;
        }
    }
    int ok = !cut && l->served_ok == l->served && (!want || l->served == want);
    if (l->o.until == LIVE_UNTIL_SESSION) return l->served ? (ok ? CCS_EXIT_OK : CCS_EXIT_FAIL) : live_result(l, -1);
    printf("evse: %u session%s served, %u ended normally\n", l->served, l->served == 1 ? "" : "s", l->served_ok);
    return ok ? CCS_EXIT_OK : CCS_EXIT_FAIL;
}
