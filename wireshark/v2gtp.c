/* V2GTP (DIN 70121, ISO 15118-2/-20): the 8-byte header over TCP (PDUs reassembled), inside TLS and over UDP; SDP
 * on UDP 15118, whose response names the charger's TCP port (our dissector there, or TLS with V2GTP inside); and
 * heuristics on the header (0x01 0xFE, a known payload type) for connections whose SDP the capture lacks. */
#include <epan/conversation.h>
#include <epan/dissectors/packet-tcp.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/to_str.h>
#include <epan/proto.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/sdp.h"
#include "ccsplc/core/v2gtp.h"
#include "v2g.h"

/* Declared in epan/dissectors/packet-tls-utils.h, which needs libgcrypt's headers: V2GTP inside this TLS session. */
WS_DLL_PUBLIC void tls_set_appdata_dissector(dissector_handle_t tls_handle, packet_info *pinfo,
                                             dissector_handle_t app_handle);

#define V2GTP_HEUR_MAX_PAYLOAD 65536u /* heuristics: larger than any V2G message (certificate chains included) */
#define V2GTP_MAX_PAYLOAD (16u << 20) /* beyond this a length is taken as garbage, not waited for */

static int hf_version = -1, hf_inverse = -1, hf_type = -1, hf_length = -1, hf_security = -1, hf_transport = -1,
           hf_address = -1, hf_port = -1;
static gint ett_v2gtp = -1, ett_sdp = -1;
static expert_field ei_header = EI_INIT, ei_sdp = EI_INIT;
static dissector_handle_t tcp_handle, udp_handle, tls_handle;

static const value_string payload_types[] = {
    {V2GTP_EXI, "EXI (SupportedAppProtocol, DIN 70121, ISO 15118-2)"},
    {V2GTP_ISO20_MAIN, "ISO 15118-20 CommonMessages"},
    {V2GTP_ISO20_AC, "ISO 15118-20 AC"},
    {V2GTP_ISO20_DC, "ISO 15118-20 DC"},
    {V2GTP_ISO20_ACDP, "ISO 15118-20 ACDP"},
    {V2GTP_ISO20_WPT, "ISO 15118-20 WPT"},
    {V2GTP_ISO20_SCHED_RENEG, "ISO 15118-20 schedule renegotiation"},
    {V2GTP_ISO20_METERING_CONF, "ISO 15118-20 metering confirmation"},
    {V2GTP_ISO20_ACDP_STATUS, "ISO 15118-20 ACDP system status"},
    {V2GTP_ISO20_PARKING_STATUS, "ISO 15118-20 parking status"},
    {V2GTP_SDP_REQ, "SDP request"},
    {V2GTP_SDP_RES, "SDP response"},
    {V2GTP_SDP_REQ_WIRELESS, "SDP request (wireless)"},
    {V2GTP_SDP_RES_WIRELESS, "SDP response (wireless)"},
    {0, NULL},
};
static const value_string securities[] = {{SDP_SECURITY_TLS, "TLS"}, {SDP_SECURITY_NONE, "none"}, {0, NULL}};
static const value_string transports[] = {{SDP_TRANSPORT_TCP, "TCP"}, {SDP_TRANSPORT_UDP, "UDP"}, {0, NULL}};

static int is_sdp(uint16_t type) { return type >= V2GTP_SDP_REQ && type <= V2GTP_SDP_RES_WIRELESS; }

