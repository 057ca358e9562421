/* libFuzzer target: PIB files (flat images, NVM chains) on hostile bytes, through hpgp_pib_extent (the length a
 * file's head claims) and hpgp_pib_open. Whatever opens must claim its own size, give its fields, and after a
 * role change (which re-seals every checksum) open again at the same place. */
#include <string.h>

#include "ccsplc/core/pib.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t copy[1 << 20];
    hpgp_pib_view v, w;
    size_t total = 0;
    int extent = hpgp_pib_extent(data, size, &total);
    if (size > sizeof copy || hpgp_pib_open(data, size, &v) != 0)
        return 0;
    FUZZ_CHECK(extent == 0 && total == size); /* a reader that trusts the head stops exactly at the end */
    FUZZ_CHECK(v.off <= size && v.len <= size - v.off);
    hpgp_pib_fields fl;
    hpgp_pib_get(data, &v, &fl);
    FUZZ_CHECK(fl.hfid[HPGP_PIB_HFID_LEN] == 0);
    memcpy(copy, data, size);
    if (hpgp_pib_set_role(copy, &v, (data[size - 1] & 1) ? HPGP_PIB_ROLE_PEV : HPGP_PIB_ROLE_EVSE) != 0)
        return 0;
    FUZZ_CHECK(hpgp_pib_open(copy, size, &w) == 0);
    FUZZ_CHECK(w.form == v.form && w.off == v.off && w.len == v.len);
    return 0;
}
