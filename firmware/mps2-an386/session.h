/* The car's V2G session in the firmware: the session engine (DIN 70121 first, ISO 15118-2 DC second, external
 * identification) and its hardware (the battery model behind the hardware layer). The firmware's only use of
 * the session API and of the document storage is session.c. */
#ifndef FW_SESSION_H
#define FW_SESSION_H

#include <stddef.h>
#include <stdint.h>

/* What to do after each call: send tx[0..tx_len) on the TCP connection, then close it when close is set. */
typedef struct {
    const uint8_t *tx;
    size_t tx_len;
    int close;
    const char *tx_name, *rx_name;   /* the messages sent and received in this call (NULL: none) */
} car_out;

/* Once at boot: the battery (soc % of capacity_wh) and the car's MAC (EVCCID). */
void car_init(const uint8_t mac[6], float soc, float capacity_wh);
/* A plug-in: a fresh session that charges to target_soc. */
void car_plug(float target_soc);
/* The TCP connection is up: SupportedAppProtocolReq. */
void car_start(uint32_t now, car_out *o);
/* One V2GTP message from the charger. */
void car_message(uint16_t payload_type, const uint8_t *payload, size_t len, uint32_t now, car_out *o);
/* The connection broke: the safe state. */
void car_disconnect(uint32_t now, car_out *o);
/* Every few milliseconds: the hardware (supervisor, battery model) for dt ms, then the session's timers. */
void car_step(uint32_t now, uint32_t dt, car_out *o);
/* No session runs (never started, done or safe) and the contactors are open. */
int car_finished(void);
/* 1 while the car's contactors are closed (the hardware's feedback). */
int car_contactors_closed(void);
/* 1 when the session ended normally. */
int car_ok(void);

typedef struct {
    const char *proto, *stop;       /* the protocol the charger chose, the stop reason */
    uint32_t soc_x100;              /* the battery's SoC now, in 1/100 % */
    uint32_t cycles;                /* CurrentDemand cycles measured in this session */
    uint64_t cycle_ticks;           /* their total board_ticks (decode + handle + encode) */
    uint32_t cycle_min, cycle_max;
} car_report;
void car_report_get(car_report *r);

#endif
