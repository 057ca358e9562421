/* pyPLC's SoC callback with libcurl: a worker thread posts the newest pending URL (an empty POST, bounded by
 * SOC_CALLBACK_TIMEOUT_S); the session's loop only hands it over. */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/linux/hw_backends.h"
#include "ccsplc/linux/log.h"
#include "ccsplc/linux/soc_callback.h"

const int soc_callback_built = 1;

struct soc_callback {
    soc_callback_config cfg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char pending[768];         /* the next URL to post, "" none (under mu) */
    int quit;                  /* under mu */
    long last_status;          /* the last post's HTTP status, -1: failed (under mu) */
    unsigned posted;           /* under mu */
    /* the session's thread */
    hw_report last;
    int any;
    uint32_t at;
    long told_status;
};

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p, (void)ctx;
    return size * n;
}

static long post(const char *url)
{
    long status = -1;
    CURL *c = curl_easy_init();
    if (!c) return -1;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, SOC_CALLBACK_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    return status;
}

static void *worker(void *ctx)
{
    soc_callback *s = ctx;
    char url[sizeof s->pending];
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->quit && !*s->pending) pthread_cond_wait(&s->cv, &s->mu);
        if (!*s->pending) break;   /* quit, nothing left to post */
        memcpy(url, s->pending, sizeof url);
        *s->pending = 0;
        pthread_mutex_unlock(&s->mu);
        long status = post(url);
        pthread_mutex_lock(&s->mu);
        s->last_status = status;
        s->posted++;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

soc_callback *soc_callback_open(const soc_callback_config *c)
{
    static int lib_ready;
    if (!lib_ready) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        lib_ready = 1;
    }
    soc_callback *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->cfg = *c;
    s->told_status = 200;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    sigset_t all, old;   /* the worker takes no signal: they stay the session loop's (as the MQTT thread) */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int failed = pthread_create(&s->thread, NULL, worker, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (failed) {
        LOG_E("soc callback: cannot start its thread");
        free(s);
        return NULL;
    }
    LOG_I("soc callback: %s", c->endpoint);
    return s;
}

void soc_callback_report(soc_callback *s, const hw_report *r, uint32_t now)
{
    char url[sizeof s->pending];
    pthread_mutex_lock(&s->mu);
    long status = s->last_status;
    unsigned posted = s->posted;
    pthread_mutex_unlock(&s->mu);
    if (posted && status != s->told_status) {
        if (status < 0) LOG_W("soc callback: %s did not answer within %ld s", s->cfg.endpoint, SOC_CALLBACK_TIMEOUT_S);
        else if (status < 200 || status > 299) LOG_W("soc callback: %s answered %ld", s->cfg.endpoint, status);
        s->told_status = status;
    }
    if (r->soc < 0 || (s->any && (!soc_callback_changed(r, &s->last) || now - s->at < SOC_CALLBACK_MIN_MS))) return;
    if (soc_callback_url(&s->cfg, r, url, sizeof url)) return;
    LOG_D("soc callback: %s", url);
    pthread_mutex_lock(&s->mu);
    memcpy(s->pending, url, sizeof url);
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    s->last = *r;
    s->any = 1;
    s->at = now;
}

void soc_callback_close(soc_callback *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->quit = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);   /* the last pending post goes out first (bounded by its timeout) */
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
