/* V2GTP (V2G Transfer Protocol, DIN 70121 / ISO 15118-2 / ISO 15118-20): the 8-byte header in front of every
 * SDP datagram and every EXI message, and a stream reassembler that cuts a TCP byte stream into messages. */
#ifndef CCSPLC_V2GTP_H
#define CCSPLC_V2GTP_H
#include <stddef.h>
#include <stdint.h>

#define V2GTP_VERSION 0x01     /* protocol version */
#define V2GTP_VERSION_INV 0xFE /* inverse protocol version (~0x01) */
#define V2GTP_HEADER_LEN 8     /* version, inverse version, payload type (BE16), payload length (BE32) */

/* Payload types. DIN 70121 and ISO 15118-2 define 0x8001, 0x9000, 0x9001; ISO 15118-20 (Table 12) adds the
 * others. 0xA000..0xFFFF are manufacturer specific, the remaining values reserved. */
enum v2gtp_payload_type {
    V2GTP_EXI = 0x8001,                 /* SupportedAppProtocol, DIN 70121, ISO 15118-2 messages */
    V2GTP_ISO20_MAIN = 0x8002,          /* ISO 15118-20 common messages */
    V2GTP_ISO20_AC = 0x8003,            /* ISO 15118-20 AC messages */
    V2GTP_ISO20_DC = 0x8004,            /* ISO 15118-20 DC messages */
    V2GTP_ISO20_ACDP = 0x8005,          /* ISO 15118-20 ACDP (pantograph) messages */
    V2GTP_ISO20_WPT = 0x8006,           /* ISO 15118-20 wireless power transfer messages */
    V2GTP_ISO20_SCHED_RENEG = 0x8101,   /* ISO 15118-20 schedule renegotiation */
    V2GTP_ISO20_METERING_CONF = 0x8102, /* ISO 15118-20 metering confirmation */
    V2GTP_ISO20_ACDP_STATUS = 0x8103,   /* ISO 15118-20 ACDP system status */
    V2GTP_ISO20_PARKING_STATUS = 0x8104,/* ISO 15118-20 parking status */
    V2GTP_SDP_REQ = 0x9000,             /* SECC Discovery Protocol request */
    V2GTP_SDP_RES = 0x9001,             /* SECC Discovery Protocol response */
    V2GTP_SDP_REQ_WIRELESS = 0x9002,    /* ISO 15118-20 SDP request for wireless communication */
    V2GTP_SDP_RES_WIRELESS = 0x9003,    /* ISO 15118-20 SDP response for wireless communication */
};

typedef struct {
    uint16_t payload_type;
    uint32_t payload_len;
} v2gtp_header;

/* One message: header fields and a pointer to its payload (valid as documented by the producer). */
typedef struct {
    uint16_t payload_type;
    uint32_t payload_len;
    const uint8_t *payload;
} v2gtp_msg;

/* Nonzero when type is one of enum v2gtp_payload_type. */
int v2gtp_known_type(uint16_t type);

/* Writes the 8-byte header into buf. 0, or CCS_ENOSPC when cap < V2GTP_HEADER_LEN. */
int v2gtp_pack_header(uint16_t payload_type, uint32_t payload_len, uint8_t *buf, size_t cap);

/* Header + payload into buf; *len gets the total. 0 or CCS_ENOSPC. payload may be NULL when payload_len is 0. */
int v2gtp_pack(uint16_t payload_type, const uint8_t *payload, uint32_t payload_len, uint8_t *buf, size_t cap,
               size_t *len);

/* Parses and checks the header at buf: CCS_ETRUNC (fewer than 8 bytes), CCS_EHEADER (version or inverse
 * version wrong), CCS_EUNSUPP (unknown payload type), CCS_ERANGE (payload longer than max_payload), else 0. */
int v2gtp_parse_header(const uint8_t *buf, size_t len, uint32_t max_payload, v2gtp_header *out);

/* Parses one whole datagram (e.g. SDP over UDP): header checks as above, then exactly payload_len bytes must
 * follow (CCS_ETRUNC when fewer, CCS_EPROTO when more). msg->payload points into buf. */
int v2gtp_parse(const uint8_t *buf, size_t len, uint32_t max_payload, v2gtp_msg *msg);

/* Stream reassembler over a caller-owned buffer. A message whose header and payload arrive in one chunk is
 * returned without copying; otherwise its bytes are gathered in buf, which needs V2GTP_HEADER_LEN +
 * max_payload bytes. After an error the reassembler stays failed (the caller closes the connection) until
 * v2gtp_reasm_reset. */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t held;          /* bytes of the message in progress held in buf */
    uint32_t max_payload;
    int error;            /* sticky error, 0 while healthy */
} v2gtp_reasm;

/* 0, or CCS_EINVAL when cap < V2GTP_HEADER_LEN + max_payload. */
int v2gtp_reasm_init(v2gtp_reasm *r, uint8_t *buf, size_t cap, uint32_t max_payload);
/* Drops any partial message and clears the error (e.g. to resynchronise a passive listener). */
void v2gtp_reasm_reset(v2gtp_reasm *r);
/* Consumes bytes from data up to the end of the next complete message; *used gets the count consumed.
 * Returns 0 with *msg filled when a message completed (msg->payload points into data or into r->buf and is
 * valid until the next call or until data changes), CCS_EAGAIN when all of data was consumed without
 * completing one, or the header error from v2gtp_parse_header (sticky). Call again with the rest. */
int v2gtp_reasm_push(v2gtp_reasm *r, const uint8_t *data, size_t len, size_t *used, v2gtp_msg *msg);
/* Nonzero while a message is partly received. */
int v2gtp_reasm_pending(const v2gtp_reasm *r);

#endif
