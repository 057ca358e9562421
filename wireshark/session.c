/* Per connection and per message analysis, made once on the first pass (which Wireshark runs in capture order) and
 * kept per message: the session number, the SupportedAppProtocol handshake, the SessionID the charger assigned
 * (messages with another are flagged), requests out of sequence (the charger's table through sess_observe), and
 * response times against the protocol's timing table (v2g_timing: V2G_SECC_Msg_Performance_Time and
 * V2G_EVCC_Msg_Timeout) or else the car's V2G_EVCC_Msg_Timeout; shown on every pass. */
#include <string.h>

#include <epan/conversation.h>
#include <epan/dissectors/packet-tcp.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <wsutil/to_str.h>

#include "ccsplc/core/sess_observe.h"
#include "ccsplc/tools/v2g_timing.h"
#include "v2g.h"

struct v2g_conn {
    guint32 session;
    exi_hs hs;
    guint16 server_port;
    sess_sid_watch sid;   /* the SessionID the charger assigned */
    guint32 sid_frame;    /* in this frame */
    sess_observer obs;
    int observing;        /* the handshake agreed on a protocol with a charger table, followed since */
    v2g_msg *pending;     /* the last request, until its response */
};

struct v2g_msg {
    const struct exi_proto *proto;
    exi_msg_class cls;
    guint32 session, frame;
    const char *name;     /* message name (file scope), or NULL */
    const char *agreed;   /* handshake response: the namespace and codec agreed on */
    const char *expected; /* out of sequence: the requests the charger's table allows here */
    guint8 sid_want[SESS_SID_MAX], sid_want_len, sid_bad;
    guint32 sid_frame;
    guint32 req_frame, res_frame;
    nstime_t time, delta;
    guint32 perf_ms, timeout_ms; /* request: limits for its response; response: those of its request */
    const char *perf_table;      /* the table perf_ms is from (static) */
    guint8 has_delta;
};

static int hf_session = -1, hf_agreed = -1, hf_sid_assigned = -1, hf_request_in = -1, hf_response_in = -1,
           hf_response_time = -1;
static expert_field ei_detected = EI_INIT, ei_sequence = EI_INIT, ei_session_id = EI_INIT, ei_slow = EI_INIT,
                    ei_late = EI_INIT;
static guint32 nsessions;
static sess_docs *scratch;

static void reset(void) { nsessions = 0; }

void v2g_session_register(void)
{
    static hf_register_info hf[] = {
        {&hf_session, {"Session", "v2g.session", FT_UINT32, BASE_DEC, NULL, 0,
                       "V2G session: one per TCP connection carrying V2GTP, numbered in capture order", HFILL}},
        {&hf_agreed, {"Agreed protocol", "v2g.agreed", FT_STRING, BASE_NONE, NULL, 0,
                      "Namespace and codec the SupportedAppProtocol response chose", HFILL}},
        {&hf_sid_assigned, {"SessionID assigned", "v2g.session_id_assigned", FT_BYTES, BASE_NONE, NULL, 0,
                            "The SessionID of the charger's SessionSetupRes", HFILL}},
        {&hf_request_in, {"Request in", "v2g.request_in", FT_FRAMENUM, BASE_NONE,
                          FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0, NULL, HFILL}},
        {&hf_response_in, {"Response in", "v2g.response_in", FT_FRAMENUM, BASE_NONE,
                           FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0, NULL, HFILL}},
        {&hf_response_time, {"Response time", "v2g.response_time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0,
                             "Time from the request to this response", HFILL}},
    };
    static ei_register_info ei[] = {
        {&ei_detected, {"v2g.schema.detected", PI_ASSUMPTION, PI_CHAT,
                        "No SupportedAppProtocol handshake in the capture: schema detected", EXPFILL}},
        {&ei_sequence, {"v2g.sequence", PI_SEQUENCE, PI_WARN, "Request out of sequence", EXPFILL}},
        {&ei_session_id, {"v2g.session_id.mismatch", PI_SEQUENCE, PI_WARN,
                          "SessionID differs from the one the charger assigned", EXPFILL}},
        {&ei_slow, {"v2g.response_time.performance", PI_SEQUENCE, PI_NOTE,
                    "Response after V2G_SECC_Msg_Performance_Time", EXPFILL}},
        {&ei_late, {"v2g.response_time.timeout", PI_SEQUENCE, PI_WARN,
                    "Response after the car's V2G_EVCC_Msg_Timeout", EXPFILL}},
    };
    v2g_register(hf, G_N_ELEMENTS(hf), NULL, 0, ei, G_N_ELEMENTS(ei));
    register_init_routine(reset);
    scratch = g_malloc(sizeof *scratch);
}

