/* Entry points of the ccsplc Wireshark plugin (Wireshark 4.0 epan API): the V2G protocol, its preferences, and the
 * registration of every part (fields from the codec tables, transport, analysis, SLAC check). */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/prefs.h>
#include <epan/proto.h>

#include "v2g.h"

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = CCS_PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
WS_DLL_PUBLIC void plugin_register(void);

int proto_v2g = -1;
expert_module_t *v2g_expert;
gboolean v2g_pref_performance = TRUE;

void v2g_register(hf_register_info *hf, int nhf, gint **ett, int nett, ei_register_info *ei, int nei)
{
    if (nhf)
        proto_register_field_array(proto_v2g, hf, nhf);
    if (nett)
        proto_register_subtree_array(ett, nett);
    if (nei)
        expert_register_field_array(v2g_expert, ei, nei);
}

static void register_v2g(void)
{
    proto_v2g = proto_register_protocol("Vehicle-to-Grid: V2GTP, SDP, DIN 70121, ISO 15118-2/-20 (ccsplc)", "V2G",
                                        "v2g");
    v2g_expert = expert_register_protocol(proto_v2g);
    module_t *module = prefs_register_protocol(proto_v2g, NULL);
    prefs_register_bool_preference(module, "check_performance_time", "Check V2G_SECC_Msg_Performance_Time",
                                   "Flag (as a note) responses later than the charger's performance time of DIN "
                                   "70121 Table 75, ISO 15118-2 Table 109, ISO 15118-20 Tables 216-218 (mostly 1.5 s, "
                                   "CurrentDemandRes 25 ms, charge loops 250 ms). Responses later than the car's "
                                   "V2G_EVCC_Msg_Timeout are always flagged (as a warning).",
                                   &v2g_pref_performance);
    v2g_fields_register();
    v2gtp_register();
    v2g_exi_register();
    v2g_session_register();
    v2g_sig_register();
    v2g_slac_register();
}

static void handoff_v2g(void)
{
    v2gtp_handoff();
}

void plugin_register(void)
{
    static proto_plugin plug;
    plug.register_protoinfo = register_v2g;
    plug.register_handoff = handoff_v2g;
    proto_register_plugin(&plug);
}
