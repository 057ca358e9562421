/* ccs_random_fn from getrandom(2). */
#include "ccsplc/linux/random.h"

#include <errno.h>
#include <sys/random.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/log.h"

int ccs_random_getrandom(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = getrandom(out, len, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            LOG_E("getrandom failed: no randomness for keys");
            return CCS_ERANDOM;   /* the caller stops: keys must never silently be predictable */
        }
        out += n;
        len -= (size_t)n;
    }
    return 0;
}
