/* EXI runtime: the table format the generated codecs use, and the generic decode/encode that walks it.
 * Profile: schema-informed, bit-packed, non-strict, header byte 0x80, values as literals (no string table). */
#ifndef CCSPLC_EXI_H
#define CCSPLC_EXI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Value kinds of a type row. */
enum exi_kind {
    EXI_K_COMPLEX, EXI_K_BOOL, EXI_K_ENUM, EXI_K_NBIT, EXI_K_UINT, EXI_K_INT, EXI_K_STRING, EXI_K_BINARY,
    EXI_K_BIGINT
};
/* How a field's presence is stored. */
/* EXI_P_ROOT: a document's root element; 16-bit selector holding 1 + its event code (in `cap`). */
enum exi_presence { EXI_P_NONE, EXI_P_FLAG, EXI_P_ARRAY, EXI_P_CHOICE, EXI_P_ROOT };
/* Where a field sits in XML terms (EXI_OP_ROLE of its op byte). */
enum exi_role { EXI_R_ELEM, EXI_R_ATTR, EXI_R_CONTENT };
/* exi_field.op: how the codec treats one occurrence of a field, so that one load and one dispatch serve an event:
 * bits 0-2 the handler, bits 3-4 the C storage of an integer value (log2 of its size), bits 5-7 the presence
 * (enum exi_presence). NBIT also serves BOOL (a 1-bit range 0..1 in one byte); ELEM is an element with a string,
 * binary or big-integer value; VALUE an attribute and CONTENT character content (both the value alone, no CH/EE).
 * The op byte is all the codec needs of a field's kind: its presence and XML role are read from it. */
enum exi_op {
    EXI_OP_COMPLEX, EXI_OP_NBIT, EXI_OP_ENUM, EXI_OP_UINT, EXI_OP_INT, EXI_OP_ELEM, EXI_OP_VALUE, EXI_OP_CONTENT
};
#define EXI_OP_SIZE(n) ((n) == 1 ? 0u : (n) == 2 ? 8u : (n) == 4 ? 16u : 24u)
#define EXI_OP(handler, size, presence) ((handler) | EXI_OP_SIZE(size) | (presence) << 5)
#define EXI_OP_HANDLER(op) ((op) & 7u)
#define EXI_OP_LOG2(op) ((op) >> 3 & 3u)
#define EXI_OP_PRESENCE(op) ((op) >> 5)
#define EXI_OP_ROLE(op)                                                                                          \
    (EXI_OP_HANDLER(op) == EXI_OP_VALUE     ? EXI_R_ATTR                                                         \
     : EXI_OP_HANDLER(op) == EXI_OP_CONTENT ? EXI_R_CONTENT                                                      \
                                            : EXI_R_ELEM)

/* A production's word (exi_prod.field): the field index in the low 12 bits (EXI_PROD_FIELD), and in the top
 * nibble (EXI_PROD_NIB) what the decoder needs before it has read the field's row: a fixed-width element's CH,
 * value and EE bits (1..13), EXI_NIB_CHILD, 0 for anything else, 15 (EXI_PROD_SPECIAL) for the special codes
 * below and for an occurrence beyond the capacity of an array (EXI_PROD_SPECIAL | field). */
#define EXI_PROD_EE 0xFFFFu   /* end element */
#define EXI_PROD_ANY 0xFFFEu  /* wildcard SE(*) */
#define EXI_PROD_MIX 0xFFFDu  /* characters in mixed content */
#define EXI_PROD_ROOT 0xFFFCu /* an event this codec was not built to decode: a global element, or an attribute or
                              * element of a relaxed element fragment grammar its struct has no member for */
#define EXI_PROD_SPECIAL 0xF000u
#define EXI_PROD_FIELD(word) ((word) & 0x0FFFu)
#define EXI_PROD_NIB(word) ((word) >> 12)
/* A complex element's production whose next state is the element's own start state, its parent's next state
 * being in the field's row (exi_field.step): the decoder goes on into the element without that row. */
#define EXI_NIB_CHILD 14u

#define EXI_MAX_DEPTH 24      /* element nesting limit */
/* A STRING's characters are kept as UTF-8 (up to EXI_UTF8_MAX bytes each) in a NUL-terminated array of
 * exi_type.min bytes: EXI_UTF8_MAX x the schema's maxLength (exi_type.aux, in characters, as maxLength counts
 * them), or without a maxLength the configured capacity in bytes (then aux = min). */
#define EXI_UTF8_MAX 4u

struct exi_type {
    uint8_t kind;      /* enum exi_kind */
    uint8_t bits;      /* ENUM, NBIT: code width; BOOL: 1; BINARY: 1 = base64Binary, 0 = hexBinary (text form) */
    uint8_t is_signed; /* NBIT, INT: C storage is signed */
    uint32_t size;     /* sizeof the C value (array stride) */
    uint16_t aux;      /* COMPLEX: start state (packed); ENUM: literal count; BOOL: 1; STRING: most characters;
                        * BINARY/BIGINT: capacity in bytes;
                        * NBIT: max - min (the schema's range, which the code width may exceed) */
    uint16_t first;    /* COMPLEX: first field */
    uint16_t nfields;  /* COMPLEX: field count */
    int32_t min;       /* NBIT: lowest value; STRING: bytes the array holds (without the NUL) */
    uint16_t clear_first; /* COMPLEX: first entry in exi_codec.clears */
    uint8_t nclear8;   /* COMPLEX: that many 1-byte presence flags / choice selectors to zero ... */
    uint8_t nclear16;  /* ... then that many 2-byte array counts */
};

