/* The EXI payload of a V2GTP message: the codec the connection's handshake agreed on (or the ISO-20 payload type
 * names), the decoded document as fields, the message name in the Info column, FAILED response codes and decode
 * errors (with the bit offset) as expert items. */
#include <string.h>

#include <epan/expert.h>
#include <epan/proto.h>

#include "v2g.h"

static int hf_exi = -1, hf_error = -1, hf_error_bit = -1, hf_message = -1, hf_codec = -1;
static gint ett_exi = -1;
static expert_field ei_undecodable = EI_INIT, ei_failed = EI_INIT, ei_no_codec = EI_INIT;
static void *doc;     /* exi_doc_max_size() bytes: dissection runs one message at a time */
static size_t doc_size;

void v2g_exi_register(void)
{
    static hf_register_info hf[] = {
        {&hf_exi, {"EXI", "v2g.exi", FT_BYTES, BASE_NONE, NULL, 0, "The EXI stream (V2GTP payload)", HFILL}},
        {&hf_message, {"Message", "v2g.message", FT_STRING, BASE_NONE, NULL, 0,
                       "Body element (DIN, ISO-2) or root element (SupportedAppProtocol, ISO-20)", HFILL}},
        {&hf_codec, {"Schema", "v2g.schema", FT_STRING, BASE_NONE, NULL, 0, "Codec that decoded the message",
                     HFILL}},
        {&hf_error, {"EXI error", "v2g.exi_error", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_error_bit, {"EXI error at bit", "v2g.exi_error_bit", FT_UINT32, BASE_DEC, NULL, 0,
                         "Bit offset in the EXI stream where decoding stopped", HFILL}},
    };
    static gint *ett[] = {&ett_exi};
    static ei_register_info ei[] = {
        {&ei_undecodable, {"v2g.exi.undecodable", PI_MALFORMED, PI_ERROR, "EXI does not decode", EXPFILL}},
        {&ei_failed, {"v2g.response_code.failed", PI_RESPONSE_CODE, PI_WARN, "FAILED response code", EXPFILL}},
        {&ei_no_codec, {"v2g.exi.no_codec", PI_UNDECODED, PI_NOTE, "No codec for this V2GTP payload type",
                        EXPFILL}},
    };
    v2g_register(hf, G_N_ELEMENTS(hf), ett, G_N_ELEMENTS(ett), ei, G_N_ELEMENTS(ei));
    doc_size = exi_doc_max_size();
    doc = g_malloc(doc_size);
}

static void show_error(const struct exi_proto *p, const struct exi_error *err, packet_info *pinfo,
                       proto_tree *tree, tvbuff_t *tvb)
{
    char msg[1024];
    exi_text_describe_error(p, err, msg, sizeof msg);
    proto_item *pi = proto_tree_add_string(tree, hf_error, tvb, 0, -1, msg);
    expert_add_info_format(pinfo, pi, &ei_undecodable, "EXI does not decode as %s: %s", p->meta->title, msg);
    proto_item_set_generated(proto_tree_add_uint(tree, hf_error_bit, tvb, 0, 0, (guint32)err->bit_offset));
    col_append_sep_fstr(pinfo->cinfo, COL_INFO, ", ", "undecodable %s EXI", p->name);
}

void v2g_exi_dissect(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, uint16_t payload_type)
{
    guint len = tvb_captured_length(tvb);
    const guint8 *bytes = tvb_get_ptr(tvb, 0, len);
    v2g_conn *c = v2g_conn_get(pinfo);
    v2g_msg *m = v2g_msg_get(pinfo);
    const struct exi_proto *used;
    exi_msg_class cls;
    struct exi_error err = {0};
    int rc;
    v2g_facts facts = {0};
    int first = !m;
    if (first) { /* the handshake state moves on with this message (a copy of it after the first pass) */
        exi_hs copy, *hs = v2g_conn_hs(c);
        if (PINFO_FD_VISITED(pinfo)) {
            copy = *hs;
            hs = &copy;
        }
        rc = exi_hs_decode(hs, payload_type, bytes, len, v2g_conn_from_client(c, pinfo), doc, &used, &cls, &err);
        if (used && !rc)
            v2g_facts_get(used, doc, &facts);
        m = v2g_msg_analyse(c, pinfo, payload_type, tvb, used, cls, used && !rc ? &facts : NULL);
    }
    used = v2g_msg_codec(m);
    if (!first)
        rc = used ? exi_decode_ex(used->codec, bytes, len, doc, &err) : 0;
    proto_item *exi = proto_tree_add_item(tree, hf_exi, tvb, 0, -1, ENC_NA);
    proto_tree *sub = proto_item_add_subtree(exi, ett_exi);
    proto_item *at = exi;
    if (!used) {
        expert_add_info_format(pinfo, exi, &ei_no_codec, "No codec for V2GTP payload type 0x%04x", payload_type);
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, ", ", "V2GTP 0x%04x", payload_type);
    } else if (rc) {
        show_error(used, &err, pinfo, sub, tvb);
    } else {
        v2g_facts_get(used, doc, &facts);
        proto_item_set_generated(proto_tree_add_string(sub, hf_message, tvb, 0, -1, facts.name));
        proto_item_set_generated(proto_tree_add_string(sub, hf_codec, tvb, 0, -1, used->name));
        at = v2g_tree_add(v2g_codec_of(used), doc, tree, tvb, 0, (int)len);
        v2g_sig_show(used, doc, pinfo, proto_item_get_subtree(at), tvb);
        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", facts.name);
        if (facts.code && !g_ascii_strncasecmp(facts.code, "FAILED", 6)) {
            col_append_fstr(pinfo->cinfo, COL_INFO, " %s", facts.code);
            expert_add_info_format(pinfo, at, &ei_failed, "%s: ResponseCode %s", facts.name, facts.code);
        }
    }
    v2g_msg_show(m, pinfo, tree, at, tvb);
}
