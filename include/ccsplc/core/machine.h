/* One machine shape for SLAC, SDP and the V2G sessions, and the one driver that runs any of them: events in
 * (start, message, disconnect, timer, inputs), an action out (messages to send, close, next wake-up, done), and a
 * driver that feeds the events, routes the action to the caller's port and keeps the next wake-up. Sans-I/O:
 * the caller owns the machine, the port and the clock. */
#ifndef CCSPLC_MACHINE_H
#define CCSPLC_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CCS_EV_START,      /* begin (SLAC: start matching; SDP client: first request; session: connection up) */
    CCS_EV_MESSAGE,    /* one whole message from the peer: an Ethernet frame (SLAC), a UDP payload (SDP), the payload
                        * of one V2GTP message of type payload_type (session) */
    CCS_EV_DISCONNECT, /* the peer or the link went away (SLAC: stop) */
    CCS_EV_TIMER,      /* the wake-up time came (any time is allowed: nothing not due fires) */
    CCS_EV_INPUTS,     /* the inputs changed (session: inputs, when not NULL, replaces the engine's measurements) */
} ccs_event_kind;

typedef struct {
    ccs_event_kind kind;
    uint16_t payload_type;  /* MESSAGE to a session: its V2GTP payload type */
    const uint8_t *data;    /* MESSAGE */
    size_t len;
    const void *inputs;     /* INPUTS: sess_evse_input / sess_pev_input for a session, or NULL */
} ccs_event;

#define CCS_ACTION_OUT_MAX 6   /* SLAC_OUT_MAX: the most messages one event makes */

/* What to do after an event. out[] points into the machine: send in order before the next event. */
typedef struct {
    uint8_t n;
    const uint8_t *out[CCS_ACTION_OUT_MAX];
    uint16_t len[CCS_ACTION_OUT_MAX];
    const char *name;       /* what out[0] is, for logs (the session's message name), or NULL */
    uint8_t close;          /* close the connection once out[] is sent */
    uint8_t has_wake;       /* call again with CCS_EV_TIMER at wake_ms */
    uint32_t wake_ms;
    uint8_t done;           /* finished (matched, answered, session over): nothing more until CCS_EV_START */
    int err;                /* 0, or the CCS_E* code of what failed in this event */
} ccs_action;

/* A machine: its handler and its state (an adapter's constructor fills both, ccsplc/core/machines.h). */
typedef void (*ccs_handle_fn)(void *self, const ccs_event *ev, uint32_t now_ms, ccs_action *act);
typedef struct {
    ccs_handle_fn handle;
    void *self;
} ccs_machine;

/* One event: act gets the action (cleared first). */
void ccs_machine_handle(const ccs_machine *m, const ccs_event *ev, uint32_t now_ms, ccs_action *act);

/* Where a driver routes an action: send one message (0 or a negative CCS_E* code), close the connection after
 * what was sent. close may be NULL (connectionless). */
typedef struct {
    int (*send)(void *ctx, const uint8_t *buf, size_t len, const char *name);
    void (*close)(void *ctx);
    void *ctx;
} ccs_port;

/* The driver of one machine: feeds events, sends what the action says through the port (nothing after it closed),
 * closes once, and keeps the next wake-up. */
typedef struct {
    ccs_machine m;
    ccs_port port;
    ccs_action last;        /* the last event's action (its out[] is sent already) */
    uint8_t closed;         /* closed by the machine or the peer: nothing is sent until the next start */
} ccs_driver;

void ccs_driver_init(ccs_driver *d, ccs_machine m, const ccs_port *port);
/* Each feeds one event and routes its action; each returns the action's err, else the port's first send error. */
int ccs_driver_event(ccs_driver *d, const ccs_event *ev, uint32_t now_ms);
int ccs_driver_start(ccs_driver *d, uint32_t now_ms);
int ccs_driver_message(ccs_driver *d, uint16_t payload_type, const uint8_t *data, size_t len, uint32_t now_ms);
int ccs_driver_disconnect(ccs_driver *d, uint32_t now_ms);   /* the peer closed: nothing is sent any more */
int ccs_driver_inputs(ccs_driver *d, const void *inputs, uint32_t now_ms);
/* CCS_EV_TIMER when the wake-up is due, else nothing (0). */
int ccs_driver_poll(ccs_driver *d, uint32_t now_ms);
/* 1 and *at_ms when the machine wants a wake-up. */
int ccs_driver_next_wake(const ccs_driver *d, uint32_t *at_ms);
/* 1 when the last action said done. */
int ccs_driver_done(const ccs_driver *d);

#ifdef __cplusplus
}
#endif

#endif
