/* IPv6 link-local helpers: fe80::/10 test, EUI-64 address from a MAC and back, ff02::1, text format and parse. */
#include "ccsplc/core/errors.h"
#include "ccsplc/core/ipv6.h"

const uint8_t ipv6_all_nodes[IPV6_ADDR_LEN] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

int ipv6_is_link_local(const uint8_t addr[IPV6_ADDR_LEN]) { return addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80; }

void ipv6_link_local_from_mac(const uint8_t mac[6], uint8_t out[IPV6_ADDR_LEN])
{
    static const uint8_t prefix[8] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 8; i++) out[i] = prefix[i];
    out[8] = mac[0] ^ 0x02; /* universal/local bit */
    out[9] = mac[1];
    out[10] = mac[2];
    out[11] = 0xff;
    out[12] = 0xfe;
    out[13] = mac[3];
    out[14] = mac[4];
    out[15] = mac[5];
}

int ipv6_mac_from_link_local(const uint8_t addr[IPV6_ADDR_LEN], uint8_t mac[6])
{
    if (!ipv6_is_link_local(addr) || addr[11] != 0xff || addr[12] != 0xfe) return CCS_ENOTFOUND;
    mac[0] = addr[8] ^ 0x02;
    mac[1] = addr[9];
    mac[2] = addr[10];
    mac[3] = addr[13];
    mac[4] = addr[14];
    mac[5] = addr[15];
    return 0;
}

static unsigned group(const uint8_t *a, int i) { return (unsigned)a[2 * i] << 8 | a[2 * i + 1]; }

int ipv6_format(const uint8_t addr[IPV6_ADDR_LEN], char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    int best = -1, best_len = 1; /* a single zero group is never shortened */
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && group(addr, j) == 0) j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    char tmp[IPV6_TEXT_MAX];
    size_t n = 0;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            tmp[n++] = ':';
            if (i == 0) tmp[n++] = ':';
            i += best_len - 1;
            continue;
        }
        unsigned g = group(addr, i);
        int started = 0;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned d = g >> shift & 0xf;
            if (d || started || shift == 0) {
                tmp[n++] = hex[d];
                started = 1;
            }
        }
        if (i < 7) tmp[n++] = ':';
    }
    if (n + 1 > cap) return CCS_ENOSPC;
    for (size_t i = 0; i < n; i++) buf[i] = tmp[i];
    buf[n] = 0;
    return (int)n;
}

static int hexdigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int ipv6_parse(const char *text, size_t len, uint8_t out[IPV6_ADDR_LEN])
{
    unsigned groups[8];
    int n = 0, gap = -1;
    size_t i = 0;
    if (len >= 2 && text[0] == ':' && text[1] == ':') {
        gap = 0;
        i = 2;
    }
    while (i < len) {
        unsigned g = 0;
        size_t digits = 0;
        int d;
        while (i < len && digits < 5 && (d = hexdigit(text[i])) >= 0) {
            g = g << 4 | (unsigned)d;
            digits++;
            i++;
        }
        if (digits == 0 || digits > 4 || n == 8) return CCS_ESYNTAX;
        groups[n++] = g;
        if (i == len) break;
        if (text[i++] != ':' || i == len) return CCS_ESYNTAX;
        if (text[i] == ':') {
            if (gap >= 0) return CCS_ESYNTAX;
            gap = n;
            i++;
        }
    }
    if (gap < 0 ? n != 8 : n > 7) return CCS_ESYNTAX;
    int zeros = 8 - n, k = 0;
    for (int j = 0; j < 8; j++) {
        unsigned g = gap >= 0 && j >= gap && j < gap + zeros ? 0 : groups[k++];
        out[2 * j] = (uint8_t)(g >> 8);
        out[2 * j + 1] = (uint8_t)g;
    }
    return 0;
}