v2g_conn *v2g_conn_get(packet_info *pinfo)
{
    conversation_t *conv = find_or_create_conversation(pinfo);
    v2g_conn *c = conversation_get_proto_data(conv, proto_v2g);
    if (!c) {
        c = wmem_new0(wmem_file_scope(), v2g_conn);
        c->session = ++nsessions;
        exi_hs_init(&c->hs);
        conversation_add_proto_data(conv, proto_v2g, c);
    }
    return c;
}

exi_hs *v2g_conn_hs(v2g_conn *c) { return &c->hs; }

int v2g_conn_from_client(v2g_conn *c, packet_info *pinfo)
{
    if (!c->server_port) { /* the server port of TCP's SYN, else where the first message went */
        conversation_t *conv = find_conversation_pinfo(pinfo, 0);
        struct tcp_analysis *t = conv ? conversation_get_proto_data(conv, proto_get_id_by_filter_name("tcp")) : NULL;
        c->server_port = t && t->server_port ? t->server_port : (guint16)pinfo->destport;
    }
    return pinfo->destport == c->server_port;
}

/* Messages of a frame are numbered in the order they are dissected (the same on every pass). */
static guint32 msg_key(packet_info *pinfo, int next)
{
    guint32 n = GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, proto_v2g, 0));
    if (next)
        p_add_proto_data(pinfo->pool, pinfo, proto_v2g, 0, GUINT_TO_POINTER(++n));
    return n;
}

v2g_msg *v2g_msg_get(packet_info *pinfo)
{
    return p_get_proto_data(wmem_file_scope(), pinfo, proto_v2g, msg_key(pinfo, 1));
}

const struct exi_proto *v2g_msg_codec(const v2g_msg *m) { return m->proto; }

/* The session protocol whose charger table checks this connection, from its handshake. */
static const sess_proto *sess_of(const exi_hs *h)
{
    if (h->chosen < 0)
        return NULL;
    return h->iso20 ? sess_proto_find("iso20") : h->proto ? sess_proto_find(h->proto->name) : NULL;
}

static void check_session_id(v2g_conn *c, v2g_msg *m, const v2g_facts *f)
{
    if (!f->sid)
        return;
    int r = sess_sid_watch_msg(&c->sid, f->name, f->sid, f->sid_len);
    if (r == 1 && !strcmp(f->name, "SessionSetupRes"))
        c->sid_frame = m->frame;
    if (r)
        return;
    m->sid_bad = 1;
    memcpy(m->sid_want, c->sid.id, c->sid.len);
    m->sid_want_len = c->sid.len;
    m->sid_frame = c->sid_frame;
}

/* A request: its place in the charger's table and the limits for its response. */
static void on_request(v2g_conn *c, v2g_msg *m, uint16_t type, tvbuff_t *payload)
{
    guint len = tvb_captured_length(payload);
    const guint8 *bytes = tvb_get_ptr(payload, 0, len);
    const sess_proto *sp = c->observing ? c->obs.proto : m->proto ? sess_proto_find(m->proto->name) : NULL;
    if (!sp && m->proto && !strncmp(m->proto->name, "iso20", 5))
        sp = sess_proto_find("iso20");
    m->timeout_ms = SESS_EVCC_MSG_TIMEOUT_MS;
    if (sp) {
        sess_observer probe, *o = c->observing ? &c->obs : &probe;
        char allowed[512];
        uint32_t timeout;
        if (!c->observing)
            sess_observe_init(&probe, sp);
        sess_observe_expected(o, allowed, sizeof allowed);
        int r = sess_observe_request(o, type, bytes, len, scratch, &timeout);
        if (timeout)
            m->timeout_ms = timeout;
        if (c->observing && r == 0)
            m->expected = wmem_strdup(wmem_file_scope(), allowed);
        else if (c->observing && r < 0)
            c->observing = 0; /* a message the charger table does not know (ISO-20 AC, ACDP, WPT) */
    }
    v2g_timing t;
    if (m->proto && v2g_timing_of(m->proto->name, m->name, &t)) {
        m->perf_ms = t.perf_ms;
        m->timeout_ms = t.timeout_ms;
        m->perf_table = t.table;
    }
    c->pending = m;
}

