/* MAC address text forms for the CLI and logs: "02:00:00:00:00:01" both ways. */
#include <stdio.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/link.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int ccs_mac_parse(const char *text, uint8_t mac[6])
{
    if (!text || !mac) return CCS_EINVAL;
    for (int i = 0; i < 6; i++, text += 3) {
        int hi = hexval(text[0]), lo = hi < 0 ? -1 : hexval(text[1]);
        char sep = lo < 0 ? 0 : text[2];
        if (lo < 0 || (i < 5 && sep != ':' && sep != '-') || (i == 5 && sep)) return CCS_ESYNTAX;
        mac[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

const char *ccs_mac_format(const uint8_t mac[6], char out[CCS_MAC_TEXT])
{
    snprintf(out, CCS_MAC_TEXT, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return out;
}
