/* The MQTT backend's client over libmosquitto: a network thread of its own (connect, reconnect, receive), the
 * session's loop only publishes (non-blocking) and copies what arrived. Never on the safety path: link_ok stays 1
 * whatever the broker does. */
#include <mosquitto.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccsplc/linux/hw_mqtt.h"
#include "ccsplc/linux/hw_backends.h"
#include "ccsplc/linux/log.h"

const int hw_mqtt_built = 1;

struct hw_mqtt {
    hw_mqtt_config cfg;
    struct mosquitto *mosq;
    pthread_mutex_t mu;
    /* shared with the network thread, under mu */
    hw_mqtt_in in;
    int connected;
    unsigned connects;
    int refused;               /* the broker's CONNACK code when it refused */
    int told_refused;
    hw_mqtt_in told;           /* the commands as last logged */
    /* the session's thread only */
    int up;                    /* connected as last logged */
    unsigned seen_connects;
    int resend;                /* after a (re)connect: every level and status again */
    int sent_any;
    hw_cmd sent;
    hw_report rsent;
    char evccid[13];
    uint32_t status_at;
    int status_any;
};

static void on_connect(struct mosquitto *mosq, void *ctx, int rc)
{
    hw_mqtt *m = ctx;
    const char *subs[12];
    char topic[HW_MQTT_TOPIC_MAX + 24];
    if (rc) {
        pthread_mutex_lock(&m->mu);
        m->refused = rc;
        pthread_mutex_unlock(&m->mu);
        return;
    }
    size_t n = hw_mqtt_subscriptions(&m->cfg, subs, 12);
    for (size_t i = 0; i < n; i++) {
        snprintf(topic, sizeof topic, "%s/%s", m->cfg.topic, subs[i]);
        mosquitto_subscribe(mosq, NULL, topic, 0);
    }
    pthread_mutex_lock(&m->mu);
    m->connected = 1;
    m->connects++;
    pthread_mutex_unlock(&m->mu);
}

static void on_disconnect(struct mosquitto *mosq, void *ctx, int rc)
{
    (void)mosq;
    (void)rc;
    hw_mqtt *m = ctx;
    pthread_mutex_lock(&m->mu);
    m->connected = 0;
    pthread_mutex_unlock(&m->mu);
}

static void on_message(struct mosquitto *mosq, void *ctx, const struct mosquitto_message *msg)
{
    (void)mosq;
    hw_mqtt *m = ctx;
    if (!msg->topic || msg->payloadlen < 0) return;
    pthread_mutex_lock(&m->mu);
    hw_mqtt_input(&m->cfg, &m->in, msg->topic, msg->payload, (size_t)msg->payloadlen);
    pthread_mutex_unlock(&m->mu);
}

hw_mqtt *hw_mqtt_open(const hw_mqtt_config *c)
{
    static int lib_ready;
    char id[48];
    if (!lib_ready) {
        mosquitto_lib_init();
        lib_ready = 1;
    }
    hw_mqtt *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->cfg = *c;
    if (!m->cfg.port) m->cfg.port = HW_MQTT_PORT;
    pthread_mutex_init(&m->mu, NULL);
    snprintf(id, sizeof id, "ccsplc-%s-%ld", c->role == HW_CAR ? "pev" : "evse", (long)getpid());
    m->mosq = mosquitto_new(id, true, m);
    if (!m->mosq) {
        LOG_E("mqtt: cannot create the client");
        free(m);
        return NULL;
    }
    mosquitto_connect_callback_set(m->mosq, on_connect);
    mosquitto_disconnect_callback_set(m->mosq, on_disconnect);
    mosquitto_message_callback_set(m->mosq, on_message);
    mosquitto_reconnect_delay_set(m->mosq, 1, 4, false);
    /* a broker that is not there yet is no error: the network thread keeps trying */
    int rc = mosquitto_connect_async(m->mosq, m->cfg.broker, (int)m->cfg.port, HW_MQTT_KEEPALIVE_S);
    if (rc != MOSQ_ERR_SUCCESS)
        LOG_W("mqtt: broker %s:%u: %s; retrying in the background", m->cfg.broker, m->cfg.port,
              mosquitto_strerror(rc));
    /* the network thread takes no signal: they stay the session loop's (its signalfd and safe stop), never a
     * default action in this thread that would end the process with the contactors closed */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int started = mosquitto_loop_start(m->mosq);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (started != MOSQ_ERR_SUCCESS) {
        LOG_E("mqtt: cannot start the network thread");
        mosquitto_destroy(m->mosq);
        free(m);
        return NULL;
    }
    LOG_I("mqtt: broker %s:%u, topic %s/...", m->cfg.broker, m->cfg.port, m->cfg.topic);
    return m;
}

