/* Which optional hardware backends this build has: each is built when pkg-config finds its library at configure
 * time (libmosquitto: MQTT, libgpiod: GPIO, libcurl: the SoC callback), else a stub that refuses it by name. */
#ifndef CCSPLC_LINUX_HW_BACKENDS_H
#define CCSPLC_LINUX_HW_BACKENDS_H

#ifdef __cplusplus
extern "C" {
#endif

extern const int hw_mqtt_built, hw_gpio_built, soc_callback_built;

#ifdef __cplusplus
}
#endif

#endif
