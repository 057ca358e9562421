/* The car's ISO 15118-2 Pause in `ccsplc pev`: the p key or --pause-after asks the engine for SessionStop(Pause)
 * (after PowerDelivery(stop) and WeldingDetection, as for any stop); then the connection is closed, the car waits
 * --resume-after (p: at once; space: it stays ended) and live_session does SDP again and reconnects: the
 * engine's SessionSetupReq carries the paused SessionID. DIN 70121 has no Pause. The charger's p key asks an
 * ISO 15118-20 car to pause (EVSENotification Pause). */
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"
#include "live.h"

/* The car's list offers a protocol with a Pause (anything but DIN 70121). */
static int has_pause(const live_options *o)
{
    live_protos ps;
    if (live_protos_parse(o->proto, &ps)) return 1;   /* refused later with the reason */
    for (uint8_t i = 0; i < ps.n; i++)
        if (ps.protos[i] != &sess_proto_din) return 1;
    return 0;
}

int live_pause_check(const live_options *o)
{
    if (o->role != LIVE_PEV || !o->pause_after_ms) return 0;
    if (o->sim) {
        LOG_E("pev: --pause-after is for a car on an interface (-i), not --sim");
        return -1;
    }
    if (has_pause(o)) return 0;
    LOG_E("pev: --pause-after: DIN 70121 has no Pause (ISO 15118-2 has: --proto iso2-dc or iso2-ac)");
    return -1;
}

const char *live_hex_id(const uint8_t *id, uint8_t len)
{
    static char t[2 * SESS_SESSION_ID_MAX + 1];
    t[0] = 0;
    for (uint8_t i = 0; i < len && i < SESS_SESSION_ID_MAX; i++) snprintf(t + 2 * i, 3, "%02x", id[i]);
    return t;
}

static void pause_now(live *l)
{
    if (l->pev.phase != SESS_RUNNING || l->pev.in.pause_request) return;
    if (l->pev.proto == &sess_proto_din) {
        LOG_W("pev: DIN 70121 (the charger's choice) has no Pause: charging on");
        return;
    }
    LOG_I("pev: pausing the session (SessionStop Pause)");
    l->pev.in.pause_request = 1;
}

static void on_pause_after(ccs_loop *loop, void *ctx)
{
    (void)loop;
    pause_now(ctx);
}

/* At the first current (once per run). */
void live_pause_arm(live *l)
{
    if (l->o.pause_after_ms)
        ccs_loop_timer_at(&l->s.loop, &l->pause_timer, ccs_loop_now(&l->s.loop) + l->o.pause_after_ms,
                          on_pause_after, l);
}

/* The charger's pause: ISO 15118-20 asks the car with EVSENotification Pause (the car stops, SessionStop Pause, and
 * comes back with the SessionID); DIN 70121 and ISO 15118-2 have no such request. */
static void evse_pause(live *l)
{
    sess_evse *e = l->car ? &l->car->evse : NULL;
    if (!e || e->phase != SESS_RUNNING || !e->proto || strncmp(sess_proto_name(e->proto), "iso20", 5)) {
        LOG_W("evse: only an ISO 15118-20 session can be paused by the charger (EVSENotification Pause)");
        return;
    }
    LOG_I("evse: asking the car to pause (EVSENotification Pause)");
    e->in.notice = SESS_NOTICE_PAUSE;
}

void live_pause_request(live *l)
{
    if (l->o.role == LIVE_EVSE) {
        evse_pause(l);
    } else if (!has_pause(&l->o)) {
        LOG_W("pev: DIN 70121 has no Pause (ISO 15118-2 has: --proto iso2-dc or iso2-ac)");
    } else if (l->paused) {
        LOG_I("pev: resuming now");
        ccs_loop_stop(&l->s.loop, 0);
    } else if (l->pev.phase != SESS_RUNNING) {
        LOG_W("pev: no session to pause");
    } else {
        pause_now(l);
    }
}

int live_pause_resuming(const live *l)
{
    return l->pev.phase == SESS_DONE && l->pev.stop == SESS_STOP_PAUSED && l->pev.resume_id_len && !l->no_resume &&
           !l->quit;
}

static void on_resume_after(ccs_loop *loop, void *ctx)
{
    (void)ctx;
    ccs_loop_stop(loop, 0);
}

int live_pause_wait(live *l)
{
    ccs_loop *loop = &l->s.loop;
    l->pauses++;
    l->earlier_messages += l->conn[0].messages;
    l->conn[0].messages = 0;
    LOG_I("pev: session %s paused: resuming in %.1f s (p: now, space: stay ended)",
          live_hex_id(l->pev.resume_id, l->pev.resume_id_len), l->o.resume_after_ms / 1000.0);
    l->paused = 1;
    ccs_loop_timer_at(loop, &l->pause_timer, ccs_loop_now(loop) + l->o.resume_after_ms, on_resume_after, l);
    int rc = ccs_loop_run(loop);
    ccs_loop_timer_stop(loop, &l->pause_timer);
    l->paused = 0;
    l->pev.in.pause_request = 0;
    if (!rc && l->no_resume) LOG_I("pev: the paused session stays ended");
    else if (!rc) LOG_I("pev: resuming session %s", live_hex_id(l->pev.resume_id, l->pev.resume_id_len));
    return rc;
}
