/* pyPLC's MQTT interface as a hardware backend (docs/hardware.md): the car's levels (cpstate, relay_request,
 * lock_request), the session's status (fsm_state, soc, evccid, battery_capacity) and the charge-parameter topics
 * published under mqtt_topic; a command topic (stop, a current limit, an emergency stop) and pyPLC's input
 * topics read. Never on the safety path: a lost broker leaves the session running; the client reconnects. */
#ifndef CCSPLC_LINUX_HW_MQTT_H
#define CCSPLC_LINUX_HW_MQTT_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/hw.h"
#include "ccsplc/linux/hw_report.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HW_MQTT_PORT 1883u             /* pyPLC connects to port 1883 */
#define HW_MQTT_STATUS_MS 1000u        /* pyPLC publishes fsm_state/soc and the power targets at most once a second */
#define HW_MQTT_KEEPALIVE_S 10u        /* a broker gone silent is noticed within 1.5 x this */
#define HW_MQTT_TOPIC_MAX 64u
#define HW_MQTT_PAYLOAD_MAX 48u

typedef struct {
    char broker[128];                  /* mqtt_broker: host name or address */
    unsigned port;                     /* mqtt_port (ours; pyPLC: always 1883) */
    char topic[HW_MQTT_TOPIC_MAX];     /* mqtt_topic: the base topic ("pyPlc") */
    hw_role role;
    int levels;                        /* digital_output_device = mqtt: publish the car's CP, relay and lock */
    int params;                        /* charge_parameter_backend = mqtt: the charge-parameter topics */
} hw_mqtt_config;

/* What was received (sans-I/O, hw_mqtt_map.c). */
typedef struct {
    uint8_t stop;                      /* command "stop", or pyPLC's enabled = 0: end the charge gracefully */
    uint8_t estop;                     /* command "emergency_stop" (ours): a fault, latched until the next plug-in */
    float max_a;                       /* command "max_current=A"; charger: charger_max_current (0: none) */
    uint8_t has_present;               /* charger with params: charger_voltage / charger_current (the power supply's
                                        * measured output) */
    float present_v, present_a;
    uint32_t messages, ignored;        /* accepted; malformed or not ours */
} hw_mqtt_in;

typedef struct {
    char topic[HW_MQTT_TOPIC_MAX + 24];
    char payload[HW_MQTT_PAYLOAD_MAX];
} hw_mqtt_msg;

/* The topic suffixes this side subscribes to (NULL-terminated: "command", "enabled", the charge parameters). */
size_t hw_mqtt_subscriptions(const hw_mqtt_config *c, const char **out, size_t cap);
/* The car's level topics that changed since sent (all: every one), as pyPLC publishes them: cpstate B/C,
 * relay_request on/off, lock_request lock/unlock. Full topic names. The count. */
size_t hw_mqtt_levels(const hw_mqtt_config *c, const hw_cmd *cmd, const hw_cmd *sent, int all, hw_mqtt_msg *out,
                      size_t cap);
/* The status topics: fsm_state and soc (periodic: due), evccid and battery_capacity when they changed since sent
 * (all: every one), and with params the charge parameters (car: charger_max_voltage/current when changed,
 * charger_voltage/current when due; charger: target_voltage/current when due). The count. */
size_t hw_mqtt_status(const hw_mqtt_config *c, const hw_report *r, const hw_report *sent, int periodic, int all,
                      hw_mqtt_msg *out, size_t cap);
/* A received message: topic (full name), payload (not NUL-terminated, any bytes) -> in. 0, or CCS_ENOTFOUND (not
 * our topic) / CCS_ESYNTAX (a malformed payload: ignored). */
int hw_mqtt_input(const hw_mqtt_config *c, hw_mqtt_in *in, const char *topic, const void *payload, size_t len);

/* The client (src/backends/hw_mqtt.c, built with libmosquitto): a network thread of its own connects, reconnects
 * (1 to 4 s apart) and receives; the session's loop never waits for the broker. NULL when the library is
 * missing from this build or out of memory (logged). */
typedef struct hw_mqtt hw_mqtt;
hw_mqtt *hw_mqtt_open(const hw_mqtt_config *c);
void hw_mqtt_backend(hw_mqtt *m, hw_backend *b);
/* A new plug-in: the stop and emergency-stop commands of the last one are forgotten. */
void hw_mqtt_reset(hw_mqtt *m);
/* Publish the session's status (every step; rate-limited inside). */
void hw_mqtt_report(hw_mqtt *m, const hw_report *r, uint32_t now_ms);
void hw_mqtt_close(hw_mqtt *m);

#ifdef __cplusplus
}
#endif

#endif