/* SDP request or response (the whole V2GTP datagram in tvb). */
static void dissect_sdp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, uint16_t type)
{
    guint len = tvb_captured_length(tvb);
    const guint8 *bytes = tvb_get_ptr(tvb, 0, len);
    proto_tree *sub = proto_tree_add_subtree(tree, tvb, V2GTP_HEADER_LEN, -1, ett_sdp, NULL,
                                             val_to_str_const(type, payload_types, "SDP"));
    int rc = 0;
    if (type == V2GTP_SDP_REQ) {
        sdp_request req;
        rc = sdp_parse_request(bytes, len, &req);
        proto_tree_add_item(sub, hf_security, tvb, 8, 1, ENC_NA);
        proto_tree_add_item(sub, hf_transport, tvb, 9, 1, ENC_NA);
        col_add_fstr(pinfo->cinfo, COL_INFO, "SDP request, security %s",
                     val_to_str_const(tvb_get_guint8(tvb, 8), securities, "?"));
    } else if (type == V2GTP_SDP_RES) {
        sdp_response res;
        rc = sdp_parse_response(bytes, len, &res);
        proto_tree_add_item(sub, hf_address, tvb, 8, 16, ENC_NA);
        proto_tree_add_item(sub, hf_port, tvb, 24, 2, ENC_BIG_ENDIAN);
        proto_tree_add_item(sub, hf_security, tvb, 26, 1, ENC_NA);
        proto_tree_add_item(sub, hf_transport, tvb, 27, 1, ENC_NA);
        if (!rc) {
            address a;
            set_address(&a, AT_IPv6, IPV6_ADDR_LEN, res.addr);
            col_add_fstr(pinfo->cinfo, COL_INFO, "SDP response, SECC [%s]:%u, security %s",
                         address_to_str(pinfo->pool, &a), res.port, val_to_str_const(res.security, securities, "?"));
            if (res.transport == SDP_TRANSPORT_TCP)
                v2gtp_expect_server(pinfo, &a, res.port, res.security == SDP_SECURITY_TLS);
        }
    } else {
        col_add_str(pinfo->cinfo, COL_INFO, val_to_str_const(type, payload_types, "SDP"));
    }
    if (rc)
        expert_add_info_format(pinfo, sub, &ei_sdp, "Invalid SDP message: %s", ccs_strerror(rc));
}

/* One V2GTP message: header, then SDP or the EXI payload. */
static int dissect_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    (void)data;
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "V2G");
    guint npdu = GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, proto_v2g, 1));
    if (!npdu)
        col_clear(pinfo->cinfo, COL_INFO); /* then each message of the frame appends its name */
    p_add_proto_data(pinfo->pool, pinfo, proto_v2g, 1, GUINT_TO_POINTER(npdu + 1));
    proto_item *ti = proto_tree_add_item(tree, proto_v2g, tvb, 0, -1, ENC_NA);
    proto_tree *sub = proto_item_add_subtree(ti, ett_v2gtp);
    guint8 version = tvb_get_guint8(tvb, 0), inverse = tvb_get_guint8(tvb, 1);
    uint16_t type = tvb_get_ntohs(tvb, 2);
    guint32 plen = tvb_get_ntohl(tvb, 4);
    proto_item *vi = proto_tree_add_item(sub, hf_version, tvb, 0, 1, ENC_NA);
    proto_tree_add_item(sub, hf_inverse, tvb, 1, 1, ENC_NA);
    proto_tree_add_item(sub, hf_type, tvb, 2, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(sub, hf_length, tvb, 4, 4, ENC_BIG_ENDIAN);
    if (version != V2GTP_VERSION || inverse != V2GTP_VERSION_INV || plen > V2GTP_MAX_PAYLOAD) {
        expert_add_info_format(pinfo, vi, &ei_header, "Bad V2GTP header: version 0x%02x, inverse 0x%02x, "
                               "length %u", version, inverse, plen);
        return tvb_captured_length(tvb);
    }
    if (is_sdp(type))
        dissect_sdp(tvb, pinfo, sub, type);
    else
        v2g_exi_dissect(tvb_new_subset_length(tvb, V2GTP_HEADER_LEN, (gint)plen), pinfo, sub, type);
    return tvb_captured_length(tvb);
}

static guint pdu_len(packet_info *pinfo, tvbuff_t *tvb, int off, void *data)
{
    (void)pinfo;
    (void)data;
    guint32 plen = tvb_get_ntohl(tvb, off + 4);
    if (tvb_get_guint8(tvb, off) != V2GTP_VERSION || plen > V2GTP_MAX_PAYLOAD)
        return (guint)tvb_reported_length_remaining(tvb, off); /* garbage: show it, do not wait for it */
    return V2GTP_HEADER_LEN + plen;
}

static int dissect_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    tcp_dissect_pdus(tvb, pinfo, tree, TRUE, V2GTP_HEADER_LEN, pdu_len, dissect_pdu, data);
    return tvb_captured_length(tvb);
}

