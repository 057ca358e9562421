/* Why a session of `ccsplc evse` / `ccsplc pev` stopped, in words for logs and the result: a refused message
 * with the decoder's reason and bit position, an expired timer by its name in the standard. */
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/tools/exi_text.h"
#include "ccsplc/linux/log.h"
#include "live.h"

const char *live_bad_text(const sess_bad_msg *b, const sess_proto *proto)
{
    static char t[512];
    const char *codec = sess_codec_name(proto, b->payload_type);
    int n = snprintf(t, sizeof t, "%s %s message (V2GTP 0x%04x, %zu bytes)", b->what ? b->what : "refused",
                     codec ? codec : sess_proto_name(proto), b->payload_type, b->len);
    const struct exi_proto *x = codec ? exi_proto_find(codec) : NULL;
    if (b->exi.code && n > 0 && (size_t)n < sizeof t) {
        if (x) {
            memcpy(t + n, ": ", 3);
            exi_text_describe_error(x, &b->exi, t + n + 2, sizeof t - (size_t)n - 2);
        } else {
            snprintf(t + n, sizeof t - (size_t)n, ": %s at bit %zu", ccs_strerror(b->exi.code), b->exi.bit_offset);
        }
    }
    return t;
}

const char *live_stop_text(sess_stop_reason stop, const sess_bad_msg *bad, const char *timer, const sess_proto *proto)
{
    static char t[640];
    if (stop == SESS_STOP_BAD_MESSAGE && bad->what)
        snprintf(t, sizeof t, "%s (%s)", sess_stop_name(stop), live_bad_text(bad, proto));
    else if (stop == SESS_STOP_TIMEOUT && timer)
        snprintf(t, sizeof t, "%s (%s)", sess_stop_name(stop), timer);
    else
        snprintf(t, sizeof t, "%s", sess_stop_name(stop));
    return t;
}

void live_log_rx(const char *name, const sess_bad_msg *bad, const sess_proto *proto, const char *tag)
{
    if (bad) LOG_W("v2g: < %s refused%s: %s", name ? name : "message", tag, live_bad_text(bad, proto));
    else LOG_D("v2g: < %s%s", name ? name : "? (after the session's end)", tag);
}
