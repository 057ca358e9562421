/* pyPLC's SoC callback URL (facts from pyPLC's evseNoGui.py): the query it posts, in Wh, -1 for what the car did
 * not say, the fallback capacity for a car that says none. No I/O here. */
#include <stdio.h>
#include <string.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/soc_callback.h"

static long wh_or_unknown(float wh) { return wh > 0.0f ? (long)(wh + 0.5f) : -1L; }

int soc_callback_url(const soc_callback_config *c, const hw_report *r, char *out, size_t cap)
{
    float capacity = r->capacity_wh > 0.0f ? r->capacity_wh : c->fallback_capacity_wh;
    int n = snprintf(out, cap, "%s?current_soc=%d&full_soc=%d&energy_capacity=%ld&energy_request=%ld&evccid=%s",
                     c->endpoint, r->soc, r->full_soc, wh_or_unknown(capacity), wh_or_unknown(r->energy_request_wh),
                     r->evccid);   /* the EVCCID is hex digits: nothing to escape */
    return n > 0 && (size_t)n < cap ? 0 : CCS_ERANGE;
}

int soc_callback_changed(const hw_report *r, const hw_report *last)
{
    return r->soc != last->soc || r->full_soc != last->full_soc || r->capacity_wh != last->capacity_wh ||
           r->energy_request_wh != last->energy_request_wh || strcmp(r->evccid, last->evccid);
}