static int dissect_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (tvb_captured_length(tvb) < V2GTP_HEADER_LEN)
        return 0;
    return dissect_pdu(tvb, pinfo, tree, data);
}

static gboolean looks_like_v2gtp(tvbuff_t *tvb)
{
    if (tvb_captured_length(tvb) < V2GTP_HEADER_LEN || tvb_get_guint8(tvb, 0) != V2GTP_VERSION ||
        tvb_get_guint8(tvb, 1) != V2GTP_VERSION_INV)
        return FALSE;
    uint16_t type = tvb_get_ntohs(tvb, 2);
    return v2gtp_known_type(type) && !is_sdp(type) && tvb_get_ntohl(tvb, 4) <= V2GTP_HEUR_MAX_PAYLOAD;
}

static gboolean heur_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (!looks_like_v2gtp(tvb))
        return FALSE;
    conversation_set_dissector(find_or_create_conversation(pinfo), tcp_handle);
    dissect_tcp(tvb, pinfo, tree, data);
    return TRUE;
}

static gboolean heur_tls(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (!looks_like_v2gtp(tvb))
        return FALSE;
    tls_set_appdata_dissector(tls_handle, pinfo, tcp_handle);
    dissect_tcp(tvb, pinfo, tree, data);
    return TRUE;
}

void v2gtp_expect_server(packet_info *pinfo, const address *addr, uint16_t port, int tls)
{
    if (PINFO_FD_VISITED(pinfo))
        return;
    conversation_t *conv = conversation_new(pinfo->num, addr, &pinfo->src, CONVERSATION_TCP, port, 0,
                                            NO_ADDR2 | NO_PORT2 | CONVERSATION_TEMPLATE);
    conversation_set_dissector(conv, tls ? tls_handle : tcp_handle);
}

void v2gtp_register(void)
{
    static hf_register_info hf[] = {
        {&hf_version, {"Protocol version", "v2g.v2gtp.version", FT_UINT8, BASE_HEX, NULL, 0, NULL, HFILL}},
        {&hf_inverse, {"Inverse protocol version", "v2g.v2gtp.inverse_version", FT_UINT8, BASE_HEX, NULL, 0, NULL,
                       HFILL}},
        {&hf_type, {"Payload type", "v2g.v2gtp.payload_type", FT_UINT16, BASE_HEX, VALS(payload_types), 0, NULL,
                    HFILL}},
        {&hf_length, {"Payload length", "v2g.v2gtp.payload_length", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_security, {"Security", "v2g.sdp.security", FT_UINT8, BASE_HEX, VALS(securities), 0, NULL, HFILL}},
        {&hf_transport, {"Transport protocol", "v2g.sdp.transport", FT_UINT8, BASE_HEX, VALS(transports), 0, NULL,
                         HFILL}},
        {&hf_address, {"SECC IP address", "v2g.sdp.address", FT_IPv6, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_port, {"SECC port", "v2g.sdp.port", FT_UINT16, BASE_DEC, NULL, 0, NULL, HFILL}},
    };
    static gint *ett[] = {&ett_v2gtp, &ett_sdp};
    static ei_register_info ei[] = {
        {&ei_header, {"v2g.v2gtp.bad_header", PI_MALFORMED, PI_ERROR, "Bad V2GTP header", EXPFILL}},
        {&ei_sdp, {"v2g.sdp.invalid", PI_MALFORMED, PI_ERROR, "Invalid SDP message", EXPFILL}},
    };
    v2g_register(hf, G_N_ELEMENTS(hf), ett, G_N_ELEMENTS(ett), ei, G_N_ELEMENTS(ei));
    tcp_handle = register_dissector("v2gtp.tcp", dissect_tcp, proto_v2g);
    udp_handle = register_dissector("v2gtp.udp", dissect_udp, proto_v2g);
}

void v2gtp_handoff(void)
{
    tls_handle = find_dissector("tls");
    dissector_add_uint_with_preference("udp.port", SDP_UDP_PORT, udp_handle);
    heur_dissector_add("tcp", heur_tcp, "V2GTP over TCP", "v2gtp_tcp", proto_v2g, HEURISTIC_ENABLE);
    heur_dissector_add("tls", heur_tls, "V2GTP over TLS", "v2gtp_tls", proto_v2g, HEURISTIC_ENABLE);
}
