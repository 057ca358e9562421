/* ISO 15118-20 options of `ccsplc evse` / `ccsplc pev` (docs/config.md): the value-added services offered or
 * wanted (--vas, [evse]/[pev] vas) and the car's control mode (--control-mode, [pev] control_mode). */
#include <string.h>
#include <strings.h>

#include "ccsplc/core/sess.h"
#include "live.h"

/* "none" or a comma-separated list of: internet. */
int live_vas_parse(const char *s, uint8_t *out)
{
    static const struct {
        const char *name;
        uint8_t bit;
    } vas[] = { { "internet", SESS_VAS_INTERNET } };
    uint8_t bits = 0;
    if (!strcasecmp(s, "none")) return *out = 0, 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        size_t i = 0;
        while (i < sizeof vas / sizeof vas[0] && (strlen(vas[i].name) != n || strncasecmp(s, vas[i].name, n))) i++;
        if (i == sizeof vas / sizeof vas[0]) return -1;
        bits |= vas[i].bit;
        s += n + (s[n] == ',');
    }
    *out = bits;
    return 0;
}

/* dynamic or scheduled. */
int live_control_parse(const char *s, uint8_t *out)
{
    if (!strcasecmp(s, "dynamic")) return *out = SESS_CONTROL_DYNAMIC, 0;
    if (!strcasecmp(s, "scheduled")) return *out = SESS_CONTROL_SCHEDULED, 0;
    return -1;
}
