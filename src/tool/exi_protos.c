/* The registry of generated EXI codecs, by command-line name. */
#include <string.h>

#include "ccsplc/tools/exi_text.h"
#include "ccsplc/core/gen/app.h"
#include "ccsplc/core/gen/din.h"
#include "ccsplc/core/gen/iso2.h"
#include "ccsplc/core/gen/iso20.h"
#include "ccsplc/core/gen/iso20_ac.h"
#include "ccsplc/core/gen/iso20_acdp.h"
#include "ccsplc/core/gen/iso20_dc.h"
#include "ccsplc/core/gen/iso20_wpt.h"

const struct exi_proto exi_protos[] = {
    {"app", &app_codec, &app_meta, sizeof(struct app_exiDocument)},
    {"din", &din_codec, &din_meta, sizeof(struct din_exiDocument)},
    {"iso2", &iso2_codec, &iso2_meta, sizeof(struct iso2_exiDocument)},
    {"iso20-common", &iso20_codec, &iso20_meta, sizeof(struct iso20_exiDocument)},
    {"iso20-dc", &iso20_dc_codec, &iso20_dc_meta, sizeof(struct iso20_dc_exiDocument)},
    {"iso20-ac", &iso20_ac_codec, &iso20_ac_meta, sizeof(struct iso20_ac_exiDocument)},
    {"iso20-acdp", &iso20_acdp_codec, &iso20_acdp_meta, sizeof(struct iso20_acdp_exiDocument)},
    {"iso20-wpt", &iso20_wpt_codec, &iso20_wpt_meta, sizeof(struct iso20_wpt_exiDocument)},
};
const size_t exi_nprotos = sizeof exi_protos / sizeof exi_protos[0];

const struct exi_proto *exi_proto_find(const char *name)
{
    for (size_t i = 0; i < exi_nprotos; i++)
        if (!strcmp(exi_protos[i].name, name))
            return &exi_protos[i];
    return NULL;
}