/* A response: the time since its request. */
static void on_response(v2g_conn *c, v2g_msg *m)
{
    v2g_msg *q = c->pending;
    size_t n = strlen(m->name);
    if (!q || !q->name || strlen(q->name) != n || strncmp(q->name, m->name, n - 1))
        return;
    m->req_frame = q->frame;
    q->res_frame = m->frame;
    nstime_delta(&m->delta, &m->time, &q->time);
    m->has_delta = 1;
    m->perf_ms = q->perf_ms;
    m->timeout_ms = q->timeout_ms;
    m->perf_table = q->perf_table;
    c->pending = NULL;
}

v2g_msg *v2g_msg_analyse(v2g_conn *c, packet_info *pinfo, uint16_t payload_type, tvbuff_t *payload,
                         const struct exi_proto *used, exi_msg_class cls, const v2g_facts *facts)
{
    int visited = PINFO_FD_VISITED(pinfo); /* a message the first pass did not see: shown, not analysed */
    v2g_msg *m = wmem_new0(visited ? pinfo->pool : wmem_file_scope(), v2g_msg);
    m->proto = used;
    m->cls = cls;
    m->session = c->session;
    m->frame = pinfo->num;
    m->time = pinfo->abs_ts;
    if (visited)
        return m;
    p_add_proto_data(wmem_file_scope(), pinfo, proto_v2g, msg_key(pinfo, 0), m);
    if (cls == EXI_MSG_HS_RES) {
        const exi_hs *h = &c->hs;
        const char *codec = h->iso20 ? "iso20" : h->proto ? h->proto->name : "no codec";
        m->agreed = h->chosen < 0 ? "none" : wmem_strdup_printf(wmem_file_scope(), "%s (%s)",
                                                                  h->offer[h->chosen].ns, codec);
        const sess_proto *sp = sess_of(h);
        c->observing = sp != NULL;
        if (sp)
            sess_observe_init(&c->obs, sp);
    }
    if (!facts)
        return m;
    m->name = wmem_strdup(wmem_file_scope(), facts->name);
    check_session_id(c, m, facts);
    if (facts->request)
        on_request(c, m, payload_type, payload);
    else if (facts->response)
        on_response(c, m);
    return m;
}

static const char *hex(packet_info *pinfo, const guint8 *b, size_t n)
{
    return bytes_to_str(pinfo->pool, b, n);
}

void v2g_msg_show(const v2g_msg *m, packet_info *pinfo, proto_tree *tree, proto_item *at, tvbuff_t *tvb)
{
    proto_item *pi;
    proto_item_set_generated(proto_tree_add_uint(tree, hf_session, tvb, 0, 0, m->session));
    if (m->agreed)
        proto_item_set_generated(proto_tree_add_string(tree, hf_agreed, tvb, 0, 0, m->agreed));
    if (m->cls == EXI_MSG_DETECTED)
        expert_add_info(pinfo, at, &ei_detected);
    if (m->expected)
        expert_add_info_format(pinfo, at, &ei_sequence, "%s out of sequence: the charger's table allows %s here",
                               m->name, m->expected);
    if (m->sid_bad) {
        pi = proto_tree_add_bytes_with_length(tree, hf_sid_assigned, tvb, 0, 0, m->sid_want, m->sid_want_len);
        proto_item_set_generated(pi);
        expert_add_info_format(pinfo, at, &ei_session_id, "%s: SessionID differs from %s, assigned by the charger "
                               "in frame %u", m->name, hex(pinfo, m->sid_want, m->sid_want_len), m->sid_frame);
    }
    if (m->res_frame)
        proto_item_set_generated(proto_tree_add_uint(tree, hf_response_in, tvb, 0, 0, m->res_frame));
    if (!m->has_delta)
        return;
    proto_item_set_generated(proto_tree_add_uint(tree, hf_request_in, tvb, 0, 0, m->req_frame));
    pi = proto_tree_add_time(tree, hf_response_time, tvb, 0, 0, &m->delta);
    proto_item_set_generated(pi);
    guint64 us = (guint64)m->delta.secs * 1000000u + (guint64)m->delta.nsecs / 1000u;
    if (us > (guint64)m->timeout_ms * 1000u)
        expert_add_info_format(pinfo, pi, &ei_late, "%s later than the car's V2G_EVCC_Msg_Timeout (%u ms)",
                               m->name, m->timeout_ms);
    else if (v2g_pref_performance && m->perf_ms && us > (guint64)m->perf_ms * 1000u)
        expert_add_info_format(pinfo, pi, &ei_slow, "%s later than V2G_SECC_Msg_Performance_Time (%u ms, %s)",
                               m->name, m->perf_ms, m->perf_table);
}
