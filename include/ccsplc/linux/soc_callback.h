/* pyPLC's SoC callback (soc_callback_enabled, soc_callback_endpoint): the charger posts what the car said about
 * its battery to an HTTP endpoint, as pyPLC does: POST <endpoint>?current_soc=&full_soc=&energy_capacity=
 * &energy_request=&evccid= (Wh, -1 where the car said nothing). Off the session's loop: a worker thread posts. */
#ifndef CCSPLC_LINUX_SOC_CALLBACK_H
#define CCSPLC_LINUX_SOC_CALLBACK_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/linux/hw_report.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SOC_CALLBACK_MIN_MS 1000u      /* at most one post a second */
#define SOC_CALLBACK_TIMEOUT_S 5L      /* a post that takes longer is abandoned */

typedef struct {
    char endpoint[256];                /* soc_callback_endpoint, without a trailing slash */
    float fallback_capacity_wh;        /* soc_fallback_energy_capacity x 10 (pyPLC's unit): for a car that says none */
} soc_callback_config;

/* The URL for a report (sans-I/O, soc_callback_url.c): 0, or CCS_ERANGE when it does not fit. */
int soc_callback_url(const soc_callback_config *c, const hw_report *r, char *out, size_t cap);
/* 1 when a report differs from the last posted one in what the callback carries. */
int soc_callback_changed(const hw_report *r, const hw_report *last);

/* The poster (src/backends/soc_callback.c, with libcurl). NULL when libcurl is missing from this build or
 * out of memory (logged). */
typedef struct soc_callback soc_callback;
soc_callback *soc_callback_open(const soc_callback_config *c);
/* Every step: posts (in the background) when the car's values changed and the last post is SOC_CALLBACK_MIN_MS
 * ago; a post still running is not waited for (the newest values wait for it). */
void soc_callback_report(soc_callback *s, const hw_report *r, uint32_t now_ms);
void soc_callback_close(soc_callback *s);

#ifdef __cplusplus
}
#endif

#endif
