/* The MQTT backend in a build without libmosquitto: refused by name, with the package that brings it. */
#include <stddef.h>

#include "ccsplc/linux/hw_backends.h"
#include "ccsplc/linux/hw_mqtt.h"
#include "ccsplc/linux/log.h"

const int hw_mqtt_built = 0;

hw_mqtt *hw_mqtt_open(const hw_mqtt_config *c)
{
    (void)c;
    LOG_E("mqtt: this ccsplc was built without libmosquitto (Debian: libmosquitto-dev; configure and build again)");
    return NULL;
}
void hw_mqtt_backend(hw_mqtt *m, hw_backend *b) { (void)m, (void)b; }
void hw_mqtt_reset(hw_mqtt *m) { (void)m; }
void hw_mqtt_report(hw_mqtt *m, const hw_report *r, uint32_t now_ms) { (void)m, (void)r, (void)now_ms; }
void hw_mqtt_close(hw_mqtt *m) { (void)m; }