static void publish(hw_mqtt *m, const hw_mqtt_msg *msg, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mosquitto_publish(m->mosq, NULL, msg[i].topic, (int)strlen(msg[i].payload), msg[i].payload, 0, false);
}

/* Connection changes, said on the session's thread. */
static void watch(hw_mqtt *m, int connected, unsigned connects, int refused)
{
    if (connects != m->seen_connects) {
        LOG_I("mqtt: connected to %s:%u%s", m->cfg.broker, m->cfg.port, m->seen_connects ? " again" : "");
        m->seen_connects = connects;
        m->resend = 1;
    }
    if (m->up && !connected)
        LOG_W("mqtt: broker %s:%u lost: the session goes on; reconnecting", m->cfg.broker, m->cfg.port);
    if (refused && refused != m->told_refused) {
        LOG_W("mqtt: broker %s:%u refused the connection: %s", m->cfg.broker, m->cfg.port,
              mosquitto_connack_string(refused));
        m->told_refused = refused;
    }
    m->up = connected;
}

static void apply(void *ctx, const hw_cmd *cmd, uint32_t now)
{
    (void)now;
    hw_mqtt *m = ctx;
    hw_mqtt_msg msg[4];
    pthread_mutex_lock(&m->mu);
    int connected = m->connected, refused = m->refused;
    unsigned connects = m->connects;
    pthread_mutex_unlock(&m->mu);
    watch(m, connected, connects, refused);
    if (!connected) return;   /* the levels go out again on the reconnect */
    size_t n = hw_mqtt_levels(&m->cfg, cmd, &m->sent, !m->sent_any || m->resend, msg, 4);
    publish(m, msg, n);
    m->sent = *cmd;
    m->sent_any = 1;
}

static void sense(void *ctx, hw_meas *meas, uint32_t now)
{
    (void)now;
    hw_mqtt *m = ctx;
    pthread_mutex_lock(&m->mu);
    hw_mqtt_in in = m->in;
    pthread_mutex_unlock(&m->mu);
    if (in.stop && !m->told.stop) LOG_I("mqtt: %s/command: stop: the charge ends", m->cfg.topic);
    if (in.estop && !m->told.estop) LOG_W("mqtt: %s/command: emergency stop", m->cfg.topic);
    if (in.max_a != m->told.max_a) LOG_I("mqtt: current limit %.1f A (0: none)", (double)in.max_a);
    m->told = in;
    meas->link_ok = 1;   /* never on the safety path */
    meas->stop_request = in.stop;
    meas->estop = in.estop;
    meas->max_a = in.max_a;
    if (in.has_present) {
        meas->has_present = 1;
        meas->present_v = in.present_v;
        meas->present_a = in.present_a;
    }
}

void hw_mqtt_backend(hw_mqtt *m, hw_backend *b) { *b = (hw_backend){ "mqtt", m, apply, sense }; }

void hw_mqtt_reset(hw_mqtt *m)
{
    pthread_mutex_lock(&m->mu);
    m->in.stop = m->in.estop = 0;
    pthread_mutex_unlock(&m->mu);
}

void hw_mqtt_report(hw_mqtt *m, const hw_report *r, uint32_t now)
{
    hw_mqtt_msg msg[12];
    pthread_mutex_lock(&m->mu);
    int connected = m->connected;
    pthread_mutex_unlock(&m->mu);
    if (!connected) return;
    int due = !m->status_any || now - m->status_at >= HW_MQTT_STATUS_MS;
    size_t n = hw_mqtt_status(&m->cfg, r, &m->rsent, due, !m->status_any || m->resend, msg, 12);
    publish(m, msg, n);
    m->resend = 0;
    m->rsent = *r;
    if (due) m->status_at = now;
    m->status_any = 1;
}

void hw_mqtt_close(hw_mqtt *m)
{
    if (!m) return;
    pthread_mutex_lock(&m->mu);
    int connected = m->connected;
    pthread_mutex_unlock(&m->mu);
    /* connected: the network thread sends what is queued (the last levels: relay off, CP B, unlock), then the
     * DISCONNECT, and ends; else it is stopped where it waits */
    mosquitto_disconnect(m->mosq);
    mosquitto_loop_stop(m->mosq, !connected);
    mosquitto_destroy(m->mosq);
    pthread_mutex_destroy(&m->mu);
    free(m);
}
