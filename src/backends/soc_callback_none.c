/* The SoC callback in a build without libcurl: refused by name, with the package that brings it. */
#include <stddef.h>

#include "ccsplc/linux/hw_backends.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/soc_callback.h"

const int soc_callback_built = 0;

soc_callback *soc_callback_open(const soc_callback_config *c)
{
    (void)c;
    LOG_E("soc callback: this ccsplc was built without libcurl (Debian: libcurl4-openssl-dev; configure and build "
          "again)");
    return NULL;
}
void soc_callback_report(soc_callback *s, const hw_report *r, uint32_t now_ms) { (void)s, (void)r, (void)now_ms; }
void soc_callback_close(soc_callback *s) { (void)s; }
