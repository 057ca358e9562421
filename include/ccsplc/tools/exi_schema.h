/* Which codec decodes a V2G message (host side): the one of the SupportedAppProtocol namespace the session agreed
 * on, or for ISO 15118-20 the one the V2GTP payload type names (Table 12); a connection's handshake tracked in
 * order (exi_hs), with detection (din, then iso2) only when the capture lacks it. */
#ifndef CCSPLC_EXI_SCHEMA_H
#define CCSPLC_EXI_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/tools/exi_text.h"

#define EXI_NS_DIN "urn:din:70121:2012:MsgDef"
#define EXI_NS_ISO2 "urn:iso:15118:2:2013:MsgDef"
#define EXI_NS_ISO20_PREFIX "urn:iso:std:iso:15118:-20:"

/* DIN 70121 or ISO 15118-2 by namespace; *iso20 is set for an ISO 15118-20 namespace (whose messages name their
 * codec by payload type). NULL when no codec has the namespace. */
const struct exi_proto *exi_proto_of_namespace(const char *ns, int *iso20);

/* The ISO 15118-20 codec of payload type 0x8002..0x8006 (common, AC, DC, ACDP, WPT), else NULL. */
const struct exi_proto *exi_proto_of_payload_type(uint16_t type);

/* ---- one TCP connection's SupportedAppProtocol exchange, message by message ---- */
#define EXI_HS_MAX_OFFERS 8

typedef enum { EXI_HS_NONE, EXI_HS_REQ, EXI_HS_DONE, EXI_HS_DETECT } exi_hs_state;
/* What a message was: a handshake request or response (decoded with `app`), a message decoded with the agreed
 * codec (or the one its ISO-20 payload type names), one decoded by detection, or one of a payload type without
 * a codec (not decoded). */
typedef enum { EXI_MSG_HS_REQ, EXI_MSG_HS_RES, EXI_MSG_AGREED, EXI_MSG_DETECTED, EXI_MSG_NO_CODEC } exi_msg_class;

typedef struct {
    char ns[104];
    uint8_t schema_id;
} exi_hs_offer;

typedef struct {
    exi_hs_state state;
    exi_hs_offer offer[EXI_HS_MAX_OFFERS];
    unsigned noffer;
    int chosen;                     /* index of the agreed offer, -1 */
    int iso20;                      /* an ISO 15118-20 namespace was agreed */
    const struct exi_proto *proto;  /* codec of 0x8001 messages: agreed, or the one detection found last */
} exi_hs;

void exi_hs_init(exi_hs *h);
/* The next V2GTP message of the connection (from_client: the TCP client, the car, sent it). Decodes it into doc
 * (exi_doc_max_size() bytes) and sets *used to the codec (NULL: none for this payload type) and *cls. Returns 0,
 * or the decoder's CCS_E* code with *err filled (the first codec's error when detection fails). Handshake
 * messages are recognised only inside the handshake and in their direction: `80400040` is also a DIN document. */
int exi_hs_decode(exi_hs *h, uint16_t payload_type, const uint8_t *payload, size_t len, int from_client, void *doc,
                  const struct exi_proto **used, exi_msg_class *cls, struct exi_error *err);

/* The largest exiDocument of the registry. */
size_t exi_doc_max_size(void);

#endif
