/* The station records of VS_NW_INFO.CNF (MMV 1): 0 MAC(6), 6 TEI, 7 reserved(3), 10 BDA(6), 16 AVGTX(2),
 * 18 coupling, 19 reserved, 20 AVGRX(2), 22 reserved(2), as open-plc-utils' NetInfo2 and tshark read them. */
#include <string.h>

#include "ccsplc/core/hpgp.h"
#include "wire.h"

void hpgp_nw_sta_put(uint8_t rec[HPGP_NW_STA_LEN], const hpgp_nw_sta *s)
{
    memset(rec, 0, HPGP_NW_STA_LEN);
    memcpy(rec, s->mac, 6);
    rec[6] = s->tei;
    memcpy(rec + 10, s->bda, 6);
    wire_put_le16(rec + 16, s->tx_mbps);
    wire_put_le16(rec + 20, s->rx_mbps);
}
