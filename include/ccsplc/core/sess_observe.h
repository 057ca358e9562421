/* A bystander's view of a V2G session (capture analysis, the Wireshark plugin): each request the car sends is
 * checked against the charger's message table of the protocol (the rows our own charger answers; a request
 * without a row is what it refuses with FAILED_SequenceError), and the car's table gives the request's
 * V2G_EVCC_Msg_Timeout. Sans-I/O: the caller lends a sess_docs for decoding. */
#ifndef CCSPLC_SESS_OBSERVE_H
#define CCSPLC_SESS_OBSERVE_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/sess.h"

typedef struct {
    const sess_proto *proto;
    uint32_t states;      /* charger table states the session may be in (a set: ISO-2 AC and DC part ways on
                           * the same requests) */
    uint32_t before;      /* the set before the last accepted request */
    int last;             /* message id of the last accepted request, -1 before the first */
} sess_observer;

/* Start watching a session of protocol p right after its SupportedAppProtocol exchange. */
void sess_observe_init(sess_observer *o, const sess_proto *p);

/* A V2GTP message from the car. Returns 1 when the charger's table allows it now (the set of states moves on),
 * 0 when it is out of sequence (nothing moves), CCS_EPROTO when it is no request of the protocol or does not
 * decode with it. A repeat of the last accepted request is in sequence (Ongoing answers, loops). *timeout_ms
 * gets the request's V2G_EVCC_Msg_Timeout from the car's table, or 0 when the table has no row for it. */
int sess_observe_request(sess_observer *o, uint16_t payload_type, const uint8_t *payload, size_t len,
                         sess_docs *scratch, uint32_t *timeout_ms);

/* The names of the requests the charger's table allows now, space-separated, into out (for messages). */
void sess_observe_expected(const sess_observer *o, char *out, size_t cap);

#endif
