/* A session's summary from its records: stages reached and their times, voltage/current ranges, energy
 * (EVSEPresentVoltage x EVSEPresentCurrent integrated over time, trapezoids) and how it ended. Host side. */
#include <math.h>
#include <string.h>

#include "decode_int.h"

static int starts(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

/* The stage a record belongs to, -1 for none; *done when it completes the stage. */
static int stage_of(const dec_record *r, int *done)
{
    *done = 0;
    switch (r->layer) {
    case DEC_LAYER_HOMEPLUG:
        *done = !strcmp(r->name, "CM_SLAC_MATCH.CNF");
        return starts(r->name, "CM_SLAC_") || starts(r->name, "CM_START_ATTEN_CHAR") ||
                       starts(r->name, "CM_MNBC_SOUND") || starts(r->name, "CM_ATTEN_CHAR") ||
                       starts(r->name, "CM_VALIDATE")
                   ? DEC_STAGE_SLAC
                   : -1;
    case DEC_LAYER_SDP:
        *done = !strcmp(r->name, "SDP response");
        return r->error ? -1 : DEC_STAGE_SDP;
    case DEC_LAYER_V2G:
        if (!r->exi || r->error)
            return -1;
        if (!strcmp(r->exi->name, "app")) {
            *done = !strcmp(r->name, "supportedAppProtocolRes");
            return DEC_STAGE_HANDSHAKE;
        }
        if (strstr(r->name, "CableCheck"))
            return DEC_STAGE_CABLECHECK;
        if (strstr(r->name, "PreCharge"))
            return DEC_STAGE_PRECHARGE;
        if (strstr(r->name, "CurrentDemand") || strstr(r->name, "ChargingStatus") || strstr(r->name, "ChargeLoop"))
            return DEC_STAGE_CHARGING;
        return -1;
    default: return -1;
    }
}

static void range_add(dec_range *g, double v)
{
    if (isnan(v))
        return;
    if (!g->seen || v < g->min)
        g->min = v;
    if (!g->seen || v > g->max)
        g->max = v;
    g->seen = 1;
}

static void note_measures(dec_session *s, const dec_record *r)
{
    dec_measure m;
    if (!dec_measure_get(r, &m))
        return;
    range_add(&s->voltage, m.present_v);
    range_add(&s->current, m.present_i);
    if (isnan(m.present_v) || isnan(m.present_i))
        return;
    double p = m.present_v * m.present_i;
    if (s->has_power && r->ts_ns > s->last_power_ns)
        s->energy_wh += (p + s->last_power_w) / 2 * (double)(r->ts_ns - s->last_power_ns) / 1e9 / 3600;
    s->has_power = 1;
    s->last_power_w = p;
    s->last_power_ns = r->ts_ns;
}

static void note_end(dec_session *s, const dec_record *r)
{
    int reset = !strcmp(r->name, "reset");
    if (r->layer == DEC_LAYER_TCP && r->conn == s->conn && (reset || !strcmp(r->name, "close")) &&
        s->end == DEC_END_NONE) {
        s->end = reset ? DEC_END_TCP_RESET : DEC_END_TCP_CLOSE;
        if (s->tls_records && !s->last_v2g[0])
            snprintf(s->end_text, sizeof s->end_text, "%s after %u TLS records (V2G over TLS, encrypted)",
                     reset ? "TCP reset (RST)" : "TCP closed (FIN both ways)", s->tls_records);
        else
            snprintf(s->end_text, sizeof s->end_text, "%s%s%s",
                     reset ? "TCP reset (RST)" : "TCP closed (FIN both ways)", s->last_v2g[0] ? " after " : "",
                     s->last_v2g);
    }
    if (r->layer != DEC_LAYER_V2G || r->error || !r->exi)
        return;
    const char *code = dec_find(r, "ResponseCode");
    if (starts(r->name, "SessionStop")) {
        s->end = DEC_END_SESSION_STOP;
        snprintf(s->end_text, sizeof s->end_text, "SessionStop%s%s%s", code ? " (" : "", code ? code : "",
                 code ? ")" : "");
    } else if (code && starts(code, "FAILED") && s->end != DEC_END_SESSION_STOP) {
        s->end = DEC_END_ERROR; /* the last failure counts: a session may go on after one */
        snprintf(s->end_text, sizeof s->end_text, "error: %s in %s", code, r->name);
    } else if (code && s->end == DEC_END_ERROR) {
        s->end = DEC_END_NONE;
    }
}

/* A completed SLAC is timed from the try that got through (ISO 15118-3: the car repeats CM_SLAC_PARAM.REQ until
 * a charger answers; pyPLC keeps one RunID for all of them): each CM_SLAC_PARAM.REQ is a try, the one a
 * CM_SLAC_PARAM.CNF answered last starts the stage once CM_SLAC_MATCH.CNF completes it. An unfinished SLAC keeps
 * its first try as start. */
static void note_slac_attempt(dec_stage *g, const dec_record *r, int done)
{
    if (!strcmp(r->name, "CM_SLAC_PARAM.REQ")) {
        if (!g->attempts++)
            g->attempts_first_ns = r->ts_ns;
        g->try_ns = r->ts_ns;
    } else if (!strcmp(r->name, "CM_SLAC_PARAM.CNF") && g->attempts) {
        g->answered_ns = g->try_ns;
    }
    if (done && g->answered_ns)
        g->first_ns = g->answered_ns;
}

/* AC or DC: the energy transfer mode the car asks for (DIN EVRequestedEnergyTransferType, ISO-2
 * RequestedEnergyTransferMode), an ISO-20 AC schema, or ISO-2's AC charging loop (ChargingStatus). */
static void note_mode(dec_session *s, const dec_record *r)
{
    if (r->layer != DEC_LAYER_V2G || r->error || !r->exi)
        return;
    const char *mode = dec_find(r, "RequestedEnergyTransferMode");
    if (!mode)
        mode = dec_find(r, "EVRequestedEnergyTransferType");
    if (mode)
        s->ac = starts(mode, "AC_");
    if (starts(r->exi->name, "iso20-ac") || starts(r->name, "ChargingStatus"))
        s->ac = 1;
}

/* The session's list of faults: the record's, and messages that do not decode. */
static void note_faults(dec_session *s, const dec_record *r)
{
    char text[sizeof s->faults[0].text];
    if (r->fault)
        dec_fault_add(s, r->ts_ns, r->fault);
    if (!r->error || (r->layer != DEC_LAYER_HOMEPLUG && !(r->layer == DEC_LAYER_V2G && r->exi)))
        return;
    snprintf(text, sizeof text, "%s does not decode: %s", r->layer == DEC_LAYER_V2G ? r->exi->name : "HomePlug frame",
             r->error);
    dec_fault_add(s, r->ts_ns, text);
}

void dec_stats_note(dec_session *s, const dec_record *r)
{
    if (r->ts_ns < s->first_ns)
        s->first_ns = r->ts_ns;
    if (r->ts_ns > s->last_ns)
        s->last_ns = r->ts_ns;
    int done, st = stage_of(r, &done);
    if (st >= 0) {
        dec_stage *g = &s->stage[st];
        if (!g->seen) {
            g->seen = 1;
            g->first_ns = r->ts_ns;
        }
        if (!g->done) {
            g->last_ns = r->ts_ns;
            if (st == DEC_STAGE_SLAC)
                note_slac_attempt(g, r, done);
        }
        g->done |= done;
        g->count++;
    }
    if (r->layer == DEC_LAYER_TCP && starts(r->name, "TLS")) {
        s->tls_records++;
        s->last_tls_ns = r->ts_ns;
    }
    note_mode(s, r);
    if (r->layer == DEC_LAYER_V2G && r->exi) {
        s->exi_messages++;
        s->exi_errors += r->error != NULL;
        if (!r->error) {
            dec_copy(s->last_v2g, sizeof s->last_v2g, r->name);
            s->last_v2g_ns = r->ts_ns;
        }
        const char *id = r->error ? NULL : dec_find(r, "EVCCID");
        if (id && !strcmp(r->name, "SessionSetupReq"))
            snprintf(s->evccid, sizeof s->evccid, "%s", *id ? id : "(empty)");
        id = r->error ? NULL : dec_find(r, "EVSEID");
        if (id && !strcmp(r->name, "SessionSetupRes"))
            snprintf(s->evseid, sizeof s->evseid, "%s", *id ? id : "(empty)");
    }
    note_measures(s, r);
    note_end(s, r);
    note_faults(s, r);
}

void dec_stats_close(dec_session *s, uint64_t end_ns)
{
    if (s->end != DEC_END_NONE)
        return;
    if (s->conn >= 0 && s->tls_records && !s->exi_messages) {
        snprintf(s->end_text, sizeof s->end_text,
                 "no end seen (V2G over TLS, encrypted): the capture stops %.1f s after the last of %u TLS records, "
                 "connection still open", (double)(end_ns - s->last_tls_ns) / 1e9, s->tls_records);
    } else if (s->conn >= 0) {
        snprintf(s->end_text, sizeof s->end_text,
                 "no end seen: the capture stops %.1f s after the last message%s%s, connection still open",
                 (double)(end_ns - (s->last_v2g_ns ? s->last_v2g_ns : s->last_ns)) / 1e9,
                 s->last_v2g[0] ? " " : "", s->last_v2g);
    } else {
        const dec_stage *slac = &s->stage[DEC_STAGE_SLAC], *sdp = &s->stage[DEC_STAGE_SDP];
        const char *what = sdp->done    ? "no TCP connection after SDP"
                         : sdp->seen    ? "no SDP response"
                         : slac->done   ? "no SDP request after SLAC"
                         : slac->seen   ? "SLAC did not complete"
                                        : "no SLAC, SDP or TCP";
        snprintf(s->end_text, sizeof s->end_text, "%s (before any V2G message)", what);
    }
}

void dec_stage_tries(const dec_stage *g, uint64_t origin_ns, char *out, size_t cap)
{
    if (cap)
        out[0] = 0;
    if (g->attempts > 1)
        snprintf(out, cap, "%u tries since %.3f", g->attempts,
                 (double)(int64_t)(g->attempts_first_ns - origin_ns) / 1e9);
}
