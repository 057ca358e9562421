/* Text forms of decoded EXI documents (host side, not for an MCU): key=value lines as in ../shared/corpus,
 * XML with the schema's element names and namespaces, and XML back into the structs (libxml2). */
#ifndef CCSPLC_EXI_TEXT_H
#define CCSPLC_EXI_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "ccsplc/core/exi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One generated codec, by its command-line name ("app", "din", "iso2", "iso20-common", ...). */
struct exi_proto {
    const char *name;
    const struct exi_codec *codec;
    const struct exi_meta *meta;
    size_t doc_size; /* sizeof its exiDocument struct */
};

extern const struct exi_proto exi_protos[];
extern const size_t exi_nprotos;
const struct exi_proto *exi_proto_find(const char *name);

/* Name of the message a document holds: the body element (DIN, ISO-2) or the root element. */
const char *exi_text_message_name(const struct exi_proto *p, const void *doc);

/* key=value pairs (corpus format: PhysicalValue as an exact decimal, Header fields unprefixed), separated by
 * sep. Returns 0 or -1 on an output error. */
int exi_text_kv(FILE *out, const struct exi_proto *p, const void *doc, char sep);
/* The same pairs written into out (NUL-terminated, truncated to cap), no allocation; returns the length of the
 * whole text (as snprintf: when it is >= cap, call again with that much room + 1). */
size_t exi_text_kv_buf(const struct exi_proto *p, const void *doc, char sep, char *out, size_t cap);
/* The same pairs as exi_text_kv_buf, each key and value NUL-terminated ("key\0value\0"), and where each is: the
 * offsets in out of pair i's key, of its last component (after the last '.') and of its value into pairs[i] for
 * the first pcap pairs; *npairs gets the count of all. Returns as exi_text_kv_buf (more room: call again). */
typedef struct {
    uint32_t key, leaf, value;
} exi_kv_pair;
size_t exi_text_kv_pairs(const struct exi_proto *p, const void *doc, char *out, size_t cap, exi_kv_pair *pairs,
                         size_t pcap, size_t *npairs);

/* The document as XML (one root element, namespaces declared on it). */
int exi_text_xml(FILE *out, const struct exi_proto *p, const void *doc);

/* Parse XML into doc (doc_size bytes, zeroed first). Returns 0, or a negative CCS_E* code with a message. */
int exi_text_from_xml(const struct exi_proto *p, const char *xml, size_t len, void *doc, char *msg, size_t msgcap);

/* The codec named by the first pair (schema=P) of key=value text, or NULL. */
const struct exi_proto *exi_text_kv_schema(const char *text, size_t len);
/* Parse key=value text as exi_text_kv writes it, after "schema=P message=NAME" (pairs separated by any white
 * space), into doc (doc_size bytes, zeroed first). Returns 0, or a negative CCS_E* code with a message naming
 * the pair. */
int exi_text_from_kv(const struct exi_proto *p, const char *text, size_t len, void *doc, char *msg, size_t msgcap);

/* Describe where an EXI error happened: bit offset, the grammar state's expected events. */
void exi_text_describe_error(const struct exi_proto *p, const struct exi_error *err, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