/* 12 bytes. The presence kind and the XML role are in op (EXI_OP_PRESENCE, EXI_OP_ROLE). */
struct exi_field {
    uint16_t offset;   /* of the value (array: of element 0) in the parent struct (a larger one fails to compile) */
    uint16_t type;     /* index into exi_codec.types */
    uint16_t presence; /* of the has_ flag, count or choice selector (the same bound as offset) */
    uint16_t step;     /* COMPLEX: the state the parent continues in when the field's productions are EXI_NIB_CHILD,
                        * else the type's start state (packed); NBIT, ENUM: the bits of CH, value and EE */
    uint16_t cap;      /* EXI_P_ARRAY: capacity; EXI_P_CHOICE: members in the choice (they are consecutive);
                        * EXI_P_ROOT: selector value = 1 + event code; EXI_P_FLAG, EXI_P_NONE: the next state
                        * (packed) where the encoder may take the member's code as the count of members passed
                        * since the state was entered (proved by the generator: docs/exi.md), else 0 */
    uint8_t choice;    /* EXI_P_CHOICE: selector value */
    uint8_t op;        /* EXI_OP(): handler, storage size and presence in one byte */
};

/* A grammar state is a run in exi_codec.prods: a header {nprods, nbits}, then its productions in event-code
 * order. A state is named by the index of its header, so finding a production takes one table access. Where a
 * state is the next one (a production's next, a COMPLEX type's start state) it is packed with its code width:
 * position | width << EXI_STATE_POS_BITS, so the decoder reads the next code without the header's load. */
struct exi_prod {
    uint16_t field;    /* the production's word (field index, EXI_PROD_*); in a header: the number of productions */
    uint16_t next;     /* next state, packed (EXI_NIB_CHILD: the element's own); in a header: the code width */
};
#define EXI_STATE_POS_BITS 12
#define EXI_STATE_POS(packed) ((packed) & ((1u << EXI_STATE_POS_BITS) - 1u))
#define EXI_STATE_WIDTH(packed) ((packed) >> EXI_STATE_POS_BITS)
/* State 0 of every codec: the end of an element's content, where only EE is allowed ({1, 1}, {EE}: one bit, 0
 * for EE). Every type shares it, so the codec ends such an element without reading the table. EXI_STATE_EE is
 * its packed form. */
#define EXI_STATE_EE (1u << EXI_STATE_POS_BITS)

struct exi_codec {
    const struct exi_type *types;
    const struct exi_field *fields;
    const struct exi_prod *prods;  /* the states: see struct exi_prod */
    const uint32_t *clears;  /* offsets of presence bytes/counts zeroed when a complex element starts */
    uint16_t ntypes, nfields, nprods;
    uint16_t doc_type;  /* the document: a COMPLEX type whose fields are the root elements */
    uint16_t frag_type; /* signed elements as EXI fragments of the schema set, or 0xFFFF */
    uint16_t dsig_type; /* SignedInfo as an EXI fragment of the xmldsig schema, or 0xFFFF */
};

/* Names for text tools (generated in <proto>_meta.c; not needed on an MCU). */
struct exi_meta {
    const char *name;                 /* "din" */
    const char *title;                /* "DIN 70121" */
    const char *const *field_names;   /* per field */
    const uint8_t *field_ns;          /* per field: index into uris */
    const char *const *uris;
    uint16_t nuris;
    const char *const *literals;      /* enumeration literals */
    const uint16_t *literal_first;    /* per type: first literal */
};

/* Where decoding or encoding stopped, for error messages. */
struct exi_error {
    size_t bit_offset;       /* position in the stream */
    uint16_t state;          /* grammar state (index of its header in prods) */
    uint16_t field;          /* field being processed, or 0xFFFF */
    int code;                /* the CCS_E* code */
};

/* The bigint storage for unbounded xs:integer (X509SerialNumber): magnitude big-endian. */
struct exi_bigint {
    uint8_t negative;
    uint8_t len;
    uint8_t mag[20];
};

/* Decode an EXI stream (header + document) into doc (the codec's exiDocument struct). Bytes after the end
 * of the document are ignored (some cars pad). Returns 0 or a negative CCS_E* code. */
int exi_decode(const struct exi_codec *c, const uint8_t *buf, size_t len, void *doc);
int exi_decode_ex(const struct exi_codec *c, const uint8_t *buf, size_t len, void *doc, struct exi_error *err);
/* The same for another top-level grammar of the codec (doc_type, frag_type or dsig_type): out is its struct. */
int exi_decode_type(const struct exi_codec *c, uint16_t type, const uint8_t *buf, size_t len, void *out,
                    struct exi_error *err);
int exi_encode_type(const struct exi_codec *c, uint16_t type, const void *in, uint8_t *buf, size_t cap,
                    size_t *out_len, struct exi_error *err);
/* Encode doc; *out_len receives the byte count. Returns 0 or a negative CCS_E* code. */
int exi_encode(const struct exi_codec *c, const void *doc, uint8_t *buf, size_t cap, size_t *out_len);
int exi_encode_ex(const struct exi_codec *c, const void *doc, uint8_t *buf, size_t cap, size_t *out_len,
                  struct exi_error *err);

#ifdef __cplusplus
}
#endif

#endif
