/* Internals of the ccsplc Wireshark plugin shared between its files: the protocol, the fields generated from the
 * codec tables, the transport entry points and the per-connection analysis. */
#ifndef CCS_WS_V2G_H
#define CCS_WS_V2G_H

#include <epan/expert.h>
#include <epan/packet.h>

#include "ccsplc/tools/exi_schema.h"
#include "ccsplc/tools/exi_text.h"

extern int proto_v2g;
extern expert_module_t *v2g_expert;
extern gboolean v2g_pref_performance; /* check V2G_SECC_Msg_Performance_Time (v2g_timing) */

/* Register an array of fields, subtrees or expert items of the plugin (sizes in elements). */
void v2g_register(hf_register_info *hf, int nhf, gint **ett, int nett, ei_register_info *ei, int nei);

/* ---- fields.c: one field per element path of every message, built from the codec tables at start-up ---- */
typedef struct v2g_node v2g_node;
struct v2g_node {
    int hf;                /* -1: an element shown as its children only (V2G_Message, Body) */
    uint16_t field;        /* the element: index into the codec's fields */
    uint8_t ft;            /* enum ftenum of hf */
    uint8_t scaled;        /* PhysicalValueType / RationalNumberType: hf is the scaled value (FT_DOUBLE) */
    v2g_node **kids;       /* complex: one per field of the element's type, in table order */
};

typedef struct {
    const struct exi_proto *p;
    const char *filter;    /* "v2g.din" */
    int hf;                /* the document: FT_NONE "DIN 70121" */
    v2g_node *root;        /* the document type (shown as its root element's children) */
    gint *ett;             /* subtree per type */
} v2g_codec;

void v2g_fields_register(void);
const v2g_codec *v2g_codec_of(const struct exi_proto *p);

/* ---- tree.c: a decoded document as tree items over the EXI bytes [off, off + len) ---- */
proto_item *v2g_tree_add(const v2g_codec *c, const void *doc, proto_tree *tree, tvbuff_t *tvb, int off, int len);

/* ---- facts.c: what the analysis reads from a decoded document ---- */
typedef struct {
    const char *name;      /* message: body element (DIN, ISO-2) or root element */
    const char *code;      /* its ResponseCode literal, or NULL */
    const uint8_t *sid;    /* the header's SessionID, or NULL */
    size_t sid_len;
    int request, response; /* the name ends in Req / Res */
} v2g_facts;
void v2g_facts_get(const struct exi_proto *p, const void *doc, v2g_facts *out);

/* ---- v2gtp.c: V2GTP over TCP, TLS and UDP (SDP); exi.c: its EXI payloads ---- */
void v2gtp_register(void);
void v2gtp_handoff(void);
void v2g_exi_register(void);
/* One EXI message (payload type, EXI bytes in tvb) of a TCP connection. */
void v2g_exi_dissect(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, uint16_t payload_type);
/* An SDP response named the charger's TCP server: V2GTP (tls: TLS) is expected there from this frame on. */
void v2gtp_expect_server(packet_info *pinfo, const address *addr, uint16_t port, int tls);

/* ---- session.c: per connection and per message analysis (first pass), its fields and expert items ---- */
typedef struct v2g_conn v2g_conn;
typedef struct v2g_msg v2g_msg;
void v2g_session_register(void);
v2g_conn *v2g_conn_get(packet_info *pinfo);
exi_hs *v2g_conn_hs(v2g_conn *c);
/* 1 when the message of this frame travels from the TCP client (the car). */
int v2g_conn_from_client(v2g_conn *c, packet_info *pinfo);
/* The message's analysis: made on the first pass (NULL then: call v2g_msg_analyse, which after the first pass
 * gives one that only names the codec), kept for later passes. */
v2g_msg *v2g_msg_get(packet_info *pinfo);
v2g_msg *v2g_msg_analyse(v2g_conn *c, packet_info *pinfo, uint16_t payload_type, tvbuff_t *payload,
                         const struct exi_proto *used, exi_msg_class cls, const v2g_facts *facts);
const struct exi_proto *v2g_msg_codec(const v2g_msg *m);
/* Items and expert info of the analysis under tree (the message item is `at`). */
void v2g_msg_show(const v2g_msg *m, packet_info *pinfo, proto_tree *tree, proto_item *at, tvbuff_t *tvb);

/* ---- sig.c: signature digests of a decoded message, as items under tree ---- */
void v2g_sig_register(void);
void v2g_sig_show(const struct exi_proto *p, const void *doc, packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb);

/* ---- slac.c: the RunID rule of ISO 15118-3 on HomePlug frames ---- */
void v2g_slac_register(void);

#endif
