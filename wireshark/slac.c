/* The RunID rule of ISO 15118-3 on HomePlug AV frames (Wireshark's own homeplug-av dissector shows their fields): a
 * postdissector follows the runs with slac_watch and flags a SLAC message whose RunID is not the one of the car's
 * CM_SLAC_PARAM.REQ (the Taycan capture: the charger answered with a RunID of its own). */
#include <string.h>

#include <epan/expert.h>
#include <epan/proto.h>
#include <epan/proto_data.h>
#include <wsutil/to_str.h>

#include "ccsplc/core/slac_watch.h"
#include "v2g.h"

#define ETHERTYPE_HOMEPLUG_AV 0x88E1

typedef struct {
    int ok;                          /* 1 the run's RunID, 0 another */
    guint32 req_frame;               /* the CM_SLAC_PARAM.REQ that started the run */
    guint8 want[HPGP_RUN_ID_LEN];
} slac_info;

static int proto_slac = -1, hf_run_id = -1, hf_expected = -1, hf_param_req = -1;
static gint ett_slac = -1;
static expert_field ei_run_id = EI_INIT;
static slac_watch watch;
static guint32 run_frame;

static void reset(void)
{
    watch = (slac_watch){0};
    run_frame = 0;
}

/* The first pass follows the runs in capture order; later passes show what it found. */
static const slac_info *analyse(packet_info *pinfo, const hpgp_msg *m)
{
    slac_info *si = p_get_proto_data(wmem_file_scope(), pinfo, proto_slac, 0);
    if (si || PINFO_FD_VISITED(pinfo))
        return si;
    int r = slac_watch_msg(&watch, m);
    if (r < 0)
        return NULL;
    if (m->kind == HPGP_K_SLAC_PARAM_REQ)
        run_frame = pinfo->num;
    si = wmem_new0(wmem_file_scope(), slac_info);
    si->ok = r;
    si->req_frame = run_frame;
    memcpy(si->want, watch.run_id, HPGP_RUN_ID_LEN);
    p_add_proto_data(wmem_file_scope(), pinfo, proto_slac, 0, si);
    return si;
}

static int dissect_slac(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    (void)data;
    guint len = tvb_captured_length(tvb);
    if (len < 14 || !proto_is_frame_protocol(pinfo->layers, "homeplug-av") ||
        tvb_get_ntohs(tvb, 12) != ETHERTYPE_HOMEPLUG_AV)
        return 0;
    hpgp_msg m;
    if (hpgp_unpack(tvb_get_ptr(tvb, 0, len), len, &m) || !hpgp_run_id(&m))
        return 0;
    const slac_info *si = analyse(pinfo, &m);
    if (!si)
        return 0;
    proto_item *ti = proto_tree_add_item(tree, proto_slac, tvb, 0, 0, ENC_NA);
    proto_tree *sub = proto_item_add_subtree(ti, ett_slac);
    proto_item *ri = proto_tree_add_bytes_with_length(sub, hf_run_id, tvb, 0, 0, hpgp_run_id(&m), HPGP_RUN_ID_LEN);
    proto_item_set_generated(ri);
    proto_item_set_generated(proto_tree_add_bytes_with_length(sub, hf_expected, tvb, 0, 0, si->want,
                                                              HPGP_RUN_ID_LEN));
    if (si->req_frame != pinfo->num)
        proto_item_set_generated(proto_tree_add_uint(sub, hf_param_req, tvb, 0, 0, si->req_frame));
    proto_item_append_text(ti, si->ok ? ": RunID of the run" : ": RunID differs from the car's");
    if (!si->ok)
        expert_add_info_format(pinfo, ri, &ei_run_id, "RunID %s differs from %s of the car's CM_SLAC_PARAM.REQ in "
                               "frame %u (ISO 15118-3: every message of a SLAC run carries the car's RunID)",
                               bytes_to_str(pinfo->pool, hpgp_run_id(&m), HPGP_RUN_ID_LEN),
                               bytes_to_str(pinfo->pool, si->want, HPGP_RUN_ID_LEN), si->req_frame);
    return (int)len;
}

void v2g_slac_register(void)
{
    static hf_register_info hf[] = {
        {&hf_run_id, {"RunID", "slac.run_id", FT_BYTES, BASE_NONE, NULL, 0, "RunID this SLAC message carries",
                      HFILL}},
        {&hf_expected, {"Run's RunID", "slac.run_id_expected", FT_BYTES, BASE_NONE, NULL, 0,
                        "RunID of the car's CM_SLAC_PARAM.REQ that started the run", HFILL}},
        {&hf_param_req, {"Run started in", "slac.param_req_in", FT_FRAMENUM, BASE_NONE, NULL, 0,
                         "The car's CM_SLAC_PARAM.REQ", HFILL}},
    };
    static gint *ett[] = {&ett_slac};
    static ei_register_info ei[] = {
        {&ei_run_id, {"slac.run_id.mismatch", PI_SEQUENCE, PI_WARN, "RunID differs from the car's", EXPFILL}},
    };
    proto_slac = proto_register_protocol("SLAC RunID check (ISO 15118-3, ccsplc)", "SLAC", "slac");
    proto_register_field_array(proto_slac, hf, G_N_ELEMENTS(hf));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
    expert_register_field_array(expert_register_protocol(proto_slac), ei, G_N_ELEMENTS(ei));
    register_init_routine(reset);
    register_postdissector(create_dissector_handle(dissect_slac, proto_slac));
}
